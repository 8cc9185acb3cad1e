// Officers' announcements after confirmation: one outbox row per recipient, in the recipient's language, and one
// delivery report to the sender once every row is final. Every step is idempotent (outbox keys
// `broadcast:<id>:<subscriberId>` and `broadcast:<id>:report`), so a restart in the middle of a long enqueue simply
// runs it again: resumeBroadcasts and reportFinishedBroadcasts are meant to be called by the scheduler every minute.
import type { Logger } from "../logger.js";
import { t } from "./i18n.js";
import type {
  AudienceFilter,
  BroadcastRecord,
  BroadcastRepository,
  Locale,
  NewNotification,
  NotificationStatus,
  OutboxRepository,
  PledgeReportRepository,
  RecipientRepository,
  SubscriberRepository,
  Unit,
} from "./ports.js";

/** The officer's text; a header line still fits Zalo's 2,000 characters a message. */
export const BROADCAST_MAX_TEXT = 1800;
/** Recipients read (and rows written) per batch. */
export const BROADCAST_BATCH = 500;

export const BROADCAST_EVENT = "broadcast";
export const BROADCAST_REPORT_EVENT = "broadcast-report";
export const broadcastEventKey = (id: number) => `broadcast:${id}`;
export const broadcastRowKey = (id: number, subscriberId: number) => `broadcast:${id}:${subscriberId}`;
export const broadcastReportKey = (id: number) => `broadcast:${id}:report`;

export interface BroadcastDispatchDeps {
  broadcasts: BroadcastRepository;
  subscribers: SubscriberRepository;
  recipients: RecipientRepository;
  outbox: OutboxRepository;
  pledgeReports: PledgeReportRepository;
  logger?: Logger;
}

/** The message exactly as a recipient reads it: a header in their language naming the sender's unit, then the text. */
export function renderBroadcast(locale: Locale, unitName: string, text: string): string {
  return `${t(locale, "broadcast.header", { unit: unitName })}\n${text}`;
}

/**
 * Who an announcement goes to. `scope` is the subtree of the broadcast's unitId: for "subtree" and "officers" that
 * unit is the sender's scope root (stored on the draft, so a resumed enqueue reaches the same people); subscribers with
 * no unit belong to the whole tree, so they are included when that root has no parent. For "unit": that unit only.
 */
export function audienceFilter(broadcast: Pick<BroadcastRecord, "audience" | "unitId"> & Partial<Pick<BroadcastRecord, "campaignId" | "phaseNumber">>, scope: readonly Unit[]): AudienceFilter {
  if (broadcast.audience === "unit") return { unitIds: broadcast.unitId === null ? [] : [broadcast.unitId], includeNoUnit: false };
  const root = scope[0];
  const includeNoUnit = root !== undefined && root.parentId === null;
  const filter: AudienceFilter = { unitIds: scope.map((u) => u.id), includeNoUnit };
  if (broadcast.audience === "unregistered") {
    // Without its phase the audience is unknown: nobody, rather than everyone.
    if (broadcast.campaignId == null || broadcast.phaseNumber == null) return { unitIds: [], includeNoUnit: false };
    return { ...filter, withoutPledgeIn: { campaignId: broadcast.campaignId, phaseNumber: broadcast.phaseNumber } };
  }
  return broadcast.audience === "officers" ? { ...filter, role: "officer" } : filter;
}

/** The unit whose name heads the announcement: the sender's granted unit. */
async function senderUnit(deps: Pick<BroadcastDispatchDeps, "pledgeReports">, senderId: number): Promise<Unit | null> {
  const unitId = await deps.pledgeReports.officerGrantUnitId(senderId);
  return unitId === null ? null : ((await deps.pledgeReports.unitSubtree(unitId))[0] ?? null);
}

async function filterOf(deps: Pick<BroadcastDispatchDeps, "pledgeReports">, broadcast: BroadcastRecord): Promise<AudienceFilter> {
  const scope = broadcast.audience === "unit" || broadcast.unitId === null ? [] : await deps.pledgeReports.unitSubtree(broadcast.unitId);
  return audienceFilter(broadcast, scope);
}

/**
 * Writes one outbox row per recipient of a confirmed broadcast (the audience as it is now, read in batches). Rows that
 * exist already are left alone, so calling it again after a crash reaches each recipient exactly once.
 */
