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

export const ZaloUser = z.object({
  id: z.string().min(1),
  display_name: z.string().optional(),
  /** The getUpdates sample in the docs names the field first_name. */
  first_name: z.string().optional(),
  is_bot: z.boolean().optional(),
});

export const ZaloChat = z.object({
  id: z.string().min(1),
  chat_type: z.enum(["PRIVATE", "GROUP"]),
});

export const ZaloMessage = z.object({
  message_id: z.string().min(1),
  /** Milliseconds since the epoch. */
  date: z.number(),
  chat: ZaloChat,
  from: ZaloUser,
  text: z.string().optional(),
  photo_url: z.string().optional(),
  caption: z.string().optional(),
  sticker: z.string().optional(),
});
export type ZaloMessage = z.infer<typeof ZaloMessage>;

/** One update: getUpdates returns one per call (not an array), and a webhook call carries one. */
export const ZaloUpdate = z.object({
  /** One of ZaloEventNames, or an event this bot does not know yet. */
  event_name: z.string().min(1),
  message: ZaloMessage.optional(),
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
