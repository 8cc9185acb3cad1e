// Campaign plans on disk: read a YAML file and validate it. Used by the admin CLI and by start-up, which loads
// the bundled plans into an empty database so a fresh install has something to talk about.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { CampaignRepository } from "./app/ports.js";
import { parseCampaign, type ParseCampaignResult } from "./domain/campaign-parse.js";

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
