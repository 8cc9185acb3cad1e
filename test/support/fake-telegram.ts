// A fake Telegram Bot API server for tests: real HTTP on 127.0.0.1 (port 0), the methods telegraf calls, with
// Telegram's own rules where a bug could hide (HTML must parse, 4096 characters after parsing, callback_data
// ≤ 64 bytes, getUpdates refused while a webhook is set, offsets confirm updates). Requests may be JSON,
// urlencoded or multipart, as telegraf sends them. Use it as TELEGRAM_API_ROOT:
//
//   const tg = await startFakeTelegram();
//   const bot = new Telegraf(tg.token, { telegram: { apiRoot: tg.apiRoot } });
//   tg.pushUpdate(privateText("/chude"));            // served to getUpdates
//   const [reply] = await tg.waitForSent(1);
//
// For crash tests: `sendLatencyMs` delays the answer to each send after it was recorded (a send in flight when the
// bot dies has reached the person: the bot cannot know), `stallNext("sendMessage")` holds a call unanswered and
// unhandled (a bot killed meanwhile never got it through), and `abandonedCalls` lists the calls whose client hung
// up before the answer.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Update } from "telegraf/types";
import { FakeRateWindow, type FakeRateLimit } from "./fake-rate-limit.js";

export const FAKE_BOT_TOKEN = "123456789:AAFakeTelegramTokenForTests_0123456789x";
export const FAKE_BOT_USERNAME = "congdoan_test_bot";
export const TEXT_LIMIT = 4096;

export interface InlineButton {
  text: string;
  callback_data?: string;
  url?: string;
}

export interface SentMessage {
  method: "sendMessage" | "sendDocument";
  chatId: string;
  messageId: number;
  /** As sent (with HTML escapes when parse_mode is HTML). */
  text?: string;
  /** What the person sees: tags removed, entities decoded (sendMessage). */
  plainText?: string;
  parseMode?: string;
  inlineKeyboard?: InlineButton[][];
  caption?: string;
  document?: { filename: string; bytes: Buffer };
  /** Date.now() when the request arrived. */
  at?: number;
}

export interface ApiCall {
  method: string;
  body: Record<string, unknown>;
  /** Date.now() when the request arrived. */
  at: number;
}

export interface FakeFailure {
  status: number;
  description?: string;
  /** Seconds, sent as parameters.retry_after (429). */
  retryAfter?: number;
}

export interface BotCommand {
  command: string;
  description: string;
}

export interface FakeTelegram {
  /** For Telegraf's `telegram.apiRoot` / TELEGRAM_API_ROOT. */
  apiRoot: string;
  token: string;
  /** Messages and documents the bot sent successfully, in order. */
  sent: SentMessage[];
  /** Every API call, failed ones included, in order. */
  calls: ApiCall[];
  /** Sends refused with 429 by the `rateLimit` option, in order. */
  rateLimitedCalls: ApiCall[];
  /** Calls whose client closed the connection before the answer was written (a killed bot, an aborted long poll). */
  abandonedCalls: ApiCall[];
  setWebhookCalls: Record<string, unknown>[];
  /** The webhook currently set, if any. */
  readonly webhook: { url: string; secretToken?: string } | null;
  /** setMyCommands results by language_code ("" = default). */
  readonly commandMenus: ReadonlyMap<string, BotCommand[]>;
  /** Queues an update for getUpdates; assigns update_id when missing or not above the last. Returns update_id. */
  pushUpdate(update: object): number;
  /** Updates getUpdates has not had confirmed (by a later offset) yet. */
  pendingUpdates(): Update[];
  /** The next `times` calls of `method` fail with `failure` (after being recorded in `calls`). */
  failNext(method: string, failure: FakeFailure, times?: number): void;
  /**
   * The next `times` calls of `method` are recorded in `calls` and then held, unhandled and unanswered, until
   * releaseStalled(). A held call whose client goes away meanwhile is dropped: it never took effect.
   */
  stallNext(method: string, times?: number): void;
  /** The calls held by stallNext right now. */
  stalledCalls(): ApiCall[];
  waitForStalled(n: number, timeoutMs?: number): Promise<ApiCall[]>;
  /** Handles and answers every held call (and stalls nothing more that was asked for and not yet used). */
  releaseStalled(): void;
  /**
   * A file the bot can fetch: getFile answers for its id, and its bytes are served at `/file/bot<token>/<path>`
   * (the way telegraf's getFileLink builds the link). Returns the PhotoSize-like record to put in an update.
   */
  addFile(bytes: Uint8Array, options?: { contentType?: string; width?: number; height?: number }): { file_id: string; file_unique_id: string; file_size: number; width: number; height: number };
  /** File downloads served (path only; the token is checked, never recorded). */
  fileDownloads: string[];
  /** The next `times` file downloads fail with this HTTP status. */
  failNextDownload(status: number, times?: number): void;
  callsTo(method: string): ApiCall[];
  waitForSent(n: number, timeoutMs?: number): Promise<SentMessage[]>;
  waitForCalls(method: string, n: number, timeoutMs?: number): Promise<ApiCall[]>;
  close(): Promise<void>;
}

