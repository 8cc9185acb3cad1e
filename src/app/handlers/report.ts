// /report (/baocao): what a unit files to the level above, per phase, for the campaign running today.
//   A grassroots union's officer (a grant of a unit without children):
//     /baocao            the phase report (sơ kết), prefilled with the bot's figures (../flows/report.ts), while open
//     /baocao danhsach   sends the unit's registration list up (once nothing waits for approval)
//   An officer of a unit above:
//     /baocao            (or /baocao tinhhinh) the units below: list status (chưa gửi / chờ duyệt / trả lại / đã duyệt)
//                        and who has reported, with Nhận / Trả lại buttons for the lists waiting
//     /baocao nhan <unit>, /baocao tralai <unit>   accept or return a unit's list (the reason is asked)
import { formatDateVi, localDate } from "../../domain/clock.js";
import { listDue as listDueOf, listPhase, reportDue, reportOpens } from "../../domain/cycle.js";
import { decideList, filingStatuses, isLeaf, openReportPhase, phaseFigures, sendList, type FilingDeps } from "../cycle/filings.js";
import type { CommandHandler, Turn } from "../conversation.js";
import { foldText } from "../flow/choice-match.js";
import type { listReturnFlow, reportFlow } from "../flows/report.js";
import type { CampaignRepository, Choice, StoredCampaign } from "../ports.js";
import { currentCampaigns, officerScope, unitLabel, type OfficerScope } from "./officer-tools.js";

const LIST_WORDS = new Set(["danhsach", "list"]);
const STATUS_WORDS = new Set(["tinhhinh", "status"]);
const ACCEPT_WORDS = new Set(["nhan", "accept"]);
const RETURN_WORDS = new Set(["tralai", "return"]);
/** Units listed in the chat overview; the rest are counted. */
export const REPORT_STATUS_MAX_UNITS = 30;

export interface ReportHandlerDeps extends FilingDeps {
  campaigns: CampaignRepository;
  reportFlow: ReturnType<typeof reportFlow>;
  listReturnFlow: ReturnType<typeof listReturnFlow>;
}

