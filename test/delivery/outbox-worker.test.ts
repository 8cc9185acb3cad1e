// The delivery worker against the real fake Telegram and Zalo Bot API servers (real HTTP) and a real database of
// each provider: rows are enqueued through the outbox repository for subscribers registered through the subscriber
// repository, and every outcome is read back from the database and from what the fake servers received.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createWebPushChannel, WebInbox } from "../../src/channels/web/web-push.js";
import { DEFAULT_QUIET_HOURS } from "../../src/domain/quiet-hours.js";
import { createOutboxWorker, type OutboxWorkerOptions } from "../../src/delivery/outbox-worker.js";
import { createRateLimiter, type RateLimiter } from "../../src/delivery/rate-limiter.js";
import { createDeliverySenders } from "../../src/delivery/senders.js";
import { PROVIDERS } from "../db/helpers.js";
import { startFakeTelegram, type FakeTelegram } from "../support/fake-telegram.js";
import { startFakeZalo, type FakeZalo } from "../support/fake-zalo.js";
import type { PrismaOutboxRepository } from "../../src/db/outbox-repository.js";
import { captureLogger, type CapturedLogger } from "../support/capture-logger.js";
import { deliveryDb, enqueueFor, enqueueMany, local, notification, rows, TestClock, VN, type DeliveryDb } from "./support.js";

const MINUTE = 60_000;

