// Send rates per channel: an overall rate (Telegram 25/s, Zalo 5/s by default, the web chat unlimited) and, where
// the platform has one, a rate per chat (Telegram 1/s). Each limit is spacing ("GCRA" without burst): a key keeps
// the earliest instant its next send may start (`next`); a send may start when now ≥ next for both its channel and
// its chat, and taking it moves each one interval past max(next, now). Nothing is reserved ahead of time, so a
// process that stalls does not fire a backlog of sends at once when it wakes: after any pause the spacing holds.
// One exception keeps the pace exact: a send that starts only a little after its slot (up to a quarter of the interval,
// at most LATE_TOLERANCE_MS — a timer that fires a millisecond or a busy event loop a few late, as they do) moves
// `next` one interval past the slot rather than past now, so timer granularity does not slow a 30/s channel to 29/s.
// Sends never start before their slot, so any window of one second minus that tolerance still holds at most the rate;
// anything later than the tolerance starts the spacing afresh from now.
// Pure logic around an injected clock and sleep, so tests drive time exactly.
import { setTimeout as delay } from "node:timers/promises";
import type { ChannelName } from "../app/ports.js";

export interface ChannelRate {
  /** Sends per second on the channel as a whole; absent = unlimited. */
  perSecond?: number;
  /** Sends per second to one chat; absent = unlimited. */
  perChatPerSecond?: number;
}

export type RateLimits = Partial<Record<ChannelName, ChannelRate>>;

/** A wait that ends early (without throwing) when `signal` aborts. */
export type AbortableSleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export const realAbortableSleep: AbortableSleep = (ms, signal) => delay(ms, undefined, { signal }).catch(() => undefined);

/** `sleep(ms, signal)`, ended by the abort even when an injected sleep does not listen to the signal. */
export async function sleepUnlessAborted(sleep: AbortableSleep, ms: number, signal: AbortSignal): Promise<void> {
  let onAbort = () => {};
  const aborted = new Promise<void>((resolve) => {
    onAbort = () => resolve();
    signal.addEventListener("abort", onAbort, { once: true });
  });
  try {
    await Promise.race([sleep(ms, signal), aborted]);
  } finally {
    signal.removeEventListener("abort", onAbort);
  }
}

export interface RateLimiter {
  /**
   * Waits until a send on `channel` to `chatId` is allowed, and counts it. Throws an AbortError (and counts
   * nothing) when `signal` aborts first.
   */
  acquire(channel: ChannelName, chatId: string, signal?: AbortSignal): Promise<void>;
  /** The platform answered "too many requests": nothing more is sent on `channel` for `ms`. */
  holdOff(channel: ChannelName, ms: number): void;
  /** How long a send would wait now (0 = at once); nothing is counted. */
  delayFor(channel: ChannelName, chatId: string): number;
  /** Chats with a per-chat limit still in effect (the rest are forgotten, so memory follows recent traffic only). */
  readonly trackedChats: number;
}

export interface RateLimiterOptions {
  limits: RateLimits;
  /**
   * Milliseconds on any monotonic-enough scale (default performance.now: fractions of a millisecond, so a rate above
   * 1,000/s is not held to one send per tick of a whole-millisecond clock).
   */
  now?: () => number;
  sleep?: AbortableSleep;
}

/** Below this a wait is a rounding error of the interval arithmetic, not a wait. */
const EPSILON_MS = 1e-6;

/** The most a send may start after its slot and still keep the schedule (see the top of this file). */
export const LATE_TOLERANCE_MS = 10;

/** Where the interval to the next slot counts from, for a send taken at `t` whose slot was `next`. */
function slotBase(next: number | undefined, t: number, interval: number): number {
  if (next === undefined) return t;
  return t - next <= Math.min(interval / 4, LATE_TOLERANCE_MS) ? next : t;
}

const intervalOf = (perSecond: number | undefined): number => {
  if (perSecond === undefined) return 0;
  if (!(perSecond > 0) || !Number.isFinite(perSecond)) throw new RangeError(`a send rate must be a positive number, got ${perSecond}`);
  return 1000 / perSecond;
};

function abortError(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new DOMException("the wait for a send slot was aborted", "AbortError");
}

export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const now = options.now ?? (() => performance.now());
  const sleep = options.sleep ?? realAbortableSleep;
  const overallInterval = new Map<ChannelName, number>();
  const chatInterval = new Map<ChannelName, number>();
  for (const [channel, rate] of Object.entries(options.limits) as [ChannelName, ChannelRate | undefined][]) {
    overallInterval.set(channel, intervalOf(rate?.perSecond));
    chatInterval.set(channel, intervalOf(rate?.perChatPerSecond));
  }
  /** Channel → the earliest start of its next send. */
  const channelNext = new Map<ChannelName, number>();
  /**
   * Chat key → the earliest start of its next send. Map order is the order of the last send, so the entries whose
   * `next` has passed (they would allow a send anyway) are found from the front and dropped.
   */
  const chatNext = new Map<string, number>();
  const chatKey = (channel: ChannelName, chatId: string) => `${channel}\u0000${chatId}`;

  function forget(t: number): void {
    for (const [key, next] of chatNext) {
      if (next > t) break;
      chatNext.delete(key);
    }
  }

  function waitAt(t: number, channel: ChannelName, chatId: string): number {
    const overall = (channelNext.get(channel) ?? -Infinity) - t;
    const chat = chatInterval.get(channel) ? (chatNext.get(chatKey(channel, chatId)) ?? -Infinity) - t : -Infinity;
    const wait = Math.max(overall, chat, 0);
    return wait <= EPSILON_MS ? 0 : wait;
  }

  function take(t: number, channel: ChannelName, chatId: string): void {
    const overall = overallInterval.get(channel) ?? 0;
    channelNext.set(channel, slotBase(channelNext.get(channel), t, overall) + overall);
    const perChat = chatInterval.get(channel) ?? 0;
    if (perChat > 0) {
      const key = chatKey(channel, chatId);
      const next = slotBase(chatNext.get(key), t, perChat) + perChat;
      chatNext.delete(key);
      chatNext.set(key, next);
    }
  }

  return {
    async acquire(channel, chatId, signal) {
      for (;;) {
        if (signal?.aborted) throw abortError(signal);
        const t = now();
        forget(t);
        const wait = waitAt(t, channel, chatId);
        if (wait === 0) return take(t, channel, chatId);
        if (!signal) {
          await sleep(wait);
          continue;
        }
        await sleepUnlessAborted(sleep, wait, signal);
      }
    },

    holdOff(channel, ms) {
      const until = now() + Math.max(0, ms);
      channelNext.set(channel, Math.max(channelNext.get(channel) ?? until, until));
    },

    delayFor(channel, chatId) {
      const t = now();
      forget(t);
      return waitAt(t, channel, chatId);
    },

    get trackedChats() {
      forget(now());
      return chatNext.size;
    },
  };
}

/** The limits from the configuration: Telegram overall and per chat, Zalo overall, the web chat unlimited. */
export function rateLimitsFromConfig(config: {
  TELEGRAM_RATE_PER_SECOND: number;
  TELEGRAM_CHAT_RATE_PER_SECOND: number;
  ZALO_RATE_PER_SECOND: number;
}): RateLimits {
  return {
    telegram: { perSecond: config.TELEGRAM_RATE_PER_SECOND, perChatPerSecond: config.TELEGRAM_CHAT_RATE_PER_SECOND },
    zalo: { perSecond: config.ZALO_RATE_PER_SECOND },
    web: {},
  };
}
