// The campaign calendar: which phase a moment falls in, what comes next, anniversaries with computed ordinals,
// deadlines, and which campaign is current. Pure: `now` and the zone are parameters. All comparisons are on local
// calendar dates (YYYY-MM-DD compare correctly as strings), so a day runs from 00:00:00 to 23:59:59.999 local.
// User-facing words live in locales/; the one exception is formatAnniversaryVi, the plan's own phrasing.
import type { AnniversaryDefinition, CampaignDefinition, PhaseDefinition } from "./campaign.js";
import { DEFAULT_TIMEZONE, daysBetween, formatDateVi, localDate, sameDayInYear, yearOf, type IsoDate } from "./clock.js";

export type Phase = PhaseDefinition;

export interface DateSpan {
  start: IsoDate;
  end: IsoDate;
}

/** Where a moment falls relative to the campaign's phases. Day counts are whole local calendar days. */
export type PhaseAt =
  /** Before the first phase; `daysUntil` ≥ 1 (1 on the day before it starts). */
  | { kind: "before"; next: Phase; daysUntil: number }
  /** Inside `phase`: `dayNumber` 1 on its first day, `daysLeft` 0 on its last day; `next` is the following phase. */
  | { kind: "in"; phase: Phase; daysLeft: number; dayNumber: number; next?: Phase }
  /** In a gap between two phases; `daysUntil` to the next one's start (≥ 1). */
  | { kind: "between"; previous: Phase; next: Phase; daysUntil: number }
  /** After the last phase; `endedDaysAgo` 1 on the day after it ended. */
  | { kind: "after"; last: Phase; endedDaysAgo: number };

/** One anniversary's occurrence in the campaign. */
export interface AnniversaryOccurrence {
  key: string;
  name: string;
  name_en?: string;
  /** The historical date, e.g. "1930-02-03". */
  baseDate: IsoDate;
  /** This campaign's occurrence, e.g. "2025-02-03". */
  date: IsoDate;
  /** Years between them (occurrence year − base year): 95. Computed, never stored. */
  ordinal: number;
  /** The phase whose dates contain the occurrence, else the first phase listing the key; absent when neither. */
  phaseNumber?: number;
}

export interface UpcomingAnniversary extends AnniversaryOccurrence {
  /** 0 on the day itself. */
  daysUntil: number;
}

export type DeadlineKind = "phase-end" | "report-due";

/** "phase-end": the phase's last day (sơ kết review due after it); "report-due": the phase's `report_due`. */
export interface Deadline {
  kind: DeadlineKind;
  date: IsoDate;
  phaseNumber: number;
  phase: Phase;
  /** 0 on the day itself. */
  daysLeft: number;
}

/** Where a moment falls relative to the whole campaign (first phase start … last phase end, gaps included). */
export type CampaignStatus =
  | { status: "upcoming"; start: IsoDate; end: IsoDate; daysUntilStart: number }
  | { status: "active"; start: IsoDate; end: IsoDate; dayNumber: number; daysLeft: number }
  | { status: "ended"; start: IsoDate; end: IsoDate; endedDaysAgo: number };

export interface CampaignPick<C extends CampaignDefinition = CampaignDefinition> {
  campaign: C;
  status: CampaignStatus;
}

/** The parts of "Kỷ niệm 95 năm Ngày thành lập Đảng … (03/02/1930 – 03/02/2025)"; dates as dd/mm/yyyy. */
export interface AnniversaryLabel {
  ordinal: number;
  name: string;
  baseDate: string;
  date: string;
}

const byStart = (a: Phase, b: Phase) =>
  a.start < b.start ? -1 : a.start > b.start ? 1 : a.end < b.end ? -1 : a.end > b.end ? 1 : a.number - b.number;

/** The phases ordered by start date (then end, then number). */
export function phasesInOrder(def: CampaignDefinition): Phase[] {
  return [...def.phases].sort(byStart);
}

/** First phase start … last phase end. */
export function campaignSpan(def: CampaignDefinition): DateSpan {
  const phases = def.phases;
  if (phases.length === 0) throw new RangeError(`campaign ${def.slug} has no phases`);
  let start = phases[0]!.start;
  let end = phases[0]!.end;
  for (const p of phases) {
    if (p.start < start) start = p.start;
    if (p.end > end) end = p.end;
  }
  return { start, end };
}

