// The Zalo channel with the REAL conversation core on a throwaway database (TEST_DATABASE: SQLite or PostgreSQL)
// and the Lai Châu 2025 plan, talking real HTTP to the fake Zalo Bot API (polling) and served by the real HTTP
// server (webhook).
import { readFileSync } from "node:fs";
import path from "node:path";
import { pino } from "pino";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createBot } from "../../src/app/bot.js";
import { createInbound } from "../../src/app/inbound.js";
import type { Conversation } from "../../src/app/conversation.js";
import type { Channel, InboundHandler } from "../../src/channels/channel.js";
import { createZaloChannel, type ZaloChannelOptions } from "../../src/channels/zalo/zalo-channel.js";
import { createRepositories, migrate, openDatabase, type OpenDatabase, type Repositories } from "../../src/db/index.js";
import { SendError } from "../../src/delivery/send-error.js";
import { parseCampaign } from "../../src/domain/campaign-parse.js";
import { startHttpServer, type RunningServer } from "../../src/http/server.js";
import { createMetrics } from "../../src/metrics.js";
import { captureLogger, type CapturedLogger } from "../support/capture-logger.js";
import { startFakeZalo, textUpdate, type FakeZalo } from "../support/fake-zalo.js";
import { defaultTestDatabase } from "../support/test-database.js";
import type { TestDatabase } from "../db/helpers.js";

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..", "..");
const THEME_1 = "Mừng Đảng quang vinh - Mừng Sinh nhật Bác";
const NOT_UNDERSTOOD = "Tôi chưa hiểu tin nhắn này.";
const SECRET = "zalo-webhook-secret-0123456789";

let database: TestDatabase;
let db: OpenDatabase;
let repositories: Repositories;
let bot: Conversation;

beforeAll(async () => {
  database = await defaultTestDatabase();
  const url = database.url;
  await migrate(url);
  db = openDatabase(url);
  repositories = createRepositories(db);
  const file = "lai-chau-2025.yaml";
  const parsed = parseCampaign(file, readFileSync(path.join(ROOT, "prisma", "campaigns", file), "utf8"));
  if (!parsed.ok) throw new Error(parsed.errors.join("\n"));
  await repositories.campaigns.upsert(parsed.campaign, file);
  bot = createBot({ ...repositories, timezone: "Asia/Ho_Chi_Minh", now: () => new Date("2025-05-19T01:00:00Z"), logger: pino({ level: "silent" }) });
});
afterAll(async () => {
  await db?.close();
  await database?.drop();
});


let zalo: FakeZalo;
let channel: Channel | undefined;
let server: RunningServer | undefined;
let log: CapturedLogger;

afterEach(async () => {
  await channel?.stop();
  await server?.close();
  await zalo?.close();
  channel = undefined;
  server = undefined;
  // Whatever happened, no log line carries the token.
  for (const line of log?.lines ?? []) expect(line).not.toContain(zalo.token.split(":")[1]!);
});

const inbound: InboundHandler = (message, reply) => bot.handle(message, reply);

async function setup(overrides: Partial<ZaloChannelOptions> = {}): Promise<Channel> {
  zalo = await startFakeZalo();
  log = captureLogger();
  channel = createZaloChannel({
    token: zalo.token,
    apiRoot: zalo.apiRoot,
    mode: "polling",
    inbound,
    logger: log.logger,
    pollTimeoutSeconds: 5,
    retry: { sleep: async () => {} },
    ...overrides,
  });
  return channel;
}

let chatCounter = 0;
const newChat = () => `zc${Date.now().toString(36)}${(chatCounter++).toString(36)}`;

