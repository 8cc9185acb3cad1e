// npm run crash:harness -- [--provider sqlite|postgresql] [--recipients 5000] [--kills 20] [--seed N]
//   [--concurrency 8] [--sigterms 3] [--stale-seconds 2] [--max-latency-ms 30]
// Kills the real bot with SIGKILL at random moments while it delivers a broadcast, and stops it with SIGTERM, against
// a fake Telegram server on 127.0.0.1 and a fresh database; prints a summary and exits 1 when a rule is broken
// (anything lost, a duplicate not explained by a kill or not flagged uncertain, an unclean graceful stop).
// PostgreSQL: a throwaway schema in TEST_POSTGRES_URL (default postgresql://postgres@127.0.0.1:5432/test).
// The logic is scripts/crash/harness.ts (test/crash/crash-safety.test.ts runs it too).
import { parseArgs } from "node:util";
import { formatReport, runCrashHarness } from "./crash/harness.js";

const USAGE = "usage: npm run crash:harness -- [--provider sqlite|postgresql] [--recipients 5000] [--kills 20] [--seed N] [--concurrency 8] [--sigterms 3] [--stale-seconds 2] [--max-latency-ms 30]";

function whole(name: string, value: string | undefined, min: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) {
    console.error(`--${name} must be a whole number ≥ ${min}, got ${JSON.stringify(value)}\n${USAGE}`);
    process.exit(2);
  }
  return n;
}

async function main(): Promise<void> {
  let values: Record<string, string | undefined>;
  try {
    values = parseArgs({
      options: {
        provider: { type: "string" },
        recipients: { type: "string" },
        kills: { type: "string" },
        seed: { type: "string" },
        concurrency: { type: "string" },
        sigterms: { type: "string" },
        "stale-seconds": { type: "string" },
        "max-latency-ms": { type: "string" },
      },
      strict: true,
    }).values as Record<string, string | undefined>;
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    process.exit(2);
  }
  const provider = values.provider ?? "sqlite";
  if (provider !== "sqlite" && provider !== "postgresql") {
    console.error(`--provider must be sqlite or postgresql\n${USAGE}`);
    process.exit(2);
  }
  const options = Object.fromEntries(
    Object.entries({
      recipients: whole("recipients", values.recipients, 1),
      kills: whole("kills", values.kills, 0),
      seed: whole("seed", values.seed, 0) ?? Math.floor(Math.random() * 1_000_000),
      concurrency: whole("concurrency", values.concurrency, 1),
      sigterms: whole("sigterms", values.sigterms, 0),
      staleClaimSeconds: whole("stale-seconds", values["stale-seconds"], 1),
      maxLatencyMs: whole("max-latency-ms", values["max-latency-ms"], 0),
    }).filter(([, v]) => v !== undefined),
  );
  const report = await runCrashHarness({ provider, ...options, progress: (line) => console.log(line) });
  console.log(`\n${formatReport(report)}`);
  process.exit(report.violations.length === 0 ? 0 : 1);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
