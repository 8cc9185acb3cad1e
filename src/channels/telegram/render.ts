// OutgoingMessage → the sendMessage calls Telegram needs. Core text is plain text: it is sent with parse_mode HTML
// and escaped as a whole, so whatever a person typed and the core echoes back cannot become markup. Telegram
// refuses messages over 4096 characters, so long texts are split at the cleanest break that fits.
import type { Choice, OutgoingMessage } from "../../app/ports.js";

export const TELEGRAM_TEXT_LIMIT = 4096;
/** Telegram's limit on callback_data, in bytes of UTF-8. */
export const CALLBACK_DATA_LIMIT_BYTES = 64;
/** Buttons whose labels all fit in this many characters go two to a row. */
export const SHORT_LABEL_CHARS = 20;

export interface InlineButton {
  text: string;
  callback_data: string;
}

export interface InlineKeyboard {
  inline_keyboard: InlineButton[][];
}

/** One sendMessage call. */
export interface TelegramText {
  text: string;
  parse_mode: "HTML";
  reply_markup?: InlineKeyboard;
}

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;" };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>]/g, (c) => ESCAPES[c]!);
}

function escapedLength(c: string): number {
  return ESCAPES[c]?.length ?? 1;
}

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;

/** Where a raw chunk ends and the next one starts (the separator between them is dropped). */
interface Cut {
  end: number;
  next: number;
}

/**
 * The longest prefix of `text` whose escaped form fits in `limit` UTF-16 units, never ending between the two
 * halves of a surrogate pair. Escaping happens per chunk afterwards, so an entity can never be cut.
 */
function fittingPrefix(text: string, limit: number): number {
  // No character escapes to more than 5 ("&amp;"): a text this short fits whole (most replies), nothing to count.
  if (text.length * 5 <= limit) return text.length;
  let size = 0;
  let n = 0;
  while (n < text.length) {
    const add = escapedLength(text[n]!);
    if (size + add > limit) break;
    size += add;
    n++;
  }
  if (n < text.length && n > 0 && isHighSurrogate(text.charCodeAt(n - 1))) n--;
  return n;
}

/** Picks the break inside text[0, window): paragraph, then line, then space; a hard cut only inside one long word. */
function chooseCut(text: string, window: number): Cut {
  const candidates = (pattern: RegExp): Cut[] => {
    const cuts: Cut[] = [];
    const re = new RegExp(pattern.source, "g");
    for (let match = re.exec(text); match && match.index <= window; match = re.exec(text)) {
      // The chunk is text[0, end) and must not be empty; the separator may run past the window (it is dropped).
      if (match.index > 0) cuts.push({ end: match.index, next: match.index + match[0].length });
    }
    return cuts;
  };
  const levels = [candidates(/\n{2,}/), candidates(/\n/), candidates(/[ \t]+/)];
  // Prefer a break that leaves the chunk at least half full, at the highest level that has one …
  for (const cuts of levels) {
    const late = cuts.filter((c) => c.end >= window / 2).at(-1);
    if (late) return late;
  }
  // … else any break at all, highest level first …
  for (const cuts of levels) {
    const last = cuts.at(-1);
    if (last) return last;
  }
  // … else one word longer than a whole message: cut it where it must be cut.
  return { end: window, next: window };
}

/** Splits plain `text` into pieces whose escaped form is at most `limit` characters each, in order. */
export function splitPlainText(text: string, limit = TELEGRAM_TEXT_LIMIT): string[] {
  if (limit < 8) throw new Error(`splitPlainText: limit ${limit} is too small`);
  const chunks: string[] = [];
  let rest = text;
  while (rest.length > 0) {
    // Each piece starts a message: Telegram drops leading whitespace anyway, and a separator left at the front
    // would make the window look as if it had no break in it.
    rest = rest.replace(/^\s+/, "");
    if (rest.length === 0) break;
    const window = fittingPrefix(rest, limit);
    if (window === rest.length) {
      chunks.push(rest);
      break;
    }
    if (window === 0) throw new Error("splitPlainText: cannot make progress");
    const cut = chooseCut(rest, window);
    chunks.push(rest.slice(0, cut.end));
    rest = rest.slice(cut.next);
  }
  // Telegram refuses a message of nothing but whitespace; such a piece carries nothing anyway.
  return chunks.filter((chunk) => chunk.trim() !== "");
}

function byteLength(text: string): number {
  return Buffer.byteLength(text, "utf8");
}

/** Choices → an inline keyboard: two buttons a row when every label is short, one a row otherwise. */
export function inlineKeyboard(choices: readonly Choice[]): InlineKeyboard {
  for (const choice of choices) {
    const bytes = byteLength(choice.value);
    if (bytes > CALLBACK_DATA_LIMIT_BYTES || bytes === 0) {
      throw new Error(
        `Telegram callback_data must be 1–${CALLBACK_DATA_LIMIT_BYTES} bytes of UTF-8; choice value ${JSON.stringify(choice.value)} is ${bytes} bytes`,
      );
    }
  }
  const short = choices.every((c) => [...c.label].length <= SHORT_LABEL_CHARS);
  const perRow = short ? 2 : 1;
  const rows: InlineButton[][] = [];
  for (let i = 0; i < choices.length; i += perRow) {
    rows.push(choices.slice(i, i + perRow).map((c) => ({ text: c.label, callback_data: c.value })));
  }
  return { inline_keyboard: rows };
}

/** The sendMessage calls for one OutgoingMessage, in order; the keyboard rides on the last one. */
export function renderForTelegram(message: OutgoingMessage, limit = TELEGRAM_TEXT_LIMIT): TelegramText[] {
  if (message.text.trim() === "") throw new Error("renderForTelegram: an outgoing message needs text (Telegram refuses empty messages)");
  const keyboard = message.choices && message.choices.length > 0 ? inlineKeyboard(message.choices) : undefined;
  const chunks = splitPlainText(message.text, limit).map((chunk): TelegramText => ({ text: escapeHtml(chunk), parse_mode: "HTML" }));
  if (keyboard) chunks[chunks.length - 1]!.reply_markup = keyboard;
  return chunks;
}
