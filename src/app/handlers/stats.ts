// /stats (/thongke): registration coverage of the officer's unit and its descendants in the current campaign, as a
// compact list that reads well on a phone in plain text (Zalo has no formatting and no monospace font).
import type { CampaignDefinition } from "../../domain/campaign.js";
import type { CommandHandler } from "../conversation.js";
import type { Translate } from "../i18n.js";
import type { CampaignRepository, CoverageReport, Locale, PledgeReportRepository } from "../ports.js";
import { currentCampaigns, officerScope, unitLabel } from "./officer-tools.js";

/** Units listed in the chat; the rest are counted in the total and are in the /export file. */
export const STATS_MAX_UNITS = 30;

const numberFormat = (locale: Locale) => new Intl.NumberFormat(locale === "vi" ? "vi-VN" : "en-US");

/**
 * Coverage as a whole percentage: rounded, but never "100%" before everyone registered nor "0%" once someone has
 * (a "<1%" instead). Above 100% when more people registered than member_count says (an outdated count).
 */
export function formatPercent(pledged: number, members: number): string {
  const exact = (pledged / members) * 100;
  let rounded = Math.round(exact);
  if (rounded >= 100 && pledged < members) rounded = 99;
  if (rounded === 0 && pledged > 0) return "<1%";
  return `${rounded}%`;
}

/** Initials of the title's Vietnamese name, diacritics dropped except Đ: "Chiến sĩ thi đua cơ sở" → "CSTĐCS". */
export function titleAbbreviation(name: string): string {
  return name
    .split(/\s+/)
    .filter((w) => w.length > 0)
    .map((w) => [...w.normalize("NFC")][0]!)
    .map((c) => c.normalize("NFD").replace(/\p{M}/gu, "").toLocaleUpperCase("vi"))
    .join("");
}

interface TitleInfo {
  short: string;
  /** The name in the reader's language, for the legend. */
  name: string;
  order: number;
}

/** Title key → its short form; a short form that two titles share is replaced by the full name for both. */
function titleTable(def: CampaignDefinition, locale: Locale): Map<string, TitleInfo> {
  const short = def.titles.map((title) => titleAbbreviation(title.name));
  return new Map(
    def.titles.map((title, i) => {
      const clash = short.filter((s) => s === short[i]).length > 1;
      return [title.key, { short: clash ? title.name : short[i]!, name: locale === "en" && title.name_en ? title.name_en : title.name, order: i }];
    }),
  );
}

export function renderStats(
  report: CoverageReport,
  options: { campaign: CampaignDefinition; scopeLabel: string; locale: Locale; t: Translate; maxUnits?: number },
): string {
  const { campaign, locale, t } = options;
  const max = options.maxUnits ?? STATS_MAX_UNITS;
  const n = numberFormat(locale);
  const titles = titleTable(campaign, locale);
  const used = new Set<string>();

  const titleList = (counts: Record<string, number>): string | null => {
    const keys = Object.keys(counts)
      .filter((k) => counts[k]! > 0)
      .sort((a, b) => (titles.get(a)?.order ?? Infinity) - (titles.get(b)?.order ?? Infinity) || (a < b ? -1 : a > b ? 1 : 0));
    if (keys.length === 0) return null;
    for (const k of keys) used.add(k);
    return keys.map((k) => `${titles.get(k)?.short ?? k} ${n.format(counts[k]!)}`).join(", ");
  };
  const line = (head: string, parts: (string | null)[]) => [head, ...parts.filter((p): p is string => p !== null)].join(" · ");

  const lines = [t("stats.title", { owner: campaign.owner.short_name, year: campaign.year, scope: options.scopeLabel }), ""];
  for (const unit of report.units.slice(0, max)) {
    const head =
      unit.memberCount > 0
        ? t("stats.unit", { unit: unitLabel(unit), pledged: n.format(unit.pledged), approved: n.format(unit.approved), members: n.format(unit.memberCount), percent: formatPercent(unit.approved, unit.memberCount) })
        : t("stats.unitNoMembers", { unit: unitLabel(unit), pledged: n.format(unit.pledged), approved: n.format(unit.approved) });
    lines.push(line(head, [t("stats.users", { count: n.format(unit.subscribers) }), titleList(unit.titles), unit.collective ? t("stats.collective") : null]));
  }
  if (report.units.length > max) lines.push(t("stats.more", { count: n.format(report.units.length - max) }));

  const total = report.total;
  const totalHead =
    total.memberCount > 0
      ? t("stats.total", { units: n.format(total.units), pledged: n.format(total.pledged), approved: n.format(total.approved), members: n.format(total.memberCount), percent: formatPercent(total.approved, total.memberCount) })
      : t("stats.totalNoMembers", { units: n.format(total.units), pledged: n.format(total.pledged), approved: n.format(total.approved) });
  lines.push(
    "",
    line(totalHead, [
      t("stats.users", { count: n.format(total.subscribers) }),
      titleList(total.titles),
      total.collectiveUnits > 0 ? t("stats.collectiveUnits", { count: n.format(total.collectiveUnits) }) : null,
    ]),
  );
  if (total.memberCount > 0) {
    // The 100% target counts approved registrations.
    const gap = total.memberCount - total.approved;
    lines.push(gap > 0 ? t("stats.gap", { count: n.format(gap) }) : t("stats.goalReached"));
  }
  const legend = [...used]
    .filter((k) => titles.has(k) && titles.get(k)!.short !== titles.get(k)!.name)
    .sort((a, b) => titles.get(a)!.order - titles.get(b)!.order)
    .map((k) => `${titles.get(k)!.short} = ${titles.get(k)!.name}`);
  if (legend.length > 0) lines.push(t("stats.legend", { list: legend.join("; ") }));
  return lines.join("\n");
}

export function statsHandler(deps: { campaigns: CampaignRepository; pledgeReports: PledgeReportRepository; timezone: string }): CommandHandler {
  return async (turn) => {
    const picks = await currentCampaigns(deps.campaigns, turn.now, deps.timezone);
    if (picks.length === 0) return turn.reply({ text: turn.t("campaign.none") });
    const scope = await officerScope(turn, deps.pledgeReports);
    if (!scope) return;
    const unitIds = scope.units.map((u) => u.id);
    // Several campaigns running at once: one message each.
    for (const campaign of picks) {
      const report = await deps.pledgeReports.coverage({ campaignId: campaign.id, unitIds });
      await turn.reply({ text: renderStats(report, { campaign: campaign.definition, scopeLabel: scope.label, locale: turn.locale, t: turn.t }) });
    }
  };
}
