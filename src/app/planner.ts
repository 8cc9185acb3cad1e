// The planner: on every tick, each campaign event that has come due is written to the outbox once per recipient
// (the key event + recipient makes a second planning impossible), or recorded as skipped with the reason when
// it was missed (service down longer than the catch-up grace; an anniversary greeting on a later day).
import { campaignEvents, type CampaignEvent } from "../domain/schedule.js";
import type { CampaignDefinition } from "../domain/campaign.js";
import { addDays, localDate, startOfLocalDay } from "../domain/clock.js";
import { nextAllowed, type QuietHours } from "../domain/quiet-hours.js";
import type { Logger } from "../logger.js";
import { renderEvent } from "./notification-text.js";
import type {
  AudienceFilter,
  NewNotification,
  OutboxRepository,
  PlannedEventRepository,
  PledgeReportRepository,
  RecipientRepository,
  StoredCampaign,
  CampaignRepository,
  UnitRepository,
} from "./ports.js";

export interface PlannerDeps {
  campaigns: CampaignRepository;
  plannedEvents: PlannedEventRepository;
  recipients: RecipientRepository;
  outbox: OutboxRepository;
  units: UnitRepository;
  pledgeReports: PledgeReportRepository;
  timezone: string;
  quietHours: QuietHours;
  /** How late a missed push may still go out after downtime. */
  graceMs: number;
  logger: Logger;
  batchSize?: number;
}

/**
 * What this tick decided. An event another instance planned first in the same minute (the outbox keys dropped this
 * tick's duplicate rows) is in neither list, so each event is reported — logged, counted — by one instance only.
 */
export interface TickResult {
  /** `dueAt`: when the push was due (the tick may be later: catch-up after downtime). */
  planned: { key: string; type: string; recipients: number; dueAt: Date }[];
  skipped: { key: string; type: string; reason: string }[];
}

export interface Planner {
  tick(now: Date): Promise<TickResult>;
  /** Plans one event now, whatever its date (an officer or administrator triggering the launch announcement). */
  planNow(campaign: StoredCampaign, event: CampaignEvent, now: Date): Promise<number>;
}

export function createPlanner(deps: PlannerDeps): Planner {
  const tz = deps.timezone;
  const batchSize = deps.batchSize ?? 500;

  /** The owner's unit tree (and everyone without a unit), or everyone when the plan names no owner unit. */
  async function audience(def: CampaignDefinition, event: CampaignEvent, campaignId: number): Promise<AudienceFilter> {
    const owner = def.owner.unit_code ? await deps.units.findByCode(def.owner.unit_code) : null;
    const unitIds = owner ? (await deps.pledgeReports.unitSubtree(owner.id)).map((u) => u.id) : null;
    const base: AudienceFilter = { unitIds, includeNoUnit: true };
    if (event.audience === "officers") return { ...base, role: "officer" };
    if (event.audience === "members-without-pledge") return { ...base, withoutPledgeIn: { campaignId, phaseNumber: event.phase!.number } };
    return base;
  }

  /** After this instant the push is no longer worth sending. */
  const expiry = (event: CampaignEvent) =>
    event.sameDayOnly ? startOfLocalDay(addDays(event.date, 1), tz) : new Date(event.at.getTime() + deps.graceMs);

  async function enqueue(campaign: StoredCampaign, event: CampaignEvent, notBefore: Date, expiresAt: Date): Promise<number> {
    const filter = await audience(campaign.definition, event, campaign.id);
    const texts = new Map<string, string>();
    let recipients = 0;
    for await (const batch of deps.recipients.stream(filter, batchSize)) {
      const rows: NewNotification[] = batch.map((s) => {
        let text = texts.get(s.locale);
        if (text === undefined) texts.set(s.locale, (text = renderEvent(campaign.definition, event, s.locale, tz)));
        return { key: `${event.key}:${s.id}`, eventKey: event.key, eventType: event.type, subscriberId: s.id, channel: s.channel, chatId: s.chatId, text, notBefore, expiresAt };
      });
      await deps.outbox.enqueue(rows);
      recipients += rows.length;
    }
    return recipients;
  }

  return {
    async tick(now) {
      const result: TickResult = { planned: [], skipped: [] };
      for (const campaign of await deps.campaigns.listAll()) {
        const due = campaignEvents(campaign.definition, tz).filter((e) => e.at <= now);
        const known = await deps.plannedEvents.known(due.map((e) => e.key));
        for (const event of due.filter((e) => !known.has(e.key))) {
          const expiresAt = expiry(event);
          const notBefore = nextAllowed(event.at > now ? event.at : now, tz, deps.quietHours);
          const record = { key: event.key, eventType: event.type, campaignId: campaign.id, dueAt: event.at, plannedAt: now };
          let reason: string | null = null;
          if (now >= expiresAt) {
            reason = event.sameDayOnly
              ? `missed: an anniversary greeting is sent on ${localDate(event.at, tz)} only, and it is now ${localDate(now, tz)}`
              : `missed: due ${event.at.toISOString()}, more than the catch-up grace before ${now.toISOString()}`;
          } else if (notBefore >= expiresAt) {
            reason = `quiet hours last until ${notBefore.toISOString()}, after the push expires`;
          }
          if (reason) {
            if (!(await deps.plannedEvents.record({ ...record, status: "skipped", reason, recipients: 0 }))) continue;
            result.skipped.push({ key: event.key, type: event.type, reason });
            deps.logger.debug({ event: event.key, reason }, "scheduled push skipped");
            continue;
          }
          // Recipients first, then the record: a crash in between re-plans the event, and the keys drop duplicates.
          const recipients = await enqueue(campaign, event, notBefore, expiresAt);
          if (!(await deps.plannedEvents.record({ ...record, status: "planned", reason: null, recipients }))) {
            deps.logger.debug({ event: event.key }, "scheduled push planned by another instance in the same minute");
            continue;
          }
          result.planned.push({ key: event.key, type: event.type, recipients, dueAt: event.at });
          deps.logger.info({ event: event.key, recipients }, "scheduled push planned");
        }
      }
      // A first start with old plans skips dozens of events: one line says so; each reason is in PlannedEvent.
      if (result.skipped.length > 0) deps.logger.info({ skipped: result.skipped.length }, "missed scheduled pushes recorded as skipped");
      return result;
    },

    async planNow(campaign, event, now) {
      const expiresAt = new Date(now.getTime() + deps.graceMs);
      return enqueue(campaign, event, nextAllowed(now, tz, deps.quietHours), expiresAt);
    },
  };
}
