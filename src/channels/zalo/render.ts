// OutgoingMessage → Zalo text messages. Zalo has no buttons, so choices become a numbered list followed by the
// locale's "reply with a number" hint; text over the platform limit is split at paragraph, line or space
// boundaries, never inside a word or a surrogate pair.
import { DEFAULT_LOCALE, t } from "../../app/i18n.js";
import type { OutgoingMessage } from "../../app/ports.js";
import { ZALO_TEXT_LIMIT } from "./types.js";

/** The texts to send, in order; the numbered choices (and the hint) are in the last one. */
export function renderForZalo(message: OutgoingMessage, limit = ZALO_TEXT_LIMIT): string[] {
  const text = message.text.trim();
  const choices = message.choices ?? [];
  if (choices.length === 0) return splitText(text, limit);
  // Labels the core numbered already (prompts that say to type numbers) keep their one number.
  const numbered = choices.map((choice, i) => (choice.label.startsWith(`${i + 1}. `) ? choice.label : `${i + 1}. ${choice.label}`)).join("\n");
  const list = `${numbered}\n${t(message.locale ?? DEFAULT_LOCALE, "choice.hint")}`;
  const whole = text ? `${text}\n\n${list}` : list;
  if (whole.length <= limit) return [whole];
  const chunks = splitText(text, limit);
  const last = chunks.at(-1);
  if (last !== undefined && last.length + 2 + list.length <= limit) return [...chunks.slice(0, -1), `${last}\n\n${list}`];
  return [...chunks, ...splitText(list, limit)];
}

/** Splits `text` into pieces of at most `limit` UTF-16 code units (the stricter reading of "characters"). */
export function splitText(text: string, limit = ZALO_TEXT_LIMIT): string[] {
  const chunks: string[] = [];
  let rest = text;
  while (rest.length > limit) {
    const { end, resume } = cutPoint(rest, limit);
    const piece = rest.slice(0, end).trimEnd();
    if (piece) chunks.push(piece);
    rest = rest.slice(resume);
  }
  if (rest.trim()) chunks.push(rest.trimEnd());
  return chunks;
}

/** Where to end this piece (`end`) and where the next one starts (`resume`, after the separator). */
function cutPoint(text: string, limit: number): { end: number; resume: number } {
  const window = text.slice(0, limit + 1); // a separator right at the limit still counts
  // Prefer the biggest unit that still leaves a reasonably full piece; then any boundary at all.
  for (const minimum of [Math.floor(limit / 2), 1]) {
    for (const separator of [/\n[ \t]*\n/g, /\n/g, /[ \t]/g]) {
      let found = -1;
      let length = 0;
      for (const match of window.matchAll(separator)) {
        if (match.index <= limit && match.index >= minimum) {
          found = match.index;
          length = match[0].length;
        }
      }
      if (found >= 0) return { end: found, resume: skipBlankLines(text, found + length) };
    }
  }
  // One "word" longer than the limit: cut it, but never between the halves of a surrogate pair.
  const code = text.charCodeAt(limit - 1);
  const end = code >= 0xd800 && code <= 0xdbff ? limit - 1 : limit;
  return { end, resume: end };
}

function skipBlankLines(text: string, from: number): number {
  let i = from;
  while (text[i] === "\n") i++;
  return i;
}
