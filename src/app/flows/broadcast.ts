// The announcement conversation (/broadcast, /thongbao) for officers: text → audience (everyone in the officer's
// subtree / its officers / one unit of it) → preview of the message exactly as recipients read it, with the number of
// recipients → Send / Edit the text / Cancel. The preview stores a draft; Send is a command (`/thongbao gui <id>`,
// handled in ../handlers/broadcast.ts) so that pressing it again after sending is answered "already sent".
import { audienceFilter, BROADCAST_MAX_TEXT, renderBroadcast } from "../broadcast-dispatch.js";
import { checkText } from "../../domain/pledge-rules.js";
import { clip } from "../../domain/user-text.js";
import { endFlow, startFlow, type Flow, type Turn } from "../conversation.js";
import { officerScope, unitLabel, type OfficerScope } from "../handlers/officer-tools.js";
import type { BroadcastAudience, BroadcastRecord, BroadcastRepository, Choice, PledgeReportRepository, RecipientRepository, UnitRepository } from "../ports.js";
import { scopedUnitStep } from "./broadcast-unit.js";

export const BROADCAST = "broadcast";

const AUDIENCE = "#audience:";
const EDIT = "#edit";
const OTHER_AUDIENCE = "#other-audience";
const CANCEL = "#cancel";

export type BroadcastStep = "text" | "audience" | "unit" | "preview";

/** What the conversation has collected; `broadcastId` is the draft shown in the preview, the only one Send confirms. */
export interface BroadcastState {
  scopeUnitId: number;
  text?: string;
  audience?: BroadcastAudience;
  /** The chosen unit (audience "unit"). */
  unitId?: number;
  broadcastId?: number;
}

export interface BroadcastFlowDeps {
  broadcasts: BroadcastRepository;
  recipients: RecipientRepository;
  pledgeReports: PledgeReportRepository;
  units: UnitRepository;
}

