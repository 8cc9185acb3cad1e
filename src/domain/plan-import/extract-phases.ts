// The phases: "Đợt 1 (từ 01/01/2025 đến 30/6/2025): Với chủ đề “…”. …", "Giai đoạn 2 từ 1-12 đến 31-1-2026 …".
// A phase is a numbered "Đợt"/"Giai đoạn" followed closely by a date range; its paragraph (up to the next phase)
// gives its theme — the quoted text after "chủ đề", else its first sentence — and its focus (the rest).
import type { CheckReason } from "./findings.js";
import { findDateMentions, resolveRanges, type DateContext, type DateMention, type ResolvedDate } from "./plan-dates.js";
import type { SourceSpan } from "./source-span.js";
import { cleanValue, paragraphEnd, quotedAt, sentenceEnd, trimSpan } from "./text-tools.js";

export interface ExtractedPhase {
  number: number;
  /** "Đợt 1" as written (normalised spacing). */
  name: string;
  nameSpan: SourceSpan;
  start: { resolved: ResolvedDate; span: SourceSpan; written: string };
  end: { resolved: ResolvedDate; span: SourceSpan; written: string };
  theme: { value: string; span: SourceSpan; checks: CheckReason[] };
  focus: { value: string; span: SourceSpan; checks: CheckReason[] };
  /** The phase's whole paragraph: what it celebrates is mentioned here. */
  body: SourceSpan;
  /** The header through the end of the body. */
  whole: SourceSpan;
}

const HEADER = /(?<![\p{L}])(Đợt|Giai\s+đoạn)(?:\s+thi\s+đua)?\s+(?:thứ\s+)?(\d{1,2}|I{1,3}|IV|một|nhất|hai|ba|bốn|tư)(?![\d\p{L}]|[/.\-]\d)/giu;
const WORD_NUMBERS: Record<string, number> = { i: 1, ii: 2, iii: 3, iv: 4, "một": 1, "nhất": 1, hai: 2, ba: 3, "bốn": 4, "tư": 4 };
const RANGE_GAP = /^[\s)*]*(?:đến(?:\s+hết)?(?:\s+ngày)?|tới|[-–—])[\s(*]*$/iu;
const BEFORE_RANGE = /^[\s,:*(]*(?:(?:kéo\s+dài|diễn\s+ra|được\s+tổ\s+chức|thực\s+hiện)\s+)?(?:\(?\s*từ(?:\s+tháng|\s+ngày)?\s*\(?|\()?[\s(*]*$/iu;
// "với chủ đề “…”" in its first sentence, or the paragraph opening with a quotation.
const PHASE_THEME = /^(?:[^.!?]{0,200}?chủ\s+đề[\s:*_]*|[\s*_]*)(?=[“"])/iu;

interface Header {
  number: number;
  name: string;
  nameSpan: SourceSpan;
  start: DateMention;
  end: DateMention;
  after: number;
}

function findHeaders(text: string): Header[] {
  const headers: Header[] = [];
  for (const m of text.matchAll(HEADER)) {
    const after = m.index + m[0].length;
    const region = text.slice(after, Math.min(paragraphEnd(text, after), after + 160));
    const mentions = findDateMentions(region, after);
    for (let k = 0; k + 1 < mentions.length; k++) {
      const a = mentions[k]!;
      const b = mentions[k + 1]!;
      if (!BEFORE_RANGE.test(text.slice(after, a.span.start))) break;
      if (!RANGE_GAP.test(text.slice(a.span.end, b.span.start))) continue;
      const raw = m[2]!.toLowerCase();
      const number = /^\d+$/.test(raw) ? Number(raw) : WORD_NUMBERS[raw]!;
      const word = m[1]!.replace(/\s+/g, " ").toLowerCase();
      headers.push({
        number,
        // "Đợt 1", "Giai đoạn 2", whichever way the plan wrote the number.
        name: `${word[0]!.toUpperCase()}${word.slice(1)} ${number}`,
        nameSpan: { start: m.index, end: after },
        start: a,
        end: b,
        after: b.span.end,
      });
      break;
    }
  }
  return headers;
}

export function extractPhases(text: string, context: DateContext): { phases: ExtractedPhase[]; duplicates: Header[] } {
  const all = findHeaders(text);
  // A plan names each phase once with its dates; a later "Đợt 1 (…)" is a reference, reported but not a phase.
  const seen = new Set<number>();
  const headers: Header[] = [];
  const duplicates: Header[] = [];
  for (const h of all) {
    if (seen.has(h.number)) duplicates.push(h);
    else {
      seen.add(h.number);
      headers.push(h);
    }
  }
  const resolved = resolveRanges(
    headers.map((h) => ({ start: h.start.parsed, end: h.end.parsed })),
    context,
  );

  const phases = headers.map((h, i): ExtractedPhase => {
    const nextHeader = headers[i + 1]?.nameSpan.start ?? text.length;
    let bodyStart = h.after;
    while (bodyStart < text.length && /[\s)*:,.;]/u.test(text[bodyStart]!)) bodyStart++;
    const bodyEnd = Math.min(paragraphEnd(text, bodyStart), nextHeader);
    const body = trimSpan(text, { start: bodyStart, end: bodyEnd });

    let theme: ExtractedPhase["theme"];
    let focusStart: number;
    const label = PHASE_THEME.exec(text.slice(body.start, body.end));
    const quote = label ? quotedAt(text, body.start + label[0].length) : undefined;
    if (quote) {
      theme = { value: cleanValue(text.slice(quote.start, quote.end)), span: trimSpan(text, quote), checks: [] };
      focusStart = quote.end + 1;
    } else {
      const end = sentenceEnd(text, body.start, body.end);
      const span = trimSpan(text, { start: body.start, end });
      theme = { value: cleanValue(text.slice(span.start, span.end)), span, checks: [{ code: "phase-theme-first-sentence" }] };
      focusStart = end;
    }
    const focusSpan = trimSpan(text, { start: Math.min(focusStart, body.end), end: body.end });
    // The span leaves out the closing full stop; the focus keeps the plan's sentence as written.
    const focusText = text.slice(focusSpan.start, Math.max(focusSpan.start, bodyEnd)).replace(/[*_]+/g, "").replace(/\s+/g, " ").trim().replace(/\/\.$/u, "");
    const focus =
      focusText.length > 0
        ? { value: /[.!?)]$/u.test(focusText) ? focusText : `${focusText}.`, span: focusSpan, checks: [] }
        : { value: theme.value, span: theme.span, checks: [{ code: "phase-focus-missing" } as CheckReason] };

    return {
      number: h.number,
      name: h.name,
      nameSpan: h.nameSpan,
      start: { resolved: resolved[i]!.start, span: h.start.span, written: text.slice(h.start.span.start, h.start.span.end) },
      end: { resolved: resolved[i]!.end, span: h.end.span, written: text.slice(h.end.span.start, h.end.span.end) },
      theme: theme.value ? theme : { ...theme, checks: [{ code: "not-found" }] },
      focus,
      body,
      whole: { start: h.nameSpan.start, end: body.end },
    };
  });
  return { phases, duplicates };
}
