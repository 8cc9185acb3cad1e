// Choosing one's union unit (after /start, or with /unit).
import { endFlow, startFlow, type Flow, type Turn } from "../conversation.js";
import type { SubscriberRepository, UnitRepository } from "../ports.js";
import { unitLabel, unitStep } from "./unit-step.js";

export const CHOOSE_UNIT = "choose-unit";

export type ChooseUnitFlow = Flow & { begin(turn: Turn): Promise<void> };

export function chooseUnitFlow(units: UnitRepository, subscribers: SubscriberRepository): ChooseUnitFlow {
  const step = unitStep(units);
  const flow: ChooseUnitFlow = {
    name: CHOOSE_UNIT,

    async begin(turn) {
      startFlow(turn.session, CHOOSE_UNIT, "query");
      await flow.ask(turn);
    },

    ask: (turn) => step.ask(turn),

    async answer(turn) {
      const answer = await step.answer(turn);
      if (answer.kind === "asked-again") return;
      endFlow(turn.session);
      if (answer.kind === "skipped") return turn.reply({ text: turn.t("unit.skipped") });
      if (turn.subscriber) await subscribers.setUnit(turn.subscriber.id, answer.unit.id);
      await turn.reply({ text: turn.t("unit.chosen", { unit: unitLabel(answer.unit) }) });
    },
  };
  return flow;
}
