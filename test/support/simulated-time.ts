// What the tests on simulated time share (the campaign cycle, the simulated year): a seed plan and the test units in
// a fresh migrated database with fake Telegram and Zalo Bot API servers (real HTTP on 127.0.0.1), and the real
// outbox worker and rate limiter delivering to them on a fake clock — a wait for a send slot moves the clock on
// instead of sleeping.
import { readFileSync } from "node:fs";
import { validateUnitsCsv } from "../../src/admin/units-csv.js";
import { createRepositories, migrate, openDatabase, type OpenDatabase, type Repositories } from "../../src/db/index.js";
import { createOutboxWorker, type OutboxWorker } from "../../src/delivery/outbox-worker.js";
import { createRateLimiter } from "../../src/delivery/rate-limiter.js";
import { createDeliverySenders } from "../../src/delivery/senders.js";
import { parseCampaign } from "../../src/domain/campaign-parse.js";
import type { CampaignDefinition } from "../../src/domain/campaign.js";
import { DEFAULT_QUIET_HOURS } from "../../src/domain/quiet-hours.js";
import type { TestDatabase } from "../db/helpers.js";
import { ROOT } from "./bot-process.js";
import { silentLogger } from "./core-harness.js";
import { startFakeTelegram, type FakeTelegram } from "./fake-telegram.js";
import { startFakeZalo, type FakeZalo } from "./fake-zalo.js";
import { defaultTestDatabase } from "./test-database.js";

export const VN = "Asia/Ho_Chi_Minh";

/** The simulated time: every component reads `t`; tests move it. */
export interface FakeClock {
  t: Date;
}

export interface SimulatedWorld {
  telegram: FakeTelegram;
  zalo: FakeZalo;
  test: TestDatabase;
  db: OpenDatabase;
  repositories: Repositories;
  /** The seed plan prisma/campaigns/<slug>.yaml, as loaded. */
  campaign: CampaignDefinition;
  close(): Promise<void>;
}

/** The fake servers, a fresh migrated database, the seed plan `slug` loaded and test/fixtures/units/good.csv imported. */
export async function startSimulatedWorld(slug: string): Promise<SimulatedWorld> {
  const telegram = await startFakeTelegram();
  let zalo: FakeZalo | undefined;
  let test: TestDatabase | undefined;
  let db: OpenDatabase | undefined;
  const close = async () => {
    await db?.close();
    await test?.drop();
    await telegram.close();
    await zalo?.close();
  };
  try {
    zalo = await startFakeZalo();
    test = await defaultTestDatabase();
    await migrate(test.url);
    db = openDatabase(test.url);
    const repositories = createRepositories(db);
    const parsed = parseCampaign(`${slug}.yaml`, readFileSync(`${ROOT}/prisma/campaigns/${slug}.yaml`, "utf8"));
    if (!parsed.ok) throw new Error(parsed.errors.join("\n"));
    await repositories.campaigns.upsert(parsed.campaign);
    await repositories.units.importAll(validateUnitsCsv("good.csv", readFileSync(`${ROOT}/test/fixtures/units/good.csv`, "utf8"), new Map()).rows);
    return { telegram, zalo, test, db, repositories, campaign: parsed.campaign, close };
  } catch (e) {
    await close();
    throw e;
  }
}

/** The real outbox worker on `clock`, sending through the real Telegram and Zalo senders to the world's fake servers. */
export function simulatedWorker(world: Pick<SimulatedWorld, "telegram" | "zalo" | "repositories">, clock: FakeClock, options: { workerId: string; concurrency: number }): OutboxWorker {
  const { telegram, zalo, repositories } = world;
  const sleep = async (ms: number) => void (clock.t = new Date(clock.t.getTime() + ms));
  return createOutboxWorker({
    ...repositories,
    channels: createDeliverySenders({ telegram: { token: telegram.token, apiRoot: telegram.apiRoot }, zalo: { token: zalo.token, apiRoot: zalo.apiRoot }, logger: silentLogger }),
    limiter: createRateLimiter({ limits: { telegram: { perSecond: 25, perChatPerSecond: 1 }, zalo: { perSecond: 5 } }, now: () => clock.t.getTime(), sleep }),
    quietHours: DEFAULT_QUIET_HOURS,
    timezone: VN,
    now: () => clock.t,
    sleep,
    workerId: `${options.workerId}-${Math.random().toString(36).slice(2)}`,
    concurrency: options.concurrency,
    batchSize: 50,
    staleAfterMs: 10 * 60_000,
    logger: silentLogger,
  });
}

/** Runs the worker until a run claims nothing (everything due is sent), calling `afterRun` after each run. */
export async function drain(worker: OutboxWorker, afterRun: () => void = () => undefined): Promise<void> {
  for (;;) {
    const { claimed } = await worker.runOnce();
    afterRun();
    if (claimed === 0) return;
  }
}
