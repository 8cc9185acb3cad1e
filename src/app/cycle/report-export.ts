// The consolidated phase report (tổng hợp báo cáo sơ kết) of a unit tree: one row per grassroots union with its filed
// figures (or, when it has not reported, the bot's own, marked so), totals, and the texts; as XLSX (exceljs) and as a
// printable DOCX (docx). The admin CLI (`report export`) and the officer console call these.
import { formatDateVi } from "../../domain/clock.js";
import { reportDue } from "../../domain/cycle.js";
import { t } from "../i18n.js";
import type { Locale, StoredCampaign, Unit } from "../ports.js";
import { FIGURE_KEYS, filingStatuses, phaseFigures, type FilingDeps, type PhaseFigures, type ReportContent } from "./filings.js";

export interface ConsolidatedRow {
  unit: Unit;
  reported: boolean;
  submittedAt: Date | null;
  figures: PhaseFigures;
  /** The officer corrected the bot's figures. */
  corrected: boolean;
  highlights: string;
  exemplary: string;
  proposals: string;
}

export interface ConsolidatedReport {
  campaignTitle: string;
  phaseNumber: number;
  phaseName: string;
  due: string;
  scopeName: string;
  rows: ConsolidatedRow[];
  totals: PhaseFigures;
  reported: number;
}

/** The report of every grassroots union under `scope[0]` (scope: a unit and its subtree, in tree order). */
export async function consolidatedReport(deps: Pick<FilingDeps, "unitFilings" | "pledges">, input: { campaign: StoredCampaign; phaseNumber: number; scope: readonly Unit[] }): Promise<ConsolidatedReport> {
  const phase = input.campaign.definition.phases.find((p) => p.number === input.phaseNumber);
  if (!phase) throw new Error(`campaign ${input.campaign.slug} has no phase ${input.phaseNumber}`);
  const statuses = await filingStatuses(deps, { campaignId: input.campaign.id, phaseNumber: phase.number, kind: "report", scope: input.scope });
  // A single grassroots union is its own report.
  const rowsOf = statuses.length > 0 ? statuses : [{ unit: input.scope[0]!, status: "none" as const, filing: null }];
  const rows: ConsolidatedRow[] = [];
  for (const s of rowsOf) {
    const content = s.filing && s.status !== "returned" ? (s.filing.data as unknown as ReportContent) : null;
    rows.push({
      unit: s.unit,
      reported: content !== null,
      submittedAt: content ? s.filing!.submittedAt : null,
      figures: content?.figures ?? (await phaseFigures(deps, { campaignId: input.campaign.id, phaseNumber: phase.number, unit: s.unit })),
      corrected: content?.corrected ?? false,
      highlights: content?.highlights ?? "",
      exemplary: content?.exemplary ?? "",
      proposals: content?.proposals ?? "",
    });
  }
  const totals = Object.fromEntries(FIGURE_KEYS.map((k) => [k, rows.reduce((n, r) => n + r.figures[k], 0)])) as unknown as PhaseFigures;
  return {
    campaignTitle: input.campaign.definition.title,
    phaseNumber: phase.number,
    phaseName: phase.name,
    due: formatDateVi(reportDue(phase)),
    scopeName: input.scope[0]!.name,
    rows,
    totals,
    reported: rows.filter((r) => r.reported).length,
  };
}

const HEADER_KEYS = ["unitCode", "unitName", "reported", ...FIGURE_KEYS, "highlights", "exemplary", "proposals"] as const;

function headers(locale: Locale): string[] {
  return HEADER_KEYS.map((k) => t(locale, `reportExport.col.${k}`));
}

function cells(row: ConsolidatedRow, locale: Locale): (string | number)[] {
  const reported = row.reported ? t(locale, row.corrected ? "reportExport.reportedCorrected" : "reportExport.reported") : t(locale, "reportExport.notReported");
  return [row.unit.code, row.unit.name, reported, ...FIGURE_KEYS.map((k) => row.figures[k]), row.highlights, row.exemplary, row.proposals];
}

// exceljs and docx are loaded on the first export, not with the bot (several MB of heap and code an idle bot never uses).
export async function consolidatedReportToXlsx(report: ConsolidatedReport, locale: Locale): Promise<Buffer> {
  const { default: ExcelJS } = await import("exceljs");
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(t(locale, "reportExport.sheet"), { views: [{ state: "frozen", ySplit: 2 }] });
  sheet.addRow([t(locale, "reportExport.title", { campaign: report.campaignTitle, phase: report.phaseName, scope: report.scopeName, due: report.due })]);
  sheet.addRow(headers(locale)).font = { bold: true };
  for (const row of report.rows) sheet.addRow(cells(row, locale));
  const total = sheet.addRow([t(locale, "reportExport.total"), "", `${report.reported}/${report.rows.length}`, ...FIGURE_KEYS.map((k) => report.totals[k]), "", "", ""]);
  total.font = { bold: true };
  sheet.columns.forEach((c, i) => (c.width = i < 2 ? 28 : i < 3 + FIGURE_KEYS.length ? 12 : 48));
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

export async function consolidatedReportToDocx(report: ConsolidatedReport, locale: Locale): Promise<Buffer> {
  const { AlignmentType, Document, HeadingLevel, Packer, Paragraph, Table, TableCell, TableRow, TextRun, WidthType } = await import("docx");
  const cell = (text: string | number, bold = false) => new TableCell({ children: [new Paragraph({ children: [new TextRun({ text: String(text), bold, size: 18 })] })] });
  const figureHeads = ["unitName", "reported", ...FIGURE_KEYS] as const;
  const table = new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    rows: [
      new TableRow({ tableHeader: true, children: figureHeads.map((k) => cell(t(locale, `reportExport.col.${k}`), true)) }),
      ...report.rows.map((r) => new TableRow({ children: [cell(`${r.unit.name} (${r.unit.code})`), cell(cells(r, locale)[2]!), ...FIGURE_KEYS.map((k) => cell(r.figures[k]))] })),
      new TableRow({ children: [cell(t(locale, "reportExport.total"), true), cell(`${report.reported}/${report.rows.length}`, true), ...FIGURE_KEYS.map((k) => cell(report.totals[k], true))] }),
    ],
  });
  const texts = report.rows
    .filter((r) => r.reported)
    .flatMap((r) => [
      new Paragraph({ heading: HeadingLevel.HEADING_3, children: [new TextRun(`${r.unit.name} (${r.unit.code})`)] }),
      ...(["highlights", "exemplary", "proposals"] as const)
        .filter((k) => r[k])
        .map((k) => new Paragraph({ children: [new TextRun({ text: `${t(locale, `reportExport.col.${k}`)}: `, bold: true }), new TextRun(r[k])] })),
    ]);
  const doc = new Document({
    sections: [
      {
        children: [
          new Paragraph({ heading: HeadingLevel.HEADING_1, alignment: AlignmentType.CENTER, children: [new TextRun(t(locale, "reportExport.docTitle", { phase: report.phaseName }))] }),
          new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun(report.campaignTitle)] }),
          new Paragraph({ children: [new TextRun(t(locale, "reportExport.docScope", { scope: report.scopeName, due: report.due, reported: report.reported, total: report.rows.length }))] }),
          table,
          ...texts,
        ],
      },
    ],
  });
  return Packer.toBuffer(doc);
}

export const DOCX_MIME_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