export function reportHandler(deps: ReportHandlerDeps): CommandHandler {
  async function campaignOf(turn: Turn): Promise<StoredCampaign | null> {
    const [campaign] = await currentCampaigns(deps.campaigns, turn.now, deps.timezone);
    if (!campaign) await turn.reply({ text: turn.t("campaign.none") });
    return campaign ?? null;
  }

  async function startReport(turn: Turn, scope: OfficerScope, campaign: StoredCampaign): Promise<void> {
    const phase = openReportPhase(campaign, turn.now, deps.timezone);
    if (!phase) {
      const today = localDate(turn.now, deps.timezone);
      const nextPhase = campaign.definition.phases.find((p) => reportOpens(p) > today);
      return turn.reply({ text: nextPhase ? turn.t("report.notOpen", { phase: nextPhase.name, from: formatDateVi(reportOpens(nextPhase)), to: formatDateVi(reportDue(nextPhase)) }) : turn.t("report.closed") });
    }
    const unit = scope.root;
    const [existing] = await deps.unitFilings.list({ campaignId: campaign.id, phaseNumber: phase.number, kind: "report", unitIds: [unit.id] });
    if (existing && existing.status !== "returned") return turn.reply({ text: turn.t("report.alreadySent", { phase: phase.name }) });
    const figures = await phaseFigures(deps, { campaignId: campaign.id, phaseNumber: phase.number, unit });
    await deps.reportFlow.start(turn, { campaignId: campaign.id, phaseNumber: phase.number, phaseName: phase.name, unitId: unit.id, unitName: unit.name, figures, corrected: false, correcting: false });
  }

  async function overview(turn: Turn, scope: OfficerScope, campaign: StoredCampaign, prefix?: string): Promise<void> {
    const { t } = turn;
    const today = localDate(turn.now, deps.timezone);
    const lines = prefix ? [prefix, ""] : [];
    const choices: Choice[] = [];
    const lp = listPhase(campaign.definition, today);
    if (lp) {
      const rows = await filingStatuses(deps, { campaignId: campaign.id, phaseNumber: lp.number, kind: "list", scope: scope.units });
      lines.push(t("filing.lists.title", { phase: lp.name, scope: scope.label, due: formatDateVi(listDueOf(lp)) }));
      for (const row of rows.slice(0, REPORT_STATUS_MAX_UNITS)) {
        const approved = row.filing ? String(row.filing.data.approved ?? "?") : "";
        lines.push(t(`filing.lists.${row.status}`, { unit: unitLabel(row.unit), approved, reason: row.filing?.note ?? "" }));
        if (row.status === "submitted") {
          choices.push({ label: t("filing.button.accept", { unit: row.unit.code }), value: `/baocao nhan ${row.unit.code}` });
          choices.push({ label: t("filing.button.return", { unit: row.unit.code }), value: `/baocao tralai ${row.unit.code}` });
        }
      }
      if (rows.length > REPORT_STATUS_MAX_UNITS) lines.push(t("stats.more", { count: rows.length - REPORT_STATUS_MAX_UNITS }));
    }
    const rp = openReportPhase(campaign, turn.now, deps.timezone);
    if (rp) {
      const rows = await filingStatuses(deps, { campaignId: campaign.id, phaseNumber: rp.number, kind: "report", scope: scope.units });
      const done = rows.filter((r) => r.status !== "none");
      const late = rows.filter((r) => r.status === "none");
      if (lines.length > 0) lines.push("");
      lines.push(t("filing.reports.title", { phase: rp.name, due: formatDateVi(reportDue(rp)), done: done.length, total: rows.length }));
      if (late.length > 0) lines.push(t("filing.reports.missing", { units: late.slice(0, REPORT_STATUS_MAX_UNITS).map((r) => r.unit.code).join(", ") }));
    }
    if (!lp && !rp) lines.push(t("filing.nothingOpen"));
    await turn.reply({ text: lines.join("\n"), ...(choices.length ? { choices } : {}) });
  }

  return async (turn) => {
    const { t, reply, subscriber } = turn;
    if (subscriber?.role !== "officer") return reply({ text: t("officer.only", { command: "/baocao" }) });
    const [word, code, ...rest] = turn.args.split(/\s+/).filter(Boolean);
    const scope = await officerScope(turn, deps.pledgeReports);
    if (!scope) return;
    const campaign = await campaignOf(turn);
    if (!campaign) return;
    const folded = word ? foldText(word) : "";
    const leaf = isLeaf(scope.units);
    if (!word) return leaf ? startReport(turn, scope, campaign) : overview(turn, scope, campaign);
    if (STATUS_WORDS.has(folded) && !code) return overview(turn, scope, campaign);
    if (LIST_WORDS.has(folded) && !code) {
      const result = await sendList(deps, { officer: subscriber, scope: scope.units, campaign, now: turn.now });
      if (result.ok) return reply({ text: t("filing.listSent", { unit: scope.root.name, phase: result.phase.name, approved: String(result.filing.data.approved) }) });
      return reply({ text: t(`filing.send.${result.reason}`, { count: result.count ?? 0, phase: result.phase?.name ?? "" }) });
    }
    if ((ACCEPT_WORDS.has(folded) || RETURN_WORDS.has(folded)) && code && rest.length === 0) {
      if (leaf) return reply({ text: t("filing.refused.notFound", { unit: code }) });
      if (RETURN_WORDS.has(folded)) {
        // Checked first so a wrong code is answered at once, not after the reason is typed.
        const rows = await statusOf(scope, campaign, turn, code);
        if (typeof rows === "string") return reply({ text: rows });
        return deps.listReturnFlow.start(turn, { campaignId: campaign.id, unitCode: code.toUpperCase() });
      }
      const result = await decideList(deps, { officer: subscriber, scope: scope.units, campaign, unitCode: code, decision: { kind: "accept" }, now: turn.now });
      if (!result.ok) return reply({ text: t(`filing.refused.${result.reason}`, { unit: result.code }) });
      return overview(turn, scope, campaign, t("filing.accepted", { unit: result.unit.name }));
    }
    await reply({ text: t("report.usage") });
  };

  /** Null when the unit's list can be decided on; else the message why not. */
  async function statusOf(scope: OfficerScope, campaign: StoredCampaign, turn: Turn, code: string): Promise<string | null> {
    const lp = listPhase(campaign.definition, localDate(turn.now, deps.timezone));
    if (!lp) return turn.t("filing.refused.noPhase", { unit: code });
    const rows = await filingStatuses(deps, { campaignId: campaign.id, phaseNumber: lp.number, kind: "list", scope: scope.units });
    const row = rows.find((r) => r.unit.code.toUpperCase() === code.toUpperCase());
    if (!row) return turn.t("filing.refused.notFound", { unit: code.toUpperCase() });
    if (row.status === "none") return turn.t("filing.refused.notSent", { unit: row.unit.code });
    if (row.status !== "submitted") return turn.t(row.status === "accepted" ? "filing.refused.alreadyAccepted" : "filing.refused.alreadyReturned", { unit: row.unit.code });
    return null;
  }
}

