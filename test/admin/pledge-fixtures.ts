// Pledges for the report and export tests, stored through the real repositories on the core harness's database
// (the fixture unit tree: LDLD-LC → CDGD → CDCS-THPT-TP; LDLD-LC → CDCS-DIENLUC; LDLD-LC → CDN-YTE).
//
//   unit            subscribers (active)                    lai-chau-2025 pledges
//   CDGD            g1, officer oGD (invited for CDGD)      g1 LĐTT; oGD collective TTLĐXS
//   CDCS-THPT-TP    t1, t2, t3 (+ t4 stopped)               t1 ×2 (phase 1 LĐTT, phase 2 CSTĐCS); t2 LĐTT+CSTĐCS;
//                                                            t3 LĐTT withdrawn
//   CDCS-DIENLUC    d1, d2 (Zalo), officer oDL              d1 LĐTT; d2 LĐTT; oDL collective TTLĐTT
//   (no unit)       n1                                      n1 LĐTT (unit null)
//   bac-kan-2021:   t2 in CDCS-THPT-TP (another campaign: never in lai-chau-2025 numbers)
import { generateInviteCode, hashInviteCode } from "../../src/app/invite-codes.js";
import type { ChannelName, Pledge, PledgeDraft, PledgeItem } from "../../src/app/ports.js";
import type { CoreHarness } from "../support/core-harness.js";

/** 19/05/2025 08:00 in Vietnam: phase 1 of lai-chau-2025 is running, bac-kan-2021 has ended. */
export const MAY_19_2025 = new Date("2025-05-19T01:00:00Z");

/** A commitment with a comma, double quotes and a line break: the CSV must quote it and keep it intact. */
export const TRICKY_COMMITMENT = 'Phấn đấu hoàn thành xuất sắc nhiệm vụ, đạt danh hiệu "Lao động tiên tiến"\nvà tham gia đầy đủ các phong trào.';

export const TITLE = {
  ldtt: { type: "title", key: "lao-dong-tien-tien", name: "Lao động tiên tiến" },
  cstdcs: { type: "title", key: "chien-si-thi-dua-co-so", name: "Chiến sĩ thi đua cơ sở" },
  ttldtt: { type: "title", key: "tap-the-lao-dong-tien-tien", name: "Tập thể lao động tiên tiến" },
  ttldxs: { type: "title", key: "tap-the-lao-dong-xuat-sac", name: "Tập thể lao động xuất sắc" },
} as const satisfies Record<string, PledgeItem>;

export interface Seeded {
  unitIds: Record<"LDLD-LC" | "CDGD" | "CDCS-THPT-TP" | "CDCS-DIENLUC" | "CDN-YTE", number>;
  campaignIds: { laiChau: number; bacKan: number };
  /** Receipt codes by name, e.g. codes.t1p1. */
  codes: Record<string, string>;
  pledges: Record<string, Pledge>;
  /** Chat ids (channel "web" unless noted) of the two officers. */
  officers: { gd: string; dl: string };
}

