// /results (/ketqua): the member reports the outcome of one approved pledge — the pledge as a whole (Đạt / Chưa đạt,
// then an optional note), then each dedicated work and initiative (Hoàn thành / Đang làm, then, where the channel
// takes photos, an optional photo) — and the answers are stored together at the end (PledgeRepository.saveResults),
// so a flow left half-way changes nothing: a photo is kept aside (staged) when it arrives and attached only then.
import { z } from "zod";
import { defineFlow, type DefinedFlow } from "../flow/define-flow.js";
import { end, goTo, next } from "../flow/step.js";
import { freeText } from "../flow/steps/free-text.js";
import { photo } from "../flow/steps/photo.js";
import { singleChoice } from "../flow/steps/single-choice.js";
import type { Turn } from "../conversation.js";
import { CHANNELS_WITH_PHOTOS, type Pledge, type PledgeRepository, type ResultItem, type ResultOutcome } from "../ports.js";

export const RESULTS = "results";
export const RESULT_NOTE_MAX = 300;

const Question = z.object({ item: z.string(), label: z.string() });
const Answer = z.object({
  item: z.string(),
  outcome: z.enum(["achieved", "not-achieved", "done", "in-progress"]),
  note: z.string().nullable(),
  /** A staged photo of the work or initiative (PledgeRepository.stagePhoto). */
  photoId: z.number().int().optional(),
});
const ResultsState = z.object({
  pledgeId: z.number().int(),
  code: z.string(),
  questions: z.array(Question),
  index: z.number().int(),
  answers: z.array(Answer),
});
export type ResultsState = z.infer<typeof ResultsState>;

/** The questions for a pledge: the pledge itself, then its works and initiatives in order. */
export function resultQuestions(pledge: Pledge, titles: string): ResultsState["questions"] {
  const questions = [{ item: "pledge", label: titles }];
  for (const type of ["work", "initiative"] as const) {
    pledge.items.filter((i) => i.type === type).forEach((i, n) => questions.push({ item: `${type}:${n}`, label: i.name }));
  }
  return questions;
}

export function resultsFlow(deps: { pledges: PledgeRepository }): DefinedFlow<ResultsState> {
  const current = (s: ResultsState) => s.questions[s.index]!;
  const isPledge = (s: ResultsState) => current(s).item === "pledge";

  async function onward(s: ResultsState, turn: Turn) {
    if (s.index + 1 < s.questions.length) {
      s.index++;
      return goTo("outcome");
    }
    const withPhoto = await deps.pledges.saveResults(
      s.pledgeId,
      s.answers.map((a) => ({ item: a.item as ResultItem, outcome: a.outcome as ResultOutcome, note: a.note, photoId: a.photoId ?? null })),
      turn.subscriber!.id,
      turn.now,
    );
    const lines = s.answers.map((a) => `• ${s.questions.find((q) => q.item === a.item)?.label ?? a.item}: ${turn.t(`results.outcome.${a.outcome}`)}${a.note ? ` (${a.note})` : ""}${withPhoto.includes(a.item as ResultItem) ? ` ${turn.t("results.withPhoto")}` : ""}`);
    return end([turn.t("results.saved", { code: s.code }), ...lines].join("\n"));
  }

  return defineFlow({
    name: RESULTS,
    state: ResultsState,
    version: 1,
    restartCommand: "/ketqua",
    steps: [
      singleChoice({
        id: "outcome",
        question: (ctx) =>
          isPledge(ctx.state)
            ? ctx.t("results.askPledge", { code: ctx.state.code, titles: current(ctx.state).label })
            : ctx.t(current(ctx.state).item.startsWith("work") ? "results.askWork" : "results.askInitiative", { name: current(ctx.state).label }),
        options: (ctx) =>
          (isPledge(ctx.state) ? (["achieved", "not-achieved"] as const) : (["done", "in-progress"] as const)).map((key) => ({ key, label: ctx.t(`results.outcome.${key}`) })),
        async choose(ctx, key) {
          const s = ctx.state;
          s.answers = s.answers.filter((a) => a.item !== current(s).item);
          s.answers.push({ item: current(s).item, outcome: key as ResultOutcome, note: null });
          // The pledge: its note next; a work or initiative: its photo next, where the channel takes one.
          if (isPledge(s) || CHANNELS_WITH_PHOTOS.has(ctx.turn.message.channel)) return next;
          return onward(s, ctx.turn);
        },
      }),
      freeText({
        id: "note",
        applies: (ctx) => isPledge(ctx.state),
        limits: { max: RESULT_NOTE_MAX },
        multiline: true,
        question: (ctx, limits) => ctx.t("results.askNote", { max: limits.max }),
        skipLabel: (ctx) => ctx.t("results.noNote"),
        async set(ctx, note) {
          const s = ctx.state;
          s.answers.find((a) => a.item === "pledge")!.note = note;
          return onward(s, ctx.turn);
        },
      }),
      photo({
        id: "photo",
        applies: (ctx) => !isPledge(ctx.state),
        question: (ctx) => ctx.t(current(ctx.state).item.startsWith("work") ? "results.askWorkPhoto" : "results.askInitiativePhoto", { name: current(ctx.state).label }),
        async set(ctx, file) {
          const s = ctx.state;
          const answer = s.answers.find((a) => a.item === current(s).item)!;
          if (file) answer.photoId = await deps.pledges.stagePhoto({ pledgeId: s.pledgeId, item: answer.item as ResultItem, photo: file, bySubscriberId: ctx.turn.subscriber!.id, now: ctx.turn.now });
          else delete answer.photoId;
          return onward(s, ctx.turn);
        },
      }),
    ],
  });
}