function phaseOnDate(def: CampaignDefinition, today: IsoDate): PhaseAt {
  const phases = phasesInOrder(def);
  const first = phases[0];
  if (!first) throw new RangeError(`campaign ${def.slug} has no phases`);
  const next = phases.find((p) => p.start > today);
  // Overlapping phases: the most recently started one is the current one.
  const current = phases.filter((p) => p.start <= today && today <= p.end).at(-1);
  if (current) {
    return {
      kind: "in",
      phase: current,
      daysLeft: daysBetween(today, current.end),
      dayNumber: daysBetween(current.start, today) + 1,
      ...(next ? { next } : {}),
    };
  }
  if (today < first.start) return { kind: "before", next: first, daysUntil: daysBetween(today, first.start) };
  // Started, not inside any phase: the previous phase is the one that ended most recently.
  const previous = phases
    .filter((p) => p.end < today)
    .reduce((a, b) => (b.end > a.end || (b.end === a.end && byStart(b, a) > 0) ? b : a));
  if (next) return { kind: "between", previous, next, daysUntil: daysBetween(today, next.start) };
  return { kind: "after", last: previous, endedDaysAgo: daysBetween(previous.end, today) };
}

/** The phase (or the gap before, between or after phases) at the instant `now` on the campaign clock `tz`. */
export function phaseAt(def: CampaignDefinition, now: Date, tz: string = DEFAULT_TIMEZONE): PhaseAt {
  return phaseOnDate(def, localDate(now, tz));
}

/** The first phase that starts after today, if any. */
export function nextPhase(def: CampaignDefinition, now: Date, tz: string = DEFAULT_TIMEZONE): Phase | undefined {
  const today = localDate(now, tz);
  return phasesInOrder(def).find((p) => p.start > today);
}

function occurrenceDate(a: AnniversaryDefinition, def: CampaignDefinition, span: DateSpan, phases: Phase[]): IsoDate {
  const candidates: IsoDate[] = [];
  for (let y = yearOf(span.start); y <= yearOf(span.end); y++) {
    const d = sameDayInYear(a.base_date, y);
    if (span.start <= d && d <= span.end) candidates.push(d);
  }
  const inListingPhase = candidates.find((d) =>
    phases.some((p) => p.anniversaries.includes(a.key) && p.start <= d && d <= p.end),
  );
  return (
    inListingPhase ??
    candidates.find((d) => yearOf(d) === def.year) ??
    candidates[0] ??
    sameDayInYear(a.base_date, def.year)
  );
}

/**
 * Every anniversary of the campaign with its occurrence and ordinal, sorted by date (then key).
 * The occurrence is the one inside the campaign's span (so a phase running into the next year gets next year's
 * 3 February), else the one in the campaign year.
 */
export function anniversariesOf(def: CampaignDefinition): AnniversaryOccurrence[] {
  const span = campaignSpan(def);
  const phases = phasesInOrder(def);
  return def.anniversaries
    .map((a): AnniversaryOccurrence => {
      const date = occurrenceDate(a, def, span, phases);
      const containing = phases.filter((p) => p.start <= date && date <= p.end);
      const phase =
        containing.find((p) => p.anniversaries.includes(a.key)) ??
        containing[0] ??
        phases.find((p) => p.anniversaries.includes(a.key));
      return {
        key: a.key,
        name: a.name,
        ...(a.name_en !== undefined ? { name_en: a.name_en } : {}),
        baseDate: a.base_date,
        date,
        ordinal: yearOf(date) - yearOf(a.base_date),
        ...(phase ? { phaseNumber: phase.number } : {}),
      };
    })
    .sort((x, y) => (x.date < y.date ? -1 : x.date > y.date ? 1 : x.key < y.key ? -1 : x.key > y.key ? 1 : 0));
}

export interface UpcomingOptions {
  /** At most this many, nearest first. */
  limit?: number;
  /** Only those at most this many days away (0 = today only). */
  withinDays?: number;
}

function applyWindow<T>(items: T[], days: (t: T) => number, opts: UpcomingOptions): T[] {
  const within = opts.withinDays;
  const kept = within === undefined ? items : items.filter((t) => days(t) <= within);
  return opts.limit === undefined ? kept : kept.slice(0, Math.max(0, opts.limit));
}

/** Anniversaries on or after today (today counts, with `daysUntil` 0), nearest first. */
export function upcomingAnniversaries(
  def: CampaignDefinition,
  now: Date,
  tz: string = DEFAULT_TIMEZONE,
  opts: UpcomingOptions = {},
): UpcomingAnniversary[] {
  const today = localDate(now, tz);
  const upcoming = anniversariesOf(def)
    .filter((a) => a.date >= today)
    .map((a) => ({ ...a, daysUntil: daysBetween(today, a.date) }));
  return applyWindow(upcoming, (a) => a.daysUntil, opts);
}

