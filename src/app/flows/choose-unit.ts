// Choosing one's union unit: search by name or code among the imported units, pick from numbered results, or skip.
import { endFlow, startFlow, type Flow, type Turn } from "../conversation.js";
import type { SubscriberRepository, Unit, UnitRepository } from "../ports.js";

export const CHOOSE_UNIT = "choose-unit";
const SKIP = "#skip";
const PICK = "#unit:";
const MAX_RESULTS = 8;
const MAX_QUERY = 100;

const folded = (s: string) => s.normalize("NFD").replace(/\p{M}/gu, "").replace(/đ/gi, "d").toLowerCase().trim();
const unitLabel = (u: Unit) => `${u.name} (${u.code})`;

export type ChooseUnitFlow = Flow & { begin(turn: Turn): Promise<void> };

export function chooseUnitFlow(units: UnitRepository, subscribers: SubscriberRepository): ChooseUnitFlow {
  const skipChoice = (turn: Turn) => ({ label: turn.t("unit.skip"), value: SKIP });

  const flow: ChooseUnitFlow = {
    name: CHOOSE_UNIT,

    async begin(turn) {
      startFlow(turn.session, CHOOSE_UNIT, "query");
      await flow.ask(turn);
    },

    async ask(turn) {
      await turn.reply({ text: turn.t("unit.ask"), choices: [skipChoice(turn)] });
    },

    async answer(turn) {
      const { t, reply, session, subscriber } = turn;
      const text = turn.args;
      if (text === SKIP || ["bo qua", "skip"].includes(folded(text))) {
        endFlow(session);
        return reply({ text: t("unit.skipped") });
      }
      if (text.startsWith(PICK)) {
        const unit = await units.findById(Number(text.slice(PICK.length)));
        if (!unit || !subscriber) return reply({ text: t("unit.gone"), choices: [skipChoice(turn)] });
        await subscribers.setUnit(subscriber.id, unit.id);
        endFlow(session);
        return reply({ text: t("unit.chosen", { unit: unitLabel(unit) }) });
      }
      if (text === "") return flow.ask(turn);
      if (/^\d{1,3}$/.test(text)) {
        return reply({ text: t("choice.outOfRange", { value: text }), choices: session.choices ?? [skipChoice(turn)] });
      }
      if (text.length > MAX_QUERY) return reply({ text: t("unit.queryTooLong", { max: MAX_QUERY }), choices: [skipChoice(turn)] });
      const found = await units.search(text, MAX_RESULTS);
      if (found.length === 0) return reply({ text: t("unit.notFound", { query: text }), choices: [skipChoice(turn)] });
      await reply({
        text: t("unit.results", { count: found.length, query: text }),
        choices: [...found.map((u) => ({ label: unitLabel(u), value: `${PICK}${u.id}` })), skipChoice(turn)],
      });
    },
  };
  return flow;
}
