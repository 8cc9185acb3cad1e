// Every platform update passes here before the conversation core: a redelivered update (same update_id, same
// Zalo event and message id) is handled once, also across restarts; a reply the platform refuses with 403
// marks the subscriber inactive instead of failing the turn.
import type { Logger } from "../logger.js";
import { SendError } from "../delivery/send-error.js";
import type { Conversation } from "./conversation.js";
import type { IncomingMessage, ProcessedUpdateRepository, Reply, SubscriberRepository } from "./ports.js";

/** A claim older than this belongs to a handler that died; the redelivered update is handled again. */
export const STALE_CLAIM_MS = 5 * 60 * 1000;

export interface InboundDeps {
  conversation: Conversation;
  processedUpdates: ProcessedUpdateRepository;
  subscribers: SubscriberRepository;
  now: () => Date;
  logger: Logger;
}

export type Inbound = (message: IncomingMessage, reply: Reply) => Promise<void>;

export function createInbound(deps: InboundDeps): Inbound {
  return async (message, rawReply) => {
    const key = message.updateKey ? `${message.channel}:${message.updateKey}` : null;
    if (key) {
      const now = deps.now();
      if (!(await deps.processedUpdates.claim(key, now, new Date(now.getTime() - STALE_CLAIM_MS)))) {
        deps.logger.debug({ channel: message.channel, key }, "duplicate update ignored");
        return;
      }
    }
    let blocked = false;
    const reply: Reply = async (out) => {
      if (blocked) return;
      try {
        await rawReply(out);
      } catch (error) {
        if (error instanceof SendError && error.failure.kind === "blocked") {
          blocked = true;
          const subscriber = await deps.subscribers.find(message.channel, message.chatId);
          if (subscriber) await deps.subscribers.setStatus(subscriber.id, "blocked");
          deps.logger.warn({ channel: message.channel, chatId: message.chatId }, "recipient blocked the bot: marked inactive");
          return;
        }
        throw error;
      }
    };
    try {
      await deps.conversation.handle(message, reply);
    } catch (error) {
      if (key) await deps.processedUpdates.release(key);
      throw error;
    }
    if (key) await deps.processedUpdates.finish(key, deps.now());
  };
}