export async function seedPledges(core: CoreHarness): Promise<Seeded> {
  const r = core.repositories;
  const unit = async (code: string) => (await r.units.findByCode(code))!.id;
  const unitIds = {
    "LDLD-LC": await unit("LDLD-LC"),
    CDGD: await unit("CDGD"),
    "CDCS-THPT-TP": await unit("CDCS-THPT-TP"),
    "CDCS-DIENLUC": await unit("CDCS-DIENLUC"),
    "CDN-YTE": await unit("CDN-YTE"),
  };
  const laiChau = (await r.campaigns.findBySlug("lai-chau-2025"))!;
  const bacKan = (await r.campaigns.findBySlug("bac-kan-2021"))!;

  const member = async (chatId: string, unitId: number | null, channel: ChannelName = "web") => {
    const s = await r.subscribers.register({ channel, chatId, displayName: chatId, locale: "vi" });
    await r.subscribers.setUnit(s.id, unitId);
    return s.id;
  };
  /** An officer the real way: an invitation for the unit, redeemed with /canbo through the core. */
  const officer = async (chatId: string, unitId: number) => {
    const code = generateInviteCode();
    await r.invites.create({ codeHash: hashInviteCode(code), role: "officer", unitId, expiresAt: new Date(MAY_19_2025.getTime() + 86_400_000) });
    const replies = await core.say(chatId, `/canbo ${code}`);
    if (!replies[0]?.text.includes("cán bộ công đoàn của")) throw new Error(`officer ${chatId} not made: ${replies[0]?.text}`);
    return (await r.subscribers.find("web", chatId))!.id;
  };

  const t1 = await member("member-t1", unitIds["CDCS-THPT-TP"]);
  const t2 = await member("member-t2", unitIds["CDCS-THPT-TP"]);
  const t3 = await member("member-t3", unitIds["CDCS-THPT-TP"]);
  const t4 = await member("member-t4", unitIds["CDCS-THPT-TP"]);
  await r.subscribers.setStatus(t4, "stopped");
  const g1 = await member("member-g1", unitIds.CDGD);
  const d1 = await member("member-d1", unitIds["CDCS-DIENLUC"]);
  const d2 = await member("member-d2", unitIds["CDCS-DIENLUC"], "zalo");
  const n1 = await member("member-n1", null, "telegram");
  const oGD = await officer("officer-gd-0001", unitIds.CDGD);
  const oDL = await officer("officer-dl-0001", unitIds["CDCS-DIENLUC"]);

  const pledges: Record<string, Pledge> = {};
  const pledge = async (
    name: string,
    by: number,
    at: string,
    draft: Partial<PledgeDraft> & Pick<PledgeDraft, "fullName" | "unitId" | "items">,
    prefix = "LC25",
  ) => {
    const full: PledgeDraft = {
      campaignId: laiChau.id,
      phaseNumber: 1,
      kind: "individual",
      position: null,
      commitment: "Hoàn thành tốt nhiệm vụ được giao.",
      ...draft,
    };
    pledges[name] = await r.pledges.create(full, by, prefix, new Date(at));
  };

  await pledge("t1p1", t1, "2025-05-18T17:30:00Z", {
    fullName: "Nguyễn Thị Hoa",
    position: "Giáo viên",
    unitId: unitIds["CDCS-THPT-TP"],
    commitment: TRICKY_COMMITMENT,
    items: [
      TITLE.ldtt,
      { type: "movement", key: "nguoi-tot-viec-tot", name: "Người tốt, việc tốt" },
      { type: "work", name: "Chỉnh trang thư viện trường", description: "Sắp xếp lại giá sách, thêm góc đọc", anniversaryKey: "sinh-nhat-bac", targetDate: "2025-05-19" },
      { type: "initiative", name: "Số hoá sổ điểm", description: "giảm thời gian nhập điểm" },
    ],
  });
  await pledge("t1p2", t1, "2025-05-19T02:05:00Z", {
    fullName: "Nguyễn Thị Hoa",
    position: "Giáo viên",
    phaseNumber: 2,
    unitId: unitIds["CDCS-THPT-TP"],
    commitment: "Giữ vững danh hiệu, hoàn thành vượt mức chỉ tiêu năm học.",
    items: [TITLE.cstdcs],
  });
  await pledge("t2", t2, "2025-05-19T03:00:00Z", {
    fullName: "Lò Văn Bình",
    position: "Tổ trưởng chuyên môn",
    unitId: unitIds["CDCS-THPT-TP"],
    items: [
      TITLE.ldtt,
      TITLE.cstdcs,
      { type: "work", name: "Góc học tập xanh", targetDate: "2025-06-15" },
      { type: "work", name: "Sân bóng mini", anniversaryKey: "thanh-lap-cong-doan", targetDate: "2025-06-20" },
      { type: "initiative", name: "Ngân hàng đề kiểm tra" },
    ],
  });
  await pledge("t3", t3, "2025-05-19T03:10:00Z", { fullName: "Đặng Thị Mai", unitId: unitIds["CDCS-THPT-TP"], items: [TITLE.ldtt] });
  pledges.t3 = await r.pledges.withdraw(pledges.t3!.id, t3, new Date("2025-05-19T03:20:00Z"));
  await pledge("g1", g1, "2025-05-19T04:00:00Z", { fullName: "Vàng A Sử", unitId: unitIds.CDGD, items: [TITLE.ldtt] });
  await pledge("gdCollective", oGD, "2025-05-19T04:30:00Z", {
    kind: "collective",
    fullName: "Công đoàn Giáo dục tỉnh",
    position: "Chủ tịch công đoàn",
    unitId: unitIds.CDGD,
    commitment: "Tập thể phấn đấu đạt danh hiệu Tập thể lao động xuất sắc.",
    items: [TITLE.ttldxs],
  });
  await pledge("d1", d1, "2025-05-19T05:00:00Z", { fullName: "Trần Văn Điện", unitId: unitIds["CDCS-DIENLUC"], items: [TITLE.ldtt] });
  await pledge("d2", d2, "2025-05-19T05:10:00Z", { fullName: "Hà Thị Lan", unitId: unitIds["CDCS-DIENLUC"], items: [TITLE.ldtt] });
  await pledge("dlCollective", oDL, "2025-05-19T05:20:00Z", {
    kind: "collective",
    fullName: "Công đoàn Công ty Điện lực Lai Châu, chi nhánh Tam Đường",
    unitId: unitIds["CDCS-DIENLUC"],
    items: [TITLE.ttldtt],
  });
  await pledge("n1", n1, "2025-05-19T06:00:00Z", { fullName: "Giàng Thị Dua", unitId: null, items: [TITLE.ldtt] });
  await pledge(
    "bacKan",
    t2,
    "2021-03-01T01:00:00Z",
    { campaignId: bacKan.id, fullName: "Lò Văn Bình", unitId: unitIds["CDCS-THPT-TP"], items: [TITLE.ldtt] },
    "BK21",
  );

  // The unit's review: t1's phase-1 pledge, g1 and d1 approved; d2 returned; the rest pending.
  const review = async (name: string, by: number, decision: { kind: "approve" } | { kind: "return"; reason: string }) => {
    pledges[name] = (await r.pledges.review({ id: pledges[name]!.id, decision, bySubscriberId: by, now: new Date("2025-05-19T06:30:00Z"), notice: () => null }))!;
  };
  await review("t1p1", oGD, { kind: "approve" });
  await review("g1", oGD, { kind: "approve" });
  await review("d1", oDL, { kind: "approve" });
  await review("d2", oDL, { kind: "return", reason: "Thiếu chức vụ" });

  return {
    unitIds,
    campaignIds: { laiChau: laiChau.id, bacKan: bacKan.id },
    codes: Object.fromEntries(Object.entries(pledges).map(([k, p]) => [k, p.code])),
    pledges,
    officers: { gd: "officer-gd-0001", dl: "officer-dl-0001" },
  };
}

