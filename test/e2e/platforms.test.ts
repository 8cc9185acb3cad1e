// The whole service on real parts: `src/main.ts` as a child process with TELEGRAM_BOT_TOKEN/TELEGRAM_API_ROOT and
// ZALO_BOT_TOKEN/ZALO_API_ROOT pointed at fake Bot API servers on 127.0.0.1, serving both at once; the admin CLI
// imports the units and creates the invitation codes. A person on each platform subscribes, chooses a unit,
// becomes an officer with a code and asks /chude — in polling mode and in webhook mode.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminOk, lastLine, startBot, type BotProcess } from "../support/bot-process.js";
import { buttonPress, postWebhook, privateText, startFakeTelegram, type FakeTelegram } from "../support/fake-telegram.js";
import { startFakeZalo, textUpdate, type FakeZalo } from "../support/fake-zalo.js";
import { defaultTestDatabase } from "../support/test-database.js";
import type { TestDatabase } from "../db/helpers.js";

const admin = (databaseUrl: string, ...args: string[]) => adminOk({ DATABASE_URL: databaseUrl }, ...args);
const SECRET = "e2e-webhook-secret-0123456789";

describe("Telegram and Zalo at once, polling", () => {
  let telegram: FakeTelegram;
  let zalo: FakeZalo;
  let bot: BotProcess;
  let dir: string;
  let database: TestDatabase;
  let databaseUrl: string;
  let telegramCode: string;
  let zaloCode: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "congdoan-platforms-"));
    database = await defaultTestDatabase();
    databaseUrl = database.url;
    admin(databaseUrl, "units", "import", "test/fixtures/units/good.csv");
    telegramCode = lastLine(admin(databaseUrl, "invite", "create", "--role", "officer", "--unit", "CDGD"));
    zaloCode = lastLine(admin(databaseUrl, "invite", "create", "--role", "officer", "--unit", "CDN-YTE"));
    telegram = await startFakeTelegram();
    zalo = await startFakeZalo();
    bot = await startBot({
      DATABASE_URL: databaseUrl,
      TELEGRAM_BOT_TOKEN: telegram.token,
      TELEGRAM_API_ROOT: telegram.apiRoot,
      ZALO_BOT_TOKEN: zalo.token,
      ZALO_API_ROOT: zalo.apiRoot,
    });
  });
  afterAll(async () => {
    await bot?.stop();
    await telegram?.close();
    await zalo?.close();
    await database?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("prints the invitation code on the admin command's last line", () => {
    expect(telegramCode).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    expect(zaloCode).not.toBe(telegramCode);
  });

  it("sets the command menus in Vietnamese and English", async () => {
    await telegram.waitForCalls("setMyCommands", 2);
    expect(telegram.commandMenus.get("")?.map((c) => c.command)).toContain("chude");
    expect(telegram.commandMenus.get("en")?.map((c) => c.command)).toContain("theme");
  });

  it("a Telegram user subscribes, picks a unit with a button, becomes an officer and asks /chude", async () => {
    const who = { chatId: 5001, firstName: "Lan", lastName: "Nguyễn" };
    const next = async (update: object, count: number) => {
      const before = telegram.sent.length;
      telegram.pushUpdate(update);
      return (await telegram.waitForSent(before + count, 15_000)).slice(before);
    };
    const welcome = await next(privateText("/start", who), 2);
    expect(welcome[0]!.plainText).toMatch(/^Xin chào Lan Nguyễn!/);
    expect(welcome[1]!.plainText).toContain("Bạn sinh hoạt ở công đoàn cơ sở nào?");
    const results = await next(privateText("giao duc", who), 1);
    const button = results[0]!.inlineKeyboard!.flat().find((b) => b.text === "Công đoàn Giáo dục tỉnh (CDGD)")!;
    const chosen = await next(buttonPress(button.callback_data!, who), 1);
    expect(chosen[0]!.plainText).toBe("Đã ghi nhận đơn vị của bạn: Công đoàn Giáo dục tỉnh (CDGD). Gõ /donvi nếu muốn đổi.");
    expect(telegram.callsTo("answerCallbackQuery").length).toBeGreaterThan(0);
    const officer = await next(privateText(`/canbo ${telegramCode}`, who), 1);
    expect(officer[0]!.plainText).toContain("Bạn đã được ghi nhận là cán bộ công đoàn của Công đoàn Giáo dục tỉnh (CDGD)");
    const theme = await next(privateText("/chude", who), 1);
    expect(theme[0]!.plainText).toContain("Liên đoàn Lao động tỉnh Lai Châu");
    expect(theme[0]!.chatId).toBe("5001");
    // The same code again is refused, in English for an English-speaking user.
    const reused = await next(privateText(`/canbo ${telegramCode}`, { chatId: 5002, languageCode: "en" }), 1);
    expect(reused[0]!.plainText).toContain("already been used");
  });

  it("a Zalo user does the same with numbered text", async () => {
    const chatId = "zalo-person-7f3a";
    const next = async (text: string, count: number) => {
      const before = zalo.sent.length;
      zalo.pushUpdate(textUpdate({ chatId, text, displayName: "Hà Thị Mai" }));
      return (await zalo.waitForSent(before + count, 15_000)).slice(before);
    };
    const welcome = await next("/start", 2);
    expect(welcome[0]!.text).toMatch(/^Xin chào Hà Thị Mai!/);
    expect(welcome[1]!.text).toContain("1. Bỏ qua");
    const results = await next("y te", 1);
    expect(results[0]!.text).toContain("1. Công đoàn Ngành Y tế (CDN-YTE)");
    expect(results[0]!.text).toContain("Trả lời bằng số thứ tự để chọn.");
    expect((await next("1", 1))[0]!.text).toBe("Đã ghi nhận đơn vị của bạn: Công đoàn Ngành Y tế (CDN-YTE). Gõ /donvi nếu muốn đổi.");
    expect((await next(`/canbo ${zaloCode.toLowerCase()}`, 1))[0]!.text).toContain("Công đoàn Ngành Y tế (CDN-YTE)");
    expect((await next("/chude", 1))[0]!.text).toContain("Liên đoàn Lao động tỉnh Lai Châu");
  });

  it("keeps tokens out of the logs", () => {
    expect(bot.output()).not.toContain(telegram.token);
    expect(bot.output()).not.toContain(zalo.token);
  });
});

