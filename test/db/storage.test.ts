// Repositories round-trips, the same bodies on SQLite (always) and PostgreSQL (when TEST_POSTGRES_URL is set),
// each provider on its own fresh database (SQLite temp file / PostgreSQL schema t_<random>), dropped afterwards.
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { parseCampaign } from "../../src/domain/campaign-parse.js";
import type { CampaignDefinition } from "../../src/domain/campaign.js";
import { openDatabase, type OpenDatabase } from "../../src/db/client.js";
import { createRepositories, type Repositories } from "../../src/db/index.js";
import { migrate } from "../../src/db/migrator.js";
import { PrismaUnitRepository, UnitImportError } from "../../src/db/unit-repository.js";
import { PrismaHealth } from "../../src/db/health.js";
import { validateUnitsCsv } from "../../src/admin/units-csv.js";
import { FIXTURES, PROVIDERS, REPO_ROOT, freshDatabase, type TestDatabase } from "./helpers.js";

function loadCampaign(file: string): CampaignDefinition {
  const result = parseCampaign(file, readFileSync(path.join(REPO_ROOT, "prisma", "campaigns", file), "utf8"));
  if (!result.ok) throw new Error(result.errors.join("\n"));
  return result.campaign;
}

function unitsFile(name: string): string {
  return readFileSync(path.join(FIXTURES, "units", name), "utf8");
}