export async function enqueueBroadcast(
  deps: BroadcastDispatchDeps,
  broadcast: BroadcastRecord,
  now: Date,
  options: { batchSize?: number } = {},
): Promise<{ audience: number; inserted: number }> {
  if (broadcast.status !== "confirmed") throw new Error(`broadcast ${broadcast.id} is ${broadcast.status}, not confirmed`);
  // A sender revoked or erased after confirming: the announcement was authorised when confirmed, and is headed by the
  // unit it was addressed to instead (otherwise it would never finish).
  const unit = (await senderUnit(deps, broadcast.senderId)) ?? (broadcast.unitId === null ? null : ((await deps.pledgeReports.unitSubtree(broadcast.unitId))[0] ?? null));
  if (!unit) throw new Error(`broadcast ${broadcast.id}: the sender ${broadcast.senderId} has no granted unit`);
  const filter = await filterOf(deps, broadcast);
  const texts = new Map<Locale, string>();
  const textFor = (locale: Locale) => texts.get(locale) ?? texts.set(locale, renderBroadcast(locale, unit.name, broadcast.text)).get(locale)!;
  let audience = 0;
  let inserted = 0;
  for await (const batch of deps.recipients.stream(filter, options.batchSize ?? BROADCAST_BATCH)) {
    audience += batch.length;
    const rows: NewNotification[] = batch.map((s) => ({
      key: broadcastRowKey(broadcast.id, s.id),
      eventKey: broadcastEventKey(broadcast.id),
      eventType: BROADCAST_EVENT,
      subscriberId: s.id,
      channel: s.channel,
      chatId: s.chatId,
      text: textFor(s.locale),
      // A scheduled broadcast waits in the outbox until its time (the console applied quiet hours to it).
      notBefore: broadcast.sendAt && broadcast.sendAt > now ? broadcast.sendAt : now,
      expiresAt: null,
      broadcastId: broadcast.id,
    }));
    inserted += await deps.outbox.enqueue(rows);
  }
  return { audience, inserted };
}

const total = (counts: Record<NotificationStatus, number>) => Object.values(counts).reduce((a, b) => a + b, 0);

/**
 * Finishes the enqueue of every confirmed, unfinished broadcast that has fewer rows than recipients (a process that
 * died mid-enqueue). One failing broadcast is logged and does not hold up the others.
 */
export async function resumeBroadcasts(deps: BroadcastDispatchDeps, now: Date): Promise<{ resumed: number; inserted: number }> {
  let resumed = 0;
  let inserted = 0;
  for (const broadcast of await deps.broadcasts.listUnfinished()) {
    try {
      if (total(await deps.outbox.countByStatus({ broadcastId: broadcast.id })) >= broadcast.recipients) continue;
      const result = await enqueueBroadcast(deps, broadcast, now);
      resumed++;
      inserted += result.inserted;
    } catch (err) {
      deps.logger?.error({ err, broadcastId: broadcast.id }, "resuming a broadcast failed");
    }
  }
  return { resumed, inserted };
}

/** The sender, if still reachable (active). The ports find people by chat, not id: officers are few, so they are read. */
/** The text on one line, cut at a word boundary to at most `max` characters ("…" included). */
export function excerpt(text: string, max = 60): string {
  const chars = [...text.replace(/\s+/g, " ").trim()];
  if (chars.length <= max) return chars.join("");
  let cut = chars.slice(0, max - 1).join("");
  const space = cut.lastIndexOf(" ");
  if (space > cut.length / 2) cut = cut.slice(0, space);
  return `${cut.trimEnd()}…`;
}

/** The delivery report in the sender's language. */
export function renderBroadcastReport(locale: Locale, broadcast: BroadcastRecord, counts: Record<NotificationStatus, number>): string {
  const lines = [
    t(locale, "broadcast.report", { id: broadcast.id, excerpt: excerpt(broadcast.text), total: total(counts), sent: counts.sent, failed: counts.failed, blocked: counts.blocked }),
  ];
  if (counts.skipped > 0) lines.push(t(locale, "broadcast.report.skipped", { count: counts.skipped }));
  return lines.join("\n");
}

/**
 * Closes every confirmed broadcast whose delivery is over: no row pending or sending, and the enqueue finished (a full
 * pass over the audience adds no row — which also covers an audience that shrank after the preview's count). The
 * sender gets one report (its key makes a second one impossible), then the broadcast is marked done atomically.
 */
export async function reportFinishedBroadcasts(deps: BroadcastDispatchDeps, now: Date): Promise<{ reported: number }> {
  let reported = 0;
  for (const broadcast of await deps.broadcasts.listUnfinished()) {
    try {
      const before = await deps.outbox.countByStatus({ broadcastId: broadcast.id });
      if (before.pending > 0 || before.sending > 0) continue;
      if ((await enqueueBroadcast(deps, broadcast, now)).inserted > 0) continue;
      const counts = await deps.outbox.countByStatus({ broadcastId: broadcast.id });
      if (counts.pending > 0 || counts.sending > 0) continue;
      const sender = await deps.subscribers.findById(broadcast.senderId);
      // The report first, then done: a crash in between leaves the broadcast unfinished, and the next call's report
      // has the same key, so it is not enqueued twice.
      if (sender) {
        await deps.outbox.enqueue([
          {
            key: broadcastReportKey(broadcast.id),
            eventKey: broadcastEventKey(broadcast.id),
            eventType: BROADCAST_REPORT_EVENT,
            subscriberId: sender.id,
            channel: sender.channel,
            chatId: sender.chatId,
            text: renderBroadcastReport(sender.locale, broadcast, counts),
            notBefore: now,
            expiresAt: null,
          },
        ]);
      }
      if (await deps.broadcasts.markDone(broadcast.id, now)) reported++;
    } catch (err) {
      deps.logger?.error({ err, broadcastId: broadcast.id }, "reporting a finished broadcast failed");
    }
  }
  return { reported };
}
