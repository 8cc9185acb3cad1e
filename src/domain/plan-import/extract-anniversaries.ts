// Anniversaries: "kỷ niệm 95 năm Ngày thành lập Đảng Cộng sản Việt Nam (03/02/1930 - 03/02/2025)" — the base
// date is the first date of the bracket — and undated ones ("80 năm Cách mạng tháng Tám") recognised by name in
// the built-in list. The ordinal a plan states is checked against the one computed from the campaign year.
import type { CheckReason } from "./findings.js";
import { knownAnniversaryByBaseDate, knownAnniversaryNamed } from "./known-anniversaries.js";
import { findDateMentions, isoOf } from "./plan-dates.js";
import type { SourceSpan } from "./source-span.js";
import { cleanValue, slugify } from "./text-tools.js";

export interface AnniversaryMention {
  key: string;
  name: string;
  name_en?: string;
  base_date: string;
  /** The whole mention, name through bracket: used to tie it to the phase whose paragraph contains it. */
  span: SourceSpan;
  /** Where the base date is written; for an undated mention, its name. */
  baseDateSpan: SourceSpan;
  dated: boolean;
  checks: CheckReason[];
}

const BRACKET = /\(\s*(\d{1,2}[/.\-]\d{1,2}[/.\-]\d{4})\s*[-–—]\s*(\d{1,2}[/.\-]\d{1,2}[/.\-]\d{4})\s*\)/gu;
const ORDINAL = /(\d{1,3})\s+năm\s+/gu;
// What separates one anniversary from the one before it in a list.
const CHUNK_BOUNDARY = /[;:.!?\n“”]|\)\s*[,;]?|,(?=\s*(?:kỷ\s+niệm\s+)?\d{1,3}\s+năm\s)/gu;

function chunkStart(text: string, end: number): number {
  const from = Math.max(0, end - 250);
  let start = from;
  const region = text.slice(from, end);
  for (const m of region.matchAll(CHUNK_BOUNDARY)) {
    // A "(CHXHCN)" inside a name is not a boundary: only a bracket that closes a date range is.
    if (m[0].startsWith(")") && !/\d{4}\s*$/u.test(region.slice(0, m.index))) continue;
    start = from + m.index + m[0].length;
  }
  return start;
}

/** The campaign's calendar years: the plan's year through the year its last phase ends (phases may cross a year). */
export interface CampaignYears {
  first: number;
  last: number;
}

/** The stated ordinal against the one computed for the occurrence year (the written one, else one in the campaign). */
function ordinalCheck(stated: number | undefined, baseYear: number, years: CampaignYears, writtenYear?: number): CheckReason[] {
  if (stated === undefined) return [];
  const candidates = writtenYear !== undefined ? [writtenYear] : Array.from({ length: years.last - years.first + 1 }, (_, i) => years.first + i);
  if (candidates.some((y) => y - baseYear === stated)) return [];
  return [{ code: "ordinal-mismatch", stated, computed: candidates[0]! - baseYear }];
}

/**
 * Every anniversary the text mentions (a key may come several times), and the undated "kỷ niệm N năm …" the
 * built-in list does not know: their base date must be typed in, so they are reported rather than dropped.
 */