type Params = Record<string, unknown>;

class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly description: string,
    readonly retryAfter?: number,
  ) {
    super(description);
  }
}

// ---- request bodies -------------------------------------------------------------------------------------------

interface FilePart {
  filename: string;
  bytes: Buffer;
}

/** Fields telegraf JSON-encodes inside form bodies. */
const JSON_FIELDS = new Set(["reply_markup", "commands", "scope", "allowed_updates", "results", "entities", "caption_entities", "link_preview_options", "reply_parameters"]);

function parseMultipart(body: Buffer, boundary: string): Params {
  const out: Params = {};
  const delimiter = Buffer.from(`--${boundary}`);
  let start = body.indexOf(delimiter);
  while (start !== -1) {
    let partStart = start + delimiter.length;
    if (body.subarray(partStart, partStart + 2).toString() === "--") break; // closing delimiter
    if (body.subarray(partStart, partStart + 2).toString() === "\r\n") partStart += 2;
    const next = body.indexOf(delimiter, partStart);
    if (next === -1) break;
    let partEnd = next;
    if (body.subarray(partEnd - 2, partEnd).toString() === "\r\n") partEnd -= 2;
    const part = body.subarray(partStart, partEnd);
    const headerEnd = part.indexOf("\r\n\r\n");
    const headerText = headerEnd === -1 ? "" : part.subarray(0, headerEnd).toString("utf8");
    const content = headerEnd === -1 ? part : part.subarray(headerEnd + 4);
    const disposition = /content-disposition:\s*form-data;([^\r\n]*)/i.exec(headerText)?.[1] ?? "";
    const name = /\bname="([^"]*)"/.exec(disposition)?.[1];
    const filename = /\bfilename="([^"]*)"/.exec(disposition)?.[1];
    if (name !== undefined) out[name] = filename !== undefined ? ({ filename, bytes: Buffer.from(content) } satisfies FilePart) : content.toString("utf8");
    start = next;
  }
  return out;
}

function decodeJsonFields(params: Params): Params {
  for (const [key, value] of Object.entries(params)) {
    if (JSON_FIELDS.has(key) && typeof value === "string") {
      try {
        params[key] = JSON.parse(value);
      } catch {
        throw new ApiError(400, `Bad Request: can't parse ${key} JSON object`);
      }
    }
  }
  return params;
}

