// The two questions of /approve (/duyet) that need an answer: the reason a registration is returned (typed, sent to
// the member), and the confirmation of "approve all". The lists and single approvals are stateless commands
// (../handlers/approve.ts), so a button pressed twice is answered "already approved" instead of acting twice.
import { z } from "zod";
import { defineFlow, type DefinedFlow } from "../flow/define-flow.js";
import { end } from "../flow/step.js";
import { freeText } from "../flow/steps/free-text.js";
import { yesNo } from "../flow/steps/single-choice.js";
import { officerScope } from "../handlers/officer-tools.js";
import { decide, RETURN_REASON_MAX, type ReviewDeps, type ReviewResult } from "../cycle/review.js";
import type { Translate } from "../i18n.js";
import type { PledgeReportRepository } from "../ports.js";

export const APPROVE_RETURN = "approve-return";
export const APPROVE_ALL = "approve-all";

const ReturnState = z.object({ code: z.string() });
/** The pending codes listed when "approve all" was pressed: only those, never one that arrived since. */
const AllState = z.object({ codes: z.array(z.string()) });

export interface ApproveFlowDeps extends ReviewDeps {
  pledgeReports: PledgeReportRepository;
}

/** The message for a refused decision. */
export const refusalText = (t: Translate, result: Extract<ReviewResult, { ok: false }>) => t(`approve.refused.${result.reason}`, { code: result.code });

export function approveReturnFlow(deps: ApproveFlowDeps): DefinedFlow<z.infer<typeof ReturnState>> {
  return defineFlow({
    name: APPROVE_RETURN,
    state: ReturnState,
    version: 1,
    restartCommand: "/duyet",
    steps: [
      freeText({
        id: "reason",
        limits: { min: 3, max: RETURN_REASON_MAX },
        multiline: true,
        question: (ctx, limits) => ctx.t("approve.askReason", { code: ctx.state.code, max: limits.max }),
        async set(ctx, reason) {
          const scope = await officerScope(ctx.turn, deps.pledgeReports);
          if (!scope) return end();
          const result = await decide(deps, { officer: ctx.turn.subscriber!, scope: scope.units, code: ctx.state.code, decision: { kind: "return", reason: reason! }, now: ctx.turn.now });
          return end(result.ok ? ctx.t("approve.returned", { code: result.pledge.code, name: result.pledge.fullName }) : refusalText(ctx.t, result));
        },
      }),
    ],
  });
}

export function approveAllFlow(deps: ApproveFlowDeps): DefinedFlow<z.infer<typeof AllState>> {
  return defineFlow({
    name: APPROVE_ALL,
    state: AllState,
    version: 1,
    restartCommand: "/duyet",
    steps: [
      yesNo({
        id: "confirm",
        question: (ctx) => ctx.t("approve.all.confirm", { count: ctx.state.codes.length }),
        async choose(ctx, yes) {
          if (!yes) return end(ctx.t("approve.all.cancelled"));
          const scope = await officerScope(ctx.turn, deps.pledgeReports);
          if (!scope) return end();
          let approved = 0;
          let skipped = 0;
          for (const code of ctx.state.codes) {
            const result = await decide(deps, { officer: ctx.turn.subscriber!, scope: scope.units, code, decision: { kind: "approve" }, now: ctx.turn.now });
            if (result.ok) approved++;
            else skipped++;
          }
          return end(ctx.t(skipped > 0 ? "approve.all.doneSkipped" : "approve.all.done", { count: approved, skipped }));
        },
      }),
    ],
  });
}
