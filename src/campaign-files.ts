// Campaign plans on disk: read a YAML file and validate it. Used by the admin CLI and by start-up, which loads
// the bundled plans into an empty database so a fresh install has something to talk about.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "yaml";
import type { CampaignRepository } from "./app/ports.js";
import { campaignStatus } from "./domain/calendar.js";
import type { CampaignDefinition } from "./domain/campaign.js";
import { parseCampaign, type ParseCampaignResult } from "./domain/campaign-parse.js";
import { rolloverCampaign } from "./domain/campaign-rollover.js";
import { localDate, yearOf } from "./domain/clock.js";

/** Reads and validates a plan; problems are reported against `path` as given. */
export function readCampaignFile(path: string): ParseCampaignResult {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    return { ok: false, errors: [`${path}: cannot be read (${(error as NodeJS.ErrnoException).code ?? "error"})`] };
  }
  return parseCampaign(path, text);
}

export function campaignFilesIn(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => /\.ya?ml$/i.test(name))
    .sort()
    .map((name) => join(dir, name));
}

export interface SeedResult {
  loaded: string[];
  errors: string[];
}

/** Loads every plan in `dir` when the database has no campaign yet; does nothing otherwise. */
export async function seedCampaignsIfEmpty(dir: string, campaigns: CampaignRepository): Promise<SeedResult> {
  if ((await campaigns.listAll()).length > 0) return { loaded: [], errors: [] };
  const result: SeedResult = { loaded: [], errors: [] };
  for (const file of campaignFilesIn(dir)) {
    const parsed = readCampaignFile(file);
    if (!parsed.ok) {
      result.errors.push(...parsed.errors);
      continue;
    }
    await campaigns.upsert(parsed.campaign, file);
    result.loaded.push(parsed.campaign.slug);
  }
  return result;
}

/** A plan as a YAML file that `campaign load` reads back; `comment` heads the file. */
export function campaignYaml(def: CampaignDefinition, comment: string): string {
  return `# ${comment}\n${stringify(def, { lineWidth: 118 })}`;
}

export interface DemoMarker {
  /** Added to the title in each language and to the owner's short name, so every reply naming the plan says "demo". */
  vi: string;
  en: string;
}

/**
 * The web-chat-only demo: when no loaded campaign is running today, the newest bundled plan rolled over to this
 * year, marked as a demo, so a newcomer's `npm start` can try /chude and /dangky on any date. Returns the slug
 * loaded, or null when a campaign is running already (a demo loaded by an earlier start counts) or nothing fits.
 */
export async function loadDemoCampaignIfIdle(
  dir: string,
  campaigns: CampaignRepository,
  now: Date,
  tz: string,
  marker: DemoMarker,
): Promise<{ slug: string; notes: string[] } | null> {
  const loaded = await campaigns.listAll();
  if (loaded.some((c) => campaignStatus(c.definition, now, tz).status === "active")) return null;
  const bundled = campaignFilesIn(dir)
    .map(readCampaignFile)
    .flatMap((r) => (r.ok ? [r.campaign] : []))
    .sort((a, b) => b.year - a.year);
  const newest = bundled[0];
  if (!newest) return null;
  const year = yearOf(localDate(now, tz));
  const { campaign, notes, errors } = rolloverCampaign(newest, year);
  if (errors.length > 0) return null;
  const demo: CampaignDefinition = {
    ...campaign,
    slug: `${campaign.slug}-demo`,
    // Receipts read DEMO26-000001: never mistaken for (or colliding with) a real plan's codes.
    code_prefix: `DEMO${String(year % 100).padStart(2, "0")}`,
    title: `[${marker.vi}] ${campaign.title}`,
    ...(campaign.title_en ? { title_en: `[${marker.en}] ${campaign.title_en}` } : {}),
    // The owner is shown in both languages' replies: both words.
    owner: { ...campaign.owner, name: `${campaign.owner.name} (${marker.vi} / ${marker.en})`, short_name: `${campaign.owner.short_name} (${marker.vi} / ${marker.en})` },
  };
  if (campaignStatus(demo, now, tz).status !== "active") return null;
  await campaigns.upsert(demo);
  return { slug: demo.slug, notes };
}
