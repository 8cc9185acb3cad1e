// A typed answer within limits (checkText: length, no control characters, line breaks only where allowed), with an
// optional button that keeps a known value (the profile name) or skips an optional field.
import { checkText, type TextProblem } from "../../../domain/pledge-rules.js";
import type { ChannelName, Choice } from "../../ports.js";
import { next, type Outcome, type Step, type StepContext } from "../step.js";

type MaybePromise<T> = T | Promise<T>;
const KEEP = "#keep";
const SKIP = "#skip";

/**
 * Where people can type a line break: the web chat (Shift+Enter) and Telegram. Zalo's Bot API documents text
 * messages without saying so, so its prompts do not promise it (a line break that arrives is still accepted).
 */
const LINE_BREAK_CHANNELS: ReadonlySet<ChannelName> = new Set<ChannelName>(["web", "telegram"]);

export interface FreeTextSpec<S> extends Pick<Step<S>, "id" | "group" | "applies"> {
  question(ctx: StepContext<S>, limits: { min: number; max: number }): MaybePromise<string>;
  limits: { min?: number; max: number };
  multiline?: boolean;
  /** A value to keep with one press ("Dùng tên …"), when there is one. */
  keep?(ctx: StepContext<S>): { value: string; label: string } | undefined;
  /** An optional field: a "Bỏ qua" button sets null. */
  skipLabel?(ctx: StepContext<S>): string;
  /** The message for a problem (default: pledge.text.<problem> with min and max). */
  problem?(ctx: StepContext<S>, problem: TextProblem, text: string): string;
  set(ctx: StepContext<S>, value: string | null): MaybePromise<Outcome | void>;
}

export function freeText<S>(spec: FreeTextSpec<S>): Step<S> {
  const limits = { min: spec.limits.min ?? 1, max: spec.limits.max };
  const problemText = (ctx: StepContext<S>, problem: TextProblem, text: string) =>
    spec.problem ? spec.problem(ctx, problem, text) : ctx.t(`pledge.text.${problem}`, limits);
  return {
    ...spec,
    async ask(ctx) {
      const keep = spec.keep?.(ctx);
      const choices: Choice[] = [...(keep ? [{ label: keep.label, value: KEEP }] : []), ...(spec.skipLabel ? [{ label: spec.skipLabel(ctx), value: SKIP }] : [])];
      const hint = spec.multiline && LINE_BREAK_CHANNELS.has(ctx.turn.message.channel) ? ctx.t("flow.lineBreaksAllowed") : "";
      return { text: [await spec.question(ctx, limits), hint].filter(Boolean).join(" "), choices };
    },
    async answer(ctx, text) {
      if (spec.skipLabel && (text === SKIP || text === "")) return (await spec.set(ctx, null)) ?? next;
      const value = text === KEEP ? (spec.keep?.(ctx)?.value ?? "") : text;
      const problem = checkText(value, limits, { multiline: spec.multiline });
      if (problem) return { kind: "invalid", message: problemText(ctx, problem, value) };
      return (await spec.set(ctx, value.trim())) ?? next;
    },
  };
}
