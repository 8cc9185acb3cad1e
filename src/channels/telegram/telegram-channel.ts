// The Telegram channel: telegraf talks to the Bot API (TELEGRAM_API_ROOT), by long polling or through the shared
// HTTP server's webhook route. Updates become IncomingMessage for the inbound handler; OutgoingMessage goes out
// as escaped HTML text with inline keyboards, every call through the one retry policy.
import { Telegraf, TelegramError } from "telegraf";
import type { Update } from "telegraf/types";
import type { IncomingPhoto, OutgoingMessage } from "../../app/ports.js";
import { downloadPhoto, PHOTO_MAX_BYTES, PhotoDownloadError } from "../photo-download.js";
import { SendError } from "../../delivery/send-error.js";
import { sendWithRetry, DEFAULT_RETRY_POLICY } from "../../delivery/retry.js";
import type { Route } from "../../http/server.js";
import type { Channel, PlatformChannelOptions } from "../channel.js";
import { commandMenus } from "./menus.js";
import { renderForTelegram } from "./render.js";
import { classified, telegramFailure } from "./send-failure.js";
import { toIncoming } from "./to-incoming.js";
import { TELEGRAM_WEBHOOK_PATH, telegramWebhookRoute } from "./webhook-route.js";

export type TelegramChannelOptions = PlatformChannelOptions;

/** The update kinds we act on; Telegram sends no others (less traffic, nothing to ignore). */
const ALLOWED_UPDATES = ["message", "callback_query"] as const;

const CHANNEL = "telegram" as const;

/**
 * A refusal at start-up that retrying cannot fix, as a message naming the setting to check: 401/404 mean the
 * token is wrong; another 4xx (429 aside) means Telegram refused what we asked, e.g. a webhook URL that is not HTTPS.
 */
function configurationProblem(error: unknown, mode: "polling" | "webhook"): string | undefined {
  if (!(error instanceof TelegramError)) return undefined;
  const description = error.response?.description ?? `error ${error.code}`;
  if (error.code === 401 || error.code === 404) return `Telegram refused the bot token (${description}); check TELEGRAM_BOT_TOKEN`;
  if (error.code >= 400 && error.code < 500 && error.code !== 429 && error.code !== 409) {
    return mode === "webhook"
      ? `Telegram refused the webhook (${description}); check PUBLIC_URL (an HTTPS URL Telegram can reach) and WEBHOOK_SECRET`
      : `Telegram refused to start polling (${description})`;
  }
  return undefined;
}

/** A send that can never succeed (blocked, refused): handled as far as it can be, so not worth redelivering. */
function isPermanent(error: unknown): boolean {
  return error instanceof SendError && (error.failure.kind === "blocked" || error.failure.kind === "rejected");
}

