// `npm run admin -- plan import` as a child process (npx tsx scripts/admin.ts), on the seed plans as .txt, .docx and
// .pdf (made from the .txt with Debian's LibreOffice) and on the news-style excerpts: the YAML it writes is compared
// field by field with the shipped campaign / the excerpt's expected values (the per-file score is printed), then
// loaded with `campaign load` into a temp SQLite database. Bad input: a clear message, exit 1, nothing written.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parse } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  PLAN_FIXTURES,
  REPO_ROOT,
  compareFields,
  expectedFromCampaignYaml,
  expectedFromJson,
  score,
  type ExpectedPlan,
} from "../domain/plan-import/plan-score.js";

let dir: string;
let databaseUrl: string;
const scores: { file: string; correct: number; total: number; percent: number }[] = [];

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), "congdoan-plan-import-"));
  databaseUrl = `file:${path.join(dir, "plans.db")}`;
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  if (scores.length > 0) {
    const width = Math.max(...scores.map((s) => s.file.length));
    console.log(
      ["plan import — fields right per file (year, theme, each phase's start/end/theme, each anniversary's base date):",
        ...scores.map((s) => `  ${s.file.padEnd(width)}  ${String(s.correct).padStart(2)}/${s.total}  ${s.percent}%`)].join("\n"),
    );
  }
});

function admin(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync("npx", ["tsx", "scripts/admin.ts", ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, DATABASE_URL: databaseUrl, ...env },
    encoding: "utf8",
    timeout: 60_000,
  });
  const lines = (text: string) => text.split("\n").filter((l) => l !== "" && !l.startsWith("npm warn"));
  return { code: result.status, out: lines(result.stdout), err: lines(result.stderr) };
}

function importAndScore(fixture: string, expected: ExpectedPlan) {
  const out = path.join(dir, `${path.basename(fixture).replace(/\./g, "-")}.yaml`);
  const run = admin(["plan", "import", path.join(PLAN_FIXTURES, fixture), "--out", out, ...(expected.date ? ["--date", expected.date] : [])]);
  expect(run.err).toEqual([]);
  expect(run.code).toBe(0);
  expect(run.out[0]).toBe("found:");
  expect(run.out.at(-1)).toBe(`wrote ${out}; after checking it: npm run admin -- campaign load ${out}`);
  const yaml = readFileSync(out, "utf8");
  const results = compareFields(expected, parse(yaml));
  scores.push({ file: fixture, ...score(results) });
  return { out, yaml, results, run };
}

const SEEDS = ["lai-chau-2025", "bac-kan-2021"].flatMap((name) => ["txt", "docx", "pdf"].map((ext) => ({ name, file: `${name}.${ext}` })));

