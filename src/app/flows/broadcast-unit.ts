// The unit step of the broadcast flow: the shared unit search (./unit-step.ts), restricted to the officer's subtree.
// A unit outside it, found by name or picked by a stale button, is named as such instead of being offered.
import type { Turn } from "../conversation.js";
import type { Choice, Unit, UnitRepository } from "../ports.js";
import { foldText, unitLabel } from "./unit-step.js";

const PICK = "#unit:";
const BACK = "#back";
const MAX_RESULTS = 8;
const MAX_QUERY = 100;

export type ScopedUnitAnswer = { kind: "picked"; unit: Unit } | { kind: "back" } | { kind: "asked-again" };

const words = (text: string) => foldText(text).split(/[^\p{L}\p{N}]+/u).filter((w) => w.length > 0);

/** Units of `scope` whose name or code holds every word of `query` (diacritics ignored); an exact code first. */
export function searchInScope(scope: readonly Unit[], query: string): Unit[] {
  const wanted = words(query);
  if (wanted.length === 0) return [];
  const code = query.trim().toUpperCase();
  const matches = scope.filter((u) => {
    if (u.code.toUpperCase() === code) return true;
    const key = foldText(`${u.name} ${u.code}`);
    return wanted.every((w) => key.includes(w));
  });
  return matches.sort((a, b) => Number(b.code.toUpperCase() === code) - Number(a.code.toUpperCase() === code));
}

export function scopedUnitStep(units: UnitRepository) {
  const back = (turn: Turn): Choice => ({ label: turn.t("broadcast.unit.back"), value: BACK });

  return {
    async ask(turn: Turn, scopeLabel: string): Promise<void> {
      await turn.reply({ text: turn.t("broadcast.ask.unit", { scope: scopeLabel }), choices: [back(turn)] });
    },

    /** One answer: a pick inside the scope, "back", or a search whose results become the next choices. */
    async answer(turn: Turn, scope: readonly Unit[], scopeLabel: string): Promise<ScopedUnitAnswer> {
      const { t, reply, session } = turn;
      const text = turn.args;
      const inScope = (id: number) => scope.find((u) => u.id === id);
      if (text === BACK || ["quay lai", "back"].includes(foldText(text))) return { kind: "back" };
      if (text.startsWith(PICK)) {
        const id = Number(text.slice(PICK.length));
        const unit = Number.isInteger(id) ? inScope(id) : undefined;
        if (unit) return { kind: "picked", unit };
        const outside = Number.isInteger(id) ? await units.findById(id) : null;
        if (outside) await reply({ text: t("broadcast.unit.outside", { query: unitLabel(outside), scope: scopeLabel }), choices: [back(turn)] });
        else await reply({ text: t("unit.gone"), choices: [back(turn)] });
      } else if (text === "") {
        await reply({ text: t("broadcast.ask.unit", { scope: scopeLabel }), choices: [back(turn)] });
      } else if (/^\d{1,3}$/.test(text)) {
        await reply({ text: t("choice.outOfRange", { value: text }), choices: session.choices ?? [back(turn)] });
      } else if (text.length > MAX_QUERY) {
        await reply({ text: t("unit.queryTooLong", { max: MAX_QUERY }), choices: [back(turn)] });
      } else {
        const found = searchInScope(scope, text);
        if (found.length > 0) {
          await reply({
            text: t("broadcast.unit.results", { count: found.length, query: text }),
            choices: [...found.slice(0, MAX_RESULTS).map((u) => ({ label: unitLabel(u), value: `${PICK}${u.id}` })), back(turn)],
          });
        } else {
          const elsewhere = await units.search(text, 1);
          await reply({
            text: elsewhere.length > 0 ? t("broadcast.unit.outside", { query: text, scope: scopeLabel }) : t("broadcast.unit.notFound", { query: text }),
            choices: [back(turn)],
          });
        }
      }
      return { kind: "asked-again" };
    },
  };
}
