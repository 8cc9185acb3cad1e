// Officers' coverage statistics (/thongke) and exports (/xuat, XLSX/CSV files, web chat downloads), through the real
// core on a real database (SQLite, and PostgreSQL when TEST_POSTGRES_URL is set), with pledges stored through the
// real repository.
import { parse as parseCsv } from "csv-parse/sync";
import ExcelJS from "exceljs";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createBot } from "../../src/app/bot.js";
import { BOM, XLSX_MIME_TYPE, csvField, pledgesToCsv, pledgesToXlsx } from "../../src/app/export/index.js";
import { csvLine } from "../../src/app/export/csv.js";
import { formatPercent, renderStats, titleAbbreviation } from "../../src/app/handlers/stats.js";
import { translator } from "../../src/app/i18n.js";
import type { CoverageReport, OutgoingMessage, PledgeExportRow, UnitCoverage } from "../../src/app/ports.js";
import { contentDisposition } from "../../src/channels/web/web-channel.js";
import { FileStore, TOKEN_PATTERN } from "../../src/channels/web/file-store.js";
import { PrismaPledgeReportRepository } from "../../src/db/pledge-report-repository.js";
import { startHttpServer, type RunningServer } from "../../src/http/server.js";
import { PROVIDERS } from "../db/helpers.js";
import { testWebChat, type TestWebChat } from "../support/web-chat-server.js";
import { silentLogger, startCore, type CoreHarness } from "../support/core-harness.js";
import { MAY_19_2025, TRICKY_COMMITMENT, asXlsxCells, expectedCells, seedPledges, type Seeded } from "../admin/pledge-fixtures.js";

const TZ = "Asia/Ho_Chi_Minh";

const HEADER_VI = [
  "Mã đăng ký", "Kế hoạch", "Đợt", "Loại", "Trạng thái", "Họ và tên", "Chức vụ", "Mã đơn vị", "Tên đơn vị", "Danh hiệu thi đua",
  "Phong trào tham gia", "Công trình, sản phẩm chào mừng", "Sáng kiến", "Nội dung giao ước", "Ngày đăng ký", "Cập nhật lần cuối", "Kênh", "Duyệt",
];
const HEADER_EN = [
  "Pledge code", "Campaign", "Phase", "Kind", "Status", "Full name", "Position", "Unit code", "Unit name", "Emulation titles",
  "Movements joined", "Dedicated works and products", "Initiatives", "Commitment", "Registered at", "Last updated", "Channel", "Review",
];

const STATS_NOTE = "(Đã đăng ký = số người có bản đăng ký cá nhân còn hiệu lực / số đoàn viên)";

async function readXlsx(content: Uint8Array) {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(Buffer.from(content) as unknown as ArrayBuffer);
  expect(workbook.worksheets).toHaveLength(1);
  return workbook.worksheets[0]!;
}

/** Every cell of a sheet row, 1…17; an empty cell reads as "". */
function rowValues(sheet: ExcelJS.Worksheet, row: number): unknown[] {
  return Array.from({ length: HEADER_VI.length }, (_, i) => sheet.getRow(row).getCell(i + 1).value ?? "");
}

/** The pledge's stored updatedAt (set by the database's clock, not the test's). */
async function updatedAt(core: CoreHarness, code: string): Promise<Date> {
  return (await core.repositories.pledges.findByCode(code))!.updatedAt;
}

async function collect(rows: AsyncIterable<PledgeExportRow>): Promise<PledgeExportRow[]> {
  const out: PledgeExportRow[] = [];
  for await (const row of rows) out.push(row);
  return out;
}

