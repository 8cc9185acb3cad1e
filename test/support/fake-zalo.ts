// A fake Zalo Bot Platform API on 127.0.0.1 (real HTTP, port 0) for tests: `POST /bot<token>/<method>` with JSON,
// answers `{ ok, result }` / `{ ok: false, error_code, description }` like the platform. It checks the token,
// enforces the 2000-character text limit, long-polls getUpdates (one update per call, `Request timeout` 408 when
// none comes), records every call and every sent message, and can be told to fail, drop or stall the next calls.
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { FakeRateWindow, type FakeRateLimit } from "./fake-rate-limit.js";

export const FAKE_ZALO_TEXT_LIMIT = 2000;

export interface FakeCall {
  method: string;
  body: Record<string, unknown>;
  /** False when the token in the path was wrong (answered 401). */
  authorized: boolean;
  /** Date.now() when the request arrived. */
  at: number;
}

export interface FakeSent {
  method: "sendMessage" | "sendPhoto";
  chatId: string;
  text?: string;
  photo?: string;
  caption?: string;
}

export interface FakeFailure {
  /** HTTP status; defaults to errorCode when that is an HTTP status, else 200 (Zalo may answer errors with 200). */
  status?: number;
  errorCode: number;
  description: string;
  /** Sent as a Retry-After header and as Telegram-style `parameters.retry_after`. */
  retryAfter?: number;
}

export interface FakeUpdateInput {
  event_name?: string;
  chatId?: string;
  /** Defaults to "/chude"; null for a message without text (images, stickers). */
  text?: string | null;
  displayName?: string;
  chatType?: "PRIVATE" | "GROUP";
  messageId?: string;
}

export interface FakeZalo {
  apiRoot: string;
  token: string;
  calls: FakeCall[];
  sent: FakeSent[];
  /** Sends refused with 429 by the `rateLimit` option, in order. */
  rateLimitedCalls: FakeCall[];
  /** Set by setWebhook, cleared by deleteWebhook. */
  readonly webhook: { url: string; secret: string } | null;
  /** An image the platform hosts for an image message: served by GET at the returned URL (this server). */
  addImage(bytes: Uint8Array, contentType: string): string;
  /** A link on this server that answers 302 to `location`. */
  addRedirect(location: string): string;
  /** Image downloads served, by path. */
  imageDownloads: string[];
  /** Queues an update for getUpdates (a waiting long poll gets it at once). */
  pushUpdate(update: unknown): void;
  /** The next `times` calls of `method` answer this failure. */
  failNext(method: string, failure: FakeFailure, times?: number): void;
  /** The next `times` calls of `method` lose their connection without an answer (a network fault). */
  dropNext(method: string, times?: number): void;
  /** The next `times` calls of `method` get no answer at all until close(). */
  stallNext(method: string, times?: number): void;
  /** The next call of `method` answers exactly this body: JSON, or a string sent as is (for malformed answers). */
  replyNext(method: string, body: unknown, status?: number): void;
  /** Resolves with `sent` once it holds at least `n` messages. */
  waitForSent(n: number, timeoutMs?: number): Promise<FakeSent[]>;
  /** Resolves once `calls` holds at least `n` calls of `method`. */
  waitForCalls(method: string, n: number, timeoutMs?: number): Promise<FakeCall[]>;
  close(): Promise<void>;
}

type Scripted =
  | { kind: "fail"; failure: FakeFailure }
  | { kind: "drop" }
  | { kind: "stall" }
  | { kind: "reply"; body: unknown; status: number };

/** A well-formed text update, for tests that do not care about the details. */
export function textUpdate(input: FakeUpdateInput = {}): Record<string, unknown> {
  const chatId = input.chatId ?? "b1e2c3d4e5f6a7b8c9d0";
  return {
    event_name: input.event_name ?? "message.text.received",
    message: {
      message_id: input.messageId ?? randomBytes(10).toString("hex"),
      date: Date.now(),
      ...(input.text === null ? {} : { text: input.text ?? "/chude" }),
      chat: { id: chatId, chat_type: input.chatType ?? "PRIVATE" },
      from: { id: chatId, display_name: input.displayName ?? "Nguyễn Văn A", is_bot: false },
    },
  };
}

/** An image message as the Bot Platform documents it (`message.image.received` with `photo_url`). */
export function imageUpdate(input: { chatId: string; photoUrl: string; caption?: string }): Record<string, unknown> {
  const update = textUpdate({ chatId: input.chatId, text: null, event_name: "message.image.received" });
  Object.assign(update.message as Record<string, unknown>, { photo_url: input.photoUrl, ...(input.caption ? { caption: input.caption } : {}) });
  return update;
}

export interface FakeZaloOptions {
  token?: string;
  /** Flood control for sendMessage/sendPhoto: over the limit, 429 with retry_after (see fake-rate-limit.ts). */
  rateLimit?: FakeRateLimit;
}

