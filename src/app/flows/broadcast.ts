// The announcement conversation (/broadcast, /thongbao) for officers: text → audience (everyone in the officer's
// subtree / its officers / one unit of it) → preview of the message exactly as recipients read it, with the number of
// recipients → Send / Edit the text / Cancel. The preview stores a draft; Send is a command (`/thongbao gui <id>`,
// handled in ../handlers/broadcast.ts) so that pressing it again after sending is answered "already sent".
import { audienceFilter, BROADCAST_MAX_TEXT, renderBroadcast } from "../broadcast-dispatch.js";
import { z } from "zod";
import { clip } from "../../domain/user-text.js";
import { endFlow, type Flow, type Turn } from "../conversation.js";
import { defineFlow } from "../flow/define-flow.js";
import { end, goTo, type Step, type StepContext } from "../flow/step.js";
import { freeText } from "../flow/steps/free-text.js";
import { singleChoice } from "../flow/steps/single-choice.js";
import { unitSearch } from "../flow/steps/unit-search.js";
import { officerScope, unitLabel, type OfficerScope } from "../handlers/officer-tools.js";
import type { BroadcastRecord, BroadcastRepository, ChatSession, PledgeReportRepository, RecipientRepository, UnitRepository } from "../ports.js";

export const BROADCAST = "broadcast";

const EDIT = "#edit";
const OTHER_AUDIENCE = "#other-audience";
const CANCEL = "#cancel";

/** What the conversation has collected; `broadcastId` is the draft shown in the preview, the only one Send confirms. */
const BroadcastStateSchema = z.object({
  scopeUnitId: z.number().int(),
  text: z.string().optional(),
  audience: z.enum(["subtree", "officers", "unit"]).optional(),
  /** The chosen unit (audience "unit"). */
  unitId: z.number().int().optional(),
  broadcastId: z.number().int().optional(),
});
export type BroadcastState = z.infer<typeof BroadcastStateSchema>;

export interface BroadcastFlowDeps {
  broadcasts: BroadcastRepository;
  recipients: RecipientRepository;
  pledgeReports: PledgeReportRepository;
  units: UnitRepository;
}

export type BroadcastFlow = Flow & {
  /** /broadcast: starts a new announcement. */
  begin(turn: Turn): Promise<void>;
  /** The announcement being composed in `session`, if any (the Send command checks its draft). */
  stateOf(session: ChatSession): BroadcastState | null;
};

/** The Send button: a command, so it still works (and says "already sent") after the conversation ended. */
export const sendCommand = (id: number) => `/thongbao gui ${id}`;

/** The officer's scope for announcements: only a unit granted by an officer invitation counts. */
export const broadcastScope = (turn: Turn, reports: PledgeReportRepository) => officerScope(turn, reports, { noUnitKey: "broadcast.noGrant" });

/** "everyone in X and 2 units under it" / "officers in …" / "the unit Y", in the reader's language. */
export async function audienceLabel(turn: Pick<Turn, "t">, units: UnitRepository, reports: PledgeReportRepository, b: Pick<BroadcastRecord, "audience" | "unitId">): Promise<string> {
  const unit = b.unitId === null ? null : await units.findById(b.unitId);
  const name = unit ? unitLabel(unit) : "?";
  if (b.audience === "unit") return turn.t("broadcast.to.unit", { unit: name });
  const subtree = b.unitId === null ? [] : await reports.unitSubtree(b.unitId);
  const scope = subtree.length > 1 ? turn.t("scope.withChildren", { unit: name, count: subtree.length - 1 }) : name;
  return turn.t(b.audience === "officers" ? "broadcast.to.officers" : "broadcast.to.subtree", { scope });
}

