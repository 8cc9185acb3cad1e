// The units CSV (`units import <file.csv>`): columns code,name,parent_code,member_count, header required, UTF-8 with or
// without BOM. Every problem is reported with its line number ("units.csv: line 4: …"); a file with any problem
// imports nothing. A parent may come after its child in the file, or be a unit already in the database.
import { parse } from "csv-parse/sync";
import type { UnitRow } from "../app/ports.js";
import { parentCycles } from "../db/unit-tree.js";

export const UNIT_COLUMNS = ["code", "name", "parent_code", "member_count"] as const;

/** PostgreSQL INTEGER. */
const MAX_MEMBER_COUNT = 2_147_483_647;

export interface UnitCsvRow extends UnitRow {
  /** 1-based line of the record in the file (its last line, for a quoted value spanning lines). */
  line: number;
}

export interface Problem {
  line: number;
  /** English, for the CLI. */
  message: string;
  /** What went wrong, for a translated message (locale key `unitsCsv.<kind>` with `params`; the console's). */
  kind?: ProblemKind;
  params?: Record<string, string | number>;
}

export type ProblemKind = "unreadable" | "empty" | "header" | "noRows" | "fieldCount" | "codeMissing" | "duplicate" | "nameMissing" | "memberCount" | "unknownParent" | "cycle"
  // The console's scope checks (an officer may only touch their own subtree).
  | "outOfScope" | "rootParent" | "parentOutOfScope";

export interface ParsedUnitsCsv {
  /** Rows that passed the per-row checks (first occurrence of each code). */
  rows: UnitCsvRow[];
  /** Every code the file defines, rejected rows included (a parent named there is "in the file"). */
  codes: Set<string>;
  /** Per-line problems found in the file alone. */
  problems: Problem[];
  /** A problem that stops reading the file (unreadable CSV, bad header): nothing else is checked. */
  fatal?: string;
  fatalProblem?: Problem;
}

export interface UnitsCsvResult {
  /** The rows to import; only meaningful when `errors` is empty. */
  rows: UnitRow[];
  /** "<file>: line N: …", in line order; empty when the file can be imported. */
  errors: string[];
}

/**
 * Everything that can be wrong with a units file, given the units already stored (code → parent code):
 * the file's own problems, unknown parents, and parent cycles.
 */
export function validateUnitsCsv(fileName: string, text: string, stored: ReadonlyMap<string, string | null>): UnitsCsvResult {
  const parsed = parseUnitsCsv(text);
  if (parsed.fatal !== undefined) return { rows: [], errors: [`${fileName}: ${parsed.fatal}`] };
  const problems = [...parsed.problems, ...checkUnitParents(parsed.rows, parsed.codes, stored)];
  const errors = problems
    .map((p, i) => ({ ...p, i }))
    .sort((a, b) => a.line - b.line || a.i - b.i)
    .map((p) => `${fileName}: line ${p.line}: ${p.message}`);
  return {
    rows: parsed.rows.map(({ code, name, parentCode, memberCount }) => ({ code, name, parentCode, memberCount })),
    errors,
  };
}