for (const { provider, label, skip } of PROVIDERS) describe.skipIf(skip)(`outbox worker (${label})`, () => {
  let store: DeliveryDb;
  let tg: FakeTelegram;
  let zalo: FakeZalo;
  let clock: TestClock;
  let limiter: RateLimiter;
  let log: CapturedLogger;
  let inbox: WebInbox;

  beforeEach(async () => {
    store = await deliveryDb(provider);
    [tg, zalo] = await Promise.all([startFakeTelegram(), startFakeZalo()]);
    clock = new TestClock(local("2025-05-19T09:00:00"));
    limiter = createRateLimiter({ limits: { telegram: { perSecond: 25, perChatPerSecond: 1 }, zalo: { perSecond: 5 } }, now: clock.ms, sleep: clock.sleep });
    log = captureLogger();
    inbox = new WebInbox();
  });
  afterEach(async () => {
    // Nothing the worker logged may carry a token or a message's text.
    const logged = JSON.stringify(log.records());
    expect(logged).not.toContain(tg.token);
    expect(logged).not.toContain(zalo.token);
    expect(logged).not.toContain("Thông báo");
    await Promise.all([tg.close(), zalo.close()]);
    await store.close();
  });

  const worker = (overrides: Partial<OutboxWorkerOptions> = {}) =>
    createOutboxWorker({
      outbox: store.repositories.outbox,
      subscribers: store.repositories.subscribers,
      channels: createDeliverySenders({
        telegram: { token: tg.token, apiRoot: tg.apiRoot },
        zalo: { token: zalo.token, apiRoot: zalo.apiRoot },
        web: createWebPushChannel(inbox),
        logger: log.logger,
      }),
      limiter,
      quietHours: DEFAULT_QUIET_HOURS,
      timezone: VN,
      now: clock.now,
      sleep: clock.sleep,
      workerId: "worker-a",
      concurrency: 8,
      batchSize: 100,
      staleAfterMs: 5 * MINUTE,
      logger: log.logger,
      ...overrides,
    });
  const faults = (kind: string) => log.records().filter((l) => l.kind === kind);

  it("delivers every due row exactly once on Telegram and Zalo, marks it sent with sentAt, and leaves rows not yet due", async () => {
    const start = clock.t;
    await enqueueMany(store.repositories, "telegram", 30, { notBefore: start, firstChatId: 1000 });
    await enqueueMany(store.repositories, "zalo", 12, { notBefore: new Date(start.getTime() - MINUTE), firstChatId: 5000 });
    await enqueueFor(store.repositories, "telegram", "9999", { notBefore: new Date(start.getTime() + 10 * MINUTE), text: "Thông báo sau" });

    const first = await worker().runOnce();
    expect(first).toMatchObject({ quiet: false, claimed: 42, sent: 42, retried: 0, failed: 0, blocked: 0, skipped: 0, errors: 0 });
    expect(tg.sent.map((s) => s.chatId).sort()).toEqual(Array.from({ length: 30 }, (_, i) => String(1000 + i)).sort());
    expect(zalo.sent.map((s) => s.chatId).sort()).toEqual(Array.from({ length: 12 }, (_, i) => String(5000 + i)).sort());
    const all = await rows(store.db);
    for (const row of all.filter((r) => r.chatId !== "9999")) {
      expect(row.status).toBe("sent");
      expect(row.sentAt!.getTime()).toBeGreaterThanOrEqual(start.getTime());
      expect(row.claimedBy).toBeNull();
      expect(row.attempts).toBe(1);
    }
    // Each person got their own text, once.
    const telegramTexts = new Map(all.filter((r) => r.channel === "telegram").map((r) => [r.chatId, r.text]));
    for (const s of tg.sent) expect(s.plainText).toBe(telegramTexts.get(s.chatId));
    expect(all.find((r) => r.chatId === "9999")).toMatchObject({ status: "pending", attempts: 0, sentAt: null });

    expect(await worker().runOnce()).toMatchObject({ claimed: 0, sent: 0 });
    clock.set(new Date(start.getTime() + 10 * MINUTE));
    expect(await worker().runOnce()).toMatchObject({ claimed: 1, sent: 1 });
    expect(tg.sent).toHaveLength(31);
    expect(zalo.sent).toHaveLength(12);
    expect(await store.repositories.outbox.countByStatus({})).toMatchObject({ sent: 43, pending: 0, sending: 0 });
  });

  it("429: the row waits the platform's retry_after, then goes out once", async () => {
    const subscriber = await enqueueFor(store.repositories, "telegram", "4242", { notBefore: clock.t });
    tg.failNext("sendMessage", { status: 429, retryAfter: 7 });
    const w = worker();
    const at = clock.t.getTime();
    expect(await w.runOnce()).toMatchObject({ claimed: 1, retried: 1, sent: 0 });
    const [row] = await rows(store.db);
    expect(row).toMatchObject({ status: "pending", claimedBy: null });
    // retry_after counted from the moment the 429 came back (the clock did not move during the send).
    expect(row!.notBefore.getTime()).toBe(at + 7000);
    expect(row!.lastError).toMatch(/^rate-limited: /);
    expect(faults("rate-limited")).toEqual([expect.objectContaining({ channel: "telegram", chatId: "4242", notificationId: row!.id, level: 40 })]);

    clock.advance(6_999);
    expect(await w.runOnce()).toMatchObject({ claimed: 0 });
    clock.advance(1);
    expect(await w.runOnce()).toMatchObject({ claimed: 1, sent: 1 });
    expect(tg.callsTo("sendMessage")).toHaveLength(2);
    expect(tg.sent.map((s) => s.chatId)).toEqual(["4242"]);
    expect((await rows(store.db))[0]).toMatchObject({ status: "sent", attempts: 2, subscriberId: subscriber.id });
  });

  it("5xx: backs off exponentially by attempt, then delivers once; gives up as failed after the last attempt", async () => {
    await enqueueFor(store.repositories, "zalo", "z-1", { notBefore: clock.t });
    zalo.failNext("sendMessage", { errorCode: 502, description: "Bad Gateway" }, 2);
    const w = worker({ retry: { baseDelayMs: 10_000, maxDelayMs: 60_000, maxAttempts: 4 } });

    let at = clock.t.getTime();
    expect(await w.runOnce()).toMatchObject({ retried: 1 });
    expect((await rows(store.db))[0]!.notBefore.getTime()).toBe(at + 10_000);
    clock.advance(10_000);
    at = clock.t.getTime();
    expect(await w.runOnce()).toMatchObject({ retried: 1 });
    expect((await rows(store.db))[0]!.notBefore.getTime()).toBe(at + 20_000);
    clock.advance(19_999);
    expect(await w.runOnce()).toMatchObject({ claimed: 0 });
    clock.advance(1);
    expect(await w.runOnce()).toMatchObject({ sent: 1 });
    expect(zalo.sent.map((s) => s.chatId)).toEqual(["z-1"]);
    expect(zalo.calls.filter((c) => c.method === "sendMessage")).toHaveLength(3);
    expect(faults("transient")).toHaveLength(2);

    // A platform that keeps failing: four attempts in all, then failed, never retried again.
    await enqueueFor(store.repositories, "zalo", "z-2", { notBefore: clock.t });
    zalo.failNext("sendMessage", { errorCode: 500, description: "Internal Server Error" }, 10);
    for (let i = 0; i < 6; i++) {
      await w.runOnce();
      clock.advance(60_000);
    }
    const gaveUp = (await rows(store.db)).find((r) => r.chatId === "z-2")!;
    expect(gaveUp).toMatchObject({ status: "failed", attempts: 4 });
    expect(gaveUp.lastError).toMatch(/^gave up after 4 attempts/);
    expect(zalo.calls.filter((c) => c.method === "sendMessage" && c.body.chat_id === "z-2")).toHaveLength(4);
  });

  it("403: the row is blocked, the subscriber too, after exactly one call; later rows for them are skipped", async () => {
    const subscriber = await enqueueFor(store.repositories, "telegram", "777", { notBefore: clock.t });
    tg.failNext("sendMessage", { status: 403, description: "Forbidden: bot was blocked by the user" });
    const w = worker();
    expect(await w.runOnce()).toMatchObject({ claimed: 1, blocked: 1 });
    expect((await rows(store.db))[0]).toMatchObject({ status: "blocked", lastError: "Forbidden: bot was blocked by the user" });
    expect((await store.repositories.subscribers.find("telegram", "777"))!.status).toBe("blocked");
    expect(faults("blocked")).toEqual([expect.objectContaining({ channel: "telegram", chatId: "777", notificationId: (await rows(store.db))[0]!.id })]);

    clock.advance(MINUTE);
    expect(await w.runOnce()).toMatchObject({ claimed: 0 });
    await store.repositories.outbox.enqueue([
      { key: "later:777", eventKey: "later", eventType: "test", subscriberId: subscriber.id, channel: "telegram", chatId: "777", text: "Thông báo mới", notBefore: clock.t, expiresAt: null },
    ]);
    expect(await w.runOnce()).toMatchObject({ claimed: 1, skipped: 1 });
    expect((await rows(store.db))[1]).toMatchObject({ status: "skipped", lastError: "subscriber blocked" });
    expect(tg.callsTo("sendMessage")).toHaveLength(1);
    expect(tg.sent).toEqual([]);
  });

  it("400 and other refusals: failed at once, not retried", async () => {
    await enqueueFor(store.repositories, "telegram", "55", { notBefore: clock.t });
    tg.failNext("sendMessage", { status: 400, description: "Bad Request: chat not found" });
    expect(await worker().runOnce()).toMatchObject({ failed: 1 });
    expect((await rows(store.db))[0]).toMatchObject({ status: "failed", lastError: "rejected: Bad Request: chat not found" });
    clock.advance(60 * MINUTE);
    expect(await worker().runOnce()).toMatchObject({ claimed: 0 });
    expect(tg.callsTo("sendMessage")).toHaveLength(1);
  });

  it("skips, with the reason and nothing sent: an expired row, a stopped subscriber, a channel that is not configured", async () => {
    // An anniversary greeting planned for yesterday, expiring at midnight: never sent on a later day.
    await enqueueFor(store.repositories, "telegram", "100", { notBefore: local("2025-05-18T08:00:00"), expiresAt: local("2025-05-19T00:00:00") });
    const stopped = await enqueueFor(store.repositories, "telegram", "200", { notBefore: clock.t });
    await store.repositories.subscribers.setStatus(stopped.id, "stopped");
    await enqueueFor(store.repositories, "zalo", "z-300", { notBefore: clock.t });
    // Still inside its window: sent.
    await enqueueFor(store.repositories, "telegram", "400", { notBefore: clock.t, expiresAt: local("2025-05-20T00:00:00") });

    const telegramOnly = createDeliverySenders({ telegram: { token: tg.token, apiRoot: tg.apiRoot }, logger: log.logger });
    expect(await worker({ channels: telegramOnly }).runOnce()).toMatchObject({ claimed: 4, skipped: 3, sent: 1 });
    const byChat = new Map((await rows(store.db)).map((r) => [r.chatId, r]));
    expect(byChat.get("100")).toMatchObject({ status: "skipped", lastError: "expired", sentAt: null });
    expect(byChat.get("200")).toMatchObject({ status: "skipped", lastError: "subscriber stopped" });
    expect(byChat.get("z-300")).toMatchObject({ status: "skipped", lastError: "no zalo channel configured" });
    expect(byChat.get("400")).toMatchObject({ status: "sent" });
    expect(tg.sent.map((s) => s.chatId)).toEqual(["400"]);
    expect(zalo.calls).toEqual([]);
  });

  it("quiet hours: nothing is claimed at 22:00 local; the row goes out at 07:00", async () => {
    clock.set(local("2025-05-19T22:00:00"));
    await enqueueFor(store.repositories, "telegram", "321", { notBefore: local("2025-05-19T21:30:00") });
    const w = worker();
    expect(await w.runOnce()).toMatchObject({ quiet: true, claimed: 0 });
    clock.set(local("2025-05-20T06:59:59"));
    expect(await w.runOnce()).toMatchObject({ quiet: true, claimed: 0 });
    expect((await rows(store.db))[0]).toMatchObject({ status: "pending", attempts: 0 });
    expect(tg.calls).toEqual([]);
    clock.set(local("2025-05-20T07:00:00"));
    expect(await w.runOnce()).toMatchObject({ quiet: false, sent: 1 });
    expect(tg.sent.map((s) => s.chatId)).toEqual(["321"]);
  });

  it("quiet hours in the running loop: it waits for the end of the window, then sends", async () => {
    clock.set(local("2025-05-19T22:00:00"));
    await enqueueFor(store.repositories, "telegram", "654", { notBefore: local("2025-05-19T20:00:00") });
    const w = worker({ idleMs: 1_000 });
    w.start();
    try {
      await tg.waitForSent(1, 10_000);
    } finally {
      await w.stop();
    }
    const [row] = await rows(store.db);
    expect(row!.status).toBe("sent");
    expect(row!.sentAt!.getTime()).toBeGreaterThanOrEqual(local("2025-05-20T07:00:00").getTime());
    expect(row!.sentAt!.getTime()).toBeLessThan(local("2025-05-20T07:01:00").getTime());
    expect(log.records().filter((l) => l.msg === "delivery: quiet hours; nothing is sent until they end")).toEqual([
      expect.objectContaining({ until: local("2025-05-20T07:00:00").toISOString() }),
    ]);
  });

  it("a row left 'sending' by a worker that died is taken over once its claim is stale, flagged uncertain, and delivered", async () => {
    await enqueueFor(store.repositories, "zalo", "z-dead", { notBefore: clock.t });
    const claimedByDead = await store.repositories.outbox.claim("dead-worker", clock.t, 10, new Date(clock.t.getTime() - 5 * MINUTE));
    expect(claimedByDead).toHaveLength(1);

    const w = worker({ workerId: "worker-b", staleAfterMs: 5 * MINUTE });
    clock.advance(5 * MINUTE);
    // Exactly 5 minutes old: not stale yet.
    expect(await w.runOnce()).toMatchObject({ claimed: 0 });
    clock.advance(1_000);
    expect(await w.runOnce()).toMatchObject({ claimed: 1, sent: 1 });
    expect(zalo.sent.map((s) => s.chatId)).toEqual(["z-dead"]);
    const [row] = await rows(store.db);
    expect(row).toMatchObject({ status: "sent", uncertain: true, attempts: 2, claimedBy: null });
    expect(faults("uncertain")).toEqual([expect.objectContaining({ channel: "zalo", chatId: "z-dead", notificationId: row!.id, level: 40 })]);
  });

  it("stop() lets in-flight sends finish, claims nothing more and gives the rest back: no row is left 'sending'", async () => {
    // Real time here: Zalo at 5/s, so the batch is still going when stop() comes.
    const realLimiter = createRateLimiter({ limits: { zalo: { perSecond: 5 } } });
    await enqueueMany(store.repositories, "zalo", 20, { notBefore: clock.t, firstChatId: 7000 });
    const w = worker({ limiter: realLimiter, sleep: undefined, batchSize: 20, concurrency: 4 });
    w.start();
    await zalo.waitForSent(3, 10_000);
    await w.stop();
    const after = await rows(store.db);
    expect(after.filter((r) => r.status === "sending")).toEqual([]);
    const sent = after.filter((r) => r.status === "sent");
    const pending = after.filter((r) => r.status === "pending");
    expect(sent.length).toBeGreaterThanOrEqual(3);
    expect(sent.length).toBeLessThan(20);
    expect(sent.length + pending.length).toBe(20);
    // What the database says was sent is exactly what reached the platform.
    expect(zalo.sent.map((s) => s.chatId).sort()).toEqual(sent.map((r) => r.chatId).sort());
    // Given back as if never claimed.
    for (const row of pending) expect(row).toMatchObject({ attempts: 0, claimedBy: null, claimedAt: null });

    // Another worker finishes the job; nobody gets a message twice.
    const next = worker({ workerId: "worker-c", limiter: createRateLimiter({ limits: {} }) });
    expect(await next.runOnce()).toMatchObject({ sent: pending.length });
    expect(zalo.sent).toHaveLength(20);
    expect(new Set(zalo.sent.map((s) => s.chatId)).size).toBe(20);
  });

  it("a push with choices: Telegram buttons, numbered lines on Zalo and the web chat, and the chat's session takes them unless a flow is in progress", async () => {
    const choices = (code: string) => [{ label: `Báo kết quả ${code}`, value: `/ketqua ${code}` }];
    const register = (channel: "telegram" | "zalo" | "web", chatId: string) => store.repositories.subscribers.register({ channel, chatId, locale: "vi" });
    const [tgOne, zlOne, webOne, zlBusy, tgPlain] = [await register("telegram", "8101"), await register("zalo", "z-8102"), await register("web", "web-8103"), await register("zalo", "z-8104"), await register("telegram", "8105")];
    // One INSERT whose rows differ in their choices (and one row without any); then one chunk whose rows share them.
    await store.repositories.outbox.enqueue([
      { ...notification(tgOne, { notBefore: clock.t }), choices: choices("LC25-000001") },
      { ...notification(zlOne, { notBefore: clock.t }), choices: choices("LC25-000002") },
      { ...notification(webOne, { notBefore: clock.t }), choices: choices("LC25-000003") },
      notification(tgPlain, { notBefore: clock.t }),
    ]);
    await store.repositories.outbox.enqueue([{ ...notification(zlBusy, { notBefore: clock.t }), choices: choices("LC25-000004") }]);
    const busy = { flow: "pledge", step: "name", data: {}, choices: [{ label: "Bỏ qua", value: "skip" }], expiresAt: new Date(clock.t.getTime() + 30 * MINUTE) };
    await store.repositories.sessions.save("zalo", "z-8104", busy);

    expect(await worker({ sessions: store.repositories.sessions }).runOnce()).toMatchObject({ claimed: 5, sent: 5 });
    expect(tg.sent.find((m) => m.chatId === "8101")!.inlineKeyboard).toEqual([[{ text: "Báo kết quả LC25-000001", callback_data: "/ketqua LC25-000001" }]]);
    expect(tg.sent.find((m) => m.chatId === "8105")!.inlineKeyboard).toBeUndefined();
    expect(zalo.sent.find((m) => m.chatId === "z-8102")!.text).toContain("\n\n1. Báo kết quả LC25-000002\n");
    expect(inbox.read("web-8103", 0).map((m) => m.text)[0]).toMatch(/\n1\. Báo kết quả LC25-000003$/);
    expect((await store.repositories.sessions.get("zalo", "z-8102"))!.choices).toEqual(choices("LC25-000002"));
    expect((await store.repositories.sessions.get("web", "web-8103"))!.choices).toEqual(choices("LC25-000003"));
    expect((await store.repositories.sessions.get("telegram", "8105"))).toBeNull();
    expect(await store.repositories.sessions.get("zalo", "z-8104")).toEqual(busy);
    expect((await rows(store.db)).map((r) => r.choices === null)).toEqual([false, false, false, true, false]);
  });

  it("a push with choices on Zalo ends with the hint in the recipient's language, read at send time", async () => {
    const choices = [{ label: "Report results", value: "/ketqua LC25-000009" }];
    const english = await store.repositories.subscribers.register({ channel: "zalo", chatId: "z-8201", locale: "vi" });
    const vietnamese = await store.repositories.subscribers.register({ channel: "zalo", chatId: "z-8202", locale: "vi" });
    await store.repositories.outbox.enqueue([
      { ...notification(english, { notBefore: clock.t }), choices },
      { ...notification(vietnamese, { notBefore: clock.t }), choices },
    ]);
    // Switched to English after the row was written: the hint follows the person, not the row.
    await store.repositories.subscribers.setLocale(english.id, "en");
    for (const lookup of [true, false]) {
      zalo.sent.length = 0;
      if (!lookup) {
        await store.repositories.outbox.enqueue([
          { ...notification(english, { notBefore: clock.t }), choices },
          { ...notification(vietnamese, { notBefore: clock.t }), choices },
        ]);
      }
      const run = worker(lookup ? { lookupSubscribers: (ids) => (store.repositories.outbox as PrismaOutboxRepository).subscriberStates(ids) } : {});
      expect(await run.runOnce()).toMatchObject({ sent: 2 });
      expect(zalo.sent.find((m) => m.chatId === "z-8201")!.text).toMatch(/\nReply with a number to choose\.$/);
      expect(zalo.sent.find((m) => m.chatId === "z-8202")!.text).toMatch(/\nTrả lời bằng số thứ tự để chọn\.$/);
    }
  });

  it("web chat subscribers: the push lands in their inbox", async () => {
    await enqueueFor(store.repositories, "web", "web-abcdef012345", { notBefore: clock.t, text: "Thông báo cho trang web" });
    expect(await worker().runOnce()).toMatchObject({ sent: 1 });
    expect(inbox.read("web-abcdef012345", 0).map((m) => m.text)).toEqual(["Thông báo cho trang web"]);
  });
});
