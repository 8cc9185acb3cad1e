// One choice from a list (buttons, or the number or label typed), and its yes/no special case. The buttons carry
// their numbers, because a wrong answer is told to type one.
import { numbered } from "../choice-match.js";
import { type Outcome, type Step, type StepContext, next } from "../step.js";
import { clip } from "../../../domain/user-text.js";

type MaybePromise<T> = T | Promise<T>;
export const PICK = "#pick:";
const YES = "#yes";
const NO = "#no";

export interface Option {
  key: string;
  label: string;
}

export const notAnOption = <S>(ctx: StepContext<S>, text: string) => ctx.t("pledge.notAnOption", { value: clip(text, 50) });

export interface SingleChoiceSpec<S> extends Pick<Step<S>, "id" | "group" | "applies" | "guard"> {
  question(ctx: StepContext<S>): MaybePromise<string>;
  options(ctx: StepContext<S>): MaybePromise<Option[]>;
  /** The chosen key (one of the options); nothing returned: on to the next step. */
  choose(ctx: StepContext<S>, key: string): MaybePromise<Outcome | void>;
}

export function singleChoice<S>(spec: SingleChoiceSpec<S>): Step<S> {
  return {
    ...spec,
    async ask(ctx) {
      const options = await spec.options(ctx);
      return { text: await spec.question(ctx), choices: numbered(options.map((o) => ({ label: o.label, value: `${PICK}${o.key}` }))) };
    },
    async answer(ctx, text) {
      const key = text.startsWith(PICK) ? text.slice(PICK.length) : null;
      const options = await spec.options(ctx);
      if (key === null || !options.some((o) => o.key === key)) return { kind: "invalid", message: notAnOption(ctx, text) };
      return (await spec.choose(ctx, key)) ?? next;
    },
  };
}

export interface YesNoSpec<S> extends Pick<Step<S>, "id" | "group" | "applies"> {
  question(ctx: StepContext<S>): MaybePromise<string>;
  choose(ctx: StepContext<S>, yes: boolean): MaybePromise<Outcome | void>;
}

/** "Có" / "Không": buttons, or typed as such (any case, with or without diacritics) or as 1 / 2. */
export function yesNo<S>(spec: YesNoSpec<S>): Step<S> {
  return {
    ...spec,
    async ask(ctx) {
      return {
        text: await spec.question(ctx),
        choices: numbered([
          { label: ctx.t("pledge.yes"), value: YES },
          { label: ctx.t("pledge.no"), value: NO },
        ]),
      };
    },
    async answer(ctx, text) {
      if (text !== YES && text !== NO) return { kind: "invalid", message: notAnOption(ctx, text) };
      return (await spec.choose(ctx, text === YES)) ?? next;
    },
  };
}
