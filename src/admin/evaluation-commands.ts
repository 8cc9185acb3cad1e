// `evaluation export --campaign <slug> --format xlsx|docx --out <file> [--unit <code>] [--lang vi|en]`: every proposal
// of the unit tree (the campaign owner's unit, or --unit) with its decision, as a spreadsheet or a Word document.
import { writeFile } from "node:fs/promises";
import { decisionList, decisionsToDocx, decisionsToXlsx } from "../app/cycle/evaluation.js";
import { createRepositories } from "../db/index.js";
import { PRIVATE_FILE_MODE } from "../db/private-file.js";
import { CliError, type Command } from "./cli.js";
import { exportCampaign, exportOptions, exportScope, exportTarget, writeExportFile } from "./export-file.js";

export const evaluationExport: Command = {
  name: "evaluation export",
  usage: "--campaign <slug> --format xlsx|docx --out <file> [--unit <code>] [--lang vi|en]",
  summary: "write the evaluation's proposals and decisions as XLSX or DOCX",
  async run(ctx) {
    const values = exportOptions(this, ctx.args, ["campaign", "unit"]);
    if (!values.campaign) throw new CliError("--campaign <slug> is required");
    const { format, out, lang } = exportTarget(values, ["xlsx", "docx"]);
    const repositories = createRepositories(await ctx.database());
    const campaign = await exportCampaign(repositories, values.campaign);
    const scope = await exportScope(repositories, campaign, values.unit);
    const rows = await decisionList(repositories, { campaign, scope, locale: lang });
    const content = format === "xlsx" ? await decisionsToXlsx(campaign, rows, lang) : await decisionsToDocx(campaign, rows, lang);
    await writeExportFile(out, (partial) => writeFile(partial, content, { mode: PRIVATE_FILE_MODE }));
    ctx.io.out(`${rows.length} proposals, ${rows.filter((r) => r.decision === "awarded").length} awarded; written to ${out}`);
    return 0;
  },
};
