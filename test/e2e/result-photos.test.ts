// Photos of works and initiatives with their results, end to end on both providers: a member on Telegram (real
// telegraf, polling a fake Bot API on 127.0.0.1 that serves getFile and the file download over HTTP) reports a work
// as done and sends a photo — the size within 1280 px is fetched, stored with the results and served by the officer
// console to an officer of the unit's scope only; text instead of a photo, a failed download and a photo where none
// is asked are answered politely and change nothing; Bỏ qua skips; the web chat is never asked; the bot token
// reaches neither the logs nor the database; erasure deletes the photos. Fixture: test/admin/pledge-fixtures.ts
// (t1p1: Lao động tiên tiến, one work "Chỉnh trang thư viện trường", one initiative "Số hoá sổ điểm", approved).
import pino from "pino";
import { Writable } from "node:stream";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Update } from "telegraf/types";
import { createTelegramChannel } from "../../src/channels/telegram/index.js";
import type { Channel } from "../../src/channels/channel.js";
import { createZaloChannel } from "../../src/channels/zalo/index.js";
import { translator } from "../../src/app/i18n.js";
import { PHOTO_MAX_BYTES } from "../../src/channels/photo-download.js";
import { photoResponse } from "../../src/console/photos.js";
import { PROVIDERS } from "../db/helpers.js";
import { MAY_19_2025, seedPledges, type Seeded } from "../admin/pledge-fixtures.js";
import { startCycleConsole, type CycleConsole } from "../support/console-cycle.js";
import { startCore, type CoreHarness } from "../support/core-harness.js";
import { buttonPress, privateDocument, privatePhoto, privateText, startFakeTelegram, type FakeTelegram } from "../support/fake-telegram.js";
import { imageUpdate, startFakeZalo, textUpdate, type FakeZalo } from "../support/fake-zalo.js";
import { pngImage } from "../support/test-image.js";

const CHAT = 424242;
const ASK_WORK_PHOTO = 'Gửi ảnh công trình "Chỉnh trang thư viện trường" (không bắt buộc): bấm nút gửi ảnh và chọn một ảnh, hoặc chọn Bỏ qua.';
const ASK_INITIATIVE = 'Sáng kiến "Số hoá sổ điểm":';
const ASK_INITIATIVE_PHOTO = 'Gửi ảnh sáng kiến "Số hoá sổ điểm" (không bắt buộc): bấm nút gửi ảnh và chọn một ảnh, hoặc chọn Bỏ qua.';
const NOT_A_PHOTO = "Ở bước này tôi chờ một ảnh. Hãy gửi ảnh (không gửi dạng tệp), hoặc chọn Bỏ qua (gõ 1) nếu không có ảnh. Chưa có gì thay đổi.";
const NOT_ASKED = "Cảm ơn bạn, nhưng lúc này tôi không cần ảnh nên không lưu ảnh vừa gửi. Ảnh công trình, sáng kiến được gửi khi báo kết quả bằng /ketqua.";
const NOT_THIS_STEP = "Bước này chưa cần ảnh; tôi sẽ hỏi ảnh ngay sau khi bạn trả lời câu hỏi trên.";
const UNREACHABLE = "Xin lỗi, tôi chưa tải được ảnh vừa gửi. Bạn hãy gửi lại ảnh sau ít phút, hoặc chọn Bỏ qua. Chưa có gì thay đổi.";

