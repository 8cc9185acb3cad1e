// Telegram Update → IncomingMessage. Only what a person says to the bot in a private chat counts: a text message, a
// photo (its caption as the text) — or an image sent "as a file" (a document with an image/* type), taken as the photo
// with the same size and content checks; any other file is a turn with no text (where a photo is asked: "send a
// photo") — or a press on one of our inline buttons (its callback data stands for the text).
// Everything else — edited messages, channel posts, groups, stickers, service messages — is not a turn and is ignored.
import type { PhotoSize, Update, User } from "telegraf/types";
import type { IncomingMessage } from "../../app/ports.js";
import { PHOTO_MAX_BYTES, PHOTO_MAX_SIDE } from "../photo-download.js";

export interface TelegramTurn {
  message: IncomingMessage;
  /** Set for a button press: the callback query to answer so the button stops spinning. */
  callbackQueryId?: string;
  /** Set for a photo: the file id of the size to fetch (the channel adds the download to the message). */
  photoFileId?: string;
}

/** Of the sizes Telegram offers, the largest within PHOTO_MAX_SIDE and PHOTO_MAX_BYTES; else the smallest. */
export function choosePhotoSize(sizes: readonly PhotoSize[]): PhotoSize | undefined {
  const area = (p: PhotoSize) => p.width * p.height;
  const bySize = [...sizes].sort((a, b) => area(a) - area(b));
  const fitting = bySize.filter((p) => Math.max(p.width, p.height) <= PHOTO_MAX_SIDE && (p.file_size ?? 0) <= PHOTO_MAX_BYTES);
  return fitting.at(-1) ?? bySize[0];
}

function displayName(user: User | undefined): string | undefined {
  if (!user) return undefined;
  const name = [user.first_name, user.last_name].filter((part) => part && part.trim()).join(" ").trim();
  return name || undefined;
}

function turn(update: Update, chatId: number, text: string, from: User | undefined): IncomingMessage {
  const message: IncomingMessage = { channel: "telegram", chatId: String(chatId), text, updateKey: String(update.update_id) };
  const name = displayName(from);
  if (name) message.displayName = name;
  if (from?.language_code) message.languageCode = from.language_code;
  return message;
}

/** The turn an update stands for, or null when it is not one (ignored without error). */
export function toIncoming(update: Update): TelegramTurn | null {
  if ("message" in update) {
    const msg = update.message;
    if (msg.chat.type !== "private") return null;
    if ("photo" in msg && Array.isArray(msg.photo)) {
      const size = choosePhotoSize(msg.photo);
      if (!size) return null;
      return { message: turn(update, msg.chat.id, msg.caption ?? "", msg.from), photoFileId: size.file_id };
    }
    if ("document" in msg && msg.document) {
      const image = msg.document.mime_type?.toLowerCase().startsWith("image/") ?? false;
      return image ? { message: turn(update, msg.chat.id, msg.caption ?? "", msg.from), photoFileId: msg.document.file_id } : { message: turn(update, msg.chat.id, "", msg.from) };
    }
    if (!("text" in msg) || typeof msg.text !== "string") return null;
    return { message: turn(update, msg.chat.id, msg.text, msg.from) };
  }
  if ("callback_query" in update) {
    const query = update.callback_query;
    if (!("data" in query) || typeof query.data !== "string") return null;
    // The message with the keyboard may be too old to be delivered ("inaccessible"); its chat id still is.
    const chat = query.message?.chat;
    if (chat && chat.type !== "private") return null;
    const chatId = chat?.id ?? query.from.id;
    return { message: turn(update, chatId, query.data, query.from), callbackQueryId: query.id };
  }
  return null;
}
