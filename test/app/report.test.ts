// Unit lists sent up and the phase report (/baocao, /report) through the real core and database (both providers):
// a grassroots union's officer sends the list once nothing waits for approval; the level above returns it with a
// reason (the unit's officer told through the outbox), it is sent again and accepted; every wrong step refused; the
// report opens in the phase's last days, prefilled with the bot's figures, corrected, filed; the pushes (request,
// reminders) go once each to the right officers. Fixture: test/admin/pledge-fixtures.ts; units
// LDLD-LC → CDGD → CDCS-THPT-TP, LDLD-LC → CDCS-DIENLUC, LDLD-LC → CDN-YTE.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import ExcelJS from "exceljs";
import mammoth from "mammoth";
import { COMMANDS } from "../../src/admin/commands.js";
import { runCli } from "../../src/admin/cli.js";
import { planFilingPushes } from "../../src/app/cycle/filing-pushes.js";
import { generateInviteCode, hashInviteCode } from "../../src/app/invite-codes.js";
import { DEFAULT_QUIET_HOURS } from "../../src/domain/quiet-hours.js";
import { PROVIDERS } from "../db/helpers.js";
import { startCore, type CoreHarness } from "../support/core-harness.js";
import { MAY_19_2025, seedPledges, type Seeded } from "../admin/pledge-fixtures.js";

