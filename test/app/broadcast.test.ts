// Officers' announcements (/thongbao, /broadcast) through the real core and a real database: compose with every
// validation path, the three audiences and their counts (the root's no-unit subscribers, stopped subscribers never),
// the scope of the unit search, preview = what recipients read, confirm exactly once (a second press, another officer,
// a cancelled or replaced draft), the outbox rows in each recipient's language, resume after a crash mid-enqueue,
// progress with /thongbao trangthai, and the one delivery report to the sender.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { BROADCAST_MAX_TEXT, enqueueBroadcast, reportFinishedBroadcasts, resumeBroadcasts, type BroadcastDispatchDeps } from "../../src/app/broadcast-dispatch.js";
import { generateInviteCode, hashInviteCode } from "../../src/app/invite-codes.js";
import type { OutboxRepository, OutgoingMessage } from "../../src/app/ports.js";
import { PROVIDERS } from "../db/helpers.js";
import { joined, silentLogger, startCore, type CoreHarness } from "../support/core-harness.js";

const MAY_19_2025 = new Date("2025-05-19T01:00:00Z"); // 08:00 in Hà Nội
const last = (replies: OutgoingMessage[]) => replies.at(-1)!;
const DAY = 86_400_000;

const HEADER_GD_VI = "📢 Thông báo từ Công đoàn Giáo dục tỉnh:";
const HEADER_GD_EN = "📢 Announcement from Công đoàn Giáo dục tỉnh:";
const HEADER_ROOT_VI = "📢 Thông báo từ Liên đoàn Lao động tỉnh Lai Châu:";
const HEADER_ROOT_EN = "📢 Announcement from Liên đoàn Lao động tỉnh Lai Châu:";
// Line breaks are promised where the channel can carry them (the web chat here), as a hint after the question.
const ASK_TEXT = "Hãy gõ nội dung thông báo (tối đa 1800 ký tự). (Có thể xuống dòng.)";
const ASK_AUDIENCE = "Gửi thông báo tới ai?";
const GD_SCOPE = "Công đoàn Giáo dục tỉnh (CDGD) và 1 đơn vị trực thuộc";
const ROOT_SCOPE = "Liên đoàn Lao động tỉnh Lai Châu (LDLD-LC) và 4 đơn vị trực thuộc";

