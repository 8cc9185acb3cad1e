// End to end: the real bot process, a real database (TEST_DATABASE: SQLite file or PostgreSQL schema), real HTTP. Dates that depend on "today" are computed
// from the same local date the bot uses, never typed in.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays, formatDateVi, localDate, yearOf } from "../../src/domain/clock.js";
import { chat, startBot, type BotProcess } from "../support/bot-process.js";
import { openWebChat } from "../support/web-chat-client.js";
import { liveCampaignYaml } from "../support/live-campaign.js";
import { defaultTestDatabase } from "../support/test-database.js";
import type { TestDatabase } from "../db/helpers.js";

const TZ = "Asia/Ho_Chi_Minh";
const texts = (replies: { text: string }[]) => replies.map((r) => r.text).join("\n---\n");

describe("web chat with the bundled plans (both in the past)", () => {
  let bot: BotProcess;
  let dir: string;
  let database: TestDatabase;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "congdoan-e2e-"));
    database = await defaultTestDatabase();
    bot = await startBot({ DATABASE_URL: database.url });
  });
  afterAll(async () => {
    await bot?.stop();
    await database?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("serves the chat page and /healthz", async () => {
    const page = await fetch(`${bot.url}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Trợ lý Thi đua Công đoàn");
    const health = await fetch(`${bot.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: "ok", database: "reachable" });
  });

  it("loads the bundled campaigns on first start and says plainly that the latest one has ended", async () => {
    expect(bot.output()).toMatch(/lai-chau-2025/);
    const replies = await chat(bot.url, "e2e-past-0001", "/chude");
    expect(replies).toHaveLength(1);
    const text = replies[0]!.text;
    expect(text).toContain("Liên đoàn Lao động tỉnh Lai Châu");
    expect(text).toContain("Kế hoạch thi đua năm 2025 đã kết thúc ngày 31/12/2025");
  });

  it("answers /dot and /ngayle from the plan", async () => {
    const phases = texts(await chat(bot.url, "e2e-past-0001", "/dot"));
    expect(phases).toContain("Đợt 1: 01/01/2025 – 30/06/2025");
    expect(phases).toContain("“Mừng Đảng quang vinh - Mừng Sinh nhật Bác”");
    expect(phases).toContain("Đợt 2: 01/07/2025 – 31/12/2025");
    const events = texts(await chat(bot.url, "e2e-past-0001", "/ngayle"));
    expect(events).toContain("Kỷ niệm 95 năm Ngày thành lập Đảng Cộng sản Việt Nam (03/02/1930 – 03/02/2025)");
    expect(events).toContain("Kỷ niệm 135 năm Ngày sinh Chủ tịch Hồ Chí Minh (19/05/1890 – 19/05/2025)");
  });

  it("rejects bad requests with 4xx and answers unknown commands and free text helpfully", async () => {
    const browser = await openWebChat(bot.url);
    const bad = await fetch(`${bot.url}/api/chat`, { method: "POST", headers: { "content-type": "application/json", cookie: browser.cookie }, body: "{not json" });
    expect(bad.status).toBe(400);
    expect((await browser.post({ text: "" })).status).toBe(400);
    // The body cannot name a chat: a chatId field is refused, not used.
    expect((await browser.post({ chatId: "e2e-past-0001", text: "/chude" })).status).toBe(400);
    // Without the session cookie: 401 with a polite sentence, whatever the body says.
    const bare = await fetch(`${bot.url}/api/chat`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ text: "/chude" }) });
    expect(bare.status).toBe(401);
    expect(((await bare.json()) as { message: string }).message).toBe("Phiên trò chuyện đã hết hạn. Vui lòng tải lại trang để bắt đầu phiên mới.");
    expect(texts(await chat(bot.url, "e2e-past-0001", "/xyz"))).toBe("Không có lệnh /xyz. Gõ /trogiup để xem các lệnh.");
    expect(texts(await chat(bot.url, "e2e-past-0001", "xin chào"))).toContain("/trogiup");
  });
});

describe("web chat with a campaign that is running today", () => {
  let bot: BotProcess;
  let dir: string;
  let database: TestDatabase;
  let today: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "congdoan-e2e-"));
    const campaigns = join(dir, "campaigns");
    mkdirSync(campaigns);
    today = localDate(new Date(), TZ);
    writeFileSync(join(campaigns, "live.yaml"), liveCampaignYaml(today));
    database = await defaultTestDatabase();
    bot = await startBot({ DATABASE_URL: database.url, CAMPAIGNS_DIR: campaigns });
  });
  afterAll(async () => {
    await bot?.stop();
    await database?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("answers /chude with the current phase, its dates, theme and days left", async () => {
    const text = texts(await chat(bot.url, "e2e-live-0001", "/chude"));
    // The phase was built around the date the bot sees; a run across local midnight is the one way this moves.
    if (localDate(new Date(), TZ) !== today) return;
    expect(text).toContain(`▶ Đợt 1 (${formatDateVi(addDays(today, -10))} – ${formatDateVi(addDays(today, 20))}), ngày thứ 11 của đợt`);
    expect(text).toContain("Chủ đề: “Mừng Đảng quang vinh”");
    expect(text).toContain(`Còn 20 ngày nữa là hết đợt (đến hết ngày ${formatDateVi(addDays(today, 20))}).`);
    expect(text).toContain(`Tiếp theo: Đợt 2 bắt đầu ngày ${formatDateVi(addDays(today, 21))}.`);
  });

  it("registers with /start, switches to English with /ngonngu, and keeps the choice", async () => {
    const start = await chat(bot.url, "e2e-live-0002", "/start");
    expect(start[0]!.text).toMatch(/^Xin chào bạn!/);
    const ask = await chat(bot.url, "e2e-live-0002", "/ngonngu");
    expect(ask[0]!.choices?.map((c) => c.value)).toEqual(["/lang vi", "/lang en"]);
    expect(texts(await chat(bot.url, "e2e-live-0002", "/lang en"))).toBe("Language set to English.");
    const theme = texts(await chat(bot.url, "e2e-live-0002", "/theme"));
    if (localDate(new Date(), TZ) !== today) return;
    expect(theme).toContain("Theme: “Hail the Party”");
    expect(theme).toContain("20 days left in this phase");
    const events = texts(await chat(bot.url, "e2e-live-0002", "/events"));
    const ordinal = yearOf(addDays(today, 5)) - 1929;
    expect(events).toContain(`${ordinal} years since Founding of the Vietnam Trade Union`);
    expect(events).toContain("in 5 days");
    expect(texts(await chat(bot.url, "e2e-live-0002", "/lang fr"))).toBe("There is no language “fr”. Choose vi (Tiếng Việt) or en (English).");
  });

  it("stops and resumes notifications with /ngung and /start", async () => {
    await chat(bot.url, "e2e-live-0003", "/start");
    expect(texts(await chat(bot.url, "e2e-live-0003", "/ngung"))).toContain("Bạn đã ngừng nhận thông báo");
    expect(texts(await chat(bot.url, "e2e-live-0003", "/ngung"))).toContain("Bạn chưa đăng ký nhận thông báo");
    expect((await chat(bot.url, "e2e-live-0003", "/start"))[0]!.text).toMatch(/^Chào mừng bạn quay lại!/);
  });
});
