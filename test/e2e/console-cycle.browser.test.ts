// The campaign cycle in the officer console, in a real browser (Debian's Chromium via playwright-core) against the
// console's real routes and a real database: approval of registrations (one, one returned with a reason, selected
// rows, a forged POST outside the scope refused); the phase reports page (each unit's list status, accepting and
// returning a list, a unit's report, the consolidated XLSX and DOCX); evaluation (the unit proposes, a person without
// an approved registration refused, the level above decides, the commendation is edited, previewed with its
// recipient count, sent and delivered by the delivery worker to a fake Telegram server; the decision list as XLSX
// and DOCX). On a phone (360×740) and a desktop viewport, with no script error
// and nothing wider than the screen. Screenshots: /work/shots/console-approval-*.png, console-reports-*.png, console-evaluation-*.png.
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import ExcelJS from "exceljs";
import pino from "pino";
import { CSRF_FIELD } from "../../src/console/csrf.js";
import { createDeliveryWorker } from "../../src/delivery/index.js";
import { DEFAULT_QUIET_HOURS } from "../../src/domain/quiet-hours.js";
import { FAKE_BOT_TOKEN, startFakeTelegram, type FakeTelegram } from "../support/fake-telegram.js";
import type { TestDatabase } from "../db/helpers.js";
import { browserInstalled, consoleSignIn, DESKTOP, fitsWidth, launchBrowser, PHONE, SHOTS } from "../support/browser.js";
import { startCycleConsole, TZ, type CycleConsole } from "../support/console-cycle.js";
import { defaultTestDatabase } from "../support/test-database.js";

const haveBrowser = browserInstalled("the console cycle browser test");
const VIEWPORTS = [
  { ...PHONE, unit: "CDCS-A" },
  { ...DESKTOP, unit: "CDCS-B" },
] as const;

