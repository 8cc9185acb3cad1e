// Delivery, assembled from the configuration for the composition root: fail-fast senders for the configured
// platforms (and the web chat's inbox), the send rates, and the outbox worker.
import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import type { OutboxRepository, SubscriberRepository } from "../app/ports.js";
import type { Config } from "../config.js";
import type { Logger } from "../logger.js";
import { createOutboxWorker, type OutboxWorker } from "./outbox-worker.js";
import { createRateLimiter, rateLimitsFromConfig } from "./rate-limiter.js";
import { createDeliverySenders, type Sender } from "./senders.js";

export { createOutboxWorker, type OutboxWorker } from "./outbox-worker.js";

/** A claim older than this is taken to belong to a worker that died (a batch takes seconds, not minutes). */
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
  >;
  outbox: OutboxRepository;
  subscribers: Pick<SubscriberRepository, "find" | "setStatus">;
  /** The web chat's push channel, when the web chat is on. */
  web?: Sender;
  now: () => Date;
  logger: Logger;
}

export function createDeliveryWorker(deps: DeliveryDeps): OutboxWorker {
  const { config, logger } = deps;
  const channels = createDeliverySenders({
    telegram: config.TELEGRAM_BOT_TOKEN ? { token: config.TELEGRAM_BOT_TOKEN, apiRoot: config.TELEGRAM_API_ROOT } : undefined,
    zalo: config.ZALO_BOT_TOKEN ? { token: config.ZALO_BOT_TOKEN, apiRoot: config.ZALO_API_ROOT } : undefined,
    web: deps.web,
    logger,
  });
  return createOutboxWorker({
    outbox: deps.outbox,
    subscribers: deps.subscribers,
    channels,
    limiter: createRateLimiter({ limits: rateLimitsFromConfig(config) }),
    quietHours: config.quietHours,
    timezone: config.BOT_TIMEZONE,
    now: deps.now,
    workerId: `${hostname()}:${process.pid}:${randomBytes(4).toString("hex")}`,
    concurrency: config.DELIVERY_CONCURRENCY,
    batchSize: Math.max(20, config.DELIVERY_CONCURRENCY * 5),
    staleAfterMs: STALE_CLAIM_MS,
    logger,
  });
}
