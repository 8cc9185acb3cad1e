// Field-by-field comparison of an imported plan with the expected values (a shipped campaign YAML, or a news
// excerpt's .expected.json): year, theme, every phase's start, end and theme, every anniversary's base date.
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseCampaign } from "../../../src/domain/campaign-parse.js";

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
export const PLAN_FIXTURES = path.join(REPO_ROOT, "test", "fixtures", "plans");

export interface ExpectedPlan {
  /** The document's date, for "từ nay". */
  date?: string;
  year: number;
  theme: string;
  phases: { start: string; end: string; theme: string }[];
  anniversaries: { key: string; base_date: string }[];
}

interface Imported {
  year?: unknown;
  theme?: unknown;
  phases?: { start?: unknown; end?: unknown; theme?: unknown }[];
  anniversaries?: { key?: unknown; base_date?: unknown }[];
}

export interface FieldResult {
  field: string;
  expected: unknown;
  actual: unknown;
  ok: boolean;
}

export function expectedFromCampaignYaml(file: string): ExpectedPlan {
  const parsed = parseCampaign(file, readFileSync(file, "utf8"));
  if (!parsed.ok) throw new Error(parsed.errors.join("\n"));
  const c = parsed.campaign;
  return {
    year: c.year,
    theme: c.theme,
    phases: c.phases.map((p) => ({ start: p.start, end: p.end, theme: p.theme })),
    anniversaries: c.anniversaries.map((a) => ({ key: a.key, base_date: a.base_date })),
  };
}

export function expectedFromJson(file: string): ExpectedPlan {
  return JSON.parse(readFileSync(file, "utf8")) as ExpectedPlan;
}

export function compareFields(expected: ExpectedPlan, imported: Imported): FieldResult[] {
  const results: FieldResult[] = [];
  const field = (name: string, want: unknown, got: unknown) => results.push({ field: name, expected: want, actual: got, ok: want === got });
  field("year", expected.year, imported.year);
  field("theme", expected.theme, imported.theme);
  expected.phases.forEach((p, i) => {
    const got = imported.phases?.[i];
    field(`phases[${i}].start`, p.start, got?.start);
    field(`phases[${i}].end`, p.end, got?.end);
    field(`phases[${i}].theme`, p.theme, got?.theme);
  });
  // Extra phases count against the score as wrong fields too.
  for (let i = expected.phases.length; i < (imported.phases?.length ?? 0); i++) field(`phases[${i}] (extra)`, undefined, imported.phases![i]!.start);
  for (const a of expected.anniversaries) {
    const got = imported.anniversaries?.find((x) => x.key === a.key);
    field(`anniversaries.${a.key}.base_date`, a.base_date, got?.base_date);
  }
  return results;
}

export function score(results: FieldResult[]): { correct: number; total: number; percent: number } {
  const correct = results.filter((r) => r.ok).length;
  return { correct, total: results.length, percent: Math.round((1000 * correct) / results.length) / 10 };
}
