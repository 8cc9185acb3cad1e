// A federation's launch plan (text) → a draft campaign, with where each value was found and why a person should
// check it. Pure: the caller extracts the text from .docx/.pdf/.txt and gives the document's date.
//
// The draft always has the shape `campaign load` accepts: what the text does not give is proposed (slug, code
// prefix) or filled with a placeholder, and its finding says so ("default" + a check), so nothing is silently made up.
import type { z } from "zod";
import type { CampaignFieldsSchema, MovementDefinition, TitleDefinition } from "../campaign.js";
import { extractAnniversaries, type AnniversaryMention } from "./extract-anniversaries.js";
import { extractOwner, extractTheme, extractTitle, mostMentionedYear, type Located } from "./extract-header.js";
import { extractMovements, movementKeys } from "./extract-movements.js";
import { extractPhases } from "./extract-phases.js";
import type { CheckReason, FieldPath, Finding, PlanWarning } from "./findings.js";
import { findDateMentions, isoOf } from "./plan-dates.js";
import type { SourceSpan } from "./source-span.js";
import { MOVEMENT_TITLES, KNOWN_TITLES, STANDARD_TITLES } from "./standard-titles.js";
import { cleanValue, sentenceAround } from "./text-tools.js";

export type CampaignDraft = z.input<typeof CampaignFieldsSchema>;

export interface PlanExtraction {
  /** The text the spans point into: the input, NFC-normalised, line ends as "\n". */
  source: string;
  draft: CampaignDraft;
  /** One per field the importer filled, in draft order. */
  findings: Finding[];
  /** Problems in the text itself: ordinals that do not add up, dates that do not exist, repeated phases. */
  warnings: PlanWarning[];
}

export interface ExtractOptions {
  /** The document's date (YYYY-MM-DD): "từ nay" / "hiện nay" in a phase's dates mean this day. */
  documentDate?: string;
  /** The text of a required field the plan does not give (the caller's language; flagged "not-found" anyway). */
  placeholder?: string;
}

const NOT_FOUND: Omit<Located<unknown>, "value"> = { status: "default", checks: [{ code: "not-found" }] };

