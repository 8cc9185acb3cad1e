// Debian's Chromium through playwright-core for the console's browser tests: whether it is there (REQUIRE_BROWSER
// makes its absence an error), how it is launched, and signing in to the console with a one-time link.
import { existsSync } from "node:fs";
import { chromium, type Browser, type Page } from "playwright-core";

export const CHROMIUM = "/usr/bin/chromium";
export const SHOTS = process.env.SHOTS_DIR ?? "/work/shots";
export const PHONE = { width: 360, height: 740 } as const;
export const DESKTOP = { width: 1280, height: 800 } as const;

/** True when Chromium is installed; otherwise warns that `what` is skipped (or throws under REQUIRE_BROWSER). */
export function haveChromium(what: string): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (process.env.REQUIRE_BROWSER) throw new Error(`REQUIRE_BROWSER is set but ${CHROMIUM} is missing (apt-get install chromium)`);
  console.warn(`Skipping ${what}: ${CHROMIUM} is not installed (apt-get install chromium).`);
  return false;
}

export const launchChromium = (): Promise<Browser> =>
  chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });

/** Script errors and console errors of the page, collected as they happen. */
export function watch(page: Page): string[] {
  const problems: string[] = [];
  page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(`console: ${m.text()}`);
  });
  return problems;
}

export const fitsWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1);

/** A new browser context signed in to the console through a one-time login link (the overview is showing). */
export async function signInWithLink(browser: Browser, link: string, viewport: { width: number; height: number }) {
  const context = await browser.newContext({ viewport, locale: "vi-VN" });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const problems = watch(page);
  await page.goto(link);
  await page.getByRole("button", { name: "Đăng nhập" }).click();
  await page.getByRole("heading", { level: 1, name: "Tổng quan" }).waitFor();
  return { context, page, problems };
}
