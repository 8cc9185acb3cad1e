// `campaign load <file.yaml>` and `campaign list`.
import { readFile } from "node:fs/promises";
import { campaignSpan } from "../domain/calendar.js";
import { parseCampaign } from "../domain/campaign-parse.js";
import { PrismaCampaignRepository } from "../db/campaign-repository.js";
import { CliError, plural, positionals, type Command } from "./cli.js";

async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, "utf8");
  } catch (e) {
    throw new CliError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

export const campaignLoad: Command = {
  name: "campaign load",
  usage: "<file.yaml>",
  summary: "validate a campaign file and create or update the campaign with its slug",
  async run(ctx) {
    const [file] = positionals(this, ctx.args, 1) as [string];
    const result = parseCampaign(file, await readText(file));
    if (!result.ok) {
      // Validated before the database is opened: an invalid file changes nothing.
      for (const error of result.errors) ctx.io.err(error);
      ctx.io.err(`nothing loaded: ${plural(result.errors.length, "error", "errors")} in ${file}`);
      return 1;
    }
    const campaign = result.campaign;
    const db = await ctx.database();
    const { created } = await new PrismaCampaignRepository(db.prisma).upsert(campaign, file);
    ctx.io.out(
      `${created ? "created" : "updated"} ${campaign.slug}: ${plural(campaign.phases.length, "phase", "phases")}, ` +
        plural(campaign.anniversaries.length, "anniversary", "anniversaries"),
    );
    return 0;
  },
};

export const campaignList: Command = {
  name: "campaign list",
  usage: "",
  summary: "list the loaded campaigns",
  async run(ctx) {
    positionals(this, ctx.args, 0);
    const db = await ctx.database();
    const campaigns = await new PrismaCampaignRepository(db.prisma).listAll();
    if (campaigns.length === 0) {
      ctx.io.out("no campaigns loaded (use: campaign load <file.yaml>)");
      return 0;
    }
    const rows = campaigns.map((c) => {
      const span = campaignSpan(c.definition);
      return [c.slug, String(c.definition.year), c.definition.owner.short_name, `${span.start} – ${span.end}`, String(c.definition.phases.length)];
    });
    const table = [["slug", "year", "owner", "dates", "phases"], ...rows];
    const widths = table[0]!.map((_, i) => Math.max(...table.map((r) => r[i]!.length)));
    for (const row of table) ctx.io.out(row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!))).join("  "));
    return 0;
  },
};