export function extractPlan(input: string, options: ExtractOptions = {}): PlanExtraction {
  const text = input.normalize("NFC").replace(/\r\n?/g, "\n").replace(/^\uFEFF/, "");
  const PLACEHOLDER = options.placeholder ?? "…";
  const findings: Finding[] = [];
  const warnings: PlanWarning[] = [];
  const note = (path: FieldPath, value: unknown, located: Omit<Located<unknown>, "value">) =>
    findings.push({ path, value, ...(located.span ? { span: located.span } : {}), status: located.status, checks: located.checks });

  // Owner, year, title.
  const owner = extractOwner(text);
  const title = extractTitle(text);
  const mentionedYear = mostMentionedYear(text);
  const year: Located<number> = title.year
    ? { value: title.year.value, span: title.year.span, status: "found", checks: [] }
    : mentionedYear
      ? { value: mentionedYear.value, span: mentionedYear.span, status: "inferred", checks: [{ code: "guessed", from: `năm ${mentionedYear.value}` }] }
      : options.documentDate
        ? { value: Number(options.documentDate.slice(0, 4)), status: "inferred", checks: [{ code: "guessed", from: `--date ${options.documentDate}` }] }
        : { value: 2000, ...NOT_FOUND };

  // Phases first: their paragraphs have their own "chủ đề", which is not the plan's.
  const { phases, duplicates } = extractPhases(text, { planYear: year.value, ...(options.documentDate ? { documentDate: options.documentDate } : {}) });
  for (const d of duplicates) warnings.push({ reason: { code: "phase-duplicate", number: d.number }, span: d.nameSpan });
  const theme = extractTheme(text, phases.map((p) => p.whole));

  const yy = String(year.value % 100).padStart(2, "0");
  const slug = `${owner.value.slugBase}-${year.value}`;
  const codePrefix = `${owner.value.initials}${yy}`;
  const proposed: Omit<Located<unknown>, "value"> = { status: "inferred", checks: [{ code: "guessed", from: `${owner.value.short_name}, ${year.value}` }] };
  note(["slug"], slug, proposed);
  note(["code_prefix"], codePrefix, proposed);
  note(["year"], year.value, year);
  note(["owner", "name"], owner.value.name, owner);
  note(["owner", "short_name"], owner.value.short_name, owner);
  const titleValue = title.value || PLACEHOLDER;
  note(["title"], titleValue, title);
  const themeValue = theme.value || PLACEHOLDER;
  note(["theme"], themeValue, theme);
  // The plan's own reference, in its words: "Kế hoạch phát động … của Liên đoàn Lao động tỉnh …".
  const plan = /^kế\s+hoạch\s/iu.test(titleValue) ? titleValue : `Kế hoạch ${titleValue[0]!.toLowerCase()}${titleValue.slice(1)}`;
  const source = title.value ? `${plan} của ${owner.value.name}` : owner.value.name;

  // Anniversaries: one per key, the first mention (a dated one over an undated one).
  const lastYear = Math.max(year.value, ...phases.flatMap((p) => (p.end.resolved.ok ? [Number(p.end.resolved.date.slice(0, 4))] : [])));
  const { mentions, unknown } = extractAnniversaries(text, { first: year.value, last: Math.min(lastYear, year.value + 1) });
  for (const span of unknown) {
    warnings.push({ reason: { code: "undated-anniversary", written: text.slice(span.start, span.end).replace(/\s+/g, " ") }, span });
  }
  const byKey = new Map<string, AnniversaryMention>();
  for (const m of mentions) {
    const known = byKey.get(m.key);
    if (!known || (!known.dated && m.dated)) byKey.set(m.key, m);
    // The text contradicts itself: worth a warning wherever it happens, not only on the mention kept.
    for (const c of m.checks) if (c.code === "ordinal-mismatch" || c.code === "anniversary-year-mismatch") warnings.push({ reason: c, span: m.span });
  }

  // Each phase celebrates the anniversaries its paragraph mentions (each anniversary belongs to one phase).
  const celebrated = new Map<string, number>();
  const phaseAnniversaries = phases.map((p, i) => {
    const keys: string[] = [];
    for (const m of mentions) {
      if (m.span.start >= p.body.start && m.span.start < p.body.end && !celebrated.has(m.key)) {
        celebrated.set(m.key, i);
        keys.push(m.key);
      }
    }
    return keys;
  });
  const anniversaryOrder = [
    ...phaseAnniversaries.flat(),
    ...[...byKey.keys()].filter((k) => !celebrated.has(k)),
  ];

  // Movements, and the phases whose paragraph names them.
  const movementMentions = extractMovements(text);
  const keys = movementKeys(movementMentions.map((m) => m.name));
  const phaseMovements = phases.map((p) => keys.filter((_, i) => movementMentions[i]!.span.start >= p.body.start && movementMentions[i]!.span.start < p.body.end));

  // Phases. A date that cannot be read gets a placeholder that keeps the phases in order: the day after the
  // previous phase (or 1 January), the day before the next one (or 31 December).
  const readable = phases.map((p) => ({ start: p.start.resolved.ok ? p.start.resolved.date : undefined, end: p.end.resolved.ok ? p.end.resolved.date : undefined }));
  const placeholderDate = (i: number, field: "start" | "end"): string => {
    if (field === "start") {
      const before = readable.slice(0, i).map((r) => r.end ?? r.start).filter(Boolean).at(-1);
      return before ? addDays(before, 1) : isoOf(year.value, 1, 1);
    }
    const after = readable.slice(i + 1).map((r) => r.start ?? r.end).find(Boolean);
    const fallback = after ? addDays(after, -1) : isoOf(year.value, 12, 31);
    const start = readable[i]!.start;
    return start && fallback < start ? start : fallback;
  };
  const draftPhases: CampaignDraft["phases"] = [];
  phases.forEach((p, i) => {
    const at = (field: string): FieldPath => ["phases", i, field];
    if (p.number !== i + 1) warnings.push({ reason: { code: "phase-order" }, span: p.nameSpan, path: at("number") });
    note(at("number"), i + 1, { span: p.nameSpan, status: p.number === i + 1 ? "found" : "inferred", checks: p.number === i + 1 ? [] : [{ code: "phase-order" }] });
    note(at("name"), p.name, { span: p.nameSpan, status: "found", checks: [] });
    const dates: Record<"start" | "end", string> = { start: "", end: "" };
    for (const field of ["start", "end"] as const) {
      const d = p[field];
      if (d.resolved.ok) {
        dates[field] = d.resolved.date;
        note(at(field), d.resolved.date, {
          span: d.span,
          status: d.resolved.inferred.length ? "inferred" : "found",
          checks: d.resolved.inferred.map((how): CheckReason => ({ code: "date-inferred", how: how.kind })),
        });
      } else {
        const reason: CheckReason = { code: "date-refused", written: d.written, refusal: d.resolved.refusal };
        warnings.push({ reason, span: d.span, path: at(field) });
        dates[field] = placeholderDate(i, field);
        if (field === "start") readable[i]!.start = dates[field];
        note(at(field), dates[field], { span: d.span, status: "default", checks: [reason] });
      }
    }
    note(at("theme"), p.theme.value || PLACEHOLDER, { span: p.theme.span, status: p.theme.checks.length ? "inferred" : "found", checks: p.theme.checks });
    note(at("focus"), p.focus.value, { span: p.focus.span, status: p.focus.checks.length ? "inferred" : "found", checks: p.focus.checks });
    const celebrates = phaseAnniversaries[i]!;
    if (celebrates.length) note(at("anniversaries"), celebrates, { span: p.body, status: "found", checks: [] });
    const names = phaseMovements[i]!;
    if (names.length) note(at("movements"), names, { span: p.body, status: "found", checks: [] });
    draftPhases.push({
      number: i + 1,
      name: p.name,
      start: dates.start,
      end: dates.end,
      theme: p.theme.value || PLACEHOLDER,
      focus: p.focus.value,
      anniversaries: celebrates,
      ...(names.length ? { movements: names } : {}),
    });
  });
  if (draftPhases.length === 0) {
    // The schema needs a phase: the whole year, for a person to split.
    const located = { status: "default" as const, checks: [{ code: "not-found" } as CheckReason] };
    const phase = { number: 1, name: "Đợt 1", start: isoOf(year.value, 1, 1), end: isoOf(year.value, 12, 31), theme: themeValue, focus: themeValue, anniversaries: [] };
    for (const [field, value] of Object.entries(phase)) if (field !== "anniversaries") note(["phases", 0, field], value, located);
    draftPhases.push(phase);
  }

  const anniversaries = anniversaryOrder.map((key, i) => {
    const m = byKey.get(key)!;
    note(["anniversaries", i, "key"], m.key, { span: m.span, status: m.checks.some((c) => c.code === "unknown-anniversary") ? "inferred" : "found", checks: [] });
    note(["anniversaries", i, "name"], m.name, { span: m.span, status: "found", checks: [] });
    note(["anniversaries", i, "base_date"], m.base_date, { span: m.baseDateSpan, status: m.dated ? "found" : "inferred", checks: m.checks });
    return { key: m.key, name: m.name, ...(m.name_en ? { name_en: m.name_en } : {}), base_date: m.base_date };
  });

  const movements: MovementDefinition[] = movementMentions.map((m, i) => {
    note(["movements", i, "name"], m.name, { span: m.span, status: "found", checks: [] });
    note(["movements", i, "kind"], m.kind, { span: m.span, status: "inferred", checks: [] });
    return { key: keys[i]!, name: m.name, kind: m.kind, sector: m.sector };
  });

  // Titles: the ones the plan names after "danh hiệu", else the standard ones and those its movements imply.
  const named = namedTitles(text);
  let titles: TitleDefinition[];
  if (named.length > 0) {
    titles = named.map((n) => n.title);
    named.forEach((n, i) => note(["titles", i, "name"], n.title.name, { span: n.span, status: "found", checks: [] }));
  } else {
    const implied = MOVEMENT_TITLES.filter((t) => movements.some((m) => t.movement.test(m.name))).flatMap((t) => t.titles);
    titles = [...STANDARD_TITLES.filter((t) => t.scope === "individual"), ...implied, ...STANDARD_TITLES.filter((t) => t.scope === "collective")];
    const danhHieu = /danh\s+hiệu/iu.exec(text);
    note(["titles"], titles.map((t) => t.key), {
      ...(danhHieu ? { span: sentenceAround(text, danhHieu.index) } : {}),
      status: "default",
      checks: [{ code: "standard-titles" }],
    });
  }

  // Works, initiatives, reporting: the plan's own sentences.
  const found = (span: SourceSpan): Omit<Located<unknown>, "value"> => ({ span, status: "found", checks: [] });
  const matchSpan = (m: RegExpExecArray): SourceSpan => ({ start: m.index, end: m.index + m[0].length });
  const works = sentenceWith(text, /công\s+trình/iu, /(phần\s+việc|sản\s+phẩm)/iu);
  const plaque = /gắn\s+biển/iu.exec(text);
  const initiatives = sentenceWith(text, /sáng\s+kiến/iu);
  const report = sentenceWith(text, /báo\s+cáo\s+kết\s+quả/iu);
  const eachPhase = /(sau|cuối|kết\s+thúc)\s+(mỗi|từng)\s+(đợt|giai\s+đoạn)/iu.exec(text);
  const to = report ? reportRecipient(report.value, owner.value.short_name) : undefined;
  note(["works", "description"], works?.value ?? PLACEHOLDER, works ? found(works.span) : NOT_FOUND);
  // No "gắn biển" in the plan means no plaques: nothing to check.
  note(["works", "plaque"], Boolean(plaque), plaque ? found(matchSpan(plaque)) : { status: "inferred", checks: [] });
  note(["initiatives", "description"], initiatives?.value ?? PLACEHOLDER, initiatives ? found(initiatives.span) : NOT_FOUND);
  note(["reporting", "after_each_phase"], Boolean(eachPhase), eachPhase ? found(matchSpan(eachPhase)) : NOT_FOUND);
  note(["reporting", "to"], to ?? owner.value.short_name, to && report ? found(report.span) : NOT_FOUND);
  note(["reporting", "description"], report?.value ?? PLACEHOLDER, report ? found(report.span) : NOT_FOUND);

  const draft: CampaignDraft = {
    slug,
    code_prefix: codePrefix,
    year: year.value,
    owner: { name: owner.value.name, short_name: owner.value.short_name },
    title: titleValue,
    theme: themeValue,
    source,
    phases: draftPhases,
    anniversaries,
    movements,
    titles,
    works: { description: works?.value ?? PLACEHOLDER, plaque: Boolean(plaque) },
    initiatives: { description: initiatives?.value ?? PLACEHOLDER },
    reporting: { after_each_phase: Boolean(eachPhase), to: to ?? owner.value.short_name, description: report?.value ?? PLACEHOLDER },
  };

  // Dates the text writes that are not dates (31/02/2025): worth a look even outside the phases.
  for (const m of findDateMentions(text)) {
    if (!m.parsed.ok && m.parsed.refusal.reason !== "not-a-date") {
      const written = text.slice(m.span.start, m.span.end);
      if (!warnings.some((w) => w.span?.start === m.span.start)) warnings.push({ reason: { code: "date-refused", written, refusal: m.parsed.refusal }, span: m.span });
    }
  }
  return { source: text, draft, findings, warnings };
}

