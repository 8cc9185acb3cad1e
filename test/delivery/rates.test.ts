// Send rates in real time against fake platforms with flood control: the fake answers 429 when more than its limit
// arrives in a second (overall, or to one chat), so zero 429s means the limits held at the receiving end. The
// fakes' windows carry some slack for requests a busy machine delays; the bounds checked below only get easier
// when the machine is slow (a slow machine sends later, never earlier). The strict count per second is taken where
// the limiter acts — when each send starts — because arrival times at the fake are bunched by a busy machine (measured
// at load 10 on 2 cores: 31 arrivals within one second from sends that started 40 ms apart).
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { pino } from "pino";
import { DEFAULT_QUIET_HOURS } from "../../src/domain/quiet-hours.js";
import { createOutboxWorker, type OutboxWorker } from "../../src/delivery/outbox-worker.js";
import { createRateLimiter, LATE_TOLERANCE_MS, type RateLimits } from "../../src/delivery/rate-limiter.js";
import { createDeliverySenders, type Sender } from "../../src/delivery/senders.js";
import type { ChannelName } from "../../src/app/ports.js";
import { PROVIDERS } from "../db/helpers.js";
import { maxInWindow } from "../support/fake-rate-limit.js";
import { startFakeTelegram, type FakeTelegram } from "../support/fake-telegram.js";
import { startFakeZalo, type FakeZalo } from "../support/fake-zalo.js";
import { deliveryDb, enqueueMany, VN, type DeliveryDb } from "./support.js";

const silent = pino({ level: "silent" });
/** Daytime in Vietnam, whatever the real clock says: quiet hours are not what these tests are about. */
const NO_QUIET = { start: "00:00", end: "00:00" };