for (const { provider, label, skip } of PROVIDERS) describe.skipIf(skip)(`unit lists and phase reports (${label})`, () => {
  let core: CoreHarness;
  let seeded: Seeded;
  const GD = "officer-gd-0001";
  const DL = "officer-dl-0001";
  const THPT = "officer-thpt";

  beforeEach(async () => {
    core = await startCore({ now: new Date(MAY_19_2025.getTime() + 8 * 3_600_000), provider });
    seeded = await seedPledges(core);
    const code = generateInviteCode();
    await core.repositories.invites.create({ codeHash: hashInviteCode(code), role: "officer", unitId: seeded.unitIds["CDCS-THPT-TP"], expiresAt: new Date(MAY_19_2025.getTime() + 86_400_000) });
    await core.say(THPT, `/canbo ${code}`);
  });
  afterEach(async () => core.close());

  const texts = async (chatId: string, text: string) => (await core.say(chatId, text)).map((m) => m.text);
  const listFiling = async () =>
    (await core.repositories.unitFilings.list({ campaignId: seeded.campaignIds.laiChau, phaseNumber: 1, kind: "list", unitIds: [seeded.unitIds["CDCS-THPT-TP"]] }))[0];

  it("sends the list up once approvals are done; the level above returns it with a reason, then accepts it", async () => {
    expect(await texts(THPT, "/baocao danhsach")).toEqual(["Còn 2 đăng ký chờ duyệt; hãy duyệt hoặc trả lại hết (/duyet) rồi gửi danh sách."]);
    expect(await listFiling()).toBeUndefined();
    await core.say(GD, `/duyet ok ${seeded.codes.t2}`);
    await core.say(GD, `/duyet tralai ${seeded.codes.t1p2}`);
    await core.say(GD, "Sai đợt");
    expect(await texts(THPT, "/baocao danhsach")).toEqual([
      "✅ Đã gửi danh sách đăng ký Đợt 1 của Công đoàn cơ sở Trường THPT Thành phố Lai Châu lên cấp trên (2 người có đăng ký đã duyệt). Cấp trên sẽ nhận hoặc trả lại.",
    ]);
    expect(await texts(THPT, "/baocao danhsach")).toEqual(["Danh sách Đợt 1 của đơn vị đã gửi và đang chờ cấp trên duyệt."]);

    const overview = await core.say(GD, "/baocao");
    expect(overview[0]!.text.split("\n").slice(0, 2)).toEqual([
      "Danh sách đăng ký Đợt 1 — Công đoàn Giáo dục tỉnh (CDGD) và 1 đơn vị trực thuộc (hạn gửi 31/01/2025):",
      "• Công đoàn cơ sở Trường THPT Thành phố Lai Châu (CDCS-THPT-TP): chờ duyệt (2 người)",
    ]);
    expect(overview[0]!.choices!.map((c) => c.value)).toEqual(["/baocao nhan CDCS-THPT-TP", "/baocao tralai CDCS-THPT-TP"]);
    // Wrong steps: a unit outside the scope, a leaf officer deciding, the officer's own unit.
    expect(await texts(GD, "/baocao nhan CDCS-DIENLUC")).toEqual(['Không tìm thấy đơn vị "CDCS-DIENLUC" trực thuộc phạm vi của bạn.']);
    expect(await texts(DL, "/baocao nhan CDCS-THPT-TP")).toEqual(['Không tìm thấy đơn vị "CDCS-THPT-TP" trực thuộc phạm vi của bạn.']);
    expect(await texts(GD, "/baocao nhan CDGD")).toEqual(['Không tìm thấy đơn vị "CDGD" trực thuộc phạm vi của bạn.']);
    // The DIENLUC officer's own collective registration waits for the level above: the list cannot go yet.
    expect(await texts(DL, "/baocao danhsach")).toEqual(["Còn 1 đăng ký chờ duyệt; hãy duyệt hoặc trả lại hết (/duyet) rồi gửi danh sách."]);
    expect(await texts(GD, "/baocao danhsach")).toEqual(["Danh sách do công đoàn cơ sở gửi lên; đơn vị của bạn là cấp trên. Gõ /baocao để xem tình hình các đơn vị."]);

    // "2" is the overview's second button (Trả lại), typed as on Zalo.
    await core.say(GD, "/baocao");
    expect((await core.say(GD, "2"))[0]!.text).toMatch(/^Lý do trả lại danh sách của CDCS-THPT-TP\?/);
    expect(await texts(GD, "Thiếu danh sách tổ")).toEqual(["↩️ Đã trả lại danh sách của Công đoàn cơ sở Trường THPT Thành phố Lai Châu; cán bộ đơn vị đã được báo lý do."]);
    expect(await listFiling()).toMatchObject({ status: "returned", note: "Thiếu danh sách tổ" });
    const notices = await core.db.prisma.notification.findMany({ where: { eventType: "unit-filing" } });
    expect(notices.map((n) => [n.chatId, n.text])).toEqual([
      [THPT, "↩️ Cấp trên trả lại danh sách đăng ký Đợt 1 của Công đoàn cơ sở Trường THPT Thành phố Lai Châu: Thiếu danh sách tổ. Sửa rồi gõ /baocao danhsach để gửi lại."],
    ]);
    expect(await texts(GD, "/baocao nhan CDCS-THPT-TP")).toEqual(["Danh sách của CDCS-THPT-TP đã bị trả lại; chờ đơn vị gửi lại."]);

    await core.say(THPT, "/baocao danhsach");
    expect((await texts(GD, "/baocao nhan CDCS-THPT-TP"))[0]!.split("\n").slice(0, 4)).toEqual([
      "✅ Đã nhận danh sách của Công đoàn cơ sở Trường THPT Thành phố Lai Châu; cán bộ đơn vị đã được báo.",
      "",
      "Danh sách đăng ký Đợt 1 — Công đoàn Giáo dục tỉnh (CDGD) và 1 đơn vị trực thuộc (hạn gửi 31/01/2025):",
      "• Công đoàn cơ sở Trường THPT Thành phố Lai Châu (CDCS-THPT-TP): đã duyệt (2 người)",
    ]);
    expect(await texts(GD, "/baocao nhan CDCS-THPT-TP")).toEqual(["Danh sách của CDCS-THPT-TP đã được duyệt rồi."]);
    const filing = (await listFiling())!;
    const gd = (await core.repositories.subscribers.find("web", GD))!;
    const thpt = (await core.repositories.subscribers.find("web", THPT))!;
    expect((await core.repositories.unitFilings.history(filing.id)).map((e) => [e.action, e.subscriberId])).toEqual([
      ["submitted", thpt.id], ["returned", gd.id], ["submitted", thpt.id], ["accepted", gd.id],
    ]);
    // The federation's officer sees every grassroots union of the tree.
    const root = (await core.say(DL, "/baocao"))[0]!.text;
    expect(root).toMatch(/^Chưa đến lúc báo cáo sơ kết: Đợt 1 nhận báo cáo từ 25\/06\/2025 đến 15\/07\/2025\.$/);
  });

  it("opens the report in the phase's last days, prefilled; corrected figures checked; filed once; pushes to the right officers", async () => {
    const deps = { ...core.repositories, timezone: "Asia/Ho_Chi_Minh", quietHours: DEFAULT_QUIET_HOURS };
    expect(await texts(THPT, "/baocao")).toEqual(["Chưa đến lúc báo cáo sơ kết: Đợt 1 nhận báo cáo từ 25/06/2025 đến 15/07/2025."]);
    // A result reported before the report: the figures count it.
    await core.say("member-t1", "/ketqua");
    for (const answer of ["Đạt", "Không ghi chú", "Hoàn thành", "Đang làm"]) await core.say("member-t1", answer);

    core.clock.now = new Date("2025-06-25T01:00:00Z");
    expect(await planFilingPushes(deps, core.clock.now)).toEqual({ "report-request": 2, "report-reminder": 0, "list-reminder": 0 });
    expect(await planFilingPushes(deps, core.clock.now)).toEqual({ "report-request": 0, "report-reminder": 0, "list-reminder": 0 });
    const requests = await core.db.prisma.notification.findMany({ where: { eventType: "report-request" }, orderBy: { chatId: "asc" } });
    expect(requests.map((r) => r.chatId)).toEqual([DL, THPT]);
    expect(requests[1]!.text).toBe("📝 Đợt 1 sắp kết thúc. Xin gửi báo cáo sơ kết của đơn vị trước ngày 15/07/2025: gõ /baocao (số liệu đã được bot điền sẵn).");

    const first = await texts(THPT, "/baocao");
    expect(first).toEqual([
      [
        "Báo cáo sơ kết Đợt 1 — Công đoàn cơ sở Trường THPT Thành phố Lai Châu. Số liệu theo bot:",
        "• Đoàn viên: 86",
        "• Đã đăng ký: 2",
        "• Đăng ký đã duyệt: 1",
        "• Báo đạt: 1",
        "• Công trình, sản phẩm: 1 đăng ký, 1 hoàn thành",
        "• Sáng kiến: 1 đăng ký, 0 hoàn thành",
        "Số liệu này đúng chưa?",
      ].join("\n"),
    ]);
    expect((await texts(THPT, "Không"))[0]).toMatch(/^Gõ 8 số đúng/);
    expect((await texts(THPT, "86, 80"))[0]).toBe("Cần đúng 8 số nguyên không âm, cách nhau bằng dấu phẩy (ví dụ: 86, 80, 78, 70, 3, 2, 4, 1).");
    expect((await texts(THPT, "86, 80, 90, 1, 0, 0, 0, 0"))[0]).toMatch(/^Số liệu chưa khớp/);
    expect((await texts(THPT, "86, 80, 78, 70, 3, 2, 4, 1"))[0]).toContain("• Đã đăng ký: 80\n• Đăng ký đã duyệt: 78");
    expect((await texts(THPT, "Có"))[0]).toMatch(/^Những kết quả nổi bật/);
    expect((await texts(THPT, "Tốt"))[0]).toMatch(/ít nhất 5 ký tự/);
    expect((await texts(THPT, "Hoàn thành tốt nhiệm vụ năm học"))[0]).toMatch(/^Tấm gương điển hình/);
    await core.say(THPT, "Không có");
    expect((await texts(THPT, "Đề nghị khen cô Nguyễn Thị Hoa"))[0]).toBe("Gửi báo cáo sơ kết Đợt 1 của Công đoàn cơ sở Trường THPT Thành phố Lai Châu lên cấp trên?");
    expect(await texts(THPT, "Có")).toEqual(["✅ Đã gửi báo cáo sơ kết Đợt 1 của Công đoàn cơ sở Trường THPT Thành phố Lai Châu lên cấp trên."]);
    expect(await texts(THPT, "/baocao")).toEqual(["Báo cáo sơ kết Đợt 1 của đơn vị đã được gửi rồi."]);
    const [report] = await core.repositories.unitFilings.list({ campaignId: seeded.campaignIds.laiChau, phaseNumber: 1, kind: "report", unitIds: [seeded.unitIds["CDCS-THPT-TP"]] });
    expect(report).toMatchObject({ status: "submitted", data: { corrected: true, highlights: "Hoàn thành tốt nhiệm vụ năm học", exemplary: null, proposals: "Đề nghị khen cô Nguyễn Thị Hoa", figures: { members: 86, registered: 80, approved: 78 } } });

    // The level above sees who has reported; the reminder on the due date goes to the late unit only.
    expect((await texts(GD, "/baocao"))[0]).toContain("Báo cáo sơ kết Đợt 1 (hạn 15/07/2025): 1/1 đơn vị đã gửi.");
    expect((await core.say(DL, "/baocao tinhhinh"))[0]!.text).toBeDefined();
    core.clock.now = new Date("2025-07-15T01:00:00Z");
    expect(await planFilingPushes(deps, core.clock.now)).toEqual({ "report-request": 0, "report-reminder": 1, "list-reminder": 0 });
    expect((await core.db.prisma.notification.findMany({ where: { eventType: "report-reminder" } })).map((r) => r.chatId)).toEqual([DL]);
    // The consolidated report: one row per grassroots union of the federation's tree, totals, the texts — as XLSX and
    // DOCX through the admin CLI.
    const dir = await mkdtemp(path.join(tmpdir(), "report-export-"));
    try {
      const io = { lines: [] as string[], out(line: string) { this.lines.push(line); }, err(line: string) { this.lines.push(`ERR ${line}`); } };
      const env = { DATABASE_URL: core.databaseUrl };
      const xlsx = path.join(dir, "so-ket.xlsx");
      expect(await runCli(["report", "export", "--campaign", "lai-chau-2025", "--phase", "1", "--format", "xlsx", "--out", xlsx, "--unit", "LDLD-LC"], COMMANDS, io, env), io.lines.join("\n")).toBe(0);
      expect(io.lines.at(-1)).toBe(`1/3 grassroots unions reported; written to ${xlsx}`);
      const book = new ExcelJS.Workbook();
      await book.xlsx.load((await readFile(xlsx)) as unknown as ArrayBuffer);
      const sheet = book.worksheets[0]!;
      const row = (n: number) => (sheet.getRow(n).values as unknown[]).slice(1);
      expect(row(2).slice(0, 11)).toEqual(["Mã đơn vị", "Đơn vị", "Tình trạng", "Đoàn viên", "Đã đăng ký", "Đã duyệt", "Báo đạt", "Công trình đăng ký", "Công trình hoàn thành", "Sáng kiến đăng ký", "Sáng kiến hoàn thành"]);
      expect(row(3).slice(0, 11)).toEqual(["CDCS-DIENLUC", "Công đoàn Công ty Điện lực Lai Châu, chi nhánh Tam Đường", "Chưa báo cáo (số liệu của bot)", 310, 2, 1, 0, 0, 0, 0, 0]);
      expect(row(4)).toEqual(["CDCS-THPT-TP", "Công đoàn cơ sở Trường THPT Thành phố Lai Châu", "Đã báo cáo (có sửa số liệu)", 86, 80, 78, 70, 3, 2, 4, 1, "Hoàn thành tốt nhiệm vụ năm học", "", "Đề nghị khen cô Nguyễn Thị Hoa"]);
      expect(row(5).slice(0, 4)).toEqual(["CDN-YTE", "Công đoàn Ngành Y tế", "Chưa báo cáo (số liệu của bot)", 0]);
      expect(row(6).slice(0, 11)).toEqual(["Tổng cộng", "", "1/3", 396, 82, 79, 70, 3, 2, 4, 1]);
      const docx = path.join(dir, "so-ket.docx");
      expect(await runCli(["report", "export", "--campaign", "lai-chau-2025", "--phase", "1", "--format", "docx", "--out", docx, "--unit", "LDLD-LC"], COMMANDS, io, env)).toBe(0);
      const text = (await mammoth.extractRawText({ buffer: await readFile(docx) })).value;
      for (const part of ["TỔNG HỢP BÁO CÁO SƠ KẾT Đợt 1", "Đã báo cáo: 1/3 công đoàn cơ sở.", "Công đoàn cơ sở Trường THPT Thành phố Lai Châu (CDCS-THPT-TP)", "Kết quả nổi bật: Hoàn thành tốt nhiệm vụ năm học", "Đề xuất khen thưởng: Đề nghị khen cô Nguyễn Thị Hoa", "Tổng cộng"]) {
        expect(text).toContain(part);
      }
      expect(await runCli(["report", "export", "--campaign", "lai-chau-2025", "--phase", "7", "--format", "docx", "--out", docx], COMMANDS, io, env)).toBe(1);
      expect(io.lines.at(-1)).toBe("ERR campaign lai-chau-2025 has no phase 7");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }

    // Phase 2's list is due 31/07/2025: both grassroots unions' officers are reminded (neither sent a phase-2 list).
    core.clock.now = new Date("2025-07-31T01:00:00Z");
    expect(await planFilingPushes(deps, core.clock.now)).toEqual({ "report-request": 0, "report-reminder": 0, "list-reminder": 2 });
  });
});
