// The Zalo adapter: updates in (long polling or webhook), text out. Updates become IncomingMessage and go to the
// inbound handler; no business rule lives here.
import { createHash, timingSafeEqual } from "node:crypto";
import { setTimeout as delay } from "node:timers/promises";
import type { IncomingMessage, OutgoingMessage, Reply } from "../../app/ports.js";
import { SendError, type SendFailure } from "../../delivery/send-error.js";
import { sleepUnlessAborted } from "../../delivery/rate-limiter.js";
import { sendWithRetry, type Sleep } from "../../delivery/retry.js";
import { HttpError, readJsonBody, sendJson, type Route } from "../../http/server.js";
import type { Channel, PlatformChannelOptions } from "../channel.js";
import { renderForZalo } from "./render.js";
import { readZaloUpdate } from "./read-update.js";
import { downloadPhoto, PhotoDownloadError, ZALO_PHOTO_HOSTS } from "../photo-download.js";
import { ZaloBotClient } from "./zalo-client.js";

export const ZALO_WEBHOOK_PATH = "/webhooks/zalo";
export const ZALO_WEBHOOK_BODY_LIMIT = 1_000_000;

export interface ZaloChannelOptions extends PlatformChannelOptions {
  /** Counts an update that could not be understood (metrics). */
  onUnreadable?: (channel: "zalo") => void;
  /** Long-poll length in seconds (Zalo's default is 30). */
  pollTimeoutSeconds?: number;
  /** Waits between failed polls: baseMs doubling up to maxMs, back to baseMs after a success. */
  pollBackoff?: { baseMs?: number; maxMs?: number; sleep?: Sleep };
  /** The domains whose hosts (themselves and their subdomains) serve Zalo's photos; default ZALO_PHOTO_HOSTS. */
  photoHosts?: readonly string[];
}

/** Update → IncomingMessage; null for what the bot does not answer (group chats, bots) or cannot read. */
export function toIncomingMessage(update: unknown): IncomingMessage | null {
  const read = readZaloUpdate(update);
  return read.kind === "message" ? read.message : null;
}

/**
 * Where a photo may be fetched from: https on Zalo's image servers (`photoHosts` and their subdomains, default port),
 * or the API root's own server (a local or test Bot API). Anything else — another host, another scheme — is not
 * fetched (null), and downloadPhoto follows no redirect.
 */
export function zaloPhotoSource(apiRoot: string, photoHosts: readonly string[]): (link: string) => string | null {
  const apiOrigin = new URL(apiRoot).origin;
  const hosts = photoHosts.map((h) => h.toLowerCase());
  return (link) => {
    try {
      const url = new URL(link);
      const zalo = url.protocol === "https:" && url.port === "" && hosts.some((h) => url.hostname === h || url.hostname.endsWith(`.${h}`));
      return zalo || url.origin === apiOrigin ? url.href : null;
    } catch {
      return null;
    }
  };
}

