// Pushes to the local web chat: the bounded inbox, and the whole path over real HTTP — a person starts in the web
// chat (POST /api/chat), a notification for them is queued and sent by the worker, and GET /api/chat/inbox has it.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { pino } from "pino";
import { createBot } from "../../src/app/bot.js";
import { createWebPushChannel, INBOX_PATH, WebInbox } from "../../src/channels/web/web-push.js";
import { createOutboxWorker } from "../../src/delivery/outbox-worker.js";
import { createRateLimiter } from "../../src/delivery/rate-limiter.js";
import { DEFAULT_QUIET_HOURS } from "../../src/domain/quiet-hours.js";
import { startHttpServer, type RunningServer } from "../../src/http/server.js";
import { hashSessionToken } from "../../src/http/sessions/token.js";
import { PROVIDERS } from "../db/helpers.js";
import { cookiePair, openWebChat, type WebChatClient } from "../support/web-chat-client.js";
import { forgetClosedChats } from "../../src/channels/web/web-channel.js";
import { testWebChat, type TestWebChat } from "../support/web-chat-server.js";
import { deliveryDb, local, notification, TestClock, VN, type DeliveryDb } from "./support.js";

const silent = pino({ level: "silent" });
const HOUR = 3_600_000;

describe("web inbox", () => {
  it("returns what came after a sequence number, oldest first", () => {
    let t = 1_000;
    const inbox = new WebInbox({ now: () => t });
    const a = inbox.push("chat-aaaa-1", "một");
    t += 5;
    const b = inbox.push("chat-aaaa-1", "hai");
    inbox.push("chat-bbbb-2", "khác");
    expect(b).toBeGreaterThan(a);
    expect(inbox.read("chat-aaaa-1", 0).map((m) => m.text)).toEqual(["một", "hai"]);
    expect(inbox.read("chat-aaaa-1", a).map((m) => m.text)).toEqual(["hai"]);
    expect(inbox.read("chat-aaaa-1", b)).toEqual([]);
    expect(inbox.read("chat-unknown", 0)).toEqual([]);
  });

  it("keeps the last 50 messages of a chat", () => {
    const inbox = new WebInbox({ now: () => 1_000 });
    for (let i = 1; i <= 60; i++) inbox.push("chat-many-01", `tin ${i}`);
    const kept = inbox.read("chat-many-01", 0);
    expect(kept).toHaveLength(50);
    expect(kept[0]!.text).toBe("tin 11");
    expect(kept.at(-1)!.text).toBe("tin 60");
  });

  it("forgets a chat after an hour without a push or a read, and the least recently used beyond the chat limit", () => {
    let t = 0;
    const inbox = new WebInbox({ now: () => t, maxChats: 3, idleMs: HOUR });
    inbox.push("chat-old-001", "a");
    t = 30 * 60_000;
    inbox.push("chat-kept-02", "b");
    t = HOUR - 1;
    expect(inbox.read("chat-old-001", 0)).toHaveLength(1); // a read counts as activity
    t = 2 * HOUR - 2;
    expect(inbox.read("chat-old-001", 0)).toHaveLength(1);
    expect(inbox.read("chat-kept-02", 0)).toEqual([]); // idle since 00:30
    expect(inbox.size).toBe(1);

    for (const chat of ["chat-lru-0001", "chat-lru-0002", "chat-lru-0003"]) inbox.push(chat, "x");
    expect(inbox.size).toBe(3);
    expect(inbox.read("chat-old-001", 0)).toEqual([]); // the least recently used went first
  });

  it("numbers messages from the clock, so a restarted server never reuses a number the page has seen", () => {
    let t = 10_000;
    const before = new WebInbox({ now: () => t });
    let last = 0;
    for (let i = 0; i < 999; i++) last = before.push(`chat-rest-${String(i).padStart(4, "0")}`, `tin ${i}`); // 999 in one millisecond
    t = 10_001;
    const after = new WebInbox({ now: () => t });
    expect(after.push("chat-rest-01", "sau")).toBeGreaterThan(last);
  });

  it("the push channel puts a notification's text (and any choices, numbered) in the inbox", async () => {
    const inbox = new WebInbox();
    const channel = createWebPushChannel(inbox);
    expect(channel.name).toBe("web");
    await channel.send("chat-push-01", { text: "Chọn đợt", choices: [{ label: "Đợt 1", value: "1" }, { label: "Đợt 2", value: "2" }] });
    expect(inbox.read("chat-push-01", 0).map((m) => [m.from, m.text])).toEqual([["bot", "Chọn đợt\n1. Đợt 1\n2. Đợt 2"]]);
  });
});