/**
 * Phase ends and report deadlines on or after today (today counts, `daysLeft` 0), nearest first; on the same
 * day a phase end comes before a report due.
 */
export function upcomingDeadlines(
  def: CampaignDefinition,
  now: Date,
  tz: string = DEFAULT_TIMEZONE,
  opts: UpcomingOptions = {},
): Deadline[] {
  const today = localDate(now, tz);
  const all: Deadline[] = [];
  for (const phase of phasesInOrder(def)) {
    all.push({ kind: "phase-end", date: phase.end, phaseNumber: phase.number, phase, daysLeft: 0 });
    if (phase.report_due) {
      all.push({ kind: "report-due", date: phase.report_due, phaseNumber: phase.number, phase, daysLeft: 0 });
    }
  }
  const kindOrder: Record<DeadlineKind, number> = { "phase-end": 0, "report-due": 1 };
  const upcoming = all
    .filter((d) => d.date >= today)
    .map((d) => ({ ...d, daysLeft: daysBetween(today, d.date) }))
    .sort((a, b) =>
      a.date !== b.date ? (a.date < b.date ? -1 : 1) : kindOrder[a.kind] - kindOrder[b.kind] || a.phaseNumber - b.phaseNumber,
    );
  return applyWindow(upcoming, (d) => d.daysLeft, opts);
}

function statusOnDate(def: CampaignDefinition, today: IsoDate): CampaignStatus {
  const { start, end } = campaignSpan(def);
  if (today < start) return { status: "upcoming", start, end, daysUntilStart: daysBetween(today, start) };
  if (today > end) return { status: "ended", start, end, endedDaysAgo: daysBetween(end, today) };
  return { status: "active", start, end, dayNumber: daysBetween(start, today) + 1, daysLeft: daysBetween(today, end) };
}

/** "upcoming" | "active" | "ended" over the campaign's span (a gap between phases is still "active"). */
export function campaignStatus(def: CampaignDefinition, now: Date, tz: string = DEFAULT_TIMEZONE): CampaignStatus {
  return statusOnDate(def, localDate(now, tz));
}

/**
 * All campaigns, most current first: active ones (latest start first), then upcoming (soonest first), then ended
 * (most recently ended first). Ties by slug.
 */
export function rankCampaigns<C extends CampaignDefinition>(
  defs: readonly C[],
  now: Date,
  tz: string = DEFAULT_TIMEZONE,
): CampaignPick<C>[] {
  const today = localDate(now, tz);
  const group = { active: 0, upcoming: 1, ended: 2 } as const;
  const key = (s: CampaignStatus): number =>
    s.status === "active" ? -daysBetween(s.start, today) : s.status === "upcoming" ? s.daysUntilStart : s.endedDaysAgo;
  return defs
    .map((campaign) => ({ campaign, status: statusOnDate(campaign, today) }))
    .sort(
      (a, b) =>
        group[a.status.status] - group[b.status.status] ||
        key(a.status) - key(b.status) ||
        (a.campaign.slug < b.campaign.slug ? -1 : a.campaign.slug > b.campaign.slug ? 1 : 0),
    );
}

/**
 * The campaign to talk about: the active ones (all of them, latest start first); else the nearest upcoming one;
 * else the most recently ended one. Empty only when `defs` is empty.
 */
export function pickCurrentCampaign<C extends CampaignDefinition>(
  defs: readonly C[],
  now: Date,
  tz: string = DEFAULT_TIMEZONE,
): CampaignPick<C>[] {
  const ranked = rankCampaigns(defs, now, tz);
  const active = ranked.filter((p) => p.status.status === "active");
  return active.length > 0 ? active : ranked.slice(0, 1);
}

/** Label pieces; `lang` "en" uses `name_en` when the definition has one. */
export function anniversaryLabel(a: AnniversaryOccurrence, lang: "vi" | "en" = "vi"): AnniversaryLabel {
  return {
    ordinal: a.ordinal,
    name: lang === "en" && a.name_en ? a.name_en : a.name,
    baseDate: formatDateVi(a.baseDate),
    date: formatDateVi(a.date),
  };
}

/** "Kỷ niệm 95 năm Ngày thành lập Đảng Cộng sản Việt Nam (03/02/1930 – 03/02/2025)" (en dash with spaces). */
export function formatAnniversaryVi(a: AnniversaryOccurrence): string {
  const l = anniversaryLabel(a, "vi");
  return `Kỷ niệm ${l.ordinal} năm ${l.name} (${l.baseDate} – ${l.date})`;
}
