// Reading a plan's text the way it comes out of .txt, .docx (mammoth) and .pdf (pdf.js): paragraphs may be broken
// into lines (PDF) or joined (DOCX headings), and Markdown emphasis (*, **) may be left in. Values are cleaned;
// spans keep pointing at the text as it is.
import type { SourceSpan } from "./source-span.js";

const isUpper = (ch: string) => ch !== ch.toLowerCase() && ch === ch.toUpperCase();

/** Emphasis, quotes, list marks and spaces trimmed from both ends; inner whitespace collapsed to one space. */
export function cleanValue(raw: string): string {
  return raw
    .replace(/[*_#]+/g, "")
    .replace(/\s+/g, " ")
    .trim()
    .replace(/^[-–•:;,.\s“”"]+/u, "")
    .replace(/[\s:;,.“”"]+$/u, "")
    .trim();
}

/** The span of `span`'s text without the characters cleanValue trims from its ends. */
export function trimSpan(text: string, span: SourceSpan): SourceSpan {
  let { start, end } = span;
  const trimmable = /[\s*_#\-–•:;,.“”"]/u;
  while (start < end && trimmable.test(text[start]!)) start++;
  while (end > start && trimmable.test(text[end - 1]!)) end--;
  return { start, end };
}

// A new paragraph: a blank line, or a line that starts like a list item ("- Đợt 1", not a wrapped "- xã hội") or
// a heading.
const PARAGRAPH_BREAK = /\n[ \t]*(?:\n|(?=[-–•+][ \t]+[\p{Lu}*“"]|\d+(?:\.\d+)*\.[ \t]|[IVX]+\.[ \t]|#|\*\*?\s*(?:[IVX]+|\d+)\.))/gu;

/** Where the paragraph containing `from` ends (exclusive), at most `limit`. */
export function paragraphEnd(text: string, from: number, limit = text.length): number {
  PARAGRAPH_BREAK.lastIndex = from;
  const m = PARAGRAPH_BREAK.exec(text);
  return m && m.index < limit ? m.index : limit;
}

/** Where the paragraph containing `at` starts. */
export function paragraphStart(text: string, at: number): number {
  let best = 0;
  PARAGRAPH_BREAK.lastIndex = 0;
  for (let m = PARAGRAPH_BREAK.exec(text); m && m.index < at; m = PARAGRAPH_BREAK.exec(text)) best = m.index + 1;
  return best;
}

/** The end (exclusive, after the stop) of the sentence that starts at `from`, at most `limit`. */
export function sentenceEnd(text: string, from: number, limit: number): number {
  let quoteDepth = 0;
  for (let i = from; i < limit; i++) {
    const ch = text[i]!;
    if (ch === "“") quoteDepth++;
    else if (ch === "”") quoteDepth = Math.max(0, quoteDepth - 1);
    // A full stop inside a quotation ends no sentence; a semicolon never does.
    if (quoteDepth > 0 || (ch !== "." && ch !== "!" && ch !== "?")) continue;
    let j = i + 1;
    while (j < limit && /[*_”"]/u.test(text[j]!)) j++;
    if (j >= limit) return limit;
    if (!/\s/u.test(text[j]!)) continue;
    while (j < limit && /\s/u.test(text[j]!)) j++;
    if (j >= limit) return limit;
    const next = text[j]!;
    const before = text.slice(Math.max(from, i - 3), i);
    if (/(^|\s)(TP|Tp|Q|P)$/u.test(before)) continue; // "TP. Hồ Chí Minh"
    if (isUpper(next) || /[“"*(-]/u.test(next)) return i + 1;
  }
  return limit;
}

/** The sentence around `at`: from the end of the previous sentence (or paragraph) to the end of this one. */
export function sentenceAround(text: string, at: number): SourceSpan {
  const pStart = paragraphStart(text, at);
  const pEnd = paragraphEnd(text, at);
  let start = pStart;
  for (let s = pStart; s < at; ) {
    const e = sentenceEnd(text, s, pEnd);
    if (e > at || e >= pEnd) break;
    start = e;
    s = e;
  }
  return trimSpan(text, { start, end: sentenceEnd(text, Math.max(start, at), pEnd) });
}

/** The text inside the quotation that opens at `open` (“…” or "…"), or undefined when it does not close nearby. */
export function quotedAt(text: string, open: number, maxLength = 600): SourceSpan | undefined {
  const closing = text[open] === "“" ? "”" : text[open] === '"' ? '"' : undefined;
  if (!closing) return undefined;
  const close = text.indexOf(closing, open + 1);
  if (close === -1 || close - open > maxLength) return undefined;
  return { start: open + 1, end: close };
}

/** Lower-case ASCII words joined by dashes: "Bắc Kạn" → "bac-kan". */
export function slugify(text: string, maxWords = 6): string {
  return text
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .replace(/[đĐ]/g, "d")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, " ")
    .trim()
    .split(" ")
    .filter(Boolean)
    .slice(0, maxWords)
    .join("-");
}
