// The campaign plan as data: the shape of prisma/campaigns/*.yaml, validated with zod.
// Dates are local calendar dates (YYYY-MM-DD) in the campaign clock (BOT_TIMEZONE); anniversary ordinals
// ("95 năm") are never stored: they are computed from the campaign year and the base date.
//
// Two layers:
// - CampaignFieldsSchema: the shape of each field (types, formats, enums; unknown fields are rejected).
// - campaignProblems(): rules across fields (phase order and numbering, overlaps, key references, duplicates,
//   base dates before the campaign year, …). It reads the raw data defensively, so a file with a broken field
//   still gets its other problems reported.
// CampaignSchema is both together. For files, use parseCampaign() in campaign-parse.ts: it adds YAML parsing,
// NFC normalisation and one readable message per problem.
import { z } from "zod";

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True when `value` is a real calendar date written YYYY-MM-DD (rejects 2025-02-30). */
export function isIsoDate(value: string): boolean {
  const m = ISO_DATE.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const probe = new Date(Date.UTC(y, mo - 1, d));
  return probe.getUTCFullYear() === y && probe.getUTCMonth() === mo - 1 && probe.getUTCDate() === d;
}

/** A value as it appears in an error message: strings in double quotes, other scalars as written. */
export function showValue(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (value === null || value === undefined) return "nothing";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  return String(value);
}

/** `["phases", 1, "end"]` → `phases[1].end`. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += (out === "" ? "" : ".") + String(part);
  }
  return out;
}

const INVALID_DATE = "is not a valid date (YYYY-MM-DD)";

export const isoDate = z
  .string({ error: (iss) => (iss.input == null ? undefined : `${showValue(iss.input)} ${INVALID_DATE}`) })
  .refine(isIsoDate, { error: (iss) => `${showValue(iss.input)} ${INVALID_DATE}` });

const text = z.string().trim().min(1, { message: "must not be empty" });
const key = z
  .string()
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, {
    error: (iss) => `${showValue(iss.input)} must be lower-case letters, digits and dashes`,
  });

export const SECTORS = ["all", "public-sector", "enterprise"] as const;
export const MOVEMENT_KINDS = ["movement", "campaign-drive", "contest", "study-topic"] as const;

export const PhaseSchema = z.strictObject({
  number: z.number().int().positive(),
  /** "Đợt 1" */
  name: text,
  name_en: text.optional(),
  start: isoDate,
  end: isoDate,
  /** Chủ đề / focus of the phase in the plan's own words. */
  theme: text,
  theme_en: text.optional(),
  /** What the phase concentrates on (the rest of the plan's paragraph). */
  focus: text,
  /** Keys of the anniversaries this phase celebrates. */
  anniversaries: z.array(key).default([]),
  /** Keys of movements the plan ties to this phase (e.g. "Tháng Công nhân" in Lai Châu's Đợt 1). */
  movements: z.array(key).optional(),
  /** A result-report deadline when the plan gives one. */
  report_due: isoDate.optional(),
  /**
   * When units must have sent their registration list up (set by the federation, not in the plans); absent: 30 days
   * after the phase's start (see src/domain/cycle.ts).
   */
  list_due: isoDate.optional(),
});

export const AnniversarySchema = z.strictObject({
  key,
  /** "Ngày thành lập Đảng Cộng sản Việt Nam" — without "Kỷ niệm N năm", which is computed. */
  name: text,
  name_en: text.optional(),
  base_date: isoDate,
});

export const MovementSchema = z.strictObject({
  key,
  name: text,
  /** phong trào thi đua, cuộc vận động, hội thi, chuyên đề */
  kind: z.enum(MOVEMENT_KINDS).default("movement"),
  /** "public-sector": the plan's "khu vực hành chính, sự nghiệp"; "enterprise": "khối doanh nghiệp". */
  sector: z.enum(SECTORS).default("all"),
  description: text.optional(),
});

export const TitleSchema = z.strictObject({
  key,
  name: text,
  name_en: text.optional(),
  /** Titles for a person, or for a collective (a unit pledging as a whole). */
  scope: z.enum(["individual", "collective"]),
});

