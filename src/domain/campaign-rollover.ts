// Last year's plan for a new year (federations reuse their plan every January): every date moves by whole years,
// anniversary ordinals follow by themselves (they are computed from `year`), and the slug and code prefix get the
// new year. Pure: the caller reads and writes files.
//
// What cannot be moved as it stands is reported, never silently changed: a date that does not exist in the new year
// (29/02 → 28/02), a phase crossing the year boundary (moved whole, but the federation should check it), and texts
// that name the old year or an anniversary ordinal ("95 năm"), which are the plan's own words and stay as written.
import { CampaignSchema, formatPath, type CampaignDefinition } from "./campaign.js";
import { sameDayInYear, yearOf } from "./clock.js";

export interface RolloverResult {
  campaign: CampaignDefinition;
  /** One line each, `path: what happened`, for the person who rolls the plan over: moved, but to be checked. */
  notes: string[];
  /** What makes the new plan invalid (e.g. an anniversary's base date not before the new year); empty when valid. */
  errors: string[];
}

const DATE_FIELDS = ["start", "end", "report_due", "list_due"] as const;

function moveDate(date: string, years: number, path: string, notes: string[]): string {
  const target = yearOf(date) + years;
  const moved = sameDayInYear(date, target);
  if (moved.slice(5) !== date.slice(5)) notes.push(`${path}: ${date} does not exist in ${target}; moved to ${moved}`);
  return moved;
}

/** `lai-chau-2025` → `lai-chau-2026`; a slug without its year gets the new year appended. */
export function rolloverSlug(slug: string, from: number, to: number): string {
  const re = new RegExp(`(^|-)${from}($|-)`);
  return re.test(slug) ? slug.replace(re, `$1${to}$2`) : `${slug}-${to}`;
}

export function rolloverCampaign(def: CampaignDefinition, year: number): RolloverResult {
  if (!Number.isInteger(year) || year < 2000 || year > 2100) throw new RangeError(`not a campaign year: ${year}`);
  const years = year - def.year;
  const notes: string[] = [];
  const oldYear = String(def.year);

  const phases = def.phases.map((phase, i) => {
    const moved = { ...phase };
    for (const field of DATE_FIELDS) {
      const value = phase[field];
      if (value !== undefined) moved[field] = moveDate(value, years, formatPath(["phases", i, field]), notes);
    }
    if (yearOf(phase.start) !== yearOf(phase.end)) {
      notes.push(`${formatPath(["phases", i])}: crosses the year boundary (${phase.start} – ${phase.end}); moved whole to ${moved.start} – ${moved.end}, check it`);
    }
    return moved;
  });

  // The title usually says "năm 2025": that year follows; other texts are the plan's words and are only flagged.
  const title = def.title.replaceAll(oldYear, String(year));
  const title_en = def.title_en?.replaceAll(oldYear, String(year));
  const flag = (path: (string | number)[], text: string | undefined) => {
    if (!text) return;
    if (text.includes(oldYear)) notes.push(`${formatPath(path)}: mentions ${oldYear}; check the text`);
    else if (/\b\d+ năm\b/.test(text)) notes.push(`${formatPath(path)}: names an anniversary ordinal ("N năm") written in the text; check it`);
  };
  flag(["theme"], def.theme);
  def.phases.forEach((p, i) => {
    flag(["phases", i, "theme"], p.theme);
    flag(["phases", i, "focus"], p.focus);
  });

  const rolled: CampaignDefinition = {
    ...def,
    slug: rolloverSlug(def.slug, def.year, year),
    code_prefix: `${def.code_prefix.slice(0, -2)}${String(year % 100).padStart(2, "0")}`,
    year,
    title,
    ...(title_en !== undefined ? { title_en } : {}),
    ...(def.launch_date ? { launch_date: moveDate(def.launch_date, years, "launch_date", notes) } : {}),
    phases,
  };
  // Anniversaries whose base date is not before the new year cannot be celebrated; the schema names them.
  const checked = CampaignSchema.safeParse(rolled);
  const errors = checked.success ? [] : checked.error.issues.map((issue) => `${formatPath(issue.path as (string | number)[])}: ${issue.message}`);
  return { campaign: rolled, notes, errors };
}
