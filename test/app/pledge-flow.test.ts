// The pledge conversation through the real core and a real database: buttons (choice values) and numbered text
// (what Zalo users type), every validation path, resume after a restart, expiry, edit and withdraw at phase
// boundaries, and officers' collective pledges.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { generateInviteCode, hashInviteCode } from "../../src/app/invite-codes.js";
import type { OutgoingMessage } from "../../src/app/ports.js";
import { parseCampaign } from "../../src/domain/campaign-parse.js";
import { PROVIDERS } from "../db/helpers.js";
import { joined, startCore, type CoreHarness } from "../support/core-harness.js";
import { liveCampaignYaml } from "../support/live-campaign.js";

const MAY_19_2025 = new Date("2025-05-19T01:00:00Z"); // 08:00, Đợt 1 of Lai Châu 2025
const last = (replies: OutgoingMessage[]) => replies.at(-1)!;

/** Registers `chatId` with a unit, so the pledge flow does not ask for one. */
async function member(core: CoreHarness, chatId: string, name = "Lò Văn Bình") {
  await core.say(chatId, "/start", { displayName: name });
  await core.say(chatId, "dien luc", { displayName: name });
  await core.say(chatId, "1", { displayName: name });
}

/** Answers in order; returns the replies to the last one. */
async function answer(core: CoreHarness, chatId: string, answers: string[], displayName = "Lò Văn Bình") {
  let replies: OutgoingMessage[] = [];
  for (const a of answers) replies = await core.say(chatId, a, { displayName });
  return replies;
}

const BY_BUTTONS = ["/dangky", "#pick:1", "#keep", "Kỹ sư vận hành", "#pick:lao-dong-tien-tien", "#pick:lao-dong-gioi", "#done", "#pick:sang-xanh-sach-dep", "#done", "#yes", "#pick:sinh-nhat-bac", "Cải tạo trạm biến áp", "Thay máy biến áp, giảm tổn thất", "19/5/2025", "#yes", "Sổ tay vận hành số", "Giảm thời gian xử lý sự cố", "Hoàn thành xuất sắc nhiệm vụ năm 2025"];
// Numbers as a Zalo user types them. The movements list starts with the member's sector (Điện lực: enterprise), so
// "Sáng - Xanh - Sạch - Đẹp" is 3; on 19/05 only the anniversary of that day is still ahead in Đợt 1, so it is 1.
const BY_NUMBERS = ["/dangky", "1", "1", "Kỹ sư vận hành", "1, 4", "7", "3", "12", "1", "1", "Cải tạo trạm biến áp", "Thay máy biến áp, giảm tổn thất", "2025-05-19", "1", "Sổ tay vận hành số", "Giảm thời gian xử lý sự cố", "Hoàn thành xuất sắc nhiệm vụ năm 2025"];

