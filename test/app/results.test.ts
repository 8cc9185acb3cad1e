// Results (/ketqua, /results) through the real core and database (both providers): an approved pledge's outcome, then
// each work and initiative, stored together at the end with who and when; wrong answers re-asked and nothing stored;
// pledges not approved or not one's own refused; the push at a phase's end goes once to each member with an approved
// pledge of the phase. Fixture: test/admin/pledge-fixtures.ts (t1p1, g1, d1 approved in phase 1; d2 returned).
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { planResultRequests } from "../../src/app/cycle/result-requests.js";
import { DEFAULT_QUIET_HOURS } from "../../src/domain/quiet-hours.js";
import { PROVIDERS } from "../db/helpers.js";
import { startCore, type CoreHarness } from "../support/core-harness.js";
import { MAY_19_2025, seedPledges, type Seeded } from "../admin/pledge-fixtures.js";

for (const { provider, label, skip } of PROVIDERS) describe.skipIf(skip)(`results (${label})`, () => {
  let core: CoreHarness;
  let seeded: Seeded;
  beforeEach(async () => {
    core = await startCore({ now: new Date(MAY_19_2025.getTime() + 8 * 3_600_000), provider });
    seeded = await seedPledges(core);
  });
  afterEach(async () => core.close());

  const texts = async (chatId: string, text: string) => (await core.say(chatId, text)).map((m) => m.text);

  it("asks the pledge's outcome, a note, then each work and initiative, and stores them together", async () => {
    const code = seeded.codes.t1p1!;
    const first = await core.say("member-t1", "/ketqua");
    expect(first[0]!.text).toBe(`Kết quả đăng ký ${code} (Lao động tiên tiến):`);
    expect(first[0]!.choices!.map((c) => c.label)).toEqual(["1. Đạt", "2. Chưa đạt"]);
    expect(await texts("member-t1", "có lẽ")).toEqual(['“có lẽ” không phải là một lựa chọn trong danh sách. Hãy chọn một mục (bấm nút hoặc gõ số thứ tự).', `Kết quả đăng ký ${code} (Lao động tiên tiến):`]);
    expect(await texts("member-t1", "Đạt")).toEqual(["Ghi chú thêm về kết quả (không bắt buộc, tối đa 300 ký tự)? (Có thể xuống dòng.)"]);
    expect(await texts("member-t1", "Vượt chỉ tiêu")).toEqual(['Công trình, sản phẩm "Chỉnh trang thư viện trường":']);
    expect(await core.repositories.pledges.results([seeded.pledges.t1p1!.id])).toEqual([]);
    expect(await texts("member-t1", "2")).toEqual(['Sáng kiến "Số hoá sổ điểm":']);
    expect(await texts("member-t1", "Hoàn thành")).toEqual([
      [`✅ Đã ghi kết quả của đăng ký ${code}:`, "• Lao động tiên tiến: Đạt (Vượt chỉ tiêu)", "• Chỉnh trang thư viện trường: Đang làm", "• Số hoá sổ điểm: Hoàn thành"].join("\n"),
    ]);
    const t1 = (await core.repositories.subscribers.find("web", "member-t1"))!;
    const stored = await core.repositories.pledges.results([seeded.pledges.t1p1!.id]);
    expect(stored.map((r) => [r.item, r.outcome, r.note, r.subscriberId])).toEqual([
      ["pledge", "achieved", "Vượt chỉ tiêu", t1.id],
      ["work:0", "in-progress", null, t1.id],
      ["initiative:0", "done", null, t1.id],
    ]);
    expect((await core.repositories.pledges.history(seeded.pledges.t1p1!.id)).at(-1)).toMatchObject({ action: "result", subscriberId: t1.id });
    // Answered again later: the latest answer replaces the earlier one.
    await core.say("member-t1", "/ketqua");
    await core.say("member-t1", "Chưa đạt");
    await core.say("member-t1", "Không ghi chú");
    await core.say("member-t1", "Hoàn thành");
    await core.say("member-t1", "Hoàn thành");
    expect((await core.repositories.pledges.results([seeded.pledges.t1p1!.id])).map((r) => [r.item, r.outcome, r.note])).toEqual([
      ["pledge", "not-achieved", null],
      ["work:0", "done", null],
      ["initiative:0", "done", null],
    ]);
  });

  it("refuses a pledge that is not approved, not one's own, or none at all", async () => {
    expect(await texts("member-t1", `/ketqua ${seeded.codes.t1p2}`)).toEqual([`Đăng ký ${seeded.codes.t1p2} chưa được duyệt; chỉ báo kết quả cho đăng ký đã được công đoàn duyệt.`]);
    expect((await texts("member-t1", `/ketqua ${seeded.codes.g1}`))[0]).toContain(seeded.codes.g1!);
    expect((await texts("member-t1", `/ketqua ${seeded.codes.g1}`))[0]).not.toMatch(/^Kết quả/);
    expect(await texts("member-d2", "/results")).toEqual(["Bạn chưa có đăng ký nào đã được duyệt để báo kết quả. Gõ /camket để xem các đăng ký của bạn."]);
    expect(await core.db.prisma.pledgeResult.count()).toBe(0);
  });

  it("asks for results once when the phase ends, each member with an approved pledge of it, outside quiet hours", async () => {
    const deps = { ...core.repositories, timezone: "Asia/Ho_Chi_Minh", quietHours: DEFAULT_QUIET_HOURS };
    expect(await planResultRequests(deps, new Date("2025-06-30T10:00:00Z"))).toBe(0);
    // 01/07/2025 05:00 in Vietnam: quiet hours until 07:00, the push is due at 08:00.
    expect(await planResultRequests(deps, new Date("2025-06-30T22:00:00Z"))).toBe(3);
    expect(await planResultRequests(deps, new Date("2025-07-01T02:00:00Z"))).toBe(0);
    const rows = await core.db.prisma.notification.findMany({ where: { eventType: "results-request" }, orderBy: { chatId: "asc" } });
    expect(rows.map((r) => r.chatId)).toEqual(["member-d1", "member-g1", "member-t1"]);
    expect(rows.every((r) => r.notBefore.toISOString() === "2025-07-01T01:00:00.000Z")).toBe(true);
    expect(rows.at(-1)!.text).toBe(`🏁 Đợt 1 đã kết thúc. Hãy báo kết quả đăng ký ${seeded.codes.t1p1} của bạn (Đạt / Chưa đạt, công trình và sáng kiến hoàn thành hay đang làm): chọn bên dưới, hoặc gõ /ketqua ${seeded.codes.t1p1}.`);
    // One choice per pledge, its value the command that opens that pledge's questions.
    expect(JSON.parse(rows.at(-1)!.choices!)).toEqual([{ label: `Báo kết quả ${seeded.codes.t1p1}`, value: `/ketqua ${seeded.codes.t1p1}` }]);
  });
});
