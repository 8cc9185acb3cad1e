// Finding a union unit: the person types a name or code (with or without diacritics), picks from the numbered
// results, or escapes (skip / back). With a scope (an officer's subtree), a unit outside it is named as such
// instead of being offered.
import { endFlow } from "../../conversation.js";
import type { Choice, Unit, UnitRepository } from "../../ports.js";
import { foldText } from "../choice-match.js";
import { waiting, next, type Outcome, type Step, type StepContext } from "../step.js";

type MaybePromise<T> = T | Promise<T>;
const PICK = "#unit:";
const MAX_RESULTS = 8;
const MAX_QUERY = 100;

export const unitLabel = (u: Unit) => `${u.name} (${u.code})`;

const words = (text: string) => foldText(text).split(/[^\p{L}\p{N}]+/u).filter((w) => w.length > 0);

/** Units of `scope` whose name or code holds every word of `query` (diacritics ignored); an exact code first. */
export function searchInScope(scope: readonly Unit[], query: string): Unit[] {
  const wanted = words(query);
  if (wanted.length === 0) return [];
  const code = query.trim().toUpperCase();
  const matches = scope.filter((u) => u.code.toUpperCase() === code || wanted.every((w) => foldText(`${u.name} ${u.code}`).includes(w)));
  return matches.sort((a, b) => Number(b.code.toUpperCase() === code) - Number(a.code.toUpperCase() === code));
}

export interface UnitScope {
  units: readonly Unit[];
  label: string;
}

export interface UnitSearchSpec<S> extends Pick<Step<S>, "id" | "group" | "applies"> {
  units: UnitRepository;
  question(ctx: StepContext<S>, scope: UnitScope | null): MaybePromise<string>;
  /** Skip or back: its button, the words that mean it when typed, and what it does. */
  escape: { value: string; label(ctx: StepContext<S>): string; words: readonly string[]; choose(ctx: StepContext<S>): MaybePromise<Outcome | void> };
  /** The units one may pick (absent: all), or an outcome when the scope is gone. */
  scope?(ctx: StepContext<S>): MaybePromise<UnitScope | Outcome>;
  choose(ctx: StepContext<S>, unit: Unit): MaybePromise<Outcome | void>;
}

export function unitSearch<S>(spec: UnitSearchSpec<S>): Step<S> {
  const escape = (ctx: StepContext<S>): Choice => ({ label: spec.escape.label(ctx), value: spec.escape.value });
  const scopeOf = async (ctx: StepContext<S>): Promise<UnitScope | null | Outcome> => (spec.scope ? spec.scope(ctx) : null);
  const isOutcome = (x: unknown): x is Outcome => typeof x === "object" && x !== null && "kind" in x;

  return {
    ...spec,
    async ask(ctx) {
      const scope = await scopeOf(ctx);
      if (isOutcome(scope)) {
        endFlow(ctx.turn.session);
        if (scope.kind === "end" && scope.message) await ctx.turn.reply({ text: scope.message });
        return;
      }
      return { text: await spec.question(ctx, scope), choices: [escape(ctx)] };
    },
    async answer(ctx, text) {
      const { t, turn } = ctx;
      const scope = await scopeOf(ctx);
      if (isOutcome(scope)) return scope;
      const say = (message: string, choices: Choice[] = [escape(ctx)]) => turn.reply({ text: message, choices }).then(() => waiting);
      if (text === spec.escape.value || spec.escape.words.includes(foldText(text))) return (await spec.escape.choose(ctx)) ?? next;
      if (text.startsWith(PICK)) {
        const id = Number(text.slice(PICK.length));
        const unit = Number.isInteger(id) ? ((scope ? scope.units.find((u) => u.id === id) : null) ?? (await spec.units.findById(id))) : null;
        if (unit && (!scope || scope.units.includes(unit))) return (await spec.choose(ctx, unit)) ?? next;
        if (unit && scope) return say(t("broadcast.unit.outside", { query: unitLabel(unit), scope: scope.label }));
        return say(t("unit.gone"));
      }
      if (text === "") return say(await spec.question(ctx, scope));
      if (/^\d{1,3}$/.test(text)) return say(t("choice.outOfRange", { value: text }), turn.session.choices ?? [escape(ctx)]);
      if (text.length > MAX_QUERY) return say(t("unit.queryTooLong", { max: MAX_QUERY }));
      const found = scope ? searchInScope(scope.units, text) : await spec.units.search(text, MAX_RESULTS);
      if (found.length > 0) {
        const choices = [...found.slice(0, MAX_RESULTS).map((u) => ({ label: unitLabel(u), value: `${PICK}${u.id}` })), escape(ctx)];
        return say(t(scope ? "broadcast.unit.results" : "unit.results", { count: found.length, query: text }), choices);
      }
      if (!scope) return say(t("unit.notFound", { query: text }));
      const elsewhere = await spec.units.search(text, 1);
      return say(elsewhere.length > 0 ? t("broadcast.unit.outside", { query: text, scope: scope.label }) : t("broadcast.unit.notFound", { query: text }));
    },
  };
}