async function readParams(req: IncomingMessage, url: URL): Promise<Params> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks);
  const params: Params = Object.fromEntries(url.searchParams);
  const type = (req.headers["content-type"] ?? "").toLowerCase();
  if (body.length === 0) return decodeJsonFields(params);
  if (type.startsWith("application/json")) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString("utf8"));
    } catch {
      throw new ApiError(400, "Bad Request: invalid JSON body");
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new ApiError(400, "Bad Request: body must be a JSON object");
    return Object.assign(params, parsed);
  }
  if (type.startsWith("multipart/form-data")) {
    const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(req.headers["content-type"] ?? "");
    if (!boundary) throw new ApiError(400, "Bad Request: multipart without boundary");
    return decodeJsonFields(Object.assign(params, parseMultipart(body, boundary[1] ?? boundary[2]!)));
  }
  if (type.startsWith("application/x-www-form-urlencoded")) {
    return decodeJsonFields(Object.assign(params, Object.fromEntries(new URLSearchParams(body.toString("utf8")))));
  }
  throw new ApiError(400, `Bad Request: unsupported content-type ${type || "(none)"}`);
}

// ---- Telegram's HTML --------------------------------------------------------------------------------------------

const HTML_TAGS = new Set(["b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre", "span", "tg-spoiler", "tg-emoji", "blockquote"]);

/** Parses Telegram-style HTML like the Bot API does; returns the visible text or throws "can't parse entities". */
export function telegramHtmlToText(html: string): string {
  let out = "";
  const open: string[] = [];
  let i = 0;
  const fail = (why: string): never => {
    throw new ApiError(400, `Bad Request: can't parse entities: ${why} at byte offset ${Buffer.byteLength(html.slice(0, i))}`);
  };
  while (i < html.length) {
    const c = html[i]!;
    if (c === "<") {
      const end = html.indexOf(">", i);
      if (end === -1) fail("Unclosed start tag");
      const inner = html.slice(i + 1, end);
      const closing = inner.startsWith("/");
      const name = (closing ? inner.slice(1) : inner).trim().split(/\s/)[0]!.toLowerCase();
      if (!HTML_TAGS.has(name)) fail(`Unsupported start tag "${name}"`);
      if (closing) {
        if (open.pop() !== name) fail(`Unmatched end tag "${name}"`);
      } else open.push(name);
      i = end + 1;
    } else if (c === "&") {
      const m = /^&(lt|gt|amp|quot|#\d{1,7}|#x[0-9a-fA-F]{1,6});/.exec(html.slice(i, i + 12));
      if (m) {
        const entity = m[1]!;
        out += entity === "lt" ? "<" : entity === "gt" ? ">" : entity === "amp" ? "&" : entity === "quot" ? '"' : String.fromCodePoint(entity.startsWith("#x") ? parseInt(entity.slice(2), 16) : parseInt(entity.slice(1), 10));
        i += m[0].length;
      } else {
        // Telegram passes a lone "&" through, as browsers do.
        out += c;
        i++;
      }
    } else if (c === ">") {
      out += c;
      i++;
    } else {
      out += c;
      i++;
    }
  }
  if (open.length > 0) fail(`Can't find end tag corresponding to start tag "${open.at(-1)}"`);
  return out;
}

// ---- update builders --------------------------------------------------------------------------------------------

let builderUpdateId = 900_000;
let builderMessageId = 1;

export interface PersonOptions {
  chatId?: number;
  firstName?: string;
  lastName?: string;
  languageCode?: string;
  updateId?: number;
}

function person(o: PersonOptions) {
  const id = o.chatId ?? 424242;
  return {
    user: { id, is_bot: false, first_name: o.firstName ?? "Lan", ...(o.lastName ? { last_name: o.lastName } : {}), ...(o.languageCode ? { language_code: o.languageCode } : {}) },
    chat: { id, type: "private" as const, first_name: o.firstName ?? "Lan", ...(o.lastName ? { last_name: o.lastName } : {}) },
  };
}

/** A text message in a private chat. */
export function privateText(text: string, o: PersonOptions = {}): Update {
  const { user, chat } = person(o);
  return {
    update_id: o.updateId ?? ++builderUpdateId,
    message: { message_id: builderMessageId++, date: Math.floor(Date.now() / 1000), chat, from: user, text },
  } as Update;
}

/** A photo message in a private chat: `sizes` as Telegram sends them (smallest first), with an optional caption. */
export function privatePhoto(sizes: { file_id: string; file_unique_id: string; file_size?: number; width: number; height: number }[], o: PersonOptions & { caption?: string } = {}): Update {
  const { user, chat } = person(o);
  return {
    update_id: o.updateId ?? ++builderUpdateId,
    message: { message_id: builderMessageId++, date: Math.floor(Date.now() / 1000), chat, from: user, photo: sizes, ...(o.caption ? { caption: o.caption } : {}) },
  } as Update;
}

/** A file sent "as a file" (a document) in a private chat: `file` from addFile, with the type the sender's app gave it. */
export function privateDocument(file: { file_id: string; file_unique_id: string; file_size?: number }, mimeType: string, o: PersonOptions & { caption?: string; fileName?: string } = {}): Update {
  const { user, chat } = person(o);
  const document = { file_id: file.file_id, file_unique_id: file.file_unique_id, mime_type: mimeType, file_name: o.fileName ?? "file", ...(file.file_size === undefined ? {} : { file_size: file.file_size }) };
  return {
    update_id: o.updateId ?? ++builderUpdateId,
    message: { message_id: builderMessageId++, date: Math.floor(Date.now() / 1000), chat, from: user, document, ...(o.caption ? { caption: o.caption } : {}) },
  } as Update;
}

/** A press on an inline keyboard button under one of the bot's messages. */
export function buttonPress(data: string, o: PersonOptions & { messageId?: number } = {}): Update {
  const { user, chat } = person(o);
  return {
    update_id: o.updateId ?? ++builderUpdateId,
    callback_query: {
      id: `cbq-${builderUpdateId}-${Math.random().toString(36).slice(2, 8)}`,
      from: user,
      chat_instance: "fake-instance",
      data,
      message: { message_id: o.messageId ?? 1, date: Math.floor(Date.now() / 1000), chat, from: { id: 1, is_bot: true, first_name: "bot" }, text: "…" },
    },
  } as Update;
}

/** POSTs an update to a webhook URL the way Telegram does; returns the response. */
export async function postWebhook(url: string, update: unknown, secret?: string): Promise<Response> {
  return fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...(secret !== undefined ? { "x-telegram-bot-api-secret-token": secret } : {}) },
    body: JSON.stringify(update),
  });
}

