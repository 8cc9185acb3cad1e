// What a Zalo update means. The kind comes from the content, as community Zalo SDKs derive it: `event_name` is missing
// from the documented getUpdates sample (a single update whose sender has `first_name`), and the platform may add
// events we do not know. A message with text is text, whatever the event says; an image, a sticker or anything else
// with a chat is a message without text (the core answers it with its "not understood" help). Only an update with no
// message we can answer at all is unreadable — and even then it is reported, never dropped silently.
import type { IncomingMessage } from "../../app/ports.js";
import { ZaloEventNames, ZaloUpdate, type ZaloEventName } from "./types.js";

export type ZaloRead =
  /** `photoUrl`: an image message's picture (`photo_url`, or `photo` as some SDKs name it), for the channel to fetch. */
  | { kind: "message"; message: IncomingMessage; photoUrl?: string }
  /** Deliberately not answered: group chats and other bots. */
  | { kind: "ignored"; reason: "group" | "bot" }
  /**
   * Nothing we can act on. `shape` lists the update's keys (nested, dotted: `message.chat.id`) — never its values,
   * which carry names and text; `chatId` when one was found, so the person can be told.
   */
  | { kind: "unreadable"; shape: string[]; chatId?: string };

const isKnownEvent = (name: string | undefined): name is ZaloEventName => (ZaloEventNames as readonly string[]).includes(name ?? "");

/** A webhook body (`{ ok: true, result: update }` or a bare update) or a getUpdates result. */
export function readZaloUpdate(raw: unknown): ZaloRead {
  const update = isRecord(raw) && raw.ok === true && "result" in raw ? raw.result : raw;
  const parsed = ZaloUpdate.safeParse(update);
  const message = parsed.success ? parsed.data.message : undefined;
  const chatId = message?.chat?.id ?? message?.from?.id;
  if (!parsed.success || !message || chatId === undefined) return { kind: "unreadable", shape: keyShape(update), chatId: findChatId(update) };
  if (message.from?.is_bot) return { kind: "ignored", reason: "bot" };
  if (message.chat?.chat_type !== undefined && message.chat.chat_type.toUpperCase() !== "PRIVATE") return { kind: "ignored", reason: "group" };

  const eventName = parsed.data.event_name;
  const text = typeof message.text === "string" && (eventName === undefined || eventName === "message.text.received" || !isKnownEvent(eventName)) ? message.text : undefined;
  // The same update delivered with and without event_name gets the same key.
  const event = isKnownEvent(eventName) ? eventName : derivedEvent(message, text);
  const photoUrl = event === "message.image.received" ? (message.photo_url ?? message.photo) : undefined;
  return {
    kind: "message",
    ...(photoUrl ? { photoUrl } : {}),
    message: {
      channel: "zalo",
      chatId,
      text: text ?? "",
      displayName: message.from?.display_name ?? message.from?.first_name,
      updateKey: message.message_id === undefined ? undefined : `${event}:${message.message_id}`,
    },
  };
}

function derivedEvent(message: { photo_url?: string; photo?: string; sticker?: string }, text: string | undefined): ZaloEventName {
  if (text !== undefined) return "message.text.received";
  if (message.photo_url !== undefined || message.photo !== undefined) return "message.image.received";
  if (message.sticker !== undefined) return "message.sticker.received";
  return "message.unsupported.received";
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Keys only, dotted, at most three levels and 40 keys: what an operator needs to see what the platform sent. */
export function keyShape(value: unknown, prefix = "", depth = 0, out: string[] = []): string[] {
  if (Array.isArray(value)) {
    out.push(`${prefix || "(root)"}[]`);
    return out;
  }
  if (!isRecord(value)) {
    if (!prefix) out.push(`(${value === null ? "null" : typeof value})`);
    return out;
  }
  for (const key of Object.keys(value)) {
    if (out.length >= 40) break;
    // A key is data too when the sender made it up: cut it short.
    const name = `${prefix}${key.slice(0, 40)}`;
    if (isRecord(value[key]) && depth < 2) keyShape(value[key], `${name}.`, depth + 1, out);
    else out.push(name);
  }
  return out;
}

/** A chat to tell, in an update we cannot otherwise read: the sender or chat named at the top or in `message`. */
function findChatId(update: unknown): string | undefined {
  if (!isRecord(update)) return undefined;
  const message = isRecord(update.message) ? update.message : {};
  for (const holder of [message.chat, message.from, update.chat, update.sender, update.from]) {
    if (!isRecord(holder)) continue;
    const id = holder.id;
    if (typeof id === "string" && id.trim() !== "") return id.trim();
    if (typeof id === "number" && Number.isSafeInteger(id) && id >= 0) return String(id);
  }
  return undefined;
}
