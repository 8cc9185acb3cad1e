// One step shared by the flows that ask for a union unit: search by name or code, pick from numbered results, or
// skip. The caller decides what a pick or a skip means.
import type { Turn } from "../conversation.js";
import type { Unit, UnitRepository } from "../ports.js";

const SKIP = "#skip";
const PICK = "#unit:";
const MAX_RESULTS = 8;
const MAX_QUERY = 100;

export const foldText = (s: string) => s.normalize("NFD").replace(/\p{M}/gu, "").replace(/đ/gi, "d").toLowerCase().trim();
export const unitLabel = (u: Unit) => `${u.name} (${u.code})`;

/** True for the skip button, and for "bỏ qua" / "skip" typed with or without diacritics. */
export const isSkip = (text: string) => text === SKIP || ["bo qua", "skip"].includes(foldText(text));
export const skipChoice = (turn: Turn) => ({ label: turn.t("unit.skip"), value: SKIP });

export type UnitAnswer = { kind: "picked"; unit: Unit } | { kind: "skipped" } | { kind: "asked-again" };

export function unitStep(units: UnitRepository) {
  return {
    async ask(turn: Turn, questionKey = "unit.ask"): Promise<void> {
      await turn.reply({ text: turn.t(questionKey), choices: [skipChoice(turn)] });
    },

    /** Handles one answer: a pick, a skip, or a search whose results become the next choices. */
    async answer(turn: Turn): Promise<UnitAnswer> {
      const { t, reply, session } = turn;
      const text = turn.args;
      if (isSkip(text)) return { kind: "skipped" };
      if (text.startsWith(PICK)) {
        const unit = await units.findById(Number(text.slice(PICK.length)));
        if (unit) return { kind: "picked", unit };
        await reply({ text: t("unit.gone"), choices: [skipChoice(turn)] });
      } else if (text === "") {
        await reply({ text: t("unit.ask"), choices: [skipChoice(turn)] });
      } else if (/^\d{1,3}$/.test(text)) {
        await reply({ text: t("choice.outOfRange", { value: text }), choices: session.choices ?? [skipChoice(turn)] });
      } else if (text.length > MAX_QUERY) {
        await reply({ text: t("unit.queryTooLong", { max: MAX_QUERY }), choices: [skipChoice(turn)] });
      } else {
        const found = await units.search(text, MAX_RESULTS);
        if (found.length === 0) await reply({ text: t("unit.notFound", { query: text }), choices: [skipChoice(turn)] });
        else {
          await reply({
            text: t("unit.results", { count: found.length, query: text }),
            choices: [...found.map((u) => ({ label: unitLabel(u), value: `${PICK}${u.id}` })), skipChoice(turn)],
          });
        }
      }
      return { kind: "asked-again" };
    },
  };
}
