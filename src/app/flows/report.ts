// The phase report (sơ kết) of a grassroots union, /report (/baocao): the bot's own figures for the unit and phase,
// confirmed or corrected, then highlights, exemplary people and works (tấm gương điển hình), proposals for
// commendation, and a last confirmation; filed with submitReport (../cycle/filings.ts). Also the reason a list is
// returned with (/baocao tralai <unit>).
import { z } from "zod";
import { defineFlow, type DefinedFlow } from "../flow/define-flow.js";
import { end, goTo, invalid, next } from "../flow/step.js";
import { freeText } from "../flow/steps/free-text.js";
import { yesNo } from "../flow/steps/single-choice.js";
import { decideList, FIGURE_KEYS, submitReport, type FilingDeps, type PhaseFigures } from "../cycle/filings.js";
import { officerScope } from "../handlers/officer-tools.js";
import type { Translate } from "../i18n.js";
import type { CampaignRepository } from "../ports.js";

export const REPORT = "report";
export const LIST_RETURN = "list-return";
export const REPORT_TEXT_MAX = 1500;

const Figures = z.object(Object.fromEntries(FIGURE_KEYS.map((k) => [k, z.number().int().nonnegative()])) as Record<(typeof FIGURE_KEYS)[number], z.ZodNumber>);
const ReportState = z.object({
  campaignId: z.number().int(),
  phaseNumber: z.number().int(),
  phaseName: z.string(),
  unitId: z.number().int(),
  unitName: z.string(),
  figures: Figures,
  corrected: z.boolean(),
  correcting: z.boolean(),
  highlights: z.string().optional(),
  exemplary: z.string().nullable().optional(),
  proposals: z.string().nullable().optional(),
});
export type ReportState = z.infer<typeof ReportState>;

export function renderFigures(t: Translate, f: PhaseFigures): string {
  return t("report.figures", { ...f });
}

/** "86, 80, 78, 40, 3, 2, 4, 1" → figures in FIGURE_KEYS order, or the problem's message key. */
export function parseFigures(text: string): PhaseFigures | { problem: "count" | "order" } {
  const parts = text.split(/[,;\s]+/).filter(Boolean);
  if (parts.length !== FIGURE_KEYS.length || !parts.every((p) => /^\d{1,7}$/.test(p))) return { problem: "count" };
  const f = Object.fromEntries(FIGURE_KEYS.map((k, i) => [k, Number(parts[i])])) as unknown as PhaseFigures;
  if (f.approved > f.registered || f.achieved > f.approved || f.worksDone > f.worksRegistered || f.initiativesDone > f.initiativesRegistered) return { problem: "order" };
  return f;
}

export function reportFlow(deps: FilingDeps & { campaigns: CampaignRepository }): DefinedFlow<ReportState> {
  const optional = (id: "exemplary" | "proposals") =>
    freeText<ReportState>({
      id,
      limits: { max: REPORT_TEXT_MAX },
      multiline: true,
      question: (ctx, limits) => ctx.t(`report.ask.${id}`, { max: limits.max }),
      skipLabel: (ctx) => ctx.t("report.none"),
      set(ctx, value) {
        ctx.state[id] = value;
      },
    });
  return defineFlow({
    name: REPORT,
    state: ReportState,
    version: 1,
    restartCommand: "/baocao",
    steps: [
      yesNo({
        id: "figures",
        question: (ctx) => ctx.t("report.ask.figures", { unit: ctx.state.unitName, phase: ctx.state.phaseName, figures: renderFigures(ctx.t, ctx.state.figures) }),
        choose(ctx, yes) {
          ctx.state.correcting = !yes;
          return next;
        },
      }),
      freeText({
        id: "correct",
        applies: (ctx) => ctx.state.correcting,
        limits: { max: 200 },
        question: (ctx) => ctx.t("report.ask.correct"),
        set(ctx, value) {
          const parsed = parseFigures(value!);
          if ("problem" in parsed) return invalid(ctx.t(`report.correct.${parsed.problem}`));
          ctx.state.figures = parsed;
          ctx.state.corrected = true;
          ctx.state.correcting = false;
          return goTo("figures");
        },
      }),
      freeText({
        id: "highlights",
        limits: { min: 5, max: REPORT_TEXT_MAX },
        multiline: true,
        question: (ctx, limits) => ctx.t("report.ask.highlights", { max: limits.max }),
        set(ctx, value) {
          ctx.state.highlights = value!;
        },
      }),
      optional("exemplary"),
      optional("proposals"),
      yesNo({
        id: "send",
        question: (ctx) => ctx.t("report.ask.send", { unit: ctx.state.unitName, phase: ctx.state.phaseName }),
        async choose(ctx, yes) {
          const s = ctx.state;
          if (!yes) return end(ctx.t("report.notSent"));
          const scope = await officerScope(ctx.turn, deps.pledgeReports);
          if (!scope) return end();
          const unit = scope.units[0]!;
          if (unit.id !== s.unitId) return end(ctx.t("report.scopeChanged"));
          const result = await submitReport(deps, {
            officer: ctx.turn.subscriber!,
            campaignId: s.campaignId,
            phaseNumber: s.phaseNumber,
            unit,
            content: { figures: s.figures, corrected: s.corrected, highlights: s.highlights!, exemplary: s.exemplary ?? null, proposals: s.proposals ?? null },
            now: ctx.turn.now,
          });
          return end(result.ok ? ctx.t("report.sent", { unit: s.unitName, phase: s.phaseName }) : ctx.t("report.alreadySent", { phase: s.phaseName }));
        },
      }),
    ],
  });
}

const ListReturnState = z.object({ campaignId: z.number().int(), unitCode: z.string() });

export function listReturnFlow(deps: FilingDeps & { campaigns: CampaignRepository }): DefinedFlow<z.infer<typeof ListReturnState>> {
  return defineFlow({
    name: LIST_RETURN,
    state: ListReturnState,
    version: 1,
    restartCommand: "/baocao",
    steps: [
      freeText({
        id: "reason",
        limits: { min: 3, max: 300 },
        multiline: true,
        question: (ctx, limits) => ctx.t("filing.askReason", { unit: ctx.state.unitCode, max: limits.max }),
        async set(ctx, reason) {
          const scope = await officerScope(ctx.turn, deps.pledgeReports);
          if (!scope) return end();
          const campaign = (await deps.campaigns.listAll()).find((c) => c.id === ctx.state.campaignId);
          if (!campaign) return end(ctx.t("campaign.none"));
          const result = await decideList(deps, { officer: ctx.turn.subscriber!, scope: scope.units, campaign, unitCode: ctx.state.unitCode, decision: { kind: "return", reason: reason! }, now: ctx.turn.now });
          return end(result.ok ? ctx.t("filing.returned", { unit: result.unit.name }) : ctx.t(`filing.refused.${result.reason}`, { unit: result.code }));
        },
      }),
    ],
  });
}
