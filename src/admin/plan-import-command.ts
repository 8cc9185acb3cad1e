// `plan import <plan.docx|pdf|txt|md> --out <file.yaml> [--date <yyyy-mm-dd>]`: reads a federation's launch plan,
// writes a draft campaign YAML that `campaign load` accepts (fields to check carry "# KIỂM TRA:" comments), and
// prints what it found, what it did not find, and what to check. Needs no database.
import { mkdirSync, writeFileSync } from "node:fs";
import { basename, dirname } from "node:path";
import { translator } from "../app/i18n.js";
import { describeCheck } from "../app/plan-check-text.js";
import { formatPath, isIsoDate } from "../domain/campaign.js";
import { parseCampaign } from "../domain/campaign-parse.js";
import { draftToYaml } from "../domain/plan-import/draft-yaml.js";
import { extractPlan, type PlanExtraction } from "../domain/plan-import/extract-plan.js";
import { pathKey } from "../domain/plan-import/findings.js";
import { lineColumnAt } from "../domain/plan-import/source-span.js";
import { readPlanDocument } from "../plan-documents.js";
import { CliError, parseOptions, plural, type Command } from "./cli.js";

const vi = translator("vi");
const en = translator("en");

export const planImport: Command = {
  name: "plan import",
  usage: "<plan.docx|pdf|txt|md> --out <file.yaml> [--date <yyyy-mm-dd>]",
  summary: "read a launch plan and write a draft campaign YAML to check and load (--date: the document's date, for “từ nay”)",
  async run(ctx) {
    const { values, positionals } = parseOptions(this, ctx.args, { out: { type: "string" }, date: { type: "string" } });
    if (positionals.length !== 1 || !values.out) throw new CliError(`usage: ${this.name} ${this.usage}`);
    const [file] = positionals as [string];
    const out = values.out;
    if (values.date !== undefined && !isIsoDate(values.date)) {
      throw new CliError(`--date ${JSON.stringify(values.date)} is not a date (yyyy-mm-dd, e.g. 2025-03-15)`);
    }
    if (!/\.ya?ml$/i.test(out)) throw new CliError(`--out ${out}: the draft is YAML, name it .yaml`);

    const read = await readPlanDocument(file);
    if (!read.ok) throw new CliError(`${file} ${read.problem}; nothing written`);
    const extraction = extractPlan(read.text, { placeholder: vi("planImport.placeholder"), ...(values.date ? { documentDate: values.date } : {}) });
    const yaml = draftToYaml(extraction, {
      describe: (reason) => describeCheck(reason, vi),
      lineLabel: (line) => vi("planImport.line", { line }),
      header: vi("planImport.yamlHeader", { file: basename(file), out: basename(out) }).split("\n"),
    });
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, yaml, "utf8");

    for (const line of summary(extraction)) ctx.io.out(line);
    // The draft must load as it is; when the plan itself is inconsistent (phases overlapping…), say what to fix.
    const check = parseCampaign(out, yaml);
    if (!check.ok) {
      for (const error of check.errors) ctx.io.err(error);
      ctx.io.err(`wrote ${out}, but it does not load yet: fix ${plural(check.errors.length, "problem", "problems")} above, then: campaign load ${out}`);
      return 1;
    }
    ctx.io.out(`wrote ${out}; after checking it: npm run admin -- campaign load ${out}`);
    return 0;
  },
};

function summary(x: PlanExtraction): string[] {
  const d = x.draft;
  const statusOf = (path: (string | number)[]) => x.findings.find((f) => pathKey(f.path) === pathKey(path))?.status;
  const at = (offset: number | undefined) => (offset === undefined ? "" : ` (line ${lineColumnAt(x.source, offset).line})`);
  const spanOf = (path: (string | number)[]) => x.findings.find((f) => pathKey(f.path) === pathKey(path))?.span?.start;
  const lines: string[] = ["found:"];
  const missing: string[] = [];
  const item = (label: string, path: (string | number)[], value: string) => {
    if (statusOf(path) === "default") missing.push(label);
    else lines.push(`  ${label}: ${value}${at(spanOf(path))}`);
  };
  item("owner", ["owner", "name"], d.owner.name);
  item("year", ["year"], String(d.year));
  item("title", ["title"], d.title);
  item("theme", ["theme"], `“${d.theme}”`);
  if (statusOf(["phases", 0, "name"]) === "default") missing.push("phases");
  else {
    lines.push(`  ${plural(d.phases.length, "phase", "phases")}:`);
    for (const [i, p] of d.phases.entries()) {
      lines.push(`    ${p.name}: ${p.start} – ${p.end}${at(spanOf(["phases", i, "name"]))}, theme “${p.theme}”`);
    }
  }
  const anniversaries = d.anniversaries ?? [];
  if (anniversaries.length === 0) missing.push("anniversaries");
  else lines.push(`  ${plural(anniversaries.length, "anniversary", "anniversaries")}: ${anniversaries.map((a) => `${a.key} ${a.base_date}`).join(", ")}`);
  const movements = d.movements ?? [];
  if (movements.length === 0) missing.push("movements");
  else lines.push(`  ${plural(movements.length, "movement", "movements")}: ${movements.map((m) => m.name).join("; ")}`);
  lines.push(`  ${plural(d.titles.length, "title", "titles")}${statusOf(["titles"]) === "default" ? " (standard: the plan names none)" : ""}`);
  const short = (s: string) => (s.length > 90 ? `${s.slice(0, 89)}…` : s);
  item("works", ["works", "description"], short(d.works.description) + (d.works.plaque ? " (plaque)" : ""));
  item("initiatives", ["initiatives", "description"], short(d.initiatives.description));
  item("report", ["reporting", "description"], `to ${d.reporting.to}${d.reporting.after_each_phase ? ", after each phase" : ""}`);
  lines.push(`not found: ${missing.length ? missing.join(", ") : "nothing"}`);

  const checks = x.findings.filter((f) => f.checks.length > 0);
  lines.push(checks.length ? "to check (marked # KIỂM TRA in the file):" : "to check: nothing");
  for (const f of checks) {
    for (const c of f.checks) lines.push(`  ${formatPath(f.path)}: ${describeCheck(c, en)}${at(f.span?.start)}`);
  }
  if (x.warnings.length) {
    lines.push(`warnings in the plan's text:`);
    for (const w of x.warnings) lines.push(`  ${describeCheck(w.reason, en)}${at(w.span?.start)}`);
  }
  return lines;
}
