// The campaign cycle's dates (pure; "today" is a local date parameter): when units send their registration list up,
// when the phase report (sơ kết) is asked for and due.
import { addDays, type IsoDate } from "./clock.js";
import type { CampaignDefinition, PhaseDefinition as Phase } from "./campaign.js";

/** The list is due this many days after the phase's start when the federation set no `list_due`. */
export const LIST_DUE_DAYS = 30;
/** The report is due this many days after the phase's end when the plan gives no `report_due`. */
export const REPORT_DUE_DAYS = 15;
/** The report is asked for from this many days before the phase's end ("the phase's last days"). */
export const REPORT_OPENS_DAYS = 5;

export const listDue = (phase: Phase): IsoDate => phase.list_due ?? addDays(phase.start, LIST_DUE_DAYS);
export const reportDue = (phase: Phase): IsoDate => phase.report_due ?? addDays(phase.end, REPORT_DUE_DAYS);
export const reportOpens = (phase: Phase): IsoDate => addDays(phase.end, -REPORT_OPENS_DAYS);

/** The phase whose list is sent now: the phase running today; null between phases or outside the plan. */
export function listPhase(def: CampaignDefinition, today: IsoDate): Phase | null {
  return def.phases.find((p) => p.start <= today && today <= p.end) ?? null;
}

/** The phase whose report is open today (from its last days to its due date); the earlier one when two overlap. */
export function reportPhase(def: CampaignDefinition, today: IsoDate): Phase | null {
  return def.phases.find((p) => reportOpens(p) <= today && today <= reportDue(p)) ?? null;
}