describe("polling", () => {
  it("removes an old webhook, then a pushed /chude reaches the core and the answer comes back", async () => {
    const ch = await setup();
    zalo.failNext("deleteWebhook", { errorCode: 500, description: "Internal error" }); // tolerated: polling starts anyway
    await ch.start();
    await zalo.waitForCalls("getUpdates", 1);
    expect(zalo.calls.map((c) => c.method).slice(0, 2)).toEqual(["deleteWebhook", "getUpdates"]);
    expect(log.records().some((r) => r.msg.includes("deleteWebhook failed"))).toBe(true);

    const chatId = newChat();
    zalo.pushUpdate(textUpdate({ chatId, text: "/chude" }));
    const [answer] = await zalo.waitForSent(1);
    expect(answer!.chatId).toBe(chatId);
    expect(answer!.text).toContain("Đợt 1");
    expect(answer!.text).toContain(`“${THEME_1}”`);
  });

  it("a webhook left behind is deleted so getUpdates works", async () => {
    const ch = await setup();
    await fetch(`${zalo.apiRoot}/bot${zalo.token}/setWebhook`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ url: "https://old.example.vn/hook", secret_token: "old-secret-123" }),
    });
    expect(zalo.webhook).not.toBeNull();
    await ch.start();
    expect(zalo.webhook).toBeNull();
    const chatId = newChat();
    zalo.pushUpdate(textUpdate({ chatId, text: "/dot" }));
    expect((await zalo.waitForSent(1))[0]!.text).toContain("Đợt 2");
  });

  it("an image where none is asked is explained, a sticker gets the 'not understood' help; group chats and bots are ignored", async () => {
    const ch = await setup();
    await ch.start();
    const group = newChat();
    const robot = newChat();
    const person = newChat();
    zalo.pushUpdate(textUpdate({ chatId: group, chatType: "GROUP", text: "/start" }));
    const fromBot = textUpdate({ chatId: robot, text: "/start" }) as { message: { from: { is_bot: boolean } } };
    fromBot.message.from.is_bot = true;
    zalo.pushUpdate(fromBot);
    const image = textUpdate({ chatId: person, event_name: "message.image.received", text: null }) as { message: Record<string, unknown> };
    image.message.photo_url = "https://example.vn/a.jpg";
    zalo.pushUpdate(image);
    zalo.pushUpdate(textUpdate({ chatId: person, event_name: "message.sticker.received", text: null }));

    const sent = await zalo.waitForSent(2);
    expect(sent.map((s) => s.chatId)).toEqual([person, person]);
    expect(sent[0]!.text).toContain("lúc này tôi không cần ảnh");
    expect(sent[1]!.text).toContain(NOT_UNDERSTOOD);
    expect(await repositories.subscribers.find("zalo", group)).toBeNull();
    expect(await repositories.subscribers.find("zalo", robot)).toBeNull();
  });

  it("keeps polling through 5xx and network faults with capped exponential backoff, reset after a success, logged once per streak", async () => {
    const waits: number[] = [];
    const ch = await setup({ pollBackoff: { baseMs: 10, maxMs: 40, sleep: async (ms) => void waits.push(ms) } });
    zalo.failNext("getUpdates", { errorCode: 500, description: "Internal Server Error" }, 3);
    zalo.dropNext("getUpdates");
    await ch.start();
    await zalo.waitForCalls("getUpdates", 5);
    expect(waits).toEqual([10, 20, 40, 40]);

    const chatId = newChat();
    zalo.failNext("getUpdates", { status: 502, errorCode: 502, description: "Bad Gateway" }, 2);
    zalo.pushUpdate(textUpdate({ chatId, text: "/chude" })); // to the long poll that is waiting now
    expect((await zalo.waitForSent(1))[0]!.text).toContain(THEME_1);
    await zalo.waitForCalls("getUpdates", 8);
    expect(waits).toEqual([10, 20, 40, 40, 10, 20]);

    zalo.pushUpdate(textUpdate({ chatId, text: "/ngayle" }));
    expect((await zalo.waitForSent(2))[1]!.text).toContain("Kỷ niệm");
    const warnings = log.records().filter((r) => r.msg.includes("getUpdates failed"));
    expect(warnings).toHaveLength(2);
    expect(log.records().filter((r) => r.msg.includes("works again"))).toHaveLength(2);
  });

  it("stop() aborts the waiting long poll at once and polls no more", async () => {
    const ch = await setup({ pollTimeoutSeconds: 30 });
    await ch.start();
    await zalo.waitForCalls("getUpdates", 1);
    const started = Date.now();
    await ch.stop();
    expect(Date.now() - started).toBeLessThan(1_000);
    const polls = zalo.calls.filter((c) => c.method === "getUpdates").length;
    await new Promise((r) => setTimeout(r, 100));
    expect(zalo.calls.filter((c) => c.method === "getUpdates")).toHaveLength(polls);
  });

  it("stop() cuts a backoff wait short", async () => {
    const ch = await setup({ pollBackoff: { baseMs: 20_000 } });
    zalo.failNext("getUpdates", { errorCode: 500, description: "Internal Server Error" });
    await ch.start();
    await zalo.waitForCalls("getUpdates", 1);
    await new Promise((r) => setTimeout(r, 50));
    const started = Date.now();
    await ch.stop();
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it("stop() waits for the update being handled", async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let entered!: () => void;
    const inside = new Promise<void>((resolve) => (entered = resolve));
    const ch = await setup({
      inbound: async (message, reply) => {
        entered();
        await gate;
        await bot.handle(message, reply);
      },
    });
    await ch.start();
    const chatId = newChat();
    zalo.pushUpdate(textUpdate({ chatId, text: "/chude" }));
    await inside;
    let stopped = false;
    const stopping = ch.stop().then(() => (stopped = true));
    await new Promise((r) => setTimeout(r, 100));
    expect(stopped).toBe(false);
    release();
    await stopping;
    expect(zalo.sent.map((s) => s.chatId)).toEqual([chatId]);
  });
});

