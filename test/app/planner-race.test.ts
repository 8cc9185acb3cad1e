// Two instances' planners (separate database clients, as two processes have) ticking the same minute on one
// database: each recipient gets one outbox row per event, each event one PlannedEvent row, neither tick fails, and
// exactly one of the two ticks reports each event as planned (or skipped) — so logs and metrics count it once.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createPlanner, type TickResult } from "../../src/app/planner.js";
import { createRepositories, migrate, openDatabase, type OpenDatabase } from "../../src/db/index.js";
import { parseCampaign } from "../../src/domain/campaign-parse.js";
import { ROOT } from "../support/bot-process.js";
import { silentLogger } from "../support/core-harness.js";
import { freshDatabase, PROVIDERS, type TestDatabase } from "../db/helpers.js";

const VN = "Asia/Ho_Chi_Minh";
const local = (iso: string) => new Date(`${iso}+07:00`);
const NO_QUIET = { start: "00:00", end: "00:00" };
const DAY = 86_400_000;
/** More than one enqueue batch, so the two planners' inserts interleave. */
const SUBSCRIBERS = 700;

for (const { provider, label, skip } of PROVIDERS) describe.skipIf(skip)(`two planners on one database, same minute (${label})`, () => {
  let test: TestDatabase;
  let one: OpenDatabase;
  let two: OpenDatabase;

  beforeEach(async () => {
    test = await freshDatabase(provider);
    await migrate(test.url);
    one = openDatabase(test.url);
    two = openDatabase(test.url);
    const parsed = parseCampaign("lai-chau-2025.yaml", readFileSync(join(ROOT, "prisma/campaigns/lai-chau-2025.yaml"), "utf8"));
    if (!parsed.ok) throw new Error(parsed.errors.join("\n"));
    await createRepositories(one).campaigns.upsert(parsed.campaign);
    await one.prisma.subscriber.createMany({
      data: Array.from({ length: SUBSCRIBERS }, (_, i) => ({ channel: "telegram", chatId: String(80_000 + i), locale: i % 5 === 0 ? "en" : "vi" })),
    });
  });
  afterEach(async () => {
    await one?.close();
    await two?.close();
    await test?.drop();
  });

  const planner = (db: OpenDatabase) =>
    createPlanner({ ...createRepositories(db), timezone: VN, quietHours: NO_QUIET, graceMs: DAY, logger: silentLogger, batchSize: 100 });

  it("plans the 19/05 greeting once: one row per recipient, one record, one tick reports it", async () => {
    const at = local("2025-05-19T08:00:00");
    const results: TickResult[] = await Promise.all([planner(one).tick(at), planner(two).tick(at)]);

    const key = "lai-chau-2025:anniversary:sinh-nhat-bac";
    const rows = await one.prisma.notification.findMany({ where: { eventKey: key }, select: { subscriberId: true } });
    expect(rows).toHaveLength(SUBSCRIBERS);
    expect(new Set(rows.map((r) => r.subscriberId)).size).toBe(SUBSCRIBERS);

    const records = await one.prisma.plannedEvent.findMany();
    expect(records.filter((r) => r.key === key)).toEqual([expect.objectContaining({ status: "planned", recipients: SUBSCRIBERS })]);

    // Every event the two ticks saw is reported by exactly one of them, and matches its record.
    const reported = results.flatMap((r) => [...r.planned.map((p) => p.key), ...r.skipped.map((s) => s.key)]);
    expect(reported.filter((k) => k === key)).toHaveLength(1);
    expect(reported.length).toBe(new Set(reported).size);
    expect(new Set(reported)).toEqual(new Set(records.map((r) => r.key)));
    const planned = results.flatMap((r) => r.planned);
    expect(planned).toEqual([expect.objectContaining({ key, recipients: SUBSCRIBERS })]);
  });

  it("a third tick a minute later by either instance plans nothing more", async () => {
    const at = local("2025-05-19T08:00:00");
    await Promise.all([planner(one).tick(at), planner(two).tick(at)]);
    const before = await one.prisma.notification.count();
    const later = await Promise.all([planner(one).tick(new Date(at.getTime() + 60_000)), planner(two).tick(new Date(at.getTime() + 60_000))]);
    expect(later.flatMap((r) => [...r.planned, ...r.skipped])).toEqual([]);
    expect(await one.prisma.notification.count()).toBe(before);
  });
});
