// The admin CLI: as a child process (`npx tsx scripts/admin.ts …`) against a temp SQLite file, and in-process
// (runCli with the same command table) on each provider.
import { spawnSync } from "node:child_process";
import { readdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../src/admin/cli.js";
import { COMMANDS } from "../../src/admin/commands.js";
import { openDatabase } from "../../src/db/client.js";
import { migrationsDirFor, readMigrations } from "../../src/db/migrator.js";
import { FIXTURES, PROVIDERS, REPO_ROOT, freshDatabase, tempDir, type TestDatabase } from "./helpers.js";

const CAMPAIGNS = path.join(REPO_ROOT, "prisma", "campaigns");
const UNITS = path.join(FIXTURES, "units");

const BAD_CSV_ERRORS = (file: string) => [
  `${file}: line 3: code is missing`,
  `${file}: line 4: name is missing`,
  `${file}: line 5: duplicate code "LDLD-LC" (first on line 2)`,
  `${file}: line 6: member_count "-5" is not a non-negative integer`,
  `${file}: line 7: member_count "12.5" is not a non-negative integer`,
  `${file}: line 8: parent_code "KHONG-CO" is neither in the file nor in the database`,
  `${file}: line 10: parent cycle: CDCS-D → CDCS-E → CDCS-D`,
  `${file}: line 11: parent cycle: CDCS-E → CDCS-D → CDCS-E`,
  `${file}: line 12: parent cycle: CDCS-F → CDCS-F`,
  `${file}: line 13: expected 4 fields, found 3`,
  `${file}: line 14: member_count "abc" is not a non-negative integer`,
  `nothing imported: 11 errors in ${file}`,
];

async function counts(url: string) {
  const db = openDatabase(url);
  try {
    return {
      campaigns: await db.prisma.campaign.count(),
      phases: await db.prisma.phase.count(),
      units: await db.prisma.unit.count(),
    };
  } finally {
    await db.close();
  }
}

describe("admin CLI as a child process (npx tsx scripts/admin.ts) on a temp SQLite file", () => {
  let dir: string;
  let url: string;

  beforeAll(() => {
    dir = tempDir("congdoan-admin-");
    url = `file:${path.join(dir, "nested", "admin.db")}`;
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function admin(...args: string[]) {
    const result = spawnSync("npx", ["tsx", "scripts/admin.ts", ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, DATABASE_URL: url },
      encoding: "utf8",
      timeout: 60_000,
    });
    const lines = (text: string) =>
      text
        .split("\n")
        .filter((l) => l !== "" && !l.startsWith("npm warn")); // npm's own notices about the machine's config
    return { code: result.status, out: lines(result.stdout), err: lines(result.stderr) };
  }

  it("campaign load: creates, then updates, applying the migrations first", () => {
    const file = path.join(CAMPAIGNS, "lai-chau-2025.yaml");
    const first = admin("campaign", "load", file);
    expect(first.err.filter((l) => l.startsWith("applied migration "))).toEqual(
      readMigrations(migrationsDirFor("sqlite")).map((m) => `applied migration ${m.name}`),
    );
    expect(first.out).toEqual([expect.stringMatching(/^created lai-chau-2025: \d+ phases?, \d+ anniversar(y|ies)$/)]);
    expect(first.code).toBe(0);
    const second = admin("campaign", "load", file);
    expect(second).toEqual({ code: 0, out: [first.out[0]!.replace(/^created/, "updated")], err: [] });
  }, 60_000);

  it("campaign load: an invalid file prints each error on its own line, exits 1 and changes nothing", async () => {
    const before = await counts(url);
    const bad = path.join(dir, "bad.yaml");
    writeFileSync(bad, "slug: lai-chau-2025\nyear: 1999\n");
    const result = admin("campaign", "load", bad);
    expect(result.code).toBe(1);
    expect(result.out).toEqual([]);
    expect(result.err).toContain(`${bad}: year 1999 must be at least 2000`);
    expect(result.err).toContain(`${bad}: phases is required`);
    expect(result.err.at(-1)).toMatch(new RegExp(`^nothing loaded: \\d+ errors in ${bad.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`));
    expect(await counts(url)).toEqual(before);
  }, 60_000);

  it("campaign list: slug, year, owner, dates, phase count", () => {
    expect(admin("campaign", "load", path.join(CAMPAIGNS, "bac-kan-2021.yaml")).code).toBe(0);
    const list = admin("campaign", "list");
    expect(list.code).toBe(0);
    expect(list.out[0]).toMatch(/^slug\s+year\s+owner\s+dates\s+phases$/);
    expect(list.out[1]).toMatch(/^lai-chau-2025\s+2025\s+LĐLĐ tỉnh Lai Châu\s+2025-\d\d-\d\d – 2025-\d\d-\d\d\s+\d+$/);
    expect(list.out[2]).toMatch(/^bac-kan-2021\s+2021\s+LĐLĐ tỉnh Bắc Kạn\s+2021-\d\d-\d\d – 2021-\d\d-\d\d\s+\d+$/);
    expect(list.out).toHaveLength(3);
  }, 60_000);

  it("units import: a bad file reports every bad row by line number and imports nothing; a good one imports", async () => {
    const bad = path.join(UNITS, "bad.csv");
    expect(admin("units", "import", bad)).toEqual({ code: 1, out: [], err: BAD_CSV_ERRORS(bad) });
    expect((await counts(url)).units).toBe(0);

    const good = path.join(UNITS, "good.csv");
    expect(admin("units", "import", good)).toEqual({ code: 0, out: [`imported 5 units from ${good}: 5 created, 0 updated`], err: [] });
    const update = path.join(UNITS, "update.csv");
    expect(admin("units", "import", update)).toEqual({ code: 0, out: [`imported 2 units from ${update}: 1 created, 1 updated`], err: [] });
    expect((await counts(url)).units).toBe(6);
  }, 60_000);

  it("usage: lists the commands; an unknown command or missing argument exits 1", () => {
    const help = admin("help");
    expect(help.code).toBe(0);
    expect(help.out.join("\n")).toContain("campaign load <file.yaml>");
    expect(help.out.join("\n")).toContain("units import <file.csv>");
    const unknown = admin("frobnicate");
    expect(unknown.code).toBe(1);
    expect(unknown.err[0]).toBe("unknown command: frobnicate");
    expect(admin("campaign", "load")).toEqual({ code: 1, out: [], err: ["usage: campaign load <file.yaml>"] });
    expect(admin("units", "import", path.join(dir, "missing.csv"))).toMatchObject({
      code: 1,
      err: [`cannot read ${path.join(dir, "missing.csv")}: ENOENT`],
    });
  }, 60_000);
});

for (const c of PROVIDERS) {
  describe.skipIf(c.skip)(`admin commands in-process on ${c.label}`, () => {
    let tdb: TestDatabase;
    beforeAll(async () => {
      tdb = await freshDatabase(c.provider);
    });
    afterAll(async () => {
      await tdb?.drop();
    });

    async function admin(...argv: string[]) {
      const out: string[] = [];
      const err: string[] = [];
      const code = await runCli(argv, COMMANDS, { out: (l) => out.push(l), err: (l) => err.push(l) }, { DATABASE_URL: tdb.url });
      return { code, out, err: err.filter((l) => !l.startsWith("applied migration ")) };
    }

    it("loads campaigns (created, then updated) and lists them", async () => {
      const file = path.join(CAMPAIGNS, "lai-chau-2025.yaml");
      const first = await admin("campaign", "load", file);
      expect(first.code).toBe(0);
      expect(first.out[0]).toMatch(/^created lai-chau-2025: /);
      expect((await admin("campaign", "load", file)).out[0]).toMatch(/^updated lai-chau-2025: /);
      expect((await counts(tdb.url)).campaigns).toBe(1);
      const list = await admin("campaign", "list");
      expect(list.out).toHaveLength(2);
    });

    it("imports units only from a file without errors, parents checked against the database too", async () => {
      const bad = path.join(UNITS, "bad.csv");
      expect(await admin("units", "import", bad)).toEqual({ code: 1, out: [], err: BAD_CSV_ERRORS(bad) });
      expect((await counts(tdb.url)).units).toBe(0);
      // The update file names a parent (LDLD-LC) that is neither in it nor yet in the database.
      const update = path.join(UNITS, "update.csv");
      expect(await admin("units", "import", update)).toEqual({
        code: 1,
        out: [],
        err: [`${update}: line 2: parent_code "LDLD-LC" is neither in the file nor in the database`, `nothing imported: 1 error in ${update}`],
      });
      expect((await admin("units", "import", path.join(UNITS, "good.csv"))).code).toBe(0);
      expect((await admin("units", "import", update)).out).toEqual([`imported 2 units from ${update}: 1 created, 1 updated`]);
      const cycle = path.join(UNITS, "cycle-through-db.csv");
      expect(await admin("units", "import", cycle)).toEqual({
        code: 1,
        out: [],
        err: [`${cycle}: line 2: parent cycle: LDLD-LC → CDCS-THPT-TP → CDGD → LDLD-LC`, `nothing imported: 1 error in ${cycle}`],
      });
      expect((await counts(tdb.url)).units).toBe(6);
    });
  });
}

describe("the export commands' shared refusals (src/admin/export-file.ts): one line, exit 1, before the database is opened", () => {
  const dir = tempDir("congdoan-export-refusals-");
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    [["report", "export", "--campaign", "x", "--phase", "1", "--out", "r.xlsx"], "--format xlsx|docx is required"],
    [["evaluation", "export", "--campaign", "x", "--format", "pdf", "--out", "e.pdf"], '--format must be xlsx or docx, got "pdf"'],
    [["evaluation", "export", "--campaign", "x", "--format", "docx"], "--out <file> is required"],
    [["report", "export", "--campaign", "x", "--phase", "1", "--format", "xlsx", "--out", "r.xlsx", "--lang", "fr"], '--lang must be vi or en, got "fr"'],
    [["pledges", "export", "--format", "csv", "--out", "p.csv", "extra"], "unexpected argument: extra (usage: pledges export --format csv|xlsx --out <file> [--campaign <slug>] [--lang vi|en])"],
  ])("%j", async (argv, message) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(argv, COMMANDS, { out: (l) => out.push(l), err: (l) => err.push(l) }, { DATABASE_URL: `file:${path.join(dir, "never.db")}` });
    expect({ code, out, err }).toEqual({ code: 1, out: [], err: [message] });
    expect(readdirSync(dir)).toEqual([]);
  });
});
