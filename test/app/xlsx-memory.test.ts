// The bot runs with a 64 MB old generation (the Dockerfile's CMD), so an officer's /export must build its XLSX in
// bounded memory: 10,000 pledges exported in a child process under that bound (the in-memory workbook ran out of
// heap at 5,000), the file still a valid workbook with every row.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { ROOT } from "../support/bot-process.js";

describe("XLSX export under the container's heap bound", () => {
  it("exports 10,000 pledges with --max-old-space-size=64", async () => {
    const dir = mkdtempSync(join(tmpdir(), "congdoan-xlsx-"));
    try {
      const out = join(dir, "export.xlsx");
      const script = join(dir, "export.mts");
      writeFileSync(
        script,
        `import { writeFileSync } from "node:fs";
import { pledgesToXlsx } from ${JSON.stringify(join(ROOT, "src/app/export/xlsx.ts"))};
const rows = Array.from({ length: 10_000 }, (_, i) => ({ code: "DK-" + i, campaignSlug: "lai-chau-2025", campaignName: "Kế hoạch thi đua năm 2025", review: "approved" as const, phaseNumber: 1, kind: "individual" as const, status: "active" as const, fullName: "Nguyễn Văn An " + i, position: "Công nhân", unitCode: "CDGD", unitName: "Công đoàn Giáo dục", titles: "Lao động tiên tiến; Chiến sĩ thi đua cơ sở", movements: "Xanh - Sạch - Đẹp", works: "Công trình chào mừng — 95 năm — 28/07/2025", initiatives: "Sáng kiến — giảm thời gian", commitment: "Hoàn thành xuất sắc nhiệm vụ năm 2025", createdAt: "2025-03-01", updatedAt: "2025-03-02", channel: "telegram" as const }));
writeFileSync(${JSON.stringify(out)}, await pledgesToXlsx(rows, "vi"));
`,
      );
      const run = spawnSync(process.execPath, ["--max-old-space-size=64", "--max-semi-space-size=1", "--import", "tsx", script], { cwd: ROOT, encoding: "utf8", timeout: 120_000 });
      expect(run.status, run.stderr.slice(-2000)).toBe(0);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(readFileSync(out) as unknown as ArrayBuffer);
      const sheet = workbook.worksheets[0]!;
      expect(sheet.rowCount).toBe(10_001);
      expect(sheet.getCell("A10001").value).toBe("DK-9999");
      expect(sheet.views[0]).toMatchObject({ state: "frozen", ySplit: 1 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);
});
