// Evaluation and commendation (the app-layer functions the console and the admin CLI call) on a real database (both
// providers): candidates are the people with an approved registration; nobody else can be proposed; a title must be
// the plan's, "no title" needs a reason; the level above decides, once, never on its own unit's people; the decision
// list exports; the drafted commendation goes out through the broadcast dispatch to the whole subtree.
// Fixture: test/admin/pledge-fixtures.ts (t1p1, g1, d1 approved; t2 pending; d2 returned).
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import ExcelJS from "exceljs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runCli } from "../../src/admin/cli.js";
import { COMMANDS } from "../../src/admin/commands.js";
import { broadcastCommendation, commendationDraft, decideEvaluation, decisionList, evaluationCandidates, proposeTitle } from "../../src/app/cycle/evaluation.js";
import { generateInviteCode, hashInviteCode } from "../../src/app/invite-codes.js";
import type { StoredCampaign, Unit } from "../../src/app/ports.js";
import { PROVIDERS } from "../db/helpers.js";
import { startCore, type CoreHarness } from "../support/core-harness.js";
import { MAY_19_2025, seedPledges, type Seeded } from "../admin/pledge-fixtures.js";

for (const { provider, label, skip } of PROVIDERS) describe.skipIf(skip)(`evaluation and commendation (${label})`, () => {
  let core: CoreHarness;
  let seeded: Seeded;
  let campaign: StoredCampaign;
  let gdScope: Unit[];
  let rootScope: Unit[];
  let gd: { id: number };
  let root: { id: number };

  beforeEach(async () => {
    core = await startCore({ now: new Date("2025-12-20T02:00:00Z"), provider });
    core.clock.now = new Date(MAY_19_2025.getTime() + 8 * 3_600_000);
    seeded = await seedPledges(core);
    const code = generateInviteCode();
    await core.repositories.invites.create({ codeHash: hashInviteCode(code), role: "officer", unitId: seeded.unitIds["LDLD-LC"], expiresAt: new Date(MAY_19_2025.getTime() + 86_400_000) });
    await core.say("officer-root", `/canbo ${code}`);
    core.clock.now = new Date("2025-12-20T02:00:00Z");
    campaign = (await core.repositories.campaigns.findBySlug("lai-chau-2025"))!;
    gdScope = await core.repositories.pledgeReports.unitSubtree(seeded.unitIds.CDGD);
    rootScope = await core.repositories.pledgeReports.unitSubtree(seeded.unitIds["LDLD-LC"]);
    gd = (await core.repositories.subscribers.find("web", seeded.officers.gd))!;
    root = (await core.repositories.subscribers.find("web", "officer-root"))!;
  });
  afterEach(async () => core.close());

  it("proposes only people with an approved registration, decides once at the level above, exports and commends", async () => {
    const r = core.repositories;
    const now = core.clock.now;
    const candidates = await evaluationCandidates(r, { campaign, scope: gdScope });
    expect(candidates.map((c) => [c.unit.code, c.fullName, c.pledges.map((p) => p.code)])).toEqual([
      ["CDGD", "Vàng A Sử", [seeded.codes.g1]],
      ["CDCS-THPT-TP", "Nguyễn Thị Hoa", [seeded.codes.t1p1]],
    ]);
    const propose = (code: string, titleKey: string | null, reason?: string) => proposeTitle(r, { officer: gd, scope: gdScope, campaign, pledgeCode: code, titleKey, reason, now });
    expect(await propose(seeded.codes.t2!, "lao-dong-tien-tien")).toEqual({ ok: false, reason: "notApproved" });
    expect(await propose(seeded.codes.d1!, "lao-dong-tien-tien")).toEqual({ ok: false, reason: "notFound" });
    expect(await propose(seeded.codes.g1!, "khong-co-danh-hieu")).toEqual({ ok: false, reason: "unknownTitle" });
    expect(await propose(seeded.codes.g1!, null)).toEqual({ ok: false, reason: "reasonRequired" });
    expect(await r.evaluations.list({ campaignId: campaign.id, unitIds: rootScope.map((u) => u.id) })).toEqual([]);
    expect(await propose(seeded.codes.t1p1!, "chien-si-thi-dua-co-so")).toMatchObject({ ok: true, evaluation: { titleKey: "chien-si-thi-dua-co-so", proposedById: gd.id } });
    expect(await propose(seeded.codes.g1!, "lao-dong-tien-tien")).toMatchObject({ ok: true });

    const decide = (officer: { id: number }, scope: Unit[], code: string, award: boolean, titleKey?: string) => decideEvaluation(r, { officer, scope, campaign, pledgeCode: code, award, titleKey, now });
    expect(await decide(gd, gdScope, seeded.codes.g1!, true)).toEqual({ ok: false, reason: "ownUnit" });
    expect(await decide(gd, gdScope, seeded.codes.t1p1!, true, "lao-dong-tien-tien")).toMatchObject({ ok: true, evaluation: { decision: "awarded", decidedTitle: "lao-dong-tien-tien", decidedById: gd.id } });
    expect(await decide(root, rootScope, seeded.codes.t1p1!, false)).toEqual({ ok: false, reason: "decided" });
    expect(await decide(root, rootScope, seeded.codes.d1!, true)).toEqual({ ok: false, reason: "noProposal" });
    expect(await decide(root, rootScope, seeded.codes.g1!, true)).toMatchObject({ ok: true, evaluation: { decision: "awarded", decidedTitle: "lao-dong-tien-tien", decidedById: root.id } });
    expect(await propose(seeded.codes.g1!, null, "Đổi ý")).toEqual({ ok: false, reason: "decided" });

    const rows = await decisionList(r, { campaign, scope: rootScope, locale: "vi" });
    expect(rows.map((x) => [x.unit.code, x.fullName, x.proposed, x.decision, x.title])).toEqual([
      ["CDGD", "Vàng A Sử", "Lao động tiên tiến", "awarded", "Lao động tiên tiến"],
      ["CDCS-THPT-TP", "Nguyễn Thị Hoa", "Chiến sĩ thi đua cơ sở", "awarded", "Lao động tiên tiến"],
    ]);
    const draft = commendationDraft(campaign, rows);
    expect(draft.split("\n").slice(1, 3)).toEqual(["• Công đoàn Giáo dục tỉnh: Vàng A Sử (Lao động tiên tiến)", "• Công đoàn cơ sở Trường THPT Thành phố Lai Châu: Nguyễn Thị Hoa (Lao động tiên tiến)"]);
    expect(draft.split("\n")[0]).toMatch(/^🏅 Biểu dương, khen thưởng — .*: 2 cá nhân được công nhận danh hiệu thi đua\.$/);

    const sent = await broadcastCommendation(r, { officer: root, scope: rootScope, text: `${draft}\nBan Thường vụ LĐLĐ tỉnh`, now });
    const queued = await core.db.prisma.notification.findMany({ where: { broadcastId: sent.broadcastId } });
    expect(sent.audience).toBeGreaterThan(5);
    expect(queued).toHaveLength(sent.audience);
    expect(queued.map((n) => n.chatId)).toContain("member-t1");

    const dir = await mkdtemp(path.join(tmpdir(), "evaluation-export-"));
    try {
      const io = { lines: [] as string[], out(line: string) { this.lines.push(line); }, err(line: string) { this.lines.push(`ERR ${line}`); } };
      const file = path.join(dir, "binh-xet.xlsx");
      expect(await runCli(["evaluation", "export", "--campaign", "lai-chau-2025", "--format", "xlsx", "--out", file, "--unit", "LDLD-LC"], COMMANDS, io, { DATABASE_URL: core.databaseUrl }), io.lines.join("\n")).toBe(0);
      expect(io.lines.at(-1)).toBe(`2 proposals, 2 awarded; written to ${file}`);
      const book = new ExcelJS.Workbook();
      await book.xlsx.load((await readFile(file)) as unknown as ArrayBuffer);
      expect((book.worksheets[0]!.getRow(3).values as unknown[]).slice(1)).toEqual(["CDCS-THPT-TP", "Công đoàn cơ sở Trường THPT Thành phố Lai Châu", "Nguyễn Thị Hoa", seeded.codes.t1p1, "Chiến sĩ thi đua cơ sở", "", "Công nhận", "Lao động tiên tiến"]);
      const docx = path.join(dir, "binh-xet.docx");
      expect(await runCli(["evaluation", "export", "--campaign", "lai-chau-2025", "--format", "docx", "--out", docx, "--unit", "LDLD-LC"], COMMANDS, io, { DATABASE_URL: core.databaseUrl })).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