for (const { provider, label, skip } of PROVIDERS) describe.skipIf(skip)(`officers' stats and exports (${label})`, () => {
  let core: CoreHarness;
  let seeded: Seeded;

  beforeEach(async () => {
    core = await startCore({ now: MAY_19_2025, provider });
    seeded = await seedPledges(core);
  });
  afterEach(async () => core.close());

  /** A new officer of `unit`, Vietnamese-speaking, reaching the bot as `chatId` on `channel`. */
  const newOfficer = async (channel: "web" | "zalo", chatId: string, unit: keyof Seeded["unitIds"]) => {
    const s = await core.repositories.subscribers.register({ channel, chatId, locale: "vi" });
    await core.repositories.subscribers.makeOfficer(s.id, seeded.unitIds[unit]);
  };

  const lines = (replies: OutgoingMessage[]) => {
    expect(replies).toHaveLength(1);
    return replies[0]!.text.split("\n");
  };

  describe("the report repository", () => {
    it("walks a unit's subtree in tree order (children by code) and finds an officer's granted unit", async () => {
      const reports = core.repositories.pledgeReports;
      const codes = async (code: string) => (await reports.unitSubtree(seeded.unitIds[code as keyof Seeded["unitIds"]])).map((u) => u.code);
      expect(await codes("LDLD-LC")).toEqual(["LDLD-LC", "CDCS-DIENLUC", "CDGD", "CDCS-THPT-TP", "CDN-YTE"]);
      expect(await codes("CDGD")).toEqual(["CDGD", "CDCS-THPT-TP"]);
      expect(await codes("CDCS-THPT-TP")).toEqual(["CDCS-THPT-TP"]);
      expect(await reports.unitSubtree(999_999)).toEqual([]);

      const officer = await core.repositories.subscribers.find("web", seeded.officers.gd);
      expect(await reports.officerGrantUnitId(officer!.id)).toBe(seeded.unitIds.CDGD);
      const member = await core.repositories.subscribers.find("web", "member-t1");
      expect(await reports.officerGrantUnitId(member!.id)).toBeNull();
    });

    it("counts coverage per unit and a total that counts each unit and each person once", async () => {
      const u = seeded.unitIds;
      const report = await core.repositories.pledgeReports.coverage({ campaignId: seeded.campaignIds.laiChau, unitIds: [u.CDGD, u["CDCS-THPT-TP"]] });
      expect(report.units).toEqual([
        {
          unitId: u.CDGD, code: "CDGD", name: "Công đoàn Giáo dục tỉnh", parentId: u["LDLD-LC"], depth: 0, memberCount: 5200,
          subscribers: 2, pledged: 1, approved: 1, coverage: 1 / 5200,
          titles: { "lao-dong-tien-tien": 1, "tap-the-lao-dong-xuat-sac": 1 }, collective: true,
        },
        {
          // t1 has two pledges (phases 1 and 2) and counts once; t3 withdrew; t4 stopped the bot.
          unitId: u["CDCS-THPT-TP"], code: "CDCS-THPT-TP", name: "Công đoàn cơ sở Trường THPT Thành phố Lai Châu", parentId: u.CDGD, depth: 1,
          memberCount: 86, subscribers: 3, pledged: 2, approved: 1, coverage: 1 / 86,
          titles: { "lao-dong-tien-tien": 2, "chien-si-thi-dua-co-so": 2 }, collective: false,
        },
      ]);
      expect(report.total).toEqual({
        units: 2, memberCount: 5286, subscribers: 5, pledged: 3, approved: 2, coverage: 2 / 5286,
        titles: { "lao-dong-tien-tien": 3, "chien-si-thi-dua-co-so": 2, "tap-the-lao-dong-xuat-sac": 1 }, collectiveUnits: 1,
      });

      // A unit with member_count 0 has no coverage; the other campaign's pledge is never counted.
      const root = await core.repositories.pledgeReports.coverage({ campaignId: seeded.campaignIds.laiChau, unitIds: [u["LDLD-LC"], u["CDN-YTE"]] });
      expect(root.units.map((r) => [r.code, r.pledged, r.coverage])).toEqual([["LDLD-LC", 0, null], ["CDN-YTE", 0, null]]);
      expect(root.total.coverage).toBeNull();
      const bacKan = await core.repositories.pledgeReports.coverage({ campaignId: seeded.campaignIds.bacKan, unitIds: [u["CDCS-THPT-TP"]] });
      expect(bacKan.total).toMatchObject({ pledged: 1, titles: { "lao-dong-tien-tien": 1 } });
    });

    it("reads export rows page by page: the same rows whatever the page size, by pledge id", async () => {
      const query = { campaignId: seeded.campaignIds.laiChau, unitIds: [seeded.unitIds.CDGD, seeded.unitIds["CDCS-THPT-TP"]] };
      const big = await collect(core.repositories.pledgeReports.exportRows(query));
      const small = await collect(new PrismaPledgeReportRepository(core.db.prisma, TZ, 2).exportRows(query));
      const names = ["t1p1", "t1p2", "t2", "t3", "g1", "gdCollective"];
      expect(big.map((r) => r.code)).toEqual(names.map((n) => seeded.codes[n]));
      expect(small).toEqual(big);
      expect(await core.repositories.pledgeReports.countExport(query)).toBe(6);
      // No filter: every pledge of every campaign, also the one without a unit.
      const all = await collect(new PrismaPledgeReportRepository(core.db.prisma, TZ, 3).exportRows({}));
      expect(all.map((r) => r.code)).toEqual(Object.values(seeded.codes));
      expect(all.find((r) => r.code === seeded.codes.n1)).toMatchObject({ unitCode: "", unitName: "", channel: "telegram" });
      expect(all.find((r) => r.code === seeded.codes.bacKan)).toMatchObject({ campaignSlug: "bac-kan-2021", createdAt: "01/03/2021 08:00" });
      expect(await core.repositories.pledgeReports.countExport({})).toBe(11);
    });
  });

  describe("/thongke", () => {
    it("lists the officer's unit and its descendants with counts, coverage, titles, totals and the gap to 100%", async () => {
      expect(lines(await core.say(seeded.officers.gd, "/thongke"))).toEqual([
        "📊 Thống kê đăng ký thi đua — LĐLĐ tỉnh Lai Châu, năm 2025",
        "Phạm vi: Công đoàn Giáo dục tỉnh (CDGD) và 1 đơn vị trực thuộc.",
        STATS_NOTE,
        "",
        "• Công đoàn Giáo dục tỉnh (CDGD): 1 đã đăng ký, 1/5.200 đã duyệt (<1%) · 2 người dùng bot · LĐTT 1, TTLĐXS 1 · có đăng ký tập thể",
        "• Công đoàn cơ sở Trường THPT Thành phố Lai Châu (CDCS-THPT-TP): 2 đã đăng ký, 1/86 đã duyệt (1%) · 3 người dùng bot · LĐTT 2, CSTĐCS 2",
        "",
        "Tổng (2 đơn vị): 3 đã đăng ký, 2/5.286 đã duyệt (<1%) · 5 người dùng bot · LĐTT 3, CSTĐCS 2, TTLĐXS 1 · 1 đơn vị có đăng ký tập thể",
        "🎯 Mục tiêu 100% (tính đăng ký đã duyệt): còn 5.284 người.",
        "Viết tắt: LĐTT = Lao động tiên tiến; CSTĐCS = Chiến sĩ thi đua cơ sở; TTLĐXS = Tập thể lao động xuất sắc",
      ]);
    });

    it("answers with /stats too, and for a leaf unit's officer shows that unit only", async () => {
      expect(lines(await core.say(seeded.officers.dl, "/stats"))).toEqual([
        "📊 Thống kê đăng ký thi đua — LĐLĐ tỉnh Lai Châu, năm 2025",
        "Phạm vi: Công đoàn Công ty Điện lực Lai Châu, chi nhánh Tam Đường (CDCS-DIENLUC).",
        STATS_NOTE,
        "",
        "• Công đoàn Công ty Điện lực Lai Châu, chi nhánh Tam Đường (CDCS-DIENLUC): 2 đã đăng ký, 1/310 đã duyệt (<1%) · 3 người dùng bot · LĐTT 2, TTLĐTT 1 · có đăng ký tập thể",
        "",
        "Tổng (1 đơn vị): 2 đã đăng ký, 1/310 đã duyệt (<1%) · 3 người dùng bot · LĐTT 2, TTLĐTT 1 · 1 đơn vị có đăng ký tập thể",
        "🎯 Mục tiêu 100% (tính đăng ký đã duyệt): còn 309 người.",
        "Viết tắt: LĐTT = Lao động tiên tiến; TTLĐTT = Tập thể lao động tiên tiến",
      ]);
    });

    it("covers the whole tree for the federation's officer; units without a member count say so", async () => {
      await newOfficer("web", "officer-root-01", "LDLD-LC");
      expect(lines(await core.say("officer-root-01", "/thongke"))).toEqual([
        "📊 Thống kê đăng ký thi đua — LĐLĐ tỉnh Lai Châu, năm 2025",
        "Phạm vi: Liên đoàn Lao động tỉnh Lai Châu (LDLD-LC) và 4 đơn vị trực thuộc.",
        STATS_NOTE,
        "",
        "• Liên đoàn Lao động tỉnh Lai Châu (LDLD-LC): 0 đã đăng ký, 0 đã duyệt (chưa có số đoàn viên) · 1 người dùng bot",
        "• Công đoàn Công ty Điện lực Lai Châu, chi nhánh Tam Đường (CDCS-DIENLUC): 2 đã đăng ký, 1/310 đã duyệt (<1%) · 3 người dùng bot · LĐTT 2, TTLĐTT 1 · có đăng ký tập thể",
        "• Công đoàn Giáo dục tỉnh (CDGD): 1 đã đăng ký, 1/5.200 đã duyệt (<1%) · 2 người dùng bot · LĐTT 1, TTLĐXS 1 · có đăng ký tập thể",
        "• Công đoàn cơ sở Trường THPT Thành phố Lai Châu (CDCS-THPT-TP): 2 đã đăng ký, 1/86 đã duyệt (1%) · 3 người dùng bot · LĐTT 2, CSTĐCS 2",
        "• Công đoàn Ngành Y tế (CDN-YTE): 0 đã đăng ký, 0 đã duyệt (chưa có số đoàn viên) · 0 người dùng bot",
        "",
        "Tổng (5 đơn vị): 5 đã đăng ký, 3/5.596 đã duyệt (<1%) · 9 người dùng bot · LĐTT 5, CSTĐCS 2, TTLĐTT 1, TTLĐXS 1 · 2 đơn vị có đăng ký tập thể",
        "🎯 Mục tiêu 100% (tính đăng ký đã duyệt): còn 5.593 người.",
        "Viết tắt: LĐTT = Lao động tiên tiến; CSTĐCS = Chiến sĩ thi đua cơ sở; TTLĐTT = Tập thể lao động tiên tiến; TTLĐXS = Tập thể lao động xuất sắc",
      ]);
    });

    it("in English for an officer who chose English", async () => {
      await core.say(seeded.officers.gd, "/lang en");
      const text = lines(await core.say(seeded.officers.gd, "/stats"));
      expect(text.slice(0, 5)).toEqual([
        "📊 Pledge statistics — LĐLĐ tỉnh Lai Châu, 2025",
        "Scope: Công đoàn Giáo dục tỉnh (CDGD) with its affiliated units (1).",
        "(Registered = people with an active individual pledge / union members)",
        "",
        "• Công đoàn Giáo dục tỉnh (CDGD): 1 registered, 1/5,200 approved (<1%) · bot users: 2 · LĐTT 1, TTLĐXS 1 · collective pledge made",
      ]);
      expect(text.slice(-3)).toEqual([
        "Total (units: 2): 3 registered, 2/5,286 approved (<1%) · bot users: 5 · LĐTT 3, CSTĐCS 2, TTLĐXS 1 · units with a collective pledge: 1",
        "🎯 Target 100% (approved registrations): still to go: 5,284.",
        "Abbreviations: LĐTT = Advanced Worker; CSTĐCS = Grassroots Emulation Fighter; TTLĐXS = Excellent Labour Collective",
      ]);
    });

    it("one message per campaign when two run at once; the no-campaign message when none is loaded", async () => {
      const laiChau = (await core.repositories.campaigns.findBySlug("lai-chau-2025"))!.definition;
      await core.repositories.campaigns.upsert({ ...laiChau, slug: "thu-nghiem-2025", owner: { ...laiChau.owner, short_name: "LĐLĐ thử nghiệm" } });
      const both = await core.say(seeded.officers.gd, "/thongke");
      expect(both.map((m) => m.text.split("\n")[0])).toEqual([
        "📊 Thống kê đăng ký thi đua — LĐLĐ tỉnh Lai Châu, năm 2025",
        "📊 Thống kê đăng ký thi đua — LĐLĐ thử nghiệm, năm 2025",
      ]);
      // Same start date: ordered by slug. The new campaign has no pledges: nothing of lai-chau-2025 leaks into it.
      expect(both[0]!.text).toContain("Tổng (2 đơn vị): 3 đã đăng ký, 2/5.286 đã duyệt (<1%) · 5 người dùng bot");
      expect(both[1]!.text).toContain("Tổng (2 đơn vị): 0 đã đăng ký, 0/5.286 đã duyệt (0%) · 5 người dùng bot");

      await core.db.prisma.campaign.deleteMany({});
      const none = await core.say(seeded.officers.gd, "/thongke");
      expect(none.map((m) => m.text)).toEqual([
        "Chưa có kế hoạch thi đua nào được nạp. Cán bộ quản trị có thể nạp kế hoạch bằng lệnh: npm run admin -- campaign load <tệp.yaml>",
      ]);
    });

    it("an officer role without a live grant (made officer by other means, before grants) has no scope, whatever their own unit; members are refused by the core", async () => {
      const r = core.repositories;
      const s = await r.subscribers.register({ channel: "web", chatId: "officer-nounit", locale: "vi" });
      await r.subscribers.setUnit(s.id, seeded.unitIds.CDGD);
      await core.db.prisma.subscriber.update({ where: { id: s.id }, data: { role: "officer" } });
      const expected =
        "Bạn là cán bộ công đoàn nhưng chưa gắn với đơn vị nào, nên chưa có phạm vi để thống kê hoặc xuất danh sách. Hãy nhờ LĐLĐ tỉnh cấp mã mời cán bộ cho đơn vị của bạn rồi gửi /canbo <mã>.";
      expect((await core.say("officer-nounit", "/thongke")).map((m) => m.text)).toEqual([expected]);
      expect((await core.say("officer-nounit", "/xuat")).map((m) => m.text)).toEqual([expected]);
      expect((await core.say("member-t1", "/thongke"))[0]!.text).toContain("chỉ dành cho cán bộ công đoàn");
    });
  });

  describe("officer scope", () => {
    it("an officer of CDGD never sees CDCS-DIENLUC's numbers or pledges, even after choosing that unit with /donvi", async () => {
      const r = core.repositories;
      const officer = (await r.subscribers.find("web", seeded.officers.gd))!;
      // /donvi changes a person's own unit; it must not widen what an officer sees.
      await r.subscribers.setUnit(officer.id, seeded.unitIds["CDCS-DIENLUC"]);

      const stats = (await core.say(seeded.officers.gd, "/thongke")).map((m) => m.text).join("\n");
      expect(stats).toContain("Phạm vi: Công đoàn Giáo dục tỉnh (CDGD) và 1 đơn vị trực thuộc.");
      expect(stats).not.toMatch(/DIENLUC|Điện lực|310|TTLĐTT/);
      expect(stats).toContain("Tổng (2 đơn vị): 3 đã đăng ký, 2/5.286 đã duyệt (<1%)");

      const [exported] = await core.say(seeded.officers.gd, "/xuat");
      const sheet = await readXlsx(exported!.document!.content);
      const codes = Array.from({ length: sheet.rowCount - 1 }, (_, i) => sheet.getRow(i + 2).getCell(1).value);
      expect(codes).toEqual(["t1p1", "t1p2", "t2", "t3", "g1", "gdCollective"].map((n) => seeded.codes[n]));
      for (const hidden of ["d1", "d2", "dlCollective", "n1", "bacKan"]) expect(codes).not.toContain(seeded.codes[hidden]);
      const cells = Array.from({ length: sheet.rowCount }, (_, i) => rowValues(sheet, i + 1).join("|")).join("\n");
      expect(cells).not.toMatch(/DIENLUC|Điện lực|Trần Văn Điện|Hà Thị Lan/);
    });

    it("and the CDCS-DIENLUC officer sees none of CDGD's", async () => {
      const stats = (await core.say(seeded.officers.dl, "/thongke"))[0]!.text;
      expect(stats).not.toMatch(/CDGD|THPT|5\.200|86/);
      const [exported] = await core.say(seeded.officers.dl, "/xuat");
      const sheet = await readXlsx(exported!.document!.content);
      expect(rowValues(sheet, 2)[0]).toBe(seeded.codes.d1);
      expect(Array.from({ length: sheet.rowCount - 1 }, (_, i) => sheet.getRow(i + 2).getCell(8).value)).toEqual(["CDCS-DIENLUC", "CDCS-DIENLUC", "CDCS-DIENLUC"]);
    });
  });

  describe("/xuat", () => {
    it("sends the subtree's pledges as an XLSX file, checked cell by cell", async () => {
      const replies = await core.say(seeded.officers.gd, "/xuat");
      expect(replies).toHaveLength(1);
      const reply = replies[0]!;
      expect(reply.text).toBe(
        "📎 Danh sách đăng ký thi đua — LĐLĐ tỉnh Lai Châu, năm 2025: 6 bản đăng ký (5 còn hiệu lực) của Công đoàn Giáo dục tỉnh (CDGD) và 1 đơn vị trực thuộc.",
      );
      expect(reply.document!.fileName).toBe("dang-ky-lai-chau-2025-20250519.xlsx");
      expect(reply.document!.mimeType).toBe(XLSX_MIME_TYPE);

      const sheet = await readXlsx(reply.document!.content);
      expect(sheet.name).toBe("Đăng ký thi đua");
      expect(sheet.views).toEqual([expect.objectContaining({ state: "frozen", ySplit: 1 })]);
      expect(sheet.autoFilter).toBe("A1:R1");
      expect(rowValues(sheet, 1)).toEqual(HEADER_VI);
      for (let c = 1; c <= HEADER_VI.length; c++) expect(sheet.getRow(1).getCell(c).font?.bold, `header ${c}`).toBe(true);
      expect(sheet.rowCount).toBe(7);

      const names = ["t1p1", "t1p2", "t2", "t3", "g1", "gdCollective"];
      for (const [i, name] of names.entries()) {
        const expected = asXlsxCells(expectedCells(seeded, name, await updatedAt(core, seeded.codes[name]!)));
        expect(rowValues(sheet, i + 2), name).toEqual(expected);
      }
      // Registration dates are date cells showing the local time, the phase a number; the commitment keeps its line break.
      expect(sheet.getCell("O2").value).toEqual(new Date(Date.UTC(2025, 4, 19, 0, 30)));
      expect(sheet.getCell("O2").numFmt).toBe("dd/mm/yyyy hh:mm");
      expect(sheet.getCell("C2").value).toBe(1);
      expect(sheet.getCell("N2").value).toBe(TRICKY_COMMITMENT);

      // Widths follow the content, at least 8 and at most 60 characters.
      const width = (c: number) => sheet.getColumn(c).width;
      for (let c = 1; c <= HEADER_VI.length; c++) {
        expect(width(c), `column ${c}`).toBeGreaterThanOrEqual(8);
        expect(width(c), `column ${c}`).toBeLessThanOrEqual(60);
      }
      expect(width(1)).toBe("LC25-000001".length + 2); // the code is wider than its header
      expect(width(3)).toBe(8); // "Đợt" and "1": the minimum
      expect(width(9)).toBe("Công đoàn cơ sở Trường THPT Thành phố Lai Châu".length + 2);
      expect(width(14)).toBe(60); // the commitment's first line is longer than the cap
    });

    it("on Zalo explains that files cannot be sent there and how to get the list", async () => {
      await newOfficer("zalo", "zalo-officer", "CDGD");
      const replies = await core.say("zalo-officer", "/xuat", { channel: "zalo" });
      expect(replies).toHaveLength(1);
      expect(replies[0]!.document).toBeUndefined();
      expect(replies[0]!.text.split("\n")).toEqual([
        "Zalo không gửi được tệp, nên danh sách đăng ký (6 bản, của Công đoàn Giáo dục tỉnh (CDGD) và 1 đơn vị trực thuộc) không gửi được ở đây.",
        "Để nhận tệp Excel:",
        "• dùng bot trên Telegram hoặc trang trò chuyện web và gõ /xuat (ở kênh đó cần nhận vai trò cán bộ bằng mã mời: /canbo <mã>), hoặc",
        "• nhờ quản trị viên chạy lệnh: npm run admin -- pledges export --format xlsx --out dang-ky.xlsx --campaign lai-chau-2025",
      ]);
    });

    it("says so instead of sending an empty file when the subtree has no pledge", async () => {
      await newOfficer("web", "officer-yte-01", "CDN-YTE");
      const replies = await core.say("officer-yte-01", "/export");
      expect(replies.map((m) => [m.text, m.document])).toEqual([
        ["Chưa có bản đăng ký nào của Công đoàn Ngành Y tế (CDN-YTE) trong kế hoạch thi đua của LĐLĐ tỉnh Lai Châu năm 2025, nên chưa có tệp để xuất.", undefined],
      ]);
    });
  });

  describe("export files from the rows", () => {
    const subtreeRows = () =>
      collect(core.repositories.pledgeReports.exportRows({ campaignId: seeded.campaignIds.laiChau, unitIds: [seeded.unitIds.CDGD, seeded.unitIds["CDCS-THPT-TP"]] }));

    it("XLSX in English: English header and values", async () => {
      const sheet = await readXlsx(await pledgesToXlsx(await subtreeRows(), "en"));
      expect(sheet.name).toBe("Pledges");
      expect(rowValues(sheet, 1)).toEqual(HEADER_EN);
      expect(rowValues(sheet, 5).slice(3, 6)).toEqual(["Individual", "Withdrawn", "Đặng Thị Mai"]);
      expect(rowValues(sheet, 7).slice(3, 5)).toEqual(["Collective", "Active"]);
      expect(rowValues(sheet, 2)[16]).toBe("Web chat");
    });

    it("CSV: BOM, CRLF line ends, RFC 4180 quoting; re-read with csv-parse it gives the same cells", async () => {
      const rows = await subtreeRows();
      const bytes = pledgesToCsv(rows, "vi");
      expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const text = bytes.toString("utf8");
      expect(text.startsWith(BOM)).toBe(true);
      expect(text.endsWith("\r\n")).toBe(true);
      // The tricky commitment is quoted with its quotes doubled and its line break kept inside the quotes.
      expect(text).toContain(`,"Phấn đấu hoàn thành xuất sắc nhiệm vụ, đạt danh hiệu ""Lao động tiên tiến""\nvà tham gia đầy đủ các phong trào.",`);
      // Outside quoted fields every line ends CRLF: parsing with CRLF as the only record delimiter gives 7 records.
      const records = parseCsv(text, { bom: true, record_delimiter: "\r\n", relax_column_count: false }) as string[][];
      expect(records).toHaveLength(7);
      expect(records[0]).toEqual(HEADER_VI);
      const names = ["t1p1", "t1p2", "t2", "t3", "g1", "gdCollective"];
      for (const [i, name] of names.entries()) {
        const expected = expectedCells(seeded, name, await updatedAt(core, seeded.codes[name]!)).map(String);
        expect(records[i + 1], name).toEqual(expected);
      }
    });
  });

  describe("web chat download", () => {
    let server: RunningServer;
    let now: number;
    let web: TestWebChat;
    /** The officer's browser: a chat session the server issued for the officer's web chat. */
    let cookie: string;

    beforeEach(async () => {
      now = Date.now();
      const bot = createBot({ ...core.repositories, timezone: TZ, now: () => core.clock.now, logger: silentLogger });
      web = testWebChat(bot, core.repositories, { files: { now: () => now } });
      server = await startHttpServer({ port: 0, host: "127.0.0.1", routes: web.routes, logger: silentLogger });
      cookie = await web.cookieFor(seeded.officers.gd);
    });
    afterEach(async () => server.close());

    const post = async (_chatId: string, text: string) => {
      const res = await fetch(`http://127.0.0.1:${server.port}/api/chat`, {
        method: "POST",
        headers: { "content-type": "application/json", cookie },
        body: JSON.stringify({ text }),
      });
      expect(res.status).toBe(200);
      return (await res.json()) as { replies: Record<string, unknown>[] };
    };

    it("/xuat gives a one-time download URL; the file is the XLSX; a second fetch is 404", async () => {
      const { replies } = await post(seeded.officers.gd, "/xuat");
      expect(replies).toHaveLength(1);
      const reply = replies[0]!;
      expect(reply.text).toMatch(/^📎 Danh sách đăng ký thi đua — LĐLĐ tỉnh Lai Châu, năm 2025: 6 bản đăng ký/);
      // The file's bytes are not in the JSON: only its name and URL.
      expect(Object.keys(reply.document as object).sort()).toEqual(["fileName", "url"]);
      const { fileName, url } = reply.document as { fileName: string; url: string };
      expect(fileName).toBe("dang-ky-lai-chau-2025-20250519.xlsx");
      expect(url).toMatch(/^\/api\/files\?token=[A-Za-z0-9_-]{43}$/);

      // Only the officer's browser can fetch it: without the session, or with another chat's session, it is refused.
      expect((await fetch(`http://127.0.0.1:${server.port}${url}`)).status).toBe(401);
      expect((await fetch(`http://127.0.0.1:${server.port}${url}`, { headers: { cookie: await web.cookieFor("web-someone-else-0001") } })).status).toBe(404);
      const res = await fetch(`http://127.0.0.1:${server.port}${url}`, { headers: { cookie } });
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe(XLSX_MIME_TYPE);
      expect(res.headers.get("content-disposition")).toBe(
        "attachment; filename=\"dang-ky-lai-chau-2025-20250519.xlsx\"; filename*=UTF-8''dang-ky-lai-chau-2025-20250519.xlsx",
      );
      expect(res.headers.get("cache-control")).toBe("no-store");
      const sheet = await readXlsx(new Uint8Array(await res.arrayBuffer()));
      expect(rowValues(sheet, 1)).toEqual(HEADER_VI);
      expect(rowValues(sheet, 2)).toEqual(asXlsxCells(expectedCells(seeded, "t1p1", await updatedAt(core, seeded.codes.t1p1!))));
      expect(sheet.rowCount).toBe(7);

      const again = await fetch(`http://127.0.0.1:${server.port}${url}`, { headers: { cookie } });
      expect(again.status).toBe(404);
      const forged = await fetch(`http://127.0.0.1:${server.port}/api/files?token=${"A".repeat(43)}`, { headers: { cookie } });
      expect(forged.status).toBe(404);
      expect((await fetch(`http://127.0.0.1:${server.port}/api/files`, { headers: { cookie } })).status).toBe(404);
    });

    it("a link not used within 15 minutes expires", async () => {
      const { replies } = await post(seeded.officers.gd, "/xuat");
      const { url } = replies[0]!.document as { url: string };
      now += 15 * 60 * 1000;
      expect((await fetch(`http://127.0.0.1:${server.port}${url}`, { headers: { cookie } })).status).toBe(404);
    });
  });
});

