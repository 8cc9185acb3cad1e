// The browser tests' shared parts: Debian's Chromium (/usr/bin/chromium) driven by playwright-core (no browser
// download) — whether it is installed, launching it, a page that records its script errors, the officer console's
// sign-in — and `startBrowserBot`: a fresh database, the real bot process and a browser, closed together.
import { existsSync, mkdirSync } from "node:fs";
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from "playwright-core";
import type { TestDatabase } from "../db/helpers.js";
import { startBot, type BotProcess } from "./bot-process.js";
import { defaultTestDatabase } from "./test-database.js";

export const CHROMIUM = "/usr/bin/chromium";
/** Where screenshots go (SHOTS_DIR overrides). */
export const SHOTS = process.env.SHOTS_DIR ?? "/work/shots";
export const PHONE = { name: "phone", viewport: { width: 360, height: 740 } } as const;
export const DESKTOP = { name: "desktop", viewport: { width: 1280, height: 800 } } as const;
export const VIEWPORTS = [PHONE, DESKTOP] as const;

/** Whether Chromium is installed; with REQUIRE_BROWSER set, its absence is an error instead of a skipped `what`. */
export function browserInstalled(what: string): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (process.env.REQUIRE_BROWSER) throw new Error(`REQUIRE_BROWSER is set but ${CHROMIUM} is missing (apt-get install chromium)`);
  console.warn(`Skipping ${what}: ${CHROMIUM} is not installed (apt-get install chromium).`);
  return false;
}

/** Headless Chromium (and the screenshot folder). */
export async function launchBrowser(): Promise<Browser> {
  mkdirSync(SHOTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}

/** Problems a page reports: script errors and console errors. */
export function watch(page: Page): string[] {
  const problems: string[] = [];
  page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(`console: ${m.text()}`);
  });
  return problems;
}

/** Nothing wider than the viewport (no sideways scrolling of the page itself). */
export const fitsWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1);

export interface WatchedPage {
  context: BrowserContext;
  page: Page;
  /** What `watch` records. */
  problems: string[];
}

/** A new browser context (`options`: viewport, locale…) with one watched page whose actions wait `timeoutMs` at most. */
export async function openPage(browser: Browser, options: BrowserContextOptions, timeoutMs: number): Promise<WatchedPage> {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  page.setDefaultTimeout(timeoutMs);
  return { context, page, problems: watch(page) };
}

/** A new context signed in to the officer console through a one-time login `link` (the login page's button). */
export async function consoleSignIn(browser: Browser, link: string, options: BrowserContextOptions, timeoutMs: number): Promise<WatchedPage> {
  const opened = await openPage(browser, options, timeoutMs);
  await opened.page.goto(link);
  await opened.page.getByRole("button", { name: "Đăng nhập" }).click();
  await opened.page.getByRole("heading", { level: 1, name: "Tổng quan" }).waitFor();
  return opened;
}

export interface BrowserBot {
  database: TestDatabase;
  bot: BotProcess;
  browser: Browser;
  /** DATABASE_URL and the bot's PORT: the environment for `admin` (test/support/bot-process.ts). */
  env: Record<string, string>;
  close(): Promise<void>;
}

/**
 * A fresh test database (of TEST_DATABASE's provider), `prepare` run against it (admin commands, seeding; it returns
 * more of the bot's environment), the real bot process with that environment, and Chromium. On a failure part way,
 * what was started is closed again.
 */
export async function startBrowserBot(prepare: (env: Record<string, string>) => Promise<Record<string, string>> = async () => ({})): Promise<BrowserBot> {
  const database = await defaultTestDatabase();
  const env: Record<string, string> = { DATABASE_URL: database.url };
  let bot: BotProcess | undefined;
  let browser: Browser | undefined;
  const close = async () => {
    await browser?.close();
    await bot?.stop();
    await database.drop();
  };
  try {
    bot = await startBot({ ...env, ...(await prepare(env)) });
    env.PORT = new URL(bot.url).port;
    browser = await launchBrowser();
    return { database, bot, browser, env, close };
  } catch (e) {
    await close();
    throw e;
  }
}
