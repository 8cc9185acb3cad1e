// The chat page in a real browser: Debian's Chromium driven by playwright-core (no browser download), against the
// real bot process. On a phone (360×740) and a desktop viewport: nothing is sent on load (a /start would undo
// /ngung), the log scrolls inside the page with the buttons and the input visible after every reply, history
// survives a reload, Enter sends and Shift+Enter starts a new line, the page's words follow the person's language,
// and no script error. Then identity: a second browser given every value the first page stored is a stranger.
// Screenshots go to /work/shots/ (SHOTS_DIR overrides).
import { join } from "node:path";
import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BotProcess } from "../support/bot-process.js";
import { browserInstalled, openPage, PHONE, SHOTS, startBrowserBot, VIEWPORTS, watch, type BrowserBot } from "../support/browser.js";

const haveBrowser = browserInstalled("the browser test");

/** Entirely inside the viewport (not below the fold, not under another element's scroll). */
async function fullyVisible(page: Page, locator: Locator): Promise<boolean> {
  const box = await locator.boundingBox();
  const size = page.viewportSize()!;
  return box !== null && box.y >= 0 && box.x >= 0 && box.y + box.height <= size.height + 0.5 && box.x + box.width <= size.width + 0.5;
}

/** Types `text` into the message box, sends it with Enter and waits for the first bot message it brings. */
async function sendAndWait(page: Page, input: Locator, text: string): Promise<void> {
  const before = await page.locator(".msg--bot").count();
  await input.fill(text);
  await input.press("Enter");
  await page.locator(".msg--bot").nth(before).waitFor();
}

/** Text elements whose contrast with their (first opaque ancestor's) background is under WCAG AA's 4.5:1. */
function lowContrast(page: Page): Promise<{ checked: number; bad: string[] }> {
  return page.evaluate(() => {
    const rgb = (c: string) => (c.match(/[\d.]+/g) ?? []).map(Number);
    const lum = ([r, g, b]: number[]) => {
      const f = (v: number) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
      return 0.2126 * f(r!) + 0.7152 * f(g!) + 0.0722 * f(b!);
    };
    const background = (el: Element | null): number[] => {
      for (let e = el; e; e = e.parentElement) {
        const c = rgb(getComputedStyle(e).backgroundColor);
        if (c.length === 3 || (c.length === 4 && c[3]! > 0)) return c.slice(0, 3);
      }
      return [255, 255, 255];
    };
    const bad: string[] = [];
    let checked = 0;
    for (const el of document.querySelectorAll("h1, p, li, button, a, label, textarea")) {
      if (!(el as HTMLElement).offsetParent && el.tagName !== "LABEL") continue;
      checked++;
      const [a, b] = [lum(rgb(getComputedStyle(el).color)), lum(background(el))];
      const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
      if (ratio < 4.5) bad.push(`${el.tagName}.${el.className} ${ratio.toFixed(2)}`);
    }
    return { checked, bad };
  });
}

