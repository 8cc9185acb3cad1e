// Helpers shared by the officer-only commands (/stats in ./stats.ts, /export in ./export.ts, /broadcast in
// ./broadcast.ts): the officer's scope (their unit and its descendants) and the campaign(s) current today.
import type { CampaignDefinition } from "../../domain/campaign.js";
import { pickCurrentCampaign } from "../../domain/calendar.js";
import type { Turn } from "../conversation.js";
import type { CampaignRepository, PledgeReportRepository, StoredCampaign, Unit } from "../ports.js";

export interface OfficerScope {
  /** The officer's unit, first in `units`. */
  root: Unit;
  /** The unit and all its descendants, in tree order. */
  units: Unit[];
  /** "Công đoàn Giáo dục tỉnh (CDGD) và 1 đơn vị trực thuộc", in the reader's language. */
  label: string;
}

export const unitLabel = (u: Pick<Unit, "name" | "code">) => `${u.name} (${u.code})`;

/**
 * The officer's scope: the unit of their live grant (an invitation they redeemed, not revoked) and its subtree —
 * never their own unit, which they change freely with /unit. Answers the officer and returns null when there is no
 * live grant (`noUnitKey` is the message then).
 */
export async function officerScope(turn: Turn, reports: PledgeReportRepository, options: { noUnitKey?: string } = {}): Promise<OfficerScope | null> {
  const subscriber = turn.subscriber;
  const unitId = subscriber ? await reports.officerGrantUnitId(subscriber.id) : null;
  if (unitId === null) {
    await turn.reply({ text: turn.t(options.noUnitKey ?? "officer.noUnit") });
    return null;
  }
  const units = await reports.unitSubtree(unitId);
  const root = units[0];
  if (!root) {
    await turn.reply({ text: turn.t("officer.unitGone") });
    return null;
  }
  const label = units.length > 1 ? turn.t("scope.withChildren", { unit: unitLabel(root), count: units.length - 1 }) : unitLabel(root);
  return { root, units, label };
}

/** The campaign(s) current today (several when several run at once), as stored; [] when none is loaded. */
export async function currentCampaigns(campaigns: CampaignRepository, now: Date, timezone: string): Promise<StoredCampaign[]> {
  const stored = await campaigns.listAll();
  const bySlug = new Map(stored.map((c) => [c.slug, c]));
  return pickCurrentCampaign<CampaignDefinition>(
    stored.map((c) => c.definition),
    now,
    timezone,
  ).map(({ campaign }) => bySlug.get(campaign.slug)!);
}
