// The fast paths of delivery (npm run bench:broadcast measures them): a claim read straight off the index (stale
// claims first, then due rows earliest first, whatever the size of the table), rows marked sent together in one
// UPDATE with each its own sentAt, the subscribers of the sends in flight looked up together — with the same answers
// as one query each — and the rate limiter keeping its schedule when a timer fires a few milliseconds late.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { pino } from "pino";
import type { Subscriber } from "../../src/app/ports.js";
import type { PrismaOutboxRepository } from "../../src/db/outbox-repository.js";
import { createOutboxWorker } from "../../src/delivery/outbox-worker.js";
import { createRateLimiter, LATE_TOLERANCE_MS, type AbortableSleep } from "../../src/delivery/rate-limiter.js";
import { createDeliverySenders } from "../../src/delivery/senders.js";
import { PROVIDERS } from "../db/helpers.js";
import { startFakeTelegram, type FakeTelegram } from "../support/fake-telegram.js";
import { deliveryDb, enqueueFor, local, notification, rows, TestClock, VN, type DeliveryDb } from "./support.js";

const silent = pino({ level: "silent" });
const MINUTE = 60_000;

for (const { provider, label, skip } of PROVIDERS) describe.skipIf(skip)(`delivery fast paths (${label})`, () => {
  let store: DeliveryDb;
  let tg: FakeTelegram;
  let clock: TestClock;
  const outbox = () => store.repositories.outbox as PrismaOutboxRepository;

  beforeEach(async () => {
    store = await deliveryDb(provider);
    tg = await startFakeTelegram();
    clock = new TestClock(local("2025-05-19T09:00:00"));
  });
  afterEach(async () => {
    await tg.close();
    await store.close();
  });

  it("claims stale rows first (flagged uncertain), then due rows earliest due first, never more than the limit, never rows not yet due", async () => {
    const t = clock.t.getTime();
    const people: Subscriber[] = [];
    for (let i = 0; i < 6; i++) people.push(await store.repositories.subscribers.register({ channel: "telegram", chatId: String(100 + i), locale: "vi" }));
    // Inserted in this order: later due first, so id order and due order differ.
    await outbox().enqueue([
      notification(people[0]!, { notBefore: new Date(t - 1 * MINUTE) }),
      notification(people[1]!, { notBefore: new Date(t - 3 * MINUTE) }),
      notification(people[2]!, { notBefore: new Date(t + 5 * MINUTE) }),
      notification(people[3]!, { notBefore: new Date(t - 2 * MINUTE) }),
    ]);
    // A row claimed long ago by a worker that died.
    await outbox().enqueue([notification(people[4]!, { notBefore: new Date(t - 60 * MINUTE) })]);
    const [dead] = await outbox().claim("dead", new Date(t - 30 * MINUTE), 1, new Date(t - 40 * MINUTE));
    expect(dead!.chatId).toBe("104");

    const first = await outbox().claim("w", clock.t, 3, new Date(t - 10 * MINUTE));
    expect(first.map((r) => [r.chatId, r.uncertain])).toEqual(
      // Sorted by id in the answer; chosen: the stale row, then the two due earliest (101 at −3 min, 103 at −2 min).
      [
        ["101", false],
        ["103", false],
        ["104", true],
      ],
    );
    const second = await outbox().claim("w", clock.t, 3, new Date(t - 10 * MINUTE));
    expect(second.map((r) => r.chatId)).toEqual(["100"]);
    expect(await outbox().claim("w", clock.t, 3, new Date(t - 10 * MINUTE))).toEqual([]);
  });

  it("rows marked sent at the same moment are written together, each with its own sentAt; an unknown id fails alone", async () => {
    const people = await Promise.all(Array.from({ length: 30 }, (_, i) => store.repositories.subscribers.register({ channel: "telegram", chatId: String(200 + i), locale: "vi" })));
    await outbox().enqueue(people.map((p) => notification(p, { notBefore: clock.t })));
    const claimed = await outbox().claim("w", clock.t, 100, new Date(0));
    expect(claimed).toHaveLength(30);
    const at = (i: number) => new Date(clock.t.getTime() + 1000 + i * 7);
    const results = await Promise.allSettled([...claimed.map((r, i) => outbox().markSent(r.id, at(i))), outbox().markSent(999_999, at(99))]);
    expect(results.slice(0, 30).every((r) => r.status === "fulfilled")).toBe(true);
    expect(results[30]).toMatchObject({ status: "rejected", reason: expect.objectContaining({ message: expect.stringContaining("999999 not found") }) });
    const stored = await rows(store.db);
    for (const [i, row] of claimed.entries()) {
      expect(stored.find((s) => s.id === row.id)).toMatchObject({ status: "sent", sentAt: at(i), claimedBy: null, claimedAt: null, lastError: null });
    }
    expect(await outbox().countByStatus({})).toMatchObject({ sent: 30, sending: 0, pending: 0 });
  });

  it("looks up many subscribers at once: channel, chat, status and language; an unknown id is absent", async () => {
    const a = await store.repositories.subscribers.register({ channel: "telegram", chatId: "301", locale: "vi" });
    const b = await store.repositories.subscribers.register({ channel: "zalo", chatId: "z-302", locale: "en" });
    await store.repositories.subscribers.setStatus(b.id, "stopped");
    const states = await outbox().subscriberStates([a.id, b.id, a.id, 987_654]);
    expect([...states.entries()].sort(([x], [y]) => x - y)).toEqual([
      [a.id, { channel: "telegram", chatId: "301", status: "active", locale: "vi" }],
      [b.id, { channel: "zalo", chatId: "z-302", status: "stopped", locale: "en" }],
    ]);
  });

  it("with the shared lookup the worker decides as with one query each: stopped and vanished subscribers skipped, a 403 seen by the next row of the same batch", async () => {
    const worker = createOutboxWorker({
      outbox: outbox(),
      subscribers: store.repositories.subscribers,
      lookupSubscribers: (ids) => outbox().subscriberStates(ids),
      channels: createDeliverySenders({ telegram: { token: tg.token, apiRoot: tg.apiRoot }, logger: silent }),
      limiter: createRateLimiter({ limits: {} }),
      quietHours: { start: "00:00", end: "00:00" },
      timezone: VN,
      now: clock.now,
      sleep: clock.sleep,
      workerId: "w",
      // One at a time: the second row of the blocked person is looked up after the first one's 403 was recorded.
      concurrency: 1,
      batchSize: 100,
      staleAfterMs: 10 * MINUTE,
      logger: silent,
    });
    // Ids in this order: the blocker's two rows first, so the fake's 403 meets the first of them.
    const blocker = await enqueueFor(store.repositories, "telegram", "401", { notBefore: clock.t });
    await outbox().enqueue([notification(blocker, { notBefore: clock.t })]);
    const ok = await enqueueFor(store.repositories, "telegram", "402", { notBefore: clock.t });
    const stopped = await enqueueFor(store.repositories, "telegram", "403", { notBefore: clock.t });
    await store.repositories.subscribers.setStatus(stopped.id, "stopped");
    // A row whose subscriber id belongs to another chat: not the person it was written for.
    await outbox().enqueue([{ ...notification(ok, { notBefore: clock.t }), chatId: "499" }]);
    tg.failNext("sendMessage", { status: 403, description: "Forbidden: bot was blocked by the user" });
    expect(await worker.runOnce()).toMatchObject({ claimed: 5, blocked: 1, sent: 1, skipped: 3 });
    expect((await rows(store.db)).map((r) => [r.chatId, r.status, r.lastError])).toEqual([
      ["401", "blocked", "Forbidden: bot was blocked by the user"],
      // Looked up after the 403 was recorded: skipped without a call.
      ["401", "skipped", "subscriber blocked"],
      ["402", "sent", null],
      ["403", "skipped", "subscriber stopped"],
      ["499", "skipped", "subscriber not found"],
    ]);
    expect(tg.callsTo("sendMessage").map((c) => String(c.body.chat_id))).toEqual(["401", "402"]);
    expect((await store.repositories.subscribers.find("telegram", "401"))!.status).toBe("blocked");
  });
});

