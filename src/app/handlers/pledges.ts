// /pledge starts the guided registration; /mypledges lists one's pledges, with edit and withdraw while the
// phase is open (a closed phase is read-only and says so).
import { formatDateVi } from "../../domain/clock.js";
import { pledgeEditable } from "../../domain/pledge-rules.js";
import type { CommandHandler, Turn } from "../conversation.js";
import type { PledgeFlow } from "../flows/pledge.js";
import type { CampaignRepository, Choice, Pledge, PledgeRepository } from "../ports.js";
import { phaseLabel, titleName } from "../pledge-text.js";

const EDIT_WORDS = new Set(["sua", "sửa", "edit"]);
const WITHDRAW_WORDS = new Set(["rut", "rút", "withdraw"]);
const CONFIRM_WORDS = new Set(["xacnhan", "xácnhận", "confirm"]);
const MAX_LISTED = 10;

export function pledgeHandlers(deps: { campaigns: CampaignRepository; pledges: PledgeRepository; timezone: string; flow: PledgeFlow }) {
  const { campaigns, pledges, timezone, flow } = deps;

  const pledge: CommandHandler = (turn) => flow.begin(turn);

  async function definitionOf(p: Pledge) {
    return (await campaigns.listAll()).find((c) => c.id === p.campaignId)?.definition;
  }

  /** The pledge named by `code` if it is the person's own; otherwise says why not and returns null. */
  async function ownPledge(turn: Turn, code: string | undefined): Promise<Pledge | null> {
    const found = code ? await pledges.findByCode(code.toUpperCase()) : null;
    if (!found || found.subscriberId !== turn.subscriber?.id) {
      await turn.reply({ text: turn.t("mypledges.notFound", { code: code ?? "" }) });
      return null;
    }
    return found;
  }

  /** Whether `p` may still change; says why not when it may not. */
  async function changeable(turn: Turn, p: Pledge): Promise<boolean> {
    const def = await definitionOf(p);
    if (p.status === "withdrawn") {
      await turn.reply({ text: turn.t("mypledges.alreadyWithdrawn", { code: p.code }) });
      return false;
    }
    if (!def || !pledgeEditable(def, p.phaseNumber, turn.now, timezone)) {
      const phase = def?.phases.find((x) => x.number === p.phaseNumber);
      await turn.reply({ text: turn.t("mypledges.closed", { code: p.code, phase: phase?.name ?? String(p.phaseNumber), end: phase ? formatDateVi(phase.end) : "" }) });
      return false;
    }
    return true;
  }

  const mypledges: CommandHandler = async (turn) => {
    const { t, reply, subscriber, args } = turn;
    const [word, code, confirmation] = args.split(/\s+/).filter(Boolean).map((w) => w.toLowerCase());
    if (word && EDIT_WORDS.has(word)) {
      const p = await ownPledge(turn, code);
      if (p && (await changeable(turn, p))) await flow.beginEdit(turn, p);
      return;
    }
    if (word && WITHDRAW_WORDS.has(word)) {
      const p = await ownPledge(turn, code);
      if (!p || !(await changeable(turn, p))) return;
      if (!confirmation || !CONFIRM_WORDS.has(confirmation)) {
        return reply({
          text: t("mypledges.confirmWithdraw", { code: p.code }),
          choices: [
            { label: t("mypledges.withdrawYes"), value: `/mypledges withdraw ${p.code} confirm` },
            { label: t("mypledges.withdrawNo"), value: "/mypledges" },
          ],
        });
      }
      await pledges.withdraw(p.id, subscriber!.id, turn.now);
      return reply({ text: t("mypledges.withdrawn", { code: p.code }) });
    }
    if (word) return reply({ text: t("mypledges.usage") });

    const mine = subscriber ? await pledges.listBySubscriber(subscriber.id) : [];
    if (mine.length === 0) return reply({ text: t("mypledges.none") });
    const lines = [t("mypledges.title", { count: mine.length })];
    const choices: Choice[] = [];
    for (const p of mine.slice(0, MAX_LISTED)) {
      const def = await definitionOf(p);
      if (!def) continue;
      const titles = p.items.filter((i) => i.type === "title").map((i) => titleName(def, i.key ?? i.name, turn.locale));
      const others = p.items.filter((i) => i.type !== "title").map((i) => i.name);
      const open = p.status === "active" && pledgeEditable(def, p.phaseNumber, turn.now, timezone);
      lines.push(
        t("mypledges.item", {
          code: p.code,
          campaign: `${def.owner.short_name} ${def.year}`,
          phase: phaseLabel(def, p.phaseNumber, turn.locale),
          status:
            t(p.status === "withdrawn" ? "mypledges.status.withdrawn" : open ? "mypledges.status.open" : "mypledges.status.closed") +
            (p.status === "active" ? ` · ${t(`review.${p.review}`, { reason: p.reviewNote ?? "" })}` : ""),
          items: [...titles, ...others].join("; ") || t("pledge.none"),
        }),
      );
      if (open) {
        choices.push({ label: t("mypledges.edit", { code: p.code }), value: `/mypledges edit ${p.code}` });
        choices.push({ label: t("mypledges.withdraw", { code: p.code }), value: `/mypledges withdraw ${p.code}` });
      }
    }
    if (mine.length > MAX_LISTED) lines.push(t("mypledges.more", { count: mine.length - MAX_LISTED }));
    await reply({ text: lines.join("\n"), ...(choices.length ? { choices } : {}) });
  };

  return { pledge, mypledges };
}