/** Field shapes only; CampaignSchema adds the cross-field rules. */
export const CampaignFieldsSchema = z.strictObject({
  slug: key,
  /** Prefix of pledge receipt codes, e.g. LC25 → LC25-000123; its digits are the year's last two. */
  code_prefix: z.string().regex(/^[A-Z]{2,5}\d{2}$/, {
    error: (iss) => `${showValue(iss.input)} must be 2–5 capital letters and 2 digits, e.g. LC25`,
  }),
  year: z.number().int().min(2000).max(2100),
  owner: z.strictObject({
    /** "Liên đoàn Lao động tỉnh Lai Châu" */
    name: text,
    /** "LĐLĐ tỉnh Lai Châu" */
    short_name: text,
    /** The owner's unit code when units are imported (root of its tree). */
    unit_code: text.optional(),
  }),
  title: text,
  title_en: text.optional(),
  theme: text,
  theme_en: text.optional(),
  /** When the campaign is announced; the first phase's start when absent. */
  launch_date: isoDate.optional(),
  /** Local time of day for anniversary greetings. */
  greeting_time: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: (iss) => `${showValue(iss.input)} must be HH:MM` })
    .default("08:00"),
  source: text.optional(),
  phases: z.array(PhaseSchema).min(1, { message: "must list at least one phase" }),
  anniversaries: z.array(AnniversarySchema).default([]),
  movements: z.array(MovementSchema).default([]),
  titles: z.array(TitleSchema).min(1, { message: "must list at least one title" }),
  /** Công trình, sản phẩm, phần việc chào mừng: what the plan asks for, in its words. */
  works: z.strictObject({ description: text, plaque: z.boolean().default(false) }),
  /** Sáng kiến: what the plan asks for, in its words. */
  initiatives: z.strictObject({ description: text }),
  /** Sơ kết / báo cáo kết quả after each phase. */
  reporting: z.strictObject({
    after_each_phase: z.boolean(),
    to: text,
    description: text,
  }),
});

export interface CampaignProblem {
  path: (string | number)[];
  /** The problem, without the path: `2021-06-01 is before phases[1].start 2021-07-01`. */
  message: string;
  /** The same problem for other languages: locales `campaign.problem.<code>` with these values (dates YYYY-MM-DD). */
  code: string;
  params: Record<string, string | number>;
}

type Raw = Record<string, unknown>;