/** Parses and checks the file on its own: header, field count, code, name, member_count, duplicate codes. */
export function parseUnitsCsv(text: string): ParsedUnitsCsv {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, {
      bom: true,
      info: true,
      trim: true,
      relax_column_count: true,
      skip_empty_lines: true,
      skip_records_with_empty_values: true,
    }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (e) {
    const where = (e as { lines?: number }).lines;
    const message = e instanceof Error ? e.message.replace(/^Invalid \w+: /, "") : String(e);
    return { rows: [], codes: new Set(), problems: [], fatal: `${where ? `line ${where}: ` : ""}${message}`, fatalProblem: { line: where ?? 1, message, kind: "unreadable", params: { detail: message } } };
  }

  const header = records[0];
  if (!header) {
    return { rows: [], codes: new Set(), problems: [], fatal: `line 1: the file is empty; expected the header ${UNIT_COLUMNS.join(",")}`, fatalProblem: { line: 1, message: "the file is empty", kind: "empty", params: { header: UNIT_COLUMNS.join(",") } } };
  }
  const names = header.record.map((h) => h.toLowerCase());
  const headerProblems: string[] = [];
  const missing = UNIT_COLUMNS.filter((c) => !names.includes(c));
  if (missing.length > 0) headerProblems.push(`missing column(s) ${missing.join(", ")}`);
  const unknown = names.filter((n) => !(UNIT_COLUMNS as readonly string[]).includes(n));
  if (unknown.length > 0) headerProblems.push(`unknown column(s) ${unknown.map((n) => `"${n}"`).join(", ")}`);
  const repeated = names.filter((n, i) => names.indexOf(n) !== i);
  if (repeated.length > 0) headerProblems.push(`repeated column(s) ${[...new Set(repeated)].join(", ")}`);
  if (headerProblems.length > 0) {
    return {
      rows: [],
      codes: new Set(),
      problems: [],
      fatal: `line ${header.info.lines}: the header must be ${UNIT_COLUMNS.join(",")} (${headerProblems.join("; ")})`,
      fatalProblem: { line: header.info.lines, message: headerProblems.join("; "), kind: "header", params: { header: UNIT_COLUMNS.join(","), found: names.join(",") } },
    };
  }
  const column = Object.fromEntries(UNIT_COLUMNS.map((c) => [c, names.indexOf(c)])) as Record<(typeof UNIT_COLUMNS)[number], number>;

  const problems: Problem[] = [];
  const rows: UnitCsvRow[] = [];
  const firstLine = new Map<string, number>();
  if (records.length === 1) problems.push({ line: header.info.lines, message: "no units after the header", kind: "noRows" });
  for (const { record, info } of records.slice(1)) {
    const line = info.lines;
    if (record.length !== names.length) {
      problems.push({ line, message: `expected ${names.length} fields, found ${record.length}`, kind: "fieldCount", params: { expected: names.length, found: record.length } });
      continue;
    }
    const code = record[column.code] ?? "";
    const name = record[column.name] ?? "";
    const parentCode = record[column.parent_code] ?? "";
    const memberText = record[column.member_count] ?? "";
    let ok = true;
    if (code === "") {
      problems.push({ line, message: "code is missing", kind: "codeMissing" });
      ok = false;
    } else if (firstLine.has(code)) {
      problems.push({ line, message: `duplicate code "${code}" (first on line ${firstLine.get(code)})`, kind: "duplicate", params: { code, first: firstLine.get(code)! } });
      ok = false;
    } else {
      firstLine.set(code, line);
    }
    if (name === "") {
      problems.push({ line, message: "name is missing", kind: "nameMissing" });
      ok = false;
    }
    let memberCount = 0;
    if (memberText !== "") {
      if (!/^\d+$/.test(memberText) || Number(memberText) > MAX_MEMBER_COUNT) {
        problems.push({ line, message: `member_count "${memberText}" is not a non-negative integer`, kind: "memberCount", params: { value: memberText } });
        ok = false;
      } else {
        memberCount = Number(memberText);
      }
    }
    if (ok) rows.push({ line, code, name, parentCode: parentCode === "" ? null : parentCode, memberCount });
  }
  return { rows, codes: new Set(firstLine.keys()), problems };
}

/**
 * Checks the parents of `rows` against the file and the database: an unknown parent_code, or a unit on a parent
 * cycle (within the file, or through units already stored). `fileCodes`: every code the file defines, including rows
 * rejected for other reasons. `stored`: stored code → stored parent code.
 */
export function checkUnitParents(
  rows: readonly UnitCsvRow[],
  fileCodes: ReadonlySet<string>,
  stored: ReadonlyMap<string, string | null>,
): Problem[] {
  const problems: Problem[] = [];
  const parentOf = new Map(stored);
  for (const row of rows) parentOf.set(row.code, row.parentCode);
  for (const row of rows) {
    if (row.parentCode !== null && !fileCodes.has(row.parentCode) && !stored.has(row.parentCode)) {
      problems.push({ line: row.line, message: `parent_code "${row.parentCode}" is neither in the file nor in the database`, kind: "unknownParent", params: { parent: row.parentCode } });
    }
  }
  const cycles = parentCycles(
    parentOf,
    rows.map((r) => r.code),
  );
  for (const row of rows) {
    const cycle = cycles.get(row.code);
    if (cycle) problems.push({ line: row.line, message: `parent cycle: ${cycle.join(" → ")}`, kind: "cycle", params: { cycle: cycle.join(" → ") } });
  }
  return problems;
}