export function createTelegramChannel(options: TelegramChannelOptions): Channel {
  const { mode, logger, inbound } = options;
  if (!options.token) throw new Error("createTelegramChannel: a bot token is required");
  let webhookUrl: string | undefined;
  let webhookSecret = "";
  if (mode === "webhook") {
    if (!options.publicUrl) throw new Error("createTelegramChannel: webhook mode needs publicUrl (PUBLIC_URL)");
    if (!options.webhookSecret) throw new Error("createTelegramChannel: webhook mode needs webhookSecret (WEBHOOK_SECRET)");
    webhookUrl = `${options.publicUrl.replace(/\/+$/, "")}${TELEGRAM_WEBHOOK_PATH}`;
    webhookSecret = options.webhookSecret;
  }
  const policy = options.retry?.policy ?? DEFAULT_RETRY_POLICY;

  // webhookReply off: every call is a real API call whose result we see (never smuggled into a webhook answer).
  const bot = new Telegraf(options.token, { telegram: { apiRoot: options.apiRoot, webhookReply: false } });

  let started = false;
  let stopped = false;
  let loop: Promise<void> | undefined;
  let wake: () => void = () => {};
  const inFlight = new Set<Promise<void>>();

  /** Waits `ms` (the injected sleep when given) or until stop() wakes it. */
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      wake = () => {
        if (timer) clearTimeout(timer);
        resolve();
      };
      if (options.retry?.sleep) void options.retry.sleep(ms).then(resolve);
      else timer = setTimeout(resolve, ms);
    });

  const backoffMs = (failures: number) => Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, failures - 1));

  async function answerCallback(id: string, chatId: string): Promise<void> {
    try {
      await classified(() => bot.telegram.answerCbQuery(id));
    } catch (error) {
      logger.warn({ channel: CHANNEL, chatId, kind: telegramFailure(error).kind, detail: telegramFailure(error).detail }, "telegram: could not answer a button press");
    }
  }

  /** The photo behind a file id: getFile, then the file from the Bot API's file server (its link holds the token). */
  const telegramPhoto = (fileId: string): IncomingPhoto => ({
    async download() {
      let link: URL;
      try {
        const file = await bot.telegram.getFile(fileId);
        if ((file.file_size ?? 0) > PHOTO_MAX_BYTES) throw new PhotoDownloadError("too-large");
        link = await bot.telegram.getFileLink(file);
      } catch (error) {
        if (error instanceof PhotoDownloadError) throw error;
        const failure = telegramFailure(error);
        logger.warn({ channel: CHANNEL, kind: failure.kind, detail: failure.detail }, "telegram: could not get a photo's file");
        throw new PhotoDownloadError("unreachable");
      }
      return downloadPhoto(link.href);
    },
  });

  bot.use(async (ctx) => {
    const turn = toIncoming(ctx.update);
    if (!turn) return;
    const message = turn.photoFileId ? { ...turn.message, photo: telegramPhoto(turn.photoFileId) } : turn.message;
    // Stop the button's spinner first: the answer may take a moment, and the press was received.
    if (turn.callbackQueryId) await answerCallback(turn.callbackQueryId, message.chatId);
    await inbound(message, (reply) => channel.send(message.chatId, reply));
  });

  bot.catch((error, ctx) => {
    const update = ctx.update as Update;
    const chatId = ctx.chat?.id ?? ctx.from?.id;
    const context = { channel: CHANNEL, chatId: chatId === undefined ? undefined : String(chatId), updateId: update.update_id };
    if (isPermanent(error)) {
      logger.warn({ ...context, kind: (error as SendError).failure.kind }, "telegram: update handled, but its answer could not be delivered");
      return;
    }
    // Webhook: fail the request so Telegram delivers the update again. Polling cannot redeliver: log it.
    if (mode === "webhook") throw error;
    logger.error({ ...context, err: error }, "telegram: handling an update failed");
  });

  let menusDone: Promise<void> | undefined;
  async function setMenus(): Promise<void> {
    const { menus, missing } = commandMenus();
    if (missing.length > 0) logger.warn({ channel: CHANNEL, missing }, "telegram: commands without a menu description are left out of the menu");
    for (const menu of menus) {
      try {
        await classified(() =>
          bot.telegram.setMyCommands(menu.commands, menu.languageCode ? { language_code: menu.languageCode } : undefined),
        );
      } catch (error) {
        const failure = telegramFailure(error);
        logger.warn({ channel: CHANNEL, language: menu.languageCode ?? "default", kind: failure.kind, detail: failure.detail }, "telegram: could not set the command menu");
      }
    }
  }

  function connected(): void {
    menusDone ??= setMenus();
  }

  /** Keeps the connection up: polling restarts after a failure, webhook registration is retried until it works. */
  async function run(first: { resolve: () => void; reject: (error: Error) => void }): Promise<void> {
    let failures = 0;
    let everConnected = false;
    const onConnected = () => {
      everConnected = true;
      failures = 0;
      connected();
    };
    while (!stopped) {
      try {
        if (mode === "webhook") {
          bot.botInfo ??= await bot.telegram.getMe();
          await bot.telegram.setWebhook(webhookUrl!, {
            secret_token: webhookSecret,
            drop_pending_updates: false,
            allowed_updates: [...ALLOWED_UPDATES],
          });
          logger.info({ channel: CHANNEL, url: webhookUrl, bot: bot.botInfo.username }, "telegram: webhook registered");
          onConnected();
          await menusDone;
          first.resolve();
          return;
        }
        // Resolves when polling stops (stop()); rejects when it cannot start or breaks.
        await bot.launch({ dropPendingUpdates: false, allowedUpdates: [...ALLOWED_UPDATES] }, () => {
          logger.info({ channel: CHANNEL, bot: bot.botInfo?.username }, "telegram: polling for updates");
          onConnected();
          void menusDone?.then(first.resolve);
        });
        if (stopped) return;
        failures++;
        const waitMs = backoffMs(failures);
        logger.warn({ channel: CHANNEL, retryInMs: waitMs }, "telegram: polling ended unexpectedly; restarting");
        await pause(waitMs);
      } catch (error) {
        if (stopped) return;
        const problem = everConnected ? undefined : configurationProblem(error, mode);
        if (problem) {
          logger.error({ channel: CHANNEL }, `telegram: ${problem}`);
          first.reject(new Error(problem));
          return;
        }
        failures++;
        const waitMs = backoffMs(failures);
        const failure = telegramFailure(error);
        logger.warn(
          { channel: CHANNEL, kind: failure.kind, detail: failure.detail, attempt: failures, retryInMs: waitMs },
          mode === "webhook" ? "telegram: could not register the webhook; retrying" : "telegram: could not reach the Bot API for updates; retrying",
        );
        // start() returns after the first failure; the channel keeps trying in the background.
        first.resolve();
        await pause(waitMs);
      }
    }
  }

  function stopPolling(): void {
    try {
      bot.stop("channel stopped");
    } catch {
      // "Bot is not running!": polling has not started (yet).
    }
  }

  const channel: Channel = {
    name: CHANNEL,

    async start() {
      if (started) throw new Error("telegram channel: start() was already called");
      started = true;
      await new Promise<void>((resolve, reject) => {
        loop = run({ resolve, reject }).catch((error: unknown) => {
          logger.error({ channel: CHANNEL, err: error }, "telegram: update loop failed");
          resolve();
        });
      });
    },

    async stop() {
      if (stopped) return;
      stopped = true;
      wake();
      if (mode === "polling" && loop) {
        // launch() may be between getMe/deleteWebhook and starting its poller: stop until the loop has ended.
        let ended = false;
        const done = loop.then(() => void (ended = true));
        while (!ended) {
          stopPolling();
          await Promise.race([done, new Promise((r) => setTimeout(r, 50))]);
        }
      } else {
        await loop;
      }
      await Promise.allSettled([...inFlight]);
      await menusDone;
    },

    routes(): Route[] {
      if (mode !== "webhook") return [];
      return [
        telegramWebhookRoute({
          secret: webhookSecret,
          accepting: () => !stopped,
          handleUpdate: (update) => {
            const handled = bot.handleUpdate(update);
            inFlight.add(handled);
            return handled.finally(() => inFlight.delete(handled));
          },
          onFailure: (error, update) => {
            logger.error({ channel: CHANNEL, updateId: update.update_id, err: error }, "telegram: handling a webhook update failed; Telegram will deliver it again");
          },
        }),
      ];
    },

    async send(chatId: string, message: OutgoingMessage) {
      // Programming errors (empty text, callback data too long) surface here, before anything is sent.
      const parts = renderForTelegram(message);
      const calls: (() => Promise<unknown>)[] = parts.map(
        (part) => () => bot.telegram.sendMessage(chatId, part.text, { parse_mode: part.parse_mode, ...(part.reply_markup ? { reply_markup: part.reply_markup } : {}) }),
      );
      // A file goes after the text, as a document.
      const doc = message.document;
      if (doc) calls.push(() => bot.telegram.sendDocument(chatId, { source: Buffer.from(doc.content), filename: doc.fileName }));
      for (const call of calls) {
        try {
          await sendWithRetry(async () => void (await classified(call)), {
            policy,
            sleep: options.retry?.sleep,
            onRetry: (failure, attempt, waitMs) =>
              logger.warn({ channel: CHANNEL, chatId, kind: failure.kind, detail: failure.detail, attempt, retryInMs: waitMs }, "telegram: send failed; retrying"),
          });
        } catch (error) {
          const failure = telegramFailure(error);
          logger.warn({ channel: CHANNEL, chatId, kind: failure.kind, detail: failure.detail }, "telegram: send failed");
          throw error instanceof SendError ? error : new SendError(failure);
        }
      }
    },
  };
  return channel;
}
