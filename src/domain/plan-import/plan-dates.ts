// Dates as Vietnamese plans and news articles write them, and how a phase's two dates become calendar dates.
//
// Shapes: 01/01/2025, 30/6/2025, 30-1-2026, 28.7.2024 (day first), 30-11 / 30/6 (no year), "tháng 01/2021" or
// "tháng 6 năm 2021" (a month), "tháng 6" (a month, no year), "ngày 1" (a day; month and year from the other
// end of the range), "ngày 30 tháng 6 năm 2025", and "nay" / "hiện nay" (the document's own date).
// Pure: the document's date is a parameter; nothing here reads the clock.
import { isIsoDate } from "../campaign.js";
import type { SourceSpan } from "./source-span.js";

export type DateShape =
  | { kind: "day-month-year"; day: number; month: number; year: number }
  | { kind: "day-month"; day: number; month: number }
  | { kind: "month-year"; month: number; year: number }
  | { kind: "month"; month: number }
  | { kind: "day"; day: number }
  | { kind: "now" };

/** Why a written date is not a date. */
export type DateRefusal =
  | { reason: "month-out-of-range"; month: number }
  | { reason: "day-out-of-range"; day: number }
  /** 31/02, 31/4, 29/2 outside a leap year. */
  | { reason: "no-such-day"; day: number; month: number; year?: number }
  | { reason: "year-out-of-range"; year: number }
  | { reason: "not-a-date" };

export type ParsedDate = { ok: true; shape: DateShape } | { ok: false; refusal: DateRefusal };

/** A date written in the text: where, and what it says. */
export interface DateMention {
  span: SourceSpan;
  parsed: ParsedDate;
}

const MIN_YEAR = 1800;
const MAX_YEAR = 2200;

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

const pad = (n: number, width = 2) => String(n).padStart(width, "0");
export const isoOf = (year: number, month: number, day: number) => `${pad(year, 4)}-${pad(month)}-${pad(day)}`;

function checkParts(day: number | undefined, month: number | undefined, year: number | undefined): DateRefusal | null {
  if (year !== undefined && (year < MIN_YEAR || year > MAX_YEAR)) return { reason: "year-out-of-range", year };
  if (month !== undefined && (month < 1 || month > 12)) return { reason: "month-out-of-range", month };
  if (day !== undefined && (day < 1 || day > 31)) return { reason: "day-out-of-range", day };
  if (day !== undefined && month !== undefined) {
    // Without a year, 29/2 may still be real (a leap year); the year is checked when it is known.
    const max = year === undefined ? daysInMonth(2000, month) : daysInMonth(year, month);
    if (day > max) return year === undefined ? { reason: "no-such-day", day, month } : { reason: "no-such-day", day, month, year };
  }
  return null;
}

function shaped(shape: DateShape): ParsedDate {
  const refusal =
    shape.kind === "now"
      ? null
      : checkParts(
          "day" in shape ? shape.day : undefined,
          "month" in shape ? shape.month : undefined,
          "year" in shape ? shape.year : undefined,
        );
  return refusal ? { ok: false, refusal } : { ok: true, shape };
}

// One pattern per shape, tried in this order at each position (longest forms first). Digits are ASCII; a number
// glued to other digits or separators ("2021-2025", "1.2.3") is not a date.
const D = String.raw`(\d{1,2})`;
const Y = String.raw`(\d{4})`;
const NOT_AFTER = String.raw`(?<![\d/.\-])`;
const NOT_BEFORE = String.raw`(?![\d]|[/.\-]\d)`;
const SHAPES: { pattern: string; build(m: string[]): DateShape }[] = [
  {
    // ngày 30 tháng 6 năm 2025 / ngày 30 tháng 6
    pattern: String.raw`ngày\s+${D}\s+tháng\s+${D}(?:\s+năm\s+${Y})?${NOT_BEFORE}`,
    build: (m) =>
      m[3] ? { kind: "day-month-year", day: +m[1]!, month: +m[2]!, year: +m[3] } : { kind: "day-month", day: +m[1]!, month: +m[2]! },
  },
  {
    // tháng 01/2021, tháng 6-2021, tháng 6 năm 2021
    pattern: String.raw`tháng\s+${D}(?:\s*[/.\-]\s*|\s+năm\s+)${Y}${NOT_BEFORE}`,
    build: (m) => ({ kind: "month-year", month: +m[1]!, year: +m[2]! }),
  },
  {
    // 30/6/2025, 30-1-2026, 28.7.2024, then 30-11, 30/6, 28.7
    pattern: String.raw`${NOT_AFTER}${D}[/.\-]${D}(?:[/.\-]${Y})?${NOT_BEFORE}`,
    build: (m) =>
      m[3]
        ? { kind: "day-month-year", day: +m[1]!, month: +m[2]!, year: +m[3] }
        : { kind: "day-month", day: +m[1]!, month: +m[2]! },
  },
  { pattern: String.raw`tháng\s+${D}${NOT_BEFORE}`, build: (m) => ({ kind: "month", month: +m[1]! }) },
  { pattern: String.raw`ngày\s+${D}${NOT_BEFORE}`, build: (m) => ({ kind: "day", day: +m[1]! }) },
  { pattern: String.raw`(?<![\p{L}])(?:từ\s+nay|hiện\s+nay|nay|bây\s+giờ)(?![\p{L}])`, build: () => ({ kind: "now" }) },
];