function isRecord(value: unknown): value is Raw {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function dateField(obj: Raw, field: string): string | undefined {
  const v = obj[field];
  return typeof v === "string" && isIsoDate(v) ? v : undefined;
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/**
 * Rules across fields, checked on raw (possibly invalid) data: whatever is malformed is skipped here, because the
 * field schema reports it. Returns every problem found, in file order.
 */
export function campaignProblems(raw: unknown): CampaignProblem[] {
  const problems: CampaignProblem[] = [];
  if (!isRecord(raw)) return problems;
  const add = (path: (string | number)[], message: string, code: string, params: Record<string, string | number>) => problems.push({ path, message, code, params });
  const year = typeof raw.year === "number" && Number.isInteger(raw.year) ? raw.year : undefined;

  // code_prefix digits = the campaign year's last two digits (LC25 for 2025).
  if (typeof raw.code_prefix === "string" && year !== undefined) {
    const m = /(\d{2})$/.exec(raw.code_prefix);
    const yy = String(year % 100).padStart(2, "0");
    if (m && m[1] !== yy) {
      add(["code_prefix"], `${showValue(raw.code_prefix)} must end with ${yy}, the last two digits of year ${year}`, "code-prefix-year", { value: raw.code_prefix, yy, year });
    }
  }

  // Duplicate keys in the keyed lists; the key sets are used for references below.
  const keysOf = (field: "anniversaries" | "movements" | "titles"): Set<string> => {
    const seen = new Set<string>();
    list(raw[field]).forEach((item, i) => {
      if (!isRecord(item) || typeof item.key !== "string") return;
      if (seen.has(item.key)) add([field, i, "key"], `${showValue(item.key)} is a duplicate`, "duplicate", { value: item.key });
      seen.add(item.key);
    });
    return seen;
  };
  const anniversaryKeys = keysOf("anniversaries");
  const movementKeys = keysOf("movements");
  keysOf("titles");

  // Base dates lie before the campaign year (the ordinal, year − base year, is at least 1).
  if (year !== undefined) {
    list(raw.anniversaries).forEach((item, i) => {
      if (!isRecord(item)) return;
      const base = dateField(item, "base_date");
      if (base && Number(base.slice(0, 4)) >= year) {
        add(["anniversaries", i, "base_date"], `${base} must be before the campaign year ${year}`, "base-date-not-before-year", { date: base, year });
      }
    });
  }

  // Phases: numbered 1..n in order, each start ≤ end, in date order without overlaps, near the campaign year.
  const phases = list(raw.phases);
  const spans: ({ start: string; end: string } | undefined)[] = [];
  const celebratedBy = new Map<string, number>();
  phases.forEach((phase, i) => {
    if (!isRecord(phase)) {
      spans.push(undefined);
      return;
    }
    if (typeof phase.number === "number" && phase.number !== i + 1) {
      add(["phases", i, "number"], `is ${phase.number}, expected ${i + 1}`, "phase-number", { number: phase.number, expected: i + 1 });
    }
    const start = dateField(phase, "start");
    const end = dateField(phase, "end");
    if (year !== undefined) {
      for (const [field, date] of [["start", start], ["end", end]] as const) {
        if (date && Math.abs(Number(date.slice(0, 4)) - year) > 1) {
          add(["phases", i, field], `${date} is more than a year away from the campaign year ${year}`, "phase-date-far", { date, year });
        }
      }
    }
    let span: { start: string; end: string } | undefined;
    if (start && end) {
      if (end < start) add(["phases", i, "end"], `${end} is before phases[${i}].start ${start}`, "end-before-start", { end, start });
      else span = { start, end };
    }
    if (span) {
      spans.forEach((other, j) => {
        if (!other) return;
        if (span.start < other.start) {
          add(
            ["phases", i, "start"],
            `${span.start} is before phases[${j}].start ${other.start}: list phases in date order`,
            "phase-order",
            { start: span.start, phase: j + 1, otherStart: other.start },
          );
        } else if (span.start <= other.end) {
          add(["phases", i, "start"], `${span.start} overlaps phases[${j}] (${other.start} – ${other.end})`, "phase-overlap", { start: span.start, phase: j + 1, otherStart: other.start, otherEnd: other.end });
        }
      });
    }
    spans.push(span);

    const reportDue = dateField(phase, "report_due");
    if (reportDue && end && reportDue < end) {
      add(["phases", i, "report_due"], `${reportDue} is before phases[${i}].end ${end}`, "report-due-before-end", { date: reportDue, end });
    }

    // References to anniversaries (each celebrated by one phase) and to movements.
    const seenHere = new Set<string>();
    list(phase.anniversaries).forEach((ref, k) => {
      if (typeof ref !== "string") return;
      const path = ["phases", i, "anniversaries", k];
      if (seenHere.has(ref)) add(path, `${showValue(ref)} is a duplicate`, "duplicate", { value: ref });
      else if (!anniversaryKeys.has(ref)) add(path, `${showValue(ref)} is not a key in anniversaries`, "unknown-anniversary", { value: ref });
      else if (celebratedBy.has(ref)) {
        add(path, `${showValue(ref)} is already celebrated by phases[${celebratedBy.get(ref)}]`, "already-celebrated", { value: ref, phase: celebratedBy.get(ref)! + 1 });
      } else celebratedBy.set(ref, i);
      seenHere.add(ref);
    });
    const movementsHere = new Set<string>();
    list(phase.movements).forEach((ref, k) => {
      if (typeof ref !== "string") return;
      const path = ["phases", i, "movements", k];
      if (movementsHere.has(ref)) add(path, `${showValue(ref)} is a duplicate`, "duplicate", { value: ref });
      else if (!movementKeys.has(ref)) add(path, `${showValue(ref)} is not a key in movements`, "unknown-movement", { value: ref });
      movementsHere.add(ref);
    });
  });

  // The launch comes no later than the last phase's end.
  const launch = dateField(raw, "launch_date");
  if (launch) {
    let last: { index: number; end: string } | undefined;
    phases.forEach((phase, i) => {
      const end = isRecord(phase) ? dateField(phase, "end") : undefined;
      if (end && (!last || end > last.end)) last = { index: i, end };
    });
    if (last && launch > last.end) {
      add(["launch_date"], `${launch} is after the last phase ends (phases[${last.index}].end ${last.end})`, "launch-after-end", { date: launch, end: last.end });
    }
  }

  return problems;
}

export const CampaignSchema = CampaignFieldsSchema.superRefine((campaign, ctx) => {
  for (const problem of campaignProblems(campaign)) {
    ctx.addIssue({ code: "custom", path: problem.path, message: problem.message });
  }
});

export type CampaignDefinition = z.infer<typeof CampaignSchema>;
export type PhaseDefinition = z.infer<typeof PhaseSchema>;
export type AnniversaryDefinition = z.infer<typeof AnniversarySchema>;
export type MovementDefinition = z.infer<typeof MovementSchema>;
export type TitleDefinition = z.infer<typeof TitleSchema>;
