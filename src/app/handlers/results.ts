// /results (/ketqua) [code]: a member's approved pledges to report on (one: its questions at once), or the questions for
// the pledge named; a pledge not approved, withdrawn or someone else's is refused with its own message.
import type { CommandHandler } from "../conversation.js";
import { resultQuestions, type resultsFlow } from "../flows/results.js";
import type { CampaignRepository, Choice, Pledge, PledgeRepository } from "../ports.js";
import type { Turn } from "../conversation.js";
import { titleName } from "../pledge-text.js";

export const resultsCommand = (code: string) => `/ketqua ${code}`;
/** Pledges offered as choices at most (the list and the end-of-phase push). */
export const RESULTS_CHOICES_MAX = 10;

export function resultsHandler(deps: { campaigns: CampaignRepository; pledges: PledgeRepository; flow: ReturnType<typeof resultsFlow> }): CommandHandler {
  async function titlesOf(turn: Turn, p: Pledge): Promise<string> {
    const def = (await deps.campaigns.listAll()).find((c) => c.id === p.campaignId)?.definition;
    const titles = p.items.filter((i) => i.type === "title").map((i) => (def && i.key ? titleName(def, i.key, turn.locale) : i.name));
    return titles.join(", ") || p.commitment.slice(0, 80);
  }

  async function begin(turn: Turn, p: Pledge): Promise<void> {
    await deps.flow.start(turn, { pledgeId: p.id, code: p.code, questions: resultQuestions(p, await titlesOf(turn, p)), index: 0, answers: [] });
  }

  return async (turn) => {
    const { t, reply, subscriber } = turn;
    const code = turn.args.split(/\s+/).filter(Boolean)[0]?.toUpperCase();
    if (code) {
      const p = await deps.pledges.findByCode(code);
      if (!p || p.subscriberId !== subscriber?.id) return reply({ text: t("mypledges.notFound", { code }) });
      if (p.status === "withdrawn") return reply({ text: t("mypledges.alreadyWithdrawn", { code: p.code }) });
      if (p.review !== "approved") return reply({ text: t("results.notApproved", { code: p.code }) });
      return begin(turn, p);
    }
    const mine = subscriber ? (await deps.pledges.listBySubscriber(subscriber.id)).filter((p) => p.status === "active" && p.review === "approved") : [];
    if (mine.length === 0) return reply({ text: t("results.none") });
    if (mine.length === 1) return begin(turn, mine[0]!);
    const choices: Choice[] = mine.slice(0, RESULTS_CHOICES_MAX).map((p) => ({ label: t("results.pick", { code: p.code }), value: resultsCommand(p.code) }));
    const results = await deps.pledges.results(mine.map((p) => p.id));
    const lines = [t("results.choose")];
    for (const p of mine.slice(0, RESULTS_CHOICES_MAX)) {
      const overall = results.find((r) => r.pledgeId === p.id && r.item === "pledge");
      lines.push(`• ${p.code} — ${await titlesOf(turn, p)} — ${overall ? t(`results.outcome.${overall.outcome}`) : t("results.notYet")}`);
    }
    await reply({ text: lines.join("\n"), choices });
  };
}
