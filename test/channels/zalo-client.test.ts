// The typed Zalo Bot API client against the fake platform over real HTTP: every method, every failure shape, and
// no token in any error text.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SendError } from "../../src/delivery/send-error.js";
import { DEFAULT_RETRY_AFTER_SECONDS, ZaloApiError, ZaloBotClient } from "../../src/channels/zalo/zalo-client.js";
import { startFakeZalo, textUpdate, type FakeZalo } from "../support/fake-zalo.js";

let zalo: FakeZalo;
let client: ZaloBotClient;

beforeEach(async () => {
  zalo = await startFakeZalo();
  client = new ZaloBotClient({ token: zalo.token, apiRoot: zalo.apiRoot, requestTimeoutMs: 2_000 });
});
afterEach(async () => {
  await zalo.close();
});

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(Error);
    return error as Error;
  }
  throw new Error("expected a rejection");
}

describe("ZaloBotClient", () => {
  it("getMe posts to /bot<token>/getMe and returns the bot, extra fields dropped", async () => {
    zalo.replyNext("getMe", { ok: true, result: { id: "42", account_name: "bot.x", account_type: "BASIC", can_join_groups: false, avatar: "https://a" } });
    expect(await client.getMe()).toEqual({ id: "42", account_name: "bot.x", account_type: "BASIC", can_join_groups: false });
    expect(await client.getMe()).toMatchObject({ id: "1459232241454765289" });
    expect(zalo.calls.map((c) => [c.method, c.authorized])).toEqual([
      ["getMe", true],
      ["getMe", true],
    ]);
  });

  it("getUpdates returns the one pending update, and null when the long poll times out", async () => {
    const update = textUpdate({ text: "Xin chào", messageId: "m-1" });
    zalo.pushUpdate(update);
    expect(await client.getUpdates({ timeout: 1 })).toEqual(update);
    expect(zalo.calls[0]!.body).toEqual({ timeout: "1" });

    const started = Date.now();
    expect(await client.getUpdates({ timeout: 1 })).toBeNull(); // the fake answers error_code 408 "Request timeout"
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it("getUpdates treats an HTTP 408, an empty result and an absent result as 'no update'", async () => {
    zalo.failNext("getUpdates", { status: 408, errorCode: 408, description: "Request timeout" });
    expect(await client.getUpdates({ timeout: 1 })).toBeNull();
    zalo.replyNext("getUpdates", { ok: true, result: {} });
    expect(await client.getUpdates({ timeout: 1 })).toBeNull();
    zalo.replyNext("getUpdates", { ok: true });
    expect(await client.getUpdates({ timeout: 1 })).toBeNull();
  });

  it("getUpdates hands a long poll that is waiting the update pushed meanwhile", async () => {
    const polling = client.getUpdates({ timeout: 5 });
    await zalo.waitForCalls("getUpdates", 1);
    zalo.pushUpdate(textUpdate({ text: "/chude", messageId: "m-2" }));
    expect(await polling).toMatchObject({ event_name: "message.text.received", message: { message_id: "m-2", text: "/chude" } });
  });

  it("an aborted long poll rejects at once and does not swallow the next update", async () => {
    const controller = new AbortController();
    const polling = client.getUpdates({ timeout: 10 }, controller.signal);
    await zalo.waitForCalls("getUpdates", 1);
    const started = Date.now();
    controller.abort();
    const error = await rejection(polling);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(error).toBeInstanceOf(ZaloApiError);
    expect((error as ZaloApiError).status).toBe(0);
    await new Promise((r) => setTimeout(r, 50)); // let the fake see the closed connection
    zalo.pushUpdate(textUpdate({ messageId: "after-abort" }));
    expect(await client.getUpdates({ timeout: 1 })).toMatchObject({ message: { message_id: "after-abort" } });
  });

  it("setWebhook, getWebhookInfo and deleteWebhook", async () => {
    expect(await client.setWebhook({ url: "https://bot.example.vn/webhooks/zalo", secret_token: "s3cret-s3cret" })).toMatchObject({
      url: "https://bot.example.vn/webhooks/zalo",
    });
    expect(zalo.webhook).toEqual({ url: "https://bot.example.vn/webhooks/zalo", secret: "s3cret-s3cret" });
    expect(await client.getWebhookInfo()).toMatchObject({ url: "https://bot.example.vn/webhooks/zalo" });
    expect(await client.deleteWebhook()).toMatchObject({ url: "" });
    expect(zalo.webhook).toBeNull();
  });

  it("sendMessage, sendPhoto and sendChatAction send what they are given", async () => {
    expect(await client.sendMessage({ chat_id: "c1", text: "Xin chào" })).toMatchObject({ message_id: expect.any(String) });
    await client.sendPhoto({ chat_id: "c1", photo: "https://example.vn/a.png", caption: "Ảnh" });
    await client.sendChatAction({ chat_id: "c1", action: "typing" });
    expect(zalo.sent).toEqual([
      { method: "sendMessage", chatId: "c1", text: "Xin chào" },
      { method: "sendPhoto", chatId: "c1", photo: "https://example.vn/a.png", caption: "Ảnh" },
    ]);
    expect(zalo.calls.at(-1)).toMatchObject({ method: "sendChatAction", body: { chat_id: "c1", action: "typing" } });
  });

  it("a malformed answer is a clear ZaloApiError naming the field, not a crash", async () => {
    zalo.replyNext("getMe", { ok: true, result: { account_name: "no id here" } });
    const error = await rejection(client.getMe());
    expect(error).toBeInstanceOf(ZaloApiError);
    expect(error.message).toMatch(/getMe.*unexpected result: id: /);

    // An update is handed over as the platform sent it: the channel reads it (read-update.ts), so one it cannot
    // understand is still logged and counted instead of failing the poll.
    const odd = { event_name: "message.text.received", message: { message_id: 7, chat: {} } };
    zalo.replyNext("getUpdates", { ok: true, result: odd });
    expect(await client.getUpdates({ timeout: 1 })).toEqual(odd);

    zalo.replyNext("getMe", { hello: "world" });
    expect((await rejection(client.getMe())).message).toMatch(/unexpected answer/);

    // And the client still works afterwards.
    expect(await client.getMe()).toMatchObject({ id: "1459232241454765289" });
  });

  it("platform errors carry errorCode, description and HTTP status; the token never appears", async () => {
    zalo.failNext("getMe", { status: 400, errorCode: 400, description: "Bad request: chat_id is invalid" });
    const error = (await rejection(client.getMe())) as ZaloApiError;
    expect(error).toBeInstanceOf(ZaloApiError);
    expect([error.errorCode, error.description, error.status, error.method]).toEqual([400, "Bad request: chat_id is invalid", 400, "getMe"]);

    const wrong = new ZaloBotClient({ token: "123456789:wrong-token-wrong-token-xx", apiRoot: zalo.apiRoot });
    const unauthorized = (await rejection(wrong.getMe())) as ZaloApiError;
    expect([unauthorized.status, unauthorized.errorCode]).toEqual([401, 401]);
    expect(zalo.calls.at(-1)).toMatchObject({ method: "getMe", authorized: false });

    // A URL that fetch cannot parse makes fetch quote it, token and all: that text is redacted.
    const broken = new ZaloBotClient({ token: zalo.token, apiRoot: "http://exa mple.invalid" });
    const network = (await rejection(broken.getMe())) as ZaloApiError;
    expect(network.status).toBe(0);
    for (const e of [error, unauthorized, network]) {
      expect(`${e.message}\n${e.stack}`).not.toContain(zalo.token);
      expect(`${e.message}\n${e.stack}`).not.toContain(zalo.token.split(":")[1]!);
    }
  });

  describe("send methods throw SendError with the delivery classification", () => {
    async function sendFailure() {
      const error = await rejection(client.sendMessage({ chat_id: "c1", text: "x" }));
      expect(error).toBeInstanceOf(SendError);
      expect((error as SendError & { cause: unknown }).cause).toBeInstanceOf(ZaloApiError);
      return (error as SendError).failure;
    }

    it("429 → rate-limited with Zalo's retry_after, or the default when none is given", async () => {
      zalo.failNext("sendMessage", { errorCode: 429, description: "Too Many Requests", retryAfter: 7 });
      expect(await sendFailure()).toMatchObject({ kind: "rate-limited", retryAfterSeconds: 7 });
      zalo.failNext("sendMessage", { status: 200, errorCode: 429, description: "Too Many Requests" });
      expect(await sendFailure()).toMatchObject({ kind: "rate-limited", retryAfterSeconds: DEFAULT_RETRY_AFTER_SECONDS });
    });

    it("403 → blocked; 400 → rejected; 5xx, a dropped connection and a timeout → transient", async () => {
      zalo.failNext("sendMessage", { errorCode: 403, description: "Forbidden: user blocked the bot" });
      expect(await sendFailure()).toMatchObject({ kind: "blocked" });
      zalo.failNext("sendMessage", { errorCode: 400, description: "Bad request" });
      expect(await sendFailure()).toMatchObject({ kind: "rejected" });
      zalo.failNext("sendMessage", { errorCode: 502, description: "Bad gateway" });
      expect(await sendFailure()).toMatchObject({ kind: "transient" });
      zalo.replyNext("sendMessage", "<html>502</html>", 502);
      expect(await sendFailure()).toMatchObject({ kind: "transient" });
      zalo.dropNext("sendMessage");
      expect(await sendFailure()).toMatchObject({ kind: "transient" });

      const quick = new ZaloBotClient({ token: zalo.token, apiRoot: zalo.apiRoot, requestTimeoutMs: 200 });
      zalo.stallNext("sendMessage");
      const started = Date.now();
      const timedOut = await rejection(quick.sendMessage({ chat_id: "c1", text: "x" }));
      expect(Date.now() - started).toBeLessThan(2_000);
      expect((timedOut as SendError).failure).toMatchObject({ kind: "transient", detail: expect.stringMatching(/no answer within 200 ms/) });
      expect(zalo.sent).toEqual([]);
    });
  });
});