describe("Telegram and Zalo at once, webhook mode", () => {
  let telegram: FakeTelegram;
  let zalo: FakeZalo;
  let bot: BotProcess;
  let dir: string;
  let database: TestDatabase;
  let env: Record<string, string>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "congdoan-webhooks-"));
    database = await defaultTestDatabase();
    telegram = await startFakeTelegram();
    zalo = await startFakeZalo();
    env = {
      DATABASE_URL: database.url,
      TELEGRAM_BOT_TOKEN: telegram.token,
      TELEGRAM_API_ROOT: telegram.apiRoot,
      ZALO_BOT_TOKEN: zalo.token,
      ZALO_API_ROOT: zalo.apiRoot,
      UPDATES_MODE: "webhook",
      PUBLIC_URL: "https://congdoan.example.org",
      WEBHOOK_SECRET: SECRET,
    };
    bot = await startBot(env);
  });
  afterAll(async () => {
    await bot?.stop();
    await telegram?.close();
    await zalo?.close();
    await database?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("registers both webhooks with the secret", async () => {
    // The channels start right after the HTTP server answers /healthz.
    await telegram.waitForCalls("setWebhook", 1);
    await zalo.waitForCalls("setWebhook", 1);
    expect(telegram.webhook).toEqual({ url: "https://congdoan.example.org/webhooks/telegram", secretToken: SECRET });
    expect(zalo.webhook).toEqual({ url: "https://congdoan.example.org/webhooks/zalo", secret: SECRET });
  });

  it("answers 401 to a wrong or missing secret and processes nothing", async () => {
    expect((await postWebhook(`${bot.url}/webhooks/telegram`, privateText("/start", { chatId: 6001 }), "wrong-secret-0123456789")).status).toBe(401);
    expect((await postWebhook(`${bot.url}/webhooks/telegram`, privateText("/start", { chatId: 6001 }))).status).toBe(401);
    const zaloWrong = await fetch(`${bot.url}/webhooks/zalo`, { method: "POST", headers: { "content-type": "application/json", "x-bot-api-secret-token": "nope" }, body: JSON.stringify(textUpdate()) });
    expect(zaloWrong.status).toBe(401);
    await new Promise((r) => setTimeout(r, 300));
    expect(telegram.sent).toHaveLength(0);
    expect(zalo.sent).toHaveLength(0);
  });

  it("handles a redelivered update once, also across a restart", async () => {
    const update = privateText("/chude", { chatId: 6002, updateId: 777_001 });
    expect((await postWebhook(`${bot.url}/webhooks/telegram`, update, SECRET)).status).toBe(200);
    expect(telegram.sent).toHaveLength(1);
    expect((await postWebhook(`${bot.url}/webhooks/telegram`, update, SECRET)).status).toBe(200);
    const zaloUpdate = { ok: true, result: textUpdate({ chatId: "zalo-6002", text: "/chude", messageId: "m-777" }) };
    const post = () => fetch(`${bot.url}/webhooks/zalo`, { method: "POST", headers: { "content-type": "application/json", "x-bot-api-secret-token": SECRET }, body: JSON.stringify(zaloUpdate) });
    expect((await post()).status).toBe(200);
    expect((await post()).status).toBe(200);

    await bot.stop();
    bot = await startBot(env);
    expect((await postWebhook(`${bot.url}/webhooks/telegram`, update, SECRET)).status).toBe(200);
    expect((await post()).status).toBe(200);
    expect(telegram.sent).toHaveLength(1);
    expect(zalo.sent).toHaveLength(1);
  });
});
