// The campaign plan as data: the shape of prisma/campaigns/*.yaml, validated with zod.
// Dates are local calendar dates (YYYY-MM-DD) in the campaign clock (BOT_TIMEZONE); anniversary ordinals
// ("95 năm") are never stored: they are computed from the campaign year and the base date.
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

export const isoDate = z.string().refine(isIsoDate, { message: "is not a valid date (YYYY-MM-DD)" });

const text = z.string().trim().min(1, { message: "must not be empty" });
const key = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, { message: "must be lower-case letters, digits and dashes" });

export const SECTORS = ["all", "public-sector", "enterprise"] as const;

export const PhaseSchema = z.object({
  number: z.number().int().positive(),
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
  /** A result-report deadline when the plan gives one. */
  report_due: isoDate.optional(),
});

export const AnniversarySchema = z.object({
  key,
  /** "Ngày thành lập Đảng Cộng sản Việt Nam" — without "Kỷ niệm N năm", which is computed. */
  name: text,
  name_en: text.optional(),
  base_date: isoDate,
});

export const MovementSchema = z.object({
  key,
  name: text,
  /** phong trào thi đua, cuộc vận động, hội thi, chuyên đề */
  kind: z.enum(["movement", "campaign-drive", "contest", "study-topic"]).default("movement"),
  sector: z.enum(SECTORS).default("all"),
  description: text.optional(),
});

export const TitleSchema = z.object({
  key,
  name: text,
  name_en: text.optional(),
  /** Titles for a person, or for a collective (a unit pledging as a whole). */
  scope: z.enum(["individual", "collective"]),
});

export const CampaignSchema = z.object({
  slug: key,
  /** Prefix of pledge receipt codes, e.g. LC25 → LC25-000123. */
  code_prefix: z.string().regex(/^[A-Z]{2,5}\d{2}$/, { message: "must be 2–5 capital letters and 2 digits, e.g. LC25" }),
  year: z.number().int().min(2000).max(2100),
  owner: z.object({
    name: text,
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
  greeting_time: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { message: "must be HH:MM" }).default("08:00"),
  source: text.optional(),
  phases: z.array(PhaseSchema).min(1, { message: "must list at least one phase" }),
  anniversaries: z.array(AnniversarySchema).default([]),
  movements: z.array(MovementSchema).default([]),
  titles: z.array(TitleSchema).min(1, { message: "must list at least one title" }),
  /** Công trình, sản phẩm, phần việc chào mừng: what the plan asks for, in its words. */
  works: z.object({ description: text, plaque: z.boolean().default(false) }),
  /** Sáng kiến: what the plan asks for, in its words. */
  initiatives: z.object({ description: text }),
  /** Sơ kết / báo cáo kết quả after each phase. */
  reporting: z.object({
    after_each_phase: z.boolean(),
    to: text,
    description: text,
  }),
});

export type CampaignDefinition = z.infer<typeof CampaignSchema>;
export type PhaseDefinition = z.infer<typeof PhaseSchema>;
export type AnniversaryDefinition = z.infer<typeof AnniversarySchema>;
