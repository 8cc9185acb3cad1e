// Every push a campaign plan implies, with the day and local time it is due and who it is for. Pure: the planner
// turns these into outbox rows; `tz` is the campaign clock.
import { anniversariesOf, phasesInOrder, type AnniversaryOccurrence, type Phase } from "./calendar.js";
import type { CampaignDefinition } from "./campaign.js";
import { addDays, atLocalTime, type IsoDate } from "./clock.js";

export type EventType =
  | "launch"
  | "phase-start"
  | "anniversary"
  | "anniversary-heads-up"
  | "phase-end-reminder"
  | "pledge-reminder"
  | "report-due";

export type EventAudience = "all" | "officers" | "members-without-pledge";

export interface CampaignEvent {
  /** Unique per campaign and event: `${slug}:${type}:…`. */
  key: string;
  type: EventType;
  /** The local date it belongs to. */
  date: IsoDate;
  /** When it is due: `greeting_time` on `date`, in the campaign clock. */
  at: Date;
  audience: EventAudience;
  phase?: Phase;
  anniversary?: AnniversaryOccurrence;
  /** Reminders: days left until the phase end / report deadline (0 on the day). */
  daysLeft?: number;
  /** A greeting for its own day: never sent on a later day. */
  sameDayOnly: boolean;
}

/** Officers are reminded this many days before a phase ends (sơ kết, report due). */
export const PHASE_END_REMINDER_DAYS = [14, 7, 3, 1] as const;
/** Officers hear about an anniversary this many days ahead (works and products to dedicate). */
export const ANNIVERSARY_HEADS_UP_DAYS = 3;
/** Members without a pledge are reminded this many days after a phase starts and before it ends. */
export const PLEDGE_REMINDER_DAYS = 7;
/** Officers are reminded of a report deadline this many days ahead, and on the day. */
export const REPORT_DUE_REMINDER_DAYS = [3, 0] as const;

/** The launch day: `launch_date`, or the first phase's start. */
export const launchDate = (def: CampaignDefinition): IsoDate => def.launch_date ?? phasesInOrder(def)[0]!.start;

export function campaignEvents(def: CampaignDefinition, tz: string): CampaignEvent[] {
  const at = (date: IsoDate) => atLocalTime(date, def.greeting_time, tz);
  const launch = launchDate(def);
  const events: CampaignEvent[] = [];
  const add = (e: Omit<CampaignEvent, "at" | "sameDayOnly"> & { sameDayOnly?: boolean }) =>
    events.push({ ...e, at: at(e.date), sameDayOnly: e.sameDayOnly ?? false });

  add({ key: `${def.slug}:launch`, type: "launch", date: launch, audience: "all" });
  for (const phase of phasesInOrder(def)) {
    // On the launch day the launch announcement already presents the first phase.
    if (phase.start !== launch) add({ key: `${def.slug}:phase-start:${phase.number}`, type: "phase-start", date: phase.start, audience: "all", phase });
    for (const days of PHASE_END_REMINDER_DAYS) {
      const date = addDays(phase.end, -days);
      if (date >= phase.start) add({ key: `${def.slug}:phase-end:${phase.number}:${days}`, type: "phase-end-reminder", date, audience: "officers", phase, daysLeft: days });
    }
    const afterStart = addDays(phase.start, PLEDGE_REMINDER_DAYS);
    const beforeEnd = addDays(phase.end, -PLEDGE_REMINDER_DAYS);
    if (afterStart <= phase.end) add({ key: `${def.slug}:pledge-reminder:${phase.number}:start`, type: "pledge-reminder", date: afterStart, audience: "members-without-pledge", phase });
    if (beforeEnd > afterStart) add({ key: `${def.slug}:pledge-reminder:${phase.number}:end`, type: "pledge-reminder", date: beforeEnd, audience: "members-without-pledge", phase });
    if (phase.report_due) {
      for (const days of REPORT_DUE_REMINDER_DAYS) {
        add({ key: `${def.slug}:report-due:${phase.number}:${days}`, type: "report-due", date: addDays(phase.report_due, -days), audience: "officers", phase, daysLeft: days });
      }
    }
  }
  const phases = phasesInOrder(def);
  for (const anniversary of anniversariesOf(def)) {
    const phase = phases.find((p) => p.number === anniversary.phaseNumber);
    add({ key: `${def.slug}:anniversary:${anniversary.key}`, type: "anniversary", date: anniversary.date, audience: "all", anniversary, ...(phase ? { phase } : {}), sameDayOnly: true });
    const headsUp = addDays(anniversary.date, -ANNIVERSARY_HEADS_UP_DAYS);
    if (headsUp >= launch) {
      add({ key: `${def.slug}:anniversary-heads-up:${anniversary.key}`, type: "anniversary-heads-up", date: headsUp, audience: "officers", anniversary, ...(phase ? { phase } : {}), daysLeft: ANNIVERSARY_HEADS_UP_DAYS });
    }
  }
  return events.sort((a, b) => a.at.getTime() - b.at.getTime() || (a.key < b.key ? -1 : 1));
}