/** "dd/mm/yyyy HH:mm" in Asia/Ho_Chi_Minh, computed with Intl (independently of the code under test). */
export function vnDateTime(at: Date): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-GB", {
      timeZone: "Asia/Ho_Chi_Minh",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  return `${parts.day}/${parts.month}/${parts.year} ${parts.hour}:${parts.minute}`;
}

/** The plan's own name, which exports show instead of its slug. */
export const LAI_CHAU_TITLE = "Phát động phong trào thi đua trong công nhân, viên chức, lao động tỉnh Lai Châu năm 2025";

/** The registration dates (columns O and P) as XLSX date cells: the local wall time in a Date's UTC fields. */
export function asXlsxCells(cells: (string | number)[]): (string | number | Date)[] {
  const date = (text: string) => {
    const [d, m, y, H, M] = text.split(/[/ :]/).map(Number) as [number, number, number, number, number];
    return new Date(Date.UTC(y, m - 1, d, H, M));
  };
  return cells.map((c, i) => (i === 14 || i === 15 ? date(String(c)) : c));
}

/** The export row the fixture's pledge should become, cell by cell, as the Vietnamese CSV shows it (XLSX: asXlsxCells). */
export function expectedCells(seeded: Seeded, name: string, updatedAt: Date): (string | number)[] {
  const p = seeded.pledges[name]!;
  const cells: Record<string, (string | number)[]> = {
    t1p1: [p.code, LAI_CHAU_TITLE, 1, "Cá nhân", "Còn hiệu lực", "Nguyễn Thị Hoa", "Giáo viên", "CDCS-THPT-TP", "Công đoàn cơ sở Trường THPT Thành phố Lai Châu", "Lao động tiên tiến", "Người tốt, việc tốt", "Chỉnh trang thư viện trường (Sắp xếp lại giá sách, thêm góc đọc) — Ngày sinh Chủ tịch Hồ Chí Minh — 19/05/2025", "Số hoá sổ điểm — giảm thời gian nhập điểm", TRICKY_COMMITMENT, "19/05/2025 00:30", vnDateTime(updatedAt), "Trang web", "Đã duyệt"],
    t1p2: [p.code, LAI_CHAU_TITLE, 2, "Cá nhân", "Còn hiệu lực", "Nguyễn Thị Hoa", "Giáo viên", "CDCS-THPT-TP", "Công đoàn cơ sở Trường THPT Thành phố Lai Châu", "Chiến sĩ thi đua cơ sở", "", "", "", "Giữ vững danh hiệu, hoàn thành vượt mức chỉ tiêu năm học.", "19/05/2025 09:05", vnDateTime(updatedAt), "Trang web", "Chờ duyệt"],
    t2: [p.code, LAI_CHAU_TITLE, 1, "Cá nhân", "Còn hiệu lực", "Lò Văn Bình", "Tổ trưởng chuyên môn", "CDCS-THPT-TP", "Công đoàn cơ sở Trường THPT Thành phố Lai Châu", "Lao động tiên tiến; Chiến sĩ thi đua cơ sở", "", "Góc học tập xanh — 15/06/2025; Sân bóng mini — Ngày thành lập Công đoàn Việt Nam — 20/06/2025", "Ngân hàng đề kiểm tra", "Hoàn thành tốt nhiệm vụ được giao.", "19/05/2025 10:00", vnDateTime(updatedAt), "Trang web", "Chờ duyệt"],
    t3: [p.code, LAI_CHAU_TITLE, 1, "Cá nhân", "Đã rút", "Đặng Thị Mai", "", "CDCS-THPT-TP", "Công đoàn cơ sở Trường THPT Thành phố Lai Châu", "Lao động tiên tiến", "", "", "", "Hoàn thành tốt nhiệm vụ được giao.", "19/05/2025 10:10", vnDateTime(updatedAt), "Trang web", "Chờ duyệt"],
    g1: [p.code, LAI_CHAU_TITLE, 1, "Cá nhân", "Còn hiệu lực", "Vàng A Sử", "", "CDGD", "Công đoàn Giáo dục tỉnh", "Lao động tiên tiến", "", "", "", "Hoàn thành tốt nhiệm vụ được giao.", "19/05/2025 11:00", vnDateTime(updatedAt), "Trang web", "Đã duyệt"],
    gdCollective: [p.code, LAI_CHAU_TITLE, 1, "Tập thể", "Còn hiệu lực", "Công đoàn Giáo dục tỉnh", "Chủ tịch công đoàn", "CDGD", "Công đoàn Giáo dục tỉnh", "Tập thể lao động xuất sắc", "", "", "", "Tập thể phấn đấu đạt danh hiệu Tập thể lao động xuất sắc.", "19/05/2025 11:30", vnDateTime(updatedAt), "Trang web", "Chờ duyệt"],
  };
  const row = cells[name];
  if (!row) throw new Error(`no expected cells for ${name}`);
  return row;
}
