// The plan's owner (the federation that launches it), year, title and overall theme.
import type { CheckReason } from "./findings.js";
import type { SourceSpan } from "./source-span.js";
import { cleanValue, paragraphEnd, quotedAt, sentenceAround, sentenceEnd, slugify, trimSpan } from "./text-tools.js";

export interface Located<T> {
  value: T;
  span?: SourceSpan;
  status: "found" | "inferred" | "default";
  checks: CheckReason[];
}

export interface Owner {
  name: string;
  short_name: string;
  /** Proposed from the place: "lai-chau" (the slug adds the year). */
  slugBase: string;
  /** "LC" (the code prefix adds the year's last two digits). */
  initials: string;
}

const FEDERATION = String.raw`(?:Liên\s+đoàn\s+Lao\s+động|LĐLĐ)(?:\s*\(LĐLĐ\))?`;
const LEVEL = String.raw`(tỉnh|thành\s+phố|Thành\s+phố|TP\.?|quận|huyện|thị\s+xã)`;
const PLACE_WORD = String.raw`\p{Lu}[\p{L}]*`;
const PLACE = String.raw`(${PLACE_WORD}(?:(?:[ \t]*\n?[ \t]*|\s*-\s*)${PLACE_WORD})*)`;
const NAMED_FEDERATION = new RegExp(String.raw`(?<!Tổng\s+)${FEDERATION}\s+${LEVEL}\s+${PLACE}`, "gu");
const BARE_FEDERATION = new RegExp(String.raw`(?<!Tổng\s+)${FEDERATION}\s+${LEVEL}(?![\s*]+\p{Lu})`, "u");
const PLACE_MENTION = new RegExp(String.raw`${LEVEL}\s+${PLACE}`, "gu");
const NATIONAL = /Tổng\s+(?:Liên\s+đoàn\s+Lao\s+động|LĐLĐ)\s+Việt\s+Nam/u;

const oneLine = (s: string) => s.replace(/\s+/g, " ").trim();
const shorten = (s: string) => (s.length > 80 ? `…${s.slice(s.length - 79)}` : s);
const normalLevel = (level: string) => {
  const l = oneLine(level);
  return /^tp\.?$/i.test(l) ? "TP" : l.toLowerCase();
};

function ownerOf(level: string, place: string): Owner {
  const words = slugify(place, 10).split("-");
  const acronym = /^\p{Lu}{2,5}$/u.test(place) ? slugify(place).toUpperCase() : "";
  const initials = acronym || (words.length === 1 ? words[0]!.slice(0, 2) : words.map((w) => w[0]).join("")).toUpperCase().slice(0, 5);
  const lvl = normalLevel(level);
  return {
    name: `Liên đoàn Lao động ${lvl} ${place}`,
    short_name: `LĐLĐ ${lvl} ${place}`,
    slugBase: slugify(place, 10),
    initials: initials.length >= 2 ? initials : `${initials}X`,
  };
}

export function extractOwner(text: string): Located<Owner> {
  // A federation named with its place; the one the plan's issuer ("Ban Thường vụ …") or launcher ("… phát động")
  // is preferred, else the most mentioned.
  const scores = new Map<string, { score: number; span: SourceSpan; level: string; place: string }>();
  for (const m of text.matchAll(NAMED_FEDERATION)) {
    const place = oneLine(m[2]!);
    const key = place.toLowerCase();
    const before = text.slice(Math.max(0, m.index - 20), m.index);
    const after = text.slice(m.index + m[0].length, m.index + m[0].length + 20);
    const weight = 1 + (/Ban\s+Thường\s+vụ\s*$/u.test(before) ? 3 : 0) + (/^\s*(phát\s+động|ban\s+hành)/u.test(after) ? 2 : 0);
    const entry = scores.get(key);
    if (entry) entry.score += weight;
    else scores.set(key, { score: weight, span: { start: m.index, end: m.index + m[0].length }, level: m[1]!, place });
  }
  const best = [...scores.values()].sort((a, b) => b.score - a.score)[0];
  if (best) return { value: ownerOf(best.level, best.place), span: best.span, status: "found", checks: [] };

  // "Liên đoàn Lao động (LĐLĐ) tỉnh phát động": the place is the one the plan mentions most at that level.
  const bare = BARE_FEDERATION.exec(text);
  if (bare) {
    const level = normalLevel(bare[1]!);
    const counts = new Map<string, { count: number; written: string }>();
    for (const m of text.matchAll(PLACE_MENTION)) {
      if (normalLevel(m[1]!) !== level) continue;
      const place = oneLine(m[2]!);
      const entry = counts.get(place) ?? { count: 0, written: oneLine(m[0]) };
      entry.count += 1;
      counts.set(place, entry);
    }
    const place = [...counts.entries()].sort((a, b) => b[1].count - a[1].count)[0];
    if (place) {
      return {
        value: ownerOf(bare[1]!, place[0]),
        span: { start: bare.index, end: bare.index + bare[0].length },
        status: "inferred",
        checks: [{ code: "guessed", from: place[1].written }],
      };
    }
  }

  const national = NATIONAL.exec(text);
  if (national) {
    return {
      value: { name: "Tổng Liên đoàn Lao động Việt Nam", short_name: "Tổng LĐLĐ Việt Nam", slugBase: "tong-ldld", initials: "TLD" },
      span: { start: national.index, end: national.index + national[0].length },
      status: "inferred",
      checks: [{ code: "guessed", from: oneLine(national[0]) }],
    };
  }
  return {
    value: { name: "Liên đoàn Lao động", short_name: "LĐLĐ", slugBase: "ldld", initials: "LD" },
    status: "default",
    checks: [{ code: "not-found" }],
  };
}