export async function startFakeZalo(options: FakeZaloOptions = {}): Promise<FakeZalo> {
  const token = options.token ?? `${1_000_000_000_000 + Math.floor(Math.random() * 1e12)}:${randomBytes(24).toString("hex")}`;
  const calls: FakeCall[] = [];
  const sent: FakeSent[] = [];
  const rateLimitedCalls: FakeCall[] = [];
  const rateWindow = options.rateLimit ? new FakeRateWindow(options.rateLimit) : null;
  const updates: unknown[] = [];
  const pollers: { deliver: (update: unknown) => void }[] = [];
  const scripts = new Map<string, Scripted[]>();
  const stalled = new Set<ServerResponse>();
  const watchers = new Set<() => void>();
  let webhook: { url: string; secret: string } | null = null;
  const botId = "1459232241454765289";

  const notify = () => watchers.forEach((watch) => watch());
  const script = (method: string, entry: Scripted, times: number) => {
    const list = scripts.get(method) ?? [];
    for (let i = 0; i < times; i++) list.push(entry);
    scripts.set(method, list);
  };

  const answer = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    if (res.writableEnded || res.destroyed) return;
    res.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers });
    res.end(JSON.stringify(body));
  };
  const ok = (res: ServerResponse, result?: unknown) => answer(res, 200, result === undefined ? { ok: true } : { ok: true, result });
  const error = (res: ServerResponse, status: number, errorCode: number, description: string) =>
    answer(res, status, { ok: false, error_code: errorCode, description });

  async function readBody(req: IncomingMessage): Promise<Record<string, unknown>> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString("utf8");
    if (!text) return {};
    const parsed: unknown = JSON.parse(text);
    return parsed && typeof parsed === "object" ? (parsed as Record<string, unknown>) : {};
  }

  function getUpdates(req: IncomingMessage, res: ServerResponse, body: Record<string, unknown>): void {
    const queued = updates.shift();
    if (queued !== undefined) return ok(res, queued);
    const seconds = Math.min(Number(body.timeout ?? 30) || 0, 60);
    const poller = {
      deliver: (update: unknown) => {
        clearTimeout(timer);
        ok(res, update);
      },
    };
    const leave = () => {
      const i = pollers.indexOf(poller);
      if (i >= 0) pollers.splice(i, 1);
    };
    const timer = setTimeout(() => {
      leave();
      error(res, 200, 408, "Request timeout");
    }, seconds * 1000);
    // A client that gave up (stop(), its own timeout) must not swallow the next update.
    res.on("close", () => {
      clearTimeout(timer);
      leave();
    });
    pollers.push(poller);
  }

  function handle(method: string, req: IncomingMessage, res: ServerResponse, body: Record<string, unknown>, call: FakeCall): void {
    let next = scripts.get(method)?.shift();
    if (!next && rateWindow && (method === "sendMessage" || method === "sendPhoto")) {
      const decision = rateWindow.check(typeof body.chat_id === "string" ? body.chat_id : "", call.at);
      if (decision.retryAfter !== undefined) {
        rateLimitedCalls.push(call);
        next = { kind: "fail", failure: { status: 429, errorCode: 429, description: "Too Many Requests", retryAfter: decision.retryAfter } };
      }
    }
    if (next?.kind === "drop") return void req.socket.destroy();
    if (next?.kind === "stall") return void stalled.add(res);
    if (next?.kind === "reply") {
      if (typeof next.body !== "string") return answer(res, next.status, next.body);
      res.writeHead(next.status, { "content-type": "text/html" });
      return void res.end(next.body);
    }
    if (next?.kind === "fail") {
      const { failure } = next;
      const status = failure.status ?? (failure.errorCode >= 100 && failure.errorCode < 600 ? failure.errorCode : 200);
      const payload: Record<string, unknown> = { ok: false, error_code: failure.errorCode, description: failure.description };
      const headers: Record<string, string> = {};
      if (failure.retryAfter !== undefined) {
        payload.parameters = { retry_after: failure.retryAfter };
        headers["retry-after"] = String(failure.retryAfter);
      }
      return answer(res, status, payload, headers);
    }

    switch (method) {
      case "getMe":
        return ok(res, { id: botId, account_name: "bot.congdoan", account_type: "BASIC", can_join_groups: false });
      case "getUpdates":
        if (webhook) return error(res, 409, 409, "Conflict: webhook is active");
        return getUpdates(req, res, body);
      case "setWebhook": {
        const url = body.url;
        const secret = body.secret_token;
        if (typeof url !== "string" || !url.startsWith("http")) return error(res, 400, 400, "url is invalid");
        if (typeof secret !== "string" || secret.length < 8 || secret.length > 256) return error(res, 400, 400, "secret_token must have 8 to 256 characters");
        webhook = { url, secret };
        return ok(res, { url, updated_at: Date.now() });
      }
      case "deleteWebhook":
        webhook = null;
        return ok(res, { url: "", updated_at: Date.now() });
      case "getWebhookInfo":
        return ok(res, { url: webhook?.url ?? "", updated_at: Date.now() });
      case "sendMessage": {
        const { chat_id: chatId, text } = body;
        if (typeof chatId !== "string" || !chatId) return error(res, 400, 400, "chat_id is required");
        if (typeof text !== "string" || text.length < 1 || text.length > FAKE_ZALO_TEXT_LIMIT) {
          return error(res, 400, 400, `text must have 1 to ${FAKE_ZALO_TEXT_LIMIT} characters`);
        }
        sent.push({ method: "sendMessage", chatId, text });
        notify();
        return ok(res, { message_id: randomBytes(10).toString("hex"), date: Date.now() });
      }
      case "sendPhoto": {
        const { chat_id: chatId, photo, caption } = body;
        if (typeof chatId !== "string" || typeof photo !== "string") return error(res, 400, 400, "chat_id and photo are required");
        sent.push({ method: "sendPhoto", chatId, photo, ...(typeof caption === "string" ? { caption } : {}) });
        notify();
        return ok(res, { message_id: randomBytes(10).toString("hex"), date: Date.now() });
      }
      case "sendChatAction":
        return ok(res);
      default:
        return error(res, 404, 404, "Not Found");
    }
  }

  const images = new Map<string, { bytes: Buffer; contentType: string }>();
  const redirects = new Map<string, string>();
  const imageDownloads: string[] = [];
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://fake").pathname;
    const image = req.method === "GET" ? images.get(path) : undefined;
    const redirect = req.method === "GET" ? redirects.get(path) : undefined;
    if (redirect) return void res.writeHead(302, { location: redirect }).end();
    if (image) {
      imageDownloads.push(path);
      res.writeHead(200, { "content-type": image.contentType, "content-length": String(image.bytes.length) });
      return void res.end(image.bytes);
    }
    const match = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(new URL(req.url ?? "/", "http://fake").pathname);
    readBody(req)
      .then((body) => {
        if (!match) return error(res, 404, 404, "Not Found");
        const [, givenToken, method] = match as unknown as [string, string, string];
        const authorized = givenToken === token;
        const call: FakeCall = { method, body, authorized, at: Date.now() };
        calls.push(call);
        notify();
        if (!authorized) return error(res, 401, 401, "Unauthorized");
        if (req.method !== "POST") return error(res, 405, 405, "Method Not Allowed");
        handle(method, req, res, body, call);
      })
      .catch(() => error(res, 400, 400, "Bad Request: body is not JSON"));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  function waitFor<T>(ready: () => T | undefined, timeoutMs: number, what: () => string): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const value = ready();
        if (value === undefined) return;
        cleanup();
        resolve(value);
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`fake Zalo: timed out after ${timeoutMs} ms waiting for ${what()}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        watchers.delete(check);
      };
      watchers.add(check);
      check();
    });
  }

  return {
    apiRoot: `http://127.0.0.1:${port}`,
    token,
    calls,
    sent,
    rateLimitedCalls,
    get webhook() {
      return webhook;
    },
    addImage(bytes, contentType) {
      const path = `/images/${randomBytes(8).toString("hex")}.${contentType.split("/")[1]}`;
      images.set(path, { bytes: Buffer.from(bytes), contentType });
      return `http://127.0.0.1:${port}${path}`;
    },
    addRedirect(location) {
      const path = `/redirects/${randomBytes(8).toString("hex")}.jpg`;
      redirects.set(path, location);
      return `http://127.0.0.1:${port}${path}`;
    },
    imageDownloads,
    pushUpdate(update) {
      const poller = pollers.shift();
      if (poller) poller.deliver(update);
      else updates.push(update);
    },
    failNext: (method, failure, times = 1) => script(method, { kind: "fail", failure }, times),
    dropNext: (method, times = 1) => script(method, { kind: "drop" }, times),
    stallNext: (method, times = 1) => script(method, { kind: "stall" }, times),
    replyNext: (method, body, status = 200) => script(method, { kind: "reply", body, status }, 1),
    waitForSent: (n, timeoutMs = 5_000) =>
      waitFor(() => (sent.length >= n ? [...sent] : undefined), timeoutMs, () => `${n} sent message(s); got ${JSON.stringify(sent)}`),
    waitForCalls: (method, n, timeoutMs = 5_000) =>
      waitFor(
        () => {
          const matching = calls.filter((c) => c.method === method);
          return matching.length >= n ? matching : undefined;
        },
        timeoutMs,
        () => `${n} ${method} call(s); got ${calls.map((c) => c.method).join(", ") || "none"}`,
      ),
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of stalled) res.destroy();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