// ---- the server -------------------------------------------------------------------------------------------------

const UPDATE_KINDS = ["message", "edited_message", "channel_post", "edited_channel_post", "callback_query", "inline_query", "my_chat_member", "chat_member", "chat_join_request", "poll", "poll_answer", "message_reaction"];

function updateKind(update: Update): string {
  return UPDATE_KINDS.find((k) => k in update) ?? "unknown";
}

function str(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  return typeof value === "string" ? value : typeof value === "number" || typeof value === "boolean" ? String(value) : undefined;
}

function num(value: unknown, fallback: number): number {
  const n = typeof value === "number" ? value : typeof value === "string" && value.trim() !== "" ? Number(value) : NaN;
  return Number.isFinite(n) ? n : fallback;
}

export interface FakeTelegramOptions {
  token?: string;
  username?: string;
  /** Listen on this port (e.g. one a channel is already failing to reach); 0 (default) picks a free one. */
  port?: number;
  /** Flood control for sendMessage/sendDocument: over the limit, 429 with retry_after (see fake-rate-limit.ts). */
  rateLimit?: FakeRateLimit;
  /**
   * sendMessage/sendDocument: milliseconds between recording the message (it has reached the person) and answering
   * the call, e.g. `() => Math.random() * 20`. Default: answer at once.
   */
  sendLatencyMs?: (method: string) => number;
}

