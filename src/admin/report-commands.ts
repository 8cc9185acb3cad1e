// `report export --campaign <slug> --phase <n> --format xlsx|docx --out <file> [--unit <code>] [--lang vi|en]`: the
// consolidated phase report of the unit tree (the campaign owner's unit, or --unit) — one row per grassroots union,
// totals — as a spreadsheet or a printable Word document. Written beside its destination and renamed into place.
import { rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { consolidatedReport, consolidatedReportToDocx, consolidatedReportToXlsx } from "../app/cycle/report-export.js";
import { isLocale } from "../app/i18n.js";
import { createRepositories } from "../db/index.js";
import { PRIVATE_FILE_MODE } from "../db/private-file.js";
import { CliError, parseOptions, type Command } from "./cli.js";

export const reportExport: Command = {
  name: "report export",
  usage: "--campaign <slug> --phase <n> --format xlsx|docx --out <file> [--unit <code>] [--lang vi|en]",
  summary: "write the consolidated phase report (one row per grassroots union, totals) as XLSX or DOCX",
  async run(ctx) {
    const { values, positionals } = parseOptions(this, ctx.args, {
      campaign: { type: "string" },
      phase: { type: "string" },
      format: { type: "string" },
      out: { type: "string" },
      unit: { type: "string" },
      lang: { type: "string" },
    });
    if (positionals.length > 0) throw new CliError(`unexpected argument: ${positionals[0]} (usage: report export ${this.usage})`);
    if (!values.campaign) throw new CliError("--campaign <slug> is required");
    if (!values.phase || !/^\d{1,2}$/.test(values.phase)) throw new CliError("--phase <n> is required (a phase number)");
    if (values.format !== "xlsx" && values.format !== "docx") throw new CliError(`--format must be xlsx or docx, got "${values.format ?? ""}"`);
    if (!values.out) throw new CliError("--out <file> is required");
    const lang = values.lang ?? "vi";
    if (!isLocale(lang)) throw new CliError(`--lang must be vi or en, got "${lang}"`);
    const out = path.resolve(values.out);

    const repositories = createRepositories(await ctx.database());
    const campaign = await repositories.campaigns.findBySlug(values.campaign);
    if (!campaign) throw new CliError(`unknown campaign: ${values.campaign}`);
    const phaseNumber = Number(values.phase);
    if (!campaign.definition.phases.some((p) => p.number === phaseNumber)) throw new CliError(`campaign ${campaign.slug} has no phase ${phaseNumber}`);
    const rootCode = values.unit ?? campaign.definition.owner.unit_code;
    const root = rootCode ? await repositories.units.findByCode(rootCode) : null;
    if (!root) throw new CliError(rootCode ? `unknown unit: ${rootCode}` : "the campaign names no owner unit: give --unit <code>");
    const scope = await repositories.pledgeReports.unitSubtree(root.id);
    const report = await consolidatedReport(repositories, { campaign, phaseNumber, scope });
    const content = values.format === "xlsx" ? await consolidatedReportToXlsx(report, lang) : await consolidatedReportToDocx(report, lang);
    const temp = path.join(path.dirname(out), `.${path.basename(out)}.${process.pid}.partial`);
    try {
      await writeFile(temp, content, { mode: PRIVATE_FILE_MODE });
      await rename(temp, out);
    } catch (e) {
      await rm(temp, { force: true });
      const code = (e as NodeJS.ErrnoException).code;
      if (code) throw new CliError(`cannot write ${out}: ${code}`);
      throw e;
    }
    ctx.io.out(`${report.reported}/${report.rows.length} grassroots unions reported; written to ${out}`);
    return 0;
  },
};
