// The delivery worker: claims due rows of the notification outbox a batch at a time and sends them, at most
// `concurrency` at once, within the channels' rate limits, never during quiet hours. Every row ends in one state:
// sent; pending again for later (429 after retry_after, 5xx/network with exponential backoff); failed (refused,
// or too many attempts); blocked (403: the subscriber is marked blocked too); skipped with the reason (expired, the
// subscriber is no longer active, no channel for it). Delivery is at least once: a row whose worker died mid-send
// comes back flagged uncertain and is sent again. Memory does not grow with the audience: one batch at a time.
//
// Channels are expected to fail fast (no retrying in place, see FAIL_FAST_POLICY): the worker reschedules through
// the database instead, so a claim never outlives a long in-place wait and another instance can share the work.
import { setMaxListeners } from "node:events";
import type { Logger } from "../logger.js";
import type { ChannelName, ClaimedNotification, Locale, OutboxRepository, SessionRepository, Subscriber, SubscriberRepository } from "../app/ports.js";
import type { Channel } from "../channels/channel.js";
import { isQuiet, nextAllowed, type QuietHours } from "../domain/quiet-hours.js";
import { coalescing } from "./coalesce.js";
import { rememberPushChoices } from "./push-choices.js";
import { realAbortableSleep, sleepUnlessAborted, type AbortableSleep, type RateLimiter } from "./rate-limiter.js";
import { toFailure } from "./retry.js";
import type { SendFailure } from "./send-error.js";

export interface OutboxRetrySettings {
  /** Claims in all (the first included) before a transient fault gives up as failed. */
  maxAttempts: number;
  /** Claims in all before repeated 429s give up as failed (each waits the platform's retry_after). */
  maxRateLimitedAttempts: number;
  /** Transient faults wait baseDelayMs · 2^(attempt−1), at most maxDelayMs. */
  baseDelayMs: number;
  maxDelayMs: number;
}

/**
 * What became of one send, for metrics: sent, or why not — the failure kinds of SendFailure (rate-limited and
 * transient sends are tried again later, each attempt counts), or skipped (expired, subscriber inactive or gone, no
 * channel for it).
 */
export type SendOutcome = "sent" | SendFailure["kind"] | "skipped";

export const DEFAULT_OUTBOX_RETRY: OutboxRetrySettings = { maxAttempts: 8, maxRateLimitedAttempts: 20, baseDelayMs: 10_000, maxDelayMs: 15 * 60_000 };

export interface OutboxWorkerOptions {
  outbox: OutboxRepository;
  subscribers: Pick<SubscriberRepository, "find" | "setStatus">;
  /** The channels to send on, by name; a row for a channel not in the map is skipped. */
  channels: ReadonlyMap<ChannelName, Pick<Channel, "send">>;
  limiter: RateLimiter;
  quietHours: QuietHours;
  /** The campaign clock's zone (BOT_TIMEZONE), for quiet hours. */
  timezone: string;
  now: () => Date;
  /** Waits (idle polls, quiet hours, backoff after a database fault); stop() aborts them. */
  sleep?: AbortableSleep;
  /** Unique per process: the claims' owner. */
  workerId: string;
  /** Sends in flight at most. */
  concurrency: number;
  /** Rows per claim. */
  batchSize: number;
  /** A claim older than this belongs to a worker that died: its row is taken over (and flagged uncertain). */
  staleAfterMs: number;
  /** The wait before polling again when nothing was due (default 1 s). */
  idleMs?: number;
  /** The longest single wait during quiet hours before looking at the clock again (default 60 s). */
  quietRecheckMs?: number;
  retry?: Partial<OutboxRetrySettings>;
  logger: Logger;
  /** Called with each claimed row's outcome: every send attempt, and every skip (metrics). Not awaited. */
  onOutcome?: (channel: ChannelName, outcome: SendOutcome) => void;
  /**
   * Optional: many subscribers by id in one query (e.g. PrismaOutboxRepository.subscriberStates). With it, the check
   * before each send is the same and made at the same point, but the checks of the sends in flight at one moment
   * share one query; without it, each is a `subscribers.find`.
   */
  lookupSubscribers?: (ids: number[]) => Promise<ReadonlyMap<number, SubscriberState>>;
  /** The chats' conversation sessions: a push with choices sets them, so a typed number picks one (push-choices.ts). */
  sessions?: SessionRepository;
}

