// The campaign the console shows: the one running today (as /thongke picks it), else the newest loaded.
import { currentCampaigns } from "../app/handlers/officer-tools.js";
import type { CampaignRepository, StoredCampaign } from "../app/ports.js";

export async function consoleCampaign(campaigns: CampaignRepository, now: Date, timezone: string, slug?: string): Promise<{ campaign: StoredCampaign | null; running: boolean; all: StoredCampaign[] }> {
  const all = await campaigns.listAll();
  if (slug) {
    const chosen = all.find((c) => c.slug === slug);
    if (chosen) return { campaign: chosen, running: false, all };
  }
  const running = await currentCampaigns(campaigns, now, timezone);
  if (running[0]) return { campaign: running[0], running: true, all };
  const newest = [...all].sort((a, b) => b.definition.year - a.definition.year || b.id - a.id)[0] ?? null;
  return { campaign: newest, running: false, all };
}
