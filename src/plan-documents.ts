// A plan document's text: .txt/.md as UTF-8, .docx through mammoth, .pdf through pdf.js (legacy build, which runs
// on Node 20). The text goes to extractPlan() (src/domain/plan-import), which normalises it. Both readers are loaded
// on the first document of their kind, not with the bot.
import { readFileSync } from "node:fs";
import { extname } from "node:path";

export const PLAN_DOCUMENT_KINDS = ["txt", "md", "docx", "pdf"] as const;
export type PlanDocumentKind = (typeof PLAN_DOCUMENT_KINDS)[number];

export type PlanText = { ok: true; text: string } | { ok: false; problem: string };

/** The document kind a file name says, or undefined for other extensions. */
export function planDocumentKind(fileName: string): PlanDocumentKind | undefined {
  const ext = extname(fileName).slice(1).toLowerCase();
  return (PLAN_DOCUMENT_KINDS as readonly string[]).includes(ext) ? (ext as PlanDocumentKind) : undefined;
}

/** The text of a document held in memory (an upload, or a file read by readPlanDocument). */
export async function planTextFromBytes(bytes: Uint8Array, kind: PlanDocumentKind): Promise<PlanText> {
  try {
    const text =
      kind === "docx"
        ? (await (await import("mammoth")).default.extractRawText({ buffer: Buffer.from(bytes) })).value
        : kind === "pdf"
          ? await pdfText(bytes)
          : new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    if (text.trim() === "") return { ok: false, problem: kind === "pdf" ? "has no text layer (a scan?)" : "has no text" };
    return { ok: true, text };
  } catch (error) {
    const detail = error instanceof Error ? error.message.split("\n")[0] : String(error);
    return { ok: false, problem: kind === "txt" || kind === "md" ? "is not UTF-8 text" : `is not a readable .${kind} file (${detail})` };
  }
}

export async function readPlanDocument(path: string): Promise<PlanText> {
  const kind = planDocumentKind(path);
  if (!kind) return { ok: false, problem: `must be .docx, .pdf, .txt or .md` };
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    return { ok: false, problem: `cannot be read (${(error as NodeJS.ErrnoException).code ?? "error"})` };
  }
  return planTextFromBytes(bytes, kind);
}

interface PdfTextItem {
  str: string;
  hasEOL: boolean;
  height: number;
  transform: number[];
}

/**
 * The text of every page, a line per visual line; a blank line where the gap between two lines is clearly wider
 * than the lines' height (a new paragraph), and between pages.
 */
async function pdfText(bytes: Uint8Array): Promise<string> {
  const { getDocument } = await import("pdfjs-dist/legacy/build/pdf.mjs");
  // pdf.js takes ownership of the buffer it is given: hand it a copy.
  const pdf = await getDocument({ data: new Uint8Array(bytes), isEvalSupported: false, disableFontFace: true, verbosity: 0 }).promise;
  try {
    const pages: string[] = [];
    for (let n = 1; n <= pdf.numPages; n++) {
      const page = await pdf.getPage(n);
      const content = await page.getTextContent();
      let out = "";
      let lineY: number | undefined;
      let lineHeight = 0;
      let startOfLine = true;
      for (const raw of content.items) {
        if (!("str" in raw)) continue;
        const item = raw as PdfTextItem;
        const y = item.transform[5]!;
        if (startOfLine && lineY !== undefined && item.str !== "" && lineHeight > 0 && lineY - y > 1.8 * lineHeight) out += "\n";
        out += item.str;
        if (item.str !== "") {
          if (startOfLine) lineY = y;
          lineHeight = Math.max(item.height, 1);
          startOfLine = false;
        }
        if (item.hasEOL) {
          out += "\n";
          startOfLine = true;
        }
      }
      pages.push(out);
      page.cleanup();
    }
    return pages.join("\n\n");
  } finally {
    await pdf.destroy();
  }
}