export function broadcastFlow(deps: BroadcastFlowDeps): BroadcastFlow {
  type Ctx = StepContext<BroadcastState>;

  /** The scope stored when the conversation began; null (and the flow ends, saying why) when that unit is gone. */
  async function scopeOf(ctx: Ctx): Promise<OfficerScope | null> {
    const units = await deps.pledgeReports.unitSubtree(ctx.state.scopeUnitId);
    const root = units[0];
    if (!root) {
      endFlow(ctx.turn.session);
      await ctx.turn.reply({ text: ctx.t("officer.unitGone") });
      return null;
    }
    const label = units.length > 1 ? ctx.t("scope.withChildren", { unit: unitLabel(root), count: units.length - 1 }) : unitLabel(root);
    return { root, units, label };
  }

  /** The draft's audience: the chosen unit, or the scope's root for the whole subtree / its officers. */
  const target = (s: BroadcastState, scope: OfficerScope) => ({ audience: s.audience!, unitId: s.audience === "unit" ? s.unitId! : scope.root.id });

  /** Drops the draft shown: its Send button no longer works; the next preview stores a new one. */
  async function dropDraft(s: BroadcastState): Promise<void> {
    if (s.broadcastId !== undefined) await deps.broadcasts.cancel(s.broadcastId);
    delete s.broadcastId;
  }

  /**
   * The preview: the message as recipients will read it (in the officer's language here), the audience and how many
   * people it reaches. A new draft is stored when there is someone to send to; re-asking shows the same draft.
   */
  const preview: Step<BroadcastState> = {
    id: "preview",
    async ask(ctx) {
      const { t, state: s, turn } = ctx;
      const scope = await scopeOf(ctx);
      if (!scope) return;
      let draft = s.broadcastId !== undefined ? await deps.broadcasts.find(s.broadcastId) : null;
      if (!draft || draft.status !== "draft") {
        delete s.broadcastId;
        draft = null;
      }
      const wanted = target(s, scope);
      const label = await audienceLabel(turn, deps.units, deps.pledgeReports, wanted);
      if (!draft) {
        const count = await deps.recipients.count(audienceFilter(wanted, scope.units));
        if (count === 0) {
          return {
            text: t("broadcast.preview.none", { audience: label }),
            choices: [
              { label: t("broadcast.otherAudience"), value: OTHER_AUDIENCE },
              { label: t("broadcast.cancel"), value: CANCEL },
            ],
          };
        }
        draft = await deps.broadcasts.createDraft({ senderId: turn.subscriber!.id, ...wanted, text: s.text!, recipients: count, now: turn.now });
        s.broadcastId = draft.id;
      }
      return [
        { text: t("broadcast.preview.title") },
        { text: renderBroadcast(turn.locale, scope.root.name, draft.text) },
        {
          text: t("broadcast.preview.to", { audience: label, count: draft.recipients }),
          choices: [
            { label: t("broadcast.send"), value: sendCommand(draft.id) },
            { label: t("broadcast.editText"), value: EDIT },
            { label: t("broadcast.cancel"), value: CANCEL },
          ],
        },
      ];
    },
    async answer(ctx, text) {
      const s = ctx.state;
      if (text === CANCEL) {
        await dropDraft(s);
        return end(ctx.t("broadcast.cancelled"));
      }
      if (text === EDIT || text === OTHER_AUDIENCE) {
        await dropDraft(s);
        if (text === OTHER_AUDIENCE) delete s.audience;
        return goTo(text === EDIT ? "text" : "audience");
      }
      return { kind: "invalid", message: ctx.t("pledge.notAnOption", { value: clip(text, 50) }) };
    },
  };

  const flow = defineFlow<BroadcastState>({
    name: BROADCAST,
    version: 1,
    state: BroadcastStateSchema,
    // Version 0 stored the same state bare.
    migrate: (data, from) => (from === 0 ? data : null),
    restartCommand: "/thongbao",
    steps: [
      freeText({
        id: "text",
        question: (ctx, limits) => ctx.t("broadcast.ask.text", limits),
        limits: { max: BROADCAST_MAX_TEXT },
        multiline: true,
        problem: (ctx, problem, text) => ctx.t(`broadcast.text.${problem}`, { max: BROADCAST_MAX_TEXT, length: text.trim().length }),
        // Editing the text from the preview keeps the audience and shows a new preview.
        set: (ctx, value) => {
          ctx.state.text = value!;
          return goTo(ctx.state.audience ? "preview" : "audience");
        },
      }),
      singleChoice({
        id: "audience",
        question: (ctx) => ctx.t("broadcast.ask.audience"),
        async options(ctx) {
          const scope = await scopeOf(ctx);
          if (!scope) return [];
          return [
            { key: "subtree", label: ctx.t("broadcast.audience.subtree", { scope: scope.label }) },
            { key: "officers", label: ctx.t("broadcast.audience.officers", { scope: scope.label }) },
            { key: "unit", label: ctx.t("broadcast.audience.unit") },
          ];
        },
        choose(ctx, key) {
          if (key === "unit") return goTo("unit");
          ctx.state.audience = key as "subtree" | "officers";
          delete ctx.state.unitId;
          return goTo("preview");
        },
      }),
      unitSearch({
        id: "unit",
        units: deps.units,
        question: (ctx, scope) => ctx.t("broadcast.ask.unit", { scope: scope?.label ?? "" }),
        scope: async (ctx) => (await scopeOf(ctx)) ?? end(),
        escape: { value: "#back", label: (ctx) => ctx.t("broadcast.unit.back"), words: ["quay lai", "back"], choose: () => goTo("audience") },
        choose(ctx, unit) {
          Object.assign(ctx.state, { audience: "unit", unitId: unit.id });
          return goTo("preview");
        },
      }),
      preview,
    ],
  });

  return {
    name: BROADCAST,
    ask: flow.ask,
    answer: flow.answer,
    stateOf: flow.stateOf,
    async begin(turn) {
      const scope = await broadcastScope(turn, deps.pledgeReports);
      if (!scope) return;
      await turn.reply({ text: turn.t("broadcast.intro", { scope: scope.label }) });
      await flow.start(turn, { scopeUnitId: scope.root.id });
    },
  };
}