export type BroadcastFlow = Flow & {
  /** /broadcast: starts a new announcement. */
  begin(turn: Turn): Promise<void>;
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
  const unitStep = scopedUnitStep(deps.units);

  const state = (turn: Turn) => turn.session.data as unknown as BroadcastState;
  const step = (turn: Turn) => turn.session.step as BroadcastStep;

  /** The scope stored when the conversation began; ends it (and says why) when that unit is gone. */
  async function scopeOf(turn: Turn): Promise<OfficerScope | null> {
    const units = await deps.pledgeReports.unitSubtree(state(turn).scopeUnitId);
    const root = units[0];
    if (!root) {
      endFlow(turn.session);
      await turn.reply({ text: turn.t("officer.unitGone") });
      return null;
    }
    const label = units.length > 1 ? turn.t("scope.withChildren", { unit: unitLabel(root), count: units.length - 1 }) : unitLabel(root);
    return { root, units, label };
  }

  const notAnOption = (turn: Turn) => turn.reply({ text: turn.t("pledge.notAnOption", { value: clip(turn.args, 50) }) });

  /** The draft's audience: the chosen unit, or the scope's root for the whole subtree / its officers. */
  const target = (s: BroadcastState, scope: OfficerScope) => ({ audience: s.audience!, unitId: s.audience === "unit" ? s.unitId! : scope.root.id });

  /**
   * The preview: the message as recipients will read it (in the officer's language here), the audience and how many
   * people it reaches. A new draft is stored when there is someone to send to; re-asking shows the same draft.
   */
  async function preview(turn: Turn): Promise<void> {
    const { t, reply } = turn;
    const s = state(turn);
    const scope = await scopeOf(turn);
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
        return reply({
          text: t("broadcast.preview.none", { audience: label }),
          choices: [
            { label: t("broadcast.otherAudience"), value: OTHER_AUDIENCE },
            { label: t("broadcast.cancel"), value: CANCEL },
          ],
        });
      }
      draft = await deps.broadcasts.createDraft({ senderId: turn.subscriber!.id, ...wanted, text: s.text!, recipients: count, now: turn.now });
      s.broadcastId = draft.id;
    }
    await reply({ text: t("broadcast.preview.title") });
    await reply({ text: renderBroadcast(turn.locale, scope.root.name, draft.text) });
    await reply({
      text: t("broadcast.preview.to", { audience: label, count: draft.recipients }),
      choices: [
        { label: t("broadcast.send"), value: sendCommand(draft.id) },
        { label: t("broadcast.editText"), value: EDIT },
        { label: t("broadcast.cancel"), value: CANCEL },
      ],
    });
  }

  async function goTo(turn: Turn, next: BroadcastStep): Promise<void> {
    turn.session.step = next;
    await flow.ask(turn);
  }

  const flow: BroadcastFlow = {
    name: BROADCAST,

    async begin(turn) {
      const scope = await broadcastScope(turn, deps.pledgeReports);
      if (!scope) return;
      // /thongbao typed again while the text is asked: the core asks again itself (same flow, same step).
      const coreAsksAgain = turn.session.flow === BROADCAST && turn.session.step === "text";
      const s: BroadcastState = { scopeUnitId: scope.root.id };
      startFlow(turn.session, BROADCAST, "text", s as unknown as Record<string, unknown>);
      await turn.reply({ text: turn.t("broadcast.intro", { scope: scope.label }) });
      if (!coreAsksAgain) await flow.ask(turn);
    },

    async ask(turn) {
      const { t, reply } = turn;
      switch (step(turn)) {
        case "text":
          return reply({ text: t("broadcast.ask.text", { max: BROADCAST_MAX_TEXT }) });
        case "audience": {
          const scope = await scopeOf(turn);
          if (!scope) return;
          const choices: Choice[] = [
            { label: t("broadcast.audience.subtree", { scope: scope.label }), value: `${AUDIENCE}subtree` },
            { label: t("broadcast.audience.officers", { scope: scope.label }), value: `${AUDIENCE}officers` },
            { label: t("broadcast.audience.unit"), value: `${AUDIENCE}unit` },
          ];
          return reply({ text: t("broadcast.ask.audience"), choices });
        }
        case "unit": {
          const scope = await scopeOf(turn);
          if (!scope) return;
          return unitStep.ask(turn, scope.label);
        }
        case "preview":
          return preview(turn);
      }
    },

    async answer(turn) {
      const { t, reply } = turn;
      const s = state(turn);
      const text = turn.args;
      switch (step(turn)) {
        case "text": {
          const problem = checkText(text, { max: BROADCAST_MAX_TEXT }, { multiline: true });
          if (problem) {
            await reply({ text: t(`broadcast.text.${problem}`, { max: BROADCAST_MAX_TEXT, length: text.trim().length }) });
            return flow.ask(turn);
          }
          s.text = text.trim();
          // Editing the text from the preview keeps the audience and shows a new preview.
          return goTo(turn, s.audience ? "preview" : "audience");
        }
        case "audience": {
          const picked = text.startsWith(AUDIENCE) ? text.slice(AUDIENCE.length) : null;
          if (picked === "subtree" || picked === "officers") {
            s.audience = picked;
            delete s.unitId;
            return goTo(turn, "preview");
          }
          if (picked === "unit") return goTo(turn, "unit");
          await notAnOption(turn);
          return flow.ask(turn);
        }
        case "unit": {
          const scope = await scopeOf(turn);
          if (!scope) return;
          const result = await unitStep.answer(turn, scope.units, scope.label);
          if (result.kind === "asked-again") return;
          if (result.kind === "back") return goTo(turn, "audience");
          s.audience = "unit";
          s.unitId = result.unit.id;
          return goTo(turn, "preview");
        }
        case "preview": {
          if (text === CANCEL) {
            if (s.broadcastId !== undefined) await deps.broadcasts.cancel(s.broadcastId);
            endFlow(turn.session);
            return reply({ text: t("broadcast.cancelled") });
          }
          if (text === EDIT || text === OTHER_AUDIENCE) {
            // The draft shown is dropped: its Send button no longer works; the next preview stores a new one.
            if (s.broadcastId !== undefined) await deps.broadcasts.cancel(s.broadcastId);
            delete s.broadcastId;
            if (text === OTHER_AUDIENCE) delete s.audience;
            return goTo(turn, text === EDIT ? "text" : "audience");
          }
          await notAnOption(turn);
          return flow.ask(turn);
        }
      }
    },
  };
  return flow;
}