export function extractAnniversaries(text: string, years: CampaignYears): { mentions: AnniversaryMention[]; unknown: SourceSpan[] } {
  const mentions: AnniversaryMention[] = [];
  const unknown: SourceSpan[] = [];

  for (const m of text.matchAll(BRACKET)) {
    const [first, second] = findDateMentions(m[0], m.index);
    if (!first?.parsed.ok || !second?.parsed.ok) continue;
    const a = first.parsed.shape;
    const b = second.parsed.shape;
    if (a.kind !== "day-month-year" || b.kind !== "day-month-year" || a.day !== b.day || a.month !== b.month || b.year <= a.year) continue;

    const start = chunkStart(text, m.index);
    const chunk = text.slice(start, m.index);
    const ordinals = [...chunk.matchAll(ORDINAL)];
    const lastOrdinal = ordinals.at(-1);
    const stated = lastOrdinal ? Number(lastOrdinal[1]) : undefined;
    const nameFrom = lastOrdinal ? lastOrdinal.index + lastOrdinal[0].length : 0;
    // "80 năm Cách mạng tháng Tám và Quốc khánh …": the dated one is the last of the list.
    const listText = chunk.slice(nameFrom);
    const segments: { text: string; at: number }[] = [];
    let pos = 0;
    for (const sep of listText.matchAll(/\s+và\s+/gu)) {
      segments.push({ text: listText.slice(pos, sep.index), at: pos });
      pos = sep.index + sep[0].length;
    }
    segments.push({ text: listText.slice(pos), at: pos });
    const nameText = segments.at(-1)!.text;
    const base = isoOf(a.year, a.month, a.day);
    const known = knownAnniversaryByBaseDate(base);
    const checks: CheckReason[] = [...ordinalCheck(stated, a.year, years, b.year)];
    if (b.year < years.first || b.year > years.last) checks.push({ code: "anniversary-year-mismatch", written: b.year, year: years.first });
    const writtenName = cleanValue(nameText.replace(/^\s*(?:kỷ\s+niệm|chào\s+mừng)\s+/iu, "")).replace(/^ngày/u, "Ngày");
    if (!known) checks.push({ code: "unknown-anniversary" });
    mentions.push({
      key: known?.key ?? (slugify(writtenName, 5) || `ky-niem-${a.year}`),
      name: known?.name ?? (writtenName || `Kỷ niệm ${base}`),
      ...(known ? { name_en: known.name_en } : {}),
      base_date: base,
      span: { start: start + (chunk.length - chunk.trimStart().length), end: m.index + m[0].length },
      baseDateSpan: first.span,
      dated: true,
      checks,
    });

    // Undated ones listed with it: "80 năm Cách mạng tháng Tám và Quốc khánh … (02/9/1945 - 02/9/2025)".
    for (const segment of segments.slice(0, -1)) {
      const offset = start + nameFrom + segment.at;
      const named = knownAnniversaryNamed(segment.text);
      if (named && named.index <= 6 && named.anniversary.base_date !== base) {
        const span = { start: offset + named.index, end: offset + named.index + named.length };
        mentions.push({
          key: named.anniversary.key,
          name: named.anniversary.name,
          name_en: named.anniversary.name_en,
          base_date: named.anniversary.base_date,
          span,
          baseDateSpan: span,
          dated: false,
          checks: [{ code: "base-date-from-list" }, ...ordinalCheck(stated, Number(named.anniversary.base_date.slice(0, 4)), years)],
        });
      }
    }
  }

  // "kỷ niệm 80 năm Cách mạng tháng Tám" with no dates anywhere near it.
  for (const m of text.matchAll(ORDINAL)) {
    const after = m.index + m[0].length;
    const following = text.slice(after, after + 120);
    // Dated ("95 năm … (03/02/1930 - …)"), unless another ordinal comes before the bracket: handled above.
    const bracket = /\(\s*\d{1,2}[/.\-]\d{1,2}[/.\-]\d{4}\s*[-–—]/u.exec(following);
    if (bracket && !/\d{1,3}\s+năm\s/u.test(following.slice(0, bracket.index))) continue;
    if (/kỷ\s+niệm\s+$/iu.test(text.slice(Math.max(0, m.index - 12), m.index))) {
      const named = knownAnniversaryNamed(following);
      if (!named || named.index > 6) {
        const end = following.search(/[,;.()“”\n]|\s+(?:và|gắn|nhằm|để)\s/u);
        unknown.push({ start: m.index, end: after + (end === -1 ? following.length : end) });
        continue;
      }
    }
    // "81 năm Cách mạng tháng Tám và Quốc khánh 2-9": each name of the list shares the ordinal.
    for (let at = after, first = true; ; first = false) {
      const rest = text.slice(at, at + 120);
      // "… Cách mạng tháng Tám thành công và Quốc khánh 2/9": a word or two may close the previous name.
      const lead = first ? "" : (/^(?:\s+\p{Ll}+){0,3}?\s*(?:,|và)\s+/u.exec(rest)?.[0] ?? null);
      if (lead === null) break;
      const named = knownAnniversaryNamed(rest.slice(lead.length));
      if (!named || named.index > 6) break;
      const span = { start: at + lead.length + named.index, end: at + lead.length + named.index + named.length };
      at = span.end;
      if (mentions.some((x) => x.span.start <= span.start && span.end <= x.span.end)) continue;
      mentions.push({
        key: named.anniversary.key,
        name: named.anniversary.name,
        name_en: named.anniversary.name_en,
        base_date: named.anniversary.base_date,
        span: { start: first ? m.index : span.start, end: span.end },
        baseDateSpan: span,
        dated: false,
        checks: [{ code: "base-date-from-list" }, ...ordinalCheck(Number(m[1]), Number(named.anniversary.base_date.slice(0, 4)), years)],
      });
    }
  }
  mentions.sort((x, y) => x.span.start - y.span.start);
  return { mentions, unknown };
}
