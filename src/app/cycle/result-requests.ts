// The push that asks members for their results when a phase ends: to each member with an approved pledge of the phase,
// once (a PlannedEvent per campaign and phase, and outbox keys per person), at the day after the phase's end, 08:00,
// moved past quiet hours, still sent up to RESULT_REQUEST_DAYS later after downtime. One choice per pledge, its value
// the command that opens that pledge's questions: a button on Telegram, a numbered line on Zalo and the web chat.
import { addDays, atLocalTime, localDate } from "../../domain/clock.js";
import { nextAllowed, type QuietHours } from "../../domain/quiet-hours.js";
import { translator } from "../i18n.js";
import type { CampaignRepository, NewNotification, OutboxRepository, PlannedEventRepository, PledgeRepository, SubscriberRepository } from "../ports.js";
import { localized } from "../campaign-text.js";
import { RESULTS_CHOICES_MAX, resultsCommand } from "../handlers/results.js";

export const RESULT_REQUEST_DAYS = 15;
export const RESULT_REQUEST_TYPE = "results-request";

export interface ResultRequestDeps {
  campaigns: CampaignRepository;
  pledges: PledgeRepository;
  subscribers: SubscriberRepository;
  outbox: OutboxRepository;
  plannedEvents: PlannedEventRepository;
  timezone: string;
  quietHours: QuietHours;
}

/** Plans the result requests due at `now`; returns how many people were asked. */
export async function planResultRequests(deps: ResultRequestDeps, now: Date): Promise<number> {
  const today = localDate(now, deps.timezone);
  let asked = 0;
  for (const campaign of await deps.campaigns.listAll()) {
    for (const phase of campaign.definition.phases) {
      const day = addDays(phase.end, 1);
      if (today < day || today > addDays(day, RESULT_REQUEST_DAYS)) continue;
      const key = `${RESULT_REQUEST_TYPE}:${campaign.slug}:${phase.number}`;
      if ((await deps.plannedEvents.known([key])).has(key)) continue;
      const dueAt = atLocalTime(day, "08:00", deps.timezone);
      const notBefore = nextAllowed(dueAt > now ? dueAt : now, deps.timezone, deps.quietHours);
      const byPerson = new Map<number, string[]>();
      for (const p of await deps.pledges.listApproved({ campaignId: campaign.id, phaseNumber: phase.number })) {
        if (p.kind !== "individual") continue;
        byPerson.set(p.subscriberId, [...(byPerson.get(p.subscriberId) ?? []), p.code]);
      }
      const rows: NewNotification[] = [];
      for (const [subscriberId, codes] of byPerson) {
        const s = await deps.subscribers.findById(subscriberId);
        if (!s || s.status !== "active") continue;
        const t = translator(s.locale);
        const text = t("results.request", { phase: localized(s.locale, phase.name, phase.name_en), codes: codes.join(", "), command: resultsCommand(codes[0]!) });
        const choices = codes.slice(0, RESULTS_CHOICES_MAX).map((code) => ({ label: t("results.pick", { code }), value: resultsCommand(code) }));
        rows.push({ key: `${key}:${s.id}`, eventKey: key, eventType: RESULT_REQUEST_TYPE, subscriberId: s.id, channel: s.channel, chatId: s.chatId, text, notBefore, expiresAt: null, choices });
      }
      await deps.outbox.enqueue(rows);
      // Recorded after the rows: a crash between the two re-plans, and the outbox keys drop the duplicates.
      await deps.plannedEvents.record({ key, eventType: RESULT_REQUEST_TYPE, campaignId: campaign.id, dueAt, status: "planned", reason: null, recipients: rows.length, plannedAt: now });
      asked += rows.length;
    }
  }
  return asked;
}
