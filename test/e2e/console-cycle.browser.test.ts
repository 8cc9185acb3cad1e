// The campaign cycle in the officer console, in a real browser (Debian's Chromium via playwright-core) against the
// console's real routes and a real database: approval of registrations (one, one returned with a reason, selected
// rows, a forged POST outside the scope refused). On a phone (360×740) and a desktop viewport, with no script error
// and nothing wider than the screen. Screenshots: /work/shots/console-approval-*.png.
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CSRF_FIELD } from "../../src/console/csrf.js";
import type { TestDatabase } from "../db/helpers.js";
import { startCycleConsole, type CycleConsole } from "../support/console-cycle.js";
import { defaultTestDatabase } from "../support/test-database.js";

const CHROMIUM = "/usr/bin/chromium";
const haveBrowser = existsSync(CHROMIUM);
if (!haveBrowser) {
  if (process.env.REQUIRE_BROWSER) throw new Error(`REQUIRE_BROWSER is set but ${CHROMIUM} is missing (apt-get install chromium)`);
  console.warn(`Skipping the console cycle browser test: ${CHROMIUM} is not installed (apt-get install chromium).`);
}
const SHOTS = process.env.SHOTS_DIR ?? "/work/shots";
const VIEWPORTS = [
  { name: "phone", viewport: { width: 360, height: 740 }, unit: "CDCS-A" },
  { name: "desktop", viewport: { width: 1280, height: 800 }, unit: "CDCS-B" },
] as const;

function watch(page: Page): string[] {
  const problems: string[] = [];
  page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(`console: ${m.text()}`);
  });
  return problems;
}
const fitsWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1);

describe.skipIf(!haveBrowser)("campaign cycle in the officer console (headless Chromium)", () => {
  let database: TestDatabase;
  let app: CycleConsole;
  let browser: Browser;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    database = await defaultTestDatabase();
    app = await startCycleConsole(database.url);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await database?.drop();
  });

  async function signIn(viewport: { width: number; height: number }) {
    const context = await browser.newContext({ viewport, locale: "vi-VN" });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    const problems = watch(page);
    await page.goto(await app.loginLink(app.officerId));
    await page.getByRole("button", { name: "Đăng nhập" }).click();
    await page.getByRole("heading", { level: 1, name: "Tổng quan" }).waitFor();
    return { context, page, problems };
  }

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
});