export function createZaloChannel(options: ZaloChannelOptions): Channel {
  const { logger, inbound, mode } = options;
  const client = new ZaloBotClient({ token: options.token, apiRoot: options.apiRoot });
  const pollTimeout = options.pollTimeoutSeconds ?? 30;
  const backoffBase = options.pollBackoff?.baseMs ?? 1_000;
  const backoffMax = options.pollBackoff?.maxMs ?? 30_000;
  const secret = mode === "webhook" ? webhookSecretBytes(options) : null;

  const photoSource = zaloPhotoSource(options.apiRoot, options.photoHosts ?? ZALO_PHOTO_HOSTS);

  let stopping = false;
  const abort = new AbortController();
  const backoffSleep: Sleep = options.pollBackoff?.sleep ?? ((ms) => delay(ms, undefined, { signal: abort.signal }).catch(() => undefined));

  let loop: Promise<void> | null = null;
  const inFlight = new Set<Promise<void>>();

  async function send(chatId: string, message: OutgoingMessage): Promise<void> {
    // Zalo bots cannot send files (CHANNELS_WITH_FILES); the core should not offer them here.
    if (message.document) logger.warn({ channel: "zalo", chatId, fileName: message.document.fileName }, "zalo cannot send files; sending the text only");
    for (const text of renderForZalo(message)) {
      try {
        await sendWithRetry(() => client.sendMessage({ chat_id: chatId, text }).then(() => undefined), {
          policy: options.retry?.policy,
          sleep: options.retry?.sleep,
          onRetry: (failure, attempt, waitMs) => logFault(failure, chatId, { attempt, waitMs }),
        });
      } catch (error) {
        if (error instanceof SendError) logFault(error.failure, chatId, { final: true });
        throw error;
      }
    }
  }

  function logFault(failure: SendFailure, chatId: string, extra: Record<string, unknown>): void {
    logger.warn({ channel: "zalo", chatId, kind: failure.kind, detail: failure.detail, ...extra }, "zalo send fault");
  }

  /**
   * Hands one update to the inbound handler; resolves when it was handled, deliberately ignored, or — not understood —
   * reported: logged at warn with its keys (never its values), counted, and the person told when a chat is known.
   * Returns false for an update that named no chat (nothing could be done with it).
   */
  function handle(raw: unknown): Promise<boolean> {
    const read = readZaloUpdate(raw);
    if (read.kind === "ignored") {
      logger.debug({ channel: "zalo", reason: read.reason }, "zalo update ignored");
      return Promise.resolve(true);
    }
    let message: IncomingMessage;
    if (read.kind === "unreadable") {
      logger.warn({ channel: "zalo", shape: read.shape, chatKnown: read.chatId !== undefined }, "zalo update not understood");
      options.onUnreadable?.("zalo");
      if (read.chatId === undefined) return Promise.resolve(false);
      // Keyed by a digest of the whole update, so a redelivery is not answered twice.
      const digest = createHash("sha256").update(JSON.stringify(raw)).digest("hex").slice(0, 32);
      message = { channel: "zalo", chatId: read.chatId, text: "", unreadable: true, updateKey: `unreadable:${digest}` };
    } else {
      message = read.message;
      if (read.photoUrl) {
        const url = photoSource(read.photoUrl);
        message = { ...message, photo: { download: () => (url ? downloadPhoto(url) : Promise.reject(new PhotoDownloadError("unreachable"))) } };
      }
    }
    const reply: Reply = (outgoing) => send(message.chatId, outgoing);
    const work: Promise<void> = Promise.resolve()
      .then(() => inbound(message, reply))
      .finally(() => inFlight.delete(work));
    inFlight.add(work);
    return work.then(() => true);
  }

  /** The backoff wait, cut short by stop(). */
  async function sleepUnlessStopped(ms: number): Promise<void> {
    await sleepUnlessAborted(backoffSleep, ms, abort.signal);
  }

  async function pollLoop(): Promise<void> {
    let failures = 0;
    while (!stopping) {
      let update: unknown;
      try {
        update = await client.getUpdates({ timeout: pollTimeout }, abort.signal);
      } catch (error) {
        if (stopping) break;
        failures++;
        const waitMs = Math.min(backoffMax, backoffBase * 2 ** Math.min(failures - 1, 30));
        if (failures === 1) logger.warn({ channel: "zalo", err: error, waitMs }, "zalo getUpdates failed; retrying with backoff");
        await sleepUnlessStopped(waitMs);
        continue;
      }
      if (failures > 0) logger.info({ channel: "zalo", failures }, "zalo getUpdates works again");
      failures = 0;
      if (update === null || update === undefined) continue;
      try {
        await handle(update);
      } catch (error) {
        logger.error({ channel: "zalo", err: error }, "zalo update handling failed");
      }
    }
  }

  const webhookRoute: Route = {
    method: "POST",
    path: ZALO_WEBHOOK_PATH,
    handler: async (c) => {
      const req = c.env.incoming;
      if (!secretMatches(secret, req.headers["x-bot-api-secret-token"])) {
        req.resume();
        throw new HttpError(401, "unauthorized");
      }
      const body = await readJsonBody(req, ZALO_WEBHOOK_BODY_LIMIT);
      if (stopping) return sendJson(c, 503, { error: "shutting down" });
      try {
        if (!(await handle(body))) throw new HttpError(400, "not a Zalo update");
      } catch (error) {
        // The reply could not be delivered; a redelivery of the update would not change that.
        if (!(error instanceof SendError)) throw error;
        logger.warn({ channel: "zalo", kind: error.failure.kind }, "zalo webhook update handled, reply not delivered");
      }
      return sendJson(c, 200, { ok: true });
    },
  };

  return {
    name: "zalo",
    async start() {
      if (mode === "webhook") {
        const url = `${options.publicUrl!.replace(/\/+$/, "")}${ZALO_WEBHOOK_PATH}`;
        await client.setWebhook({ url, secret_token: options.webhookSecret! });
        logger.info({ channel: "zalo", url }, "zalo webhook registered");
        return;
      }
      if (loop) return;
      // A webhook set earlier makes getUpdates fail; removing it is harmless when there is none.
      await client.deleteWebhook().catch((error: unknown) => logger.warn({ channel: "zalo", err: error }, "zalo deleteWebhook failed; polling anyway"));
      logger.info({ channel: "zalo", pollTimeoutSeconds: pollTimeout }, "zalo polling started");
      loop = pollLoop();
    },
    async stop() {
      stopping = true;
      abort.abort();
      await loop;
      await Promise.allSettled([...inFlight]);
    },
    routes() {
      return mode === "webhook" ? [webhookRoute] : [];
    },
    send,
  };
}

function webhookSecretBytes(options: ZaloChannelOptions): Buffer {
  if (!options.publicUrl) throw new Error("zalo webhook mode needs publicUrl");
  const secret = options.webhookSecret ?? "";
  if (secret.length < 8 || secret.length > 256) throw new Error("zalo webhook mode needs a webhookSecret of 8 to 256 characters");
  return Buffer.from(secret, "utf8");
}

function secretMatches(expected: Buffer | null, given: string | string[] | undefined): boolean {
  if (!expected || typeof given !== "string") return false;
  const bytes = Buffer.from(given, "utf8");
  return bytes.length === expected.length && timingSafeEqual(bytes, expected);
}
