// The columns of a pledge export, shared by the XLSX and CSV writers: the header's locale key and how a row's value
// is shown. Values are text except the phase number; dates arrive as local "dd/mm/yyyy HH:mm" text, which CSV keeps
// and XLSX turns into real date cells (see localDateTimeCell).
import { t } from "../i18n.js";
import type { Locale, PledgeExportRow } from "../ports.js";

export interface ExportColumn {
  /** Key of the header in locales/*.json. */
  header: string;
  value(row: PledgeExportRow, locale: Locale): string | number;
  /** Long free text: wrapped in the spreadsheet. */
  long?: boolean;
  /** Local date and time ("dd/mm/yyyy HH:mm"): a date cell in the spreadsheet. */
  date?: boolean;
}

export const EXPORT_COLUMNS: readonly ExportColumn[] = [
  { header: "export.col.code", value: (r) => r.code },
  { header: "export.col.campaign", value: (r) => r.campaignName || r.campaignSlug, long: true },
  { header: "export.col.phase", value: (r) => r.phaseNumber },
  { header: "export.col.kind", value: (r, l) => t(l, `export.kind.${r.kind}`) },
  { header: "export.col.status", value: (r, l) => t(l, `export.status.${r.status}`) },
  { header: "export.col.fullName", value: (r) => r.fullName },
  { header: "export.col.position", value: (r) => r.position },
  { header: "export.col.unitCode", value: (r) => r.unitCode },
  { header: "export.col.unitName", value: (r) => r.unitName },
  { header: "export.col.titles", value: (r) => r.titles, long: true },
  { header: "export.col.movements", value: (r) => r.movements, long: true },
  { header: "export.col.works", value: (r) => r.works, long: true },
  { header: "export.col.initiatives", value: (r) => r.initiatives, long: true },
  { header: "export.col.commitment", value: (r) => r.commitment, long: true },
  { header: "export.col.createdAt", value: (r) => r.createdAt, date: true },
  { header: "export.col.updatedAt", value: (r) => r.updatedAt, date: true },
  { header: "export.col.channel", value: (r, l) => (r.channel ? t(l, `export.channel.${r.channel}`) : "") },
  { header: "export.col.review", value: (r, l) => t(l, `export.review.${r.review}`) },
];

export const headerCells = (locale: Locale): string[] => EXPORT_COLUMNS.map((c) => t(locale, c.header));

export const rowCells = (row: PledgeExportRow, locale: Locale): (string | number)[] => EXPORT_COLUMNS.map((c) => c.value(row, locale));

export const XLSX_MIME_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
export const CSV_MIME_TYPE = "text/csv; charset=utf-8";

/**
 * "19/05/2025 08:00" (local, BOT_TIMEZONE) → a Date whose UTC fields are that wall time: spreadsheets have no time
 * zones, and exceljs writes a Date's UTC fields, so the cell shows the local time the text said. Null for other text.
 */
export function localDateTimeCell(text: string): Date | null {
  const m = /^(\d{2})\/(\d{2})\/(\d{4}) (\d{2}):(\d{2})$/.exec(text);
  return m ? new Date(Date.UTC(Number(m[3]), Number(m[2]) - 1, Number(m[1]), Number(m[4]), Number(m[5]))) : null;
}

/** The number format of date cells, the Vietnamese way. */
export const XLSX_DATE_FORMAT = "dd/mm/yyyy hh:mm";