function addDays(date: string, days: number): string {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

function sentenceWith(text: string, ...patterns: RegExp[]): { value: string; span: SourceSpan } | undefined {
  const first = patterns[0]!;
  const global = new RegExp(first.source, `${first.flags.replace("g", "")}g`);
  for (const m of text.matchAll(global)) {
    const span = sentenceAround(text, m.index);
    const sentence = text.slice(span.start, span.end);
    if (!patterns.slice(1).every((p) => p.test(sentence))) continue;
    const value = text.slice(span.start, Math.min(span.end + 1, text.length)).replace(/[*_#]+/g, "").replace(/\s+/g, " ").trim().replace(/^[-–•]\s*/u, "").replace(/\/\.$/u, "");
    return { value: /[.!?]$/u.test(value) ? value : `${value}.`, span };
  }
  return undefined;
}

/** "… báo cáo kết quả thực hiện về LĐLĐ tỉnh (qua Ban …) theo quy định" → "LĐLĐ tỉnh Lai Châu (qua Ban …)". */
function reportRecipient(sentence: string, ownerShortName: string): string | undefined {
  const m = /báo\s+cáo\s+kết\s+quả[^.]*?\svề\s+(.+?)(?=\s+(?:theo\s+quy\s+định|sau\s+khi|sau\s+mỗi|trước\s+ngày|định\s+kỳ|để)|[.;,]|$)/iu.exec(sentence);
  if (!m) return undefined;
  let to = cleanValue(m[1]!);
  // "LĐLĐ tỉnh" alone means the plan's owner.
  const bare = /^(LĐLĐ|Liên\s+đoàn\s+Lao\s+động)\s+(tỉnh|thành\s+phố|TP)(?=\s*(\(|$)|\s+qua\s)/u.exec(to);
  if (bare) to = ownerShortName + to.slice(bare[0].length);
  return to || undefined;
}

function namedTitles(text: string): { title: TitleDefinition; span: SourceSpan }[] {
  const found: { title: TitleDefinition; span: SourceSpan }[] = [];
  for (const m of text.matchAll(/danh\s+hiệu/giu)) {
    const sentence = sentenceAround(text, m.index);
    const after = text.slice(m.index, sentence.end);
    for (const title of KNOWN_TITLES) {
      const at = after.toLowerCase().indexOf(title.name.toLowerCase());
      if (at === -1 || found.some((f) => f.title.key === title.key)) continue;
      // "Lao động tiên tiến" inside "Tập thể lao động tiên tiến" is the collective title only.
      if (title.key === "lao-dong-tien-tien" && /tập\s+thể\s+$/iu.test(after.slice(0, at))) continue;
      found.push({ title, span: { start: m.index + at, end: m.index + at + title.name.length } });
    }
  }
  return found;
}
