// /approve (/duyet): the officer's pending registrations, oldest first, limited to their scope (their grant's unit
// subtree) and to the campaigns running today. Every button is a command, so it works as a typed number on Zalo and a second press is answered, not
// repeated:
//   /duyet                  the list (APPROVE_PAGE at a time) with Duyệt / Trả lại per registration and "Duyệt tất cả (N)"
//   /duyet ok <code>        approve one            /duyet tralai <code>   return one (the reason is asked: ../flows/approve.ts)
//   /duyet tatca            approve all pending, after a yes/no confirmation
import { decide } from "../cycle/review.js";
import type { CommandHandler, Turn } from "../conversation.js";
import { foldText } from "../flow/choice-match.js";
import { refusalText, type approveAllFlow, type approveReturnFlow, type ApproveFlowDeps } from "../flows/approve.js";
import { reviewable } from "../cycle/review.js";
import type { CampaignRepository, Choice, PledgeRepository } from "../ports.js";
import { titleName } from "../pledge-text.js";
import { currentCampaigns, officerScope, unitLabel } from "./officer-tools.js";

/** Registrations shown per /duyet list (each with two buttons). */
export const APPROVE_PAGE = 5;

const APPROVE_WORDS = new Set(["ok", "duyet", "approve"]);
const RETURN_WORDS = new Set(["tralai", "return"]);
const ALL_WORDS = new Set(["tatca", "all"]);

export interface ApproveHandlerDeps extends ApproveFlowDeps {
  campaigns: CampaignRepository;
  pledges: PledgeRepository;
  timezone: string;
  returnFlow: ReturnType<typeof approveReturnFlow>;
  allFlow: ReturnType<typeof approveAllFlow>;
}

export const approveCommand = (code: string) => `/duyet ok ${code}`;
export const returnCommand = (code: string) => `/duyet tralai ${code}`;
export const APPROVE_ALL_COMMAND = "/duyet tatca";

export function approveHandler(deps: ApproveHandlerDeps): CommandHandler {
  async function list(turn: Turn, prefix?: string): Promise<void> {
    const { t } = turn;
    const scope = await officerScope(turn, deps.pledgeReports);
    if (!scope) return;
    const campaignIds = (await currentCampaigns(deps.campaigns, turn.now, deps.timezone)).map((c) => c.id);
    // The officer's own registrations are left out: another officer of the unit or the level above reviews them.
    const { pledges, total } = await deps.pledges.listPending({ campaignIds, unitIds: scope.units.map((u) => u.id), limit: APPROVE_PAGE, excludeSubscriberId: turn.subscriber!.id });
    const head = prefix ? [prefix, ""] : [];
    if (total === 0) return turn.reply({ text: [...head, t("approve.none", { scope: scope.label })].join("\n") });
    const campaigns = new Map((await deps.campaigns.listAll()).map((c) => [c.id, c.definition]));
    const lines = [...head, t("approve.title", { count: total, scope: scope.label })];
    const choices: Choice[] = [];
    pledges.forEach((p, i) => {
      const def = campaigns.get(p.campaignId);
      const titles = p.titles.map((key) => (def ? titleName(def, key, turn.locale) : key)).join(", ") || t("pledge.none");
      lines.push(
        t(p.kind === "collective" ? "approve.itemCollective" : "approve.item", {
          n: i + 1,
          code: p.code,
          name: p.fullName,
          unit: unitLabel({ name: p.unitName, code: p.unitCode }),
          phase: p.phaseNumber,
          titles,
        }),
      );
      choices.push({ label: t("approve.button.approve", { code: p.code }), value: approveCommand(p.code) });
      choices.push({ label: t("approve.button.return", { code: p.code }), value: returnCommand(p.code) });
    });
    if (total > pledges.length) lines.push(t("approve.more", { count: total - pledges.length }));
    choices.push({ label: t("approve.button.all", { count: total }), value: APPROVE_ALL_COMMAND });
    await turn.reply({ text: lines.join("\n"), choices });
  }

  return async (turn) => {
    const { t, reply, subscriber } = turn;
    if (subscriber?.role !== "officer") return reply({ text: t("officer.only", { command: "/duyet" }) });
    const [word, code, ...rest] = turn.args.split(/\s+/).filter(Boolean);
    if (!word) return list(turn);
    const folded = foldText(word);
    if (ALL_WORDS.has(folded) && !code) {
      const scope = await officerScope(turn, deps.pledgeReports);
      if (!scope) return;
      const unitIds = scope.units.map((u) => u.id);
      const campaignIds = (await currentCampaigns(deps.campaigns, turn.now, deps.timezone)).map((c) => c.id);
      // The officer's own registration is never theirs to approve.
      const { pledges } = await deps.pledges.listPending({ campaignIds, unitIds, limit: 10_000, excludeSubscriberId: subscriber.id });
      const codes = pledges.map((p) => p.code);
      if (codes.length === 0) return reply({ text: t("approve.none", { scope: scope.label }) });
      return deps.allFlow.start(turn, { codes });
    }
    if ((APPROVE_WORDS.has(folded) || RETURN_WORDS.has(folded)) && code && rest.length === 0) {
      const scope = await officerScope(turn, deps.pledgeReports);
      if (!scope) return;
      if (RETURN_WORDS.has(folded)) {
        const check = await reviewable(deps, subscriber, scope.units, code);
        if (!check.ok) return reply({ text: refusalText(t, check) });
        return deps.returnFlow.start(turn, { code: check.pledge.code });
      }
      const result = await decide(deps, { officer: subscriber, scope: scope.units, code, decision: { kind: "approve" }, now: turn.now });
      if (!result.ok) return reply({ text: refusalText(t, result) });
      return list(turn, t("approve.approved", { code: result.pledge.code, name: result.pledge.fullName }));
    }
    await reply({ text: t("approve.usage") });
  };
}
