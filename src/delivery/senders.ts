// The outbox worker's senders, one per configured channel. Telegram and Zalo get their own channel instances,
// built with FAIL_FAST_POLICY: one attempt and no waiting in place, so a 429 or 5xx comes straight back to the
// worker, which reschedules the row in the database (and logs the fault, once). These instances are never started:
// they only send (the update loops and webhooks belong to the channels main.ts starts), and their own fault lines
// are below error level, so they are kept out of the log. The web chat's push channel needs no such care.
// A channel's module (telegraf for Telegram) is loaded with its first send, so a process without that channel's
// token never loads it.
import type { ChannelName } from "../app/ports.js";
import type { Channel, InboundHandler } from "../channels/channel.js";
import type { Logger } from "../logger.js";
import { FAIL_FAST_POLICY } from "./retry.js";

export type Sender = Pick<Channel, "send">;

export interface SenderSettings {
  telegram?: { token: string; apiRoot: string };
  zalo?: { token: string; apiRoot: string };
  /** The web chat's push channel (src/channels/web/web-push.ts), when the web chat is on. */
  web?: Sender;
  logger: Logger;
}

/** Send-only instances never take updates. */
const noInbound: InboundHandler = async () => {
  throw new Error("a delivery sender does not handle updates");
};

export function createDeliverySenders(settings: SenderSettings): Map<ChannelName, Sender> {
  const logger = settings.logger.child({ component: "delivery" }, { level: settings.logger.isLevelEnabled("error") ? "error" : "silent" });
  const common = { mode: "polling" as const, inbound: noInbound, logger, retry: { policy: FAIL_FAST_POLICY } };
  const senders = new Map<ChannelName, Sender>();
  const telegram = settings.telegram;
  if (telegram) senders.set("telegram", loadedOnFirstSend(async () => (await import("../channels/telegram/index.js")).createTelegramChannel({ ...common, ...telegram })));
  const zalo = settings.zalo;
  if (zalo) senders.set("zalo", loadedOnFirstSend(async () => (await import("../channels/zalo/index.js")).createZaloChannel({ ...common, ...zalo })));
  if (settings.web) senders.set("web", settings.web);
  return senders;
}

function loadedOnFirstSend(load: () => Promise<Sender>): Sender {
  let loading: Promise<Sender> | undefined;
  let loaded: Sender | undefined;
  return {
    send(chatId, message) {
      if (loaded) return loaded.send(chatId, message);
      loading ??= load().then((sender) => (loaded = sender));
      return loading.then((sender) => sender.send(chatId, message));
    },
  };
}