export async function startFakeTelegram(options: FakeTelegramOptions = {}): Promise<FakeTelegram> {
  const token = options.token ?? FAKE_BOT_TOKEN;
  const username = options.username ?? FAKE_BOT_USERNAME;
  const botId = Number(token.split(":")[0]) || 123456789;

  const sent: SentMessage[] = [];
  const calls: ApiCall[] = [];
  const rateLimitedCalls: ApiCall[] = [];
  const abandonedCalls: ApiCall[] = [];
  const stalls = new Map<string, number>();
  const held: { call: ApiCall; release: () => void }[] = [];
  const rateWindow = options.rateLimit ? new FakeRateWindow(options.rateLimit) : null;
  const setWebhookCalls: Record<string, unknown>[] = [];
  const queue: Update[] = [];
  const failures = new Map<string, { failure: FakeFailure; times: number }[]>();
  const menus = new Map<string, BotCommand[]>();
  const files = new Map<string, { path: string; bytes: Buffer; contentType: string; size: number }>();
  const fileDownloads: string[] = [];
  let downloadFailures: { status: number; times: number } | null = null;
  let webhook: { url: string; secretToken?: string } | null = null;
  let allowedUpdates: string[] = [];
  let lastUpdateId = 0;
  let nextMessageId = 1;
  let closed = false;
  /** Wakes long polls and waitFor* calls. */
  let listeners: (() => void)[] = [];
  const notify = () => {
    const current = listeners;
    listeners = [];
    for (const listener of current) listener();
  };
  const changed = () =>
    new Promise<void>((resolve) => {
      listeners.push(resolve);
    });

  const chatOf = (chatId: string) => ({ id: Number(chatId), type: "private", first_name: "Lan" });
  const botUser = { id: botId, is_bot: true, first_name: "Trợ lý Thi đua (test)", username };

  function checkKeyboard(markup: unknown): InlineButton[][] | undefined {
    if (markup === undefined) return undefined;
    const rows = (markup as { inline_keyboard?: unknown }).inline_keyboard;
    if (!Array.isArray(rows) || !rows.every(Array.isArray)) throw new ApiError(400, "Bad Request: can't parse reply keyboard markup JSON object");
    for (const button of rows.flat() as InlineButton[]) {
      if (typeof button.text !== "string" || button.text === "") throw new ApiError(400, "Bad Request: text buttons are unallowed in the inline keyboard");
      if (button.callback_data !== undefined) {
        const bytes = Buffer.byteLength(button.callback_data, "utf8");
        if (bytes < 1 || bytes > 64) throw new ApiError(400, "Bad Request: BUTTON_DATA_INVALID");
      }
    }
    return rows as InlineButton[][];
  }

  const methods: Record<string, (p: Params, req: IncomingMessage, res: ServerResponse) => unknown | Promise<unknown>> = {
    getMe: () => ({ ...botUser, can_join_groups: true, can_read_all_group_messages: false, supports_inline_queries: false }),
    logOut: () => true,
    close: () => true,
    getWebhookInfo: () => ({
      url: webhook?.url ?? "",
      has_custom_certificate: false,
      pending_update_count: webhook ? queue.length : 0,
      ...(allowedUpdates.length ? { allowed_updates: allowedUpdates } : {}),
    }),
    deleteWebhook: (p) => {
      webhook = null;
      if (p.drop_pending_updates === true || p.drop_pending_updates === "true") queue.length = 0;
      return true;
    },
    setWebhook: (p) => {
      setWebhookCalls.push(p);
      const url = str(p.url) ?? "";
      if (url === "") {
        webhook = null;
        return true;
      }
      if (!/^https:\/\//.test(url)) throw new ApiError(400, "Bad Request: bad webhook: An HTTPS URL must be provided for webhook");
      const secretToken = str(p.secret_token);
      if (secretToken !== undefined && !/^[A-Za-z0-9_-]{1,256}$/.test(secretToken)) throw new ApiError(400, "Bad Request: secret token contains unallowed characters");
      webhook = { url, ...(secretToken !== undefined ? { secretToken } : {}) };
      if (Array.isArray(p.allowed_updates)) allowedUpdates = p.allowed_updates as string[];
      if (p.drop_pending_updates === true || p.drop_pending_updates === "true") queue.length = 0;
      return true;
    },
    getUpdates: async (p, _req, res) => {
      if (webhook) throw new ApiError(409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first");
      const offset = num(p.offset, 0);
      const limit = Math.min(100, Math.max(1, num(p.limit, 100)));
      const timeout = Math.max(0, num(p.timeout, 0));
      if (Array.isArray(p.allowed_updates) && p.allowed_updates.length > 0) allowedUpdates = p.allowed_updates as string[];
      else if (Array.isArray(p.allowed_updates)) allowedUpdates = [];
      // An offset confirms every update before it.
      if (offset > 0) while (queue.length > 0 && queue[0]!.update_id < offset) queue.shift();
      const deadline = Date.now() + timeout * 1000;
      let aborted = false;
      res.once("close", () => {
        aborted = true;
        notify();
      });
      for (;;) {
        // Updates of kinds the bot did not ask for are never delivered.
        if (allowedUpdates.length > 0) {
          for (let i = queue.length - 1; i >= 0; i--) if (!allowedUpdates.includes(updateKind(queue[i]!))) queue.splice(i, 1);
        }
        const ready = queue.filter((u) => u.update_id > offset - 1).slice(0, limit);
        if (ready.length > 0 || Date.now() >= deadline || closed || aborted) return ready;
        const timer = new Promise<void>((r) => setTimeout(r, Math.max(1, deadline - Date.now())).unref());
        await Promise.race([changed(), timer]);
      }
    },
    sendMessage: (p) => {
      const chatId = str(p.chat_id);
      if (!chatId) throw new ApiError(400, "Bad Request: chat_id is empty");
      const text = str(p.text) ?? "";
      const parseMode = str(p.parse_mode);
      const plainText = parseMode?.toUpperCase() === "HTML" ? telegramHtmlToText(text) : text;
      if (plainText.trim() === "") throw new ApiError(400, "Bad Request: message text is empty");
      if (plainText.length > TEXT_LIMIT) throw new ApiError(400, "Bad Request: message is too long");
      const keyboard = checkKeyboard(p.reply_markup);
      const messageId = nextMessageId++;
      sent.push({ method: "sendMessage", chatId, messageId, text, plainText, ...(parseMode ? { parseMode } : {}), ...(keyboard ? { inlineKeyboard: keyboard } : {}), at: Date.now() });
      return { message_id: messageId, date: Math.floor(Date.now() / 1000), chat: chatOf(chatId), from: botUser, text: plainText, ...(p.reply_markup ? { reply_markup: p.reply_markup } : {}) };
    },
    sendDocument: (p) => {
      const chatId = str(p.chat_id);
      if (!chatId) throw new ApiError(400, "Bad Request: chat_id is empty");
      const doc = p.document;
      let document: FilePart;
      if (doc && typeof doc === "object" && "bytes" in doc) document = doc as FilePart;
      else if (typeof doc === "string" && doc !== "") document = { filename: doc, bytes: Buffer.alloc(0) };
      else throw new ApiError(400, "Bad Request: there is no document in the request");
      const messageId = nextMessageId++;
      const caption = str(p.caption);
      sent.push({ method: "sendDocument", chatId, messageId, document, ...(caption ? { caption } : {}), at: Date.now() });
      return {
        message_id: messageId,
        date: Math.floor(Date.now() / 1000),
        chat: chatOf(chatId),
        from: botUser,
        document: { file_id: `file-${messageId}`, file_unique_id: `u-${messageId}`, file_name: document.filename, file_size: document.bytes.length },
        ...(caption ? { caption } : {}),
      };
    },
    getFile: (p) => {
      const file = files.get(str(p.file_id) ?? "");
      if (!file) throw new ApiError(400, "Bad Request: invalid file_id");
      return { file_id: str(p.file_id), file_unique_id: `u-${str(p.file_id)}`, file_size: file.size, file_path: file.path };
    },
    sendChatAction: (p) => {
      if (!str(p.chat_id)) throw new ApiError(400, "Bad Request: chat_id is empty");
      return true;
    },
    answerCallbackQuery: (p) => {
      if (!str(p.callback_query_id)) throw new ApiError(400, "Bad Request: query is too old and response timeout expired or query ID is invalid");
      return true;
    },
    setMyCommands: (p) => {
      const commands = p.commands;
      if (!Array.isArray(commands) || commands.length > 100) throw new ApiError(400, "Bad Request: commands must be an array of at most 100 items");
      for (const c of commands as BotCommand[]) {
        if (typeof c.command !== "string" || !/^[a-z0-9_]{1,32}$/.test(c.command)) throw new ApiError(400, "Bad Request: BOT_COMMAND_INVALID");
        if (typeof c.description !== "string" || c.description.length < 1 || c.description.length > 256) throw new ApiError(400, "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID");
      }
      const language = str(p.language_code) ?? "";
      if (language !== "" && !/^[a-z]{2}$/.test(language)) throw new ApiError(400, "Bad Request: LANG_CODE_INVALID");
      menus.set(language, commands as BotCommand[]);
      return true;
    },
  };

  function failureFor(method: string): FakeFailure | undefined {
    const list = failures.get(method);
    const head = list?.[0];
    if (!head) return undefined;
    head.times--;
    if (head.times <= 0) list!.shift();
    return head.failure;
  }

  function answer(res: ServerResponse, status: number, body: unknown) {
    if (res.writableEnded || res.destroyed) return;
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  }

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      const download = /^\/file\/bot([^/]+)\/(.+)$/.exec(url.pathname);
      if (download) {
        req.resume();
        const file = [...files.values()].find((f) => f.path === download[2]);
        if (download[1] !== token || !file) return answer(res, 404, { ok: false, error_code: 404, description: "Not Found" });
        fileDownloads.push(file.path);
        notify();
        if (downloadFailures && downloadFailures.times > 0) {
          downloadFailures.times--;
          return answer(res, downloadFailures.status, { ok: false, error_code: downloadFailures.status, description: "Error" });
        }
        res.writeHead(200, { "content-type": file.contentType, "content-length": String(file.bytes.length) });
        return res.end(file.bytes);
      }
      const match = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(url.pathname);
      if (!match) return answer(res, 404, { ok: false, error_code: 404, description: "Not Found" });
      const [, givenToken, method] = match as unknown as [string, string, string];
      if (givenToken !== token) {
        req.resume();
        return answer(res, 401, { ok: false, error_code: 401, description: "Unauthorized" });
      }
      let params: Params;
      try {
        params = await readParams(req, url);
      } catch (error) {
        const e = error instanceof ApiError ? error : new ApiError(400, "Bad Request");
        return answer(res, e.status, { ok: false, error_code: e.status, description: e.description });
      }
      const call: ApiCall = { method, body: params, at: Date.now() };
      calls.push(call);
      res.once("close", () => {
        if (!res.writableEnded) abandonedCalls.push(call);
      });
      notify();
      const stallsLeft = stalls.get(method) ?? 0;
      if (stallsLeft > 0) {
        stalls.set(method, stallsLeft - 1);
        const released = await new Promise<boolean>((resolve) => {
          const entry = { call, release: () => resolve(true) };
          held.push(entry);
          notify();
          res.once("close", () => {
            const index = held.indexOf(entry);
            if (index >= 0) held.splice(index, 1);
            resolve(false);
          });
        });
        if (!released || res.destroyed) return;
      }
      let failure = failureFor(method);
      if (!failure && rateWindow && (method === "sendMessage" || method === "sendDocument")) {
        const decision = rateWindow.check(str(params.chat_id) ?? "", call.at);
        if (decision.retryAfter !== undefined) {
          rateLimitedCalls.push(call);
          failure = { status: 429, retryAfter: decision.retryAfter };
        }
      }
      if (failure) {
        const description = failure.description ?? (failure.status === 429 ? `Too Many Requests: retry after ${failure.retryAfter ?? 1}` : `Error ${failure.status}`);
        return answer(res, failure.status, {
          ok: false,
          error_code: failure.status,
          description,
          ...(failure.retryAfter !== undefined ? { parameters: { retry_after: failure.retryAfter } } : {}),
        });
      }
      const implementation = methods[method];
      if (!implementation) return answer(res, 404, { ok: false, error_code: 404, description: "Not Found: method not found" });
      try {
        const result = await implementation(params, req, res);
        const latency = options.sendLatencyMs && (method === "sendMessage" || method === "sendDocument") ? options.sendLatencyMs(method) : 0;
        if (latency > 0) await new Promise((r) => setTimeout(r, latency));
        answer(res, 200, { ok: true, result });
        notify();
      } catch (error) {
        if (error instanceof ApiError) {
          return answer(res, error.status, { ok: false, error_code: error.status, description: error.description });
        }
        answer(res, 500, { ok: false, error_code: 500, description: `Internal Server Error: ${String(error)}` });
      }
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  async function waitUntil<T>(ready: () => T | undefined, timeoutMs: number, describe: () => string): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = ready();
      if (value !== undefined) return value;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`fake Telegram: timed out after ${timeoutMs} ms waiting for ${describe()}`);
      await Promise.race([changed(), new Promise<void>((r) => setTimeout(r, Math.min(left, 100)).unref())]);
    }
  }

  const fake: FakeTelegram = {
    apiRoot: `http://127.0.0.1:${port}`,
    token,
    sent,
    calls,
    rateLimitedCalls,
    abandonedCalls,
    setWebhookCalls,
    get webhook() {
      return webhook;
    },
    get commandMenus() {
      return menus;
    },
    pushUpdate(update) {
      const raw = (update as { update_id?: unknown }).update_id;
      const given = typeof raw === "number" ? raw : undefined;
      const id = given !== undefined && given > lastUpdateId ? given : lastUpdateId + 1;
      lastUpdateId = id;
      queue.push({ ...update, update_id: id } as Update);
      notify();
      return id;
    },
    pendingUpdates: () => [...queue],
    failNext(method, failure, times = 1) {
      const list = failures.get(method) ?? [];
      list.push({ failure, times });
      failures.set(method, list);
    },
    stallNext(method, times = 1) {
      stalls.set(method, (stalls.get(method) ?? 0) + times);
    },
    stalledCalls: () => held.map((h) => h.call),
    waitForStalled: (n, timeoutMs = 5000) =>
      waitUntil(
        () => (held.length >= n ? held.map((h) => h.call) : undefined),
        timeoutMs,
        () => `${n} stalled call(s); held ${held.length}; calls: ${calls.map((c) => c.method).join(", ")}`,
      ),
    releaseStalled() {
      stalls.clear();
      for (const h of held.splice(0)) h.release();
    },
    addFile(bytes, o = {}) {
      const n = files.size + 1;
      const file_id = `photo-file-${n}`;
      const ext = (o.contentType ?? "image/jpeg").split("/")[1]!.replace("jpeg", "jpg");
      files.set(file_id, { path: `photos/file_${n}.${ext}`, bytes: Buffer.from(bytes), contentType: o.contentType ?? "image/jpeg", size: bytes.byteLength });
      return { file_id, file_unique_id: `u-${file_id}`, file_size: bytes.byteLength, width: o.width ?? 800, height: o.height ?? 600 };
    },
    fileDownloads,
    failNextDownload(status, times = 1) {
      downloadFailures = { status, times };
    },
    callsTo: (method) => calls.filter((c) => c.method === method),
    waitForSent: (n, timeoutMs = 5000) =>
      waitUntil(
        () => (sent.length >= n ? [...sent] : undefined),
        timeoutMs,
        () => `${n} sent message(s); got ${sent.length}: ${JSON.stringify(sent.map((s) => s.plainText ?? s.document?.filename))}; calls: ${calls.map((c) => c.method).join(", ")}`,
      ),
    waitForCalls: (method, n, timeoutMs = 5000) =>
      waitUntil(
        () => {
          const list = calls.filter((c) => c.method === method);
          return list.length >= n ? list : undefined;
        },
        timeoutMs,
        () => `${n} call(s) of ${method}; calls: ${calls.map((c) => c.method).join(", ")}`,
      ),
    async close() {
      closed = true;
      notify();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
  return fake;
}
