// What every chat platform adapter provides. An adapter turns platform updates into IncomingMessage, hands them
// to the inbound handler, and renders OutgoingMessage in the platform's terms; no business rule lives here.
import type { ChannelName, IncomingMessage, OutgoingMessage, Reply } from "../app/ports.js";
import type { RetryPolicy, Sleep } from "../delivery/retry.js";
import type { Route } from "../http/server.js";
import type { Logger } from "../logger.js";

/** Dedupe + the conversation core; `reply` answers in the same chat. */
export type InboundHandler = (message: IncomingMessage, reply: Reply) => Promise<void>;

export interface Channel {
  readonly name: ChannelName;
  /** Polling mode: start the update loop. Webhook mode: register PUBLIC_URL with the platform. */
  start(): Promise<void>;
  /** Stop taking updates; in-flight handlers finish. */
  stop(): Promise<void>;
  /** Webhook routes for the shared HTTP server (none in polling mode). */
  routes(): Route[];
  /**
   * Sends one message, retrying 429 and transient faults per src/delivery/retry.ts.
   * Throws SendError (src/delivery/send-error.ts) when it finally fails; kind "blocked" for 403.
   */
  send(chatId: string, message: OutgoingMessage): Promise<void>;
}

/** What Telegram and Zalo adapters are built from (the environment's TOKEN, API_ROOT, UPDATES_MODE, …). */
export interface PlatformChannelOptions {
  token: string;
  /** The Bot API root: the platform's, a local Bot API server, or a test server. */
  apiRoot: string;
  mode: "polling" | "webhook";
  /** Webhook mode: the public base URL; the platform is told to call `${publicUrl}/webhooks/<channel>`. */
  publicUrl?: string;
  /** Webhook mode: the secret the platform sends back in its secret-token header on every call. */
  webhookSecret?: string;
  inbound: InboundHandler;
  logger: Logger;
  retry?: { policy?: RetryPolicy; sleep?: Sleep };
}