/** Login the way a browser does (the one-time link's form), for plain HTTP requests to the console. */
async function consoleCookie(app: CycleConsole, subscriberId: number): Promise<string> {
  const link = await app.loginLink(subscriberId);
  const token = link.split("/").at(-1)!;
  const res = await fetch(`${app.url}/console/login`, { method: "POST", redirect: "manual", headers: { origin: app.url, "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ token }) });
  expect(res.status).toBe(303);
  return res.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
}

for (const { provider, label, skip } of PROVIDERS) describe.skipIf(skip)(`result photos (${label})`, () => {
  let core: CoreHarness;
  let seeded: Seeded;
  let tg: FakeTelegram;
  let channel: Channel;
  let logs: string[];

  beforeEach(async () => {
    core = await startCore({ now: new Date(MAY_19_2025.getTime() + 8 * 3_600_000), provider });
    seeded = await seedPledges(core);
    // member-t1 (CDCS-THPT-TP, pledge t1p1 with a work and an initiative) talks to the bot on Telegram.
    await core.db.prisma.subscriber.update({ where: { id: seeded.pledges.t1p1!.subscriberId }, data: { channel: "telegram", chatId: String(CHAT) } });
    tg = await startFakeTelegram();
    logs = [];
    const logger = pino({ level: "debug" }, new Writable({ write: (chunk, _enc, done) => void (logs.push(String(chunk)), done()) }));
    channel = createTelegramChannel({ token: tg.token, apiRoot: tg.apiRoot, mode: "polling", inbound: core.inbound, logger });
    await channel.start();
  });
  afterEach(async () => {
    await channel.stop();
    await tg.close();
    await core.close();
  });

  /** One update; the `n` messages the bot answered with (plain text, buttons). */
  async function send(update: Update, n: number) {
    const before = tg.sent.length;
    tg.pushUpdate(update);
    const sent = await tg.waitForSent(before + n, 10_000);
    // Nothing more than expected arrives.
    await new Promise((r) => setTimeout(r, 150));
    expect(tg.sent.slice(before).map((m) => m.plainText)).toHaveLength(n);
    return sent.slice(before).map((m) => ({ text: m.plainText!, buttons: (m.inlineKeyboard ?? []).flat().map((b) => b.text) }));
  }
  const say = async (text: string, n = 1) => (await send(privateText(text, { chatId: CHAT }), n)).map((m) => m.text);
  const photos = () => core.db.prisma.resultPhoto.findMany({ orderBy: { id: "asc" } });

  it("stores the photo of a work with the results; text instead refused, a failed download retried, Bỏ qua skips", async () => {
    const t1p1 = seeded.pledges.t1p1!;
    await say("/ketqua");
    await say("Đạt");
    expect(await say("Không ghi chú")).toEqual(['Công trình, sản phẩm "Chỉnh trang thư viện trường":']);
    const [ask] = await send(privateText("Hoàn thành", { chatId: CHAT }), 1);
    expect(ask).toEqual({ text: ASK_WORK_PHOTO, buttons: ["1. Bỏ qua"] });

    // Text where a photo is asked: a specific message, the question again, nothing stored.
    expect(await say("ảnh đây nhé", 2)).toEqual([NOT_A_PHOTO, ASK_WORK_PHOTO]);
    // Three sizes as Telegram sends them: the largest within 1280 px is fetched.
    const small = tg.addFile(pngImage(90, 68), { contentType: "image/png", width: 90, height: 68 });
    const medium = pngImage(320, 240, [200, 80, 40]);
    const fits = tg.addFile(medium, { contentType: "image/png", width: 1280, height: 960 });
    const huge = tg.addFile(pngImage(40, 30), { contentType: "image/png", width: 2560, height: 1920 });
    const photoUpdate = () => privatePhoto([small, fits, huge], { chatId: CHAT });
    // The file server fails: a polite "try again", the question again, nothing stored.
    tg.failNextDownload(502);
    expect((await send(photoUpdate(), 2)).map((m) => m.text)).toEqual([UNREACHABLE, ASK_WORK_PHOTO]);
    expect(await photos()).toEqual([]);

    expect((await send(photoUpdate(), 1)).map((m) => m.text)).toEqual([ASK_INITIATIVE]);
    expect(tg.callsTo("getFile").map((c) => c.body.file_id)).toEqual([fits.file_id, fits.file_id]);
    expect(tg.fileDownloads).toEqual(["photos/file_2.png", "photos/file_2.png"]);
    // Kept aside until the results are saved: nothing shows yet.
    expect((await photos()).map((p) => p.savedAt)).toEqual([null]);
    expect(await core.repositories.pledges.results([t1p1.id])).toEqual([]);

    expect(await say("Đang làm")).toEqual([ASK_INITIATIVE_PHOTO]);
    // Bỏ qua by its button.
    const [saved] = await send(buttonPress("#skip", { chatId: CHAT }), 1);
    expect(saved!.text).toBe([`✅ Đã ghi kết quả của đăng ký ${t1p1.code}:`, "• Lao động tiên tiến: Đạt", "• Chỉnh trang thư viện trường: Hoàn thành (có ảnh)", "• Số hoá sổ điểm: Đang làm"].join("\n"));

    const results = await core.repositories.pledges.results([t1p1.id]);
    expect(results.map((r) => [r.item, r.outcome, r.photoId !== null])).toEqual([
      ["pledge", "achieved", false],
      ["work:0", "done", true],
      ["initiative:0", "in-progress", false],
    ]);
    const stored = (await core.repositories.pledges.photo(results[1]!.photoId!))!;
    expect(stored).toMatchObject({ pledgeId: t1p1.id, item: "work:0", contentType: "image/png", size: medium.length });
    expect(Buffer.from(await photoResponse(core.repositories.pledges, stored).arrayBuffer()).equals(medium)).toBe(true);
    const row = (await photos())[0]!;
    expect(row.subscriberId).toBe(t1p1.subscriberId);
    expect(row.savedAt).not.toBeNull();

    // Reported again with a new photo: it replaces the old one; "1" picks Bỏ qua for the initiative.
    await say("/ketqua");
    await say("Đạt");
    await say("Không ghi chú");
    await say("Hoàn thành");
    const again = tg.addFile(pngImage(64, 48), { contentType: "image/png", width: 64, height: 48 });
    await send(privatePhoto([again], { chatId: CHAT, caption: "Thư viện sau khi chỉnh trang" }), 1);
    await say("Hoàn thành");
    await say("1");
    expect((await photos()).map((p) => [p.item, p.size])).toEqual([["work:0", pngImage(64, 48).length]]);

    // The token went nowhere: not in a log line, not in a stored row.
    expect(logs.join("")).not.toContain(tg.token);
    expect(JSON.stringify(await core.db.prisma.pledgeEvent.findMany())).not.toContain(tg.token);
    expect(JSON.stringify(await core.db.prisma.chatSession.findMany())).not.toContain(tg.token);
  });

  it("takes an image sent as a file, checked like a photo; any other file where a photo is asked gets 'send a photo'", async () => {
    const t1p1 = seeded.pledges.t1p1!;
    const vi = translator("vi");
    for (const text of ["/ketqua", "Đạt", "Không ghi chú"]) await say(text);
    expect(await say("Hoàn thành")).toEqual([ASK_WORK_PHOTO]);
    // A PDF: "send a photo", the question again; it is not even fetched.
    const pdf = tg.addFile(Buffer.from("%PDF-1.4\n%…"), { contentType: "application/pdf" });
    expect((await send(privateDocument(pdf, "application/pdf", { chatId: CHAT, fileName: "bao-cao.pdf" }), 2)).map((m) => m.text)).toEqual([NOT_A_PHOTO, ASK_WORK_PHOTO]);
    // A camera original sent as a file, over the size kept: too large (Telegram's getFile says so; not downloaded).
    const original = tg.addFile(Buffer.alloc(PHOTO_MAX_BYTES + 1, 0xff), { contentType: "image/jpeg" });
    expect((await send(privateDocument(original, "image/jpeg", { chatId: CHAT, fileName: "IMG_0001.JPG" }), 2)).map((m) => m.text)).toEqual([vi("photo.problem.too-large"), ASK_WORK_PHOTO]);
    // Declared an image, but its bytes are not one: refused by what the bytes are.
    const fake = tg.addFile(Buffer.from("<html><script>alert(1)</script></html>"), { contentType: "image/jpeg" });
    expect((await send(privateDocument(fake, "image/jpeg", { chatId: CHAT }), 2)).map((m) => m.text)).toEqual([vi("photo.problem.not-an-image"), ASK_WORK_PHOTO]);
    expect(tg.fileDownloads).toHaveLength(1);
    expect(await photos()).toEqual([]);
    // A real image sent as a file: taken as the photo.
    const image = pngImage(200, 150, [10, 120, 200]);
    const asFile = tg.addFile(image, { contentType: "image/png" });
    expect((await send(privateDocument(asFile, "image/png", { chatId: CHAT, fileName: "thu-vien.png" }), 1)).map((m) => m.text)).toEqual([ASK_INITIATIVE]);
    await say("Đang làm");
    await say("Bỏ qua");
    const work = (await core.repositories.pledges.results([t1p1.id])).find((r) => r.item === "work:0")!;
    const stored = (await core.repositories.pledges.photo(work.photoId!))!;
    expect(stored).toMatchObject({ contentType: "image/png", size: image.length });
    expect(Buffer.from(await photoResponse(core.repositories.pledges, stored).arrayBuffer()).equals(image)).toBe(true);
  });

  it("an album (several photos in one getUpdates batch) is taken one photo at a time: one photo kept per step, results saved once", async () => {
    const t1p1 = seeded.pledges.t1p1!;
    /** Three photos pushed at once reach the bot in one getUpdates batch, which telegraf handles concurrently. */
    const sendAlbum = async (n: number) => {
      const album = [1, 2, 3].map((k) => tg.addFile(pngImage(40 + n + k, 30), { contentType: "image/png", width: 40 + n + k, height: 30 }));
      const before = tg.sent.length;
      for (const file of album) tg.pushUpdate(privatePhoto([file], { chatId: CHAT }));
      const answers = (await tg.waitForSent(before + n, 10_000)).slice(before).map((m) => m.plainText);
      await new Promise((r) => setTimeout(r, 300));
      expect(tg.sent).toHaveLength(before + n);
      return { album, answers };
    };
    for (const text of ["/ketqua", "Đạt", "Không ghi chú"]) await say(text);
    expect(await say("Hoàn thành")).toEqual([ASK_WORK_PHOTO]);
    // At the work's photo: the first photo is taken and the next question asked; the other two come too early for
    // the initiative's photo: each explained, and that question again — in this order, never interleaved.
    const first = await sendAlbum(5);
    expect(first.answers).toEqual([ASK_INITIATIVE, NOT_THIS_STEP, ASK_INITIATIVE, NOT_THIS_STEP, ASK_INITIATIVE]);
    expect((await photos()).map((p) => [p.item, p.size])).toEqual([["work:0", pngImage(46, 30).length]]);
    expect(await say("Đang làm")).toEqual([ASK_INITIATIVE_PHOTO]);
    // At the last photo: the first photo ends the report (its summary once); the next two find no report going on.
    const { album, answers } = await sendAlbum(3);
    expect(answers).toEqual([[`✅ Đã ghi kết quả của đăng ký ${t1p1.code}:`, "• Lao động tiên tiến: Đạt", "• Chỉnh trang thư viện trường: Hoàn thành (có ảnh)", "• Số hoá sổ điểm: Đang làm (có ảnh)"].join("\n"), NOT_ASKED, NOT_ASKED]);
    expect(tg.callsTo("getFile").map((c) => c.body.file_id)).toEqual([first.album[0]!.file_id, album[0]!.file_id]);
    expect((await photos()).map((p) => [p.item, p.size, p.savedAt !== null])).toEqual([
      ["work:0", pngImage(46, 30).length, true],
      ["initiative:0", pngImage(44, 30).length, true],
    ]);
    expect(await core.db.prisma.pledgeEvent.count({ where: { pledgeId: t1p1.id, action: "result" } })).toBe(1);
  });

  it("explains a photo where none is asked, and changes nothing", async () => {
    const file = tg.addFile(pngImage(32, 32), { contentType: "image/png", width: 32, height: 32 });
    expect((await send(privatePhoto([file], { chatId: CHAT }), 1)).map((m) => m.text)).toEqual([NOT_ASKED]);
    // Mid-flow, at a question that is not about a photo: explained (the photo comes later), and the question again.
    const [question] = await say("/ketqua");
    expect((await send(privatePhoto([file], { chatId: CHAT }), 2)).map((m) => m.text)).toEqual([NOT_THIS_STEP, question]);
    expect(tg.callsTo("getFile")).toEqual([]);
    expect(await photos()).toEqual([]);
  });

  it("says (có ảnh) only for a photo the results actually kept: one removed before the end is not claimed", async () => {
    const t1p1 = seeded.pledges.t1p1!;
    for (const text of ["/ketqua", "Đạt", "Không ghi chú", "Hoàn thành"]) await say(text);
    await send(privatePhoto([tg.addFile(pngImage(48, 36), { contentType: "image/png", width: 48, height: 36 })], { chatId: CHAT }), 1);
    // The staged photo goes (the retention clean-up, say) while the member is still answering.
    expect(await core.repositories.retention.deleteUnsavedPhotos(new Date(Date.now() + 86_400_000))).toBe(1);
    await say("Hoàn thành");
    const [saved] = await say("Bỏ qua");
    expect(saved).toBe([`✅ Đã ghi kết quả của đăng ký ${t1p1.code}:`, "• Lao động tiên tiến: Đạt", "• Chỉnh trang thư viện trường: Hoàn thành", "• Số hoá sổ điểm: Hoàn thành"].join("\n"));
    expect((await core.repositories.pledges.results([t1p1.id])).map((r) => r.photoId)).toEqual([null, null, null]);
    const [event] = await core.db.prisma.pledgeEvent.findMany({ where: { pledgeId: t1p1.id, action: "result" } });
    expect(JSON.parse(event!.detail)).toMatchObject({ photos: [] });
  });

  it("a /ketqua left after the photo saves nothing; the retention clean-up removes the photo kept aside", async () => {
    await say("/ketqua");
    await say("Đạt");
    await say("Không ghi chú");
    await say("Hoàn thành");
    await send(privatePhoto([tg.addFile(pngImage(48, 36), { contentType: "image/png", width: 48, height: 36 })], { chatId: CHAT }), 1);
    expect((await say("/huy"))[0]).toBeTruthy();
    expect(await core.repositories.pledges.results([seeded.pledges.t1p1!.id])).toEqual([]);
    const [staged] = await photos();
    expect(staged!.savedAt).toBeNull();
    expect(await core.repositories.pledges.photo(staged!.id)).toBeNull();
    expect(await core.repositories.retention.deleteUnsavedPhotos(staged!.at)).toBe(0);
    expect(await core.repositories.retention.deleteUnsavedPhotos(new Date(staged!.at.getTime() + 1))).toBe(1);
    expect(await photos()).toEqual([]);
  });

  it("never asks the web chat for a photo", async () => {
    const web = "member-web";
    const s = await core.repositories.subscribers.register({ channel: "web", chatId: web, displayName: web, locale: "vi" });
    await core.db.prisma.pledge.update({ where: { id: seeded.pledges.t1p1!.id }, data: { subscriberId: s.id } });
    await core.say(web, "/ketqua");
    await core.say(web, "Đạt");
    await core.say(web, "Không ghi chú");
    expect((await core.say(web, "Hoàn thành")).map((m) => m.text)).toEqual([ASK_INITIATIVE]);
    expect((await core.say(web, "Đang làm")).map((m) => m.text)[0]).toMatch(/^✅ Đã ghi kết quả/);
  });

  it("serves the photo in the console to the unit's scope only; erasure deletes it", async () => {
    const t1p1 = seeded.pledges.t1p1!;
    const image = pngImage(120, 90);
    await say("/ketqua");
    await say("Đạt");
    await say("Không ghi chú");
    await say("Hoàn thành");
    const file = tg.addFile(image, { contentType: "image/png", width: 120, height: 90 });
    await send(privatePhoto([file], { chatId: CHAT }), 1);
    await say("Hoàn thành");
    await say("Bỏ qua");
    const photoId = (await core.repositories.pledges.results([t1p1.id])).find((r) => r.item === "work:0")!.photoId!;

    const app = await startCycleConsole(core.databaseUrl);
    try {
      const inside = await app.unitOfficer("CDCS-THPT-TP", "Cán bộ Trường THPT");
      const outside = await app.unitOfficer("CDCS-DIENLUC", "Cán bộ Điện lực");
      const insideCookie = await consoleCookie(app, inside);
      const res = await fetch(`${app.url}/console/photos/${photoId}`, { headers: { cookie: insideCookie } });
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("image/png");
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      expect(res.headers.get("content-security-policy")).toContain("img-src 'self'");
      // Shared office PCs: the browser keeps no copy.
      expect(res.headers.get("cache-control")).toBe("no-store");
      expect(res.headers.get("content-length")).toBe(String(image.length));
      expect(Buffer.from(await res.arrayBuffer()).equals(image)).toBe(true);
      // The evaluation page and the pledge page show the thumbnail, linked to the full image.
      for (const path of [`/console/evaluation?campaign=lai-chau-2025`, `/console/pledges/${t1p1.code}`]) {
        const page = await (await fetch(`${app.url}${path}`, { headers: { cookie: insideCookie } })).text();
        expect(page).toContain(`<a class="photo" href="/console/photos/${photoId}"`);
        expect(page).toContain(`<img src="/console/photos/${photoId}" alt="Ảnh công trình &quot;Chỉnh trang thư viện trường&quot;`);
      }

      // Another unit's officer, a made-up id, no session: nothing.
      const outsideCookie = await consoleCookie(app, outside);
      for (const [id, cookie] of [[photoId, outsideCookie], [photoId + 1000, insideCookie], ["abc", insideCookie]] as const) {
        const refused = await fetch(`${app.url}/console/photos/${id}`, { headers: { cookie } });
        expect(refused.status).toBe(404);
        expect(refused.headers.get("content-type")).toMatch(/^text\/html/);
      }
      const anonymous = await fetch(`${app.url}/console/photos/${photoId}`, { redirect: "manual" });
      expect(anonymous.headers.get("content-type") ?? "").not.toMatch(/^image\//);
      expect((await fetch(`${app.url}/console/evaluation?campaign=lai-chau-2025`, { headers: { cookie: outsideCookie } })).ok).toBe(true);
      expect(await (await fetch(`${app.url}/console/evaluation?campaign=lai-chau-2025`, { headers: { cookie: outsideCookie } })).text()).not.toContain("/console/photos/");

      // Erasure (/xoadulieu's repository): the member's photos go with their data.
      await core.repositories.erasure.eraseChat("telegram", String(CHAT));
      expect(await photos()).toEqual([]);
      expect((await fetch(`${app.url}/console/photos/${photoId}`, { headers: { cookie: insideCookie } })).status).toBe(404);
    } finally {
      await app.close();
    }
  });
});

describe("result photos on Zalo", () => {
  let core: CoreHarness;
  let zalo: FakeZalo;
  let channel: Channel;
  afterEach(async () => {
    await channel?.stop();
    await zalo?.close();
    await core?.close();
  });

  it("fetches the image of a message.image.received from its photo_url", async () => {
    core = await startCore({ now: new Date(MAY_19_2025.getTime() + 8 * 3_600_000) });
    const seeded = await seedPledges(core);
    zalo = await startFakeZalo();
    await core.db.prisma.subscriber.update({ where: { id: seeded.pledges.t1p1!.subscriberId }, data: { channel: "zalo", chatId: "zalo-t1" } });
    channel = createZaloChannel({ token: zalo.token, apiRoot: zalo.apiRoot, mode: "polling", inbound: core.inbound, logger: pino({ level: "silent" }), pollTimeoutSeconds: 1 });
    await channel.start();
    const image = pngImage(100, 75);
    const url = zalo.addImage(image, "image/png");
    const turn = async (update: unknown, n = 1) => {
      const before = zalo.sent.length;
      zalo.pushUpdate(update);
      return (await zalo.waitForSent(before + n, 10_000)).slice(before).map((m) => m.text);
    };
    const say = (text: string, n = 1) => turn(textUpdate({ chatId: "zalo-t1", text }), n);
    for (const text of ["/ketqua", "Đạt", "Không ghi chú"]) await say(text);
    // Zalo has no buttons: the choice is a numbered line.
    expect((await say("Hoàn thành"))[0]).toContain(ASK_WORK_PHOTO);
    expect((await say("ảnh đây", 2))[0]).toBe(NOT_A_PHOTO);
    expect((await turn(imageUpdate({ chatId: "zalo-t1", photoUrl: url })))[0]).toContain(ASK_INITIATIVE);
    expect(zalo.imageDownloads).toHaveLength(1);
    // A link elsewhere over plain http is not fetched: "try again", nothing stored.
    await say("Hoàn thành");
    expect((await turn(imageUpdate({ chatId: "zalo-t1", photoUrl: "http://169.254.169.254/latest/meta-data" }), 2))[0]).toBe(UNREACHABLE);
    // Nor one on any https host but Zalo's image servers (ZALO_PHOTO_HOSTS).
    expect((await turn(imageUpdate({ chatId: "zalo-t1", photoUrl: "https://example.com/a.jpg" }), 2))[0]).toBe(UNREACHABLE);
    // A redirect is not followed, even from an allowed server to an image on 127.0.0.1.
    const inside = zalo.addImage(pngImage(30, 20), "image/png");
    expect((await turn(imageUpdate({ chatId: "zalo-t1", photoUrl: zalo.addRedirect(inside) }), 2))[0]).toBe(UNREACHABLE);
    expect(zalo.imageDownloads).toHaveLength(1);
    await say("1");
    const work = (await core.repositories.pledges.results([seeded.pledges.t1p1!.id])).find((r) => r.item === "work:0")!;
    expect(work.photoId).not.toBeNull();
    const stored = (await core.repositories.pledges.photo(work.photoId!))!;
    expect(Buffer.from(await photoResponse(core.repositories.pledges, stored).arrayBuffer()).equals(image)).toBe(true);
  });
});
