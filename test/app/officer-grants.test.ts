// Officers: grant, list, revoke (issue 9 point 3), through the real conversation core and the admin CLI's command
// table on a real database (SQLite, and PostgreSQL when TEST_POSTGRES_URL is set).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../src/admin/cli.js";
import { COMMANDS } from "../../src/admin/commands.js";
import { createBot } from "../../src/app/bot.js";
import type { Conversation } from "../../src/app/conversation.js";
import { generateInviteCode, hashInviteCode } from "../../src/app/invite-codes.js";
import { enqueueBroadcast, reportFinishedBroadcasts } from "../../src/app/broadcast-dispatch.js";
import { revokeOfficer } from "../../src/app/officer-revocation.js";
import type { IncomingMessage, OutgoingMessage } from "../../src/app/ports.js";
import { PROVIDERS } from "../db/helpers.js";
import { captureLogger, type CapturedLogger } from "../support/capture-logger.js";
import { startCore, type CoreHarness } from "../support/core-harness.js";

const MAY_19_2025 = new Date("2025-05-19T01:00:00Z");
const MINUTE = 60_000;


for (const { provider, label, skip } of PROVIDERS) describe.skipIf(skip)(`officer grants (${label})`, () => {
  let core: CoreHarness;
  let bot: Conversation;
  let log: CapturedLogger;
  const clock = { now: MAY_19_2025 };

  beforeAll(async () => {
    core = await startCore({ now: MAY_19_2025, provider });
    log = captureLogger();
    bot = createBot({ ...core.repositories, timezone: "Asia/Ho_Chi_Minh", now: () => clock.now, logger: log.logger });
  });
  afterAll(async () => core?.close());

  async function say(chatId: string, text: string, extra: Partial<IncomingMessage> = {}): Promise<string> {
    const out: OutgoingMessage[] = [];
    await bot.handle({ channel: "web", chatId, text, ...extra }, async (m) => void out.push(m));
    return out.map((m) => m.text).join("\n---\n");
  }
  const unitId = async (code: string) => (await core.repositories.units.findByCode(code))!.id;
  async function invite(unitCode: string): Promise<string> {
    const code = generateInviteCode();
    await core.repositories.invites.create({ codeHash: hashInviteCode(code), role: "officer", unitId: await unitId(unitCode), expiresAt: new Date(MAY_19_2025.getTime() + 7 * 86_400_000) });
    return code;
  }
  async function admin(...argv: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(argv, COMMANDS, { out: (l) => out.push(l), err: (l) => err.push(l) }, { DATABASE_URL: core.databaseUrl });
    return { code, out, err };
  }
  const subscriber = (chatId: string) => core.repositories.subscribers.find("web", chatId);

  it("a redeemed code is an explicit grant (invitation, unit, time) and does not move the member's own unit; scope is the grant, never the own unit", async () => {
    await say("gv-1", "/start");
    await say("gv-1", "/huy");
    await core.repositories.subscribers.setUnit((await subscriber("gv-1"))!.id, await unitId("CDCS-THPT-TP"));
    expect((await subscriber("gv-1"))?.unitId).toBe(await unitId("CDCS-THPT-TP"));
    const code = await invite("CDCS-DIENLUC");
    expect(await say("gv-1", `/canbo ${code}`)).toBe(
      "Bạn đã được ghi nhận là cán bộ công đoàn của Công đoàn Công ty Điện lực Lai Châu, chi nhánh Tam Đường (CDCS-DIENLUC). Các lệnh dành cho cán bộ: /thongke, /xuat, /thongbao.\n" +
        "Đơn vị của bạn khi là đoàn viên vẫn là Công đoàn cơ sở Trường THPT Thành phố Lai Châu (CDCS-THPT-TP); đổi bằng /donvi nếu cần.",
    );
    const person = (await subscriber("gv-1"))!;
    expect(person).toMatchObject({ role: "officer", unitId: await unitId("CDCS-THPT-TP") });
    const grant = await core.repositories.officerGrants.live(person.id);
    const invitation = await core.db.prisma.inviteCode.findUnique({ where: { codeHash: hashInviteCode(code) } });
    expect(grant).toMatchObject({ subscriberId: person.id, unitId: await unitId("CDCS-DIENLUC"), inviteId: invitation!.id, grantedAt: MAY_19_2025, revokedAt: null });
    // Changing the own unit to the federation's root widens nothing: the scope is the grant's unit.
    await core.repositories.subscribers.setUnit(person.id, await unitId("LDLD-LC"));
    expect(await say("gv-1", "/thongke")).toContain("Phạm vi: Công đoàn Công ty Điện lực Lai Châu, chi nhánh Tam Đường (CDCS-DIENLUC).");
    // Logged with subscriber id and unit, never the code.
    const granted = log.records().find((r) => r.msg === "officer granted");
    expect(granted).toMatchObject({ subscriberId: person.id, unitId: await unitId("CDCS-DIENLUC") });
    for (const line of log.lines) expect(line).not.toContain(code);
    for (const line of log.lines) expect(line).not.toContain(code.replaceAll("-", ""));
  });

  it("officer list and officer revoke <code>: a revoked officer's /xuat and /thongke are refused at once, a broadcast being composed ends, and they are told once through the outbox", async () => {
    const code = await invite("CDGD");
    await say("gd-1", "/start");
    await say("gd-1", "/huy");
    await say("gd-1", `/canbo ${code}`);
    const person = (await subscriber("gd-1"))!;
    expect(await say("gd-1", "/thongke")).toContain("📊 Thống kê đăng ký thi đua");
    expect(await say("gd-1", "/thongbao")).toContain("trong phạm vi Công đoàn Giáo dục tỉnh (CDGD)");

    const list = await admin("officer", "list");
    expect(list.code).toBe(0);
    expect(list.out.some((l) => l.includes(`subscriber ${person.id} (web)`) && l.includes("Công đoàn Giáo dục tỉnh (CDGD)") && l.includes("— live"))).toBe(true);

    const revoked = await admin("officer", "revoke", code.toLowerCase());
    expect(revoked.code).toBe(0);
    expect(revoked.out.at(-1)).toBe("1 grant revoked; 1 message queued to tell the person (sent by the running bot)");
    expect(await core.repositories.officerGrants.live(person.id)).toBeNull();
    expect((await subscriber("gd-1"))?.role).toBe("member");

    // At once: the very next messages.
    expect(await say("gd-1", "nội dung thông báo")).toBe("Xin lỗi, lệnh /thongbao chỉ dành cho cán bộ công đoàn. Nếu bạn là cán bộ, hãy nhận vai trò bằng mã mời: /canbo <mã>.");
    expect((await core.repositories.sessions.get("web", "gd-1"))?.flow ?? null).toBeNull();
    for (const command of ["/xuat", "/thongke", "/export", "/stats", "/thongbao"]) expect(await say("gd-1", command)).toContain("chỉ dành cho cán bộ công đoàn");

    // Told once: one outbox row, in their language; revoking again finds nothing and queues nothing.
    const told = await core.db.prisma.notification.findMany({ where: { subscriberId: person.id, eventType: "officer-revoked" } });
    expect(told.map((n) => [n.channel, n.chatId, n.status, n.text])).toEqual([
      ["web", "gd-1", "pending", "Quyền cán bộ công đoàn của bạn tại Công đoàn Giáo dục tỉnh (CDGD) đã được thu hồi. Các lệnh /thongke, /xuat, /thongbao không còn dùng được. Nếu có nhầm lẫn, hãy liên hệ LĐLĐ tỉnh."],
    ]);
    expect(await admin("officer", "revoke", code)).toEqual({ code: 1, out: [], err: ["no live officer grant for that invitation (see: officer list)"] });
    expect(await core.db.prisma.notification.count({ where: { subscriberId: person.id, eventType: "officer-revoked" } })).toBe(1);
    const all = await admin("officer", "list", "--all");
    expect(all.out.some((l) => l.includes(`subscriber ${person.id} (web)`) && /revoked .* by admin$/.test(l))).toBe(true);
  });

  it("officer revoke by subscriber id or channel:chat id; the message is in the person's language; unknown targets are one-line errors", async () => {
    await say("en-1", "/start", { languageCode: "en" });
    await say("en-1", "/cancel");
    await say("en-1", `/officer ${await invite("CDGD")}`);
    const person = (await subscriber("en-1"))!;
    expect(await say("en-1", "/stats")).toContain("Scope:");
    expect((await admin("officer", "revoke", "web:en-1")).code).toBe(0);
    expect(await say("en-1", "/export")).toBe("Sorry, /export is for union officers only. If you are an officer, claim the role with your invitation code: /officer <code>.");
    const [told] = await core.db.prisma.notification.findMany({ where: { subscriberId: person.id, eventType: "officer-revoked" } });
    expect(told?.text).toContain("Your union officer role for Công đoàn Giáo dục tỉnh (CDGD) has been revoked.");

    await say("en-2", `/officer ${await invite("CDN-YTE")}`);
    const second = (await subscriber("en-2"))!;
    expect((await admin("officer", "revoke", String(second.id))).out[0]).toBe(`revoked grant ${(await core.db.prisma.officerGrant.findFirst({ where: { subscriberId: second.id } }))!.id}: subscriber ${second.id}, unit ${await unitId("CDN-YTE")}`);
    expect(await admin("officer", "revoke", "web:nobody")).toEqual({ code: 1, out: [], err: ["no subscriber web:nobody"] });
    expect((await admin("officer", "revoke", "999999")).err).toEqual(["no live officer grant for subscriber 999999 (see: officer list)"]);
    expect((await admin("officer", "revoke")).code).toBe(1);
  });

  it("/canbo is throttled per chat (5 tries in 15 minutes) with a polite message; failed tries create no subscriber row and are logged without the code", async () => {
    const good = await invite("CDGD");
    for (let i = 0; i < 5; i++) expect(await say("guesser", `/canbo AAAA-BBBB-CCC${i + 2}`)).toContain("Mã mời không đúng");
    expect(await subscriber("guesser")).toBeNull();
    // The sixth try, even with a good code, is refused and changes nothing.
    expect(await say("guesser", `/canbo ${good}`)).toBe("Bạn đã thử mã mời quá nhiều lần. Để bảo vệ mã, hãy thử lại sau 15 phút và kiểm tra kỹ từng ký tự.");
    expect(await subscriber("guesser")).toBeNull();
    expect(await core.repositories.invites.check(hashInviteCode(good), clock.now)).toMatchObject({ ok: true });
    // Another chat is not affected.
    expect(await say("other-chat", "/canbo AAAA-BBBB-CCCC")).toContain("Mã mời không đúng");

    const refused = log.records().filter((r) => r.msg === "officer code refused");
    expect(refused.length).toBeGreaterThanOrEqual(6);
    expect(refused[0]).toMatchObject({ subscriberId: null, reason: "unknown", channel: "web" });
    expect(log.records().filter((r) => r.msg === "officer code tries throttled")).toHaveLength(1);
    for (const line of log.lines) for (const typed of ["AAAA-BBBB-CCC2", "AAAABBBBCCC2", good]) expect(line).not.toContain(typed);

    clock.now = new Date(MAY_19_2025.getTime() + 15 * MINUTE + 1000);
    try {
      expect(await say("guesser", `/canbo ${good}`)).toContain("Bạn đã được ghi nhận là cán bộ công đoàn của Công đoàn Giáo dục tỉnh (CDGD).");
      const person = (await subscriber("guesser"))!;
      expect(person.role).toBe("officer");
      // A used code: refused, logged with the person and the code's unit.
      expect(await say("late", `/canbo ${good}`)).toContain("Mã mời này đã được sử dụng");
      expect(log.records().filter((r) => r.msg === "officer code refused").at(-1)).toMatchObject({ reason: "used", unitId: await unitId("CDGD"), subscriberId: null });
      expect(await subscriber("late")).toBeNull();
    } finally {
      clock.now = MAY_19_2025;
    }
  });

  it("an announcement confirmed before the revocation still finishes (headed by the unit it was sent to), also when the sender is then erased", async () => {
    const r = core.repositories;
    await say("bc-1", `/canbo ${await invite("CDCS-DIENLUC")}`);
    const sender = (await subscriber("bc-1"))!;
    const draft = await r.broadcasts.createDraft({ senderId: sender.id, audience: "subtree", unitId: await unitId("CDCS-DIENLUC"), text: "Họp lúc 8 giờ", recipients: 1, now: MAY_19_2025 });
    expect(await r.broadcasts.confirm(draft.id, MAY_19_2025)).toBe(true);
    await enqueueBroadcast({ ...r, logger: log.logger }, (await r.broadcasts.find(draft.id))!, MAY_19_2025);
    await revokeOfficer(r, { subscriberId: sender.id }, "admin", MAY_19_2025);
    await r.erasure.eraseChat("web", "bc-1");
    for (const n of await core.db.prisma.notification.findMany({ where: { broadcastId: draft.id } })) await r.outbox.markSent(n.id, MAY_19_2025);
    await reportFinishedBroadcasts({ ...r, logger: log.logger }, MAY_19_2025);
    expect((await r.broadcasts.find(draft.id))?.status).toBe("done");
    expect(log.records().filter((x) => x.msg === "reporting a finished broadcast failed")).toEqual([]);
  });

  it("revokeOfficer itself: a person with two grants keeps the officer role until both are gone", async () => {
    await say("two", `/canbo ${await invite("CDGD")}`);
    await say("two", `/canbo ${await invite("CDN-YTE")}`);
    const person = (await subscriber("two"))!;
    expect((await core.repositories.officerGrants.live(person.id))?.unitId).toBe(await unitId("CDN-YTE"));
    const r = core.repositories;
    const first = await r.officerGrants.list();
    const ofPerson = first.filter((g) => g.subscriberId === person.id);
    expect(ofPerson).toHaveLength(2);
    const { revoked, notified } = await revokeOfficer(r, { subscriberId: person.id }, "admin", MAY_19_2025);
    expect([revoked.length, notified]).toEqual([2, 2]);
    expect((await subscriber("two"))?.role).toBe("member");
  });
});