for (const { provider, label, skip } of PROVIDERS) describe.skipIf(skip)(`web chat push over HTTP (${label})`, () => {
  let store: DeliveryDb;
  let server: RunningServer;
  let inbox: WebInbox;
  let clock: TestClock;
  let base: string;
  let web: TestWebChat;

  beforeEach(async () => {
    store = await deliveryDb(provider);
    clock = new TestClock(local("2025-05-19T09:00:00"));
    inbox = new WebInbox();
    const conversation = createBot({ ...store.repositories, timezone: VN, now: clock.now, logger: silent });
    web = testWebChat(conversation, store.repositories, { inbox });
    server = await startHttpServer({ port: 0, host: "127.0.0.1", routes: web.routes, logger: silent });
    base = `http://127.0.0.1:${server.port}`;
  });
  afterEach(async () => {
    await server.close();
    await store.close();
  });

  /** The chat id the server gave this browser's session (tests look it up to queue a notification). */
  const chatIdOf = async (client: WebChatClient) => (await store.db.prisma.webSession.findUniqueOrThrow({ where: { tokenHash: hashSessionToken(client.cookie.split("=")[1]!) } })).subject;

  it("a notification for a web chat subscriber shows up at GET /api/chat/inbox, once, after the exchange", async () => {
    const browser = await openWebChat(base);
    const replies = await browser.say("/start");
    expect(replies.length).toBeGreaterThan(0);
    const chatId = await chatIdOf(browser);
    const subscriber = await store.repositories.subscribers.find("web", chatId);
    expect(subscriber).toMatchObject({ status: "active" });
    await store.repositories.outbox.enqueue([notification(subscriber!, { notBefore: clock.t, text: "Hôm nay: Kỷ niệm 135 năm Ngày sinh Chủ tịch Hồ Chí Minh" })]);
    const exchange = await browser.log(0);
    // The exchange is the log: what was typed, then each reply, with the numbers the POST answered.
    expect(exchange.map((m) => [m.from, m.text])).toEqual([["user", "/start"], ...replies.map((r) => ["bot", r.text])]);
    expect(exchange.slice(1).map((m) => m.seq)).toEqual(replies.map((r) => r.seq));
    const after = exchange.at(-1)!.seq;

    const worker = createOutboxWorker({
      outbox: store.repositories.outbox,
      subscribers: store.repositories.subscribers,
      channels: new Map([["web", createWebPushChannel(inbox)]]),
      limiter: createRateLimiter({ limits: { web: {} } }),
      quietHours: DEFAULT_QUIET_HOURS,
      timezone: VN,
      now: clock.now,
      workerId: "web-worker",
      concurrency: 2,
      batchSize: 10,
      staleAfterMs: 600_000,
      logger: silent,
    });
    expect(await worker.runOnce()).toMatchObject({ sent: 1 });

    const messages = await browser.log(after);
    expect(messages).toEqual([{ seq: expect.any(Number), from: "bot", text: "Hôm nay: Kỷ niệm 135 năm Ngày sinh Chủ tịch Hồ Chí Minh", at: expect.any(String) }]);
    expect(await browser.log(messages[0]!.seq)).toEqual([]);
    // Another browser sees nothing of it.
    expect(await (await openWebChat(base)).log(0)).toEqual([]);
    // The conversation still answers as before.
    expect((await browser.say("/chude")).length).toBeGreaterThan(0);
  });

  it("/xoadulieu drops the chat's log from memory and gives the tab a fresh, empty chat where /start works", async () => {
    const browser = await openWebChat(base);
    await browser.say("/start");
    const chatId = await chatIdOf(browser);
    await browser.say("/xoadulieu");
    expect(inbox.read(chatId, 0).length).toBeGreaterThan(2);
    const erased = await browser.post({ text: "1" });
    expect(erased.status).toBe(200);
    expect(inbox.read(chatId, 0)).toEqual([]);
    expect(await store.db.prisma.webSession.count({ where: { subject: chatId } })).toBe(0);
    // The same tab goes on with the cookie the answer set: a new chat, its log holding only what follows.
    const cookie = cookiePair(erased);
    const again = await fetch(`${base}/api/chat`, { method: "POST", headers: { "content-type": "application/json", cookie }, body: JSON.stringify({ text: "/start" }) });
    expect(again.status).toBe(200);
    const log = (await (await fetch(`${base}/api/chat/inbox?after=0`, { headers: { cookie } })).json()) as { messages: { from: string; text: string }[] };
    expect(log.messages[0]).toMatchObject({ from: "user", text: "/start" });
    expect(log.messages.map((m) => m.text).join("\n")).not.toContain("Bạn muốn xoá dữ liệu");
  });

  it("a web chat person erased from another process (the admin CLI): the retention run drops their log; an open chat keeps its own", async () => {
    const erased = await openWebChat(base);
    const kept = await openWebChat(base);
    await erased.say("/start");
    await kept.say("/start");
    const erasedId = await chatIdOf(erased);
    const keptId = await chatIdOf(kept);
    // What `npm run admin -- subscriber erase web:<chat id>` does, in its own process: the rows only.
    await store.repositories.erasure.eraseChat("web", erasedId);
    expect(inbox.read(erasedId, 0).length).toBeGreaterThan(1);
    expect(await forgetClosedChats(inbox, web.sessions)).toBe(1);
    expect(inbox.read(erasedId, 0)).toEqual([]);
    expect(inbox.chatIds()).toEqual([keptId]);
    expect((await kept.log(0)).length).toBeGreaterThan(1);
    expect((await erased.get("/api/chat/inbox?after=0")).status).toBe(401);
  });

  it("refuses the log without a session (401) and a malformed sequence number (400); a chatId in the query changes nothing", async () => {
    const browser = await openWebChat(base);
    await browser.say("/start");
    const chatId = await chatIdOf(browser);
    const bare = await fetch(`${base}${INBOX_PATH}?chatId=${chatId}&after=0`);
    expect(bare.status).toBe(401);
    expect(await bare.text()).not.toContain("/start");
    for (const query of ["after=-1", "after=abc", "after=" + "9".repeat(17)]) {
      const res = await browser.get(`${INBOX_PATH}?${query}`);
      expect(res.status, query).toBe(400);
    }
    const other = await openWebChat(base);
    expect(await (await other.get(`${INBOX_PATH}?chatId=${chatId}&after=0`)).json()).toEqual({ messages: [] });
  });
});