for (const c of PROVIDERS) {
  describe.skipIf(c.skip)(`storage on ${c.label}`, () => {
    let tdb: TestDatabase;
    let db: OpenDatabase;
    let repos: Repositories;
    let units: PrismaUnitRepository;

    beforeAll(async () => {
      tdb = await freshDatabase(c.provider);
      await migrate(tdb.url);
      db = openDatabase(tdb.url);
      repos = createRepositories(db);
      units = new PrismaUnitRepository(db.prisma);
    });

    afterAll(async () => {
      await db?.close();
      await tdb?.drop();
    });

    beforeEach(async () => {
      await db.prisma.subscriber.deleteMany();
      await db.prisma.unit.updateMany({ data: { parentId: null } });
      await db.prisma.unit.deleteMany();
      await db.prisma.campaign.deleteMany();
    });

    async function importFixture(name: string) {
      const { rows, errors } = validateUnitsCsv(name, unitsFile(name), await units.parentCodes());
      expect(errors).toEqual([]);
      return units.importAll(rows);
    }

    it("reports its provider", () => {
      expect(db.provider).toBe(c.provider);
    });

    describe("campaigns", () => {
      it("upserting the same slug twice keeps one campaign, updated, with its phases and anniversaries replaced", async () => {
        const original = loadCampaign("lai-chau-2025.yaml");
        const first = await repos.campaigns.upsert(original, "prisma/campaigns/lai-chau-2025.yaml");
        expect(first.created).toBe(true);

        const dropped = original.anniversaries[0]!.key;
        const changed: CampaignDefinition = {
          ...original,
          theme: "Chủ đề đã sửa",
          phases: original.phases.map((p) => ({
            ...p,
            theme: `${p.theme} (sửa)`,
            anniversaries: p.anniversaries.filter((k) => k !== dropped),
          })),
          anniversaries: original.anniversaries.slice(1),
        };
        const second = await repos.campaigns.upsert(changed, "other.yaml");
        expect(second).toEqual({ id: first.id, created: false });

        expect(await db.prisma.campaign.count()).toBe(1);
        expect(await db.prisma.phase.count()).toBe(changed.phases.length);
        expect(await db.prisma.anniversary.count()).toBe(changed.anniversaries.length);
        const row = await db.prisma.campaign.findUniqueOrThrow({ where: { slug: original.slug } });
        expect(row).toMatchObject({ theme: "Chủ đề đã sửa", sourceFile: "other.yaml", year: original.year });
        expect(JSON.parse(row.definition)).toEqual(changed);
        const phases = await db.prisma.phase.findMany({ where: { campaignId: first.id }, orderBy: { number: "asc" } });
        expect(phases.map((p) => p.theme)).toEqual(changed.phases.map((p) => p.theme));

        const stored = await repos.campaigns.findBySlug(original.slug);
        expect(stored?.id).toBe(first.id);
        expect(stored?.definition).toEqual(changed);
        expect(stored?.updatedAt).toBeInstanceOf(Date);
      });

      it("stores each anniversary's occurrence in the campaign year, not its ordinal", async () => {
        const campaign = loadCampaign("lai-chau-2025.yaml");
        const { id } = await repos.campaigns.upsert(campaign);
        const rows = await db.prisma.anniversary.findMany({ where: { campaignId: id } });
        expect(rows).toHaveLength(campaign.anniversaries.length);
        for (const a of campaign.anniversaries) {
          const row = rows.find((r) => r.key === a.key)!;
          expect(row.baseDate).toBe(a.base_date);
          expect(row.date).toBe(`2025${a.base_date.slice(4)}`);
          expect(row.name).toBe(a.name);
        }
        expect(Object.keys(rows[0]!)).not.toContain("ordinal");
        const party = rows.find((r) => r.key === "thanh-lap-dang");
        expect(party).toMatchObject({ baseDate: "1930-02-03", date: "2025-02-03", phaseNumber: 1 });
      });

      it("keeps the campaign dates and owner as columns", async () => {
        const campaign = loadCampaign("bac-kan-2021.yaml");
        const { id } = await repos.campaigns.upsert(campaign);
        const row = await db.prisma.campaign.findUniqueOrThrow({ where: { id } });
        const starts = campaign.phases.map((p) => p.start).sort();
        const ends = campaign.phases.map((p) => p.end).sort();
        expect(row).toMatchObject({
          slug: "bac-kan-2021",
          year: 2021,
          ownerName: campaign.owner.name,
          startDate: starts[0],
          endDate: ends.at(-1),
          sourceFile: null,
        });
      });

      it("lists all campaigns, newest year first, and finds none for an unknown slug", async () => {
        await repos.campaigns.upsert(loadCampaign("bac-kan-2021.yaml"));
        await repos.campaigns.upsert(loadCampaign("lai-chau-2025.yaml"));
        const all = await repos.campaigns.listAll();
        expect(all.map((s) => s.slug)).toEqual(["lai-chau-2025", "bac-kan-2021"]);
        expect(all[0]!.definition.phases.length).toBeGreaterThan(0);
        expect(await repos.campaigns.findBySlug("khong-co")).toBeNull();
      });

      it("two simultaneous first loads of one slug end as one campaign", async () => {
        const campaign = loadCampaign("lai-chau-2025.yaml");
        const results = await Promise.all([repos.campaigns.upsert(campaign), repos.campaigns.upsert(campaign)]);
        expect(results.filter((r) => r.created)).toHaveLength(1);
        expect(new Set(results.map((r) => r.id)).size).toBe(1);
        expect(await db.prisma.campaign.count()).toBe(1);
        expect(await db.prisma.phase.count()).toBe(campaign.phases.length);
      });
    });

    describe("units", () => {
      it("imports a good file (BOM, parent after its child, empty member_count) and links the tree", async () => {
        expect(await importFixture("good.csv")).toEqual({ created: 5, updated: 0 });
        expect(await repos.units.count()).toBe(5);
        const root = await repos.units.findByCode("LDLD-LC");
        const gd = await repos.units.findByCode("CDGD");
        const school = await repos.units.findByCode("CDCS-THPT-TP");
        expect(root).toMatchObject({ name: "Liên đoàn Lao động tỉnh Lai Châu", parentId: null, memberCount: 0 });
        expect(gd).toMatchObject({ name: "Công đoàn Giáo dục tỉnh", parentId: root!.id, memberCount: 5200 });
        expect(school?.parentId).toBe(gd!.id);
        expect((await repos.units.findByCode("CDCS-DIENLUC"))?.name).toBe(
          "Công đoàn Công ty Điện lực Lai Châu, chi nhánh Tam Đường",
        );
        expect((await repos.units.findByCode("CDN-YTE"))?.memberCount).toBe(0);
        expect(await repos.units.findById(gd!.id)).toEqual(gd);
        expect(await repos.units.findByCode("KHONG-CO")).toBeNull();
        expect(await repos.units.findById(999_999)).toBeNull();
      });

      it("re-importing updates by code, and a parent may be a unit already stored", async () => {
        await importFixture("good.csv");
        expect(await importFixture("update.csv")).toEqual({ created: 1, updated: 1 });
        expect(await repos.units.count()).toBe(6);
        const health = await repos.units.findByCode("CDN-YTE");
        expect(health).toMatchObject({ name: "Công đoàn Ngành Y tế tỉnh Lai Châu", memberCount: 1450 });
        expect((await repos.units.findByCode("CDCS-BVDK"))?.parentId).toBe(health!.id);
        expect((await repos.units.search("y te tinh lai chau", 10)).map((u) => u.code)).toEqual(["CDN-YTE"]);
        expect(await importFixture("good.csv")).toEqual({ created: 0, updated: 5 });
      });

      it("reports every bad row of a file with its line number, and imports nothing", async () => {
        const { errors } = validateUnitsCsv("bad.csv", unitsFile("bad.csv"), await units.parentCodes());
        expect(errors).toEqual([
          "bad.csv: line 3: code is missing",
          "bad.csv: line 4: name is missing",
          'bad.csv: line 5: duplicate code "LDLD-LC" (first on line 2)',
          'bad.csv: line 6: member_count "-5" is not a non-negative integer',
          'bad.csv: line 7: member_count "12.5" is not a non-negative integer',
          'bad.csv: line 8: parent_code "KHONG-CO" is neither in the file nor in the database',
          "bad.csv: line 10: parent cycle: CDCS-D → CDCS-E → CDCS-D",
          "bad.csv: line 11: parent cycle: CDCS-E → CDCS-D → CDCS-E",
          "bad.csv: line 12: parent cycle: CDCS-F → CDCS-F",
          "bad.csv: line 13: expected 4 fields, found 3",
          'bad.csv: line 14: member_count "abc" is not a non-negative integer',
        ]);
        expect(await repos.units.count()).toBe(0);
      });

      it("finds a cycle through units already stored", async () => {
        await importFixture("good.csv");
        const before = await db.prisma.unit.findMany({ orderBy: { code: "asc" } });
        const file = unitsFile("cycle-through-db.csv");
        const { rows, errors } = validateUnitsCsv("cycle-through-db.csv", file, await units.parentCodes());
        expect(errors).toEqual(["cycle-through-db.csv: line 2: parent cycle: LDLD-LC → CDCS-THPT-TP → CDGD → LDLD-LC"]);
        // The repository refuses it too, changing nothing.
        await expect(repos.units.importAll(rows)).rejects.toThrow(UnitImportError);
        expect(await db.prisma.unit.findMany({ orderBy: { code: "asc" } })).toEqual(before);
      });

      it("refuses an unknown parent inside importAll and rolls the whole import back", async () => {
        await expect(
          repos.units.importAll([
            { code: "A", name: "A", parentCode: null, memberCount: 1 },
            { code: "B", name: "B", parentCode: "NOPE", memberCount: 1 },
          ]),
        ).rejects.toThrow(/unknown parent code NOPE/);
        expect(await repos.units.count()).toBe(0);
      });

      it("rejects a header without the four columns", async () => {
        const { errors } = validateUnitsCsv("bad-header.csv", unitsFile("bad-header.csv"), new Map());
        expect(errors).toEqual([
          'bad-header.csv: line 1: the header must be code,name,parent_code,member_count (missing column(s) name; unknown column(s) "ten")',
        ]);
      });

      it("searches name and code ignoring case and diacritics", async () => {
        await importFixture("good.csv");
        const codes = async (q: string, limit = 10) => (await repos.units.search(q, limit)).map((u) => u.code);
        // Ordered by the folded name, the same on both providers whatever the database collation.
        expect(await codes("cong doan")).toEqual(["CDCS-THPT-TP", "CDCS-DIENLUC", "CDGD", "CDN-YTE"]);
        expect(await codes("CÔNG ĐOÀN giáo dục")).toEqual(["CDGD"]);
        expect(await codes("Công Đoàn Giáo Dục")).toEqual(["CDGD"]);
        expect(await codes("dien luc")).toEqual(["CDCS-DIENLUC"]);
        expect(await codes("Điện Lực")).toEqual(["CDCS-DIENLUC"]);
        expect(await codes("tam duong")).toEqual(["CDCS-DIENLUC"]);
        expect(await codes("đường tam")).toEqual(["CDCS-DIENLUC"]);
        expect(await codes("lien doan")).toEqual(["LDLD-LC"]);
        expect(await codes("thpt")).toEqual(["CDCS-THPT-TP"]);
        // A code typed exactly (any case) comes first, even when others match by name.
        expect((await codes("cdgd"))[0]).toBe("CDGD");
        expect((await codes("ldld-lc"))[0]).toBe("LDLD-LC");
        expect(await codes("lai chau", 2)).toHaveLength(2);
        expect(await codes("khong co")).toEqual([]);
        expect(await codes("")).toEqual([]);
        expect(await codes("   ")).toEqual([]);
        // LIKE wildcards are not wildcards here.
        expect(await codes("%")).toEqual([]);
        expect(await codes("_")).toEqual([]);
      });
    });

    describe("subscribers", () => {
      it("registers a new subscriber as an active member with the given locale", async () => {
        const s = await repos.subscribers.register({ channel: "telegram", chatId: "1001", displayName: "Nguyễn Văn An", locale: "vi" });
        expect(s).toMatchObject({
          channel: "telegram",
          chatId: "1001",
          displayName: "Nguyễn Văn An",
          role: "member",
          unitId: null,
          locale: "vi",
          status: "active",
        });
        expect(s.createdAt).toBeInstanceOf(Date);
        expect(await repos.subscribers.find("telegram", "1001")).toEqual(s);
        expect(await repos.subscribers.find("zalo", "1001")).toBeNull();
      });

      it("register again reactivates, refreshes the display name, and keeps locale and unit", async () => {
        await importFixture("good.csv");
        const unit = await repos.units.findByCode("CDGD");
        const s = await repos.subscribers.register({ channel: "zalo", chatId: "z-9", displayName: "An", locale: "vi" });
        await repos.subscribers.setLocale(s.id, "en");
        await repos.subscribers.setUnit(s.id, unit!.id);
        await repos.subscribers.setStatus(s.id, "stopped");
        expect((await repos.subscribers.find("zalo", "z-9"))?.status).toBe("stopped");

        const again = await repos.subscribers.register({ channel: "zalo", chatId: "z-9", displayName: "Bình", locale: "vi" });
        expect(again).toMatchObject({ id: s.id, status: "active", displayName: "Bình", locale: "en", unitId: unit!.id });

        await repos.subscribers.setStatus(s.id, "blocked");
        const noName = await repos.subscribers.register({ channel: "zalo", chatId: "z-9", locale: "vi" });
        expect(noName).toMatchObject({ id: s.id, status: "active", displayName: "Bình" });
        expect(await db.prisma.subscriber.count()).toBe(1);
      });

      it("setLocale, setUnit (and back to none), setStatus", async () => {
        await importFixture("good.csv");
        const unit = await repos.units.findByCode("CDCS-THPT-TP");
        const s = await repos.subscribers.register({ channel: "web", chatId: "w1", locale: "vi" });
        expect(s.displayName).toBeNull();
        await repos.subscribers.setLocale(s.id, "en");
        await repos.subscribers.setUnit(s.id, unit!.id);
        expect(await repos.subscribers.find("web", "w1")).toMatchObject({ locale: "en", unitId: unit!.id });
        await repos.subscribers.setUnit(s.id, null);
        await repos.subscribers.setStatus(s.id, "stopped");
        expect(await repos.subscribers.find("web", "w1")).toMatchObject({ unitId: null, status: "stopped" });
      });

      it("the same chat id on two channels is two subscribers; simultaneous first registrations make one", async () => {
        const [a, b] = await Promise.all([
          repos.subscribers.register({ channel: "telegram", chatId: "42", locale: "vi" }),
          repos.subscribers.register({ channel: "telegram", chatId: "42", locale: "vi" }),
        ]);
        expect(a.id).toBe(b.id);
        const other = await repos.subscribers.register({ channel: "web", chatId: "42", locale: "en" });
        expect(other.id).not.toBe(a.id);
        expect(await db.prisma.subscriber.count()).toBe(2);
      });
    });

    it("health: the database is reachable", async () => {
      expect(await repos.health.databaseReachable()).toBe(true);
    });
  });
}

describe("health without a database", () => {
  it("reports an unreachable PostgreSQL as false, without throwing", async () => {
    const db = openDatabase("postgresql://postgres@127.0.0.1:1/none");
    try {
      expect(await new PrismaHealth(db.prisma, 3000).databaseReachable()).toBe(false);
    } finally {
      await db.close().catch(() => undefined);
    }
  });
});
