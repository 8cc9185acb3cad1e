// What the Zalo Bot Platform sends us, as zod schemas (https://bot.zaloplatforms.com/docs). Unknown extra fields are
// accepted and dropped; a missing or mistyped field we rely on is an error, never a guess.
import { z } from "zod";

/** sendMessage and sendPhoto captions: "1 đến 2000 ký tự" (the sendMessage reference). */
export const ZALO_TEXT_LIMIT = 2000;

export const ZaloEventNames = [
  "message.text.received",
  "message.image.received",
  "message.sticker.received",
  "message.unsupported.received",
] as const;
export type ZaloEventName = (typeof ZaloEventNames)[number];

/**
 * Ids: strings in the docs; a number is taken too (the same id, not a reason to lose the update). Every field but the
 * chat's id is read leniently: a field that is missing or of another type is left out (`.catch`), never a reason to
 * drop the update — see ./read-update.ts for how an update's kind is derived from its content.
 */
const ZaloId = z.union([z.string().trim().min(1), z.number().int().nonnegative()]).transform(String);
const optionalText = z.string().optional().catch(undefined);

export const ZaloUser = z.object({
  id: ZaloId.optional().catch(undefined),
  display_name: optionalText,
  /** The getUpdates sample in the docs names the field first_name. */
  first_name: optionalText,
  is_bot: z.boolean().optional().catch(undefined),
});

export const ZaloChat = z.object({
  id: ZaloId,
  /** "PRIVATE" or "GROUP"; absent in some samples (then the chat is taken to be private). */
  chat_type: optionalText,
});

export const ZaloMessage = z.object({
  message_id: ZaloId.optional().catch(undefined),
  /** Milliseconds since the epoch. */
  date: z.number().optional().catch(undefined),
  chat: ZaloChat.optional().catch(undefined),
  from: ZaloUser.optional().catch(undefined),
  text: optionalText,
  photo_url: optionalText,
  photo: optionalText,
  caption: optionalText,
  sticker: optionalText,
});
export type ZaloMessage = z.infer<typeof ZaloMessage>;

/**
 * One update: getUpdates returns one per call (not an array), and a webhook call carries one. `event_name` is
 * missing from the documented getUpdates sample, and the platform may add events: the content decides.
 */
export const ZaloUpdate = z.object({
  /** One of ZaloEventNames, or an event this bot does not know yet, or absent. */
  event_name: optionalText,
  message: ZaloMessage,
});
export type ZaloUpdate = z.infer<typeof ZaloUpdate>;

/**
 * A webhook body. The platform wraps the update like an API response, `{ ok: true, result: update }` (the
 * webhook page of the docs and the SDKs built on it); a bare update is accepted as well.
 */
export const ZaloWebhookBody = z.union([z.object({ ok: z.literal(true), result: ZaloUpdate }).transform((body) => body.result), ZaloUpdate]);

export const ZaloBotInfo = z.object({
  id: z.string().min(1),
  account_name: z.string().optional(),
  account_type: z.string().optional(),
  can_join_groups: z.boolean().optional(),
});
export type ZaloBotInfo = z.infer<typeof ZaloBotInfo>;

export const ZaloSentMessage = z.object({
  message_id: z.string().min(1),
  date: z.number().optional(),
});
export type ZaloSentMessage = z.infer<typeof ZaloSentMessage>;

export const ZaloWebhookInfo = z.object({
  /** "" when no webhook is set. */
  url: z.string().optional(),
  updated_at: z.number().optional(),
});
export type ZaloWebhookInfo = z.infer<typeof ZaloWebhookInfo>;

/** Every answer: `{ ok: true, result }` or `{ ok: false, error_code, description }`. */
export const ZaloEnvelope = z.union([
  z.object({ ok: z.literal(true), result: z.unknown().optional() }),
  z.object({
    ok: z.literal(false),
    error_code: z.number().optional(),
    description: z.string().optional(),
    /** Telegram-style `parameters.retry_after`; not documented by Zalo, honoured if it ever appears. */
    parameters: z.object({ retry_after: z.number().optional() }).optional(),
  }),
]);
