// Several choices from a list. A button press (or one number or label typed) adds or removes one item; a typed list
// ("1,4", "1 4") SETS the selection to exactly those items. Each change is answered with the question and what is
// selected now; "Tiếp tục" moves on. The buttons carry their numbers, because the prompt says to type them.
import { numbered } from "../choice-match.js";
import { again, next, type Outcome, type Step, type StepContext } from "../step.js";
import { notAnOption, PICK, type Option } from "./single-choice.js";

type MaybePromise<T> = T | Promise<T>;
const DONE = "#done";
const LIST = /^\d{1,3}(\s*[,;\s]\s*\d{1,3})+$/;

export interface MultiChoiceSpec<S> extends Pick<Step<S>, "id" | "group" | "applies"> {
  question(ctx: StepContext<S>): MaybePromise<string>;
  options(ctx: StepContext<S>): MaybePromise<Option[]>;
  selected(state: S): string[];
  select(state: S, keys: string[]): void;
  /** The message for a value that is not one of the options (default: "not an option"). */
  notAnOption?(ctx: StepContext<S>, text: string): string;
}

export function multiChoice<S>(spec: MultiChoiceSpec<S>): Step<S> {
  const refuse = (ctx: StepContext<S>, text: string): Outcome => ({ kind: "invalid", message: (spec.notAnOption ?? notAnOption)(ctx, text) });
  return {
    ...spec,
    async ask(ctx) {
      const options = await spec.options(ctx);
      const selected = spec.selected(ctx.state);
      const chosen = options.filter((o) => selected.includes(o.key)).map((o) => o.label);
      const status = chosen.length ? ctx.t("pledge.chosen", { items: chosen.join("; ") }) : ctx.t("pledge.chosenNone");
      return {
        text: [await spec.question(ctx), ctx.t("pledge.multiHint"), status].join("\n"),
        choices: numbered([
          ...options.map((o) => ({ label: `${selected.includes(o.key) ? "✓ " : ""}${o.label}`, value: `${PICK}${o.key}` })),
          { label: ctx.t("pledge.continue"), value: DONE },
        ]),
      };
    },
    async answer(ctx, text) {
      const allowed = new Set((await spec.options(ctx)).map((o) => o.key));
      if (text === DONE) return next;
      if (text.startsWith(PICK)) {
        const key = text.slice(PICK.length);
        if (!allowed.has(key)) return refuse(ctx, text);
        const current = spec.selected(ctx.state);
        spec.select(ctx.state, current.includes(key) ? current.filter((k) => k !== key) : [...current, key]);
        return again;
      }
      if (!LIST.test(text)) return refuse(ctx, text);
      // A typed list: exactly these items, in the list's order; "Tiếp tục" among them also moves on.
      const choices = ctx.turn.session.choices ?? [];
      const keys: string[] = [];
      let done = false;
      for (const n of text.split(/[,;\s]+/)) {
        const value = choices[Number(n) - 1]?.value;
        if (value === DONE) done = true;
        else if (value?.startsWith(PICK) && allowed.has(value.slice(PICK.length))) keys.push(value.slice(PICK.length));
        else return refuse(ctx, n);
      }
      spec.select(ctx.state, [...new Set(keys)].sort((a, b) => [...allowed].indexOf(a) - [...allowed].indexOf(b)));
      return done ? next : again;
    },
  };
}
