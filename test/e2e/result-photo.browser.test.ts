// A work's photo on the Bình xét (evaluation) page and the pledge page, in a real browser (Debian's Chromium via
// playwright-core) against the console's real routes and a real database: the thumbnail loads (naturalWidth > 0)
// under the console's CSP, has its alt text, is reachable by keyboard and opens the full image; the page fits a
// phone (360×740) and a desktop. Screenshots: /work/shots/console-result-photo-*.png.
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestDatabase } from "../db/helpers.js";
import { startCycleConsole, type CycleConsole } from "../support/console-cycle.js";
import { defaultTestDatabase } from "../support/test-database.js";
import { pngImage } from "../support/test-image.js";
import { browserInstalled, consoleSignIn, fitsWidth, launchBrowser, SHOTS, VIEWPORTS } from "../support/browser.js";

const haveBrowser = browserInstalled("the result photo browser test");
const WORK = "Sửa mái nhà đa năng";

describe.skipIf(!haveBrowser)("result photos in the officer console (headless Chromium)", () => {
  let database: TestDatabase;
  let app: CycleConsole;
  let browser: Browser;
  let code: string;
  let photoId: number;

  beforeAll(async () => {
    database = await defaultTestDatabase();
    app = await startCycleConsole(database.url);
    // A member of CDCS-A with a work, approved by the CD-01 officer, who reported it done with a photo.
    const { code: pledgeCode, subscriberId } = await app.member("CDCS-A", "Trần Thị Mai");
    code = pledgeCode;
    const pledge = (await app.r.pledges.findByCode(code))!;
    await app.r.pledges.update(pledge.id, { ...pledge, items: [...pledge.items, { type: "work", name: WORK }] }, subscriberId, new Date());
    await app.r.pledges.review({ id: pledge.id, decision: { kind: "approve" }, bySubscriberId: app.officerId, now: new Date(), notice: () => null });
    const staged = await app.r.pledges.stagePhoto({ pledgeId: pledge.id, item: "work:0", photo: { contentType: "image/png", bytes: pngImage(640, 480, [40, 150, 90]) }, bySubscriberId: subscriberId, now: new Date() });
    await app.r.pledges.saveResults(pledge.id, [{ item: "pledge", outcome: "achieved", note: null }, { item: "work:0", outcome: "done", note: null, photoId: staged }], subscriberId, new Date());
    photoId = staged;
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await database?.drop();
  });

  const signIn = async (viewport: { width: number; height: number }) => consoleSignIn(browser, await app.loginLink(app.officerId), { viewport, locale: "vi-VN" }, 15_000);

  const loaded = (page: Page, selector: string) => page.locator(selector).evaluate((img: HTMLImageElement) => (img.complete ? img.naturalWidth : 0));

  for (const { name, viewport } of VIEWPORTS) {
    it(`${name}: the evaluation page shows the work's photo, which opens full size`, async () => {
      const { context, page, problems } = await signIn(viewport);
      try {
        await page.goto(`${app.url}/console/evaluation?campaign=cycle-console`);
        const img = page.getByRole("img", { name: `Ảnh công trình "${WORK}" của Trần Thị Mai` });
        await img.waitFor();
        await page.waitForFunction((src) => [...document.images].some((i) => i.getAttribute("src") === src && i.complete && i.naturalWidth > 0), `/console/photos/${photoId}`);
        expect(await loaded(page, `img[src="/console/photos/${photoId}"]`)).toBe(640);
        const box = (await img.boundingBox())!;
        expect(box.width).toBeGreaterThan(0);
        expect(box.width).toBeLessThanOrEqual(160);
        expect(await fitsWidth(page)).toBe(true);
        await page.screenshot({ path: join(SHOTS, `console-result-photo-${name}.png`), fullPage: true });

        // Keyboard: Tab reaches the photo's link; Enter opens the image itself.
        const link = page.getByRole("link", { name: `Mở ảnh công trình "${WORK}" cỡ đầy đủ` });
        let reached = false;
        for (let i = 0; i < 80 && !reached; i++) {
          await page.keyboard.press("Tab");
          reached = await link.evaluate((a) => a === document.activeElement);
        }
        expect(reached).toBe(true);
        expect(problems).toEqual([]);
        const [response] = await Promise.all([page.waitForResponse((r) => r.url().endsWith(`/console/photos/${photoId}`) && r.request().resourceType() === "document"), page.keyboard.press("Enter")]);
        expect(response.status()).toBe(200);
        expect(response.headers()["content-type"]).toBe("image/png");
        expect(response.headers()["x-content-type-options"]).toBe("nosniff");
        await page.waitForURL(`**/console/photos/${photoId}`);
        await page.waitForLoadState("load");
        expect(await page.evaluate(() => (document.images[0]?.naturalWidth ?? 0))).toBe(640);
        // Chromium's own viewer for an image opened alone styles itself inline (refused by the console's strict CSP, as
        // it should be): its messages are not the console's. It also asks for /favicon.ico, which is "no icon", not a
        // 404 (that one could be reported late, after this).
        expect((await page.request.get(`${app.url}/favicon.ico`)).status()).toBe(204);
        problems.length = 0;

        // The pledge's own page shows it too.
        await page.goto(`${app.url}/console/pledges/${code}`);
        await page.waitForFunction((src) => [...document.images].some((i) => i.getAttribute("src") === src && i.complete && i.naturalWidth > 0), `/console/photos/${photoId}`);
        expect(problems).toEqual([]);
      } finally {
        await context.close();
      }
    });
  }
});