describe("web chat file store", () => {
  const doc = (n: number) => ({ fileName: `f${n}.xlsx`, mimeType: XLSX_MIME_TYPE, content: new Uint8Array([n]) });

  it("serves a file once, under a random token", () => {
    const store = new FileStore();
    const token = store.put(doc(1), "chat-a");
    expect(token).toMatch(TOKEN_PATTERN);
    expect(store.put(doc(2), "chat-a")).not.toBe(token);
    // Another chat cannot take it (and its attempt does not use it up).
    expect(store.take(token, "chat-b")).toBeNull();
    expect(store.take(token, "chat-a")?.fileName).toBe("f1.xlsx");
    expect(store.take(token, "chat-a")).toBeNull();
    expect(store.take("nope", "chat-a")).toBeNull();
  });

  it("keeps a file 15 minutes at most", () => {
    let now = 1_000_000;
    const store = new FileStore({ now: () => now });
    const token = store.put(doc(1), "chat-a");
    now += 15 * 60 * 1000 - 1;
    expect(store.size).toBe(1);
    now += 1;
    expect(store.size).toBe(0);
    expect(store.take(token, "chat-a")).toBeNull();
  });

  it("keeps 20 files at most, dropping the oldest", () => {
    const store = new FileStore();
    const tokens = Array.from({ length: 22 }, (_, i) => store.put(doc(i), "chat-a"));
    expect(store.size).toBe(20);
    expect(store.take(tokens[0]!, "chat-a")).toBeNull();
    expect(store.take(tokens[1]!, "chat-a")).toBeNull();
    expect(store.take(tokens[2]!, "chat-a")?.fileName).toBe("f2.xlsx");
    expect(store.take(tokens[21]!, "chat-a")?.fileName).toBe("f21.xlsx");
  });

  it("names the file for the browser in ASCII and, exactly, in UTF-8", () => {
    expect(contentDisposition("Đăng ký \"2025\".xlsx")).toBe(
      "attachment; filename=\"__ng k_ _2025_.xlsx\"; filename*=UTF-8''%C4%90%C4%83ng%20k%C3%BD%20%222025%22.xlsx",
    );
  });
});

