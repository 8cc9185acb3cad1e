// `evaluation export --campaign <slug> --format xlsx|docx --out <file> [--unit <code>] [--lang vi|en]`: every proposal
// of the unit tree (the campaign owner's unit, or --unit) with its decision, as a spreadsheet or a Word document.
import { rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { decisionList, decisionsToDocx, decisionsToXlsx } from "../app/cycle/evaluation.js";
import { isLocale } from "../app/i18n.js";
import { createRepositories } from "../db/index.js";
import { PRIVATE_FILE_MODE } from "../db/private-file.js";
import { CliError, parseOptions, type Command } from "./cli.js";

export const evaluationExport: Command = {
  name: "evaluation export",
  usage: "--campaign <slug> --format xlsx|docx --out <file> [--unit <code>] [--lang vi|en]",
  summary: "write the evaluation's proposals and decisions as XLSX or DOCX",
  async run(ctx) {
    const { values, positionals } = parseOptions(this, ctx.args, {
      campaign: { type: "string" },
      format: { type: "string" },
      out: { type: "string" },
      unit: { type: "string" },
      lang: { type: "string" },
    });
    if (positionals.length > 0) throw new CliError(`unexpected argument: ${positionals[0]} (usage: evaluation export ${this.usage})`);
    if (!values.campaign) throw new CliError("--campaign <slug> is required");
    if (values.format !== "xlsx" && values.format !== "docx") throw new CliError(`--format must be xlsx or docx, got "${values.format ?? ""}"`);
    if (!values.out) throw new CliError("--out <file> is required");
    const lang = values.lang ?? "vi";
    if (!isLocale(lang)) throw new CliError(`--lang must be vi or en, got "${lang}"`);
    const out = path.resolve(values.out);
    const repositories = createRepositories(await ctx.database());
    const campaign = await repositories.campaigns.findBySlug(values.campaign);
    if (!campaign) throw new CliError(`unknown campaign: ${values.campaign}`);
    const rootCode = values.unit ?? campaign.definition.owner.unit_code;
    const root = rootCode ? await repositories.units.findByCode(rootCode) : null;
    if (!root) throw new CliError(rootCode ? `unknown unit: ${rootCode}` : "the campaign names no owner unit: give --unit <code>");
    const scope = await repositories.pledgeReports.unitSubtree(root.id);
    const rows = await decisionList(repositories, { campaign, scope, locale: lang });
    const content = values.format === "xlsx" ? await decisionsToXlsx(campaign, rows, lang) : await decisionsToDocx(campaign, rows, lang);
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
    ctx.io.out(`${rows.length} proposals, ${rows.filter((r) => r.decision === "awarded").length} awarded; written to ${out}`);
    return 0;
  },
};
