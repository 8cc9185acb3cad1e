// The outbox worker's senders, one per configured channel. Telegram and Zalo get their own channel instances,
// built with FAIL_FAST_POLICY: one attempt and no waiting in place, so a 429 or 5xx comes straight back to the
// worker, which reschedules the row in the database (and logs the fault, once). These instances are never started:
// they only send (the update loops and webhooks belong to the channels main.ts starts), and their own fault lines
// are below error level, so they are kept out of the log. The web chat's push channel needs no such care.
import type { ChannelName } from "../app/ports.js";
import type { Channel, InboundHandler } from "../channels/channel.js";
import { createTelegramChannel } from "../channels/telegram/index.js";
import { createZaloChannel } from "../channels/zalo/index.js";
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
  if (settings.telegram) senders.set("telegram", createTelegramChannel({ ...common, ...settings.telegram }));
  if (settings.zalo) senders.set("zalo", createZaloChannel({ ...common, ...settings.zalo }));
  if (settings.web) senders.set("web", settings.web);
  return senders;
}
