// CSV for Excel: UTF-8 with a byte-order mark (without it Excel reads Vietnamese as mojibake), RFC 4180 quoting of
// every text field, CRLF line ends. Pure: rows in, bytes out. The line helpers let the admin CLI stream a large export to a file.
import type { Locale, PledgeExportRow } from "../ports.js";
import { headerCells, rowCells } from "./columns.js";

export const BOM = "\uFEFF";
export const CRLF = "\r\n";

/**
 * Text a member typed can never run as a formula in the officer's spreadsheet (CSV injection). Excel evaluates a cell
 * that starts with `=`, `+`, `-` or `@`, also after blanks or quotes; and Excel set to `;` as list separator (the
 * Vietnamese locale) splits our comma-separated lines at every `;` — also inside a quoted field, once a quote earlier
 * on the line threw its quote tracking off — and may start a record at a line break inside a field. So an apostrophe
 * (Excel's "this is text" mark) goes before such a start at the beginning of the value and right after every `;`,
 * `,`, tab or line break in it: `Cam kết;=1+1` is written `Cam kết;'=1+1`. A leading tab or CR is prefixed too.
 */
export function neutralizeFormula(value: string): string {
  const defused = value.replace(/(^|[,;\t\r\n])(?=[\s"]*[=+\-@])/g, "$1'");
  return /^[\t\r]/.test(defused) ? `'${defused}` : defused;
}

/**
 * Every text field is quoted (its quotes doubled), numbers are not: a quoted field is one cell whatever the reader's
 * list separator is, so Excel set to `;` (Vietnamese locale) cannot split `Cam kết;=1+1` into a second, formula cell.
 */
export function csvField(value: string | number): string {
  if (typeof value === "number") return String(value);
  return `"${neutralizeFormula(value).replace(/"/g, '""')}"`;
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
