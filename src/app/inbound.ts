// Every platform update passes here before the conversation core: a redelivered update (same update_id, same
// Zalo event and message id) is handled once, also across restarts; a reply the platform refuses with 403
// marks the subscriber inactive instead of failing the turn.
//
// Crash safety: a claim names the instance (process) handling the update. A process killed mid-handling leaves its
// claim "processing"; the platform delivers the update again (Telegram polling re-fetches it because its offset was
// never confirmed; a webhook call that got no 200 is retried), and the claim is taken over as soon as the dead
// instance has missed its heartbeats (InstanceRepository). Until then the redelivery waits instead of being dropped.
import { randomBytes } from "node:crypto";
import type { Logger } from "../logger.js";
import { SendError } from "../delivery/send-error.js";
import type { Conversation } from "./conversation.js";
import { createPerChatQueue } from "./per-chat-queue.js";
import type { ChannelName, IncomingMessage, ProcessedUpdateRepository, Reply, SubscriberRepository, TurnState } from "./ports.js";

/** Without heartbeats configured: a claim unseen for this long belongs to a process that died. */
export const DEFAULT_DEAD_AFTER_MS = 15_000;

/** An update another live handler still holds after the wait: the platform should deliver it again later. */
export class UpdateBusyError extends Error {
  constructor(readonly key: string) {
    super(`update ${key} is still being handled elsewhere; deliver it again later`);
    this.name = "UpdateBusyError";
  }
}

export interface InboundDeps {
  conversation: Conversation;
  processedUpdates: ProcessedUpdateRepository;
  subscribers: SubscriberRepository;
  now: () => Date;
  logger: Logger;
  /** What became of each update (metrics): handled, duplicate (ignored), failed (thrown: the platform redelivers). */
  onOutcome?: (channel: ChannelName, outcome: "handled" | "duplicate" | "failed") => void;
  /**
   * This process: its id owns the claims, and another instance's claim is taken over once that instance has not
   * beaten for `deadAfterMs` (three heartbeat intervals). Default: a random id, and DEFAULT_DEAD_AFTER_MS.
   */
  instance?: { id: string; deadAfterMs: number };
  /** How long a redelivery waits for a busy claim to be finished, released or taken over (default 2 × deadAfterMs + 5 s). */
  busyWaitMs?: number;
  /** Waits between claim attempts (tests may inject). */
  sleep?: (ms: number) => Promise<void>;
}

export type Inbound = (message: IncomingMessage, reply: Reply) => Promise<void>;

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function createInbound(deps: InboundDeps): Inbound {
  const instance = deps.instance ?? { id: `local:${randomBytes(6).toString("hex")}`, deadAfterMs: DEFAULT_DEAD_AFTER_MS };
  const busyWaitMs = deps.busyWaitMs ?? 2 * instance.deadAfterMs + 5_000;
  const pollMs = Math.max(50, Math.min(1_000, Math.round(instance.deadAfterMs / 6)));
  const sleep = deps.sleep ?? realSleep;

  /**
   * Held when this instance now holds the claim, with the turn's state when the claim came with it; false for a
   * redelivery of a handled update.
   */
  async function claim(key: string, message: IncomingMessage): Promise<{ state: TurnState | null } | false> {
    const started = Date.now();
    let waited = false;
    for (;;) {
      const now = deps.now();
      const claimant = { instanceId: instance.id, now, deadBefore: new Date(now.getTime() - instance.deadAfterMs) };
      // The first attempt also reads the chat's subscriber and session (one round trip with the claim).
      const { claim: outcome, state } = waited
        ? { claim: await deps.processedUpdates.claim(key, claimant), state: null }
        : await deps.processedUpdates.claimForTurn(key, claimant, { channel: message.channel, chatId: message.chatId });
      if (outcome === "claimed") {
        if (waited) deps.logger.warn({ channel: message.channel, key }, "update claimed after waiting: its earlier handler failed or died; handling it again");
        return { state };
      }
      if (outcome === "done") {
        deps.logger.debug({ channel: message.channel, key }, "duplicate update ignored");
        return false;
      }
      if (Date.now() - started >= busyWaitMs) throw new UpdateBusyError(key);
      if (!waited) deps.logger.info({ channel: message.channel, key }, "update is being handled by another handler; waiting for it to finish or die");
      waited = true;
      await sleep(pollMs);
    }
  }

  const handleOnce = async (message: IncomingMessage, rawReply: Reply): Promise<"handled" | "duplicate"> => {
    const key = message.updateKey ? `${message.channel}:${message.updateKey}` : null;
    const held = key ? await claim(key, message) : { state: null };
    if (!held) return "duplicate";
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
      await deps.conversation.handle(message, reply, held.state ?? undefined);
    } catch (error) {
      if (key) await deps.processedUpdates.release(key, instance.id);
      throw error;
    }
    if (key && !(await deps.processedUpdates.finish(key, instance.id, deps.now()))) {
      deps.logger.warn({ channel: message.channel, key }, "update claim was taken over while this instance handled it (missed heartbeats?); it may have been handled twice");
    }
    return "handled";
  };

  const report = (channel: ChannelName, outcome: "handled" | "duplicate" | "failed") => {
    try {
      deps.onOutcome?.(channel, outcome);
    } catch (error) {
      deps.logger.warn({ err: error }, "inbound: outcome hook failed");
    }
  };

  // One turn at a time per chat (src/app/per-chat-queue.ts): claim, session and answer of one before the next.
  const turns = createPerChatQueue();
  return async (message, rawReply) => {
    let outcome: "handled" | "duplicate";
    try {
      outcome = await turns.run(`${message.channel}:${message.chatId}`, () => handleOnce(message, rawReply));
    } catch (error) {
      report(message.channel, "failed");
      throw error;
    }
    report(message.channel, outcome);
  };
}
