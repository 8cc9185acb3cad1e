// Delivery, assembled from the configuration for the composition root: fail-fast senders for the configured
// platforms (and the web chat's inbox), the send rates, and the outbox worker.
import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import type { OutboxRepository, SessionRepository, SubscriberRepository } from "../app/ports.js";
import type { Config } from "../config.js";
import type { Logger } from "../logger.js";
import { createOutboxWorker, type OutboxWorker, type OutboxWorkerOptions, type SubscriberState } from "./outbox-worker.js";
import { createRateLimiter, rateLimitsFromConfig } from "./rate-limiter.js";
import { createDeliverySenders, type Sender } from "./senders.js";

export { createOutboxWorker, type OutboxWorker, type SendOutcome } from "./outbox-worker.js";

/** The default of DELIVERY_STALE_CLAIM_SECONDS: a claim older than this belongs to a worker that died. */
export const STALE_CLAIM_MS = 10 * 60_000;

export interface DeliveryDeps {
  config: Pick<
    Config,
    | "TELEGRAM_BOT_TOKEN"
    | "TELEGRAM_API_ROOT"
    | "ZALO_BOT_TOKEN"
    | "ZALO_API_ROOT"
    | "TELEGRAM_RATE_PER_SECOND"
    | "TELEGRAM_CHAT_RATE_PER_SECOND"
    | "ZALO_RATE_PER_SECOND"
    | "DELIVERY_CONCURRENCY"
    | "BOT_TIMEZONE"
    | "quietHours"
  > &
    Partial<Pick<Config, "DELIVERY_STALE_CLAIM_SECONDS">>;
  outbox: OutboxRepository;
  subscribers: Pick<SubscriberRepository, "find" | "setStatus">;
  /** The chats' conversation sessions, so a typed number after a push with choices picks one. */
  sessions?: SessionRepository;
  /** The web chat's push channel, when the web chat is on. */
  web?: Sender;
  now: () => Date;
  logger: Logger;
  /** Each send attempt's outcome (metrics). */
  onOutcome?: OutboxWorkerOptions["onOutcome"];
}

/**
 * How long a full batch takes at the slowest configured pace: a claim must not go stale before its batch is done, or
 * a live worker's rows would be taken over and sent twice.
 */
export function fullBatchMs(config: DeliveryDeps["config"], batchSize: number): number {
  const rates = [config.TELEGRAM_BOT_TOKEN ? config.TELEGRAM_RATE_PER_SECOND : undefined, config.ZALO_BOT_TOKEN ? config.ZALO_RATE_PER_SECOND : undefined].filter(
    (r): r is number => r !== undefined,
  );
  return rates.length === 0 ? 0 : (batchSize / Math.min(...rates)) * 1000;
}

/** The outbox's lookup of many subscribers at once, when it has one (the Prisma outbox does). */
function subscriberLookup(outbox: OutboxRepository): OutboxWorkerOptions["lookupSubscribers"] {
  const withLookup = outbox as OutboxRepository & { subscriberStates?: (ids: number[]) => Promise<ReadonlyMap<number, SubscriberState>> };
  return withLookup.subscriberStates ? (ids) => withLookup.subscriberStates!(ids) : undefined;
}

export function createDeliveryWorker(deps: DeliveryDeps): OutboxWorker {
  const { config, logger } = deps;
  const batchSize = Math.max(20, config.DELIVERY_CONCURRENCY * 5);
  // Optional in the type for callers that predate the setting: the default applies.
  const staleAfterMs = config.DELIVERY_STALE_CLAIM_SECONDS !== undefined ? config.DELIVERY_STALE_CLAIM_SECONDS * 1000 : STALE_CLAIM_MS;
  const batchMs = fullBatchMs(config, batchSize);
  if (staleAfterMs < 2 * batchMs) {
    logger.warn(
      { staleAfterMs, fullBatchMs: Math.round(batchMs), batchSize },
      "delivery: DELIVERY_STALE_CLAIM_SECONDS is shorter than twice a full batch at the configured send rate; a slow batch may be taken over and sent twice",
    );
  }
  const channels = createDeliverySenders({
    telegram: config.TELEGRAM_BOT_TOKEN ? { token: config.TELEGRAM_BOT_TOKEN, apiRoot: config.TELEGRAM_API_ROOT } : undefined,
    zalo: config.ZALO_BOT_TOKEN ? { token: config.ZALO_BOT_TOKEN, apiRoot: config.ZALO_API_ROOT } : undefined,
    web: deps.web,
    logger,
  });
  return createOutboxWorker({
    outbox: deps.outbox,
    subscribers: deps.subscribers,
    sessions: deps.sessions,
    channels,
    limiter: createRateLimiter({ limits: rateLimitsFromConfig(config) }),
    quietHours: config.quietHours,
    timezone: config.BOT_TIMEZONE,
    now: deps.now,
    workerId: `${hostname()}:${process.pid}:${randomBytes(4).toString("hex")}`,
    concurrency: config.DELIVERY_CONCURRENCY,
    batchSize,
    staleAfterMs,
    logger,
    onOutcome: deps.onOutcome,
    // The Prisma outbox can look up the subscribers of many rows in one query.
    lookupSubscribers: subscriberLookup(deps.outbox),
  });
}
