// The crash harness (scripts/crash/harness.ts, `npm run crash:harness`) as a test, on SQLite and — when
// TEST_POSTGRES_URL is set — PostgreSQL: the real bot is SIGKILLed 20 times at random moments while it delivers a
// broadcast and restarted each time, then stopped with SIGTERM mid-delivery; nothing may be lost, duplicates only for
// sends in flight at a kill (≤ DELIVERY_CONCURRENCY per kill), each flagged uncertain (row and warn line), and a
// graceful stop exits within seconds with its sends finished and no row left "sending".
//
// Sized for a 2-core machine: every run starts a Node process (3–6 s), so 20 kills take about two minutes whatever the
// audience; CRASH_TEST_RECIPIENTS (default 2000) and CRASH_TEST_SEED change the run. The standalone script's default
// is 5,000 recipients.
import { describe, expect, it } from "vitest";
import { formatReport, runCrashHarness } from "../../scripts/crash/harness.js";
import { PROVIDERS } from "../db/helpers.js";

const RECIPIENTS = Number(process.env.CRASH_TEST_RECIPIENTS ?? 2000);
const SEED = process.env.CRASH_TEST_SEED === undefined ? undefined : Number(process.env.CRASH_TEST_SEED);
const KILLS = 20;

for (const { provider, label, skip } of PROVIDERS) describe.skipIf(skip)(`crash safety of broadcast delivery (${label})`, () => {
  it(`${KILLS} SIGKILLs and 2 SIGTERMs mid-delivery to ${RECIPIENTS} recipients: nothing lost, duplicates only in flight at a kill and flagged uncertain`, { timeout: 10 * 60_000 }, async () => {
    const seed = SEED ?? (provider === "sqlite" ? 20261121 : 20261122);
    const report = await runCrashHarness({ provider, recipients: RECIPIENTS, kills: KILLS, seed, sigterms: 2 });
    console.log(formatReport(report));

    expect(report.violations).toEqual([]);
    expect(report.kill.kills).toHaveLength(KILLS);
    expect(report.kill.kills.every((k) => k.sentInRun > 0)).toBe(true);
    expect(report.kill.delivered).toBe(RECIPIENTS + 1);
    expect(report.kill.lost).toBe(0);
    // The kills did land on sends in flight (else this run proved nothing about them), and every such send came back
    // as an uncertain row.
    expect(report.kill.duplicates).toBeGreaterThan(0);
    expect(report.kill.maxDuplicatesPerKill).toBeLessThanOrEqual(report.options.concurrency);
    expect(report.kill.unflagged).toBe(0);
    expect(report.kill.unlogged).toBe(0);
    expect(report.kill.uncertainRows).toBeGreaterThan(0);

    expect(report.sigterm).not.toBeNull();
    expect(report.sigterm!.stops).toHaveLength(2);
    for (const stop of report.sigterm!.stops) {
      expect(stop.exitCode).toBe(0);
      expect(stop.exitMs).toBeLessThan(5000);
      expect(stop.cutOff).toBe(0);
      expect(stop.leftSending).toBe(0);
    }
    expect(report.sigterm!.lost).toBe(0);
    expect(report.sigterm!.duplicates).toBe(0);
    expect(report.sigterm!.uncertainRows).toBe(0);
    expect(report.tokenInLogs).toBe(false);
  });
});
