// The local web chat: a page at / and one JSON endpoint. Replies are collected for the HTTP response, so the
// same conversation core serves the browser exactly as it serves Telegram and Zalo.
import { readFileSync } from "node:fs";
import { z } from "zod";
import type { Conversation } from "../../app/conversation.js";
import type { OutgoingMessage } from "../../app/ports.js";
import { HttpError, readJsonBody, sendJson, type Route } from "../../http/server.js";

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

export function webChatRoutes(conversation: Conversation): Route[] {
  const staticRoutes: Route[] = STATIC_FILES.map(({ path, file, type }) => {
    const body = readFileSync(new URL(`./public/${file}`, import.meta.url));
    return {
      method: "GET",
      path,
      handler: (_req, res) => {
        res.writeHead(200, { "content-type": type, "cache-control": "no-cache", ...SECURITY_HEADERS });
        res.end(body);
      },
    };
  });

  const messages: Route = {
    method: "POST",
    path: "/api/chat",
    handler: async (req, res) => {
      const parsed = WebMessage.safeParse(await readJsonBody(req, 64 * 1024));
      if (!parsed.success) throw new HttpError(400, "expected { chatId: 8–64 letters/digits, text: 1–4096 characters }");
      const { chatId, text, displayName, language } = parsed.data;
      const replies: OutgoingMessage[] = [];
      await conversation.handle(
        { channel: "web", chatId, text, displayName, languageCode: language },
        async (message) => void replies.push(message),
      );
      sendJson(res, 200, { replies });
    },
  };

  return [...staticRoutes, messages];
}
