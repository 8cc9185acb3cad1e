// Approval of registrations (/duyet, /approve) through the real core and a real database (both providers): the list
// limited to the officer's scope, oldest first, with its buttons; approve, return with a reason, approve all with a
// confirmation; every wrong answer refused with its own message and nothing changed; the member's notice written to
// the outbox exactly once, in the member's language; an edit after a return submits again; /camket and /thongke show
// the review. Fixture (test/admin/pledge-fixtures.ts): t1p2, t2, gdCollective (by the CDGD officer) and dlCollective
// (by the CDCS-DIENLUC officer) pending; t1p1, g1, d1 approved; d2 returned.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { OutgoingMessage } from "../../src/app/ports.js";
import { PROVIDERS } from "../db/helpers.js";
import { joined, startCore, type CoreHarness } from "../support/core-harness.js";
import { MAY_19_2025, seedPledges, type Seeded } from "../admin/pledge-fixtures.js";

for (const { provider, label, skip } of PROVIDERS) describe.skipIf(skip)(`approval of registrations (${label})`, () => {
  let core: CoreHarness;
  let seeded: Seeded;
  const GD = "officer-gd-0001";
  const DL = "officer-dl-0001";

  beforeEach(async () => {
    core = await startCore({ now: new Date(MAY_19_2025.getTime() + 8 * 3_600_000), provider });
    seeded = await seedPledges(core);
  });
  afterEach(async () => core.close());

  const pledge = async (name: string) => (await core.repositories.pledges.findByCode(seeded.codes[name]!))!;
  const notices = () => core.db.prisma.notification.findMany({ where: { eventType: "pledge-review" }, orderBy: { id: "asc" } });
  const only = (replies: OutgoingMessage[]) => {
    expect(replies).toHaveLength(1);
    return replies[0]!;
  };

  it("lists the pending registrations of the officer's scope only, oldest first, with Duyệt / Trả lại and Duyệt tất cả", async () => {
    const list = only(await core.say(GD, "/duyet"));
    const c = seeded.codes;
    expect(list.text.split("\n")).toEqual([
      "Đăng ký chờ duyệt (2) — Công đoàn Giáo dục tỉnh (CDGD) và 1 đơn vị trực thuộc, cũ nhất trước:",
      `1. ${c.t1p2} · Nguyễn Thị Hoa · Công đoàn cơ sở Trường THPT Thành phố Lai Châu (CDCS-THPT-TP) · đợt 2 · Chiến sĩ thi đua cơ sở`,
      `2. ${c.t2} · Lò Văn Bình · Công đoàn cơ sở Trường THPT Thành phố Lai Châu (CDCS-THPT-TP) · đợt 1 · Lao động tiên tiến, Chiến sĩ thi đua cơ sở`,
    ]);
    expect(list.choices!.map((x) => x.value)).toEqual([`/duyet ok ${c.t1p2}`, `/duyet tralai ${c.t1p2}`, `/duyet ok ${c.t2}`, `/duyet tralai ${c.t2}`, "/duyet tatca"]);
    expect(list.choices!.at(-1)!.label).toBe("Duyệt tất cả (2)");
    // The officer's own collective registration (gdCollective) is not in their list: the level above reviews it.
    expect(list.text).not.toContain(c.gdCollective);
    // The leaf unit's officer sees their unit's only (not their own collective one); /approve is the same command.
    const dl = only(await core.say(DL, "/approve"));
    expect(dl.text).toBe("Không có đăng ký nào chờ duyệt trong Công đoàn Công ty Điện lực Lai Châu, chi nhánh Tam Đường (CDCS-DIENLUC).");
    const root = await core.repositories.pledges.listPending({ campaignIds: [seeded.campaignIds.laiChau], unitIds: Object.values(seeded.unitIds), limit: 10 });
    expect(root.pledges.map((p) => p.code)).toContain(seeded.codes.dlCollective);
    // Members are refused by the core.
    expect(only(await core.say("member-t1", "/duyet")).text).toBe("Xin lỗi, lệnh /duyet chỉ dành cho cán bộ công đoàn. Nếu bạn là cán bộ, hãy nhận vai trò bằng mã mời: /canbo <mã>.");
  });

  it("approves one: recorded with who and when, the member told once through the outbox, a second press refused", async () => {
    const officer = (await core.repositories.subscribers.find("web", GD))!;
    // "3" is the third button of the list: "Duyệt" of the second registration (the numbered-text way, as on Zalo).
    await core.say(GD, "/duyet");
    const reply = await core.say(GD, "3");
    expect(reply[0]!.text.split("\n")[0]).toBe(`✅ Đã duyệt ${seeded.codes.t2} (Lò Văn Bình). Người đăng ký đã được báo.`);
    expect(reply[0]!.text).toContain("Đăng ký chờ duyệt (1)");
    const t2 = await pledge("t2");
    expect(t2.review).toBe("approved");
    const history = await core.repositories.pledges.history(t2.id);
    expect(history.at(-1)).toMatchObject({ action: "approved", subscriberId: officer.id, at: core.clock.now });
    const rows = await notices();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ subscriberId: t2.subscriberId, channel: "web", chatId: "member-t2", status: "pending", text: `✅ Đăng ký ${t2.code} của bạn đã được duyệt.` });

    // Pressed again (the old button), or by the officer of another branch: refused, nothing changes.
    expect(only(await core.say(GD, `/duyet ok ${t2.code}`)).text).toBe(`Đăng ký ${t2.code} đã được duyệt rồi.`);
    expect(only(await core.say(DL, `/duyet ok ${seeded.codes.t1p2}`)).text).toBe(`Không tìm thấy đăng ký chờ duyệt mã "${seeded.codes.t1p2}" trong phạm vi của bạn.`);
    expect(only(await core.say(GD, "/duyet ok LC25-999999")).text).toBe('Không tìm thấy đăng ký chờ duyệt mã "LC25-999999" trong phạm vi của bạn.');
    expect(only(await core.say(GD, `/duyet ok ${seeded.codes.gdCollective}`)).text).toBe(
      `Bạn không thể tự duyệt đăng ký ${seeded.codes.gdCollective} của chính mình; cán bộ khác của đơn vị hoặc cấp trên sẽ duyệt.`,
    );
    expect(only(await core.say(GD, `/duyet ok ${seeded.codes.t3}`)).text).toBe(`Đăng ký ${seeded.codes.t3} đã được rút, không cần duyệt.`);
    expect(only(await core.say(GD, "/duyet xyz")).text).toMatch(/^Cách dùng: \/duyet/);
    expect((await pledge("t1p2")).review).toBe("pending");
    expect((await pledge("gdCollective")).review).toBe("pending");
    expect(await notices()).toHaveLength(1);
  });

  it("returns one with a reason (a too short reason re-asked); the member edits and it is pending again", async () => {
    const code = seeded.codes.t1p2!;
    expect(only(await core.say(GD, `/duyet tralai ${code}`)).text).toMatch(new RegExp(`^Lý do trả lại đăng ký ${code}\\?`));
    const short = await core.say(GD, "ab");
    expect(short[0]!.text).toMatch(/ít nhất 3 ký tự/);
    expect(short[1]!.text).toMatch(/^Lý do trả lại/);
    expect((await pledge("t1p2")).review).toBe("pending");
    expect(only(await core.say(GD, "Chưa ghi rõ chỉ tiêu.")).text).toBe(`↩️ Đã trả lại ${code} (Nguyễn Thị Hoa). Người đăng ký đã được báo lý do.`);
    const returned = await pledge("t1p2");
    expect(returned).toMatchObject({ review: "returned", reviewNote: "Chưa ghi rõ chỉ tiêu." });
    expect((await core.repositories.pledges.history(returned.id)).at(-1)).toMatchObject({ action: "returned", detail: { reason: "Chưa ghi rõ chỉ tiêu." } });
    expect((await notices()).map((n) => n.text)).toEqual([`↩️ Đăng ký ${code} của bạn được trả lại: Chưa ghi rõ chỉ tiêu. Gõ /camket để sửa và gửi lại.`]);
    // A second return of the same registration is refused.
    expect(only(await core.say(GD, `/duyet tralai ${code}`)).text).toBe(`Đăng ký ${code} đã được trả lại; khi người đăng ký sửa và gửi lại, nó sẽ lại chờ duyệt.`);

    // The member sees it in /camket with the reason; an edit submits it again.
    expect(only(await core.say("member-t1", "/camket")).text).toContain("trả lại: Chưa ghi rõ chỉ tiêu.");
    const edited = await core.repositories.pledges.update(returned.id, { ...returned, commitment: "Đạt 100% chỉ tiêu năm học." }, returned.subscriberId, core.clock.now);
    expect(edited).toMatchObject({ review: "pending", reviewNote: null });
    expect((await core.repositories.pledges.history(returned.id)).slice(-2).map((e) => e.action)).toEqual(["edited", "resubmitted"]);
    expect(only(await core.say(GD, "/duyet")).text).toContain(code);
    await core.say(GD, `/duyet ok ${code}`);
    expect((await pledge("t1p2")).review).toBe("approved");
  });

  it("approves all after a confirmation (never the officer's own); No changes nothing; /thongke counts approved", async () => {
    expect(only(await core.say(GD, "/duyet tatca")).text).toBe("Duyệt tất cả 2 đăng ký đang chờ trong phạm vi của bạn?");
    expect(only(await core.say(GD, "không")).text).toBe("Đã thôi, không duyệt đăng ký nào.");
    expect((await pledge("t2")).review).toBe("pending");
    await core.say(GD, "/duyet tatca");
    expect(only(await core.say(GD, "có")).text).toBe("✅ Đã duyệt 2 đăng ký. Người đăng ký đã được báo.");
    expect((await pledge("t2")).review).toBe("approved");
    expect((await pledge("t1p2")).review).toBe("approved");
    expect((await pledge("gdCollective")).review).toBe("pending");
    expect(await notices()).toHaveLength(2);
    const stats = joined(await core.say(GD, "/thongke"));
    expect(stats).toContain("(CDCS-THPT-TP): 2 đã đăng ký, 2/86 đã duyệt (2%)");
  });
});
