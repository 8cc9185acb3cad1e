// CSV for Excel: UTF-8 with a byte-order mark (without it Excel reads Vietnamese as mojibake), RFC 4180 quoting,
// CRLF line ends. Pure: rows in, bytes out. The line helpers let the admin CLI stream a large export to a file.
import type { Locale, PledgeExportRow } from "../ports.js";
import { headerCells, rowCells } from "./columns.js";

export const BOM = "\uFEFF";
export const CRLF = "\r\n";

/**
 * A cell that Excel would read as a formula (=, +, -, @, or a leading tab/CR) gets a leading apostrophe, so text a
 * member typed can never run in the officer's spreadsheet (CSV injection). Other text is unchanged.
 */
export function neutralizeFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** RFC 4180: a field with a comma, a double quote, CR or LF is quoted, and its quotes doubled. */
export function csvField(value: string | number): string {
  const text = typeof value === "number" ? String(value) : neutralizeFormula(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export const csvLine = (cells: readonly (string | number)[]): string => cells.map(csvField).join(",") + CRLF;

export const csvHeaderLine = (locale: Locale): string => csvLine(headerCells(locale));

export const csvRowLine = (row: PledgeExportRow, locale: Locale): string => csvLine(rowCells(row, locale));

/** The whole file: BOM, header, one line per row, every line ending CRLF. */
export function pledgesToCsv(rows: Iterable<PledgeExportRow>, locale: Locale): Buffer {
  const parts = [BOM, csvHeaderLine(locale)];
  for (const row of rows) parts.push(csvRowLine(row, locale));
  return Buffer.from(parts.join(""), "utf8");
}
