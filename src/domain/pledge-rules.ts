// What may be pledged, when, and within which limits. Pure: `now` and the zone are parameters.
import { z } from "zod";
import { anniversariesOf, phaseAt, phasesInOrder, type AnniversaryOccurrence, type Phase } from "./calendar.js";
import type { CampaignDefinition, MovementDefinition } from "./campaign.js";
import { localDate } from "./clock.js";

/** Limits stated in the prompts; the same numbers validate the answers. */
export const LIMITS = {
  fullName: { min: 2, max: 100 },
  position: { max: 100 },
  workName: { min: 3, max: 200 },
  workDescription: { min: 3, max: 500 },
  initiativeName: { min: 3, max: 200 },
  initiativeDescription: { min: 3, max: 500 },
  commitment: { min: 10, max: 1000 },
} as const;

// Control characters (other than line breaks in long texts) have no place in a pledge, nor U+FFFD, which stands in
// for what could not be kept of the typed text (a NUL, a lone surrogate: see user-text.ts).
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\ufffd]/;
const LINE_BREAK = /[\r\n]/;

export type TextProblem = "empty" | "tooShort" | "tooLong" | "badCharacters";

/** Checks one typed answer; single-line fields refuse line breaks. */
export function checkText(text: string, limits: { min?: number; max: number }, options: { multiline?: boolean } = {}): TextProblem | null {
  const value = text.trim();
  const schema = z
    .string()
    .min(1, "empty")
    .min(limits.min ?? 1, "tooShort")
    .max(limits.max, "tooLong")
    .refine((v) => !CONTROL.test(v) && (options.multiline || !LINE_BREAK.test(v)), "badCharacters");
  const result = schema.safeParse(value);
  return result.success ? null : (result.error.issues[0]!.message as TextProblem);
}

/** Phases a pledge can be made for at `now`: the current one (first) and the ones still to come. */
export function phasesOpenForPledges(def: CampaignDefinition, now: Date, tz: string): Phase[] {
  const today = localDate(now, tz);
  return phasesInOrder(def).filter((p) => p.end >= today);
}

/** A campaign takes pledges while it runs: today inside its span (gaps between phases included). */
export function campaignTakesPledges(def: CampaignDefinition, now: Date, tz: string): boolean {
  const at = phaseAt(def, now, tz);
  return at.kind === "in" || at.kind === "between";
}

/** A pledge can be edited or withdrawn until its phase ends; after that it is read-only. */
export function pledgeEditable(def: CampaignDefinition, phaseNumber: number, now: Date, tz: string): boolean {
  const phase = def.phases.find((p) => p.number === phaseNumber);
  return phase !== undefined && localDate(now, tz) <= phase.end;
}

/** Anniversaries a work can be dedicated to in `phase`: those inside it, else all of the campaign's. */
export function anniversariesForPhase(def: CampaignDefinition, phase: Phase): AnniversaryOccurrence[] {
  const all = anniversariesOf(def);
  const inside = all.filter((a) => phase.start <= a.date && a.date <= phase.end);
  return inside.length > 0 ? inside : all;
}

/** A work's target date must fall inside the phase and not before today. */
export function targetDateProblem(date: string, phase: Phase, now: Date, tz: string): "outsidePhase" | "past" | null {
  if (date < phase.start || date > phase.end) return "outsidePhase";
  if (date < localDate(now, tz)) return "past";
  return null;
}

/**
 * Anniversaries a work can still be dedicated to: those of `anniversariesForPhase` that fall today or later and no
 * later than the phase's end (the work's target date must lie inside the phase).
 */
export function anniversariesAhead(def: CampaignDefinition, phase: Phase, now: Date, tz: string): AnniversaryOccurrence[] {
  const today = localDate(now, tz);
  return anniversariesForPhase(def, phase).filter((a) => a.date >= today && a.date <= phase.end);
}

/**
 * The movements offered in `phase` to a member of `sector`: a movement the plan ties to certain phases only in
 * those; the member's sector first, then those for everyone, then the other sector; the phase's own first in each.
 */
export function movementsFor(def: CampaignDefinition, phase: Phase, sector: "public-sector" | "enterprise" | null): MovementDefinition[] {
  const tied = new Set(def.phases.flatMap((p) => p.movements ?? []));
  const own = new Set(phase.movements ?? []);
  const rank = (m: MovementDefinition) => (sector === null ? 0 : m.sector === sector ? 0 : m.sector === "all" ? 1 : 2);
  return def.movements
    .map((m, index) => ({ m, index }))
    .filter(({ m }) => !tied.has(m.key) || own.has(m.key))
    .sort((a, b) => rank(a.m) - rank(b.m) || Number(!own.has(a.m.key)) - Number(!own.has(b.m.key)) || a.index - b.index)
    .map(({ m }) => m);
}