// Each shape is wrapped in a group of the combined pattern: where each one's groups start.
const groupCount = (pattern: string) => new RegExp(`${pattern}|`, "u").exec("")!.length - 1;
const GROUPS_BEFORE: number[] = [];
SHAPES.reduce((total, s) => (GROUPS_BEFORE.push(total), total + 1 + groupCount(s.pattern)), 0);
const ANY_DATE = new RegExp(SHAPES.map((s) => `(${s.pattern})`).join("|"), "giu");

/** Every date written in `text` (from `offset` on), in order, with the refused ones and why. */
export function findDateMentions(text: string, offset = 0): DateMention[] {
  const found: DateMention[] = [];
  for (const m of text.matchAll(ANY_DATE)) {
    const index = SHAPES.findIndex((_, i) => m[GROUPS_BEFORE[i]! + 1] !== undefined);
    const groups = m.slice(GROUPS_BEFORE[index]! + 1) as string[];
    found.push({ span: { start: offset + m.index, end: offset + m.index + m[0].length }, parsed: shaped(SHAPES[index]!.build(groups)) });
  }
  return found;
}

/** One written date on its own ("30/6/2025", "tháng 01/2021", "hiện nay"), or why it is not a date. */
export function parseDateText(written: string): ParsedDate {
  const text = written.normalize("NFC").trim();
  const mentions = findDateMentions(text);
  const only = mentions.length === 1 ? mentions[0]! : undefined;
  if (!only || only.span.start !== 0 || only.span.end !== text.length) return { ok: false, refusal: { reason: "not-a-date" } };
  return only.parsed;
}

// ---------------------------------------------------------------------------------------------------------------
// A phase's start and end as calendar dates.

/** How a date was completed when the text did not give all of it. */
export type DateInference =
  | { kind: "year-from-previous-date" }
  | { kind: "year-from-next-date" }
  | { kind: "year-from-plan" }
  | { kind: "first-day-of-month" }
  | { kind: "last-day-of-month" }
  | { kind: "month-and-year-from-end" }
  | { kind: "document-date" };

export type ResolvedDate =
  | { ok: true; date: string; inferred: DateInference[] }
  | { ok: false; refusal: DateRefusal | { reason: "needs-document-date" } | { reason: "day-without-end" } };

export interface DateContext {
  /** The plan's year, for dates written without one when no other date tells. */
  planYear: number;
  /** The document's date (--date), for "từ nay" / "hiện nay". */
  documentDate?: string;
}

export interface WrittenRange {
  start: ParsedDate;
  end: ParsedDate;
}

const yearOf = (iso: string) => Number(iso.slice(0, 4));
const hasYear = (p: ParsedDate) => p.ok && (p.shape.kind === "day-month-year" || p.shape.kind === "month-year");

/**
 * The phases' dates in order (start₁, end₁, start₂, …). A date without a year takes the year of the date before it
 * (a year later when it would otherwise go backwards, so phases may cross the year), or, for the first dates, the
 * year of the next date that has one (a year earlier when it would otherwise come after it), else the plan's year.
 * "ngày 1" takes its month and year from the end of its range.
 */