describe("rate limiter: a send a little after its slot keeps the schedule", () => {
  /** A clock where every sleep overshoots by `lateMs`, like timers on a busy machine. */
  const lateClock = (lateMs: number) => {
    let t = 0;
    const sleep: AbortableSleep = async (ms) => {
      t += ms + lateMs;
    };
    return { now: () => t, sleep };
  };

  it(`timers ${LATE_TOLERANCE_MS / 5} ms late: 30/s stays 30/s, and no send starts before its slot`, async () => {
    const clock = lateClock(LATE_TOLERANCE_MS / 5);
    const limiter = createRateLimiter({ limits: { telegram: { perSecond: 30 } }, ...clock });
    const times: number[] = [];
    for (let i = 0; i < 61; i++) {
      await limiter.acquire("telegram", `c${i}`);
      times.push(clock.now());
    }
    const interval = 1000 / 30;
    times.forEach((at, i) => expect(at).toBeGreaterThanOrEqual(i * interval - 1e-6));
    // Two seconds for 60 intervals (plus the last timer's lateness), not 60 × (interval + lateness).
    expect(times.at(-1)!).toBeLessThanOrEqual(60 * interval + LATE_TOLERANCE_MS);
  });

  it("a stall longer than the tolerance starts the spacing afresh: no burst to catch up", async () => {
    let t = 0;
    const limiter = createRateLimiter({ limits: { telegram: { perSecond: 25 } }, now: () => t, sleep: async (ms) => void (t += ms) });
    await limiter.acquire("telegram", "a"); // slot 0, next at 40
    t = 40 + LATE_TOLERANCE_MS + 50; // the process was away
    await limiter.acquire("telegram", "b");
    expect(limiter.delayFor("telegram", "c")).toBe(40);
  });
});
