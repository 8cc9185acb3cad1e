// The local web chat: a page at / and a small JSON API. Who is talking is decided by the server: the page gets a
// session cookie (src/http/sessions) on load, and the session's subject is the chat id; no body or query string names
// a chat. Replies are collected for the HTTP response, so the same conversation core serves the browser exactly as it
// serves Telegram and Zalo. The exchange is kept in the chat's log (web-push.ts) so a reload shows it again. A reply's
// file (e.g. /xuat's XLSX) is not put in the JSON: it is kept in memory and the browser gets a one-time download URL.
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import type { Context, MiddlewareHandler } from "hono";
import { z } from "zod";
import type { Conversation } from "../../app/conversation.js";
import { DEFAULT_LOCALE, LOCALES, t } from "../../app/i18n.js";
import type { Choice, Locale, OutgoingDocument, OutgoingMessage, SubscriberRepository, WebSessionRecord } from "../../app/ports.js";
import { hostAllowList, rateLimit, securityHeaders } from "../../http/guards.js";
import { HttpError, readJsonBody, sendJson, type HttpEnv, type Route } from "../../http/server.js";
import type { SessionCookies } from "../../http/sessions/session-cookies.js";
import type { WebSessions } from "../../http/sessions/web-sessions.js";
import { FileStore, TOKEN_PATTERN, type FileStoreOptions } from "./file-store.js";
import { INBOX_PATH, type WebInbox } from "./web-push.js";

export const WEB_TEXT_LIMIT = 4096;
export const CHAT_PATH = "/api/chat";
/** Where a file is downloaded: `/api/files?token=<token>`. */
export const FILES_PATH = "/api/files";

/** What the page sends: the text, and for a button press the label it showed. Nothing else (`strict`). */
const WebMessage = z
  .object({
    text: z.string().min(1).max(WEB_TEXT_LIMIT),
    label: z.string().max(200).optional(),
  })
  .strict();

const SEQ = /^\d{1,16}$/;

/** The page's chrome, in both languages (the page switches when a reply says the person changed language). */
const CHROME_KEYS = ["title", "subtitle", "log", "input", "placeholder", "keysHint", "send", "choices", "welcome", "start", "sendFailed", "rateLimited", "sessionEnded", "fileUsed"] as const;

/** What the browser gets for one reply. */
export interface BrowserReply {
  seq: number;
  text: string;
  choices?: Choice[];
  locale?: Locale;
  document?: { fileName: string; url: string };
}

export interface WebChatOptions {
  /** Server-issued browser sessions: the chat id is the session's subject. */
  sessions: SessionCookies;
  /** The chat's log: the exchange (for reloads) and pushes (scheduled notifications, announcements). */
  inbox: WebInbox;
  /** The person's saved language, for the page's chrome. */
  subscribers: Pick<SubscriberRepository, "find">;
  /** The Host names a browser may use (PUBLIC_URL's, localhost, 127.0.0.1). */
  allowedHosts: ReadonlySet<string>;
  /** Requests per remote address: `burst` at once, `perSecond` back (default 60 and 2). */
  rateLimit?: { burst: number; perSecond: number };
  /** Downloads: how long a file is kept (default 15 minutes), how many at most (default 20), the clock. */
  files?: FileStoreOptions;
}

