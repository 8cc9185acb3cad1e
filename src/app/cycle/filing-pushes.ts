// Pushes to grassroots unions' officers (a live grant of a unit without children), each planned once (a PlannedEvent
// per campaign, phase and kind; outbox keys per person), at 08:00 local moved past quiet hours:
//   report-request  the phase's last days (REPORT_OPENS_DAYS before its end): please send the phase report
//   report-reminder the report's due date, to units that have not sent it
//   list-reminder   the list's due date (plan field `list_due`, else LIST_DUE_DAYS after the start), to units whose list
//                   is not sent or was returned
import { atLocalTime, localDate, formatDateVi, type IsoDate } from "../../domain/clock.js";
import { listDue, reportDue, reportOpens } from "../../domain/cycle.js";
import type { PhaseDefinition } from "../../domain/campaign.js";
import { nextAllowed, type QuietHours } from "../../domain/quiet-hours.js";
import { localized } from "../campaign-text.js";
import { translator } from "../i18n.js";
import type { CampaignRepository, FilingKind, NewNotification, OfficerGrantRepository, OutboxRepository, PlannedEventRepository, PledgeReportRepository, StoredCampaign, SubscriberRepository, UnitFilingRepository } from "../ports.js";

/** A push still goes out this many days after its day (downtime); later it is dropped. */
export const FILING_PUSH_GRACE_DAYS = 3;

export interface FilingPushDeps {
  campaigns: CampaignRepository;
  subscribers: SubscriberRepository;
  officerGrants: OfficerGrantRepository;
  pledgeReports: PledgeReportRepository;
  unitFilings: UnitFilingRepository;
  outbox: OutboxRepository;
  plannedEvents: PlannedEventRepository;
  timezone: string;
  quietHours: QuietHours;
}

interface PushKind {
  type: "report-request" | "report-reminder" | "list-reminder";
  day(phase: PhaseDefinition): IsoDate;
  /** Which filing decides who is skipped, and which statuses count as done. */
  skipIf?: { kind: FilingKind; statuses: readonly string[] };
  text: string;
  due(phase: PhaseDefinition): IsoDate;
}

const KINDS: readonly PushKind[] = [
  { type: "report-request", day: reportOpens, text: "report.request", due: reportDue, skipIf: { kind: "report", statuses: ["submitted", "accepted"] } },
  { type: "report-reminder", day: reportDue, text: "report.remind", due: reportDue, skipIf: { kind: "report", statuses: ["submitted", "accepted"] } },
  { type: "list-reminder", day: listDue, text: "filing.remind.list", due: listDue, skipIf: { kind: "list", statuses: ["submitted", "accepted"] } },
];

/** Plans the filing pushes due at `now`; returns how many people each kind reached. */
export async function planFilingPushes(deps: FilingPushDeps, now: Date): Promise<Record<PushKind["type"], number>> {
  const today = localDate(now, deps.timezone);
  const counts = { "report-request": 0, "report-reminder": 0, "list-reminder": 0 };
  const campaigns = await deps.campaigns.listAll();
  let leafGrants: { subscriberId: number; unitId: number }[] | null = null;
  for (const campaign of campaigns) {
    for (const phase of campaign.definition.phases) {
      for (const kind of KINDS) {
        const day = kind.day(phase);
        if (today < day || localDate(new Date(atLocalTime(day, "08:00", deps.timezone).getTime() + FILING_PUSH_GRACE_DAYS * 86_400_000), deps.timezone) < today) continue;
        const key = `${kind.type}:${campaign.slug}:${phase.number}`;
        if ((await deps.plannedEvents.known([key])).has(key)) continue;
        leafGrants ??= await grantsOfLeaves(deps);
        const rows = await rowsFor(deps, campaign, phase, kind, key, leafGrants, now);
        await deps.outbox.enqueue(rows);
        await deps.plannedEvents.record({ key, eventType: kind.type, campaignId: campaign.id, dueAt: atLocalTime(day, "08:00", deps.timezone), status: "planned", reason: null, recipients: rows.length, plannedAt: now });
        counts[kind.type] += rows.length;
      }
    }
  }
  return counts;
}

async function grantsOfLeaves(deps: FilingPushDeps): Promise<{ subscriberId: number; unitId: number }[]> {
  const grants = await deps.officerGrants.list();
  const leaf = new Map<number, boolean>();
  for (const g of grants) if (!leaf.has(g.unitId)) leaf.set(g.unitId, (await deps.pledgeReports.unitSubtree(g.unitId)).length === 1);
  return grants.filter((g) => leaf.get(g.unitId));
}

async function rowsFor(deps: FilingPushDeps, campaign: StoredCampaign, phase: PhaseDefinition, kind: PushKind, key: string, grants: { subscriberId: number; unitId: number }[], now: Date): Promise<NewNotification[]> {
  const due = atLocalTime(kind.day(phase), "08:00", deps.timezone);
  const notBefore = nextAllowed(due > now ? due : now, deps.timezone, deps.quietHours);
  const done = new Set<number>();
  if (kind.skipIf) {
    const filings = await deps.unitFilings.list({ campaignId: campaign.id, phaseNumber: phase.number, kind: kind.skipIf.kind, unitIds: grants.map((g) => g.unitId) });
    for (const f of filings) if (kind.skipIf.statuses.includes(f.status)) done.add(f.unitId);
  }
  const rows: NewNotification[] = [];
  const seen = new Set<number>();
  for (const g of grants) {
    if (done.has(g.unitId) || seen.has(g.subscriberId)) continue;
    seen.add(g.subscriberId);
    const s = await deps.subscribers.findById(g.subscriberId);
    if (!s || s.status !== "active") continue;
    const text = translator(s.locale)(kind.text, { phase: localized(s.locale, phase.name, phase.name_en), due: formatDateVi(kind.due(phase)) });
    rows.push({ key: `${key}:${s.id}`, eventKey: key, eventType: kind.type, subscriberId: s.id, channel: s.channel, chatId: s.chatId, text, notBefore, expiresAt: null });
  }
  return rows;
}
