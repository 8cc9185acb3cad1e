// The overview's registrations-per-day chart counts in the database (grouped by quarter hour, then into local days):
// on both providers, a registration one millisecond before local midnight and one at midnight land in different days,
// in the officer's time zone (Asia/Ho_Chi_Minh and a zone with a 45-minute offset), and only active individual
// registrations of the phase in the units asked for count.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type OpenDatabase } from "../../src/db/client.js";
import { PrismaConsoleQueries } from "../../src/db/console-repository.js";
import { migrate } from "../../src/db/migrator.js";
import { addDays, startOfLocalDay } from "../../src/domain/clock.js";
import { PROVIDERS, freshDatabase, type TestDatabase } from "./helpers.js";

for (const c of PROVIDERS) {
  describe.skipIf(c.skip)(`per-day registrations on ${c.label}`, () => {
    let tdb: TestDatabase;
    let db: OpenDatabase;
    let campaignId: number;
    let unitA: number;
    let unitB: number;
    let seq = 0;

    const pledge = async (at: Date, over: { unitId?: number; phaseNumber?: number; status?: string; kind?: string } = {}) => {
      seq++;
      const person = await db.prisma.subscriber.create({ data: { channel: "telegram", chatId: `pd-${seq}`, unitId: unitA, locale: "vi", role: "member", status: "active" } });
      await db.prisma.pledge.create({
        data: { code: `PD-${seq}`, campaignId, phaseNumber: 1, subscriberId: person.id, kind: "individual", unitId: unitA, fullName: `Người ${seq}`, commitment: "x", status: "active", createdAt: at, updatedAt: at, ...over },
      });
    };

    beforeAll(async () => {
      tdb = await freshDatabase(c.provider);
      await migrate(tdb.url);
      db = openDatabase(tdb.url);
      const campaign = await db.prisma.campaign.create({
        data: { slug: "pd", year: 2025, title: "t", theme: "t", ownerName: "o", startDate: "2025-05-01", endDate: "2025-06-30", definition: "{}" },
      });
      campaignId = campaign.id;
      unitA = (await db.prisma.unit.create({ data: { code: "A", name: "A", memberCount: 10 } })).id;
      unitB = (await db.prisma.unit.create({ data: { code: "B", name: "B", memberCount: 10 } })).id;
      // Midnight of 2025-05-02 in Ho Chi Minh City is 2025-05-01T17:00Z; in Kathmandu (+05:45) 2025-05-01T18:15Z.
      await pledge(new Date("2025-04-30T16:59:59.999Z")); // before the first day: not counted
      await pledge(new Date("2025-04-30T17:00:00.000Z")); // 1 May, 00:00 local
      await pledge(new Date("2025-05-01T16:59:59.999Z")); // 1 May, 23:59:59.999 local
      await pledge(new Date("2025-05-01T17:00:00.000Z")); // 2 May, 00:00 local
      await pledge(new Date("2025-05-01T18:14:59.999Z")); // 2 May local; 1 May in Kathmandu
      await pledge(new Date("2025-05-01T18:15:00.000Z")); // 2 May in both
      await pledge(new Date("2025-05-02T20:00:00.000Z")); // 3 May local
      await pledge(new Date("2025-05-09T03:00:00.000Z")); // after the last day asked for: counted in the last one
      await pledge(new Date("2025-05-01T03:00:00.000Z"), { unitId: unitB }); // another unit
      await pledge(new Date("2025-05-01T03:00:00.000Z"), { phaseNumber: 2 });
      await pledge(new Date("2025-05-01T03:00:00.000Z"), { status: "withdrawn" });
      await pledge(new Date("2025-05-01T03:00:00.000Z"), { kind: "collective" });
    });

    afterAll(async () => {
      await db?.close();
      await tdb?.drop();
    });

    const days = (tz: string) => [0, 1, 2].map((i) => startOfLocalDay(addDays("2025-05-01", i), tz));

    it("counts each registration in its local day (Asia/Ho_Chi_Minh)", async () => {
      const queries = new PrismaConsoleQueries(db.prisma, c.provider);
      expect(await queries.pledgesPerDay(campaignId, 1, [unitA], days("Asia/Ho_Chi_Minh"))).toEqual([2, 3, 2]);
      expect(await queries.pledgesPerDay(campaignId, 1, [unitA, unitB], days("Asia/Ho_Chi_Minh"))).toEqual([3, 3, 2]);
    });

    it("and in a zone whose offset is not a whole hour (Asia/Kathmandu)", async () => {
      const queries = new PrismaConsoleQueries(db.prisma, c.provider);
      // Kathmandu's 1 May starts 2025-04-30T18:15Z: the two on 30 April fall before it, 18:14:59.999Z of 1 May is still its 1 May.
      expect(await queries.pledgesPerDay(campaignId, 1, [unitA], days("Asia/Kathmandu"))).toEqual([3, 1, 2]);
    });

    it("no days, no counts", async () => {
      expect(await new PrismaConsoleQueries(db.prisma, c.provider).pledgesPerDay(campaignId, 1, [unitA], [])).toEqual([]);
    });
  });
}