describe("plan import: the seed plans", () => {
  it.each(SEEDS)("$file reproduces the shipped YAML's fields, and the draft loads with campaign load", ({ name, file }) => {
    const expected = expectedFromCampaignYaml(path.join(REPO_ROOT, "prisma", "campaigns", `${name}.yaml`));
    const { out, yaml, results, run } = importAndScore(file, expected);
    expect(results.filter((r) => !r.ok)).toEqual([]);
    // The summary says what it found and what to check; the file carries the checks as comments.
    expect(run.out).toContainEqual(expect.stringMatching(new RegExp(`^  year: ${expected.year} \\(line \\d+\\)$`)));
    expect(run.out).toContain("not found: nothing");
    expect(run.out).toContainEqual(
      expect.stringMatching(/^ {2}titles: the plan names no titles: the standard titles and those that go with the plan's movements are used( \(line \d+\))?$/),
    );
    expect(yaml).toMatch(/^# Bản nháp chiến dịch do “plan import” đọc từ /);
    expect(yaml).toContain("# KIỂM TRA: ");
    const load = admin(["campaign", "load", out]);
    expect(load.out).toEqual([expect.stringMatching(new RegExp(`^(created|updated) ${name}: ${expected.phases.length} phases, ${expected.anniversaries.length} anniversaries$`))]);
    expect(load.code).toBe(0);
  }, 120_000);
});

describe("plan import: news-style excerpts", () => {
  it.each(["dien-bien-2025", "tphcm-2026", "bac-giang-2021", "quang-ninh-2024", "quang-tri-2025", "khanh-hoa-2026"])("%s: ≥ 95% of the fields right, and it loads", (name) => {
    const expected = expectedFromJson(path.join(PLAN_FIXTURES, "news", `${name}.expected.json`));
    const { out, results } = importAndScore(`news/${name}.txt`, expected);
    expect(score(results).percent, JSON.stringify(results.filter((r) => !r.ok))).toBeGreaterThanOrEqual(95);
    const load = admin(["campaign", "load", out]);
    expect(load.code, load.err.join("\n")).toBe(0);
  }, 120_000);

  it("reports the wrong ordinal in its summary", () => {
    const out = path.join(dir, "bg.yaml");
    const run = admin(["plan", "import", path.join(PLAN_FIXTURES, "news", "bac-giang-2021.txt"), "--out", out]);
    expect(run.code).toBe(0);
    const warnings = run.out.slice(run.out.indexOf("warnings in the plan's text:"));
    expect(warnings.slice(0, 2)).toEqual([
      "warnings in the plan's text:",
      "  the plan says 90 years, but from the base year to the plan's year is 92 years (line 5)",
    ]);
  }, 60_000);
});

describe("plan import: bad input changes nothing", () => {
  it.each([
    { label: "an unsupported kind", args: (d: string) => [path.join(d, "plan.odt"), "--out", path.join(d, "a.yaml")], setup: (d: string) => writeFileSync(path.join(d, "plan.odt"), "x"), err: (d: string) => `${path.join(d, "plan.odt")} must be .docx, .pdf, .txt or .md; nothing written` },
    { label: "a missing file", args: (d: string) => [path.join(d, "none.pdf"), "--out", path.join(d, "a.yaml")], setup: () => {}, err: (d: string) => `${path.join(d, "none.pdf")} cannot be read (ENOENT); nothing written` },
    { label: "a .docx that is not one", args: (d: string) => [path.join(d, "bad.docx"), "--out", path.join(d, "a.yaml")], setup: (d: string) => writeFileSync(path.join(d, "bad.docx"), "not a zip"), err: (d: string) => expect.stringMatching(new RegExp(`^${path.join(d, "bad.docx").replace(/[.]/g, "\\.")} is not a readable \\.docx file \\(.+\\); nothing written$`)) },
    { label: "a .pdf that is not one", args: (d: string) => [path.join(d, "bad.pdf"), "--out", path.join(d, "a.yaml")], setup: (d: string) => writeFileSync(path.join(d, "bad.pdf"), "%PDF-1.4 broken"), err: () => expect.stringMatching(/bad\.pdf is not a readable \.pdf file \(.+\); nothing written$/) },
    { label: "a .txt that is not UTF-8", args: (d: string) => [path.join(d, "latin.txt"), "--out", path.join(d, "a.yaml")], setup: (d: string) => writeFileSync(path.join(d, "latin.txt"), Buffer.from([0x4b, 0xe9, 0x20, 0xff, 0xfe])), err: (d: string) => `${path.join(d, "latin.txt")} is not UTF-8 text; nothing written` },
    { label: "a bad --date", args: (d: string) => [path.join(PLAN_FIXTURES, "lai-chau-2025.txt"), "--out", path.join(d, "a.yaml"), "--date", "2025-02-30"], setup: () => {}, err: () => `--date "2025-02-30" is not a date (yyyy-mm-dd, e.g. 2025-03-15)` },
    { label: "no --out", args: () => [path.join(PLAN_FIXTURES, "lai-chau-2025.txt")], setup: () => {}, err: () => "usage: plan import <plan.docx|pdf|txt|md> --out <file.yaml> [--date <yyyy-mm-dd>]" },
  ])("$label: one clear line, exit 1, no file", ({ args, setup, err }) => {
    const d = mkdtempSync(path.join(dir, "bad-"));
    setup(d);
    const run = admin(["plan", "import", ...args(d)]);
    expect(run).toEqual({ code: 1, out: [], err: [err(d)] });
    expect(existsSync(path.join(d, "a.yaml"))).toBe(false);
  }, 60_000);
});
