// XLSX with exceljs: a header row in the reader's language (bold, frozen, with an autofilter), column widths from
// the content (capped), codes as text, registration dates as real date cells. Pure: rows in, bytes out. exceljs
// (about 12 MB resident) is loaded on the first export, not at start-up.
import { PassThrough } from "node:stream";
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
  const header = headerCells(locale);
  const data = [...rows].map((row) => rowCells(row, locale));
  // The streaming writer: each row is serialized as it is committed, so the workbook's memory does not grow with
  // the number of pledges (the in-memory Workbook needed over 64 MB of heap for 5,000 rows, and the bot runs with
  // a 64 MB old generation — see the Dockerfile). Column styles are set before the rows, which inherit them.
  const chunks: Buffer[] = [];
  const stream = new PassThrough();
  stream.on("data", (chunk: Buffer) => chunks.push(chunk));
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream, useStyles: true, useSharedStrings: false });
  workbook.creator = t(locale, "export.creator");
  const sheet = workbook.addWorksheet(sheetName(t(locale, "export.sheet")), {
    views: [{ state: "frozen", xSplit: 0, ySplit: 1 }],
  });
  sheet.columns = EXPORT_COLUMNS.map((column, i) => ({
    width: columnWidth([header[i]!, ...data.map((cells) => cells[i]!)]),
    style: {
      ...(column.date ? { numFmt: XLSX_DATE_FORMAT } : typeof data[0]?.[i] !== "number" ? { numFmt: "@" } : {}),
      alignment: column.long ? { vertical: "top", wrapText: true } : { vertical: "top" },
    },
  }));
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: header.length } };

  const headerRow = sheet.addRow(header);
  headerRow.font = { bold: true };
  headerRow.alignment = { vertical: "middle", wrapText: false };
  headerRow.commit();
  for (const cells of data) sheet.addRow(cells.map((value, i) => (EXPORT_COLUMNS[i]!.date && typeof value === "string" ? (localDateTimeCell(value) ?? value) : value))).commit();
  sheet.commit();
  await workbook.commit();
  return Buffer.concat(chunks);
}
