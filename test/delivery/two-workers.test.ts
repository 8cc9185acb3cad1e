// Two workers (two processes' worth: separate database clients, separate limiters) on one database share the
// outbox: their claims are disjoint (FOR UPDATE SKIP LOCKED on PostgreSQL; one writer at a time on SQLite), so each
// message reaches the platform exactly once.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { pino } from "pino";
import type { ChannelName } from "../../src/app/ports.js";
import { createRepositories, openDatabase, type OpenDatabase } from "../../src/db/index.js";
import { createOutboxWorker, type OutboxWorker } from "../../src/delivery/outbox-worker.js";
import { createRateLimiter } from "../../src/delivery/rate-limiter.js";
import { createDeliverySenders, type Sender } from "../../src/delivery/senders.js";
import { PROVIDERS } from "../db/helpers.js";
import { startFakeTelegram, type FakeTelegram } from "../support/fake-telegram.js";
import { deliveryDb, enqueueMany, VN, type DeliveryDb } from "./support.js";

const silent = pino({ level: "silent" });
const NO_QUIET = { start: "00:00", end: "00:00" };
const COUNT = 300;

for (const { provider, label, skip } of PROVIDERS) describe.skipIf(skip)(`two workers on one database (${label})`, () => {
  let store: DeliveryDb;
  let second: OpenDatabase;
  let tg: FakeTelegram;
  const workers: OutboxWorker[] = [];

  beforeEach(async () => {
    store = await deliveryDb(provider);
    second = openDatabase(store.test.url);
    tg = await startFakeTelegram();
  });
  afterEach(async () => {
    await Promise.all(workers.splice(0).map((w) => w.stop()));
    await tg.close();
    await second.close();
    await store.close();
  });

  it(`${COUNT} messages, two workers claiming in small batches: disjoint claims, each message sent once`, async () => {
    await enqueueMany(store.repositories, "telegram", COUNT, { notBefore: new Date(Date.now() - 1000), firstChatId: 60_000 });
    const sentBy = new Map<string, string[]>();
    const make = (workerId: string, db: OpenDatabase) => {
      const repositories = createRepositories(db);
      const real = createDeliverySenders({ telegram: { token: tg.token, apiRoot: tg.apiRoot }, logger: silent });
      // The real sender, noting which worker sent what.
      const channels = new Map<ChannelName, Sender>(
        [...real].map(([name, sender]) => [
          name,
          {
            send: async (chatId, message) => {
              await sender.send(chatId, message);
              sentBy.set(workerId, [...(sentBy.get(workerId) ?? []), chatId]);
            },
          },
        ]),
      );
      const worker = createOutboxWorker({
        outbox: repositories.outbox,
        subscribers: repositories.subscribers,
        channels,
        // 100/s each: the work takes long enough for both to take part.
        limiter: createRateLimiter({ limits: { telegram: { perSecond: 100 } } }),
        quietHours: NO_QUIET,
        timezone: VN,
        now: () => new Date(),
        workerId,
        concurrency: 4,
        batchSize: 10,
        staleAfterMs: 10 * 60_000,
        idleMs: 50,
        logger: silent,
      });
      workers.push(worker);
      return worker;
    };
    make("worker-1", store.db).start();
    make("worker-2", second).start();
    await tg.waitForSent(COUNT, 30_000);
    await Promise.all(workers.splice(0).map((w) => w.stop()));

    const one = sentBy.get("worker-1") ?? [];
    const two = sentBy.get("worker-2") ?? [];
    expect(one.length).toBeGreaterThan(0);
    expect(two.length).toBeGreaterThan(0);
    expect(one.length + two.length).toBe(COUNT);
    expect(one.filter((chatId) => two.includes(chatId))).toEqual([]);
    expect(tg.sent).toHaveLength(COUNT);
    expect(new Set(tg.sent.map((s) => s.chatId)).size).toBe(COUNT);
    expect(await store.repositories.outbox.countByStatus({})).toMatchObject({ sent: COUNT, pending: 0, sending: 0 });
    const attempts = await store.db.prisma.notification.findMany({ where: { attempts: { not: 1 } } });
    expect(attempts).toEqual([]);
  });
});