/** A subscriber as the check before a send sees it. */
export interface SubscriberState {
  channel: ChannelName;
  chatId: string;
  status: Subscriber["status"];
  /** Their language, for the words a channel adds to the text itself (Zalo's "reply with a number"). */
  locale: Locale;
}

export interface DeliveryCounts {
  claimed: number;
  sent: number;
  /** Back to pending for a later attempt (429, transient faults, quiet hours began mid-batch). */
  retried: number;
  failed: number;
  blocked: number;
  skipped: number;
  /** Not sent because the worker was stopping: given back by releaseClaims. */
  released: number;
  /** Rows whose outcome could not be recorded (database fault); their claim goes stale and they come back. */
  errors: number;
}

export interface RunResult extends DeliveryCounts {
  /** Quiet hours: nothing was claimed. */
  quiet: boolean;
}

export interface OutboxWorker {
  /** Starts the loop in the background (once). */
  start(): void;
  /** Stops claiming, lets in-flight sends finish, gives unsent claims back. */
  stop(): Promise<void>;
  /** One batch: claim due rows and send them all (tests, admin tools). */
  runOnce(): Promise<RunResult>;
  readonly running: boolean;
}

type Outcome = keyof Omit<DeliveryCounts, "claimed">;

const emptyCounts = (): DeliveryCounts => ({ claimed: 0, sent: 0, retried: 0, failed: 0, blocked: 0, skipped: 0, released: 0, errors: 0 });

