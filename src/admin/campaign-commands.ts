// `campaign load <file.yaml>` and `campaign list`.
import { createPlanner } from "../app/planner.js";
import { writeFileSync } from "node:fs";
import { campaignYaml, readCampaignFile } from "../campaign-files.js";
import { rolloverCampaign } from "../domain/campaign-rollover.js";
import { campaignSpan } from "../domain/calendar.js";
import { DEFAULT_TIMEZONE } from "../domain/clock.js";
import { DEFAULT_QUIET_HOURS, parseQuietHours } from "../domain/quiet-hours.js";
import { campaignEvents } from "../domain/schedule.js";
import { PrismaCampaignRepository } from "../db/campaign-repository.js";
import { createRepositories } from "../db/index.js";
import { pino } from "pino";
import { CliError, parseOptions, plural, positionals, type Command } from "./cli.js";

export const campaignLoad: Command = {
  name: "campaign load",
  usage: "<file.yaml>",
  summary: "validate a campaign file and create or update the campaign with its slug",
  async run(ctx) {
    const [file] = positionals(this, ctx.args, 1) as [string];
    const result = readCampaignFile(file);
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

export const campaignAnnounce: Command = {
  name: "campaign announce",
  usage: "<slug>",
  summary: "queue the campaign's launch announcement for every subscriber now (each person gets it once)",
  async run(ctx) {
    const [slug] = positionals(this, ctx.args, 1) as [string];
    const db = await ctx.database();
    const repositories = createRepositories(db);
    const campaign = await repositories.campaigns.findBySlug(slug);
    if (!campaign) throw new CliError(`unknown campaign: ${slug} (see: campaign list)`);
    const timezone = ctx.env.BOT_TIMEZONE?.trim() || DEFAULT_TIMEZONE;
    const quietHours = (ctx.env.QUIET_HOURS && parseQuietHours(ctx.env.QUIET_HOURS)) || DEFAULT_QUIET_HOURS;
    const planner = createPlanner({ ...repositories, timezone, quietHours, graceMs: 24 * 3_600_000, logger: pino({ level: "silent" }) });
    const launch = campaignEvents(campaign.definition, timezone).find((e) => e.type === "launch")!;
    const queued = await planner.planNow(campaign, launch, new Date());
    ctx.io.out(`queued the launch announcement of ${slug} for ${plural(queued, "subscriber", "subscribers")}; the running bot delivers it (outside quiet hours)`);
    return 0;
  },
};

export const campaignRollover: Command = {
  name: "campaign rollover",
  usage: "<slug> --year <yyyy> [--out <file.yaml>]",
  summary: "the same plan for another year (dates moved, new slug and code prefix): written to --out, else loaded",
  async run(ctx) {
    const { values, positionals: args } = parseOptions(this, ctx.args, { year: { type: "string" }, out: { type: "string" } });
    if (args.length !== 1) throw new CliError(`usage: campaign rollover ${this.usage}`);
    const year = Number(values.year);
    if (!values.year || !/^\d{4}$/.test(values.year) || year < 2000 || year > 2100) throw new CliError(`--year must be a year such as 2026, got "${values.year ?? ""}"`);
    const db = await ctx.database();
    const repository = new PrismaCampaignRepository(db.prisma);
    const source = await repository.findBySlug(args[0]!);
    if (!source) throw new CliError(`unknown campaign: ${args[0]} (see: campaign list)`);
    const { campaign, notes, errors } = rolloverCampaign(source.definition, year);
    for (const note of notes) ctx.io.err(`${source.slug} → ${campaign.slug}: ${note}`);
    if (errors.length > 0) {
      for (const error of errors) ctx.io.err(`${campaign.slug}: ${error}`);
      ctx.io.err(`nothing written: ${plural(errors.length, "error", "errors")}`);
      return 1;
    }
    if (values.out) {
      writeFileSync(values.out, campaignYaml(campaign, `${source.slug} rolled over to ${year}`));
      ctx.io.out(`wrote ${campaign.slug} (${campaign.code_prefix}) to ${values.out}; check it, then: campaign load ${values.out}`);
      return 0;
    }
    const { created } = await repository.upsert(campaign);
    ctx.io.out(`${created ? "created" : "updated"} ${campaign.slug} (${campaign.code_prefix}): ${plural(campaign.phases.length, "phase", "phases")}`);
    return 0;
  },
};
