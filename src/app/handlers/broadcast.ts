// /broadcast (/thongbao): officers' announcements. Without arguments it starts the conversation (../flows/broadcast.ts);
// `gui <id>` (the preview's Send button) confirms the officer's own draft exactly once and enqueues it; `trangthai`
// shows the delivery progress of the officer's latest announcements.
import { enqueueBroadcast, excerpt, type BroadcastDispatchDeps } from "../broadcast-dispatch.js";
import { endFlow, type CommandHandler, type Turn } from "../conversation.js";
import { localDate, localTime, formatDateVi } from "../../domain/clock.js";
import { audienceLabel, broadcastScope, type BroadcastFlow } from "../flows/broadcast.js";
import { foldText } from "../flow/choice-match.js";
import type { BroadcastRecord, UnitRepository } from "../ports.js";

const SEND_WORDS = new Set(["gui", "send"]);
const STATUS_WORDS = new Set(["trangthai", "trang thai", "status"]);
/** Announcements listed by `trangthai`. */
export const BROADCAST_STATUS_LIMIT = 5;

export interface BroadcastHandlerDeps extends BroadcastDispatchDeps {
  units: UnitRepository;
  timezone: string;
  flow: BroadcastFlow;
}

export function broadcastHandler(deps: BroadcastHandlerDeps): CommandHandler {
  const { broadcasts, outbox, flow } = deps;

  async function send(turn: Turn, idText: string | undefined): Promise<void> {
    const { t, reply, subscriber, session } = turn;
    const id = idText && /^\d{1,9}$/.test(idText) ? Number(idText) : null;
    const found = id === null ? null : await broadcasts.find(id);
    // Someone else's announcement is treated as unknown: its existence is not theirs to learn.
    if (!found || !subscriber || found.senderId !== subscriber.id) return reply({ text: t("broadcast.notFound", { id: idText ?? "" }) });
    if (found.status === "cancelled") return reply({ text: t("broadcast.stale", { id: found.id }) });
    if (found.status !== "draft") return reply({ text: t("broadcast.alreadySent", { id: found.id, count: found.recipients }) });
    // Only the draft shown in the current preview can be sent: not one that was cancelled, edited or left to expire.
    const s = flow.stateOf(session);
    if (!s || session.step !== "preview" || s.broadcastId !== found.id) {
      return reply({ text: t("broadcast.stale", { id: found.id }) });
    }
    const scope = await broadcastScope(turn, deps.pledgeReports);
    if (!scope) return;
    // The draft was addressed within the scope the conversation began with; the grant may have changed since (revoked,
    // another unit granted): only what lies inside the live grant's scope is sent.
    if (found.unitId === null || !scope.units.some((u) => u.id === found.unitId)) {
      await broadcasts.cancel(found.id);
      endFlow(session);
      return reply({ text: t("broadcast.stale", { id: found.id }) });
    }
    if (!(await broadcasts.confirm(found.id, turn.now))) return reply({ text: t("broadcast.alreadySent", { id: found.id, count: found.recipients }) });
    endFlow(session);
    const confirmed: BroadcastRecord = { ...found, status: "confirmed", confirmedAt: turn.now };
    // If this fails midway, the broadcast stays confirmed and resumeBroadcasts finishes the enqueue.
    const { audience } = await enqueueBroadcast(deps, confirmed, turn.now);
    await reply({ text: t("broadcast.confirmed", { id: found.id, count: audience }) });
  }

  async function status(turn: Turn): Promise<void> {
    const { t, reply, subscriber } = turn;
    if (!(await broadcastScope(turn, deps.pledgeReports))) return;
    const mine = (await broadcasts.listBySender(subscriber!.id, BROADCAST_STATUS_LIMIT * 10)).filter((b) => b.status === "confirmed" || b.status === "done").slice(0, BROADCAST_STATUS_LIMIT);
    if (mine.length === 0) return reply({ text: t("broadcast.status.none") });
    const blocks = [t("broadcast.status.title")];
    for (const b of mine) {
      const counts = await outbox.countByStatus({ broadcastId: b.id });
      const rows = Object.values(counts).reduce((a, n) => a + n, 0);
      const at = b.confirmedAt ?? b.createdAt;
      const lines = [
        t("broadcast.status.line", {
          id: b.id,
          date: `${formatDateVi(localDate(at, deps.timezone))} ${localTime(at, deps.timezone)}`,
          audience: await audienceLabel(turn, deps.units, deps.pledgeReports, b),
          excerpt: excerpt(b.text, 40),
        }),
        // Finished as soon as every row is final and all recipients have a row: not only once the report job ran.
        t(b.status === "done" || (counts.pending + counts.sending === 0 && rows >= b.recipients) ? "broadcast.status.done" : "broadcast.status.sending", {
          total: rows,
          sent: counts.sent,
          pending: counts.pending + counts.sending,
          failed: counts.failed,
          blocked: counts.blocked,
        }),
      ];
      if (counts.skipped > 0) lines.push(t("broadcast.status.skipped", { count: counts.skipped }));
      blocks.push(lines.join("\n"));
    }
    await reply({ text: blocks.join("\n\n") });
  }

  return async (turn) => {
    const { t, reply, subscriber } = turn;
    // The conversation core refuses members already; this guard keeps the handler safe on its own.
    if (subscriber?.role !== "officer") return reply({ text: t("officer.only", { command: "/thongbao" }) });
    const [word, ...rest] = turn.args.split(/\s+/).filter(Boolean);
    if (!word) return flow.begin(turn);
    const folded = foldText(word);
    if (SEND_WORDS.has(folded)) return send(turn, rest[0]);
    if (STATUS_WORDS.has(folded) || STATUS_WORDS.has(foldText(turn.args))) return status(turn);
    await reply({ text: t("broadcast.usage") });
  };
}