describe("webhook", () => {
  const publicUrl = "https://congdoan.example.vn/";

  async function webhookSetup(): Promise<string> {
    const ch = await setup({ mode: "webhook", publicUrl, webhookSecret: SECRET });
    await ch.start();
    server = await startHttpServer({ port: 0, host: "127.0.0.1", routes: ch.routes(), logger: pino({ level: "silent" }) });
    return `http://127.0.0.1:${server.port}/webhooks/zalo`;
  }

  function post(url: string, body: string, headers: Record<string, string> = {}) {
    return fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body });
  }

  it("start() registers `${PUBLIC_URL}/webhooks/zalo` with the secret; polling mode has no routes", async () => {
    await webhookSetup();
    expect(zalo.webhook).toEqual({ url: "https://congdoan.example.vn/webhooks/zalo", secret: SECRET });
    expect(zalo.calls.map((c) => c.method)).toEqual(["setWebhook"]);
    const polling = createZaloChannel({ token: "t", apiRoot: zalo.apiRoot, mode: "polling", inbound, logger: log.logger });
    expect(polling.routes()).toEqual([]);
    expect(() => createZaloChannel({ token: "t", apiRoot: zalo.apiRoot, mode: "webhook", publicUrl, webhookSecret: "short", inbound, logger: log.logger })).toThrow(
      /webhookSecret/,
    );
  });

  it("with the right secret, the wrapped update the platform sends is handled before the 200", async () => {
    const url = await webhookSetup();
    const chatId = newChat();
    const res = await post(url, JSON.stringify({ ok: true, result: textUpdate({ chatId, text: "/start", displayName: "Lò Thị Hoa" }) }), {
      "x-bot-api-secret-token": SECRET,
    });
    expect(res.status).toBe(200);
    expect(zalo.sent.length).toBeGreaterThanOrEqual(2); // welcome + help, sent before the answer
    expect(zalo.sent[0]).toMatchObject({ chatId, text: expect.stringContaining("Lò Thị Hoa") });
    expect(await repositories.subscribers.find("zalo", chatId)).toMatchObject({ displayName: "Lò Thị Hoa", status: "active" });
  });

  it("a bare update is accepted too", async () => {
    const url = await webhookSetup();
    const chatId = newChat();
    const res = await post(url, JSON.stringify(textUpdate({ chatId, text: "/chude" })), { "X-Bot-Api-Secret-Token": SECRET });
    expect(res.status).toBe(200);
    expect(zalo.sent).toEqual([expect.objectContaining({ chatId, text: expect.stringContaining(THEME_1) })]);
  });

  it("a wrong, short, long or missing secret gets 401 and changes nothing", async () => {
    const url = await webhookSetup();
    const chatId = newChat();
    const body = JSON.stringify({ ok: true, result: textUpdate({ chatId, text: "/start" }) });
    const wrongSameLength = SECRET.slice(0, -1) + (SECRET.endsWith("9") ? "8" : "9");
    const attempts: Record<string, string>[] = [{}, { "x-bot-api-secret-token": wrongSameLength }, { "x-bot-api-secret-token": "zalo" }, { "x-bot-api-secret-token": `${SECRET}x` }];
    for (const headers of attempts) {
      expect((await post(url, body, headers)).status).toBe(401);
    }
    expect(await repositories.subscribers.find("zalo", chatId)).toBeNull();
    expect(zalo.sent).toEqual([]);
  });

  it("not JSON → 400, over 1 MB → 413, not an update → 400; nothing is sent", async () => {
    const url = await webhookSetup();
    const auth = { "x-bot-api-secret-token": SECRET };
    expect((await post(url, "{not json", auth)).status).toBe(400);
    const huge = JSON.stringify({ ok: true, result: textUpdate({ text: "a".repeat(1_000_001) }) });
    expect((await post(url, huge, auth)).status).toBe(413);
    expect((await post(url, JSON.stringify({ hello: "world" }), auth)).status).toBe(400);
    expect((await post(url, JSON.stringify({ ok: true, result: { event_name: "message.text.received", message: { text: "/start" } } }), auth)).status).toBe(400);
    expect(zalo.sent).toEqual([]);
  });

  it("group chats are acknowledged and ignored", async () => {
    const url = await webhookSetup();
    const chatId = newChat();
    const res = await post(url, JSON.stringify({ ok: true, result: textUpdate({ chatId, chatType: "GROUP", text: "/start" }) }), {
      "x-bot-api-secret-token": SECRET,
    });
    expect(res.status).toBe(200);
    expect(zalo.sent).toEqual([]);
    expect(await repositories.subscribers.find("zalo", chatId)).toBeNull();
  });
});