describe.skipIf(!haveBrowser)("campaign cycle in the officer console (headless Chromium)", () => {
  let database: TestDatabase;
  let app: CycleConsole;
  let browser: Browser;
  let telegram: FakeTelegram;

  beforeAll(async () => {
    telegram = await startFakeTelegram();
    database = await defaultTestDatabase();
    app = await startCycleConsole(database.url);
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await telegram?.close();
    await database?.drop();
  });

  const signIn = async (viewport: { width: number; height: number }, subscriberId = app.officerId) =>
    consoleSignIn(browser, await app.loginLink(subscriberId), { viewport, locale: "vi-VN" }, 15_000);

  const pledge = (code: string) => app.db.prisma.pledge.findUniqueOrThrow({ where: { code }, select: { review: true, reviewNote: true, reviewedById: true } });
  const notices = (subscriberId: number) => app.db.prisma.notification.findMany({ where: { subscriberId }, select: { text: true } });

  for (const { name, viewport, unit } of VIEWPORTS) {
    it(`${name}: approves one, returns one with a reason, returns selected rows with one reason; a forged POST outside the scope changes nothing`, async () => {
      const a = await app.member(unit, `Nguyễn Văn An ${name}`);
      const b = await app.member(unit, `Lê Thị Bình ${name}`);
      const c = await app.member(unit, `Phạm Văn Cường ${name}`);
      const d = await app.member(unit, `Đỗ Thị Dung ${name}`);
      const outside = await app.member("CDCS-C", `Người ngoài phạm vi ${name}`);
      const { context, page, problems } = await signIn(viewport);

      await page.getByRole("link", { name: "Đăng ký" }).first().click();
      await page.getByLabel("Đơn vị").selectOption(unit);
      await page.getByLabel("Trạng thái").selectOption("pending");
      await page.getByRole("button", { name: "Lọc", exact: true }).click();
      await expect(page.getByTestId("pledge-count").textContent()).resolves.toContain("4 bản đăng ký");
      expect(await fitsWidth(page)).toBe(true);
      await page.screenshot({ path: join(SHOTS, `console-approval-list-${name}.png`), fullPage: true });

      // One row: Duyệt.
      await page.getByRole("button", { name: `Duyệt ${a.code}` }).click();
      await expect(page.getByRole("status").first().textContent()).resolves.toContain("Đã duyệt 1 bản đăng ký");
      expect((await pledge(a.code)).review).toBe("approved");
      expect((await pledge(a.code)).reviewedById).toBe(app.officerId);
      await expect(page.locator(`tr[data-code="${a.code}"]`).count()).resolves.toBe(0);

      // One row: Trả lại, on its page with the reason.
      await page.getByRole("link", { name: `Trả lại ${b.code}` }).click();
      await page.getByRole("heading", { level: 1, name: b.code }).waitFor();
      await page.getByRole("button", { name: "Trả lại", exact: true }).click();
      await expect(page.getByRole("alert").textContent()).resolves.toContain("Hãy ghi lý do trả lại");
      expect((await pledge(b.code)).review).toBe("pending");
      await page.getByRole("link", { name: `Trả lại ${b.code}` }).click();
      await page.getByLabel("Lý do trả lại (người đăng ký sẽ nhận được)").fill("Thiếu nội dung giao ước cụ thể.");
      await page.getByRole("button", { name: "Trả lại", exact: true }).click();
      await expect(page.getByRole("status").first().textContent()).resolves.toContain("Đã trả lại 1 bản đăng ký");
      expect(await pledge(b.code)).toMatchObject({ review: "returned", reviewNote: "Thiếu nội dung giao ước cụ thể." });

      // Selected rows with one reason (keyboard: space ticks a box).
      await page.getByLabel(`Chọn ${c.code}`).focus();
      await page.keyboard.press("Space");
      await page.getByLabel(`Chọn ${d.code}`).check();
      await page.getByLabel("Lý do trả lại (người đăng ký sẽ nhận được)").fill("Chưa ghi chức vụ");
      expect(await fitsWidth(page)).toBe(true);
      await page.screenshot({ path: join(SHOTS, `console-approval-selected-${name}.png`), fullPage: true });
      await page.getByRole("button", { name: "Trả lại các dòng đã chọn" }).click();
      await expect(page.getByRole("status").first().textContent()).resolves.toContain("Đã trả lại 2 bản đăng ký");
      for (const x of [c, d]) expect(await pledge(x.code)).toMatchObject({ review: "returned", reviewNote: "Chưa ghi chức vụ" });

      // The status filter shows them as returned.
      await page.getByLabel("Trạng thái").selectOption("returned");
      await page.getByRole("button", { name: "Lọc", exact: true }).click();
      await expect(page.getByTestId("pledge-count").textContent()).resolves.toContain("3 bản đăng ký");
      await page.screenshot({ path: join(SHOTS, `console-approval-returned-${name}.png`), fullPage: true });

      // The members were told, in the outbox, once each.
      const approved = (await notices(a.subscriberId)).map((n) => n.text);
      expect(approved).toHaveLength(1);
      expect(approved[0]).toContain(`${a.code} của bạn đã được duyệt`);
      const returned = (await notices(b.subscriberId)).map((n) => n.text);
      expect(returned).toHaveLength(1);
      expect(returned[0]).toContain("Thiếu nội dung giao ước cụ thể");

      // A forged POST (valid session and token) for a pledge outside the scope: refused, nothing changes.
      const csrf = await page.locator(`form#review input[name="${CSRF_FIELD}"]`).getAttribute("value");
      const forged = await context.request.post(`${app.url}/console/pledges/review`, { form: { [CSRF_FIELD]: csrf!, [`pick-${outside.code}`]: "1", decision: "approve" }, headers: { origin: app.url } });
      expect(forged.status()).toBe(200);
      expect(await forged.text()).toContain(`Không tìm thấy đăng ký chờ duyệt mã &quot;${outside.code}&quot;`);
      expect((await pledge(outside.code)).review).toBe("pending");
      expect(await notices(outside.subscriberId)).toEqual([]);
      // The officer's own registration: shown as theirs, no box to tick, and a forged approval refused.
      const cd01 = (await app.r.units.findByCode("CD-01"))!;
      const mine = await app.r.pledges.create({ campaignId: app.campaignId, phaseNumber: 1, kind: "individual", unitId: cd01.id, fullName: `Cán bộ Hoa ${name}`, position: null, commitment: "Hoàn thành tốt nhiệm vụ", items: [] }, app.officerId, (await app.r.campaigns.findBySlug("cycle-console"))!.definition.code_prefix, new Date());
      await page.goto(`${app.url}/console/pledges?unit=CD-01&status=pending`);
      await expect(page.locator(`tr[data-code="${mine.code}"]`).textContent()).resolves.toContain("(của bạn)");
      await expect(page.locator(`#pick-${mine.code}`).count()).resolves.toBe(0);
      const ownPost = await context.request.post(`${app.url}/console/pledges/review`, { form: { [CSRF_FIELD]: csrf!, "approve-one": mine.code }, headers: { origin: app.url } });
      expect(await ownPost.text()).toContain(`Bạn không thể tự duyệt đăng ký ${mine.code}`);
      expect((await pledge(mine.code)).review).toBe("pending");
      // And without the token: refused before anything is read.
      const noToken = await context.request.post(`${app.url}/console/pledges/review`, { form: { "approve-one": c.code }, headers: { origin: app.url } });
      expect(noToken.status()).toBe(403);

      // Each decision is in the audit log.
      const audit = await app.db.prisma.consoleAudit.findMany({ where: { action: { in: ["pledge-approve", "pledge-return"] } } });
      const codes = audit.map((e) => (JSON.parse(e.detail) as { code: string }).code);
      for (const x of [a, b, c, d]) expect(codes).toContain(x.code);
      expect(codes).not.toContain(outside.code);

      expect(problems).toEqual([]);
      await context.close();
    }, 120_000);
  }

  const REPORT_CASES = [
    { name: "phone", viewport: { width: 360, height: 740 }, unit: "CDCS-A", decision: "accept" },
    { name: "desktop", viewport: { width: 1280, height: 800 }, unit: "CDCS-B", decision: "return" },
  ] as const;
  const listOf = async (unitCode: string) => {
    const unit = (await app.r.units.findByCode(unitCode))!;
    return (await app.r.unitFilings.list({ campaignId: app.campaignId, phaseNumber: 1, kind: "list", unitIds: [unit.id] }))[0];
  };
  const sendList = async (unitCode: string, officerId: number, approved: number) => {
    const unit = (await app.r.units.findByCode(unitCode))!;
    await app.r.unitFilings.submit({ campaignId: app.campaignId, phaseNumber: 1, unitId: unit.id, kind: "list", data: { registered: approved, approved }, bySubscriberId: officerId, now: new Date() });
  };

  for (const { name, viewport, unit, decision } of REPORT_CASES) {
    it(`${name}: the reports page shows each unit's list status; the level above ${decision === "accept" ? "accepts" : "returns with a reason"} ${unit}'s list; a forged POST for a unit outside the scope changes nothing; XLSX and DOCX download`, async () => {
      const unitOfficer = await app.unitOfficer(unit, `Cán bộ ${unit}`);
      await sendList(unit, unitOfficer, 4);
      if (name === "phone") {
        // The phone's unit also sent its phase report; CDCS-C (outside the officer's scope) sent a list too.
        const a = (await app.r.units.findByCode(unit))!;
        await app.r.unitFilings.submit({ campaignId: app.campaignId, phaseNumber: 1, unitId: a.id, kind: "report", data: { figures: { members: 10, registered: 4, approved: 4, achieved: 3, worksRegistered: 1, worksDone: 1, initiativesRegistered: 0, initiativesDone: 0 }, corrected: false, highlights: "Thi đua dạy tốt, học tốt sôi nổi.", exemplary: "Cô Nguyễn Thị Mai", proposals: null }, bySubscriberId: unitOfficer, now: new Date() });
      }
      const outsideOfficer = await app.unitOfficer("CDCS-C", `Cán bộ CDCS-C ${name}`);
      if (!(await listOf("CDCS-C"))) await sendList("CDCS-C", outsideOfficer, 1);

      const { context, page, problems } = await signIn(viewport);
      await page.getByRole("link", { name: "Báo cáo", exact: true }).click();
      await page.getByRole("heading", { level: 1, name: "Báo cáo" }).waitFor();
      const row = page.locator(`tr[data-unit="${unit}"]`);
      await expect(row.getByTestId("list-status").textContent()).resolves.toContain("Chờ duyệt");
      // Units outside the scope are not listed.
      await expect(page.locator(`tr[data-unit="CDCS-C"]`).count()).resolves.toBe(0);
      if (name === "phone") {
        await expect(row.getByTestId("report-status").textContent()).resolves.toContain("Đã gửi");
        await expect(page.getByTestId("reported").textContent()).resolves.toContain("1/2");
      }
      expect(await fitsWidth(page)).toBe(true);
      await page.screenshot({ path: join(SHOTS, `console-reports-units-${name}.png`), fullPage: true });

      // The consolidated report, both formats.
      const [xlsx] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "XLSX" }).click()]);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.readFile((await xlsx.path())!);
      const cells = workbook.worksheets[0]!.getSheetValues().flat().map(String);
      expect(cells).toContain("CDCS-A");
      expect(cells).toContain("CDCS-B");
      expect(cells).not.toContain("CDCS-C");
      const [docx] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "DOCX" }).click()]);
      expect(docx.suggestedFilename()).toMatch(/\.docx$/);
      const { readFileSync } = await import("node:fs");
      expect(readFileSync((await docx.path())!).subarray(0, 2).toString()).toBe("PK");

      await row.getByRole("link").first().click();
      await page.getByRole("heading", { level: 1, name: new RegExp(`\\(${unit}\\)`) }).waitFor();
      await expect(page.locator("#list").getByTestId("list-status").textContent()).resolves.toContain("4 người có đăng ký đã duyệt");
      if (name === "phone") await expect(page.locator("#report").textContent()).resolves.toContain("Thi đua dạy tốt, học tốt sôi nổi.");
      expect(await fitsWidth(page)).toBe(true);
      await page.screenshot({ path: join(SHOTS, `console-reports-unit-${name}.png`), fullPage: true });
      if (decision === "accept") {
        await page.getByRole("button", { name: "Duyệt danh sách" }).click();
        await expect(page.getByRole("status").first().textContent()).resolves.toContain("Đã duyệt danh sách");
        expect((await listOf(unit))!.status).toBe("accepted");
      } else {
        await page.getByRole("button", { name: "Trả lại danh sách" }).click();
        await expect(page.getByRole("alert").textContent()).resolves.toContain("Hãy ghi lý do");
        expect((await listOf(unit))!.status).toBe("submitted");
        await page.getByLabel("Lý do trả lại (cán bộ đơn vị sẽ nhận được)").fill("Thiếu 2 đoàn viên mới chuyển đến");
        await page.getByRole("button", { name: "Trả lại danh sách" }).click();
        await expect(page.getByRole("status").first().textContent()).resolves.toContain("Đã trả lại danh sách");
        expect((await listOf(unit))!).toMatchObject({ status: "returned", note: "Thiếu 2 đoàn viên mới chuyển đến" });
        await expect(page.locator("#list").getByTestId("list-status").textContent()).resolves.toContain("Thiếu 2 đoàn viên mới chuyển đến");
      }
      await expect(page.getByTestId("list-history").textContent()).resolves.toContain("Cán bộ Hoa");
      await page.screenshot({ path: join(SHOTS, `console-reports-decided-${name}.png`), fullPage: true });
      // The unit's officer is told through the outbox.
      const told = (await notices(unitOfficer)).map((n) => n.text);
      expect(told).toHaveLength(1);
      expect(told[0]).toContain(decision === "accept" ? "đã duyệt danh sách" : "Thiếu 2 đoàn viên mới chuyển đến");

      // A forged POST (valid session and token) for a unit outside the scope: refused, nothing changes.
      const csrf = await page.locator(`form[method="post"] input[name="${CSRF_FIELD}"]`).first().getAttribute("value");
      const forged = await context.request.post(`${app.url}/console/reports/unit/CDCS-C/list`, { form: { [CSRF_FIELD]: csrf!, decision: "accept" }, headers: { origin: app.url } });
      expect(forged.status()).toBe(404);
      expect((await listOf("CDCS-C"))!.status).toBe("submitted");
      expect(await notices(outsideOfficer)).toEqual([]);
      // Nor does a decision on the officer's own unit (CD-01 is not below itself).
      const own = await context.request.post(`${app.url}/console/reports/unit/CD-01/list`, { form: { [CSRF_FIELD]: csrf!, decision: "accept" }, headers: { origin: app.url } });
      expect(await own.text()).toContain("Không tìm thấy đơn vị");

      const audit = await app.db.prisma.consoleAudit.findMany({ where: { action: decision === "accept" ? "unit-list-accept" : "unit-list-return" } });
      expect(audit.map((e) => (JSON.parse(e.detail) as { unit: string }).unit)).toEqual([unit]);
      expect(problems).toEqual([]);
      await context.close();
    }, 120_000);
  }

  const EVALUATION_CASES = [
    { name: "phone", viewport: { width: 360, height: 740 }, unit: "CDCS-A" },
    { name: "desktop", viewport: { width: 1280, height: 800 }, unit: "CDCS-B" },
  ] as const;

  for (const { name, viewport, unit } of EVALUATION_CASES) {
    it(`${name}: ${unit} proposes (someone without an approved registration refused), the level above decides, the commendation is edited, previewed and sent; decision list downloads`, async () => {
      const approve = async (code: string) => {
        const p = (await app.r.pledges.findByCode(code))!;
        await app.r.pledges.review({ id: p.id, decision: { kind: "approve" }, bySubscriberId: app.officerId, now: new Date(), notice: () => null });
        return p;
      };
      const e = await app.member(unit, `Trần Thị Em ${name}`);
      const f = await app.member(unit, `Vũ Văn Phúc ${name}`);
      const g = await app.member(unit, `Hồ Thị Giang ${name}`);
      const outside = await app.member("CDCS-C", `Ngoài phạm vi ${name}`);
      const ePledge = await approve(e.code);
      await approve(f.code);
      await approve(outside.code);
      await app.r.pledges.saveResults(ePledge.id, [{ item: "pledge", outcome: "achieved", note: "Hoàn thành 100% chỉ tiêu" }], e.subscriberId, new Date());
      const proposer = await app.unitOfficer(unit, `Cán bộ đề nghị ${name}`);

      // The grassroots union's officer proposes.
      {
        const { context, page, problems } = await signIn(viewport, proposer);
        await page.getByRole("link", { name: "Bình xét" }).click();
        await page.getByRole("heading", { level: 1, name: "Bình xét" }).waitFor();
        const card = (who: string) => page.locator(`article[data-person="${who}"]`);
        await expect(card(`Trần Thị Em ${name}`).textContent()).resolves.toContain("Đạt — Hoàn thành 100% chỉ tiêu");
        // g has no approved registration: not listed, and refused by code with the app layer's reason.
        await expect(card(`Hồ Thị Giang ${name}`).count()).resolves.toBe(0);
        await page.getByLabel("Mã đăng ký", { exact: true }).fill(g.code);
        await page.getByRole("button", { name: "Đề nghị" }).first().click();
        await expect(page.getByRole("alert").textContent()).resolves.toContain(`Đăng ký ${g.code} chưa được duyệt`);
        expect(await app.db.prisma.evaluation.count({ where: { subscriberId: g.subscriberId } })).toBe(0);

        await card(`Trần Thị Em ${name}`).getByLabel(`Đề nghị cho Trần Thị Em ${name}`).selectOption("lao-dong-tien-tien");
        await card(`Trần Thị Em ${name}`).getByRole("button", { name: "Đề nghị" }).click();
        await expect(page.getByRole("status").first().textContent()).resolves.toContain(`Đã ghi đề nghị cho Trần Thị Em ${name}`);
        // No title needs a reason.
        await card(`Vũ Văn Phúc ${name}`).getByLabel(`Đề nghị cho Vũ Văn Phúc ${name}`).selectOption("");
        await card(`Vũ Văn Phúc ${name}`).getByRole("button", { name: "Đề nghị" }).click();
        await expect(page.getByRole("alert").textContent()).resolves.toContain("hãy ghi lý do");
        await card(`Vũ Văn Phúc ${name}`).getByLabel(`Đề nghị cho Vũ Văn Phúc ${name}`).selectOption("");
        await card(`Vũ Văn Phúc ${name}`).getByLabel("Lý do (bắt buộc khi không đề nghị danh hiệu)").fill("Nghỉ ốm dài ngày");
        await card(`Vũ Văn Phúc ${name}`).getByRole("button", { name: "Đề nghị" }).click();
        await expect(card(`Vũ Văn Phúc ${name}`).getByTestId("proposal").textContent()).resolves.toContain("Nghỉ ốm dài ngày");
        // The unit's own officer does not decide on its people (no decision form).
        await expect(card(`Trần Thị Em ${name}`).getByRole("button", { name: "Công nhận", exact: true }).count()).resolves.toBe(0);
        expect(await fitsWidth(page)).toBe(true);
        await page.screenshot({ path: join(SHOTS, `console-evaluation-proposed-${name}.png`), fullPage: true });
        expect(problems).toEqual([]);
        await context.close();
      }

      // The level above decides and sends the commendation.
      const { context, page, problems } = await signIn(viewport);
      await page.getByRole("link", { name: "Bình xét" }).click();
      // The unit filter narrows the list to that unit.
      await page.getByLabel("Đơn vị", { exact: true }).selectOption(unit);
      await page.getByRole("button", { name: "Lọc", exact: true }).click();
      await expect(page.locator("section[data-unit]").evaluateAll((els) => els.map((el) => el.getAttribute("data-unit")))).resolves.toEqual([unit]);
      const card = (who: string) => page.locator(`article[data-person="${who}"]`);
      await card(`Trần Thị Em ${name}`).getByRole("button", { name: "Công nhận", exact: true }).click();
      await expect(card(`Trần Thị Em ${name}`).getByTestId("decision").textContent()).resolves.toMatch(/Công nhận — Lao động tiên tiến.*Cán bộ Hoa/s);
      await card(`Vũ Văn Phúc ${name}`).getByRole("button", { name: "Không công nhận" }).click();
      await expect(card(`Vũ Văn Phúc ${name}`).getByTestId("decision").textContent()).resolves.toContain("Không công nhận");
      const decided = await app.db.prisma.evaluation.findMany({ where: { subscriberId: { in: [e.subscriberId, f.subscriberId] } }, orderBy: { subscriberId: "asc" } });
      expect(decided.map((x) => [x.decision, x.decidedTitle, x.decidedById, x.proposedById])).toEqual([
        ["awarded", "lao-dong-tien-tien", app.officerId, proposer],
        ["not-awarded", null, app.officerId, proposer],
      ]);

      // A forged proposal for a registration outside the scope: refused, nothing stored.
      const csrf = await page.locator(`form[method="post"] input[name="${CSRF_FIELD}"]`).first().getAttribute("value");
      const forged = await context.request.post(`${app.url}/console/evaluation/propose`, { form: { [CSRF_FIELD]: csrf!, code: outside.code, title: "lao-dong-tien-tien" }, headers: { origin: app.url } });
      expect(await forged.text()).toContain(`Không tìm thấy đăng ký cá nhân mã &quot;${outside.code}&quot;`);
      const forgedDecision = await context.request.post(`${app.url}/console/evaluation/decide`, { form: { [CSRF_FIELD]: csrf!, code: outside.code, award: "yes" }, headers: { origin: app.url } });
      expect(await forgedDecision.text()).toContain("Không tìm thấy đăng ký");
      expect(await app.db.prisma.evaluation.count({ where: { subscriberId: outside.subscriberId } })).toBe(0);

      // The decision list downloads.
      const [xlsx] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "XLSX" }).click()]);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.readFile((await xlsx.path())!);
      const cells = workbook.worksheets[0]!.getSheetValues().flat().map(String);
      expect(cells).toContain(`Trần Thị Em ${name}`);
      expect(cells).toContain("Nghỉ ốm dài ngày");
      const [docx] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "DOCX" }).click()]);
      expect(docx.suggestedFilename()).toMatch(/\.docx$/);

      // The drafted commendation names the awarded person; the officer edits it, previews and sends.
      const text = page.getByLabel("Thông báo biểu dương (sửa trước khi gửi)");
      await expect(text.inputValue()).resolves.toContain(`Trần Thị Em ${name} (Lao động tiên tiến)`);
      expect(await fitsWidth(page)).toBe(true);
      await page.screenshot({ path: join(SHOTS, `console-evaluation-decided-${name}.png`), fullPage: true });
      const edited = `${await text.inputValue()}\nBan Thường vụ Công đoàn ngành Giáo dục (${name}).`;
      await text.fill(edited);
      await page.getByRole("button", { name: "Xem trước và số người nhận" }).click();
      const recipients = await page.getByTestId("recipients").textContent();
      const count = Number(/(\d+)/.exec(recipients!)![1]);
      // Everyone in the officer's subtree (CD-01 and its two unions), as the database has them now.
      const subtree = await app.db.prisma.unit.findMany({ where: { code: { in: ["CD-01", "CDCS-A", "CDCS-B"] } }, select: { id: true } });
      expect(count).toBe(await app.db.prisma.subscriber.count({ where: { status: "active", unitId: { in: subtree.map((u) => u.id) } } }));
      await expect(page.getByTestId("rendered").textContent()).resolves.toContain(`Ban Thường vụ Công đoàn ngành Giáo dục (${name}).`);
      await page.screenshot({ path: join(SHOTS, `console-evaluation-preview-${name}.png`), fullPage: true });
      await page.getByRole("button", { name: /^Gửi/ }).click();
      await page.getByTestId("delivery").waitFor();
      const rows = await app.db.prisma.notification.findMany({ where: { text: { contains: `Ban Thường vụ Công đoàn ngành Giáo dục (${name}).` } } });
      expect(rows).toHaveLength(count);
      expect(rows.map((x) => x.subscriberId)).toContain(e.subscriberId);
      expect(rows.map((x) => x.subscriberId)).not.toContain(outside.subscriberId);
      await page.screenshot({ path: join(SHOTS, `console-evaluation-sent-${name}.png`), fullPage: true });
      // The delivery worker sends it to the (fake) Telegram server: every recipient gets it once. Its clock is put
      // just past the rows' notBefore, which quiet hours may have moved to the morning.
      const due = new Date(Math.max(...rows.map((x) => x.notBefore.getTime()), Date.now()) + 1000);
      const worker = createDeliveryWorker({
        config: { TELEGRAM_BOT_TOKEN: FAKE_BOT_TOKEN, TELEGRAM_API_ROOT: telegram.apiRoot, ZALO_BOT_TOKEN: undefined, ZALO_API_ROOT: "http://127.0.0.1:9/unused", TELEGRAM_RATE_PER_SECOND: 25, TELEGRAM_CHAT_RATE_PER_SECOND: 10, ZALO_RATE_PER_SECOND: 25, DELIVERY_CONCURRENCY: 4, BOT_TIMEZONE: TZ, quietHours: DEFAULT_QUIET_HOURS },
        outbox: app.r.outbox,
        subscribers: app.r.subscribers,
        now: () => due,
        logger: pino({ level: "silent" }),
      });
      for (let i = 0; i < 20 && (await app.db.prisma.notification.count({ where: { id: { in: rows.map((x) => x.id) }, status: "sent" } })) < count; i++) await worker.runOnce();
      const delivered = telegram.sent.filter((m) => m.plainText?.includes(`Ban Thường vụ Công đoàn ngành Giáo dục (${name}).`));
      expect(delivered.map((m) => m.chatId).sort()).toEqual(rows.map((x) => x.chatId).sort());

      const audit = (await app.db.prisma.consoleAudit.findMany({ where: { action: { in: ["evaluation-propose", "evaluation-decide"] } } })).map((x) => JSON.parse(x.detail) as { code: string });
      expect(audit.filter((x) => x.code === e.code)).toHaveLength(2);
      expect(problems).toEqual([]);
      await context.close();
    }, 120_000);
  }

  it("English: the approval, reports and evaluation pages in the officer's second language", async () => {
    const returned = await app.member("CDCS-A", "Mai Anh");
    const p = (await app.r.pledges.findByCode(returned.code))!;
    await app.r.pledges.review({ id: p.id, decision: { kind: "return", reason: "Missing position" }, bySubscriberId: app.officerId, now: new Date(), notice: () => null });
    const { context, page, problems } = await signIn(VIEWPORTS[0].viewport);
    await page.getByRole("link", { name: "English" }).click();
    await page.getByRole("heading", { level: 1, name: "Overview" }).waitFor();
    await page.getByRole("link", { name: "Registrations" }).click();
    await page.getByLabel("Status").selectOption("returned");
    await page.getByRole("button", { name: "Filter", exact: true }).click();
    await expect(page.locator("tbody").textContent()).resolves.toContain("Returned");
    await page.getByRole("link", { name: "Reports" }).click();
    await expect(page.getByTestId("reported").textContent()).resolves.toMatch(/^Phase reports: \d+\/2 grassroots unions/);
    await page.getByRole("link", { name: "Evaluation" }).click();
    await page.getByRole("heading", { level: 2, name: "Evaluation and commendation list" }).waitFor();
    await expect(page.getByLabel("Registration code", { exact: true }).count()).resolves.toBe(1);
    expect(await fitsWidth(page)).toBe(true);
    await page.screenshot({ path: join(SHOTS, "console-evaluation-en-phone.png"), fullPage: true });
    expect(problems).toEqual([]);
    await context.close();
  }, 60_000);
});