const TITLE_AFTER_HEADING = /KẾ\s+HOẠCH[\s*#]*((?:Phát\s+động|Tổ\s+chức|Triển\s+khai)[\s\S]{0,300}?năm\s+(\d{4}))/u;
const LAUNCH_SENTENCE = /(?:phát\s+động|kế\s+hoạch\s+(?:tổ\s+chức\s+)?)(?:\s*(?:phong\s+trào|đợt))?\s+thi\s+đua[^.;\n]{0,250}?năm\s+(\d{4})/iu;

export function extractTitle(text: string): Located<string> & { year?: { value: number; span: SourceSpan } } {
  const heading = TITLE_AFTER_HEADING.exec(text);
  if (heading) {
    const start = heading.index + heading[0].length - heading[1]!.length;
    const span = { start, end: start + heading[1]!.length };
    const yearEnd = span.end;
    return {
      value: cleanValue(heading[1]!),
      span,
      status: "found",
      checks: [],
      year: { value: Number(heading[2]), span: { start: yearEnd - 4, end: yearEnd } },
    };
  }
  const launch = LAUNCH_SENTENCE.exec(text);
  if (launch) {
    const span = { start: launch.index, end: launch.index + launch[0].length };
    const value = cleanValue(launch[0]);
    return {
      value: value[0]!.toUpperCase() + value.slice(1),
      span,
      status: "inferred",
      checks: [{ code: "guessed", from: shorten(oneLine(text.slice(sentenceAround(text, launch.index).start, span.end))) }],
      year: { value: Number(launch[1]), span: { start: span.end - 4, end: span.end } },
    };
  }
  return { value: "", status: "default", checks: [{ code: "not-found" }] };
}

/** The year the plan's text names most often ("năm 2025"), when the title does not say. */
export function mostMentionedYear(text: string): { value: number; span: SourceSpan } | undefined {
  const counts = new Map<number, { count: number; span: SourceSpan }>();
  for (const m of text.matchAll(/năm\s+(20\d{2})(?!\d|\s*[-–]\s*\d)/gu)) {
    const year = Number(m[1]);
    const entry = counts.get(year) ?? { count: 0, span: { start: m.index + m[0].length - 4, end: m.index + m[0].length } };
    entry.count += 1;
    counts.set(year, entry);
  }
  const best = [...counts.entries()].sort((a, b) => b[1].count - a[1].count)[0];
  return best ? { value: best[0], span: best[1].span } : undefined;
}

const THEME_LABEL = /chủ\s+đề(?:\s+thi\s+đua)?(?:\s+(?:năm|của\s+năm)\s+(?:\d{4}|nay))?(?:\s+là)?/giu;

/**
 * The overall theme: the quoted text after "Chủ đề (thi đua)", or — when it is not quoted — the rest of its
 * sentence after a colon or on the next line. `exclude` are the phases' paragraphs, whose "chủ đề" is theirs.
 */
export function extractTheme(text: string, exclude: readonly SourceSpan[]): Located<string> {
  for (const m of text.matchAll(THEME_LABEL)) {
    if (exclude.some((s) => m.index >= s.start && m.index < s.end)) continue;
    let i = m.index + m[0].length;
    const skipStart = i;
    while (i < text.length && /[\s*_:#]/u.test(text[i]!)) i++;
    const skipped = text.slice(skipStart, i);
    // "Chủ đề của đợt thi đua là “…”": a few words between the label and the quotation.
    const wordy = /^(?!\s*(?:hoạt\s+động|công\s+tác)\b)(?:\s+[\p{L}\d]+){1,6}?\s*(?:là|:)?[\s*_]*(?=[“"])/u.exec(text.slice(skipStart, skipStart + 80));
    if (!quotedAt(text, i) && wordy) i = skipStart + wordy[0].length;
    const quote = quotedAt(text, i);
    if (quote) {
      return { value: cleanValue(text.slice(quote.start, quote.end)), span: trimSpan(text, quote), status: "found", checks: [] };
    }
    if (!/[:\n]/u.test(skipped) || i >= text.length) continue;
    const limit = paragraphEnd(text, i);
    // Italic "*…*": up to the closing mark; else to the end of the sentence.
    const italicEnd = skipped.endsWith("*") ? text.indexOf("*", i) : -1;
    const end = italicEnd !== -1 && italicEnd <= limit ? italicEnd : sentenceEnd(text, i, limit);
    const span = trimSpan(text, { start: i, end });
    const value = cleanValue(text.slice(span.start, span.end));
    if (value.length < 8) continue;
    return { value, span, status: "found", checks: [{ code: "theme-not-quoted" }] };
  }
  return { value: "", status: "default", checks: [{ code: "not-found" }] };
}