describe("never lose an update: event_name missing or unknown, or nothing readable", () => {
  /** The getUpdates sample of the Zalo Bot docs: one update, the sender's `first_name`, no `event_name`. */
  const documentedSample = (chatId: string, text: string) => ({
    message: {
      from: { id: chatId, is_bot: false, first_name: "Ted" },
      chat: { id: chatId, chat_type: "PRIVATE" },
      text,
      message_id: `m${Date.now().toString(36)}${chatCounter++}`,
      date: 1750316131602,
    },
  });
  const UNREADABLE_VI = "Xin lỗi, tôi không đọc được tin nhắn vừa rồi.";
  const UNREADABLE_EN = "Sorry, I could not read that message.";

  function withMetrics() {
    const metrics = createMetrics({ channels: ["zalo"], processMetrics: false });
    const unreadable = async () => {
      const line = (await metrics.render()).split("\n").find((l) => l.startsWith('congdoan_updates_unreadable_total{channel="zalo"}'));
      return Number(line?.split(" ").at(-1));
    };
    return { metrics, unreadable };
  }

  it("polling: the documented getUpdates sample is answered, and an unknown event carrying text is handled as text", async () => {
    const ch = await setup();
    await ch.start();
    const chatId = newChat();
    zalo.pushUpdate(documentedSample(chatId, "/chude"));
    const [answer] = await zalo.waitForSent(1);
    expect(answer).toMatchObject({ chatId, text: expect.stringContaining(THEME_1) });
    expect(await repositories.subscribers.find("zalo", chatId)).toBeNull(); // /chude needs no subscription
    zalo.pushUpdate(textUpdate({ chatId, event_name: "message.text.v2.received", text: "/dot" }));
    expect((await zalo.waitForSent(2))[1]).toMatchObject({ chatId, text: expect.stringContaining("Đợt 2") });
  });

  it("polling: an update with nothing readable is logged at warn with its keys only, counted, and polling goes on; a known sender is told politely in their language", async () => {
    const { metrics, unreadable } = withMetrics();
    const ch = await setup({ onUnreadable: metrics.updateUnreadable });
    await ch.start();
    expect(await unreadable()).toBe(0);
    zalo.pushUpdate({ event_name: "user.follow", follower: { display_name: "Lò Thị Hoa", phone: "0912345678" }, note: "bí mật" });
    const chatId = newChat();
    await repositories.subscribers.register({ channel: "zalo", chatId, locale: "en" });
    zalo.pushUpdate({ event_name: "user.reaction", sender: { id: chatId, display_name: "Lò Thị Hoa" } });
    zalo.pushUpdate(textUpdate({ chatId, text: "/dot" }));
    const sent = await zalo.waitForSent(2);
    expect(sent[0]).toMatchObject({ chatId, text: expect.stringContaining(UNREADABLE_EN) });
    expect(sent[1]).toMatchObject({ chatId, text: expect.stringContaining("Phase 2") });
    expect(await unreadable()).toBe(2);
    const warnings = log.records().filter((r) => r.msg === "zalo update not understood");
    expect(warnings.map((w) => [w.level, w.shape, w.chatKnown])).toEqual([
      [40, ["event_name", "follower.display_name", "follower.phone", "note"], false],
      [40, ["event_name", "sender.id", "sender.display_name"], true],
    ]);
    for (const line of log.lines) for (const secret of ["Lò Thị Hoa", "0912345678", "bí mật", chatId]) expect(line).not.toContain(secret);
  });

  it("webhook: the documented sample (bare and wrapped) is answered; nothing readable and no chat → 400, logged and counted; a known chat is told", async () => {
    const { metrics, unreadable } = withMetrics();
    // With the real inbound handler (claims of update keys), as in the bot.
    const deduplicating = createInbound({ conversation: bot, processedUpdates: repositories.processedUpdates, subscribers: repositories.subscribers, now: () => new Date(), logger: pino({ level: "silent" }) });
    const ch = await setup({ mode: "webhook", publicUrl: "https://congdoan.example.vn/", webhookSecret: SECRET, onUnreadable: metrics.updateUnreadable, inbound: deduplicating });
    await ch.start();
    server = await startHttpServer({ port: 0, host: "127.0.0.1", routes: ch.routes(), logger: pino({ level: "silent" }) });
    const url = `http://127.0.0.1:${server.port}/webhooks/zalo`;
    const post = (body: unknown) => fetch(url, { method: "POST", headers: { "content-type": "application/json", "x-bot-api-secret-token": SECRET }, body: JSON.stringify(body) });

    const chatId = newChat();
    expect((await post(documentedSample(chatId, "/chude"))).status).toBe(200);
    expect((await post({ ok: true, result: documentedSample(chatId, "/dot") })).status).toBe(200);
    expect(zalo.sent.map((s) => s.chatId)).toEqual([chatId, chatId]);
    expect(zalo.sent[0]!.text).toContain(THEME_1);
    expect(zalo.sent[1]!.text).toContain("Đợt 2");

    expect((await post({ ok: true, result: { event_name: "oa.follow", data: { name: "Lò Thị Hoa" } } })).status).toBe(400);
    expect(await unreadable()).toBe(1);
    expect(zalo.sent).toHaveLength(2);
    const stranger = newChat();
    expect((await post({ event_name: "user.reaction", sender: { id: stranger } })).status).toBe(200);
    expect(zalo.sent[2]).toMatchObject({ chatId: stranger, text: expect.stringContaining(UNREADABLE_VI) });
    expect(await unreadable()).toBe(2);
    // The platform delivering the same update again: seen (counted) but not answered twice.
    expect((await post({ event_name: "user.reaction", sender: { id: stranger } })).status).toBe(200);
    expect(zalo.sent).toHaveLength(3);
    // Being told creates no subscriber.
    expect(await repositories.subscribers.find("zalo", stranger)).toBeNull();
  });
});