for (const { provider, label, skip } of PROVIDERS) describe.skipIf(skip)(`send rates in real time (${label})`, () => {
  let store: DeliveryDb;
  let tg: FakeTelegram;
  let zalo: FakeZalo;
  let worker: OutboxWorker | undefined;
  /** When each send started (performance.now), per channel: where the limiter's spacing is kept. */
  let started: Map<string, number[]>;

  beforeEach(async () => {
    store = await deliveryDb(provider);
    started = new Map();
    // Telegram's documented limits: 30 messages a second overall, about one a second to one chat.
    tg = await startFakeTelegram({ rateLimit: { perSecond: 30, perChatPerSecond: 1, slackMs: 300 } });
    zalo = await startFakeZalo({ rateLimit: { perSecond: 5, slackMs: 300 } });
  });
  afterEach(async () => {
    await worker?.stop();
    worker = undefined;
    await Promise.all([tg.close(), zalo.close()]);
    await store.close();
  });

  const start = (limits: RateLimits) => {
    worker = createOutboxWorker({
      outbox: store.repositories.outbox,
      subscribers: store.repositories.subscribers,
      channels: recordingStarts(createDeliverySenders({ telegram: { token: tg.token, apiRoot: tg.apiRoot }, zalo: { token: zalo.token, apiRoot: zalo.apiRoot }, logger: silent })),
      limiter: createRateLimiter({ limits }),
      quietHours: NO_QUIET,
      timezone: VN,
      now: () => new Date(),
      workerId: "rate-worker",
      concurrency: 8,
      batchSize: 40,
      staleAfterMs: 10 * 60_000,
      idleMs: 100,
      logger: silent,
    });
    worker.start();
    return worker;
  };
  /** The same senders, each send's start time noted first. */
  function recordingStarts(senders: Map<ChannelName, Sender>): Map<ChannelName, Sender> {
    return new Map(
      [...senders].map(([channel, sender]): [ChannelName, Sender] => {
        const times: number[] = [];
        started.set(channel, times);
        return [channel, { send: (chatId, message) => (times.push(performance.now()), sender.send(chatId, message)) }];
      }),
    );
  }
  const arrivals = (fake: { calls: { method: string; at: number }[] }) => fake.calls.filter((c) => c.method === "sendMessage").map((c) => c.at);

  it("200 messages to 200 Telegram chats at 25/s: no 429, each delivered once, never more than 25 sends started in a second", async () => {
    await enqueueMany(store.repositories, "telegram", 200, { notBefore: new Date(Date.now() - 1000), firstChatId: 20_000 });
    start({ telegram: { perSecond: 25, perChatPerSecond: 1 } });
    const sent = await tg.waitForSent(200, 40_000);
    const times = arrivals(tg);
    expect(tg.rateLimitedCalls).toEqual([]);
    expect(times).toHaveLength(200);
    expect(new Set(sent.map((s) => s.chatId)).size).toBe(200);
    // The limiter's promise (src/delivery/rate-limiter.ts): any second less its tolerance for a late timer holds at most the rate.
    expect(started.get("telegram")).toHaveLength(200);
    expect(maxInWindow(started.get("telegram")!, 1000 - LATE_TOLERANCE_MS)).toBeLessThanOrEqual(25);
    // 199 gaps of 40 ms at least (the first request may have been delayed by at most the slack).
    expect(Math.max(...times) - Math.min(...times)).toBeGreaterThanOrEqual(199 * 40 - 300);
    // The fake answered the last send; stop() waits until the worker has recorded it.
    await worker!.stop();
    worker = undefined;
    expect(await store.repositories.outbox.countByStatus({})).toMatchObject({ sent: 200, pending: 0, sending: 0 });
  });

  it("one Telegram chat gets at most one message a second", async () => {
    const [subscriber] = await enqueueMany(store.repositories, "telegram", 1, { notBefore: new Date(Date.now() - 1000), firstChatId: 30_000 });
    // Three more for the same person (e.g. several events on one day).
    for (let i = 0; i < 3; i++) {
      await store.repositories.outbox.enqueue([
        { key: `same-chat:${i}`, eventKey: `same-chat:${i}`, eventType: "test", subscriberId: subscriber!.id, channel: "telegram", chatId: subscriber!.chatId, text: `Tin ${i}`, notBefore: new Date(Date.now() - 1000), expiresAt: null },
      ]);
    }
    start({ telegram: { perSecond: 25, perChatPerSecond: 1 } });
    await tg.waitForSent(4, 20_000);
    const times = arrivals(tg).sort((a, b) => a - b);
    expect(tg.rateLimitedCalls).toEqual([]);
    expect(times).toHaveLength(4);
    expect(maxInWindow(times, 700)).toBe(1);
    expect(times[3]! - times[0]!).toBeGreaterThanOrEqual(3000 - 300);
  });

  it("Zalo at 5/s: 20 messages, no 429", async () => {
    await enqueueMany(store.repositories, "zalo", 20, { notBefore: new Date(Date.now() - 1000), firstChatId: 40_000 });
    start({ zalo: { perSecond: 5 } });
    await zalo.waitForSent(20, 20_000);
    const times = arrivals(zalo);
    expect(zalo.rateLimitedCalls).toEqual([]);
    expect(times).toHaveLength(20);
    expect(maxInWindow(times, 1000)).toBeLessThanOrEqual(6);
    expect(Math.max(...times) - Math.min(...times)).toBeGreaterThanOrEqual(19 * 200 - 300);
  });

  it("without the limiter the same fake refuses sends (the check above can fail), and the refused ones still arrive once, later", async () => {
    await enqueueMany(store.repositories, "telegram", 60, { notBefore: new Date(Date.now() - 1000), firstChatId: 50_000 });
    start({});
    await tg.waitForSent(60, 20_000);
    expect(tg.rateLimitedCalls.length).toBeGreaterThan(0);
    expect(new Set(tg.sent.map((s) => s.chatId)).size).toBe(60);
    expect(tg.sent).toHaveLength(60);
  });
});
