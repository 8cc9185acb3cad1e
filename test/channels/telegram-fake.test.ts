// The fake Bot API server itself: other tests trust it, so it must behave like Telegram where it matters and
// read requests exactly as telegraf sends them (JSON, urlencoded, multipart).
import { Telegraf } from "telegraf";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FAKE_BOT_TOKEN, startFakeTelegram, telegramHtmlToText, type FakeTelegram } from "../support/fake-telegram.js";

describe("fake Telegram Bot API server", () => {
  let tg: FakeTelegram;
  let bot: Telegraf;
  const api = (method: string, body?: unknown, token = FAKE_BOT_TOKEN) =>
    fetch(`${tg.apiRoot}/bot${token}/${method}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    }).then(async (res) => ({ status: res.status, json: (await res.json()) as { ok: boolean; result?: unknown; error_code?: number; description?: string; parameters?: { retry_after?: number } } }));

  beforeAll(async () => {
    tg = await startFakeTelegram();
    bot = new Telegraf(tg.token, { telegram: { apiRoot: tg.apiRoot } });
  });
  afterAll(async () => {
    await tg?.close();
  });

  it("answers getMe for its token, 401 for another, 404 for an unknown method", async () => {
    expect(await bot.telegram.getMe()).toMatchObject({ is_bot: true, username: "congdoan_test_bot", id: 123456789 });
    expect((await api("getMe", undefined, "1:wrong")).json).toEqual({ ok: false, error_code: 401, description: "Unauthorized" });
    expect((await api("sendPigeon", {})).status).toBe(404);
  });

  it("receives a document as multipart, the way telegraf uploads it", async () => {
    const bytes = Buffer.from("mã,tên\nCDCS-001,Công đoàn Điện lực\n", "utf8");
    const message = await bot.telegram.sendDocument(4242, { source: bytes, filename: "dang-ky.csv" }, { caption: "Danh sách đăng ký", reply_markup: { inline_keyboard: [[{ text: "OK", callback_data: "ok" }]] } });
    expect(message.document.file_name).toBe("dang-ky.csv");
    const sent = tg.sent.at(-1)!;
    expect(sent).toMatchObject({ method: "sendDocument", chatId: "4242", caption: "Danh sách đăng ký" });
    expect(sent.document!.filename).toBe("dang-ky.csv");
    expect(sent.document!.bytes.equals(bytes)).toBe(true);
    const call = tg.callsTo("sendDocument").at(-1)!;
    expect(call.body.reply_markup).toEqual({ inline_keyboard: [[{ text: "OK", callback_data: "ok" }]] });
  });

  it("reads urlencoded and query-string parameters too", async () => {
    const res = await fetch(`${tg.apiRoot}/bot${tg.token}/sendMessage?parse_mode=HTML`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ chat_id: "77", text: "a &amp; b" }).toString(),
    });
    expect(res.status).toBe(200);
    expect(tg.sent.at(-1)).toMatchObject({ chatId: "77", text: "a &amp; b", plainText: "a & b", parseMode: "HTML" });
  });

  it("parses HTML like Telegram: bad markup is refused, length counts the visible text", async () => {
    expect(telegramHtmlToText("<b>đậm</b> &lt;x&gt; &amp; &#8220;")).toBe("đậm <x> & “");
    const unclosed = await api("sendMessage", { chat_id: 1, text: "/<b>x", parse_mode: "HTML" });
    expect(unclosed.status).toBe(400);
    expect(unclosed.json.description).toMatch(/can't parse entities/);
    expect((await api("sendMessage", { chat_id: 1, text: "<script>", parse_mode: "HTML" })).json.description).toMatch(/Unsupported start tag/);
    // 5000 characters as sent, 1000 visible: fine. 4097 visible: too long.
    expect((await api("sendMessage", { chat_id: 1, text: "&amp;".repeat(1000), parse_mode: "HTML" })).status).toBe(200);
    expect((await api("sendMessage", { chat_id: 1, text: "x".repeat(4097) })).json.description).toBe("Bad Request: message is too long");
    expect((await api("sendMessage", { chat_id: 1, text: "  " })).json.description).toBe("Bad Request: message text is empty");
    expect((await api("sendMessage", { chat_id: 1, text: "x", reply_markup: { inline_keyboard: [[{ text: "a", callback_data: "x".repeat(65) }]] } })).json.description).toBe("Bad Request: BUTTON_DATA_INVALID");
  });

  it("serves getUpdates: queued updates above offset-1, an offset confirms, a long poll waits and wakes", async () => {
    const first = tg.pushUpdate({ message: { message_id: 1, date: 0, chat: { id: 1, type: "private" }, text: "a" } });
    const second = tg.pushUpdate({ message: { message_id: 2, date: 0, chat: { id: 1, type: "private" }, text: "b" } });
    expect(second).toBe(first + 1);
    const all = (await api("getUpdates", { offset: 0, timeout: 0 })).json.result as { update_id: number }[];
    expect(all.map((u) => u.update_id)).toEqual([first, second]);
    const rest = (await api("getUpdates", { offset: second, timeout: 0 })).json.result as { update_id: number }[];
    expect(rest.map((u) => u.update_id)).toEqual([second]);
    expect(tg.pendingUpdates().map((u) => u.update_id)).toEqual([second]);

    const started = Date.now();
    const empty = (await api("getUpdates", { offset: second + 1, timeout: 1 })).json.result;
    expect(empty).toEqual([]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(tg.pendingUpdates()).toEqual([]);

    const waiting = api("getUpdates", { offset: second + 1, timeout: 10 });
    setTimeout(() => tg.pushUpdate({ message: { message_id: 3, date: 0, chat: { id: 1, type: "private" }, text: "c" } }), 100);
    const woke = Date.now();
    const third = (await waiting).json.result as { update_id: number }[];
    expect(third.map((u) => u.update_id)).toEqual([second + 1]);
    expect(Date.now() - woke).toBeLessThan(5_000);
    await api("getUpdates", { offset: second + 2, timeout: 0 });
  });

  it("delivers only the allowed update kinds, and refuses getUpdates while a webhook is set", async () => {
    tg.pushUpdate({ edited_message: { message_id: 9, date: 0, chat: { id: 1, type: "private" }, text: "e" } });
    const id = tg.pushUpdate({ callback_query: { id: "q", from: { id: 1, is_bot: false, first_name: "A" }, chat_instance: "i", data: "x" } });
    const got = (await api("getUpdates", { offset: 0, timeout: 0, allowed_updates: ["message", "callback_query"] })).json.result as { update_id: number }[];
    expect(got.map((u) => u.update_id)).toEqual([id]);
    await api("getUpdates", { offset: id + 1, timeout: 0 });

    expect((await api("setWebhook", { url: "https://example.org/webhooks/telegram", secret_token: "abc_DEF-123" })).json.result).toBe(true);
    expect(tg.webhook).toEqual({ url: "https://example.org/webhooks/telegram", secretToken: "abc_DEF-123" });
    expect((await api("getWebhookInfo")).json.result).toMatchObject({ url: "https://example.org/webhooks/telegram" });
    expect((await api("getUpdates", { timeout: 0 })).json.error_code).toBe(409);
    expect((await api("setWebhook", { url: "https://example.org/x", secret_token: "bad secret!" })).status).toBe(400);
    await bot.telegram.deleteWebhook();
    expect(tg.webhook).toBeNull();
    expect((await api("getUpdates", { timeout: 0 })).status).toBe(200);
  });

  it("fails the next calls on request, 429 with retry_after, and records them", async () => {
    tg.failNext("sendChatAction", { status: 429, retryAfter: 3 }, 2);
    const calls = tg.callsTo("sendChatAction").length;
    const a = await api("sendChatAction", { chat_id: 1, action: "typing" });
    const b = await api("sendChatAction", { chat_id: 1, action: "typing" });
    const c = await api("sendChatAction", { chat_id: 1, action: "typing" });
    expect([a.status, b.status, c.status]).toEqual([429, 429, 200]);
    expect(a.json).toEqual({ ok: false, error_code: 429, description: "Too Many Requests: retry after 3", parameters: { retry_after: 3 } });
    expect(tg.callsTo("sendChatAction").length - calls).toBe(3);
  });

  it("keeps the command menus per language and checks them", async () => {
    await bot.telegram.setMyCommands([{ command: "chude", description: "Chủ đề" }]);
    await bot.telegram.setMyCommands([{ command: "theme", description: "Theme" }], { language_code: "en" });
    expect(tg.commandMenus.get("")).toEqual([{ command: "chude", description: "Chủ đề" }]);
    expect(tg.commandMenus.get("en")).toEqual([{ command: "theme", description: "Theme" }]);
    await expect(bot.telegram.setMyCommands([{ command: "Chủ-đề", description: "x" }])).rejects.toThrow(/BOT_COMMAND_INVALID/);
  });

  it("waitForSent says what it got when it times out", async () => {
    await expect(tg.waitForSent(tg.sent.length + 1, 150)).rejects.toThrow(/timed out after 150 ms waiting for \d+ sent message/);
  });
});