export function createOutboxWorker(options: OutboxWorkerOptions): OutboxWorker {
  const { outbox, subscribers, channels, limiter, quietHours, timezone, now, workerId, logger } = options;
  const sleep = options.sleep ?? realAbortableSleep;
  const idleMs = options.idleMs ?? 1_000;
  const quietRecheckMs = options.quietRecheckMs ?? 60_000;
  const retry: OutboxRetrySettings = { ...DEFAULT_OUTBOX_RETRY, ...options.retry };
  if (!Number.isInteger(options.concurrency) || options.concurrency < 1) throw new RangeError("outbox worker: concurrency must be a whole number ≥ 1");
  if (!Number.isInteger(options.batchSize) || options.batchSize < 1) throw new RangeError("outbox worker: batchSize must be a whole number ≥ 1");

  // Every send in flight may wait on the signal for a rate slot (two listeners: ours and the timer's), besides the
  // loop's own wait: allow that many, so a high DELIVERY_CONCURRENCY is not reported as a listener leak.
  const newAbort = () => {
    const controller = new AbortController();
    setMaxListeners(2 * options.concurrency + 4, controller.signal);
    return controller;
  };
  let abort = newAbort();
  let loop: Promise<void> | null = null;
  let stopping = false;
  /** Batches being sent (the loop's, and runOnce calls'), so stop() can wait for them. */
  const inFlight = new Set<Promise<unknown>>();

  /** A wait that stop() cuts short. */
  async function pause(ms: number): Promise<void> {
    if (ms <= 0 || abort.signal.aborted) return;
    await sleepUnlessAborted(sleep, ms, abort.signal);
  }

  const report = (channel: ChannelName, outcome: SendOutcome) => {
    try {
      options.onOutcome?.(channel, outcome);
    } catch (error) {
      logger.warn({ err: error }, "delivery: outcome hook failed");
    }
  };

  const context = (row: ClaimedNotification) => ({ channel: row.channel, chatId: row.chatId, notificationId: row.id });

  const lookup = options.lookupSubscribers ? coalescing(options.lookupSubscribers) : undefined;
  /**
   * The row's subscriber as stored now, when it is still the person the row was written for (same id, channel and
   * chat): by id through the shared lookup, or by chat through `subscribers.find` — the same answer either way.
   */
  async function recipientOf(row: ClaimedNotification): Promise<Pick<SubscriberState, "status" | "locale"> | null> {
    if (lookup) {
      const state = await lookup(row.subscriberId);
      return state && state.channel === row.channel && state.chatId === row.chatId ? state : null;
    }
    const subscriber = await subscribers.find(row.channel, row.chatId);
    return subscriber && subscriber.id === row.subscriberId ? subscriber : null;
  }

  async function skip(row: ClaimedNotification, reason: string): Promise<Outcome> {
    await outbox.markSkipped(row.id, reason, now());
    report(row.channel, "skipped");
    logger.info({ ...context(row), reason }, "delivery: notification skipped");
    return "skipped";
  }

  /** What to do with a failed send; the fault is logged here, once. */
  async function handleFailure(row: ClaimedNotification, failure: SendFailure): Promise<Outcome> {
    const at = now();
    report(row.channel, failure.kind);
    const base = { ...context(row), kind: failure.kind, attempt: row.attempts, detail: failure.detail };
    switch (failure.kind) {
      case "rate-limited": {
        const waitMs = failure.retryAfterSeconds * 1000;
        limiter.holdOff(row.channel, waitMs);
        if (row.attempts >= retry.maxRateLimitedAttempts) {
          await outbox.markFailed(row.id, `rate-limited ${row.attempts} times: ${failure.detail}`, at);
          logger.warn({ ...base, gaveUp: true }, "delivery: send rate-limited too often; notification failed");
          return "failed";
        }
        const retryAt = new Date(at.getTime() + waitMs);
        await outbox.retryLater(row.id, `rate-limited: ${failure.detail}`, retryAt);
        logger.warn({ ...base, retryAt: retryAt.toISOString() }, "delivery: send rate-limited; retrying after retry_after");
        return "retried";
      }
      case "transient": {
        if (row.attempts >= retry.maxAttempts) {
          await outbox.markFailed(row.id, `gave up after ${row.attempts} attempts: ${failure.detail}`, at);
          logger.warn({ ...base, gaveUp: true }, "delivery: send failed too often; notification failed");
          return "failed";
        }
        const waitMs = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** Math.max(0, row.attempts - 1));
        const retryAt = new Date(at.getTime() + waitMs);
        await outbox.retryLater(row.id, `transient: ${failure.detail}`, retryAt);
        logger.warn({ ...base, retryAt: retryAt.toISOString() }, "delivery: send failed; retrying with backoff");
        return "retried";
      }
      case "blocked":
        await outbox.markBlocked(row.id, failure.detail, at);
        await subscribers.setStatus(row.subscriberId, "blocked");
        logger.warn(base, "delivery: recipient blocked the bot; subscriber marked blocked");
        return "blocked";
      case "rejected":
        await outbox.markFailed(row.id, `rejected: ${failure.detail}`, at);
        logger.warn(base, "delivery: platform refused the notification");
        return "failed";
    }
  }

  async function deliver(row: ClaimedNotification): Promise<Outcome> {
    if (row.expiresAt && row.expiresAt.getTime() <= now().getTime()) return skip(row, "expired");
    const subscriber = await recipientOf(row);
    if (!subscriber) return skip(row, "subscriber not found");
    if (subscriber.status !== "active") return skip(row, `subscriber ${subscriber.status}`);
    const channel = channels.get(row.channel);
    if (!channel) return skip(row, `no ${row.channel} channel configured`);

    try {
      await limiter.acquire(row.channel, row.chatId, abort.signal);
    } catch (error) {
      if (abort.signal.aborted) return "released";
      throw error;
    }
    // Waiting for a slot may have crossed into quiet hours (a long batch at 20:59).
    const at = now();
    if (isQuiet(at, timezone, quietHours)) {
      await outbox.retryLater(row.id, "quiet hours", nextAllowed(at, timezone, quietHours));
      return "retried";
    }
    if (row.uncertain) {
      logger.warn({ ...context(row), kind: "uncertain", attempt: row.attempts }, "delivery: sending again a notification whose earlier send may have reached the person");
    }
    try {
      await channel.send(row.chatId, { text: row.text, locale: subscriber.locale, ...(row.choices?.length ? { choices: row.choices } : {}) });
    } catch (error) {
      return handleFailure(row, toFailure(error));
    }
    report(row.channel, "sent");
    if (row.choices?.length && options.sessions) {
      // Sent is sent: a session that could not be written costs the typed number, never a second send.
      await rememberPushChoices(options.sessions, row.channel, row.chatId, row.choices, now()).catch((error: unknown) =>
        logger.warn({ ...context(row), err: error }, "delivery: could not remember a push's choices; its commands still work when typed"),
      );
    }
    await outbox.markSent(row.id, now());
    return "sent";
  }

  async function sendBatch(rows: ClaimedNotification[], counts: DeliveryCounts): Promise<void> {
    let next = 0;
    const runner = async () => {
      while (next < rows.length) {
        const row = rows[next++]!;
        if (abort.signal.aborted) {
          counts.released++;
          continue;
        }
        try {
          counts[await deliver(row)]++;
        } catch (error) {
          counts.errors++;
          logger.error({ ...context(row), err: error }, "delivery: could not record a notification's outcome; it comes back when its claim goes stale");
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(options.concurrency, rows.length) }, runner));
  }

  async function batch(): Promise<RunResult> {
    const counts = emptyCounts();
    const at = now();
    if (isQuiet(at, timezone, quietHours)) return { ...counts, quiet: true };
    if (abort.signal.aborted) return { ...counts, quiet: false };
    const rows = await outbox.claim(workerId, at, options.batchSize, new Date(at.getTime() - options.staleAfterMs));
    counts.claimed = rows.length;
    await sendBatch(rows, counts);
    if (rows.length > 0) logger.debug({ workerId, ...counts }, "delivery: batch done");
    return { ...counts, quiet: false };
  }

  function tracked<T>(work: Promise<T>): Promise<T> {
    inFlight.add(work);
    return work.finally(() => inFlight.delete(work));
  }

  async function run(): Promise<void> {
    let faults = 0;
    let quietLogged = false;
    while (!stopping) {
      const at = now();
      if (isQuiet(at, timezone, quietHours)) {
        const until = nextAllowed(at, timezone, quietHours);
        if (!quietLogged) logger.info({ workerId, until: until.toISOString() }, "delivery: quiet hours; nothing is sent until they end");
        quietLogged = true;
        await pause(Math.min(quietRecheckMs, Math.max(1, until.getTime() - at.getTime())));
        continue;
      }
      quietLogged = false;
      let result: RunResult;
      try {
        result = await tracked(batch());
        faults = 0;
      } catch (error) {
        faults++;
        const waitMs = Math.min(60_000, idleMs * 2 ** Math.min(faults - 1, 10));
        logger.error({ workerId, err: error, retryInMs: waitMs }, "delivery: claiming from the outbox failed; retrying");
        await pause(waitMs);
        continue;
      }
      // A full batch: more may be due at once. Otherwise wait a little before looking again.
      if (result.claimed < options.batchSize) await pause(idleMs);
    }
  }

  return {
    start() {
      if (loop) throw new Error("outbox worker: start() was already called");
      stopping = false;
      logger.info({ workerId, concurrency: options.concurrency, batchSize: options.batchSize }, "delivery: outbox worker started");
      loop = run().catch((error: unknown) => logger.error({ workerId, err: error }, "delivery: outbox worker loop failed"));
    },

    async stop() {
      stopping = true;
      abort.abort();
      await loop;
      await Promise.allSettled([...inFlight]);
      loop = null;
      try {
        await outbox.releaseClaims(workerId);
      } catch (error) {
        logger.error({ workerId, err: error }, "delivery: could not give unsent claims back; they come back when they go stale");
      }
      // Ready for runOnce (or another start) after a stop.
      abort = newAbort();
      logger.info({ workerId }, "delivery: outbox worker stopped");
    },

    runOnce() {
      return tracked(batch());
    },

    get running() {
      return loop !== null && !stopping;
    },
  };
}
