// The pieces behind the console's plan import: marks in the plan's text (nested and overlapping spans), the form
// laid over the extracted draft (removals keep references and problem paths right), and validation problems that
// every language can word.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { catalogKeys } from "../../src/app/i18n.js";
import { checkCampaign } from "../../src/domain/campaign-parse.js";
import { extractPlan } from "../../src/domain/plan-import/extract-plan.js";
import { applyForm, draftFields, formPath, isoFromForm } from "../../src/console/plan-draft-form.js";
import { markedSource } from "../../src/console/source-marks.js";

const LAI_CHAU = readFileSync(new URL("../fixtures/plans/lai-chau-2025.txt", import.meta.url), "utf8");

describe("markedSource", () => {
  it("marks nested and overlapping spans piece by piece, escapes the text, and gives each field one target", () => {
    const source = "Kế hoạch <năm> 2025 của LĐLĐ";
    const out = String(
      markedSource(source, [
        { id: "f-title", span: { start: 0, end: 19 }, flagged: false },
        { id: "f-year", span: { start: 15, end: 19 }, flagged: true },
        { id: "f-owner", span: { start: 16, end: 28 }, flagged: false },
        { id: "f-short", span: { start: 16, end: 19 }, flagged: false },
        { id: "f-bad", span: { start: 5, end: 99 }, flagged: false },
      ]),
    );
    expect(out).toBe(
      '<mark id="src-f-title" data-for="f-title">Kế hoạch &lt;năm&gt; </mark>' +
        '<mark id="src-f-year" class="check" data-for="f-title f-year">2</mark>' +
        '<span class="src-anchor" id="src-f-short"></span><mark id="src-f-owner" class="check" data-for="f-title f-year f-owner f-short">025</mark>' +
        '<mark data-for="f-owner"> của LĐLĐ</mark>',
    );
  });
});

describe("applyForm", () => {
  const { draft } = extractPlan(LAI_CHAU, { documentDate: "2025-01-10" });

  it("replaces the listed fields only; the year becomes a number; untouched fields keep the extracted value", () => {
    const applied = applyForm(draft, (name) => ({ "phases.1.theme": "  Chủ đề   mới ", year: "2026", slug: "lc-2026" })[name]);
    expect(applied.edited.phases[1]!.theme).toBe("Chủ đề mới");
    expect(applied.edited.year).toBe(2026);
    expect(applied.edited.phases[0]!.theme).toBe(draft.phases[0]!.theme);
    // No title box ticked: every title left out, and the validator says so.
    expect(applied.campaign.titles).toEqual([]);
    const { problems } = checkCampaign(applied.campaign);
    expect(problems.map((p) => p.code)).toEqual(expect.arrayContaining(["too-few", "code-prefix-year"]));
  });

  it("dates are read as officers write them; what is not a date goes to the validator as written", () => {
    expect(["30/6/2025", "01/01/2025", "3-2-1930", "28.7.2024", "2025-12-31"].map(isoFromForm)).toEqual(["2025-06-30", "2025-01-01", "1930-02-03", "2024-07-28", "2025-12-31"]);
    const keep = Object.fromEntries(draft.titles.map((_, i) => [`titles.${i}.keep`, "1"]));
    const applied = applyForm(draft, (name) => ({ ...keep, "phases.0.end": "31/02/2025" })[name]);
    const { problems } = checkCampaign(applied.campaign);
    expect(problems).toEqual([expect.objectContaining({ path: ["phases", 0, "end"], code: "invalid-date", params: { value: "2025-02-31" } })]);
  });

  it("a removed anniversary leaves the phases' references too, and problem paths map back to the form", () => {
    const keep = Object.fromEntries(draft.titles.map((_, i) => [`titles.${i}.keep`, "1"]));
    const applied = applyForm(draft, (name) => ({ ...keep, "anniversaries.0.remove": "1", "anniversaries.2.base_date": "2030-01-01" })[name]);
    expect(applied.campaign.anniversaries).toHaveLength(draft.anniversaries!.length - 1);
    expect(applied.campaign.phases.flatMap((p) => p.anniversaries ?? [])).not.toContain(draft.anniversaries![0]!.key);
    const { problems } = checkCampaign(applied.campaign);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ path: ["anniversaries", 1, "base_date"], code: "base-date-not-before-year" });
    expect(formPath(problems[0]!.path, applied.kept)).toEqual(["anniversaries", 2, "base_date"]);
    expect(draftFields(draft).some((f) => f.name === "anniversaries.2.base_date")).toBe(true);
  });
});

describe("campaign problems in every language", () => {
  it("each problem the validator reports has a code with a text in vi and en", () => {
    const { draft } = extractPlan(LAI_CHAU, { documentDate: "2025-01-10" });
    const broken = structuredClone(draft) as Record<string, unknown> & typeof draft;
    Object.assign(broken, { slug: "Lai Châu", code_prefix: "lc", year: "năm", extra: 1, greeting_time: "8h" });
    broken.phases[0]!.end = "2025-13-01";
    broken.phases[1]!.start = "2025-06-01";
    broken.phases[1]!.theme = "";
    broken.phases.push({ ...broken.phases[1]!, number: 7, start: "2025-01-05", end: "2025-01-06", anniversaries: ["nope", draft.phases[0]!.anniversaries![0]!], movements: ["nope"] });
    broken.phases.push({ ...broken.phases[1]!, number: 4, start: "2025-12-20", end: "2025-12-10", anniversaries: [], movements: [] });
    broken.anniversaries![1]!.key = broken.anniversaries![0]!.key;
    const { problems } = checkCampaign(broken);
    const codes = new Set(problems.map((p) => p.code));
    expect([...codes].sort()).toEqual(
      ["duplicate", "empty", "end-before-start", "invalid-date", "key-format", "code-prefix-format", "phase-number", "time-format", "type-number", "unknown-anniversary", "unknown-field", "unknown-movement", "phase-order", "already-celebrated"].sort(),
    );
    for (const locale of ["vi", "en"] as const) {
      const keys = new Set(catalogKeys(locale));
      for (const code of codes) expect(keys.has(`campaign.problem.${code}`), `${locale}: campaign.problem.${code}`).toBe(true);
    }
  });
});
