// The planner on a real database: each event on its day to the right audience, in each recipient's language;
// never planned twice (second tick, restart); catch-up inside the grace window; skipped with the reason outside
// it; an anniversary greeting never on a later day; quiet hours.
import { readFileSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { generateInviteCode, hashInviteCode } from "../../src/app/invite-codes.js";
import { createPlanner, type Planner } from "../../src/app/planner.js";
import { parseCampaign } from "../../src/domain/campaign-parse.js";
import { DEFAULT_QUIET_HOURS } from "../../src/domain/quiet-hours.js";
import { PROVIDERS } from "../db/helpers.js";
import { startCore, silentLogger, type CoreHarness } from "../support/core-harness.js";

const VN = "Asia/Ho_Chi_Minh";
const local = (iso: string) => new Date(`${iso}+07:00`);
const DAY = 86_400_000;

for (const { provider, label, skip } of PROVIDERS) describe.skipIf(skip)(`planner (${label})`, () => {
  let core: CoreHarness;
  let planner: Planner;
  const make = () =>
    createPlanner({ ...core.repositories, timezone: VN, quietHours: DEFAULT_QUIET_HOURS, graceMs: DAY, logger: silentLogger });

  beforeEach(async () => {
    core = await startCore({ now: local("2025-05-01T09:00:00"), provider });
    planner = make();
    // Members: Vietnamese and English, one with a unit, one stopped; an officer.
    await core.say("vi-1", "/start", { displayName: "Lò Văn Bình" });
    await core.say("vi-1", "dien luc");
    await core.say("vi-1", "1");
    await core.say("en-1", "/start", { languageCode: "en" });
    await core.say("en-1", "/cancel");
    await core.say("gone-1", "/start");
    await core.say("gone-1", "/ngung");
    const unit = await core.repositories.units.findByCode("CDGD");
    const code = generateInviteCode();
    await core.repositories.invites.create({ codeHash: hashInviteCode(code), role: "officer", unitId: unit!.id, expiresAt: local("2025-12-31T00:00:00") });
    await core.say("officer-1", "/start");
    await core.say("officer-1", "/huy");
    await core.say("officer-1", `/canbo ${code}`);
  });
  afterEach(async () => core.close());

  const rows = (where: Record<string, unknown> = {}) => core.db.prisma.notification.findMany({ where, orderBy: { id: "asc" } });
  const chatOf = async (subscriberId: number) => (await core.db.prisma.subscriber.findUnique({ where: { id: subscriberId } }))!.chatId;

  it("19/05/2025 08:00: the 135th anniversary of Hồ Chí Minh's birth to every active subscriber, in their language", async () => {
    const result = await planner.tick(local("2025-05-19T08:00:00"));
    expect(result.planned.map((p) => p.key)).toEqual(["lai-chau-2025:anniversary:sinh-nhat-bac"]);
    const sent = await rows({ eventKey: "lai-chau-2025:anniversary:sinh-nhat-bac" });
    expect(await Promise.all(sent.map((r) => chatOf(r.subscriberId)))).toEqual(["vi-1", "en-1", "officer-1"]);
    expect(sent[0]!.text).toBe(
      "🇻🇳 Hôm nay: Kỷ niệm 135 năm Ngày sinh Chủ tịch Hồ Chí Minh (19/05/1890 – 19/05/2025).\nChủ đề Đợt 1: “Mừng Đảng quang vinh - Mừng Sinh nhật Bác”",
    );
    expect(sent[1]!.text).toBe("🇻🇳 Today: 135 years since Birthday of President Ho Chi Minh (19/05/1890 – 19/05/2025).\nTheme of Phase 1: “Hail the glorious Party - Celebrate Uncle Ho's birthday”");
    expect(sent[0]!.notBefore.toISOString()).toBe(local("2025-05-19T08:00:00").toISOString());
    expect(sent[0]!.expiresAt!.toISOString()).toBe(local("2025-05-20T00:00:00").toISOString());
    // Everything earlier in both plans was missed long ago: recorded as skipped, with the reason.
    const skipped = result.skipped.map((s) => s.key);
    expect(skipped).toContain("lai-chau-2025:launch");
    expect(skipped).toContain("bac-kan-2021:anniversary:thanh-lap-cong-doan");
    expect(result.skipped.find((s) => s.key === "lai-chau-2025:anniversary:thanh-lap-dang")!.reason).toBe(
      "missed: an anniversary greeting is sent on 2025-02-03 only, and it is now 2025-05-19",
    );
  });

  it("never plans twice: a second tick, and a restarted planner, add nothing", async () => {
    await planner.tick(local("2025-05-19T08:00:00"));
    const before = (await rows()).length;
    expect((await planner.tick(local("2025-05-19T08:01:00"))).planned).toEqual([]);
    expect((await make().tick(local("2025-05-19T09:00:00"))).planned).toEqual([]);
    expect(await rows()).toHaveLength(before);
  });

  it("heads-up and phase-end reminders go to officers only; pledge reminders to those without a pledge", async () => {
    await planner.tick(local("2025-05-16T08:00:00"));
    const headsUp = await rows({ eventKey: "lai-chau-2025:anniversary-heads-up:sinh-nhat-bac" });
    expect(await Promise.all(headsUp.map((r) => chatOf(r.subscriberId)))).toEqual(["officer-1"]);
    expect(headsUp[0]!.text).toContain("⏰ Còn 3 ngày đến Kỷ niệm 135 năm Ngày sinh Chủ tịch Hồ Chí Minh");

    // vi-1 pledges for Đợt 1; the reminder 7 days before the end skips them.
    core.clock.now = local("2025-06-01T09:00:00");
    for (const answer of ["/dangky", "1", "#keep", "#skip", "1", "#done", "#done", "#no", "#no", "Phấn đấu đạt lao động tiên tiến", "#confirm"]) {
      await core.say("vi-1", answer, { displayName: "Lò Văn Bình" });
    }
    await planner.tick(local("2025-06-23T08:00:00"));
    const reminders = await rows({ eventKey: "lai-chau-2025:pledge-reminder:1:end" });
    expect(await Promise.all(reminders.map((r) => chatOf(r.subscriberId)))).toEqual(["en-1", "officer-1"]);
    expect(reminders[0]!.text).toContain("Phase 1 runs until the end of 30/06/2025, and you have not registered an emulation pledge yet.");
    const phaseEnd = await rows({ eventKey: "lai-chau-2025:phase-end:1:7" });
    expect(phaseEnd.map((r) => r.text)).toEqual([
      "⏰ Còn 7 ngày nữa là kết thúc Đợt 1 (hết ngày 30/06/2025).\nĐề nghị các cấp công đoàn chuẩn bị sơ kết, biểu dương và báo cáo kết quả về LĐLĐ tỉnh Lai Châu (qua Ban Chính sách pháp luật và Quan hệ lao động).",
    ]);
  });

  it("catches up after downtime inside the grace window, and records the rest as skipped", async () => {
    // Down from 15/06 to 16/06 10:00: the 08:00 reminder of the 16th still goes, at once.
    const late = await planner.tick(local("2025-06-16T10:00:00"));
    expect(late.planned.map((p) => p.key)).toEqual(["lai-chau-2025:phase-end:1:14"]);
    const [row] = await rows({ eventKey: "lai-chau-2025:phase-end:1:14" });
    expect(row!.notBefore.toISOString()).toBe(local("2025-06-16T10:00:00").toISOString());
    // Down until 24/06 09:00: the 7-day reminder of the 23rd is 25 hours late: skipped, said why.
    const later = await planner.tick(local("2025-06-24T09:00:00"));
    expect(later.planned).toEqual([]);
    const reason = later.skipped.find((s) => s.key === "lai-chau-2025:phase-end:1:7")!.reason;
    expect(reason).toBe("missed: due 2025-06-23T01:00:00.000Z, more than the catch-up grace before 2025-06-24T02:00:00.000Z");
    const records = await core.repositories.plannedEvents.list();
    expect(records.find((r) => r.key === "lai-chau-2025:phase-end:1:7")).toMatchObject({ status: "skipped", recipients: 0 });
  });

  it("never sends an anniversary greeting on a later day, even inside the grace window", async () => {
    const result = await planner.tick(local("2025-05-20T01:00:00"));
    expect(result.planned.map((p) => p.key)).not.toContain("lai-chau-2025:anniversary:sinh-nhat-bac");
    expect(result.skipped.find((s) => s.key === "lai-chau-2025:anniversary:sinh-nhat-bac")!.reason).toBe(
      "missed: an anniversary greeting is sent on 2025-05-19 only, and it is now 2025-05-20",
    );
  });

  it("holds pushes due in quiet hours until they end; a greeting that would end up on the next day is skipped", async () => {
    const def = parseCampaign("lai-chau-2025.yaml", readFileSync(new URL("../../prisma/campaigns/lai-chau-2025.yaml", import.meta.url), "utf8"));
    if (!def.ok) throw new Error(def.errors.join("\n"));
    await core.repositories.campaigns.upsert({ ...def.campaign, greeting_time: "22:00" });
    const result = await planner.tick(local("2025-07-01T22:00:00"));
    expect(result.planned.map((p) => p.key)).toEqual(["lai-chau-2025:phase-start:2"]);
    const [start] = await rows({ eventKey: "lai-chau-2025:phase-start:2" });
    expect(start!.notBefore.toISOString()).toBe(local("2025-07-02T07:00:00").toISOString());
    const greeting = await planner.tick(local("2025-07-28T22:00:00"));
    expect(greeting.skipped.find((s) => s.key === "lai-chau-2025:anniversary:thanh-lap-cong-doan")!.reason).toMatch(/^quiet hours last until 2025-07-29T00:00:00.000Z, after the push expires$/);
  });
});
