// Export files of pledges: XLSX for officers (chat, web download) and the admin CLI; CSV for the admin CLI.
export { CSV_MIME_TYPE, EXPORT_COLUMNS, XLSX_MIME_TYPE, headerCells, rowCells } from "./columns.js";
export { BOM, CRLF, csvField, csvHeaderLine, csvRowLine, neutralizeFormula, pledgesToCsv } from "./csv.js";
export { MAX_COLUMN_WIDTH, MIN_COLUMN_WIDTH, columnWidth, pledgesToXlsx } from "./xlsx.js";