export function resolveRanges(ranges: readonly WrittenRange[], context: DateContext): { start: ResolvedDate; end: ResolvedDate }[] {
  const written = ranges.flatMap((r) => [
    { parsed: r.start, role: "start" as const },
    { parsed: r.end, role: "end" as const },
  ]);
  const resolved: ResolvedDate[] = new Array(written.length);
  let previous: string | undefined;

  const nextWithYear = (i: number): string | undefined => {
    for (let j = i + 1; j < written.length; j++) {
      const w = written[j]!;
      if (hasYear(w.parsed)) {
        const r = resolveOne(w.parsed, w.role, undefined, () => undefined, context);
        if (r.ok) return r.date;
      }
    }
    return undefined;
  };

  for (let i = 0; i < written.length; i++) {
    const w = written[i]!;
    if (resolved[i]) {
      // An end resolved with its "ngày 1" start.
    } else if (w.parsed.ok && w.parsed.shape.kind === "day" && w.role === "start") {
      // Its end comes next: resolve that first, then take its month and year.
      const end = written[i + 1]!;
      const endResolved = resolveOne(end.parsed, "end", previous, () => nextWithYear(i + 1), context);
      resolved[i + 1] = endResolved;
      resolved[i] = endResolved.ok ? dayFromEnd(w.parsed.shape.day, endResolved.date) : { ok: false, refusal: { reason: "day-without-end" } };
    } else {
      resolved[i] = resolveOne(w.parsed, w.role, previous, () => nextWithYear(i), context);
    }
    const r = resolved[i]!;
    if (r.ok) previous = r.date;
  }
  return ranges.map((_, k) => ({ start: resolved[2 * k]!, end: resolved[2 * k + 1]! }));
}

function dayFromEnd(day: number, end: string): ResolvedDate {
  let year = yearOf(end);
  let month = Number(end.slice(5, 7));
  let date = isoOf(year, month, day);
  if (!isIsoDate(date) || date > end) {
    // "từ ngày 25 đến 5-1": the start is in the month before.
    month -= 1;
    if (month === 0) [month, year] = [12, year - 1];
    date = isoOf(year, month, day);
  }
  if (!isIsoDate(date)) return { ok: false, refusal: { reason: "no-such-day", day, month, year } };
  return { ok: true, date, inferred: [{ kind: "month-and-year-from-end" }] };
}

function resolveOne(
  parsed: ParsedDate,
  role: "start" | "end",
  previous: string | undefined,
  next: () => string | undefined,
  context: DateContext,
): ResolvedDate {
  if (!parsed.ok) return { ok: false, refusal: parsed.refusal };
  const shape = parsed.shape;
  const monthDay = (year: number, month: number): { day: number; inferred: DateInference } =>
    role === "start"
      ? { day: 1, inferred: { kind: "first-day-of-month" } }
      : { day: daysInMonth(year, month), inferred: { kind: "last-day-of-month" } };
  const checked = (year: number, month: number, day: number, inferred: DateInference[]): ResolvedDate => {
    const refusal = checkParts(day, month, year);
    return refusal ? { ok: false, refusal } : { ok: true, date: isoOf(year, month, day), inferred };
  };

  switch (shape.kind) {
    case "day-month-year":
      return checked(shape.year, shape.month, shape.day, []);
    case "month-year": {
      const { day, inferred } = monthDay(shape.year, shape.month);
      return checked(shape.year, shape.month, day, [inferred]);
    }
    case "now":
      return context.documentDate
        ? { ok: true, date: context.documentDate, inferred: [{ kind: "document-date" }] }
        : { ok: false, refusal: { reason: "needs-document-date" } };
    case "day":
      return { ok: false, refusal: { reason: "day-without-end" } };
    case "day-month":
    case "month": {
      const build = (year: number) => {
        if (shape.kind === "day-month") return { date: isoOf(year, shape.month, shape.day), extra: [] as DateInference[] };
        const { day, inferred } = monthDay(year, shape.month);
        return { date: isoOf(year, shape.month, day), extra: [inferred] };
      };
      let year: number;
      let how: DateInference;
      const after = previous === undefined ? next() : undefined;
      if (previous !== undefined) {
        year = yearOf(previous);
        if (build(year).date < previous) year += 1;
        how = { kind: "year-from-previous-date" };
      } else if (after !== undefined) {
        year = yearOf(after);
        if (build(year).date > after) year -= 1;
        how = { kind: "year-from-next-date" };
      } else {
        year = context.planYear;
        how = { kind: "year-from-plan" };
      }
      const { date, extra } = build(year);
      const day = Number(date.slice(8, 10));
      return checked(year, Number(date.slice(5, 7)), day, [how, ...extra]);
    }
  }
}
