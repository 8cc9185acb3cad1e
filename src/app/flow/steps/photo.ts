// An optional photo: asked only on channels whose people can send one (CHANNELS_WITH_PHOTOS), with a "Bỏ qua" button
// (or its number, or its label typed). The image is fetched from the platform when it arrives; text instead of a
// photo, or a photo that cannot be fetched, gets its own message and the question again, with nothing changed.
import { CHANNELS_WITH_PHOTOS, PhotoDownloadError, type PhotoFile } from "../../ports.js";
import { numbered } from "../choice-match.js";
import { next, type Outcome, type Step, type StepContext } from "../step.js";

type MaybePromise<T> = T | Promise<T>;
const SKIP = "#skip";

export interface PhotoSpec<S> extends Pick<Step<S>, "id" | "group"> {
  question(ctx: StepContext<S>): MaybePromise<string>;
  /** Asked only when this holds too (the channel must take photos in any case). */
  applies?(ctx: StepContext<S>): MaybePromise<boolean>;
  /** The photo received, or null when skipped. */
  set(ctx: StepContext<S>, photo: PhotoFile | null): MaybePromise<Outcome | void>;
}

export function photo<S>(spec: PhotoSpec<S>): Step<S> {
  return {
    ...spec,
    takesPhoto: true,
    async applies(ctx) {
      return CHANNELS_WITH_PHOTOS.has(ctx.turn.message.channel) && (spec.applies ? await spec.applies(ctx) : true);
    },
    async ask(ctx) {
      return { text: await spec.question(ctx), choices: numbered([{ label: ctx.t("photo.skip"), value: SKIP }]) };
    },
    async answer(ctx, text) {
      const sent = ctx.turn.message.photo;
      if (sent) {
        let file: PhotoFile;
        try {
          file = await sent.download();
        } catch (error) {
          if (!(error instanceof PhotoDownloadError)) throw error;
          return { kind: "invalid", message: ctx.t(`photo.problem.${error.problem}`) };
        }
        return (await spec.set(ctx, file)) ?? next;
      }
      if (text === SKIP) return (await spec.set(ctx, null)) ?? next;
      return { kind: "invalid", message: ctx.t("photo.notAPhoto") };
    },
  };
}
