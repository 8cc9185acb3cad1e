// The local web chat: a page at / and one JSON endpoint. Replies are collected for the HTTP response, so the
// same conversation core serves the browser exactly as it serves Telegram and Zalo. A reply's file (e.g. /xuat's
// XLSX) is not put in the JSON: it is kept in memory and the browser gets a one-time download URL for it.
import { readFileSync } from "node:fs";
import { z } from "zod";
import type { Conversation } from "../../app/conversation.js";
import type { Choice, Locale, OutgoingDocument, OutgoingMessage } from "../../app/ports.js";
import { HttpError, readJsonBody, sendJson, type Route } from "../../http/server.js";
import { FileStore, TOKEN_PATTERN, type FileStoreOptions } from "./file-store.js";
import { webInboxRoute, type WebInbox } from "./web-push.js";

export const WEB_TEXT_LIMIT = 4096;

const WebMessage = z.object({
  chatId: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/),
  text: z.string().min(1).max(WEB_TEXT_LIMIT),
  displayName: z.string().max(64).optional(),
  language: z.string().max(16).optional(),
});

const STATIC_FILES = [
  { path: "/", file: "index.html", type: "text/html; charset=utf-8" },
  { path: "/chat.js", file: "chat.js", type: "text/javascript; charset=utf-8" },
  { path: "/chat.css", file: "chat.css", type: "text/css; charset=utf-8" },
] as const;

const SECURITY_HEADERS = {
  "content-security-policy": "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
};

/**
 * Where a file is downloaded: `/api/files?token=<token>`. (The HTTP server matches exact paths, so the token is a
 * query parameter rather than a path segment.)
 */
export const FILES_PATH = "/api/files";

/** What the browser gets for one reply. */
export interface BrowserReply {
  text: string;
  choices?: Choice[];
  locale?: Locale;
  document?: { fileName: string; url: string };
}

export interface WebChatOptions {
  /** Downloads: how long a file is kept (default 15 minutes), how many at most (default 20), the clock. */
  files?: FileStoreOptions;
  /** Pushes (scheduled notifications, announcements) waiting for the page: served at GET /api/chat/inbox. */
  inbox?: WebInbox;
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
      ...SECURITY_HEADERS,
    },
  });
}

export function webChatRoutes(conversation: Conversation, options: WebChatOptions = {}): Route[] {
  const files = new FileStore(options.files);
  /** The reply as JSON for the browser: a document becomes a one-time URL, never bytes in the JSON. */
  const toBrowser = ({ document, ...rest }: OutgoingMessage): BrowserReply => {
    if (!document) return rest;
    const token = files.put(document);
    return { ...rest, document: { fileName: document.fileName, url: `${FILES_PATH}?token=${token}` } };
  };

  const staticRoutes: Route[] = STATIC_FILES.map(({ path, file, type }) => {
    const body = readFileSync(new URL(`./public/${file}`, import.meta.url));
    return {
      method: "GET",
      path,
      handler: () => new Response(body, { status: 200, headers: { "content-type": type, "cache-control": "no-cache", ...SECURITY_HEADERS } }),
    };
  });

  const messages: Route = {
    method: "POST",
    path: "/api/chat",
    handler: async (c) => {
      const parsed = WebMessage.safeParse(await readJsonBody(c.env.incoming, 64 * 1024));
      if (!parsed.success) throw new HttpError(400, "expected { chatId: 8–64 letters/digits, text: 1–4096 characters }");
      const { chatId, text, displayName, language } = parsed.data;
      const replies: BrowserReply[] = [];
      await conversation.handle(
        { channel: "web", chatId, text, displayName, languageCode: language },
        async (message) => void replies.push(toBrowser(message)),
      );
      return sendJson(c, 200, { replies });
    },
  };

  const download: Route = {
    method: "GET",
    path: FILES_PATH,
    handler: (c) => {
      const token = c.req.query("token") ?? "";
      const document = TOKEN_PATTERN.test(token) ? files.take(token) : null;
      if (!document) throw new HttpError(404, "not found");
      return sendFile(document);
    },
  };

  return [...staticRoutes, messages, download, ...(options.inbox ? [webInboxRoute(options.inbox)] : [])];
}