/** `attachment; filename="…"; filename*=UTF-8''…`: an ASCII fallback, and the exact name (RFC 6266 / 5987). */
export function contentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]|["\\%]/g, "_");
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

function sendFile(document: OutgoingDocument): Response {
  // A copy: the Response body needs an ArrayBuffer-backed view (files are small; the store drops them after this).
  return new Response(new Uint8Array(document.content), {
    status: 200,
    headers: {
      "content-type": document.mimeType,
      "content-length": String(document.content.byteLength),
      "content-disposition": contentDisposition(document.fileName),
      "cache-control": "no-store",
    },
  });
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The page's language: the one the person chose in the chat (/ngonngu), Vietnamese until then, as the bot's replies. */
const pageLocale = async (subscribers: WebChatOptions["subscribers"], session: WebSessionRecord | null): Promise<Locale> =>
  (session && (await subscribers.find("web", session.subject))?.locale) || DEFAULT_LOCALE;

/** A new web chat id: random, never shown to the page, never logged. */
const newChatId = () => `web-${randomBytes(16).toString("hex")}`;

/**
 * Drops the log of every chat that no browser can open any more: its person was erased from another process
 * (`npm run admin -- subscriber erase`), or its session ended. Run with the retention job; returns how many.
 */
export async function forgetClosedChats(inbox: WebInbox, sessions: Pick<WebSessions, "liveSubjects">): Promise<number> {
  const held = inbox.chatIds();
  const live = await sessions.liveSubjects("chat", held);
  const closed = held.filter((chatId) => !live.has(chatId));
  for (const chatId of closed) inbox.forget(chatId);
  return closed.length;
}

export function webChatRoutes(conversation: Conversation, options: WebChatOptions): Route[] {
  const { sessions, inbox } = options;
  const files = new FileStore(options.files);
  const limits = options.rateLimit ?? { burst: 60, perSecond: 2 };
  const guard: MiddlewareHandler<HttpEnv>[] = [securityHeaders, hostAllowList(options.allowedHosts)];
  // The page shows these refusals in its own (the person's) language; the sentence here is for other clients.
  const limited = [...guard, rateLimit({ ...limits, refusal: () => ({ message: t(DEFAULT_LOCALE, "webchat.rateLimited") }) })];

  /** The chat this request belongs to; 401 (with a polite sentence) without a live chat session. */
  const requireSession = async (c: Context<HttpEnv>): Promise<WebSessionRecord> => {
    const session = await sessions.current(c, "chat");
    if (!session) throw new HttpError(401, "no chat session", { body: { message: t(DEFAULT_LOCALE, "webchat.sessionEnded") } });
    return session;
  };

  const template = readFileSync(new URL("./public/index.html", import.meta.url), "utf8");
  const chrome = Object.fromEntries(LOCALES.map((l) => [l, Object.fromEntries(CHROME_KEYS.map((k) => [k, t(l, `webchat.${k}`)]))]));
  /** The page with its chrome in `locale` and both languages' chrome as inert JSON for the script (built once). */
  const pages = Object.fromEntries(
    LOCALES.map((locale) => {
      const json = JSON.stringify({ locale, chrome }).replace(/</g, "\\u003c");
      const html = template
        .replaceAll("{{lang}}", locale)
        .replaceAll("{{chrome-json}}", json)
        .replace(/\{\{(\w+)\}\}/g, (whole, key: string) => ((CHROME_KEYS as readonly string[]).includes(key) ? escapeHtml(t(locale, `webchat.${key}`)) : whole));
      return [locale, html];
    }),
  ) as Record<Locale, string>;

  const page: Route = {
    method: "GET",
    path: "/",
    // Limited too: each load without a cookie stores a new session.
    before: limited,
    handler: async (c) => {
      // A browser without a live session gets a new one (and so a new, empty chat).
      const session = (await sessions.current(c, "chat")) ?? (await sessions.start(c, "chat", newChatId()));
      return c.html(pages[await pageLocale(options.subscribers, session)], 200, { "cache-control": "no-store" });
    },
  };

  const staticRoutes: Route[] = [
    { path: "/chat.js", file: "chat.js", type: "text/javascript; charset=utf-8" },
    { path: "/chat.css", file: "chat.css", type: "text/css; charset=utf-8" },
  ].map(({ path, file, type }) => {
    const body = readFileSync(new URL(`./public/${file}`, import.meta.url));
    return { method: "GET", path, before: guard, handler: () => new Response(body, { status: 200, headers: { "content-type": type, "cache-control": "no-cache" } }) };
  });

  const messages: Route = {
    method: "POST",
    path: CHAT_PATH,
    before: limited,
    handler: async (c) => {
      const { subject: chatId } = await requireSession(c);
      const parsed = WebMessage.safeParse(await readJsonBody(c.env.incoming, 64 * 1024));
      if (!parsed.success) throw new HttpError(400, "expected { text: 1–4096 characters, label?: the button's label }");
      const { text, label } = parsed.data;
      const userSeq = inbox.record(chatId, { from: "user", text: label ?? text });
      const replies: BrowserReply[] = [];
      await conversation.handle({ channel: "web", chatId, text }, async (message: OutgoingMessage) => {
        const { document, ...rest } = message;
        const seq = inbox.record(chatId, { from: "bot", text: rest.text, ...(rest.choices?.length ? { choices: rest.choices } : {}), ...(document ? { fileName: document.fileName } : {}) });
        replies.push({ seq, ...rest, ...(document ? { document: { fileName: document.fileName, url: `${FILES_PATH}?token=${files.put(document, chatId)}` } } : {}) });
      });
      // The session ended while this message was handled: the person erased their data (/xoadulieu deletes the
      // chat's sessions). Their log goes too, and the browser gets a fresh, empty chat, so /start works in the same tab.
      if (!(await sessions.current(c, "chat"))) {
        inbox.forget(chatId);
        await sessions.start(c, "chat", newChatId());
      }
      return sendJson(c, 200, { userSeq, replies });
    },
  };

  const log: Route = {
    method: "GET",
    path: INBOX_PATH,
    before: limited,
    handler: async (c) => {
      const { subject: chatId } = await requireSession(c);
      const after = c.req.query("after") ?? "0";
      if (!SEQ.test(after)) throw new HttpError(400, "expected after: a sequence number");
      return sendJson(c, 200, { messages: inbox.read(chatId, Number(after)) });
    },
  };

  const download: Route = {
    method: "GET",
    path: FILES_PATH,
    before: limited,
    handler: async (c) => {
      const { subject: chatId } = await requireSession(c);
      const token = c.req.query("token") ?? "";
      const document = TOKEN_PATTERN.test(token) ? files.take(token, chatId) : null;
      if (!document) throw new HttpError(404, "not found");
      return sendFile(document);
    },
  };

  return [page, ...staticRoutes, messages, log, download];
}