describe("stats text and CSV cells (pure)", () => {
  it("formats coverage percentages without claiming 100% early", () => {
    expect(formatPercent(0, 86)).toBe("0%");
    expect(formatPercent(12, 86)).toBe("14%");
    expect(formatPercent(1, 5286)).toBe("<1%");
    expect(formatPercent(999, 1000)).toBe("99%");
    expect(formatPercent(86, 86)).toBe("100%");
    expect(formatPercent(90, 86)).toBe("105%");
  });

  it("abbreviates titles by their Vietnamese initials", () => {
    expect(titleAbbreviation("Lao động tiên tiến")).toBe("LĐTT");
    expect(titleAbbreviation("Chiến sĩ thi đua cơ sở")).toBe("CSTĐCS");
    expect(titleAbbreviation("Cờ thi đua của Ủy ban nhân dân tỉnh")).toBe("CTĐCUBNDT");
  });

  it("lists at most 30 units and points to /xuat for the rest; the total covers all", async () => {
    const core = await startCore({ now: MAY_19_2025 });
    try {
      const campaign = (await core.repositories.campaigns.findBySlug("lai-chau-2025"))!.definition;
      const unit = (i: number): UnitCoverage => ({
        unitId: i, code: `CDCS-${String(i).padStart(3, "0")}`, name: `Công đoàn cơ sở số ${i}`, parentId: null, depth: 0,
        memberCount: 10, subscribers: 1, pledged: 5, approved: 5, coverage: 0.5, titles: {}, collective: false,
      });
      const report: CoverageReport = {
        units: Array.from({ length: 35 }, (_, i) => unit(i + 1)),
        total: { units: 35, memberCount: 350, subscribers: 35, pledged: 175, approved: 175, coverage: 0.5, titles: {}, collectiveUnits: 0 },
      };
      const text = renderStats(report, { campaign, scopeLabel: "LĐLĐ", locale: "vi", t: translator("vi") }).split("\n");
      const unitLines = text.filter((l) => l.startsWith("• "));
      expect(unitLines).toHaveLength(30);
      expect(unitLines[29]).toBe("• Công đoàn cơ sở số 30 (CDCS-030): 5 đã đăng ký, 5/10 đã duyệt (50%) · 1 người dùng bot");
      expect(text.slice(-4)).toEqual([
        "… và 5 đơn vị khác. Gõ /xuat để nhận danh sách đầy đủ.",
        "",
        "Tổng (35 đơn vị): 175 đã đăng ký, 175/350 đã duyệt (50%) · 35 người dùng bot",
        "🎯 Mục tiêu 100% (tính đăng ký đã duyệt): còn 175 người.",
      ]);
      // The target counts approved registrations: everyone registered is not yet 100%.
      const registered = renderStats({ units: [], total: { ...report.total, units: 0, pledged: 350, coverage: 0.5 } }, { campaign, scopeLabel: "LĐLĐ", locale: "vi", t: translator("vi") });
      expect(registered.split("\n").at(-1)).toBe("🎯 Mục tiêu 100% (tính đăng ký đã duyệt): còn 175 người.");
      const done = renderStats({ units: [], total: { ...report.total, units: 0, pledged: 350, approved: 350, coverage: 1 } }, { campaign, scopeLabel: "LĐLĐ", locale: "vi", t: translator("vi") });
      expect(done.split("\n").at(-1)).toBe("🎯 Đã đạt mục tiêu 100% đoàn viên có đăng ký được duyệt.");
    } finally {
      await core.close();
    }
  });

  it("quotes every CSV text field per RFC 4180 and defuses formulas", () => {
    expect(csvField("Lò Văn Bình")).toBe('"Lò Văn Bình"');
    expect(csvField("a, b")).toBe('"a, b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField("line 1\nline 2")).toBe('"line 1\nline 2"');
    expect(csvField(2)).toBe("2");
    expect(csvField('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(csvField("+84 912")).toBe(`"'+84 912"`);
    expect(csvField("- Phấn đấu")).toBe(`"'- Phấn đấu"`);
    // Excel still evaluates a formula after leading blanks, quotes or list separators.
    expect(csvField("  =1+1")).toBe(`"'  =1+1"`);
    expect(csvField(";=1+1")).toBe(`";'=1+1"`);
    expect(csvField('"@SUM(A1)')).toBe(`"'""@SUM(A1)"`);
    expect(csvField("\t-2")).toBe(`"'\t-2"`);
    expect(csvField("Cam kết;=1+1")).toBe(`"Cam kết;'=1+1"`);
    expect(csvField("a - b, c")).toBe(`"a - b, c"`);
  });

  it("a cell `Cam kết;=1+1` re-read with `;` (Excel's list separator in the Vietnamese locale) or `,` as delimiter yields no formula cell", () => {
    const nasty = ["Cam kết;=1+1", "Cam kết,=1+1", "x;\n=1+1", " ;@SUM(1)", "a\";=1+1", "=1+1", "; -2+3", "'=1"];
    const line = csvLine(["LC25-000001", 1, ...nasty]);
    // A formula cell is one whose value, as Excel trims it, starts with = + - @ (the apostrophe prefix disarms it).
    const formulaCells = (delimiter: string) =>
      (parseCsv(line, { delimiter, record_delimiter: "\r\n", relax_quotes: true, relax_column_count: true }) as string[][])
        .flat()
        .filter((cell) => /^[\s"]*[=+\-@]/.test(cell));
    expect(formulaCells(";")).toEqual([]);
    expect(formulaCells(",")).toEqual([]);
    // With `,` (the file's own delimiter) every value comes back whole, with an apostrophe before each formula start.
    const [cells] = parseCsv(line, { delimiter: ",", record_delimiter: "\r\n" }) as string[][];
    expect(cells).toEqual(["LC25-000001", "1", "Cam kết;'=1+1", "Cam kết,'=1+1", "x;'\n'=1+1", " ;'@SUM(1)", 'a";\'=1+1', "'=1+1", ";' -2+3", "'=1"]);
  });
});
