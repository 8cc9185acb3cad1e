// Subscriptions through the real core and a real SQLite database: /start with unit search, skip, numbered
// choices, /stop, officer invitations (good, wrong, used, expired), officer-only commands, and duplicate updates.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { generateInviteCode, hashInviteCode } from "../../src/app/invite-codes.js";
import { PROVIDERS } from "../db/helpers.js";
import { joined, startCore, type CoreHarness } from "../support/core-harness.js";

const MAY_19_2025 = new Date("2025-05-19T01:00:00Z"); // 08:00 in Vietnam

for (const { provider, label, skip } of PROVIDERS) describe.skipIf(skip)(`subscriptions and roles (${label})`, () => {
  let core: CoreHarness;
  beforeEach(async () => {
    core = await startCore({ now: MAY_19_2025, provider });
  });
  afterEach(async () => core.close());

  const subscriber = (chatId: string) => core.repositories.subscribers.find("web", chatId);

  it("/start registers, asks for the unit, finds it without diacritics, and a typed number picks it", async () => {
    const start = await core.say("u1", "/start", { displayName: "Lò Văn Bình" });
    expect(start[0]!.text).toMatch(/^Xin chào Lò Văn Bình!/);
    expect(start.at(-1)!.text).toContain("Bạn sinh hoạt ở công đoàn cơ sở nào?");
    expect(start.at(-1)!.choices).toEqual([{ label: "Bỏ qua", value: "#skip" }]);
    expect((await subscriber("u1"))?.status).toBe("active");

    const found = await core.say("u1", "dien luc");
    expect(found[0]!.text).toContain("Tìm thấy 1 đơn vị khớp với “dien luc”");
    expect(found[0]!.choices?.map((c) => c.label)).toEqual(["Công đoàn Công ty Điện lực Lai Châu, chi nhánh Tam Đường (CDCS-DIENLUC)", "Bỏ qua"]);

    const chosen = await core.say("u1", "1");
    expect(joined(chosen)).toBe("Đã ghi nhận đơn vị của bạn: Công đoàn Công ty Điện lực Lai Châu, chi nhánh Tam Đường (CDCS-DIENLUC). Gõ /donvi nếu muốn đổi.");
    const unit = await core.repositories.units.findByCode("CDCS-DIENLUC");
    expect((await subscriber("u1"))?.unitId).toBe(unit!.id);
    // The flow is over: free text is now just text.
    expect(joined(await core.say("u1", "1"))).toContain("Tôi chưa hiểu tin nhắn này");
  });

  it("finds by code, says so when nothing matches, refuses an out-of-range number, and can be skipped", async () => {
    await core.say("u2", "/start");
    expect(joined(await core.say("u2", "không có đơn vị này"))).toBe("Không tìm thấy đơn vị nào khớp với “không có đơn vị này”. Hãy gõ tên hoặc mã khác, hoặc chọn “Bỏ qua”.");
    const byCode = await core.say("u2", "cdgd");
    expect(byCode[0]!.choices?.[0]!.label).toBe("Công đoàn Giáo dục tỉnh (CDGD)");
    expect(joined(await core.say("u2", "7"))).toBe("Không có lựa chọn số 7. Hãy trả lời bằng một số trong danh sách.");
    expect(joined(await core.say("u2", "x".repeat(101)))).toContain("tối đa 100 ký tự");
    expect(joined(await core.say("u2", "bỏ qua"))).toContain("Đã bỏ qua");
    expect((await subscriber("u2"))?.unitId).toBeNull();
  });

  it("answers a command typed mid-flow and asks the question again; /huy leaves the flow", async () => {
    await core.say("u3", "/start");
    const theme = await core.say("u3", "/chude");
    expect(theme[0]!.text).toContain("Mừng Đảng quang vinh - Mừng Sinh nhật Bác");
    expect(theme.at(-1)!.text).toContain("Bạn sinh hoạt ở công đoàn cơ sở nào?");
    expect(joined(await core.say("u3", "/huy"))).toBe("Đã huỷ thao tác đang làm. Không có gì được lưu.");
    expect(joined(await core.say("u3", "/huy"))).toBe("Không có thao tác nào đang làm để huỷ.");
  });

  it("resumes the unit question after a restart of the core (state is in the database)", async () => {
    await core.say("u4", "/start");
    await core.say("u4", "giáo dục");
    await core.db.close();
    // A second core on the same database file stands in for the restarted process.
    const restarted = await startCore({ now: MAY_19_2025, databaseUrl: core.databaseUrl });
    try {
      expect(joined(await restarted.say("u4", "1"))).toContain("Đã ghi nhận đơn vị của bạn: Công đoàn Giáo dục tỉnh (CDGD)");
    } finally {
      await restarted.close();
    }
  });

  it("/start in English when the platform says so, and /ngung keeps the data", async () => {
    const start = await core.say("u5", "/start", { languageCode: "en" });
    expect(start[0]!.text).toMatch(/^Hello friend!/);
    expect(start.at(-1)!.text).toContain("Which grassroots union do you belong to?");
    await core.say("u5", "Skip");
    expect(joined(await core.say("u5", "/stop"))).toContain("You will no longer receive notifications");
    const s = await subscriber("u5");
    expect(s?.status).toBe("stopped");
    expect(s?.locale).toBe("en");
    expect((await core.say("u5", "/start"))[0]!.text).toMatch(/^Welcome back, friend!/);
    expect((await subscriber("u5"))?.status).toBe("active");
  });

  describe("officer invitations", () => {
    async function invite(unitCode: string, expiresAt: Date): Promise<string> {
      const unit = await core.repositories.units.findByCode(unitCode);
      const code = generateInviteCode();
      await core.repositories.invites.create({ codeHash: hashInviteCode(code), role: "officer", unitId: unit!.id, expiresAt });
      return code;
    }

    it("a good code makes the person an officer of the code's unit, once", async () => {
      const code = await invite("CDGD", new Date(MAY_19_2025.getTime() + 7 * 86_400_000));
      await core.say("o1", "/start");
      await core.say("o1", "/huy");
      expect(joined(await core.say("o1", "/thongke"))).toContain("chỉ dành cho cán bộ công đoàn");
      // Typed in lower case with spaces instead of dashes: still the same code.
      const typed = code.toLowerCase().replaceAll("-", " ");
      expect(joined(await core.say("o1", `/canbo ${typed}`))).toBe(
        "Bạn đã được ghi nhận là cán bộ công đoàn của Công đoàn Giáo dục tỉnh (CDGD). Các lệnh dành cho cán bộ: /thongke, /xuat, /thongbao.\n" +
          "Đơn vị của bạn khi là đoàn viên được đặt là Công đoàn Giáo dục tỉnh (CDGD); đổi bằng /donvi nếu cần.",
      );
      const officer = await subscriber("o1");
      expect(officer?.role).toBe("officer");
      expect(officer?.unitId).toBe((await core.repositories.units.findByCode("CDGD"))!.id);
      expect(joined(await core.say("o1", "/thongke"))).not.toContain("chỉ dành cho cán bộ");

      // The same code again, by someone else: used, and nothing changes for them.
      expect(joined(await core.say("o2", `/officer ${code}`, { languageCode: "en" }))).toBe(
        "That invitation code has already been used. Each code works once; ask the provincial federation for a new one.",
      );
      // A failed try stores nothing: not even a subscriber row for someone who never subscribed.
      expect(await subscriber("o2")).toBeNull();
    });

    it("a wrong code and an expired code say which, and change nothing", async () => {
      const expired = await invite("CDGD", new Date(MAY_19_2025.getTime() - 1000));
      await core.say("o3", "/start");
      expect(joined(await core.say("o3", "/canbo AAAA-BBBB-CCCC"))).toContain("Mã mời không đúng");
      expect(joined(await core.say("o3", `/canbo ${expired}`))).toContain("Mã mời này đã hết hạn");
      expect(joined(await core.say("o3", "/canbo"))).toContain("Hãy gửi mã mời kèm lệnh");
      const s = await subscriber("o3");
      expect(s?.role).toBe("member");
      // The expired code is still unused (a failed attempt does not burn it).
      const fresh = await invite("CDN-YTE", new Date(MAY_19_2025.getTime() + 1000));
      expect(joined(await core.say("o3", `/canbo ${fresh}`))).toContain("Công đoàn Ngành Y tế (CDN-YTE)");
    });

    it("members are refused every officer command politely, in their language", async () => {
      for (const command of ["/thongke", "/xuat", "/thongbao", "/stats", "/export", "/broadcast"]) {
        expect(joined(await core.say("m1", command))).toBe(
          `Xin lỗi, lệnh ${command} chỉ dành cho cán bộ công đoàn. Nếu bạn là cán bộ, hãy nhận vai trò bằng mã mời: /canbo <mã>.`,
        );
      }
      expect(joined(await core.say("m2", "/stats", { languageCode: "en" }))).toContain("Sorry, /stats is for union officers only.");
    });
  });

  it("handles a redelivered update once, even after it was handled", async () => {
    const first = await core.say("d1", "/chude", { updateKey: "42" });
    expect(first).toHaveLength(1);
    expect(await core.say("d1", "/chude", { updateKey: "42" })).toHaveLength(0);
    // Another update id is another update.
    const other = await core.say("d1", "/chude", { updateKey: "43" });
    expect(other).toHaveLength(1);
  });

  it("a 403 on reply marks the subscriber blocked instead of failing the turn", async () => {
    await core.say("b1", "/start");
    const { SendError } = await import("../../src/delivery/send-error.js");
    await core.inbound({ channel: "web", chatId: "b1", text: "/chude", updateKey: "b-1" }, async () => {
      throw new SendError({ kind: "blocked", detail: "Forbidden: bot was blocked by the user" });
    });
    expect((await subscriber("b1"))?.status).toBe("blocked");
  });
});

describe("flow expiry", () => {
  it("an abandoned flow expires after the configured time with nothing stored", async () => {
    const core = await startCore({ now: MAY_19_2025, flowTtlMs: 60_000 });
    try {
      await core.say("e1", "/start");
      core.clock.now = new Date(MAY_19_2025.getTime() + 61_000);
      expect(joined(await core.say("e1", "giáo dục"))).toContain("Tôi chưa hiểu tin nhắn này");
      expect((await core.repositories.subscribers.find("web", "e1"))?.unitId).toBeNull();
    } finally {
      await core.close();
    }
  });
});
