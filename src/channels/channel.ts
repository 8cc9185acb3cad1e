// What every chat platform adapter provides. An adapter turns platform updates into IncomingMessage, hands them
// to the inbound handler, and renders OutgoingMessage in the platform's terms; no business rule lives here.
import type { ChannelName, IncomingMessage, OutgoingMessage, Reply } from "../app/ports.js";
import type { Route } from "../http/server.js";

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
