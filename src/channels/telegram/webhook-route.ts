// POST /webhooks/telegram on the shared HTTP server. Telegram sends the secret_token given to setWebhook in a
// header on every call; anything without it is refused before a byte of the body is read. The answer is 200
// only once the update was handled, so Telegram redelivers an update whose handling failed.
import { timingSafeEqual } from "node:crypto";
import type { Update } from "telegraf/types";
import { HttpError, readJsonBody, sendJson, type Route } from "../../http/server.js";

export const TELEGRAM_WEBHOOK_PATH = "/webhooks/telegram";
export const SECRET_HEADER = "x-telegram-bot-api-secret-token";
export const WEBHOOK_BODY_LIMIT = 1_000_000;

/** Constant-time comparison; a different length is a mismatch (and says nothing about the content). */
export function secretMatches(given: string | string[] | undefined, expected: string): boolean {
  if (typeof given !== "string") return false;
  const a = Buffer.from(given, "utf8");
  const b = Buffer.from(expected, "utf8");
  if (a.length !== b.length) return false;
  return timingSafeEqual(a, b);
}

export function isUpdate(body: unknown): body is Update {
  if (typeof body !== "object" || body === null || Array.isArray(body)) return false;
  const id = (body as { update_id?: unknown }).update_id;
  return typeof id === "number" && Number.isSafeInteger(id) && id >= 0;
}

export interface WebhookRouteOptions {
  secret: string;
  /** Handles one update; resolves once it is done, rejects when Telegram should deliver it again. */
  handleUpdate(update: Update): Promise<void>;
  /** False once the channel is stopping: answer 503 so Telegram keeps the update for later. */
  accepting(): boolean;
  onFailure(error: unknown, update: Update): void;
}

export function telegramWebhookRoute(options: WebhookRouteOptions): Route {
  return {
    method: "POST",
    path: TELEGRAM_WEBHOOK_PATH,
    handler: async (c) => {
      const req = c.env.incoming;
      if (!secretMatches(req.headers[SECRET_HEADER], options.secret)) {
        req.resume();
        throw new HttpError(401, "unauthorized");
      }
      if (!options.accepting()) {
        req.resume();
        throw new HttpError(503, "shutting down");
      }
      const body = await readJsonBody(req, WEBHOOK_BODY_LIMIT);
      if (!isUpdate(body)) throw new HttpError(400, "expected a Telegram Update with a numeric update_id");
      try {
        await options.handleUpdate(body);
      } catch (error) {
        options.onFailure(error, body);
        return sendJson(c, 500, { error: "update not handled" });
      }
      return c.body(null, 200);
    },
  };
}
