// A step of a guided flow: how it asks, how it takes an answer, and whether it is asked at all. Shared step kinds
// (./steps/*) build these; a flow may also write one by hand.
import type { Translate } from "../i18n.js";
import type { Turn } from "../conversation.js";
import type { OutgoingMessage } from "../ports.js";

/** What a step sees: the turn (message, person, language, clock) and the flow's typed state, which it may change. */
export interface StepContext<S> {
  turn: Turn;
  t: Translate;
  state: S;
  /** True while one field is edited from the summary: the flow returns to the summary after its group. */
  editing: boolean;
}

/** What an answer leads to. */
export type Outcome =
  /** Accepted: on to the next step that applies (or back to the summary when editing). */
  | { kind: "next" }
  /** Refused: this message, then the same question again. Nothing changed. */
  | { kind: "invalid"; message: string }
  /** Taken, but the step is not done (a selection changed): the question again, showing the new state. */
  | { kind: "again" }
  /** The step already replied (search results with their own choices): wait for the next answer. */
  | { kind: "waiting" }
  /** To a named step; `edit` starts editing that step's group from the summary. */
  | { kind: "goto"; step: string; edit?: boolean }
  /** The flow is over (saved, cancelled, or impossible); `message` says so. */
  | { kind: "end"; message?: string };

export const next: Outcome = { kind: "next" };
export const again: Outcome = { kind: "again" };
export const waiting: Outcome = { kind: "waiting" };
export const invalid = (message: string): Outcome => ({ kind: "invalid", message });
export const goTo = (step: string, options: { edit?: boolean } = {}): Outcome => ({ kind: "goto", step, ...options });
export const end = (message?: string): Outcome => ({ kind: "end", ...(message === undefined ? {} : { message }) });

type MaybePromise<T> = T | Promise<T>;

export interface Step<S> {
  id: string;
  /** Steps with the same group are edited together from the summary (a work's name, description and date). */
  group?: string;
  /** Takes a photo (./steps/photo.ts); at any other step a photo is explained away and the question asked again. */
  takesPhoto?: boolean;
  /** Asked only when this holds (default: always). */
  applies?(ctx: StepContext<S>): MaybePromise<boolean>;
  /** Checked on arrival: a redirect (with a message) when the step cannot be asked yet, or the end of the flow. */
  guard?(ctx: StepContext<S>): MaybePromise<{ step: string; message?: string } | { end: string } | null>;
  /** The question; several messages for a preview. Nothing returned: the step replied itself or ended the flow. */
  ask(ctx: StepContext<S>): MaybePromise<OutgoingMessage | OutgoingMessage[] | void>;
  /** The answer in `text`: a button's value, a typed number or label already turned into that value, or free text. */
  answer(ctx: StepContext<S>, text: string): MaybePromise<Outcome>;
}