describe.skipIf(!haveBrowser)("chat page in headless Chromium", () => {
  let bot: BotProcess;
  let browser: Browser;
  let harness: BrowserBot;

  beforeAll(async () => {
    harness = await startBrowserBot();
    ({ bot, browser } = harness);
  });
  afterAll(async () => {
    await harness?.close();
  });

  for (const { name, viewport } of VIEWPORTS) {
    it(`${name}: no /start on load, replies keep the input and buttons in view, history after reload, Shift+Enter, language`, async () => {
      const { context, page, problems } = await openPage(browser, { viewport }, 8_000);
      const posts: string[] = [];
      page.on("request", (r) => {
        if (r.method() === "POST") posts.push(r.postData() ?? "");
      });
      const input = page.getByLabel("Tin nhắn của bạn");
      const send = async (text: string) => {
        await sendAndWait(page, input, text);
        await expect.poll(() => fullyVisible(page, input)).toBe(true);
        expect(await fullyVisible(page, page.locator("#send"))).toBe(true);
        // The newest message is scrolled into view inside the log.
        const log = page.locator("#log");
        const last = page.locator("#log li").last();
        const [logBox, lastBox] = [await log.boundingBox(), await last.boundingBox()];
        expect(lastBox!.y + lastBox!.height).toBeLessThanOrEqual(logBox!.y + logBox!.height + 1);
      };

      await page.goto(bot.url);
      await expect(page.title()).resolves.toBe("Trợ lý Thi đua Công đoàn");
      // A welcome hint with a button, and nothing sent.
      const start = page.getByRole("button", { name: "Bắt đầu" });
      await start.waitFor();
      await page.waitForTimeout(300);
      expect(posts).toEqual([]);
      expect(await page.locator("#log .msg--bot").count()).toBe(0);
      await page.screenshot({ path: join(SHOTS, `chat-${name}-welcome.png`) });

      await start.click();
      await page.locator(".msg--bot", { hasText: "Tôi là Trợ lý Thi đua Công đoàn" }).waitFor();
      expect(posts).toHaveLength(1);

      // Long answers: the page does not grow, the log scrolls, the input stays on screen.
      for (const command of ["/trogiup", "/dot", "/ngayle", "/chude"]) await send(command);
      // No plan runs on the real date: the bot loaded a demo copy of the newest plan for this year (issue 10.6).
      expect(await page.locator(".msg--bot").last().textContent()).toContain("bản thử");
      expect(await page.evaluate(() => document.documentElement.scrollHeight <= window.innerHeight + 1)).toBe(true);
      expect(await page.locator("#log").evaluate((el) => el.scrollHeight > el.clientHeight)).toBe(true);

      // Shift+Enter is a new line; Enter sends the two lines as one message.
      await input.fill("");
      await input.type("dòng một");
      await input.press("Shift+Enter");
      await input.type("dòng hai");
      expect(await input.inputValue()).toBe("dòng một\ndòng hai");
      const beforeMultiLine = await page.locator(".msg--bot").count();
      await input.press("Enter");
      await page.locator(".msg--bot").nth(beforeMultiLine).waitFor();
      expect(await page.locator(".msg--user").last().textContent()).toBe("dòng một\ndòng hai");
      expect(JSON.parse(posts.at(-1)!)).toEqual({ text: "dòng một\ndòng hai" });

      // Buttons after a reply: all on screen, and usable from the keyboard.
      await send("/ngonngu");
      const english = page.getByRole("button", { name: "English" });
      await english.waitFor();
      for (const button of await page.locator("#choices button").all()) expect(await fullyVisible(page, button)).toBe(true);
      await page.screenshot({ path: join(SHOTS, `chat-${name}-buttons.png`) });
      // Accessible: every control has a name, the text is readable (WCAG AA), the keyboard reaches the buttons.
      const contrast = await lowContrast(page);
      expect(contrast.checked).toBeGreaterThan(15);
      expect(contrast.bad).toEqual([]);
      for (const control of await page.locator("button, textarea").all()) expect((await control.evaluate((el) => (el as HTMLElement).innerText || el.getAttribute("aria-label") || (el.id && document.querySelector(`label[for="${el.id}"]`)?.textContent) || "")).trim()).not.toBe("");
      expect(await page.locator("#log").getAttribute("aria-label")).toBe("Tin nhắn");

      // Pick English from the keyboard.
      await page.getByRole("button", { name: "English" }).focus();
      await page.keyboard.press("Enter");
      await page.locator(".msg--bot", { hasText: "Language set to English." }).waitFor();
      // The page's own words follow.
      await expect.poll(() => page.title()).toBe("Union Emulation Assistant");
      expect(await page.locator("html").getAttribute("lang")).toBe("en");
      expect(await page.getByLabel("Your message").getAttribute("placeholder")).toBe("Type /theme or /help…");
      expect(await page.locator("#keys-hint").textContent()).toBe("Enter sends, Shift+Enter starts a new line");
      expect(await page.locator("#send").textContent()).toBe("Send");

      // Markup typed by a person is shown as text, never interpreted.
      const beforeMarkup = await page.locator(".msg--bot").count();
      await page.getByLabel("Your message").fill("<img src=x onerror=alert(1)>");
      await page.click("#send");
      await page.locator(".msg--user", { hasText: "<img src=x onerror=alert(1)>" }).waitFor();
      await page.locator(".msg--bot").nth(beforeMarkup).waitFor();
      expect(await page.locator("#log img").count()).toBe(0);

      // A reload shows the same conversation, in English, and sends nothing.
      const shown = await page.locator("#log li").allTextContents();
      const postsBefore = posts.length;
      await page.reload();
      await page.locator(".msg--bot", { hasText: "Language set to English." }).waitFor();
      await expect.poll(() => page.locator("#log li").allTextContents()).toEqual(shown);
      expect(posts).toHaveLength(postsBefore);
      expect(await page.title()).toBe("Union Emulation Assistant");
      expect(await fullyVisible(page, page.getByLabel("Your message"))).toBe(true);
      await page.screenshot({ path: join(SHOTS, `chat-${name}-after-reload.png`) });

      // /stop, then a reload: still stopped (the page does not send /start by itself).
      await page.getByLabel("Your message").fill("/stop");
      await page.getByLabel("Your message").press("Enter");
      await page.locator(".msg--bot", { hasText: /no longer receive|stopped/i }).last().waitFor();
      await page.reload();
      await page.getByLabel("Your message").waitFor();
      await page.waitForTimeout(300);
      await page.getByLabel("Your message").fill("/stop");
      await page.getByLabel("Your message").press("Enter");
      await page.locator(".msg--bot", { hasText: /not subscribed|have not/i }).last().waitFor();

      expect(problems).toEqual([]);
      await context.close();
    }, 90_000);
  }

  it("phone: answers people type — a label without diacritics counts as its button, and '1,4' sets exactly those two titles", async () => {
    const { context, page, problems } = await openPage(browser, { viewport: PHONE.viewport }, 8_000);
    const input = page.getByLabel("Tin nhắn của bạn");
    /** Sends `text` and returns the text of the last bot message it brought. */
    const send = async (text: string) => {
      await sendAndWait(page, input, text);
      await page.waitForTimeout(150);
      expect(await fullyVisible(page, input)).toBe(true);
      return (await page.locator(".msg--bot").last().textContent()) ?? "";
    };
    const buttons = () => page.locator("#choices button").allTextContents();

    await page.goto(bot.url);
    await page.getByRole("button", { name: "Bắt đầu" }).click();
    await page.locator(".msg--bot", { hasText: "Tôi là Trợ lý Thi đua Công đoàn" }).waitFor();
    await send("/dangky");
    expect(await send("Nguyễn Văn Thử")).toContain("Chức vụ");
    // "bo qua" typed for the button "Bỏ qua".
    expect(await send("bo qua")).toContain("Chọn danh hiệu thi đua");
    // The buttons carry the numbers the prompt tells people to type.
    expect((await buttons()).map((b) => b.replace(/\s+/g, " ").trim())).toEqual(expect.arrayContaining(["1. Lao động tiên tiến", "4. Lao động giỏi", "7. Tiếp tục"]));
    expect(await send("1,4")).toContain("Đã chọn: Lao động tiên tiến; Lao động giỏi");
    for (const b of await page.locator("#choices button").all()) expect(await fullyVisible(page, b)).toBe(true);
    // A second list sets the selection again (it does not toggle): exactly 2 and 4 now.
    const second = await send("2,4");
    expect(second).toContain("Đã chọn: Chiến sĩ thi đua cơ sở; Lao động giỏi");
    expect(second).not.toContain("Lao động tiên tiến;");
    expect((await buttons()).filter((b) => b.includes("✓")).map((b) => b.replace(/\s+/g, " ").trim())).toEqual(["2. ✓ Chiến sĩ thi đua cơ sở", "4. ✓ Lao động giỏi"]);
    await page.screenshot({ path: join(SHOTS, "chat-phone-multichoice.png") });
    // "tiep tuc" for "Tiếp tục": on to the movements.
    expect(await send("tiep tuc")).toContain("Chọn các phong trào thi đua");
    await send("/huy");
    expect(problems).toEqual([]);
    await context.close();
  }, 60_000);

  it("a second browser holding everything the first page stored (storage, page state) is a stranger", async () => {
    // Playwright's default timeout (30 s).
    const { context: first, page, problems } = await openPage(browser, { viewport: PHONE.viewport }, 30_000);
    await page.goto(bot.url);
    await page.getByRole("button", { name: "Bắt đầu" }).click();
    await page.locator(".msg--bot", { hasText: "Tôi là Trợ lý Thi đua Công đoàn" }).waitFor();
    await page.getByLabel("Tin nhắn của bạn").fill("Bí mật của người thứ nhất");
    await page.getByLabel("Tin nhắn của bạn").press("Enter");
    await page.locator(".msg--user", { hasText: "Bí mật của người thứ nhất" }).waitFor();
    await page.locator(".msg--bot").nth(2).waitFor();

    // Everything script on the page can see: storage, cookies readable by script, the HTML.
    const stored = await page.evaluate(() => ({
      local: Object.fromEntries(Object.entries(localStorage)),
      session: Object.fromEntries(Object.entries(sessionStorage)),
      cookie: document.cookie,
      html: document.documentElement.outerHTML,
    }));
    expect(stored.cookie).toBe(""); // HttpOnly: no script can read the session
    const [sessionCookie] = await first.cookies();
    expect(sessionCookie).toMatchObject({ httpOnly: true, sameSite: "Strict" });
    expect(stored.html).not.toContain(sessionCookie!.value);

    // The second browser gets all of it.
    const second = await browser.newContext({ viewport: PHONE.viewport });
    await second.addInitScript((s) => {
      for (const [k, v] of Object.entries(s.local)) localStorage.setItem(k, v as string);
      for (const [k, v] of Object.entries(s.session)) sessionStorage.setItem(k, v as string);
    }, stored);
    const other = await second.newPage();
    const otherProblems = watch(other);
    await other.goto(bot.url);
    await other.getByRole("button", { name: "Bắt đầu" }).waitFor();
    await other.waitForTimeout(500);
    expect(await other.locator("#log").textContent()).not.toContain("Bí mật của người thứ nhất");
    expect(await other.locator(".msg--bot").count()).toBe(0);
    // Its own session, and it sees only its own log even when it asks the API directly.
    const [otherCookie] = await second.cookies();
    expect(otherCookie!.value).not.toBe(sessionCookie!.value);
    const log = await other.evaluate(async () => (await fetch("/api/chat/inbox?after=0")).json());
    expect(log).toEqual({ messages: [] });
    await other.screenshot({ path: join(SHOTS, "chat-second-browser.png") });

    // The first browser still has its conversation.
    await page.reload();
    await page.locator(".msg--user", { hasText: "Bí mật của người thứ nhất" }).waitFor();
    expect([...problems, ...otherProblems]).toEqual([]);
    await first.close();
    await second.close();
  });
});
