// End to end: the real bot process, a real database (TEST_DATABASE: SQLite file or PostgreSQL schema), real HTTP. Dates that depend on "today" are computed
// from the same local date the bot uses, never typed in.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays, formatDateVi, localDate, yearOf } from "../../src/domain/clock.js";
import { chat, startBot, type BotProcess } from "../support/bot-process.js";
import { cookiePair, openWebChat } from "../support/web-chat-client.js";
import { hashSessionToken } from "../../src/http/sessions/token.js";
import { liveCampaignYaml } from "../support/live-campaign.js";
import { defaultTestDatabase } from "../support/test-database.js";
import { querySql, type TestDatabase } from "../db/helpers.js";

const TZ = "Asia/Ho_Chi_Minh";
const texts = (replies: { text: string }[]) => replies.map((r) => r.text).join("\n---\n");

describe("web chat with the bundled plans (both in the past): a demo copy for this year", () => {
  let bot: BotProcess;
  let dir: string;
  let database: TestDatabase;
  let year: number;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "congdoan-e2e-"));
    database = await defaultTestDatabase();
    year = yearOf(localDate(new Date(), TZ));
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

  it("on today's real date, /chude answers with a running phase of the demo plan, marked as such", async () => {
    expect(bot.output()).toMatch(/lai-chau-2025/);
    expect(bot.output()).toContain(`lai-chau-${year}-demo`);
    const replies = await chat(bot.url, "e2e-demo-0001", "/chude");
    expect(replies).toHaveLength(1);
    const text = replies[0]!.text;
    expect(text).toContain("[bản thử]");
    expect(text).toContain("Liên đoàn Lao động tỉnh Lai Châu (bản thử / demo)");
    expect(text).toMatch(/▶ Đợt \d/);
    expect(text).toContain("ngày thứ");
    expect(text).not.toContain("đã kết thúc");
    // In English too.
    await chat(bot.url, "e2e-demo-0003", "/ngonngu en");
    const english = texts(await chat(bot.url, "e2e-demo-0003", "/theme"));
    expect(english).toContain("[demo]");
    expect(english).toContain("(bản thử / demo)");
  });

  it("/dangky starts the registration with its first question", async () => {
    const replies = await chat(bot.url, "e2e-demo-0002", "/dangky");
    expect(replies[0]!.text).toContain("Đăng ký giao ước thi đua");
    // No profile name from the web chat and no unit imported: the first question is the full name.
    expect(replies.at(-1)!.text).toContain("Họ và tên");
  });

  it("answers /dot and /ngayle from the demo plan, with the ordinals of this year", async () => {
    const phases = texts(await chat(bot.url, "e2e-demo-0001", "/dot"));
    expect(phases).toMatch(new RegExp(`Đợt 1( \\(đang diễn ra\\))?: 01/01/${year} – 30/06/${year}`));
    expect(phases).toMatch(new RegExp(`Đợt 2( \\(đang diễn ra\\))?: 01/07/${year} – 31/12/${year}`));
    expect(phases).toContain("(bản thử / demo)");
    const events = texts(await chat(bot.url, "e2e-demo-0001", "/ngayle"));
    expect(events).toContain("(bản thử / demo)");
  });

  it("rejects bad requests with 4xx and answers unknown commands and free text helpfully", async () => {
    const browser = await openWebChat(bot.url);
    const bad = await fetch(`${bot.url}/api/chat`, { method: "POST", headers: { "content-type": "application/json", cookie: browser.cookie }, body: "{not json" });
    expect(bad.status).toBe(400);
    expect((await browser.post({ text: "" })).status).toBe(400);
    // The body cannot name a chat: a chatId field is refused, not used.
    expect((await browser.post({ chatId: "e2e-demo-0001", text: "/chude" })).status).toBe(400);
    // Without the session cookie: 401 with a polite sentence, whatever the body says.
    const bare = await fetch(`${bot.url}/api/chat`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ text: "/chude" }) });
    expect(bare.status).toBe(401);
    expect(((await bare.json()) as { message: string }).message).toBe("Phiên trò chuyện đã hết hạn. Vui lòng tải lại trang để bắt đầu phiên mới.");
    expect(texts(await chat(bot.url, "e2e-demo-0001", "/xyz"))).toBe("Không có lệnh /xyz. Gõ /trogiup để xem các lệnh.");
    expect(texts(await chat(bot.url, "e2e-demo-0001", "xin chào"))).toContain("/trogiup");
  });
  it("/xoadulieu on the web chat ends its browser sessions and drops its log: a reload shows no history, no row names the chat", async () => {
    const browser = await openWebChat(bot.url);
    const token = browser.cookie.slice(browser.cookie.indexOf("=") + 1);
    const [row] = await querySql<{ subject: string }>(database, `SELECT subject FROM "WebSession" WHERE "tokenHash" = '${hashSessionToken(token)}'`);
    const chatId = row!.subject;
    await browser.say("/start");
    await browser.say("/chude");
    expect((await browser.log()).length).toBeGreaterThan(3);
    expect(texts(await browser.say("/xoadulieu"))).toContain("Bạn muốn xoá dữ liệu của mình?");
    const done = await browser.post({ text: "1" });
    expect(texts(((await done.json()) as { replies: { text: string }[] }).replies)).toContain("Đã xoá dữ liệu của bạn.");
    // The old cookie opens nothing any more; the answer carried a fresh chat's cookie.
    expect((await browser.get("/api/chat/inbox?after=0")).status).toBe(401);
    expect(cookiePair(done)).not.toBe(browser.cookie);
    // A reload with the old cookie: a new, empty chat.
    const reload = await fetch(`${bot.url}/`, { headers: { cookie: browser.cookie } });
    expect(reload.status).toBe(200);
    const fresh = cookiePair(reload);
    expect(fresh).not.toBe(browser.cookie);
    const history = await fetch(`${bot.url}/api/chat/inbox?after=0`, { headers: { cookie: fresh } });
    expect(((await history.json()) as { messages: unknown[] }).messages).toEqual([]);
    // No row in the tables that held it names the chat.
    for (const table of ["WebSession", "Subscriber", "ChatSession", "Notification"]) {
      const column = table === "WebSession" ? "subject" : "chatId";
      expect(await querySql(database, `SELECT * FROM "${table}" WHERE "${column}" = '${chatId}'`), table).toEqual([]);
    }
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