describe("sending", () => {
  it("/ngonngu comes as numbered text with the hint (Zalo has no buttons), and a typed “2” picks English", async () => {
    const ch = await setup();
    await ch.start();
    const chatId = newChat();
    zalo.pushUpdate(textUpdate({ chatId, text: "/ngonngu" }));
    expect((await zalo.waitForSent(1))[0]!.text).toBe("Chọn ngôn ngữ:\n\n1. Tiếng Việt\n2. English\nTrả lời bằng số thứ tự để chọn.");
    zalo.pushUpdate(textUpdate({ chatId, text: "2" }));
    expect((await zalo.waitForSent(2))[1]!.text).toBe("Language set to English.");
    expect(await repositories.subscribers.find("zalo", chatId)).toMatchObject({ locale: "en" });
    zalo.pushUpdate(textUpdate({ chatId, text: "/lang" }));
    expect((await zalo.waitForSent(3))[2]!.text).toBe("Choose a language:\n\n1. Tiếng Việt\n2. English\nReply with a number to choose.");
  });

  it("long text is split at paragraph and line boundaries, under the limit, the choices in the last piece", async () => {
    const ch = await setup();
    const paragraphs = Array.from({ length: 12 }, (_, i) => `Đoạn ${i + 1}: ` + "Thi đua lao động giỏi, lao động sáng tạo 🎉. ".repeat(8).trim());
    const text = paragraphs.join("\n\n");
    expect(text.length).toBeGreaterThan(4000);
    const chatId = newChat();
    await ch.send(chatId, { text, choices: [{ label: "Có", value: "yes" }, { label: "Không", value: "no" }], locale: "vi" });
    const texts = zalo.sent.map((s) => s.text!);
    expect(texts.length).toBe(3);
    for (const t of texts) {
      expect(t.length).toBeLessThanOrEqual(2000);
      expect(t).toMatch(/^Đoạn \d+:/); // every piece starts at a paragraph
    }
    expect(texts.slice(0, -1).some((t) => t.includes("1. Có"))).toBe(false);
    const list = "1. Có\n2. Không\nTrả lời bằng số thứ tự để chọn.";
    expect(texts.at(-1)!.endsWith(`\n\n${list}`)).toBe(true);
    expect(texts.join("\n\n")).toBe(`${text}\n\n${list}`);
  });

  it("a file cannot travel on Zalo: the text is sent and the drop is logged", async () => {
    const ch = await setup();
    const chatId = newChat();
    await ch.send(chatId, { text: "Báo cáo kết quả", document: { fileName: "bao-cao.csv", mimeType: "text/csv", content: new Uint8Array([65]) } });
    expect(zalo.sent).toEqual([{ method: "sendMessage", chatId, text: "Báo cáo kết quả" }]);
    expect(log.records().filter((r) => r.msg.includes("cannot send files"))).toHaveLength(1);
  });

  it("a 429 waits the platform's retry_after, then succeeds; the fault is logged once", async () => {
    const waits: number[] = [];
    const ch = await setup({ retry: { sleep: async (ms) => void waits.push(ms) } });
    zalo.failNext("sendMessage", { errorCode: 429, description: "Too Many Requests", retryAfter: 3 });
    const chatId = newChat();
    await ch.send(chatId, { text: "Xin chào" });
    expect(waits).toEqual([3000]);
    expect(zalo.calls.filter((c) => c.method === "sendMessage")).toHaveLength(2);
    expect(zalo.sent).toEqual([{ method: "sendMessage", chatId, text: "Xin chào" }]);
    const faults = log.records().filter((r) => r.msg === "zalo send fault");
    expect(faults).toHaveLength(1);
    expect(faults[0]).toMatchObject({ channel: "zalo", chatId, kind: "rate-limited", level: 40 });
  });

  it("5xx are retried with backoff", async () => {
    const waits: number[] = [];
    const ch = await setup({ retry: { sleep: async (ms) => void waits.push(ms) } });
    zalo.failNext("sendMessage", { errorCode: 503, description: "Service Unavailable" }, 2);
    const chatId = newChat();
    await ch.send(chatId, { text: "Xin chào" });
    expect(waits).toEqual([500, 1000]);
    expect(zalo.calls.filter((c) => c.method === "sendMessage")).toHaveLength(3);
    expect(zalo.sent).toHaveLength(1);
  });

  it("403 → SendError 'blocked' after exactly one call, logged once", async () => {
    const waits: number[] = [];
    const ch = await setup({ retry: { sleep: async (ms) => void waits.push(ms) } });
    zalo.failNext("sendMessage", { errorCode: 403, description: "Forbidden: the user blocked the bot" });
    const chatId = newChat();
    const error = await ch.send(chatId, { text: "Xin chào" }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(SendError);
    expect((error as SendError).failure.kind).toBe("blocked");
    expect(zalo.calls.filter((c) => c.method === "sendMessage")).toHaveLength(1);
    expect(waits).toEqual([]);
    expect(log.records().filter((r) => r.msg === "zalo send fault")).toEqual([expect.objectContaining({ channel: "zalo", chatId, kind: "blocked" })]);
  });
});
