// The service's Prometheus metrics, in one registry the composition root creates and hands out as small callbacks
// (nothing else imports prom-client, and nothing lands in prom-client's global default registry). Labels are
// bounded: channel, outcome, kind — never a chat id, a person or a text.
import { collectDefaultMetrics, Counter, Gauge, Registry } from "prom-client";
import type { ChannelName, OutboxRepository } from "./app/ports.js";
import type { SendOutcome } from "./delivery/outbox-worker.js";
import type { Logger } from "./logger.js";

/** What became of one platform update at the inbound handler. */
export type UpdateOutcome = "handled" | "duplicate" | "failed";
export type SendFailureKind = Exclude<SendOutcome, "sent">;

export const UPDATE_OUTCOMES: readonly UpdateOutcome[] = ["handled", "duplicate", "failed"];
export const SEND_FAILURE_KINDS: readonly SendFailureKind[] = ["rate-limited", "transient", "blocked", "rejected", "skipped"];
/** How long one outbox depth reading is reused, so a scrape storm costs one COUNT per interval. */
export const OUTBOX_DEPTH_CACHE_MS = 5_000;

export interface MetricsOptions {
  /** The channels this process serves: their series start at 0, so rate() works from the first scrape. */
  channels: readonly ChannelName[];
  /** Source of congdoan_outbox_depth (read on scrape); without it the gauge is absent. */
  outbox?: Pick<OutboxRepository, "dueCount">;
  now?: () => Date;
  depthCacheMs?: number;
  /** prom-client's process metrics (CPU, memory, event loop lag, handles, GC); default on. */
  processMetrics?: boolean;
  logger?: Logger;
}

export interface Metrics {
  readonly registry: Registry;
  /** The inbound handler's hook. */
  updateHandled(channel: ChannelName, outcome: UpdateOutcome): void;
  /** A channel's hook for a platform update it could not understand (logged at warn, never dropped silently). */
  updateUnreadable(channel: ChannelName): void;
  /** The outbox worker's hook. */
  sendOutcome(channel: ChannelName, outcome: SendOutcome): void;
  /** After each successful planner tick: its time and the due times of the pushes it queued. */
  plannerTicked(at: Date, planned: readonly { dueAt: Date }[]): void;
  /** The exposition text (what GET /metrics answers). */
  render(): Promise<string>;
  readonly contentType: string;
}

/** What the parts report through (the composition root hands out no-ops when /metrics is not served). */
export type MetricsHooks = Pick<Metrics, "updateHandled" | "updateUnreadable" | "sendOutcome" | "plannerTicked">;

export function createMetrics(options: MetricsOptions): Metrics {
  const registry = new Registry();
  const now = options.now ?? (() => new Date());
  const registers = [registry];
  if (options.processMetrics !== false) collectDefaultMetrics({ register: registry });

  const updates = new Counter({
    name: "congdoan_updates_handled_total",
    help: "Platform updates (Telegram, Zalo) that reached the inbound handler, by outcome: handled; duplicate (a redelivery, or one another handler holds: ignored); failed (the handler threw, the platform will redeliver).",
    labelNames: ["channel", "outcome"] as const,
    registers,
  });
  const unreadable = new Counter({
    name: "congdoan_updates_unreadable_total",
    help: "Platform updates the channel could not understand (no message it can answer): each is logged at warn with its keys, and the person is told when a chat is known.",
    labelNames: ["channel"] as const,
    registers,
  });
  const sent = new Counter({
    name: "congdoan_messages_sent_total",
    help: "Outbox notifications (scheduled pushes, broadcasts) the platform accepted.",
    labelNames: ["channel"] as const,
    registers,
  });
  const failed = new Counter({
    name: "congdoan_messages_failed_total",
    help: "Outbox send attempts that delivered nothing, by kind: rate-limited (429, tried again after retry_after); transient (5xx or network, tried again with backoff); blocked (403, subscriber marked blocked); rejected (any other refusal); skipped (not sent: expired, subscriber inactive or gone, channel not configured).",
    labelNames: ["channel", "kind"] as const,
    registers,
  });
  const plannerLag = new Gauge({
    name: "congdoan_planner_lag_seconds",
    help: "How late this instance's most recent successful planner tick queued pushes: the tick's time minus the due time of the oldest push it queued, in seconds; 0 when it queued nothing. Large after downtime (catch-up).",
    registers,
  });
  const plannerLastTick = new Gauge({
    name: "congdoan_planner_last_tick_timestamp_seconds",
    help: "Unix time of this instance's most recent successful planner tick (every minute when healthy; alert on time() minus this).",
    registers,
  });

  for (const channel of options.channels) {
    for (const outcome of UPDATE_OUTCOMES) if (channel !== "web") updates.inc({ channel, outcome }, 0);
    if (channel !== "web") unreadable.inc({ channel }, 0);
    sent.inc({ channel }, 0);
    for (const kind of SEND_FAILURE_KINDS) failed.inc({ channel, kind }, 0);
  }

  if (options.outbox) {
    const outbox = options.outbox;
    const ttl = options.depthCacheMs ?? OUTBOX_DEPTH_CACHE_MS;
    let cached: { at: number; value: number } | null = null;
    let reading: Promise<number> | null = null;
    const read = (): Promise<number> => {
      const at = Date.now();
      if (cached && at - cached.at < ttl) return Promise.resolve(cached.value);
      // Scrapes that arrive while a count is running share it.
      reading ??= outbox
        .dueCount(now())
        .catch((error: unknown) => {
          // The other metrics still answer; NaN says "unknown" (the database is down: /healthz says so too).
          options.logger?.warn({ err: error }, "metrics: could not count the due outbox rows");
          return Number.NaN;
        })
        .then((value) => {
          cached = { at: Date.now(), value };
          return value;
        })
        .finally(() => {
          reading = null;
        });
      return reading;
    };
    new Gauge({
      name: "congdoan_outbox_depth",
      help: `Outbox notifications due now and not yet claimed (status pending, not before now), across all instances; read on scrape, reused for ${ttl / 1000} s; NaN when the database does not answer.`,
      registers,
      async collect() {
        this.set(await read());
      },
    });
  }

  return {
    registry,
    updateHandled(channel, outcome) {
      updates.inc({ channel, outcome });
    },
    updateUnreadable(channel) {
      unreadable.inc({ channel });
    },
    sendOutcome(channel, outcome) {
      if (outcome === "sent") sent.inc({ channel });
      else failed.inc({ channel, kind: outcome });
    },
    plannerTicked(at, planned) {
      const late = planned.reduce((max, p) => Math.max(max, at.getTime() - p.dueAt.getTime()), 0);
      plannerLag.set(late / 1000);
      plannerLastTick.set(at.getTime() / 1000);
    },
    render: () => registry.metrics(),
    contentType: registry.contentType,
  };
}
