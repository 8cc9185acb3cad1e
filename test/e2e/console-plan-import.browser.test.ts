// Importing a plan document in the officer console, in a real browser (Debian's Chromium via playwright-core) against
// the real bot process: upload the Lai Châu plan (.docx), see each extracted value highlighted beside the text,
// correct fields, be refused with the problem named (a phase ending before it starts; nothing stored), then publish
// and find the corrected plan in the database and the audit log. On a phone (360×740) and a desktop, with
// no script error and nothing wider than the screen. Screenshots: /work/shots/console-plan-import-*.png.
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRepositories, openDatabase } from "../../src/db/index.js";
import type { TestDatabase } from "../db/helpers.js";
import { admin, adminOk, lastLine, ROOT, type BotProcess } from "../support/bot-process.js";
import { browserInstalled, consoleSignIn, fitsWidth, SHOTS, startBrowserBot, VIEWPORTS, type BrowserBot } from "../support/browser.js";

const haveBrowser = browserInstalled("the plan import browser test");
const PLAN = join(ROOT, "test/fixtures/plans/lai-chau-2025.docx");

describe.skipIf(!haveBrowser)("plan import in the officer console (headless Chromium)", () => {
  let database: TestDatabase;
  let bot: BotProcess;
  let browser: Browser;
  let env: Record<string, string>;
  let harness: BrowserBot;

  const stored = async (slug: string) => {
    const db = openDatabase(database.url);
    try {
      const repositories = createRepositories(db);
      const campaign = await repositories.campaigns.findBySlug(slug);
      const audit = (await db.prisma.consoleAudit.findMany({ where: { action: "plan-import" } })).map((a) => JSON.parse(a.detail) as { slug: string });
      return { campaign, audit };
    } finally {
      await db.close();
    }
  };

  async function signIn(unit: string | undefined, viewport: { width: number; height: number }) {
    const link = lastLine(admin(env, "console", "link", ...(unit ? ["--unit", unit] : [])).stdout);
    // A Vietnamese office PC: date fields show dd/mm/yyyy.
    return consoleSignIn(browser, link.replace(/^http:\/\/localhost:\d+/, bot.url), { viewport, locale: "vi-VN" }, 15_000);
  }

  beforeAll(async () => {
    harness = await startBrowserBot(async (dbEnv) => {
      adminOk(dbEnv, "units", "import", "test/fixtures/units/good.csv");
      return { WEB_CHAT: "on" };
    });
    ({ database, bot, browser, env } = harness);
  }, 120_000);
  afterAll(async () => {
    await harness?.close();
  });

  for (const { name, viewport } of VIEWPORTS) {
    it(`${name}: uploads the .docx, sees values highlighted beside the text, is refused with the problem named, corrects and publishes`, async () => {
      const slug = `lai-chau-2025-${name}`;
      const { context, page, problems } = await signIn(undefined, viewport);
      await page.getByRole("link", { name: "Nhập kế hoạch" }).click();
      await page.getByRole("heading", { level: 1, name: "Nhập kế hoạch từ văn bản" }).waitFor();
      expect(await fitsWidth(page)).toBe(true);
      await page.screenshot({ path: join(SHOTS, `console-plan-import-upload-${name}.png`), fullPage: true });

      await page.getByLabel("Văn bản kế hoạch (.docx, .pdf, .txt)").setInputFiles(PLAN);
      await page.getByLabel("Ngày ban hành văn bản").fill("10/01/2025");
      await page.getByRole("button", { name: "Đọc văn bản" }).click();
      await page.getByRole("heading", { level: 1, name: "Kiểm tra kế hoạch đọc từ văn bản" }).waitFor();

      // Beside the text: each value highlighted where it was found, the field linked to its highlight.
      const text = page.locator("#plan-text");
      expect(await text.locator("mark").count()).toBeGreaterThan(40);
      const theme2 = page.getByLabel("Chủ đề của đợt").nth(1);
      await expect(theme2.inputValue()).resolves.toBe("Thi đua cao điểm hoàn thành toàn diện và vượt mức chỉ tiêu nhiệm vụ năm 2025");
      await expect(text.locator("#src-f-phases-1-theme").textContent()).resolves.toBe("Thi đua cao điểm hoàn thành toàn diện và vượt mức chỉ tiêu nhiệm vụ năm 2025");
      await expect(page.getByLabel("Ngày bắt đầu").first().inputValue()).resolves.toBe("01/01/2025");
      await expect(text.locator("#src-f-phases-0-start").textContent()).resolves.toBe("01/01/2025");
      await expect(text.locator("#src-f-anniversaries-0-base_date").textContent()).resolves.toBe("03/02/1930");
      // Fields to check are flagged with the reason in words (the theme is not in quotes in this plan).
      const themeBox = page.locator("#f-theme-wrap");
      expect(await themeBox.getAttribute("class")).toContain("flagged");
      await expect(themeBox.locator(".check").textContent()).resolves.toContain("chủ đề không nằm trong ngoặc kép");
      expect(await text.locator("mark.check").count()).toBeGreaterThan(0);
      // The slug and code prefix are proposals, not read from the text: said so.
      await expect(page.locator("#f-slug-wrap").textContent()).resolves.toContain("Không có trong văn bản");

      // Focusing a field emphasises its highlight and scrolls the text panel to it.
      await theme2.focus();
      const highlight = text.locator("mark.current").first();
      await expect(highlight.textContent()).resolves.toContain("Thi đua cao điểm");
      const [panel, mark] = [await text.boundingBox(), await highlight.boundingBox()];
      expect(mark!.y).toBeGreaterThanOrEqual(panel!.y - 1);
      expect(mark!.y + mark!.height).toBeLessThanOrEqual(panel!.y + panel!.height + 1);
      expect(await fitsWidth(page)).toBe(true);
      await page.screenshot({ path: join(SHOTS, `console-plan-import-review-${name}.png`) });
      await page.screenshot({ path: join(SHOTS, `console-plan-import-review-full-${name}.png`), fullPage: true });
      // An anniversary's base date: its highlight is the date inside the anniversary's sentence.
      await page.locator("#f-anniversaries-0-base_date").focus();
      await expect(text.locator("mark.current").last().textContent()).resolves.toBe("03/02/1930");
      await page.screenshot({ path: join(SHOTS, `console-plan-import-anniversary-${name}.png`) });
      await page.locator("#f-titles").focus();
      await page.screenshot({ path: join(SHOTS, `console-plan-import-titles-${name}.png`) });

      // Corrections, one of them wrong: phase 2 now ends before it starts.
      await page.getByLabel("Mã kế hoạch (chữ thường, số, dấu gạch ngang)").fill(slug);
      await theme2.fill("Thi đua cao điểm chào mừng Đại hội Công đoàn các cấp");
      await page.getByLabel("Ngày kết thúc").nth(1).fill("15/06/2025");
      await page.getByRole("button", { name: "Công bố kế hoạch" }).click();
      const alert = page.getByRole("alert");
      await alert.waitFor();
      await expect(alert.textContent()).resolves.toContain("Chưa công bố: 1 chỗ cần sửa");
      await expect(alert.getByRole("listitem").textContent()).resolves.toBe("Đợt 2 — Ngày kết thúc: ngày kết thúc 15/06/2025 đứng trước ngày bắt đầu 01/07/2025 của đợt");
      expect(await page.locator("#f-phases-1-end").getAttribute("aria-invalid")).toBe("true");
      // The corrections survive the refusal; nothing was stored.
      await expect(page.getByLabel("Chủ đề của đợt").nth(1).inputValue()).resolves.toBe("Thi đua cao điểm chào mừng Đại hội Công đoàn các cấp");
      await expect(page.locator("#f-slug").inputValue()).resolves.toBe(slug);
      expect((await stored(slug)).campaign).toBeNull();
      expect(await fitsWidth(page)).toBe(true);
      await page.screenshot({ path: join(SHOTS, `console-plan-import-refused-${name}.png`) });

      // The problem link leads to the field; fix it and publish.
      await alert.getByRole("link", { name: "Đợt 2 — Ngày kết thúc" }).click();
      await page.locator("#f-phases-1-end").fill("31/12/2025");
      await page.getByRole("button", { name: "Công bố kế hoạch" }).click();
      const status = page.getByRole("status");
      await status.waitFor();
      await expect(status.textContent()).resolves.toContain(`(mã ${slug}): 2 đợt, 6 ngày kỷ niệm`);
      await page.screenshot({ path: join(SHOTS, `console-plan-import-published-${name}.png`), fullPage: true });

      // In the database with the corrected values, and in the audit log.
      const { campaign, audit } = await stored(slug);
      expect(campaign).not.toBeNull();
      const def = campaign!.definition;
      expect(def.phases[1]!.theme).toBe("Thi đua cao điểm chào mừng Đại hội Công đoàn các cấp");
      expect(def.phases[1]!.end).toBe("2025-12-31");
      expect(def.phases[0]).toMatchObject({ start: "2025-01-01", end: "2025-06-30", theme: "Mừng Đảng quang vinh - Mừng Sinh nhật Bác" });
      expect(def.anniversaries.map((a) => a.base_date)).toEqual(["1930-02-03", "1975-04-30", "1890-05-19", "1945-08-19", "1945-09-02", "1929-07-28"]);
      expect(def.code_prefix).toBe("LC25");
      expect(audit.map((a) => a.slug)).toContain(slug);

      // Publishing the same id again is refused: an imported plan never overwrites a loaded one.
      await page.goto(`${bot.url}/console/plans/import`);
      await page.getByLabel("Văn bản kế hoạch (.docx, .pdf, .txt)").setInputFiles(PLAN);
      await page.getByRole("button", { name: "Đọc văn bản" }).click();
      await page.locator("#f-slug").fill(slug);
      await page.getByRole("button", { name: "Công bố kế hoạch" }).click();
      await expect(page.getByRole("alert").textContent()).resolves.toContain(`mã “${slug}” đã dùng cho kế hoạch`);

      expect(problems).toEqual([]);
      await context.close();
    });
  }

  it("a file that is not a plan document, or far too long, is refused politely; English", async () => {
    const { context, page, problems } = await signIn(undefined, VIEWPORTS[0].viewport);
    await page.goto(`${bot.url}/console/plans/import`);
    await page.getByLabel("Văn bản kế hoạch (.docx, .pdf, .txt)").setInputFiles({ name: "ke-hoach.xlsx", mimeType: "application/octet-stream", buffer: Buffer.from("PK\u0003\u0004") });
    await page.getByRole("button", { name: "Đọc văn bản" }).click();
    await expect(page.getByRole("alert").textContent()).resolves.toContain("“ke-hoach.xlsx” không phải .docx, .pdf, .txt hoặc .md");
    await page.getByLabel("Văn bản kế hoạch (.docx, .pdf, .txt)").setInputFiles({ name: "hong.docx", mimeType: "application/octet-stream", buffer: Buffer.from("not a zip") });
    await page.getByRole("button", { name: "Đọc văn bản" }).click();
    await expect(page.getByRole("alert").textContent()).resolves.toContain("Không đọc được chữ trong tệp “hong.docx”");
    // Far more text than any plan: refused before it is read.
    await page.getByLabel("Văn bản kế hoạch (.docx, .pdf, .txt)").setInputFiles({ name: "dai.txt", mimeType: "text/plain", buffer: Buffer.from("Đợt 1 từ 01/01/2025 đến 30/6/2025. ".repeat(9_000)) });
    await page.getByRole("button", { name: "Đọc văn bản" }).click();
    await expect(page.getByRole("alert").textContent()).resolves.toContain("Tệp “dai.txt” có quá nhiều chữ cho một kế hoạch (quá 300.000 ký tự)");
    // In English when the officer chooses it.
    await page.getByRole("link", { name: "English" }).click();
    await page.getByRole("heading", { level: 1, name: "Import a plan from a document" }).waitFor();
    await page.getByLabel("Plan document (.docx, .pdf, .txt)").setInputFiles(PLAN);
    await page.getByRole("button", { name: "Read the document" }).click();
    await page.getByLabel("End date").nth(1).fill("15/06/2025");
    await page.getByRole("button", { name: "Publish the plan" }).click();
    await expect(page.getByRole("alert").getByRole("listitem").first().textContent()).resolves.toBe("Đợt 2 — End date: the end date 15/06/2025 is before the phase's start 01/07/2025");
    await page.screenshot({ path: join(SHOTS, "console-plan-import-refused-en-phone.png") });
    expect(problems.filter((p) => !p.includes("Failed to load resource"))).toEqual([]);
    await context.close();
  });

  it("reads the Bắc Kạn plan from .pdf and the Lai Châu plan from .txt the same way", async () => {
    const { context, page, problems } = await signIn(undefined, VIEWPORTS[1].viewport);
    for (const [file, start, theme] of [
      ["bac-kan-2021.pdf", "01/01/2021", "f-phases-0-theme"],
      ["lai-chau-2025.txt", "01/01/2025", "f-phases-1-theme"],
    ] as const) {
      await page.goto(`${bot.url}/console/plans/import`);
      await page.getByLabel("Văn bản kế hoạch (.docx, .pdf, .txt)").setInputFiles(join(ROOT, "test/fixtures/plans", file));
      await page.getByRole("button", { name: "Đọc văn bản" }).click();
      await page.getByRole("heading", { level: 1, name: "Kiểm tra kế hoạch đọc từ văn bản" }).waitFor();
      await expect(page.locator("#f-phases-0-start").inputValue()).resolves.toBe(start);
      // The highlight holds what its field says (the PDF breaks lines inside it).
      const value = await page.locator(`#${theme}`).inputValue();
      const marked = await page.locator(`#src-${theme}`).textContent();
      expect(marked!.replace(/\s+/g, " ")).toBe(value);
      expect(await page.locator("#plan-text mark").count()).toBeGreaterThan(20);
    }
    expect(problems).toEqual([]);
    // The publish form without its CSRF token: refused, nothing stored.
    const forged = await page.evaluate(async () => {
      const form = new FormData(document.querySelector<HTMLFormElement>("form.plan-form")!);
      form.delete("_csrf");
      form.set("slug", "forged-csrf-2025");
      return (await fetch("/console/plans/import/publish", { method: "POST", body: form })).status;
    });
    expect(forged).toBe(403);
    expect((await stored("forged-csrf-2025")).campaign).toBeNull();
    await context.close();
  });

  it("an officer below the federation level sees a polite refusal and cannot publish", async () => {
    const { context, page } = await signIn("CDGD", VIEWPORTS[0].viewport);
    expect(await page.getByRole("link", { name: "Nhập kế hoạch" }).count()).toBe(0);
    const response = await page.goto(`${bot.url}/console/plans/import`);
    expect(response!.status()).toBe(403);
    await expect(page.locator("main").textContent()).resolves.toContain("Chỉ cán bộ cấp Liên đoàn");
    await page.screenshot({ path: join(SHOTS, "console-plan-import-refused-officer-phone.png") });
    // A forged publish with a valid CSRF token from this officer's own page is refused by scope, not stored.
    const csrf = await page.locator("input[name=_csrf]").first().inputValue();
    const status = await page.evaluate(async (token) => {
      const body = new URLSearchParams({ _csrf: token, source: "Kế hoạch thi đua năm 2025", document_date: "2025-01-10", slug: "forged-2025" });
      return (await fetch("/console/plans/import/publish", { method: "POST", body })).status;
    }, csrf);
    expect(status).toBe(403);
    expect((await stored("forged-2025")).campaign).toBeNull();
    await context.close();
  });
});
