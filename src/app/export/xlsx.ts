// XLSX with exceljs: a header row in the reader's language (bold, frozen, with an autofilter), column widths from
// the content (capped), codes as text, registration dates as real date cells. Pure: rows in, bytes out. exceljs (about
// 12 MB resident) is loaded on the first export, not at start-up.
import { t } from "../i18n.js";
import type { Locale, PledgeExportRow } from "../ports.js";
import { EXPORT_COLUMNS, headerCells, localDateTimeCell, rowCells, XLSX_DATE_FORMAT } from "./columns.js";

export const MIN_COLUMN_WIDTH = 8;
export const MAX_COLUMN_WIDTH = 60;

/** The widest line of a cell, in characters (a multi-line commitment is as wide as its longest line). */
function cellWidth(value: string | number): number {
  return Math.max(...String(value).split(/\r\n|\r|\n/).map((line) => [...line].length));
}

export function columnWidth(values: readonly (string | number)[]): number {
  const widest = Math.max(0, ...values.map(cellWidth));
  return Math.min(MAX_COLUMN_WIDTH, Math.max(MIN_COLUMN_WIDTH, widest + 2));
}

/** Excel sheet names: at most 31 characters, none of []:*?/\ . */
const sheetName = (name: string) => name.replace(/[[\]:*?/\\]/g, " ").slice(0, 31);

export async function pledgesToXlsx(rows: Iterable<PledgeExportRow>, locale: Locale): Promise<Buffer> {
  const { default: ExcelJS } = await import("exceljs");
  const workbook = new ExcelJS.Workbook();
  workbook.creator = t(locale, "export.creator");
  const sheet = workbook.addWorksheet(sheetName(t(locale, "export.sheet")), {
    views: [{ state: "frozen", xSplit: 0, ySplit: 1 }],
  });
  const header = headerCells(locale);
  const data = [...rows].map((row) => rowCells(row, locale));

  sheet.addRow(header).font = { bold: true };
  for (const cells of data) sheet.addRow(cells.map((value, i) => (EXPORT_COLUMNS[i]!.date && typeof value === "string" ? (localDateTimeCell(value) ?? value) : value)));

  EXPORT_COLUMNS.forEach((column, i) => {
    const sheetColumn = sheet.getColumn(i + 1);
    sheetColumn.width = columnWidth([header[i]!, ...data.map((cells) => cells[i]!)]);
    if (column.date) sheetColumn.numFmt = XLSX_DATE_FORMAT;
    else if (typeof data[0]?.[i] !== "number") sheetColumn.numFmt = "@";
    if (column.long) sheetColumn.alignment = { vertical: "top", wrapText: true };
    else sheetColumn.alignment = { vertical: "top" };
  });
  sheet.getRow(1).alignment = { vertical: "middle", wrapText: false };
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: header.length } };

  const buffer = await workbook.xlsx.writeBuffer();
  return Buffer.from(buffer as ArrayBuffer);
}
