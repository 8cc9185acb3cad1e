// Reading plan documents: .docx through mammoth and .pdf through pdf.js give the text the importer needs (dates,
// quotes, paragraph breaks); .md/.txt as UTF-8 with or without BOM, NFC or NFD.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { extractPlan } from "../../src/domain/plan-import/extract-plan.js";
import { planDocumentKind, planTextFromBytes, readPlanDocument } from "../../src/plan-documents.js";
import { PLAN_FIXTURES } from "../domain/plan-import/plan-score.js";

const text = async (file: string) => {
  const read = await readPlanDocument(path.join(PLAN_FIXTURES, file));
  if (!read.ok) throw new Error(read.problem);
  return read.text.normalize("NFC");
};

describe("plan documents", () => {
  it("knows the kinds by extension, in any case", () => {
    expect(["a.DOCX", "b.pdf", "c.txt", "d.Md", "e.odt", "f"].map(planDocumentKind)).toEqual(["docx", "pdf", "txt", "md", undefined, undefined]);
  });

  it(".docx: every paragraph of the plan, one per line group", async () => {
    const docx = await text("lai-chau-2025.docx");
    expect(docx).toContain("- **Đợt 1 (Từ 01/01/2025 đến 30/6/2025):** Với Chủ đề “**Mừng Đảng quang vinh - Mừng Sinh nhật Bác**”.");
    expect(docx.split(/\n\n+/).length).toBeGreaterThan(40);
  });

  it(".pdf: the text of every page, lines kept, a blank line between paragraphs", async () => {
    const pdf = await text("bac-kan-2021.pdf");
    expect(pdf).toContain("Đợt 1, (từ tháng 01/2021 đến 30/6/2021)");
    expect(pdf).toContain("Bùi Minh Thanh");
    // Paragraphs are separated: the heading stands alone.
    expect(pdf).toMatch(/\n\n\*\*I\. MỤC ĐÍCH, YÊU CẦU\*\*\n\n/);
  });

  it(".md with a BOM and NFD text reads as the .txt does", async () => {
    const txt = readFileSync(path.join(PLAN_FIXTURES, "bac-kan-2021.txt"), "utf8");
    const md = await planTextFromBytes(new Uint8Array(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(txt.normalize("NFD"))])), "md");
    expect(md.ok).toBe(true);
    if (md.ok) expect(extractPlan(md.text).draft).toEqual(extractPlan(txt).draft);
  });

  it("refuses what has no text: an empty file, a PDF that is not one", async () => {
    expect(await planTextFromBytes(new Uint8Array(), "txt")).toEqual({ ok: false, problem: "has no text" });
    const broken = await planTextFromBytes(new TextEncoder().encode("%PDF-1.7\n%%EOF"), "pdf");
    expect(broken.ok).toBe(false);
  });
});
