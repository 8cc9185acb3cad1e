// Approval of registrations (duyệt đăng ký): the use-case shared by the chat command (/approve, ../handlers/approve.ts)
// and the officer console. An officer decides on a pending pledge of their scope (their grant's unit subtree); the
// decision, who made it and when go to the pledge history, and the member's notice goes to the outbox in the same
// transaction (PledgeRepository.review), so it is neither lost nor sent twice.
import type { Translate } from "../i18n.js";
import { translator } from "../i18n.js";
import type { Pledge, PledgeRepository, ReviewDecision, Subscriber, SubscriberRepository, Unit } from "../ports.js";

/** Why a decision was refused; each has its own message (approve.refused.<reason>). */
export type ReviewRefusal = "notFound" | "own" | "withdrawn" | "alreadyApproved" | "alreadyReturned";

export type ReviewResult = { ok: true; pledge: Pledge } | { ok: false; reason: ReviewRefusal; code: string };

/** The longest return reason (it is sent to the member in one message). */
export const RETURN_REASON_MAX = 300;

export interface ReviewDeps {
  pledges: PledgeRepository;
  subscribers: SubscriberRepository;
}

/** The member's notice, in the member's own language. */
export function reviewNotice(pledge: Pledge, decision: ReviewDecision, t: Translate): string {
  // The sentence goes on after the reason: its own final full stop would double the template's.
  return decision.kind === "approve" ? t("approve.notice.approved", { code: pledge.code }) : t("approve.notice.returned", { code: pledge.code, reason: decision.reason.replace(/[.。]+$/u, "") });
}

/**
 * The pledge named by `code`, if an officer with `scope` may decide on it now; otherwise why not. A pledge outside the
 * scope is "not found": its existence is not the officer's to learn.
 */
export async function reviewable(deps: ReviewDeps, officer: Pick<Subscriber, "id">, scope: readonly Pick<Unit, "id">[], code: string): Promise<ReviewResult> {
  const normalized = code.trim().toUpperCase();
  const pledge = normalized ? await deps.pledges.findByCode(normalized) : null;
  if (!pledge || pledge.unitId === null || !scope.some((u) => u.id === pledge.unitId)) return { ok: false, reason: "notFound", code: normalized };
  if (pledge.subscriberId === officer.id) return { ok: false, reason: "own", code: pledge.code };
  if (pledge.status === "withdrawn") return { ok: false, reason: "withdrawn", code: pledge.code };
  if (pledge.review === "approved") return { ok: false, reason: "alreadyApproved", code: pledge.code };
  if (pledge.review === "returned") return { ok: false, reason: "alreadyReturned", code: pledge.code };
  return { ok: true, pledge };
}

/** Decides on one pledge (checked with `reviewable` first); the member is told through the outbox. */
export async function decide(
  deps: ReviewDeps,
  input: { officer: Pick<Subscriber, "id">; scope: readonly Pick<Unit, "id">[]; code: string; decision: ReviewDecision; now: Date },
): Promise<ReviewResult> {
  const check = await reviewable(deps, input.officer, input.scope, input.code);
  if (!check.ok) return check;
  const member = await deps.subscribers.findById(check.pledge.subscriberId);
  const decided = await deps.pledges.review({
    id: check.pledge.id,
    decision: input.decision,
    bySubscriberId: input.officer.id,
    now: input.now,
    // A member who stopped or erased their data gets no message; the decision stands.
    notice: (pledge) =>
      member && member.status === "active"
        ? { subscriberId: member.id, channel: member.channel, chatId: member.chatId, text: reviewNotice(pledge, input.decision, translator(member.locale)), notBefore: input.now, expiresAt: null }
        : null,
  });
  if (decided) return { ok: true, pledge: decided };
  // Someone else decided (or the member edited or withdrew) between the check and the update: say what it is now.
  const again = await reviewable(deps, input.officer, input.scope, input.code);
  return again.ok ? { ok: false, reason: "alreadyApproved", code: again.pledge.code } : again;
}
