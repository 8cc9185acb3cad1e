// /export (/xuat): the pledges of the officer's unit and its descendants in the current campaign, as an XLSX file
// on channels that carry files (Telegram, web chat); on Zalo, which cannot, a note on how to get the file instead.
import { localDate } from "../../domain/clock.js";
import type { CommandHandler } from "../conversation.js";
import { XLSX_MIME_TYPE, pledgesToXlsx } from "../export/index.js";
import { CHANNELS_WITH_FILES, type CampaignRepository, type PledgeExportRow, type PledgeReportRepository } from "../ports.js";
import { currentCampaigns, officerScope } from "./officer-tools.js";

/** "dang-ky-lai-chau-2025-20250519.xlsx": the campaign's slug and today's local date. */
export function exportFileName(slug: string, now: Date, timezone: string): string {
  return `dang-ky-${slug}-${localDate(now, timezone).replace(/-/g, "")}.xlsx`;
}

export function exportHandler(deps: { campaigns: CampaignRepository; pledgeReports: PledgeReportRepository; timezone: string }): CommandHandler {
  return async (turn) => {
    const { t } = turn;
    const picks = await currentCampaigns(deps.campaigns, turn.now, deps.timezone);
    if (picks.length === 0) return turn.reply({ text: t("campaign.none") });
    const scope = await officerScope(turn, deps.pledgeReports);
    if (!scope) return;
    const unitIds = scope.units.map((u) => u.id);
    for (const campaign of picks) {
      const def = campaign.definition;
      const query = { campaignId: campaign.id, unitIds };
      const about = { owner: def.owner.short_name, year: def.year, scope: scope.label };
      const count = await deps.pledgeReports.countExport(query);
      if (count === 0) {
        await turn.reply({ text: t("export.empty", about) });
        continue;
      }
      if (!CHANNELS_WITH_FILES.has(turn.message.channel)) {
        await turn.reply({ text: t("export.zalo", { count, scope: scope.label, slug: def.slug }) });
        continue;
      }
      const rows: PledgeExportRow[] = [];
      for await (const row of deps.pledgeReports.exportRows(query)) rows.push(row);
      const active = rows.filter((r) => r.status === "active").length;
      await turn.reply({
        text: t("export.caption", { ...about, count: rows.length, active }),
        document: {
          fileName: exportFileName(def.slug, turn.now, deps.timezone),
          mimeType: XLSX_MIME_TYPE,
          content: await pledgesToXlsx(rows, turn.locale),
        },
      });
    }
  };
}
