// The Telegram channel end to end inside one process: real telegraf, real HTTP to a fake Bot API server, and the
// REAL conversation core on a throwaway database (TEST_DATABASE: SQLite or PostgreSQL) with the Lai Châu 2025
// plan, at 2025-05-19 (Đợt 1).
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createBot } from "../../src/app/bot.js";
import { COMMANDS } from "../../src/app/commands.js";
import { catalogKeys, t } from "../../src/app/i18n.js";
import type { IncomingMessage, Reply } from "../../src/app/ports.js";
import type { Channel, InboundHandler } from "../../src/channels/channel.js";
import { createTelegramChannel } from "../../src/channels/telegram/index.js";
import { createRepositories, migrate, openDatabase, type OpenDatabase, type Repositories } from "../../src/db/index.js";
import { SendError } from "../../src/delivery/send-error.js";
import { parseCampaign } from "../../src/domain/campaign-parse.js";
import { startHttpServer, type RunningServer } from "../../src/http/server.js";
import { freePort } from "../support/bot-process.js";
import { captureLogger, type CapturedLogger } from "../support/capture-logger.js";
import { buttonPress, FAKE_BOT_TOKEN, postWebhook, privateText, startFakeTelegram, type FakeTelegram } from "../support/fake-telegram.js";
import { defaultTestDatabase } from "../support/test-database.js";
/** 2025-05-19 10:00 in Hà Nội: Đợt 1 of the Lai Châu plan, Uncle Hồ's birthday. */
const FIXED_NOW = new Date("2025-05-19T03:00:00Z");
const TZ = "Asia/Ho_Chi_Minh";

interface SleepRecorder {
  sleep: (ms: number) => Promise<void>;
  waits: number[];
}

/** Records each requested wait and waits a few real milliseconds instead. */
function recordingSleep(realMs = 2): SleepRecorder {
  const waits: number[] = [];
  return {
    waits,
    sleep: (ms) => {
      waits.push(ms);
      return new Promise((resolve) => setTimeout(resolve, realMs));
    },
  };
}

interface Core {
  repositories: Repositories;
  db: OpenDatabase;
  log: CapturedLogger;
  /** bot.handle, counting what reached it. */
  inbound: InboundHandler;
  received: IncomingMessage[];
  close(): Promise<void>;
}

