// The end of a form: the answers summed up with Confirm / Edit a field / Cancel. "Edit a field" lists the fields;
// picking one asks that field's steps again and comes back here (the engine's `summary`).
import { goTo, type Outcome, type Step, type StepContext } from "../step.js";
import { notAnOption } from "./single-choice.js";

type MaybePromise<T> = T | Promise<T>;
const CONFIRM = "#confirm";
const EDIT = "#edit";
const CANCEL = "#cancel";
const FIELD = "#field:";

export interface SummarySpec<S> extends Pick<Step<S>, "guard"> {
  id: string;
  /** The id of the "which field?" step. */
  editId: string;
  render(ctx: StepContext<S>): MaybePromise<string>;
  /** Fields that can be edited: a key (the button's value), a label and the first step of the field. */
  fields(ctx: StepContext<S>): { key: string; label: string; step: string }[];
  labels(ctx: StepContext<S>): { confirm: string; edit: string; cancel: string; whichField: string };
  confirm(ctx: StepContext<S>): MaybePromise<Outcome>;
  cancel(ctx: StepContext<S>): MaybePromise<Outcome>;
}

/** Two steps: the summary, and the field list (never reached in order, only from the summary). */
export function summary<S>(spec: SummarySpec<S>): [Step<S>, Step<S>] {
  return [
    {
      id: spec.id,
      guard: spec.guard,
      async ask(ctx) {
        const l = spec.labels(ctx);
        return {
          text: await spec.render(ctx),
          choices: [
            { label: l.confirm, value: CONFIRM },
            { label: l.edit, value: EDIT },
            { label: l.cancel, value: CANCEL },
          ],
        };
      },
      answer(ctx, text) {
        if (text === CONFIRM) return spec.confirm(ctx);
        if (text === CANCEL) return spec.cancel(ctx);
        if (text === EDIT) return goTo(spec.editId);
        return { kind: "invalid", message: notAnOption(ctx, text) };
      },
    },
    {
      id: spec.editId,
      applies: () => false,
      ask: (ctx) => ({ text: spec.labels(ctx).whichField, choices: spec.fields(ctx).map((f) => ({ label: f.label, value: `${FIELD}${f.key}` })) }),
      answer(ctx, text) {
        const field = spec.fields(ctx).find((f) => `${FIELD}${f.key}` === text);
        return field ? goTo(field.step, { edit: true }) : { kind: "invalid", message: notAnOption(ctx, text) };
      },
    },
  ];
}
