// Coverage for a scope of more units than one chunk of ids (a federation): the repository then reads the whole
// campaign once and keeps the units asked for. A unit outside the scope, with members, bot users and registrations,
// must count nowhere; and the numbers must equal those of the same units asked for in small scopes.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type OpenDatabase } from "../../src/db/client.js";
import { migrate } from "../../src/db/migrator.js";
import { PrismaPledgeReportRepository } from "../../src/db/pledge-report-repository.js";
import { PROVIDERS, freshDatabase, type TestDatabase } from "./helpers.js";

const IN_SCOPE = 620;

for (const c of PROVIDERS) {
  describe.skipIf(c.skip)(`coverage of a large scope on ${c.label}`, () => {
    let tdb: TestDatabase;
    let db: OpenDatabase;
    let campaignId: number;
    let scope: number[];
    let outside: number;

    beforeAll(async () => {
      tdb = await freshDatabase(c.provider);
      await migrate(tdb.url);
      db = openDatabase(tdb.url);
      campaignId = (await db.prisma.campaign.create({ data: { slug: "cs", year: 2025, title: "t", theme: "t", ownerName: "o", startDate: "2025-05-01", endDate: "2025-06-30", definition: "{}" } })).id;
      await db.prisma.unit.createMany({ data: Array.from({ length: IN_SCOPE + 1 }, (_, i) => ({ code: `U${String(i).padStart(4, "0")}`, name: `U${i}`, memberCount: 4 })) });
      const units = await db.prisma.unit.findMany({ orderBy: { code: "asc" }, select: { id: true } });
      scope = units.slice(0, IN_SCOPE).map((u) => u.id);
      outside = units[IN_SCOPE]!.id;
      // Two bot users per unit; in every third unit (and the outside one) one approved, one pending registration and
      // a collective one; the first person of unit 0 registered twice (two phases): counted once.
      const targets = [...scope.filter((_, i) => i % 3 === 0), outside];
      await db.prisma.subscriber.createMany({ data: [...scope, outside].flatMap((unitId) => [0, 1].map((k) => ({ channel: "telegram", chatId: `${unitId}-${k}`, unitId, status: "active" }))) });
      const people = await db.prisma.subscriber.findMany({ where: { unitId: { in: targets } }, orderBy: { id: "asc" }, select: { id: true, unitId: true } });
      let seq = 0;
      const rows = people.map((p, i) => ({ code: `C-${++seq}`, campaignId, phaseNumber: 1, subscriberId: p.id, kind: "individual", unitId: p.unitId, fullName: "x", commitment: "x", review: i % 2 === 0 ? "approved" : "pending" }));
      rows.push({ ...rows[0]!, code: `C-${++seq}`, phaseNumber: 2 });
      for (const unitId of targets) rows.push({ code: `C-${++seq}`, campaignId, phaseNumber: 1, subscriberId: people[0]!.id, kind: "collective", unitId, fullName: "x", commitment: "x", review: "pending" });
      await db.prisma.pledge.createMany({ data: rows });
    });

    afterAll(async () => {
      await db?.close();
      await tdb?.drop();
    });

    it("counts only the units asked for, the same as asked for chunk by chunk", async () => {
      const reports = new PrismaPledgeReportRepository(db.prisma);
      const whole = await reports.coverage({ campaignId, unitIds: scope, titles: false });
      const withUnits = Math.ceil(IN_SCOPE / 3);
      expect(whole.units.map((u) => u.unitId)).toEqual(scope);
      expect(whole.total).toMatchObject({ units: IN_SCOPE, memberCount: 4 * IN_SCOPE, subscribers: 2 * IN_SCOPE, pledged: 2 * withUnits, approved: withUnits, collectiveUnits: withUnits });
      const inSmallScopes = [];
      for (let i = 0; i < scope.length; i += 100) inSmallScopes.push(...(await reports.coverage({ campaignId, unitIds: scope.slice(i, i + 100), titles: false })).units);
      expect(whole.units).toEqual(inSmallScopes);
    });
  });
}