for (const { provider, label, skip } of PROVIDERS) describe.skipIf(skip)(`pledge conversation (${label})`, () => {
  let core: CoreHarness;
  beforeEach(async () => {
    core = await startCore({ now: MAY_19_2025, provider });
  });
  afterEach(async () => core.close());

  const pledgesOf = async (chatId: string, channel: "web" | "zalo" = "web") => {
    const s = await core.repositories.subscribers.find(channel, chatId);
    return s ? core.repositories.pledges.listBySubscriber(s.id) : [];
  };

  for (const [shape, script] of [["buttons", BY_BUTTONS], ["numbered text", BY_NUMBERS]] as const) {
    it(`goes from /dangky to a stored, confirmed pledge with ${shape}`, async () => {
      await member(core, "m1");
      const summary = last(await answer(core, "m1", script));
      expect(summary.text).toContain("Vui lòng kiểm tra lại đăng ký của bạn:");
      expect(summary.text).toContain("Kế hoạch thi đua LĐLĐ tỉnh Lai Châu năm 2025 — Đợt 1 (01/01/2025 – 30/06/2025)");
      expect(summary.text).toContain("Họ và tên: Lò Văn Bình");
      expect(summary.text).toContain("Đơn vị: Công đoàn Công ty Điện lực Lai Châu, chi nhánh Tam Đường (CDCS-DIENLUC)");
      expect(summary.text).toContain("Chức vụ: Kỹ sư vận hành");
      expect(summary.text).toContain("Danh hiệu: Lao động tiên tiến; Lao động giỏi");
      expect(summary.text).toContain("Phong trào: Sáng - Xanh - Sạch - Đẹp");
      expect(summary.text).toContain(
        "Công trình, sản phẩm: Cải tạo trạm biến áp — chào mừng Kỷ niệm 135 năm Ngày sinh Chủ tịch Hồ Chí Minh (19/05/1890 – 19/05/2025) — hoàn thành trước 19/05/2025",
      );
      expect(summary.text).toContain("Sáng kiến: Sổ tay vận hành số — Giảm thời gian xử lý sự cố");
      expect(summary.choices?.map((c) => c.value)).toEqual(["#confirm", "#edit", "#cancel"]);
      expect(await pledgesOf("m1")).toHaveLength(0); // nothing before confirmation

      const receipt = joined(await core.say("m1", shape === "buttons" ? "#confirm" : "1"));
      const code = /Mã đăng ký: (LC25-\d{6})\./.exec(receipt)?.[1];
      expect(code).toBeDefined();
      const [stored] = await pledgesOf("m1");
      expect(stored).toMatchObject({ code, phaseNumber: 1, kind: "individual", fullName: "Lò Văn Bình", position: "Kỹ sư vận hành", status: "active", commitment: "Hoàn thành xuất sắc nhiệm vụ năm 2025" });
      expect(stored!.items).toEqual([
        { type: "title", key: "lao-dong-tien-tien", name: "Lao động tiên tiến" },
        { type: "title", key: "lao-dong-gioi", name: "Lao động giỏi" },
        { type: "movement", key: "sang-xanh-sach-dep", name: "Sáng - Xanh - Sạch - Đẹp" },
        { type: "work", name: "Cải tạo trạm biến áp", description: "Thay máy biến áp, giảm tổn thất", targetDate: "2025-05-19", anniversaryKey: "sinh-nhat-bac" },
        { type: "initiative", name: "Sổ tay vận hành số", description: "Giảm thời gian xử lý sự cố" },
      ]);
      expect((await core.repositories.pledges.history(stored!.id)).map((e) => e.action)).toEqual(["created"]);
      expect((await core.repositories.sessions.get("web", "m1"))?.flow).toBeNull();
    });
  }

  it("gives every wrong answer a specific message and the same question", async () => {
    await member(core, "v1");
    const check = async (input: string, message: string, question: string) => {
      const replies = await core.say("v1", input, { displayName: "Lò Văn Bình" });
      expect(replies[0]!.text, `answer ${JSON.stringify(input)}`).toBe(message);
      expect(last(replies).text, `question after ${JSON.stringify(input)}`).toContain(question);
    };
    await core.say("v1", "/dangky");
    await check("9", "“9” không phải là một lựa chọn trong danh sách. Hãy chọn một mục (bấm nút hoặc gõ số thứ tự).", "Bạn đăng ký cho đợt thi đua nào?");
    await core.say("v1", "1");
    await check("A", "Câu trả lời quá ngắn: cần ít nhất 2 ký tự.", "Họ và tên của bạn (2–100 ký tự)?");
    await check("x".repeat(101), "Câu trả lời quá dài: tối đa 100 ký tự.", "Họ và tên của bạn");
    await check("Lò Văn\nBình", "Câu trả lời có ký tự không hợp lệ (ký tự điều khiển hoặc xuống dòng ở mục một dòng). Hãy gõ lại.", "Họ và tên của bạn");
    await check("Lò\u0007Bình", "Câu trả lời có ký tự không hợp lệ (ký tự điều khiển hoặc xuống dòng ở mục một dòng). Hãy gõ lại.", "Họ và tên của bạn");
    // Typed in decomposed Unicode (NFD): stored as NFC.
    await core.say("v1", "Lò Văn Bình".normalize("NFD"));
    await check("y".repeat(101), "Câu trả lời quá dài: tối đa 100 ký tự.", "Chức vụ hoặc công việc của bạn");
    await core.say("v1", "#skip");
    await check("#pick:co-thi-dua-ubnd-tinh", "“#pick:co-thi-dua-ubnd-tinh” không phải là danh hiệu của kế hoạch này. Hãy chọn trong danh sách (bấm nút hoặc gõ số thứ tự).", "Chọn danh hiệu thi đua");
    await check("1, 99", "“99” không phải là danh hiệu của kế hoạch này. Hãy chọn trong danh sách (bấm nút hoặc gõ số thứ tự).", "Chọn danh hiệu thi đua");
    await check("Lao động xuất sắc", "“Lao động xuất sắc” không phải là danh hiệu của kế hoạch này. Hãy chọn trong danh sách (bấm nút hoặc gõ số thứ tự).", "Chọn danh hiệu thi đua");
    await core.say("v1", "#done"); // no title
    await core.say("v1", "#done"); // no movement
    await check("có lẽ", "“có lẽ” không phải là một lựa chọn trong danh sách. Hãy chọn một mục (bấm nút hoặc gõ số thứ tự).", "Bạn có đăng ký công trình");
    await core.say("v1", "#yes");
    // Only anniversaries still ahead in the phase: 03/02 has passed on 19/05.
    await check("#pick:thanh-lap-dang", "“#pick:thanh-lap-dang” không phải là một lựa chọn trong danh sách. Hãy chọn một mục (bấm nút hoặc gõ số thứ tự).", "Công trình, sản phẩm chào mừng ngày kỷ niệm nào?");
    await core.say("v1", "#pick:sinh-nhat-bac");
    await check("ab", "Câu trả lời quá ngắn: cần ít nhất 3 ký tự.", "Tên công trình, sản phẩm");
    await core.say("v1", "Nhà văn hoá công nhân");
    await core.say("v1", "Sửa chữa nhà văn hoá");
    // The range and the example are dates that can still be given: from today (19/05) to the phase's end.
    const dateQuestion = "Ngày dự kiến hoàn thành (từ 19/05/2025 đến 30/06/2025), ví dụ 18/6/2025?";
    await check("31/02/2025", "“31/02/2025” không phải là ngày hợp lệ. Hãy gõ theo dạng ngày/tháng/năm, ví dụ 18/6/2025, 18-06-2025 hoặc 2025-06-18.", dateQuestion);
    await check("ngày mai", "“ngày mai” không phải là ngày hợp lệ. Hãy gõ theo dạng ngày/tháng/năm, ví dụ 18/6/2025, 18-06-2025 hoặc 2025-06-18.", dateQuestion);
    await check("15/7/2025", "Ngày 15/07/2025 nằm ngoài đợt thi đua (01/01/2025 – 30/06/2025). Hãy chọn ngày trong đợt.", dateQuestion);
    await check("1/5/2025", "Ngày 01/05/2025 đã qua. Hãy chọn một ngày từ hôm nay đến 30/06/2025.", dateQuestion);
    await core.say("v1", "30-06-2025");
    await core.say("v1", "#no");
    await check("ngắn", "Câu trả lời quá ngắn: cần ít nhất 10 ký tự.", "Nội dung cam kết của bạn (10–1000 ký tự)?");
    await check("z".repeat(1001), "Câu trả lời quá dài: tối đa 1000 ký tự.", "Nội dung cam kết");
    const summary = last(await core.say("v1", "Cam kết hoàn thành công trình\nđúng hạn"));
    expect(summary.text).toContain("Công trình, sản phẩm: Nhà văn hoá công nhân");
    expect(summary.text).toContain("hoàn thành trước 30/06/2025");
    await check("#whatever", "“#whatever” không phải là một lựa chọn trong danh sách. Hãy chọn một mục (bấm nút hoặc gõ số thứ tự).", "Vui lòng kiểm tra lại");
    await core.say("v1", "#confirm");
    const [stored] = await pledgesOf("v1");
    expect(stored!.fullName).toBe("Lò Văn Bình".normalize("NFC"));
    expect(stored!.fullName.normalize("NFC") === stored!.fullName).toBe(true);
    expect(stored!.commitment).toBe("Cam kết hoàn thành công trình\nđúng hạn");
  });

  it("needs at least one pledged item before the summary", async () => {
    await member(core, "n1");
    const replies = await answer(core, "n1", ["/dangky", "1", "#keep", "#skip", "#done", "#done", "#no", "#no", "Cam kết thực hiện tốt"]);
    expect(replies[0]!.text).toBe("Bạn cần đăng ký ít nhất một nội dung: danh hiệu, phong trào, công trình hoặc sáng kiến.");
    expect(last(replies).text).toContain("Chọn danh hiệu thi đua");
  });

  it("answers a command typed mid-flow, then asks again; /huy leaves with nothing stored", async () => {
    await member(core, "c1");
    await answer(core, "c1", ["/dangky", "1", "#keep"]);
    const mid = await core.say("c1", "/chude");
    expect(mid[0]!.text).toContain("Mừng Đảng quang vinh - Mừng Sinh nhật Bác");
    expect(last(mid).text).toContain("Chức vụ hoặc công việc của bạn");
    expect(joined(await core.say("c1", "/huy"))).toBe("Đã huỷ thao tác đang làm. Không có gì được lưu.");
    expect(await pledgesOf("c1")).toHaveLength(0);
    expect(joined(await core.say("c1", "Kỹ sư"))).toContain("Tôi chưa hiểu");
  });

  it("resumes at the same step after a restart of the process", async () => {
    await member(core, "r1");
    await answer(core, "r1", ["/dangky", "1", "#keep", "#skip", "#pick:lao-dong-tien-tien"]);
    await core.db.close();
    const restarted = await startCore({ now: new Date(MAY_19_2025.getTime() + 6 * 3600_000), databaseUrl: core.databaseUrl });
    try {
      const next = await restarted.say("r1", "#done");
      expect(last(next).text).toContain("Chọn các phong trào thi đua bạn tham gia.");
      const summary = last(await answer(restarted, "r1", ["#done", "#no", "#no", "Phấn đấu đạt lao động tiên tiến"]));
      expect(summary.text).toContain("Danh hiệu: Lao động tiên tiến");
      expect(joined(await restarted.say("r1", "#confirm"))).toMatch(/Mã đăng ký: LC25-\d{6}/);
    } finally {
      await restarted.close();
    }
  });

  it("expires an abandoned flow after 24 hours with nothing stored", async () => {
    await member(core, "x1");
    await answer(core, "x1", ["/dangky", "1", "#keep", "#skip", "1", "#done", "#done", "#no", "#no", "Phấn đấu đạt lao động tiên tiến"]);
    core.clock.now = new Date(MAY_19_2025.getTime() + 24 * 3600_000 + 1000);
    expect(joined(await core.say("x1", "#confirm"))).toContain("Tôi chưa hiểu");
    expect(await pledgesOf("x1")).toHaveLength(0);
  });

  it("edits and withdraws while the phase is open, and is read-only after it ends", async () => {
    await member(core, "e1");
    await answer(core, "e1", ["/dangky", "1", "#keep", "#skip", "1", "#done", "#done", "#no", "#no", "Phấn đấu đạt lao động tiên tiến", "#confirm"]);
    const [created] = await pledgesOf("e1");
    const list = last(await core.say("e1", "/camket"));
    expect(list.text).toContain(`• ${created!.code} — LĐLĐ tỉnh Lai Châu 2025, Đợt 1 (01/01/2025 – 30/06/2025) — đang hiệu lực, còn sửa được`);
    expect(list.choices?.map((c) => c.value)).toEqual([`/mypledges edit ${created!.code}`, `/mypledges withdraw ${created!.code}`]);

    // Edit the commitment through the summary.
    expect(last(await core.say("e1", `/camket sua ${created!.code.toLowerCase()}`)).text).toContain("Đăng ký hiện tại");
    expect(last(await core.say("e1", "#edit")).choices?.map((c) => c.value)).toContain("#field:commitment");
    expect(last(await core.say("e1", "#field:commitment")).text).toContain("Nội dung cam kết của bạn");
    expect(last(await core.say("e1", "Phấn đấu đạt chiến sĩ thi đua cơ sở")).text).toContain("Cam kết: Phấn đấu đạt chiến sĩ thi đua cơ sở");
    expect(joined(await core.say("e1", "#confirm"))).toBe(`✅ Đã cập nhật đăng ký ${created!.code}. Đăng ký được gửi lại và đang chờ duyệt.`);
    const history = await core.repositories.pledges.history(created!.id);
    expect(history.map((e) => [e.action, e.detail])).toEqual([["created", {}], ["edited", { changed: ["commitment"] }]]);

    // Someone else cannot touch it.
    expect(joined(await core.say("other", `/camket rut ${created!.code}`))).toContain(`Không tìm thấy đăng ký “${created!.code.toLowerCase()}” của bạn`);

    // Last minute of the phase: still editable. First minute after: read-only.
    core.clock.now = new Date("2025-06-30T16:59:00Z");
    expect(last(await core.say("e1", "/camket")).choices).toBeDefined();
    core.clock.now = new Date("2025-06-30T17:00:00Z");
    const closed = last(await core.say("e1", "/camket"));
    expect(closed.text).toContain("đợt đã kết thúc, chỉ xem");
    expect(closed.choices).toBeUndefined();
    expect(joined(await core.say("e1", `/camket rut ${created!.code}`))).toBe(`Đợt 1 đã kết thúc ngày 30/06/2025: đăng ký ${created!.code} chỉ còn để xem, không sửa hay rút được.`);
    expect(joined(await core.say("e1", `/camket sua ${created!.code}`))).toContain("chỉ còn để xem");

    // Back inside the phase: withdraw with confirmation.
    core.clock.now = MAY_19_2025;
    const ask = last(await core.say("e1", `/camket rut ${created!.code}`));
    expect(ask.text).toBe(`Bạn chắc chắn muốn rút đăng ký ${created!.code}?`);
    expect(joined(await core.say("e1", "1"))).toBe(`Đã rút đăng ký ${created!.code}.`);
    expect((await pledgesOf("e1"))[0]!.status).toBe("withdrawn");
    expect(joined(await core.say("e1", `/camket rut ${created!.code}`))).toBe(`Đăng ký ${created!.code} đã được rút trước đó.`);
    expect((await core.repositories.pledges.history(created!.id)).map((e) => e.action)).toEqual(["created", "edited", "withdrawn"]);
  });

  it("refuses to store when the phase closed while the person paused at the summary", async () => {
    core.clock.now = new Date("2025-06-30T16:00:00Z"); // 23:00 on the last day of Đợt 1
    await member(core, "p1");
    const phaseQuestion = await answer(core, "p1", ["/dangky"]);
    expect(last(phaseQuestion).choices?.[0]!.label).toContain("Đợt 1");
    await answer(core, "p1", ["1", "#keep", "#skip", "1", "#done", "#done", "#no", "#no", "Phấn đấu đạt lao động tiên tiến"]);
    core.clock.now = new Date("2025-06-30T17:30:00Z");
    expect(joined(await core.say("p1", "#confirm"))).toBe("Đợt 1 đã kết thúc ngày 30/06/2025, nên đăng ký này không thể lưu hoặc sửa được nữa.");
    expect(await pledgesOf("p1")).toHaveLength(0);
  });

  it("lets an officer pledge on behalf of the unit, with collective titles only", async () => {
    const unit = await core.repositories.units.findByCode("CDGD");
    const code = generateInviteCode();
    await core.repositories.invites.create({ codeHash: hashInviteCode(code), role: "officer", unitId: unit!.id, expiresAt: new Date(MAY_19_2025.getTime() + 86_400_000) });
    await core.say("o1", "/start");
    await core.say("o1", "/huy");
    await core.say("o1", `/canbo ${code}`);
    const kind = last(await answer(core, "o1", ["/dangky", "1"]));
    expect(kind.text).toBe("Bạn đăng ký cho cá nhân mình hay thay mặt tập thể đơn vị?");
    const titles = last(await core.say("o1", "#pick:collective"));
    // Numbered, as the prompt says to type the numbers.
    expect(titles.choices?.map((c) => c.label)).toEqual(["1. Tập thể lao động tiên tiến", "2. Tập thể lao động xuất sắc", "3. Cờ thi đua của Ủy ban nhân dân tỉnh", "4. Cờ thi đua của Liên đoàn Lao động tỉnh", "5. Tiếp tục"]);
    const summary = last(await answer(core, "o1", ["2", "#done", "#done", "#no", "#no", "Tập thể phấn đấu đạt lao động xuất sắc"]));
    expect(summary.text).toContain("Tập thể: Công đoàn Giáo dục tỉnh");
    expect(summary.text).not.toContain("Họ và tên");
    await core.say("o1", "#confirm");
    const officer = await core.repositories.subscribers.find("web", "o1");
    const [stored] = await core.repositories.pledges.listBySubscriber(officer!.id);
    expect(stored).toMatchObject({ kind: "collective", fullName: "Công đoàn Giáo dục tỉnh", unitId: unit!.id, position: null });
    expect(stored!.items.map((i) => i.key)).toEqual(["tap-the-lao-dong-xuat-sac"]);
  });

  it("an officer's collective pledge is for the unit of their grant, not the member unit they chose; a revoked officer pledges only for themself", async () => {
    const granted = (await core.repositories.units.findByCode("CDGD"))!;
    const own = (await core.repositories.units.findByCode("CDCS-THPT-TP"))!;
    const code = generateInviteCode();
    await core.repositories.invites.create({ codeHash: hashInviteCode(code), role: "officer", unitId: granted.id, expiresAt: new Date(MAY_19_2025.getTime() + 86_400_000) });
    await core.say("o2", "/start");
    await core.say("o2", "/huy");
    const officer = (await core.repositories.subscribers.find("web", "o2"))!;
    await core.repositories.subscribers.setUnit(officer.id, own.id);
    await core.say("o2", `/canbo ${code}`);
    expect((await core.repositories.subscribers.find("web", "o2"))!.unitId).toBe(own.id);
    await answer(core, "o2", ["/dangky", "1", "#pick:collective"]);
    const summary = last(await answer(core, "o2", ["1", "#done", "#done", "#no", "#no", "Tập thể phấn đấu đạt lao động tiên tiến"]));
    expect(summary.text).toContain("Tập thể: Công đoàn Giáo dục tỉnh");
    await core.say("o2", "#confirm");
    const [stored] = await core.repositories.pledges.listBySubscriber(officer.id);
    expect(stored).toMatchObject({ kind: "collective", fullName: granted.name, unitId: granted.id });

    // Revoked while the question is on screen: "collective" then leads to their own pledge, not a nameless one.
    const asked = last(await answer(core, "o2", ["/dangky", "2"]));
    expect(asked.text).toBe("Bạn đăng ký cho cá nhân mình hay thay mặt tập thể đơn vị?");
    await core.repositories.officerGrants.revoke({ subscriberId: officer.id }, "test", MAY_19_2025);
    expect(last(await core.say("o2", "#pick:collective")).text).toContain("Họ và tên");
    await core.say("o2", "/huy");
    // And no collective choice any more; the registration is their own.
    const first = last(await answer(core, "o2", ["/dangky", "1"]));
    expect(first.text).not.toBe("Bạn đăng ký cho cá nhân mình hay thay mặt tập thể đơn vị?");
    expect(first.text).toContain("Họ và tên");
  });

  it("asks for the campaign only when more than one is open, and for the unit when unknown", async () => {
    const live = parseCampaign("live.yaml", liveCampaignYaml("2025-05-19"));
    if (!live.ok) throw new Error(live.errors.join("\n"));
    await core.repositories.campaigns.upsert(live.campaign);
    const first = last(await core.say("z1", "/dangky", { displayName: "Hà Thị Mai" }));
    expect(first.text).toBe("Bạn đăng ký theo kế hoạch thi đua nào?");
    // Numbered buttons: a wrong answer is told to type the number.
    expect(first.choices?.map((c, i) => c.label.startsWith(`${i + 1}. `))).toEqual([true, true]);
    expect(first.choices?.map((c) => c.label.replace(/^\d+\. /, "")).sort()).toEqual(["LĐLĐ tỉnh Lai Châu 2025", "LĐLĐ tỉnh Thử nghiệm 2025"]);
    const lc = first.choices!.find((c) => c.label.includes("Lai Châu"))!.value;
    const unitQuestion = last(await answer(core, "z1", [lc, "1", "#keep"], "Hà Thị Mai"));
    expect(unitQuestion.text).toContain("Bạn thuộc công đoàn cơ sở nào?");
  });

  // Found by the property tests (test/property/pledge-conversation.test.ts).
  it("keeps and echoes typed text in NFC and well-formed: decomposed names, emoji, lone surrogates, NUL", async () => {
    const nfd = "Lò Văn Bình".normalize("NFD");
    await member(core, "u1", nfd);
    // A display name in NFD is offered, and stored, in NFC.
    const nameQuestion = last(await answer(core, "u1", ["/dangky", "1"], nfd));
    expect(nameQuestion.choices![0]!.label).toBe("Dùng tên “Lò Văn Bình”".normalize("NFC"));
    await answer(core, "u1", ["#keep", "#skip"], nfd);
    // A wrong answer is echoed clipped to 50 characters without cutting an emoji in half…
    const emoji = await core.say("u1", `a${"😀".repeat(60)}`, { displayName: nfd });
    expect(emoji[0]!.text).toContain(`“a${"😀".repeat(49)}”`);
    // …and a lone surrogate comes back as U+FFFD: platforms refuse malformed text.
    const surrogate = await core.say("u1", "Lao\ud800", { displayName: nfd });
    expect(surrogate[0]!.text).toContain("“Lao\ufffd”");
    await answer(core, "u1", ["1", "#done", "#done", "#no", "#no", "Phấn đấu đạt lao động tiên tiến", "#confirm"], nfd);
    const [stored] = await pledgesOf("u1");
    expect(stored!.fullName).toBe("Lò Văn Bình".normalize("NFC"));

    // A NUL in a unit search is searched like any other character (PostgreSQL refused the query and the person got
    // "something went wrong"); in a pledge field it is refused as a bad character.
    const search = await answer(core, "u2", ["/dangky", "1", "Hà Thị Mai", "dien\u0000luc"]);
    expect(search[0]!.text).toContain("Tìm thấy");
    await core.say("u2", "#skip");
    expect((await core.say("u2", "Kỹ sư\u0000"))[0]!.text).toBe("Câu trả lời có ký tự không hợp lệ (ký tự điều khiển hoặc xuống dòng ở mục một dòng). Hãy gõ lại.");
  });
});
