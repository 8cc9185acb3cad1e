// `report export --campaign <slug> --phase <n> --format xlsx|docx --out <file> [--unit <code>] [--lang vi|en]`: the
// consolidated phase report of the unit tree (the campaign owner's unit, or --unit) — one row per grassroots union,
// totals — as a spreadsheet or a printable Word document. Written beside its destination and renamed into place.
import { writeFile } from "node:fs/promises";
import { consolidatedReport, consolidatedReportToDocx, consolidatedReportToXlsx } from "../app/cycle/report-export.js";
import { createRepositories } from "../db/index.js";
import { PRIVATE_FILE_MODE } from "../db/private-file.js";
import { CliError, type Command } from "./cli.js";
import { exportCampaign, exportOptions, exportScope, exportTarget, writeExportFile } from "./export-file.js";

export const reportExport: Command = {
  name: "report export",
  usage: "--campaign <slug> --phase <n> --format xlsx|docx --out <file> [--unit <code>] [--lang vi|en]",
  summary: "write the consolidated phase report (one row per grassroots union, totals) as XLSX or DOCX",
  async run(ctx) {
    const values = exportOptions(this, ctx.args, ["campaign", "phase", "unit"]);
    if (!values.campaign) throw new CliError("--campaign <slug> is required");
    if (!values.phase || !/^\d{1,2}$/.test(values.phase)) throw new CliError("--phase <n> is required (a phase number)");
    const { format, out, lang } = exportTarget(values, ["xlsx", "docx"]);

    const repositories = createRepositories(await ctx.database());
    const campaign = await exportCampaign(repositories, values.campaign);
    const phaseNumber = Number(values.phase);
    if (!campaign.definition.phases.some((p) => p.number === phaseNumber)) throw new CliError(`campaign ${campaign.slug} has no phase ${phaseNumber}`);
    const scope = await exportScope(repositories, campaign, values.unit);
    const report = await consolidatedReport(repositories, { campaign, phaseNumber, scope });
    const content = format === "xlsx" ? await consolidatedReportToXlsx(report, lang) : await consolidatedReportToDocx(report, lang);
    await writeExportFile(out, (partial) => writeFile(partial, content, { mode: PRIVATE_FILE_MODE }));
    ctx.io.out(`${report.reported}/${report.rows.length} grassroots unions reported; written to ${out}`);
    return 0;
  },
};
