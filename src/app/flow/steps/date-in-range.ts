// A date typed the Vietnamese way (30/6/2026, 30-06-2026, 2026-06-30) inside a range that starts no earlier than
// today; the example in the question lies inside that range, so it is a date the person could actually give.
import { addDays, formatDateVi, localDate } from "../../../domain/clock.js";
import { parseUserDate } from "../../../domain/user-date.js";
import { clip } from "../../../domain/user-text.js";
import { next, type Outcome, type Step, type StepContext } from "../step.js";

type MaybePromise<T> = T | Promise<T>;

export interface DateRange {
  start: string;
  end: string;
}

/** 2026-06-30 → "30/6/2026", the way people write it. */
const shortDate = (iso: string) => `${Number(iso.slice(8))}/${Number(iso.slice(5, 7))}/${iso.slice(0, 4)}`;

/** The dates that can be given today: from the later of today and `range.start`, to `range.end` (null if none). */
export function openRange(range: DateRange, today: string): DateRange | null {
  const start = today > range.start ? today : range.start;
  return start <= range.end ? { start, end: range.end } : null;
}

/** An example inside the open range: a month after its start, or its end when that comes first. */
export function exampleDate(open: DateRange): string {
  const later = addDays(open.start, 30);
  return later < open.end ? later : open.end;
}

export interface DateInRangeSpec<S> extends Pick<Step<S>, "id" | "group" | "applies"> {
  question(ctx: StepContext<S>, shown: { start: string; end: string; example: string }): MaybePromise<string>;
  range(ctx: StepContext<S>): MaybePromise<DateRange>;
  timezone: string;
  set(ctx: StepContext<S>, date: string): MaybePromise<Outcome | void>;
}

export function dateInRange<S>(spec: DateInRangeSpec<S>): Step<S> {
  const window = async (ctx: StepContext<S>) => {
    const range = await spec.range(ctx);
    return { range, open: openRange(range, localDate(ctx.turn.now, spec.timezone)) ?? { start: range.end, end: range.end } };
  };
  return {
    ...spec,
    async ask(ctx) {
      const { open } = await window(ctx);
      return { text: await spec.question(ctx, { start: formatDateVi(open.start), end: formatDateVi(open.end), example: shortDate(exampleDate(open)) }) };
    },
    async answer(ctx, text) {
      const { range, open } = await window(ctx);
      const example = exampleDate(open);
      const date = parseUserDate(text);
      const shown = { start: formatDateVi(range.start), end: formatDateVi(range.end) };
      if (!date) {
        return { kind: "invalid", message: ctx.t("pledge.date.format", { value: clip(text, 30), example: shortDate(example), exampleDashed: formatDateVi(example).replaceAll("/", "-"), exampleIso: example }) };
      }
      if (date < range.start || date > range.end) return { kind: "invalid", message: ctx.t("pledge.date.outsidePhase", { date: formatDateVi(date), ...shown }) };
      if (date < open.start) return { kind: "invalid", message: ctx.t("pledge.date.past", { date: formatDateVi(date), ...shown }) };
      return (await spec.set(ctx, date)) ?? next;
    },
  };
}
