// Movements: the quoted names after "phong trào (thi đua)", "cuộc vận động", "chuyên đề", "chủ đề hoạt động",
// "hội thi" — a list of quotes after one such word ("“A”, “B”; “C” và “D”") is split into one movement each.
// The sector is the plan section it appears in ("Đối với khu vực hành chính, sự nghiệp" / "khối doanh nghiệp").
import type { MovementDefinition } from "../campaign.js";
import type { SourceSpan } from "./source-span.js";
import { cleanValue, paragraphStart, quotedAt, slugify, trimSpan } from "./text-tools.js";

export interface MovementMention {
  name: string;
  kind: MovementDefinition["kind"];
  sector: MovementDefinition["sector"];
  span: SourceSpan;
}

const KEYWORD =
  /(phong\s+trào(?:\s+thi\s+đua)?|cuộc\s+vận\s+động|chuyên\s+đề|chủ\s+đề\s+hoạt\s+động|hội\s+thi|chủ\s+đề|phương\s+châm|mục\s+tiêu|khẩu\s+hiệu|về|các\s+hoạt\s+động)(?![\p{L}])/giu;
const SEPARATORS_ONLY = /^[\s,;*_]*(?:(?:và|hoặc)[\s*_]*)?$/u;
// The text between a keyword and its first quote: short, no sentence end.
const LEAD_IN = /^[^.;“”"]{0,60}$/u;

function kindOf(keyword: string): MovementDefinition["kind"] | undefined {
  const k = keyword.toLowerCase().replace(/\s+/g, " ");
  if (k.startsWith("phong trào")) return "movement";
  if (k === "cuộc vận động") return "campaign-drive";
  if (k === "chuyên đề" || k === "chủ đề hoạt động") return "study-topic";
  if (k === "hội thi") return "contest";
  // "tổ chức các hoạt động “Tháng Công nhân”": a named activity, only when the quote follows at once.
  if (k === "các hoạt động") return "movement";
  return undefined;
}

function quotes(text: string): SourceSpan[] {
  const found: SourceSpan[] = [];
  for (let i = 0; i < text.length; i++) {
    if (text[i] !== "“" && text[i] !== '"') continue;
    const q = quotedAt(text, i);
    if (!q) continue;
    found.push(q);
    i = q.end;
  }
  return found;
}

const SECTION = /(Đối\s+với\s+(?:khu\s+vực|khối)\s+(hành\s+chính|doanh\s+nghiệp))|(?:^|\n)[\s#*]*[IVX]+\.\s/gu;

function sectorAt(text: string, at: number): MovementDefinition["sector"] {
  let sector: MovementDefinition["sector"] = "all";
  for (const m of text.matchAll(SECTION)) {
    if (m.index >= at) break;
    sector = m[2] ? (/doanh/u.test(m[2]) ? "enterprise" : "public-sector") : "all";
  }
  return sector;
}

export function extractMovements(text: string): MovementMention[] {
  const found: MovementMention[] = [];
  let previous: { end: number; kind: MovementDefinition["kind"] | undefined } | undefined;
  for (const q of quotes(text)) {
    const open = q.start - 1;
    const from = Math.max(previous ? previous.end + 1 : 0, paragraphStart(text, open), open - 200);
    const gap = text.slice(from, open);
    let kind: MovementDefinition["kind"] | undefined;
    if (previous?.kind && previous.end + 1 === from && SEPARATORS_ONLY.test(gap)) {
      kind = previous.kind;
    } else {
      const keywords = [...gap.matchAll(KEYWORD)];
      const last = keywords.at(-1);
      const leadIn = last ? gap.slice(last.index + last[0].length) : "";
      const immediate = /^[\s*_]*$/u.test(leadIn);
      kind = last && LEAD_IN.test(leadIn) && (immediate || !/^các\s+hoạt/iu.test(last[1]!)) ? kindOf(last[1]!) : undefined;
    }
    previous = { end: q.end, kind };
    if (!kind) continue;
    const name = cleanValue(text.slice(q.start, q.end));
    if (name.length < 3 || found.some((m) => m.name.toLowerCase() === name.toLowerCase())) continue;
    found.push({ name, kind, sector: sectorAt(text, q.start), span: trimSpan(text, q) });
  }
  return found;
}

/** Keys for the movements: their names' first words, unique. */
export function movementKeys(names: readonly string[]): string[] {
  const used = new Set<string>();
  return names.map((name) => {
    const base = slugify(name, 5) || "phong-trao";
    let key = base;
    for (let n = 2; used.has(key); n++) key = `${base}-${n}`;
    used.add(key);
    return key;
  });
}
