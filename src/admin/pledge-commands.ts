// `pledges export --format csv|xlsx --out <file> [--campaign <slug>] [--lang vi|en]`: every pledge (any status) of
// one campaign, or of all campaigns, to a file. CSV is streamed page by page; XLSX is built in memory (exceljs).
// The file is written beside its destination (mode 0600) and renamed into place, so a failed export leaves no half file.
import { createWriteStream } from "node:fs";
import { writeFile } from "node:fs/promises";
import { once } from "node:events";
import { csvHeaderLine, csvRowLine, BOM, pledgesToXlsx } from "../app/export/index.js";
import type { Locale, PledgeExportQuery, PledgeExportRow } from "../app/ports.js";
import { PrismaCampaignRepository } from "../db/campaign-repository.js";
import { PRIVATE_FILE_MODE } from "../db/private-file.js";
import { PrismaPledgeReportRepository } from "../db/pledge-report-repository.js";
import { CliError, plural, type Command } from "./cli.js";
import { exportOptions, exportTarget, writeExportFile } from "./export-file.js";

async function writeCsv(file: string, rows: AsyncIterable<PledgeExportRow>, locale: Locale): Promise<number> {
  const stream = createWriteStream(file, { encoding: "utf8", mode: PRIVATE_FILE_MODE });
  const failed = once(stream, "error").then(([e]) => Promise.reject(e as Error));
  failed.catch(() => undefined);
  const write = async (text: string) => {
    if (!stream.write(text)) await Promise.race([once(stream, "drain"), failed]);
  };
  let count = 0;
  try {
    await write(BOM + csvHeaderLine(locale));
    for await (const row of rows) {
      await write(csvRowLine(row, locale));
      count++;
    }
  } finally {
    stream.end();
    await Promise.race([once(stream, "close"), failed]);
  }
  return count;
}

async function writeXlsx(file: string, rows: AsyncIterable<PledgeExportRow>, locale: Locale): Promise<number> {
  const all: PledgeExportRow[] = [];
  for await (const row of rows) all.push(row);
  await writeFile(file, await pledgesToXlsx(all, locale), { mode: PRIVATE_FILE_MODE });
  return all.length;
}

export const pledgesExport: Command = {
  name: "pledges export",
  usage: "--format csv|xlsx --out <file> [--campaign <slug>] [--lang vi|en]",
  summary: "write every pledge (all campaigns, or one) to a CSV or XLSX file; headers in Vietnamese unless --lang en",
  async run(ctx) {
    // Each problem is one line, found before the database is opened.
    const values = exportOptions(this, ctx.args, ["campaign"]);
    const { format, out, lang } = exportTarget(values, ["csv", "xlsx"]);

    const db = await ctx.database();
    const query: PledgeExportQuery = {};
    if (values.campaign !== undefined) {
      const campaign = await new PrismaCampaignRepository(db.prisma).findBySlug(values.campaign);
      if (!campaign) {
        const loaded = (await new PrismaCampaignRepository(db.prisma).listAll()).map((c) => c.slug);
        throw new CliError(`unknown campaign: ${values.campaign} (loaded: ${loaded.length > 0 ? loaded.join(", ") : "none"})`);
      }
      query.campaignId = campaign.id;
    }

    const rows = new PrismaPledgeReportRepository(db.prisma).exportRows(query);
    const count = await writeExportFile(out, (partial) => (format === "csv" ? writeCsv(partial, rows, lang) : writeXlsx(partial, rows, lang)));
    ctx.io.out(`exported ${plural(count, "pledge", "pledges")} to ${out}`);
    return 0;
  },
};