for (const { provider, label, skip } of PROVIDERS) describe.skipIf(skip)(`officer broadcasts (${label})`, () => {
  let core: CoreHarness;
  const ids: Record<string, number> = {};

  const unitId = async (code: string) => (await core.repositories.units.findByCode(code))!.id;
  const subscriberId = async (chatId: string) => (await core.repositories.subscribers.find("web", chatId))!.id;

  /** An officer of `unitCode` through a one-time invitation, as in production. */
  async function officer(chatId: string, unitCode: string, locale: "vi" | "en" = "vi") {
    const code = generateInviteCode();
    await core.repositories.invites.create({ codeHash: hashInviteCode(code), role: "officer", unitId: await unitId(unitCode), expiresAt: new Date(MAY_19_2025.getTime() + DAY) });
    await core.say(chatId, "/start");
    await core.say(chatId, "/huy");
    if (locale === "en") await core.say(chatId, "/lang en");
    await core.say(chatId, `/canbo ${code}`);
    ids[chatId] = await subscriberId(chatId);
  }

  /** A member who chose `unitCode` by searching its code (or skipped the unit question). */
  async function member(chatId: string, unitCode: string | null, locale: "vi" | "en" = "vi") {
    await core.say(chatId, "/start");
    if (unitCode) {
      await core.say(chatId, unitCode);
      await core.say(chatId, "1");
    } else await core.say(chatId, "bỏ qua");
    if (locale === "en") await core.say(chatId, "/lang en");
    ids[chatId] = await subscriberId(chatId);
  }

  beforeEach(async () => {
    core = await startCore({ now: MAY_19_2025, provider });
    // LDLD-LC (root) ─┬─ CDGD ── CDCS-THPT-TP
    //                 ├─ CDCS-DIENLUC
    //                 └─ CDN-YTE
    await officer("o-root", "LDLD-LC");
    await officer("o-gd", "CDGD");
    await officer("o-dl", "CDCS-DIENLUC", "en");
    await member("m-thpt", "CDCS-THPT-TP");
    await member("m-gd", "CDGD", "en");
    await member("m-dl", "CDCS-DIENLUC");
    await member("m-yte", "CDN-YTE");
    await member("m-none", null);
    await member("m-stop", "CDCS-THPT-TP");
    await core.say("m-stop", "/ngung");
    // The setup is what the counts below assume.
    const s = async (chatId: string) => (await core.repositories.subscribers.find("web", chatId))!;
    expect((await s("m-thpt")).unitId).toBe(await unitId("CDCS-THPT-TP"));
    expect((await s("m-gd")).locale).toBe("en");
    expect((await s("m-none")).unitId).toBeNull();
    expect((await s("m-stop")).status).toBe("stopped");
    expect((await s("o-gd")).role).toBe("officer");
    expect((await s("o-dl")).locale).toBe("en");
  });
  afterEach(async () => core.close());

  const prisma = () => core.db.prisma;
  const broadcastRows = () => prisma().broadcast.findMany({ orderBy: { id: "asc" } });
  const outboxRows = (broadcastId?: number) =>
    prisma().notification.findMany({ where: broadcastId === undefined ? {} : { broadcastId }, orderBy: { subscriberId: "asc" } });
  const dispatchDeps = (outbox: OutboxRepository = core.repositories.outbox): BroadcastDispatchDeps => ({ ...core.repositories, outbox, logger: silentLogger });

  /** Answers in order; returns the replies to the last one. */
  async function answer(chatId: string, answers: string[]) {
    let replies: OutgoingMessage[] = [];
    for (const a of answers) replies = await core.say(chatId, a);
    return replies;
  }

  /** Writes an announcement up to its preview; returns the preview's replies and the draft's id. */
  async function preview(chatId: string, text: string, audience: string[]) {
    const replies = await answer(chatId, ["/thongbao", text, ...audience]);
    const send = last(replies).choices?.[0]?.value ?? "";
    const id = Number(/^\/thongbao gui (\d+)$/.exec(send)?.[1] ?? Number.NaN);
    return { replies, id };
  }

  it("validates the text: empty, too long, control characters each get their message and the same question", async () => {
    const start = await core.say("o-gd", "/thongbao");
    expect(start.map((r) => r.text)).toEqual([`Soạn thông báo gửi tới đoàn viên trong phạm vi ${GD_SCOPE}. Gõ /huy để thôi bất cứ lúc nào.`, ASK_TEXT]);
    const check = async (input: string, message: string) => {
      const replies = await core.say("o-gd", input);
      expect(replies.map((r) => r.text), JSON.stringify(input.slice(0, 20))).toEqual([message, ASK_TEXT]);
    };
    await check("   ", "Nội dung thông báo không được để trống. Hãy gõ nội dung cần gửi.");
    await check("x".repeat(BROADCAST_MAX_TEXT + 1), "Nội dung thông báo dài quá: 1801 ký tự, tối đa 1800 ký tự. Hãy rút gọn rồi gửi lại.");
    const badCharacters = "Nội dung thông báo có ký tự điều khiển không hợp lệ. Hãy gõ lại (chữ, số, dấu câu, biểu tượng cảm xúc và xuống dòng đều được).";
    await check("Họp\u0007 chiều nay", badCharacters);
    await check("Họp\u202echiều nay", badCharacters);
    expect(await broadcastRows()).toHaveLength(0);
    // A command typed mid-flow is answered, then the question comes again.
    const mid = await core.say("o-gd", "/chude");
    expect(mid[0]!.text).toContain("Mừng Đảng quang vinh - Mừng Sinh nhật Bác");
    expect(last(mid).text).toBe(ASK_TEXT);
    // Exactly the limit, with line breaks, is accepted.
    const audience = last(await core.say("o-gd", `Dòng 1\n${"y".repeat(BROADCAST_MAX_TEXT - 7)}`));
    expect(audience.text).toBe(ASK_AUDIENCE);
    expect(audience.choices?.map((c) => c.label)).toEqual([`1. Mọi người trong ${GD_SCOPE}`, `2. Chỉ cán bộ công đoàn trong ${GD_SCOPE}`, "3. Một đơn vị (chọn trong phạm vi của bạn)"]);
    const wrong = await core.say("o-gd", "tất cả");
    expect(wrong.map((r) => r.text)).toEqual(["“tất cả” không phải là một lựa chọn trong danh sách. Hãy chọn một mục (bấm nút hoặc gõ số thứ tự).", ASK_AUDIENCE]);
    expect(joined(await core.say("o-gd", "7"))).toContain(ASK_AUDIENCE);
    expect(await broadcastRows()).toHaveLength(0);
  });

  it("previews the message as recipients will read it, with the right count for each audience", async () => {
    // The whole subtree of CDGD: o-gd, m-gd, m-thpt (m-stop stopped, m-none belongs to no unit of it).
    const text = "Kính gửi các đồng chí: họp triển khai Đợt 2 lúc 14h ngày 20/5.\nĐề nghị có mặt đầy đủ.";
    const subtree = await preview("o-gd", text, ["1"]);
    expect(subtree.replies.map((r) => r.text)).toEqual([
      "👀 Xem trước — người nhận sẽ thấy đúng tin nhắn dưới đây (mỗi người bằng ngôn ngữ của mình):",
      `${HEADER_GD_VI}\n${text}`,
      `Gửi tới: mọi người trong ${GD_SCOPE} — 3 người nhận. Gửi ngay?`,
    ]);
    expect(last(subtree.replies).choices).toEqual([
      { label: "Gửi thông báo", value: `/thongbao gui ${subtree.id}` },
      { label: "Sửa nội dung", value: "#edit" },
      { label: "Huỷ", value: "#cancel" },
    ]);
    expect(await core.repositories.broadcasts.find(subtree.id)).toMatchObject({ senderId: ids["o-gd"], audience: "subtree", unitId: await unitId("CDGD"), text, status: "draft", recipients: 3 });
    // A command mid-preview shows the same draft again, without storing another.
    const again = await core.say("o-gd", "/chude");
    expect(last(again).choices?.[0]!.value).toBe(`/thongbao gui ${subtree.id}`);
    expect(await broadcastRows()).toHaveLength(1);
    await core.say("o-gd", "#cancel");
    // Cancelled after the preview: the draft is marked so, and its old Send button sends nothing.
    expect((await core.repositories.broadcasts.find(subtree.id))?.status).toBe("cancelled");
    expect(joined(await core.say("o-gd", `/thongbao gui ${subtree.id}`))).not.toContain("người nhận");
    expect(await core.db.prisma.notification.count()).toBe(0);

    // Officers only: o-gd.
    const officers = await preview("o-gd", "Cán bộ họp giao ban", ["2"]);
    expect(last(officers.replies).text).toBe(`Gửi tới: cán bộ công đoàn trong ${GD_SCOPE} — 1 người nhận. Gửi ngay?`);
    await core.say("o-gd", "#cancel");

    // One unit, searched inside the subtree: outside it, unknown, a stale button for a unit outside, then THPT.
    const unitQuestion = last(await answer("o-gd", ["/thongbao", "Thông báo riêng trường THPT", "3"]));
    expect(unitQuestion.text).toBe(`Gửi tới đơn vị nào trong ${GD_SCOPE}? Hãy gõ tên hoặc mã đơn vị để tìm.`);
    expect(unitQuestion.choices?.map((c) => c.value)).toEqual(["#back"]);
    expect(joined(await core.say("o-gd", "dien luc"))).toBe(
      `“dien luc” không thuộc phạm vi của bạn (${GD_SCOPE}), nên không gửi thông báo tới đó được. Hãy gõ tên hoặc mã một đơn vị trong phạm vi.`,
    );
    expect(joined(await core.say("o-gd", `#unit:${await unitId("CDCS-DIENLUC")}`))).toBe(
      `“Công đoàn Công ty Điện lực Lai Châu, chi nhánh Tam Đường (CDCS-DIENLUC)” không thuộc phạm vi của bạn (${GD_SCOPE}), nên không gửi thông báo tới đó được. Hãy gõ tên hoặc mã một đơn vị trong phạm vi.`,
    );
    expect(joined(await core.say("o-gd", "Trường Mầm non Hoa Ban"))).toBe("Không tìm thấy đơn vị nào khớp với “Trường Mầm non Hoa Ban”. Hãy gõ tên hoặc mã khác.");
    expect(joined(await core.say("o-gd", "5"))).toBe("Không có lựa chọn số 5. Hãy trả lời bằng một số trong danh sách.");
    expect(await broadcastRows()).toHaveLength(2); // the two drafts above, nothing for the refused units
    const found = last(await core.say("o-gd", "truong thpt"));
    expect(found.text).toBe("Tìm thấy 1 đơn vị khớp với “truong thpt” trong phạm vi của bạn. Hãy chọn một đơn vị, hoặc gõ tên khác để tìm lại:");
    expect(found.choices?.map((c) => c.label)).toEqual(["Công đoàn cơ sở Trường THPT Thành phố Lai Châu (CDCS-THPT-TP)", "Quay lại chọn người nhận"]);
    const unit = await core.say("o-gd", "1");
    expect(last(unit).text).toBe("Gửi tới: đơn vị Công đoàn cơ sở Trường THPT Thành phố Lai Châu (CDCS-THPT-TP) — 1 người nhận. Gửi ngay?");
    const unitDraft = await core.repositories.broadcasts.find(Number(last(unit).choices![0]!.value.split(" ")[2]));
    expect(unitDraft).toMatchObject({ audience: "unit", unitId: await unitId("CDCS-THPT-TP"), recipients: 1 });
    await core.say("o-gd", "#cancel");

    // "Back" from the unit search returns to the audience question.
    await answer("o-gd", ["/thongbao", "Thông báo", "3"]);
    expect(last(await core.say("o-gd", "#back")).text).toBe(ASK_AUDIENCE);
    await core.say("o-gd", "/huy");

    // The root's officer reaches subscribers with no unit too: 8 = 3 officers + 4 members with a unit + m-none.
    const root = await preview("o-root", "Thông báo toàn tỉnh", ["1"]);
    expect(root.replies[1]!.text).toBe(`${HEADER_ROOT_VI}\nThông báo toàn tỉnh`);
    expect(last(root.replies).text).toBe(`Gửi tới: mọi người trong ${ROOT_SCOPE} — 8 người nhận. Gửi ngay?`);
    await core.say("o-root", "#cancel");
    expect(last((await preview("o-root", "Cán bộ toàn tỉnh", ["2"])).replies).text).toBe(`Gửi tới: cán bộ công đoàn trong ${ROOT_SCOPE} — 3 người nhận. Gửi ngay?`);
    await core.say("o-root", "#cancel");

    // An English-speaking officer sees the preview in English.
    const en = await preview("o-dl", "Safety drill on Friday", ["1"]);
    expect(en.replies.map((r) => r.text)).toEqual([
      "👀 Preview — recipients will see exactly the message below (each in their own language):",
      "📢 Announcement from Công đoàn Công ty Điện lực Lai Châu, chi nhánh Tam Đường:\nSafety drill on Friday",
      "To: everyone in Công đoàn Công ty Điện lực Lai Châu, chi nhánh Tam Đường (CDCS-DIENLUC) — recipients: 2. Send now?",
    ]);
    await core.say("o-dl", "#cancel");
    expect(await outboxRows()).toHaveLength(0);
  });

  it("does not offer Send when nobody would receive it", async () => {
    await core.say("m-thpt", "/ngung");
    const replies = await answer("o-gd", ["/thongbao", "Chỉ cho trường THPT", "3", "CDCS-THPT-TP", "1"]);
    expect(last(replies).text).toBe(
      "Gửi tới: đơn vị Công đoàn cơ sở Trường THPT Thành phố Lai Châu (CDCS-THPT-TP) — hiện không có ai đang nhận tin của bot trong đối tượng này, nên không có gì để gửi. Hãy chọn đối tượng khác hoặc huỷ.",
    );
    expect(last(replies).choices).toEqual([
      { label: "Chọn người nhận khác", value: "#other-audience" },
      { label: "Huỷ", value: "#cancel" },
    ]);
    expect(await broadcastRows()).toHaveLength(0);
    // Another audience, then a preview with a count.
    expect(last(await core.say("o-gd", "1")).text).toBe(ASK_AUDIENCE);
    expect(last(await core.say("o-gd", "1")).text).toBe(`Gửi tới: mọi người trong ${GD_SCOPE} — 2 người nhận. Gửi ngay?`);
  });

  it("sends on confirmation: one outbox row per recipient in their language; a second press sends nothing more", async () => {
    const text = "Đề nghị các công đoàn cơ sở nộp báo cáo sơ kết Đợt 1 trước ngày 25/6.";
    const { replies, id } = await preview("o-gd", text, ["1"]);
    expect(await outboxRows()).toHaveLength(0); // nothing before confirmation

    // Zalo users type the number: "1" is the Send button.
    const sent = await core.say("o-gd", "1");
    expect(joined(sent)).toBe(`✅ Đã xác nhận thông báo #${id}: đang gửi tới 3 người nhận. Gõ /thongbao trangthai để xem tiến độ; bạn sẽ nhận báo cáo khi gửi xong.`);
    expect(await core.repositories.broadcasts.find(id)).toMatchObject({ status: "confirmed", confirmedAt: MAY_19_2025, recipients: 3 });
    expect((await core.repositories.sessions.get("web", "o-gd"))?.flow).toBeNull();

    const rows = await outboxRows(id);
    const expected = [
      { chat: "o-gd", text: `${HEADER_GD_VI}\n${text}` },
      { chat: "m-thpt", text: `${HEADER_GD_VI}\n${text}` },
      { chat: "m-gd", text: `${HEADER_GD_EN}\n${text}` },
    ].map((e) => ({ ...e, id: ids[e.chat]! })).sort((a, b) => a.id - b.id);
    expect(rows.map((r) => ({ key: r.key, eventKey: r.eventKey, eventType: r.eventType, subscriberId: r.subscriberId, channel: r.channel, chatId: r.chatId, text: r.text, status: r.status, broadcastId: r.broadcastId, expiresAt: r.expiresAt, notBefore: r.notBefore }))).toEqual(
      expected.map((e) => ({
        key: `broadcast:${id}:${e.id}`,
        eventKey: `broadcast:${id}`,
        eventType: "broadcast",
        subscriberId: e.id,
        channel: "web",
        chatId: e.chat,
        text: e.text,
        status: "pending",
        broadcastId: id,
        expiresAt: null,
        notBefore: MAY_19_2025,
      })),
    );
    // What the officer previewed is what a Vietnamese recipient gets.
    expect(rows.find((r) => r.chatId === "m-thpt")!.text).toBe(replies[1]!.text);

    // The same button again, by button or by command: "already sent", nothing enqueued.
    expect(joined(await core.say("o-gd", `/thongbao gui ${id}`))).toBe(`Thông báo #${id} đã được gửi rồi (3 người nhận), không gửi lại lần nữa. Gõ /thongbao trangthai để xem tiến độ.`);
    expect(joined(await core.say("o-gd", `/broadcast send ${id}`))).toContain("đã được gửi rồi");
    expect(await outboxRows()).toHaveLength(3);
  });

  it("sends only within the live grant: a draft addressed before the officer's grant moved to another unit is not sent", async () => {
    const { id } = await preview("o-gd", "Thông báo soạn trước khi đổi phạm vi.", ["1"]);
    expect(Number.isNaN(id)).toBe(false);
    // While the preview is on screen the grant for CDGD ends and one for CDN-YTE (outside it) begins.
    await core.repositories.officerGrants.revoke({ subscriberId: ids["o-gd"]! }, "test", MAY_19_2025);
    const code = generateInviteCode();
    await core.repositories.invites.create({ codeHash: hashInviteCode(code), role: "officer", unitId: await unitId("CDN-YTE"), expiresAt: new Date(MAY_19_2025.getTime() + DAY) });
    expect(await core.repositories.invites.redeem(hashInviteCode(code), ids["o-gd"]!, MAY_19_2025)).toMatchObject({ ok: true });
    expect(joined(await core.say("o-gd", `/thongbao gui ${id}`))).toContain(`Bản nháp thông báo #${id} không còn hiệu lực`);
    expect(await core.repositories.broadcasts.find(id)).toMatchObject({ status: "cancelled" });
    expect(await outboxRows()).toHaveLength(0);
  });

  it("lets only the sender confirm, and only the draft on screen; members are refused", async () => {
    const { id } = await preview("o-gd", "Thông báo của Công đoàn Giáo dục", ["1"]);
    // Another officer (even of the parent unit) cannot send it.
    expect(joined(await core.say("o-root", `/thongbao gui ${id}`))).toBe(`Không tìm thấy bản nháp thông báo “${id}” của bạn. Gõ /thongbao để soạn thông báo mới.`);
    // A member is refused by the core.
    expect(joined(await core.say("m-gd", `/thongbao gui ${id}`))).toBe("Sorry, /thongbao is for union officers only. If you are an officer, claim the role with your invitation code: /officer <code>.");
    expect(joined(await core.say("m-thpt", "/thongbao"))).toBe("Xin lỗi, lệnh /thongbao chỉ dành cho cán bộ công đoàn. Nếu bạn là cán bộ, hãy nhận vai trò bằng mã mời: /canbo <mã>.");
    expect((await core.repositories.broadcasts.find(id))!.status).toBe("draft");
    expect(await outboxRows()).toHaveLength(0);

    // Edit the text: the old draft's button no longer sends; the new preview's does.
    expect(last(await core.say("o-gd", "#edit")).text).toBe(ASK_TEXT);
    const edited = last(await core.say("o-gd", "Thông báo đã sửa"));
    const newId = Number(edited.choices![0]!.value.split(" ")[2]);
    expect(newId).not.toBe(id);
    const stale = await core.say("o-gd", `/thongbao gui ${id}`);
    expect(stale[0]!.text).toBe(`Bản nháp thông báo #${id} không còn hiệu lực (đã huỷ, đã sửa hoặc đã quá hạn), nên không được gửi. Gõ /thongbao để soạn lại.`);
    expect(last(stale).text).toBe(`Gửi tới: mọi người trong ${GD_SCOPE} — 3 người nhận. Gửi ngay?`); // the current preview again
    expect(await outboxRows()).toHaveLength(0);

    // Cancel: nothing is sent, and the cancelled draft's button stays dead.
    expect(joined(await core.say("o-gd", "#cancel"))).toBe("Đã huỷ thông báo. Không có tin nào được gửi.");
    expect(joined(await core.say("o-gd", `/thongbao gui ${newId}`))).toContain(`Bản nháp thông báo #${newId} không còn hiệu lực`);
    expect((await broadcastRows()).map((b) => b.status)).toEqual(["cancelled", "cancelled"]);
    expect(await outboxRows()).toHaveLength(0);

    // /huy before the preview stores nothing at all.
    await answer("o-gd", ["/thongbao", "Sẽ huỷ"]);
    expect(joined(await core.say("o-gd", "/huy"))).toBe("Đã huỷ thao tác đang làm. Không có gì được lưu.");
    expect(await broadcastRows()).toHaveLength(2);

    // A preview left for longer than the flow's lifetime cannot be sent.
    const { id: late } = await preview("o-gd", "Để quá hạn", ["1"]);
    core.clock.now = new Date(MAY_19_2025.getTime() + DAY + 1000);
    expect(joined(await core.say("o-gd", `/thongbao gui ${late}`))).toContain(`Bản nháp thông báo #${late} không còn hiệu lực`);
    expect(await outboxRows()).toHaveLength(0);

    // Unknown ids and words.
    expect(joined(await core.say("o-gd", "/thongbao gui abc"))).toBe("Không tìm thấy bản nháp thông báo “abc” của bạn. Gõ /thongbao để soạn thông báo mới.");
    expect(joined(await core.say("o-gd", "/thongbao gui 999999"))).toContain("Không tìm thấy bản nháp thông báo “999999”");
    expect(joined(await core.say("o-gd", "/thongbao xoa"))).toBe("Cách dùng: /thongbao để soạn thông báo mới; /thongbao trangthai để xem tiến độ các thông báo đã gửi.");
  });

  it("refuses an officer without a granted unit", async () => {
    // Made officer without an invitation (not through /canbo): no granted scope, whatever their own unit.
    await member("x-officer", "CDGD");
    await core.db.prisma.subscriber.update({ where: { id: ids["x-officer"]! }, data: { role: "officer" } });
    const expected = "Bạn chưa được cấp phạm vi cán bộ của đơn vị nào, nên chưa gửi được thông báo. Hãy nhờ LĐLĐ tỉnh cấp mã mời cán bộ rồi gửi /canbo <mã>.";
    expect(joined(await core.say("x-officer", "/thongbao"))).toBe(expected);
    expect(joined(await core.say("x-officer", "/thongbao trangthai"))).toBe(expected);
    expect((await core.repositories.sessions.get("web", "x-officer"))?.flow ?? null).toBeNull();
    expect(await broadcastRows()).toHaveLength(0);
  });

  it("finishes an enqueue cut short by a crash: resumeBroadcasts reaches each recipient exactly once", async () => {
    const { id } = await preview("o-root", "Thông báo toàn tỉnh về Tháng Công nhân", ["1"]);
    const draft = (await core.repositories.broadcasts.find(id))!;
    expect(draft.recipients).toBe(8);
    // The process confirmed the broadcast, wrote one batch of 3, and died while writing the next.
    expect(await core.repositories.broadcasts.confirm(id, MAY_19_2025)).toBe(true);
    let calls = 0;
    const dying: OutboxRepository = {
      ...core.repositories.outbox,
      enqueue: async (rows) => {
        if (++calls === 2) throw new Error("process killed");
        return core.repositories.outbox.enqueue(rows);
      },
      countByStatus: (filter) => core.repositories.outbox.countByStatus(filter),
    };
    const confirmed = (await core.repositories.broadcasts.find(id))!;
    await expect(enqueueBroadcast(dispatchDeps(dying), confirmed, MAY_19_2025, { batchSize: 3 })).rejects.toThrow("process killed");
    expect(await outboxRows(id)).toHaveLength(3);

    const later = new Date(MAY_19_2025.getTime() + 60_000);
    expect(await resumeBroadcasts(dispatchDeps(), later)).toEqual({ resumed: 1, inserted: 5 });
    const rows = await outboxRows(id);
    const everyone = ["o-root", "o-gd", "o-dl", "m-thpt", "m-gd", "m-dl", "m-yte", "m-none"].map((c) => ids[c]!).sort((a, b) => a - b);
    expect(rows.map((r) => r.subscriberId)).toEqual(everyone);
    expect(new Set(rows.map((r) => r.key)).size).toBe(8);
    const english = new Set([ids["o-dl"], ids["m-gd"]]);
    for (const r of rows) expect(r.text).toBe(`${english.has(r.subscriberId) ? HEADER_ROOT_EN : HEADER_ROOT_VI}\nThông báo toàn tỉnh về Tháng Công nhân`);
    // Nothing left to resume; a second call writes nothing.
    expect(await resumeBroadcasts(dispatchDeps(), later)).toEqual({ resumed: 0, inserted: 0 });
    expect(await enqueueBroadcast(dispatchDeps(), confirmed, later)).toEqual({ audience: 8, inserted: 0 });
    expect(await outboxRows(id)).toHaveLength(8);
    // The officer's Send button, pressed after the restart, sends nothing more.
    expect(joined(await core.say("o-root", `/thongbao gui ${id}`))).toContain(`Thông báo #${id} đã được gửi rồi (8 người nhận)`);
    expect(await outboxRows()).toHaveLength(8);
  });

  it("shows progress with /thongbao trangthai and reports once, only when every row is final", async () => {
    expect(joined(await core.say("o-gd", "/thongbao trangthai"))).toBe("Bạn chưa gửi thông báo nào. Gõ /thongbao để soạn thông báo.");
    const { id } = await preview("o-gd", "Hạn nộp báo cáo   sơ kết\nlà ngày 25/6 — đề nghị các đơn vị khẩn trương", ["1"]);
    await core.say("o-gd", "1");
    await preview("o-gd", "Bản nháp chưa gửi", ["2"]); // drafts are not listed
    await core.say("o-gd", "#cancel");
    const deps = dispatchDeps();

    const status = async () => joined(await core.say("o-gd", "/thongbao trangthai"));
    const line = `#${id} · 19/05/2025 08:00 · tới mọi người trong ${GD_SCOPE} · “Hạn nộp báo cáo sơ kết là ngày 25/6 —…”`; // at most 40 characters, cut between words
    expect(await status()).toContain(`Các thông báo gần đây của bạn:\n\n${line}\nĐang gửi: tổng 3 — đã gửi 0, đang chờ 3, lỗi 0, đã chặn bot 0`);

    // Simulated delivery through the outbox: one sent, one blocked, one claimed (sending).
    const rows = await outboxRows(id);
    const later = new Date(MAY_19_2025.getTime() + 60_000);
    await core.repositories.outbox.markSent(rows[0]!.id, later);
    await core.repositories.outbox.markBlocked(rows[1]!.id, "403", later);
    expect(await reportFinishedBroadcasts(deps, later)).toEqual({ reported: 0 });
    const claimed = await core.repositories.outbox.claim("worker-1", later, 10, new Date(later.getTime() - 60_000));
    expect(claimed.map((c) => c.id)).toEqual([rows[2]!.id]);
    expect(await reportFinishedBroadcasts(deps, later)).toEqual({ reported: 0 }); // still sending
    expect(await status()).toContain(`${line}\nĐang gửi: tổng 3 — đã gửi 1, đang chờ 1, lỗi 0, đã chặn bot 1`);
    expect(await outboxRows()).toHaveLength(3); // no report yet

    await core.repositories.outbox.markFailed(rows[2]!.id, "500", later);
    // Every row is final: "đã gửi xong" at once, before the report job's next minute.
    expect(await status()).toContain(`${line}\nĐã gửi xong: tổng 3 — đã gửi 1, đang chờ 0, lỗi 1, đã chặn bot 1`);
    expect(await reportFinishedBroadcasts(deps, later)).toEqual({ reported: 1 });
    expect(await core.repositories.broadcasts.find(id)).toMatchObject({ status: "done", finishedAt: later });
    const reports = await prisma().notification.findMany({ where: { eventType: "broadcast-report" } });
    expect(reports.map((r) => ({ key: r.key, subscriberId: r.subscriberId, chatId: r.chatId, text: r.text, broadcastId: r.broadcastId, status: r.status }))).toEqual([
      {
        key: `broadcast:${id}:report`,
        subscriberId: ids["o-gd"],
        chatId: "o-gd",
        text: `📊 Thông báo #${id} (“Hạn nộp báo cáo sơ kết là ngày 25/6 — đề nghị các đơn vị…”) đã gửi xong: tổng 3 người nhận — đã gửi 1, lỗi 1, đã chặn bot 1.`,
        broadcastId: null,
        status: "pending",
      },
    ]);
    // Never twice.
    expect(await reportFinishedBroadcasts(deps, new Date(later.getTime() + 60_000))).toEqual({ reported: 0 });
    expect(await prisma().notification.count({ where: { eventType: "broadcast-report" } })).toBe(1);
    expect(await status()).toContain(`${line}\nĐã gửi xong: tổng 3 — đã gửi 1, đang chờ 0, lỗi 1, đã chặn bot 1`);
  });

  it("reports in the sender's language, also when someone stopped between the preview and the confirmation", async () => {
    const { id } = await preview("o-dl", "Safety drill on Friday", ["1"]);
    expect((await core.repositories.broadcasts.find(id))!.recipients).toBe(2);
    await core.say("m-dl", "/ngung");
    expect(joined(await core.say("o-dl", "1"))).toBe(`✅ Announcement #${id} confirmed: sending to 1 recipient(s). Type /broadcast status to follow the progress; you will get a report when it is done.`);
    const rows = await outboxRows(id);
    expect(rows.map((r) => r.chatId)).toEqual(["o-dl"]);
    const later = new Date(MAY_19_2025.getTime() + 120_000);
    const statusLine = `#${id} · 19/05/2025 08:00 · to everyone in Công đoàn Công ty Điện lực Lai Châu, chi nhánh Tam Đường (CDCS-DIENLUC) · “Safety drill on Friday”`;
    expect(joined(await core.say("o-dl", "/broadcast status"))).toBe(`Your latest announcements:\n\n${statusLine}\nSending: total 1 — sent 0, pending 1, failed 0, blocked the bot 0`);
    await core.repositories.outbox.markSent(rows[0]!.id, later);
    expect(await reportFinishedBroadcasts(dispatchDeps(), later)).toEqual({ reported: 1 });
    const [report] = await prisma().notification.findMany({ where: { eventType: "broadcast-report" } });
    expect(report!.text).toBe(`📊 Announcement #${id} (“Safety drill on Friday”) has been delivered: total 1 recipient(s) — sent 1, failed 0, blocked the bot 0.`);
    expect(joined(await core.say("o-dl", "/broadcast status"))).toBe(`Your latest announcements:\n\n${statusLine}\nDone: total 1 — sent 1, pending 0, failed 0, blocked the bot 0`);
  });
});
