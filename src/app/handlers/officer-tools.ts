// Officer-only commands. /stats and /export live in ./stats.ts and ./export.ts and share the helpers below: the
// officer's scope (their unit and its descendants) and the campaign(s) current today. /broadcast is still being
// built: officers are told so plainly (members never get here: the conversation core refuses them first).
import type { CampaignDefinition } from "../../domain/campaign.js";
import { pickCurrentCampaign } from "../../domain/calendar.js";
import type { CommandHandler, Turn } from "../conversation.js";
import type { CampaignRepository, PledgeReportRepository, StoredCampaign, Unit } from "../ports.js";

const notYet: CommandHandler = ({ t, reply }) => reply({ text: t("officer.notYet") });

export const officerTools = { broadcast: notYet };

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
 * The officer's scope: the unit of the officer invitation they redeemed (their own unit only when they hold no
 * invitation, e.g. made officer by other means), and its subtree. Answers the officer and returns null when there is
 * none.
 */
export async function officerScope(turn: Turn, reports: PledgeReportRepository): Promise<OfficerScope | null> {
  const subscriber = turn.subscriber;
  const unitId = subscriber ? ((await reports.officerGrantUnitId(subscriber.id)) ?? subscriber.unitId) : null;
  if (unitId === null) {
    await turn.reply({ text: turn.t("officer.noUnit") });
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