async function startCore(): Promise<Core> {
  const database = await defaultTestDatabase();
  const url = database.url;
  await migrate(url);
  const db = openDatabase(url);
  const repositories = createRepositories(db);
  const file = new URL("../../prisma/campaigns/lai-chau-2025.yaml", import.meta.url);
  const parsed = parseCampaign("lai-chau-2025.yaml", readFileSync(file, "utf8"));
  if (!parsed.ok) throw new Error(parsed.errors.join("\n"));
  await repositories.campaigns.upsert(parsed.campaign);
  const log = captureLogger();
  const bot = createBot({ ...repositories, timezone: TZ, now: () => FIXED_NOW, logger: log.logger });
  const received: IncomingMessage[] = [];
  return {
    repositories,
    db,
    log,
    received,
    inbound: async (message: IncomingMessage, reply: Reply) => {
      received.push(message);
      await bot.handle(message, reply);
    },
    async close() {
      await db.close();
      await database.drop();
    },
  };
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// ---- polling -----------------------------------------------------------------------------------------------------

describe("Telegram channel — polling (telegraf long polling against the fake Bot API)", () => {
  let core: Core;
  let tg: FakeTelegram;
  let channel: Channel;
  let sleeper: SleepRecorder;

  beforeAll(async () => {
    core = await startCore();
    tg = await startFakeTelegram();
    sleeper = recordingSleep();
    channel = createTelegramChannel({ token: tg.token, apiRoot: tg.apiRoot, mode: "polling", inbound: core.inbound, logger: core.log.logger, retry: { sleep: sleeper.sleep } });
    await channel.start();
  });
  afterAll(async () => {
    await channel?.stop();
    await tg?.close();
    await core?.close();
  });

  it("is named telegram and serves no webhook route", () => {
    expect(channel.name).toBe("telegram");
    expect(channel.routes()).toEqual([]);
  });

  it("hands a pushed /chude to the core and delivers the answer through sendMessage", async () => {
    const id = tg.pushUpdate(privateText("/chude", { chatId: 5001, firstName: "Lò Thị", lastName: "Mai", languageCode: "vi" }));
    const [reply] = await tg.waitForSent(1);
    expect(reply!.chatId).toBe("5001");
    expect(reply!.parseMode).toBe("HTML");
    expect(reply!.plainText).toContain("Đợt 1");
    expect(reply!.plainText).toContain("“Mừng Đảng quang vinh - Mừng Sinh nhật Bác”");
    expect(core.received.at(-1)).toEqual({ channel: "telegram", chatId: "5001", text: "/chude", displayName: "Lò Thị Mai", languageCode: "vi", updateKey: String(id) });
    // The next getUpdates confirms it: the fake drops confirmed updates.
    await tg.waitForCalls("getUpdates", tg.callsTo("getUpdates").length + 1);
    expect(tg.pendingUpdates().map((u) => u.update_id)).not.toContain(id);
  });

  it("answers /theme in English for a person whose Telegram is in English", async () => {
    const before = tg.sent.length;
    tg.pushUpdate(privateText("/theme", { chatId: 5002, languageCode: "en-GB" }));
    const sent = await tg.waitForSent(before + 1);
    const text = sent[before]!.plainText!;
    expect(text).toContain("Phase 1");
    expect(text).toContain("Theme: “");
    expect(text).not.toContain("Chủ đề");
  });

  it("sets the command menus: Vietnamese aliases by default, English names for language_code en", async () => {
    const calls = await tg.waitForCalls("setMyCommands", 2);
    expect(calls.map((c) => c.body.language_code)).toEqual([undefined, "en"]);
    expect(calls[0]!.body.scope).toBeUndefined();
    const vi = tg.commandMenus.get("")!;
    const en = tg.commandMenus.get("en")!;
    expect(vi.map((c) => c.command)).toEqual(Object.entries(COMMANDS).map(([name, aliases]) => (aliases as readonly string[])[0] ?? name));
    expect(en.map((c) => c.command)).toEqual(Object.keys(COMMANDS));
    expect(vi.map((c) => c.command)).toContain("chude");
    expect(vi.find((c) => c.command === "chude")!.description).toBe(t("vi", "menu.theme"));
    expect(en.find((c) => c.command === "theme")!.description).toBe(t("en", "menu.theme"));
    expect(vi[0]).toEqual({ command: "start", description: t("vi", "menu.start") });
  });

  it("every command has a menu description in both languages", () => {
    for (const name of Object.keys(COMMANDS)) {
      expect(catalogKeys("vi"), `menu.${name}`).toContain(`menu.${name}`);
      expect(catalogKeys("en"), `menu.${name}`).toContain(`menu.${name}`);
    }
  });

  it("shows /ngonngu as an inline keyboard; pressing English answers the callback query and switches the language", async () => {
    const chatId = 5003;
    const before = tg.sent.length;
    tg.pushUpdate(privateText("/ngonngu", { chatId }));
    const asked = (await tg.waitForSent(before + 1))[before]!;
    expect(asked.inlineKeyboard).toEqual([
      [
        { text: "Tiếng Việt", callback_data: "/lang vi" },
        { text: "English", callback_data: "/lang en" },
      ],
    ]);
    const press = buttonPress("/lang en", { chatId, messageId: asked.messageId, languageCode: "vi" });
    tg.pushUpdate(press);
    const done = (await tg.waitForSent(before + 2))[before + 1]!;
    expect(done.plainText).toBe("Language set to English.");
    const answered = tg.callsTo("answerCallbackQuery");
    expect(answered.map((c) => c.body.callback_query_id)).toContain((press as { callback_query: { id: string } }).callback_query.id);
    expect((await core.repositories.subscribers.find("telegram", String(chatId)))?.locale).toBe("en");
    expect(core.received.at(-1)).toMatchObject({ chatId: String(chatId), text: "/lang en", updateKey: String(press.update_id) });
  });

  it("ignores group messages and stickers without error, hands on photos, and keeps serving", async () => {
    const before = tg.sent.length;
    const receivedBefore = core.received.length;
    const group = privateText("/chude", { chatId: 5004 }) as unknown as { message: { chat: Record<string, unknown> } };
    group.message.chat = { id: -100200, type: "group", title: "Tổ công đoàn" };
    tg.pushUpdate(group);
    const photo = privateText("x", { chatId: 5004 }) as unknown as { message: Record<string, unknown> };
    delete photo.message.text;
    photo.message.photo = [{ file_id: "p1", file_unique_id: "u1", width: 1, height: 1 }];
    tg.pushUpdate(photo);
    const sticker = privateText("x", { chatId: 5004 }) as unknown as { message: Record<string, unknown> };
    delete sticker.message.text;
    sticker.message.sticker = { file_id: "s1", file_unique_id: "su1", type: "regular", width: 1, height: 1, is_animated: false, is_video: false };
    tg.pushUpdate(sticker);
    tg.pushUpdate(privateText("/trogiup", { chatId: 5004 }));
    const sent = await tg.waitForSent(before + 2);
    await delay(100);
    expect(tg.sent.length).toBe(before + 2);
    expect(sent.slice(before).map((m) => m.chatId)).toEqual(["5004", "5004"]);
    // A photo is a turn (its caption the text): here nothing asked for one, and the person is told so. (Updates of
    // one getUpdates batch are handled concurrently: the two answers may come in either order.)
    expect(sent.slice(before).filter((m) => m.plainText!.includes("lúc này tôi không cần ảnh"))).toHaveLength(1);
    const received = core.received.slice(receivedBefore).map((m) => [m.text, m.photo !== undefined]);
    expect(received.sort()).toEqual([["", true], ["/trogiup", false]]);
    expect(core.log.records().filter((r) => r.level === 50)).toEqual([]);
  });

  it("asks getUpdates only for messages and button presses", () => {
    const polls = tg.callsTo("getUpdates").filter((c) => c.body.timeout !== undefined);
    expect(polls.length).toBeGreaterThan(0);
    for (const poll of polls) expect(poll.body.allowed_updates).toEqual(["message", "callback_query"]);
  });

  it("stop() ends polling cleanly: later updates are not fetched", async () => {
    await channel.stop();
    const pollsAfterStop = tg.callsTo("getUpdates").length;
    const receivedBefore = core.received.length;
    tg.pushUpdate(privateText("/chude", { chatId: 5005 }));
    await delay(300);
    expect(core.received.length).toBe(receivedBefore);
    expect(tg.callsTo("getUpdates").length).toBe(pollsAfterStop);
    await channel.stop(); // twice is fine
  });
});

describe("Telegram channel — start-up faults", () => {
  let core: Core;
  beforeAll(async () => {
    core = await startCore();
  });
  afterAll(async () => {
    await core?.close();
  });

  it("keeps retrying with backoff while the Bot API is unreachable, then polls once it is back", async () => {
    const port = await freePort();
    const sleeper = recordingSleep(5);
    const log = captureLogger();
    const channel = createTelegramChannel({ token: FAKE_BOT_TOKEN, apiRoot: `http://127.0.0.1:${port}`, mode: "polling", inbound: core.inbound, logger: log.logger, retry: { sleep: sleeper.sleep } });
    let tg: FakeTelegram | undefined;
    try {
      await channel.start(); // does not throw: the network is down
      await until(() => sleeper.waits.length >= 4);
      expect(sleeper.waits.slice(0, 4)).toEqual([500, 1000, 2000, 4000]);
      const warnings = log.records().filter((r) => r.msg === "telegram: could not reach the Bot API for updates; retrying");
      expect(warnings.length).toBeGreaterThanOrEqual(4);
      expect(warnings[0]).toMatchObject({ level: 40, channel: "telegram", kind: "transient", attempt: 1, retryInMs: 500 });
      tg = await startFakeTelegram({ port });
      tg.pushUpdate(privateText("/dot", { chatId: 6001 }));
      const [reply] = await tg.waitForSent(1, 10_000);
      expect(reply!.plainText).toContain("Đợt 2");
      await tg.waitForCalls("setMyCommands", 2);
    } finally {
      await channel.stop();
      await tg?.close();
    }
    expect(log.lines.join("")).not.toContain(FAKE_BOT_TOKEN.split(":")[1]);
  });

  it("stops start() with a clear error when the Bot API refuses the token", async () => {
    const tg = await startFakeTelegram();
    const log = captureLogger();
    const wrongToken = "987654321:AAWrongTokenWrongTokenWrongToken_000";
    const channel = createTelegramChannel({ token: wrongToken, apiRoot: tg.apiRoot, mode: "polling", inbound: core.inbound, logger: log.logger, retry: { sleep: recordingSleep().sleep } });
    try {
      const error = await channel.start().then(() => null, (e: unknown) => e as Error);
      expect(error?.message).toMatch(/refused the bot token.*TELEGRAM_BOT_TOKEN/);
      expect(error?.message).not.toContain(wrongToken.split(":")[1]);
      expect(tg.calls).toEqual([]); // 401 before any method ran
    } finally {
      await channel.stop();
      await tg.close();
    }
  });

  it("stops start() with a clear error when Telegram refuses the webhook URL", async () => {
    const tg = await startFakeTelegram();
    const log = captureLogger();
    const channel = createTelegramChannel({
      token: tg.token,
      apiRoot: tg.apiRoot,
      mode: "webhook",
      publicUrl: "http://thidua.example.org",
      webhookSecret: "wh_Secret-0123456789abcdef",
      inbound: core.inbound,
      logger: log.logger,
      retry: { sleep: recordingSleep().sleep },
    });
    try {
      await expect(channel.start()).rejects.toThrow(/refused the webhook \(Bad Request: bad webhook: An HTTPS URL must be provided for webhook\); check PUBLIC_URL/);
      expect(tg.setWebhookCalls).toHaveLength(1);
      expect(log.lines.join("")).not.toContain("wh_Secret-0123456789abcdef");
    } finally {
      await channel.stop();
      await tg.close();
    }
  });

  it("keeps retrying registration while Telegram answers 5xx, and registers once it recovers", async () => {
    const tg = await startFakeTelegram();
    const sleeper = recordingSleep();
    const log = captureLogger();
    tg.failNext("setWebhook", { status: 502, description: "Bad Gateway" }, 2);
    const channel = createTelegramChannel({
      token: tg.token,
      apiRoot: tg.apiRoot,
      mode: "webhook",
      publicUrl: "https://thidua.example.org",
      webhookSecret: "wh_Secret-0123456789abcdef",
      inbound: core.inbound,
      logger: log.logger,
      retry: { sleep: sleeper.sleep },
    });
    try {
      await channel.start();
      await until(() => tg.webhook !== null);
      expect(tg.callsTo("setWebhook")).toHaveLength(3);
      expect(sleeper.waits).toEqual([500, 1000]);
      expect(log.records().filter((r) => r.msg === "telegram: could not register the webhook; retrying").map((r) => r.kind)).toEqual(["transient", "transient"]);
    } finally {
      await channel.stop();
      await tg.close();
    }
  });

  it("refuses webhook mode without PUBLIC_URL or WEBHOOK_SECRET", () => {
    const base = { token: FAKE_BOT_TOKEN, apiRoot: "http://127.0.0.1:9", mode: "webhook" as const, inbound: core.inbound, logger: core.log.logger };
    expect(() => createTelegramChannel({ ...base, webhookSecret: "0123456789abcdef" })).toThrow(/publicUrl/);
    expect(() => createTelegramChannel({ ...base, publicUrl: "https://bot.example.org" })).toThrow(/webhookSecret/);
  });
});

// ---- webhook -----------------------------------------------------------------------------------------------------

describe("Telegram channel — webhook on the shared HTTP server", () => {
  const SECRET = "wh_Secret-0123456789abcdef";
  let core: Core;
  let tg: FakeTelegram;
  let channel: Channel;
  let server: RunningServer;
  let hook: string;

  beforeAll(async () => {
    core = await startCore();
    tg = await startFakeTelegram();
    channel = createTelegramChannel({
      token: tg.token,
      apiRoot: tg.apiRoot,
      mode: "webhook",
      publicUrl: "https://thidua.example.org/",
      webhookSecret: SECRET,
      inbound: core.inbound,
      logger: core.log.logger,
      retry: { sleep: recordingSleep().sleep, policy: { maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 10, maxRetryAfterMs: 5_000 } },
    });
    server = await startHttpServer({ port: 0, host: "127.0.0.1", routes: channel.routes(), logger: core.log.logger });
    hook = `http://127.0.0.1:${server.port}/webhooks/telegram`;
    await channel.start();
  });
  afterAll(async () => {
    await channel?.stop();
    await server?.close();
    await tg?.close();
    await core?.close();
  });

  it("registers PUBLIC_URL/webhooks/telegram with the secret token, drops nothing, and never polls", async () => {
    expect(channel.routes().map((r) => `${r.method} ${r.path}`)).toEqual(["POST /webhooks/telegram"]);
    expect(tg.setWebhookCalls).toHaveLength(1);
    expect(tg.setWebhookCalls[0]).toMatchObject({ url: "https://thidua.example.org/webhooks/telegram", secret_token: SECRET, drop_pending_updates: false });
    expect(tg.webhook).toEqual({ url: "https://thidua.example.org/webhooks/telegram", secretToken: SECRET });
    expect(tg.callsTo("getUpdates")).toEqual([]);
    expect(tg.callsTo("deleteWebhook")).toEqual([]);
    expect([...tg.commandMenus.keys()].sort()).toEqual(["", "en"]);
  });

  it("handles an update with the right secret and answers 200 only after the reply went out", async () => {
    const res = await postWebhook(hook, privateText("/start", { chatId: 7001, firstName: "Hà" }), SECRET);
    expect(res.status).toBe(200);
    // No waiting: the reply was sent before the 200.
    expect(tg.sent.filter((s) => s.chatId === "7001").length).toBeGreaterThanOrEqual(1);
    expect(tg.sent.find((s) => s.chatId === "7001")!.plainText).toMatch(/^Xin chào Hà!/);
    expect(await core.repositories.subscribers.find("telegram", "7001")).not.toBeNull();
  });

  it("answers 401 and processes nothing for a wrong or a missing secret", async () => {
    const sentBefore = tg.sent.length;
    const receivedBefore = core.received.length;
    for (const secret of [SECRET.slice(0, -1) + "X", SECRET + "x", "short", undefined]) {
      const res = await postWebhook(hook, privateText("/start", { chatId: 7002 }), secret);
      expect(res.status, String(secret)).toBe(401);
    }
    expect(core.received.length).toBe(receivedBefore);
    expect(tg.sent.length).toBe(sentBefore);
    expect(await core.repositories.subscribers.find("telegram", "7002")).toBeNull();
  });

  it("answers 400 for a body that is not JSON or not an update, and 413 for more than 1 MB", async () => {
    const receivedBefore = core.received.length;
    const post = (body: string) =>
      fetch(hook, { method: "POST", headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": SECRET }, body });
    expect((await post("{not json")).status).toBe(400);
    expect((await post(JSON.stringify({ message: { text: "/start" } }))).status).toBe(400);
    expect((await post(JSON.stringify({ update_id: "12" }))).status).toBe(400);
    expect((await post(JSON.stringify([{ update_id: 12 }]))).status).toBe(400);
    expect((await post("null")).status).toBe(400);
    const huge = JSON.stringify({ update_id: 13, message: { text: "x".repeat(1_000_001) } });
    expect((await post(huge)).status).toBe(413);
    expect(core.received.length).toBe(receivedBefore);
  });

  it("answers 200 to update kinds it ignores (edited messages, channel posts) without handing them to the core", async () => {
    const receivedBefore = core.received.length;
    const edited = privateText("/chude", { chatId: 7003 }) as unknown as Record<string, unknown>;
    edited.edited_message = edited.message;
    delete edited.message;
    expect((await postWebhook(hook, edited, SECRET)).status).toBe(200);
    const post = { update_id: 880_001, channel_post: { message_id: 1, date: 0, chat: { id: -1001, type: "channel", title: "Kênh" }, text: "/chude" } };
    expect((await postWebhook(hook, post, SECRET)).status).toBe(200);
    expect(core.received.length).toBe(receivedBefore);
  });

  it("answers 500 when the reply cannot be delivered for now, so Telegram redelivers; the redelivery is handled", async () => {
    const update = privateText("/dot", { chatId: 7004 });
    tg.failNext("sendMessage", { status: 502, description: "Bad Gateway" }, 4);
    const first = await postWebhook(hook, update, SECRET);
    expect(first.status).toBe(500);
    expect(tg.sent.filter((s) => s.chatId === "7004")).toEqual([]);
    const again = await postWebhook(hook, update, SECRET);
    expect(again.status).toBe(200);
    expect(tg.sent.filter((s) => s.chatId === "7004")[0]!.plainText).toContain("Đợt 2");
  });

  it("answers 200 when the person blocked the bot: redelivering could not help", async () => {
    tg.failNext("sendMessage", { status: 403, description: "Forbidden: bot was blocked by the user" }, 2);
    const calls = tg.callsTo("sendMessage").length;
    const res = await postWebhook(hook, privateText("/chude", { chatId: 7007 }), SECRET);
    expect(res.status).toBe(200);
    // The answer, then the core's apology: each refused once, never retried.
    expect(tg.callsTo("sendMessage").length - calls).toBe(2);
    expect(core.log.records().filter((r) => r.msg === "telegram: update handled, but its answer could not be delivered").at(-1)).toMatchObject({ channel: "telegram", chatId: "7007", kind: "blocked" });
  });

  it("answers a button press and handles its data", async () => {
    const press = buttonPress("/lang en", { chatId: 7005 });
    expect((await postWebhook(hook, press, SECRET)).status).toBe(200);
    expect(tg.callsTo("answerCallbackQuery").at(-1)!.body.callback_query_id).toBe((press as { callback_query: { id: string } }).callback_query.id);
    expect(tg.sent.at(-1)).toMatchObject({ chatId: "7005", plainText: "Language set to English." });
  });

  it("answers 503 once stopped", async () => {
    await channel.stop();
    expect((await postWebhook(hook, privateText("/chude", { chatId: 7006 }), SECRET)).status).toBe(503);
  });
});

// ---- sending -----------------------------------------------------------------------------------------------------

describe("Telegram channel — send()", () => {
  let core: Core;
  let tg: FakeTelegram;
  let channel: Channel;
  let sleeper: SleepRecorder;
  let log: CapturedLogger;

  beforeAll(async () => {
    core = await startCore();
    tg = await startFakeTelegram();
  });
  beforeEach(() => {
    sleeper = recordingSleep();
    log = captureLogger();
    // Not started: send() needs no update loop.
    channel = createTelegramChannel({ token: tg.token, apiRoot: tg.apiRoot, mode: "polling", inbound: core.inbound, logger: log.logger, retry: { sleep: sleeper.sleep } });
  });
  afterAll(async () => {
    await tg?.close();
    await core?.close();
  });

  const sendCalls = () => tg.callsTo("sendMessage").length;

  it("escapes what the core echoes back, so it shows as typed", async () => {
    const before = tg.sent.length;
    await core.inbound(
      { channel: "telegram", chatId: "8001", text: "/lang <b>&x</i>" },
      (m) => channel.send("8001", m),
    );
    const reply = tg.sent[before]!;
    expect(reply.text).toContain("“&lt;b&gt;&amp;x&lt;/i&gt;”");
    expect(reply.plainText).toContain("“<b>&x</i>”");
  });

  it("splits a long text into messages of at most 4096 characters in order, keyboard on the last", async () => {
    const paragraph = (n: number) => `Đoạn ${n}: ` + "công nhân <lao động> & viên chức ".repeat(40).trim();
    const text = Array.from({ length: 12 }, (_, i) => paragraph(i + 1)).join("\n\n");
    expect(text.length).toBeGreaterThan(9000);
    const before = tg.sent.length;
    await channel.send("8002", { text, choices: [{ label: "Có", value: "yes" }, { label: "Không", value: "no" }] });
    const parts = tg.sent.slice(before);
    expect(parts.length).toBeGreaterThanOrEqual(3);
    for (const part of parts) expect(part.text!.length).toBeLessThanOrEqual(4096);
    // Split at paragraph breaks: each part is whole paragraphs, and together they are the text.
    expect(parts.map((p) => p.plainText).join("\n\n")).toBe(text);
    for (const part of parts) expect(part.plainText).toMatch(/^Đoạn \d+: [\s\S]*viên chức$/);
    expect(parts.slice(0, -1).every((p) => p.inlineKeyboard === undefined)).toBe(true);
    expect(parts.at(-1)!.inlineKeyboard).toEqual([[{ text: "Có", callback_data: "yes" }, { text: "Không", callback_data: "no" }]]);
  });

  it("sends a file as a document after its text", async () => {
    const before = tg.sent.length;
    const content = new TextEncoder().encode("mã,họ tên\nLC25-000001,Lò Văn Bình\n");
    await channel.send("8004", { text: "Danh sách đăng ký", document: { fileName: "dang-ky.csv", mimeType: "text/csv", content } });
    const [text, doc] = tg.sent.slice(before);
    expect(text!.plainText).toBe("Danh sách đăng ký");
    expect(doc!.method).toBe("sendDocument");
    expect(doc!.document!.filename).toBe("dang-ky.csv");
    expect(doc!.document!.bytes.equals(Buffer.from(content))).toBe(true);
  });

  it("puts long labels one to a row", async () => {
    const before = tg.sent.length;
    const choices = ["Công đoàn cơ sở Điện lực Lai Châu", "Công đoàn cơ sở Trường THPT Chuyên", "Bỏ qua"].map((label, i) => ({ label, value: `/pick ${i}` }));
    await channel.send("8003", { text: "Chọn đơn vị:", choices });
    expect(tg.sent[before]!.inlineKeyboard).toEqual(choices.map((c) => [{ text: c.label, callback_data: c.value }]));
  });

  it("refuses callback data over 64 bytes of UTF-8 before calling Telegram", async () => {
    const calls = sendCalls();
    const value = "/chon " + "đơn vị ".repeat(7); // 55 characters, 69 bytes
    await expect(channel.send("8004", { text: "Chọn:", choices: [{ label: "A", value }] })).rejects.toThrow(/callback_data.*64 bytes/);
    expect(sendCalls()).toBe(calls);
  });

  it("waits retry_after on 429 and then succeeds (2 calls, 1000 ms, one warning)", async () => {
    const calls = sendCalls();
    tg.failNext("sendMessage", { status: 429, retryAfter: 1 });
    await channel.send("8005", { text: "Thông báo" });
    expect(sendCalls() - calls).toBe(2);
    expect(sleeper.waits).toEqual([1000]);
    expect(tg.sent.at(-1)).toMatchObject({ chatId: "8005", plainText: "Thông báo" });
    const warnings = log.records().filter((r) => r.level === 40);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ channel: "telegram", chatId: "8005", kind: "rate-limited" });
  });

  it("backs off on 5xx and succeeds on the third call", async () => {
    const calls = sendCalls();
    tg.failNext("sendMessage", { status: 500, description: "Internal Server Error" }, 2);
    await channel.send("8006", { text: "Thông báo" });
    expect(sendCalls() - calls).toBe(3);
    expect(sleeper.waits).toEqual([500, 1000]);
    expect(log.records().filter((r) => r.level === 40).map((r) => r.kind)).toEqual(["transient", "transient"]);
  });

  it("fails at once with kind blocked on 403", async () => {
    const calls = sendCalls();
    tg.failNext("sendMessage", { status: 403, description: "Forbidden: bot was blocked by the user" });
    const error = await channel.send("8007", { text: "Thông báo" }).then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(SendError);
    expect((error as SendError).failure).toEqual({ kind: "blocked", detail: "Forbidden: bot was blocked by the user" });
    expect(sendCalls() - calls).toBe(1);
    expect(sleeper.waits).toEqual([]);
    expect(log.records().filter((r) => r.level === 40)).toMatchObject([{ channel: "telegram", chatId: "8007", kind: "blocked" }]);
  });

  it("fails at once with kind rejected on 400", async () => {
    const calls = sendCalls();
    tg.failNext("sendMessage", { status: 400, description: "Bad Request: chat not found" });
    const error = (await channel.send("8008", { text: "Thông báo" }).catch((e: unknown) => e)) as SendError;
    expect(error.failure.kind).toBe("rejected");
    expect(sendCalls() - calls).toBe(1);
  });

  it("retries network errors as transient and then gives up with a SendError that names no token", async () => {
    const port = await freePort();
    const offline = createTelegramChannel({
      token: FAKE_BOT_TOKEN,
      apiRoot: `http://127.0.0.1:${port}`,
      mode: "polling",
      inbound: core.inbound,
      logger: log.logger,
      retry: { sleep: sleeper.sleep, policy: { maxAttempts: 3, baseDelayMs: 500, maxDelayMs: 30_000, maxRetryAfterMs: 120_000 } },
    });
    const error = (await offline.send("8009", { text: "Thông báo" }).catch((e: unknown) => e)) as SendError;
    expect(error).toBeInstanceOf(SendError);
    expect(error.failure.kind).toBe("transient");
    expect(error.message).toMatch(/ECONNREFUSED/);
    expect(error.message).not.toContain(FAKE_BOT_TOKEN.split(":")[1]);
    expect(sleeper.waits).toEqual([500, 1000]);
    const warnings = log.records().filter((r) => r.level === 40);
    expect(warnings.map((w) => w.kind)).toEqual(["transient", "transient", "transient"]);
    expect(warnings.every((w) => w.chatId === "8009" && w.channel === "telegram")).toBe(true);
    expect(log.lines.join("")).not.toContain(FAKE_BOT_TOKEN.split(":")[1]);
  });

  it("waits no longer than the policy allows: a retry_after beyond maxRetryAfterMs fails as rate-limited", async () => {
    tg.failNext("sendMessage", { status: 429, retryAfter: 600 });
    const error = (await channel.send("8010", { text: "Thông báo" }).catch((e: unknown) => e)) as SendError;
    expect(error.failure).toMatchObject({ kind: "rate-limited", retryAfterSeconds: 600 });
    expect(sleeper.waits).toEqual([]);
  });
});

async function until(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await delay(10);
  }
}
