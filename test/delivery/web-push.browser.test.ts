// The chat page shows pushes: Debian's Chromium (playwright-core, no browser download) on the real web chat routes
// with an inbox, a real database (TEST_DATABASE) and the real worker. The page polls GET /api/chat/inbox every few seconds.
import { existsSync } from "node:fs";
import { chromium, type Browser } from "playwright-core";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBot } from "../../src/app/bot.js";
import { createWebPushChannel, INBOX_PATH, WebInbox } from "../../src/channels/web/web-push.js";
import { createOutboxWorker } from "../../src/delivery/outbox-worker.js";
import { createRateLimiter } from "../../src/delivery/rate-limiter.js";
import { startHttpServer, type RunningServer } from "../../src/http/server.js";
import { hashSessionToken } from "../../src/http/sessions/token.js";
import { testWebChat } from "../support/web-chat-server.js";
import { defaultProvider } from "../support/test-database.js";
import { deliveryDb, notification, VN, type DeliveryDb } from "./support.js";

const CHROMIUM = "/usr/bin/chromium";
const haveBrowser = existsSync(CHROMIUM);
if (!haveBrowser) {
  if (process.env.REQUIRE_BROWSER) throw new Error(`REQUIRE_BROWSER is set but ${CHROMIUM} is missing (apt-get install chromium)`);
  console.warn(`Skipping the web push browser test: ${CHROMIUM} is not installed (apt-get install chromium).`);
}

const silent = pino({ level: "silent" });
const NO_QUIET = { start: "00:00", end: "00:00" };

describe.skipIf(!haveBrowser)("chat page shows pushes (headless Chromium)", () => {
  let store: DeliveryDb;
  let server: RunningServer;
  let browser: Browser;
  let inbox: WebInbox;
  let base: string;

  beforeAll(async () => {
    store = await deliveryDb(defaultProvider());
    inbox = new WebInbox();
    const conversation = createBot({ ...store.repositories, timezone: VN, now: () => new Date(), logger: silent });
    server = await startHttpServer({ port: 0, host: "127.0.0.1", routes: testWebChat(conversation, store.repositories, { inbox }).routes, logger: silent });
    base = `http://127.0.0.1:${server.port}`;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await store?.close();
  });

  it("a notification sent to the page's chat appears as a bot message, as text, once", async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(base);
    await page.getByRole("button", { name: "Bắt đầu" }).click();
    await page.locator(".msg--bot", { hasText: "Tôi là Trợ lý Thi đua Công đoàn" }).waitFor();
    // The chat id is the server's: the session its HttpOnly cookie opens.
    const [cookie] = await page.context().cookies();
    const chatId = (await store.db.prisma.webSession.findUniqueOrThrow({ where: { tokenHash: hashSessionToken(cookie!.value) } })).subject;
    const subscriber = await store.repositories.subscribers.find("web", chatId);
    expect(subscriber).not.toBeNull();

    const text = "Nhắc: hạn báo cáo sơ kết Đợt 1 là 30/6 <img src=x onerror=alert(1)>";
    await store.repositories.outbox.enqueue([notification(subscriber!, { notBefore: new Date(Date.now() - 1000), text })]);
    const worker = createOutboxWorker({
      outbox: store.repositories.outbox,
      subscribers: store.repositories.subscribers,
      channels: new Map([["web", createWebPushChannel(inbox)]]),
      limiter: createRateLimiter({ limits: {} }),
      quietHours: NO_QUIET,
      timezone: VN,
      now: () => new Date(),
      workerId: "browser-worker",
      concurrency: 1,
      batchSize: 10,
      staleAfterMs: 600_000,
      logger: silent,
    });
    expect(await worker.runOnce()).toMatchObject({ sent: 1 });

    const pushed = page.locator(".msg--bot", { hasText: "Nhắc: hạn báo cáo sơ kết Đợt 1" });
    await pushed.waitFor({ timeout: 20_000 });
    expect(await pushed.textContent()).toBe(text);
    expect(await page.locator("#log img").count()).toBe(0);

    // After a reload the page shows the log again (the push once), then asks only for what came after it.
    const seq = inbox.read(chatId, 0).at(-1)!.seq;
    await page.reload();
    await page.locator(".msg--bot", { hasText: "Nhắc: hạn báo cáo sơ kết Đợt 1" }).waitFor();
    const response = await page.waitForResponse((r) => r.url().includes(INBOX_PATH) && new URL(r.url()).searchParams.get("after") !== "0", { timeout: 20_000 });
    expect(new URL(response.url()).searchParams.get("after")).toBe(String(seq));
    expect(await response.json()).toEqual({ messages: [] });
    expect(await page.locator(".msg--bot", { hasText: "Nhắc: hạn báo cáo" }).count()).toBe(1);

    // A push that lands just before the person sends a message (its number is lower than the reply's) still shows.
    inbox.push(chatId, "Thông báo chen giữa");
    await page.getByLabel("Tin nhắn của bạn").fill("/trogiup");
    await page.getByLabel("Tin nhắn của bạn").press("Enter");
    await page.locator(".msg--bot", { hasText: "/chude" }).last().waitFor();
    await page.locator(".msg--bot", { hasText: "Thông báo chen giữa" }).waitFor({ timeout: 15_000 });
    expect(await page.locator(".msg--bot", { hasText: "Thông báo chen giữa" }).count()).toBe(1);
    expect(errors).toEqual([]);
  });
});
