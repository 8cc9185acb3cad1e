// Choosing one's union unit (after /start, or with /unit): one unit-search step.
import { z } from "zod";
import type { Turn } from "../conversation.js";
import { defineFlow } from "../flow/define-flow.js";
import { end } from "../flow/step.js";
import { unitLabel, unitSearch } from "../flow/steps/unit-search.js";
import type { SubscriberRepository, UnitRepository } from "../ports.js";

export const CHOOSE_UNIT = "choose-unit";

export type ChooseUnitFlow = ReturnType<typeof chooseUnitFlow>;

export function chooseUnitFlow(units: UnitRepository, subscribers: SubscriberRepository) {
  const flow = defineFlow({
    name: CHOOSE_UNIT,
    version: 1,
    state: z.object({}),
    // Version 0 stored nothing: the question can simply go on.
    migrate: () => ({}),
    restartCommand: "/donvi",
    steps: [
      unitSearch({
        id: "query",
        units,
        question: (ctx) => ctx.t("unit.ask"),
        escape: { value: "#skip", label: (ctx) => ctx.t("unit.skip"), words: ["bo qua", "skip"], choose: (ctx) => end(ctx.t("unit.skipped")) },
        async choose(ctx, unit) {
          if (ctx.turn.subscriber) await subscribers.setUnit(ctx.turn.subscriber.id, unit.id);
          return end(ctx.t("unit.chosen", { unit: unitLabel(unit) }));
        },
      }),
    ],
  });
  return { name: flow.name, ask: flow.ask, answer: flow.answer, begin: (turn: Turn) => flow.start(turn, {}) };
}
