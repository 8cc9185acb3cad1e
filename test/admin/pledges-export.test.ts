// `pledges export` as a child process (`npx tsx scripts/admin.ts …`) against a temp database with pledges stored
// through the real repository, on SQLite and (when TEST_POSTGRES_URL is set) PostgreSQL: both formats, one campaign
// or all, and the one-line refusals.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import path from "node:path";
import { parse as parseCsv } from "csv-parse/sync";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROVIDERS, REPO_ROOT, tempDir } from "../db/helpers.js";
import { startCore, type CoreHarness } from "../support/core-harness.js";
import { MAY_19_2025, TRICKY_COMMITMENT, asXlsxCells, expectedCells, seedPledges, vnDateTime, type Seeded } from "./pledge-fixtures.js";

function admin(databaseUrl: string | undefined, ...args: string[]) {
  const env = { ...process.env };
  if (databaseUrl) env.DATABASE_URL = databaseUrl;
  const result = spawnSync("npx", ["tsx", "scripts/admin.ts", ...args], { cwd: REPO_ROOT, env, encoding: "utf8", timeout: 60_000 });
  const lines = (text: string) => text.split("\n").filter((l) => l !== "" && !l.startsWith("npm warn"));
  return { code: result.status, out: lines(result.stdout), err: lines(result.stderr) };
}

describe("pledges export: refusals (one line, exit 1, no file, before any database is touched)", () => {
  let dir: string;
  beforeAll(() => {
    dir = tempDir("congdoan-export-");
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    [["--out", "x.csv"], "--format csv|xlsx is required"],
    [["--format", "pdf", "--out", "x.pdf"], '--format must be csv or xlsx, got "pdf"'],
    [["--format", "csv"], "--out <file> is required"],
  ])("%j", (args, message) => {
    const url = `file:${path.join(dir, "never.db")}`;
    expect(admin(url, "pledges", "export", ...args)).toEqual({ code: 1, out: [], err: [message] });
    expect(readdirSync(dir)).toEqual([]);
  }, 60_000);
});

for (const { provider, label, skip } of PROVIDERS) describe.skipIf(skip)(`pledges export as a child process (${label})`, () => {
  let core: CoreHarness;
  let seeded: Seeded;
  let dir: string;

  beforeAll(async () => {
    dir = tempDir("congdoan-export-");
    core = await startCore({ now: MAY_19_2025, provider });
    seeded = await seedPledges(core);
  });
  afterAll(async () => {
    await core?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const updatedAt = async (name: string) => (await core.repositories.pledges.findByCode(seeded.codes[name]!))!.updatedAt;

  it("csv of all campaigns: every pledge, BOM, CRLF, quoted commitment; prints the count and the path", async () => {
    const out = path.join(dir, "all.csv");
    const result = admin(core.databaseUrl, "pledges", "export", "--format", "csv", "--out", out);
    expect(result).toEqual({ code: 0, out: [`exported 11 pledges to ${out}`], err: [] });
    // Members' names and commitments: readable by the owner only.
    expect((statSync(out).mode & 0o777).toString(8)).toBe("600");

    const bytes = readFileSync(out);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString("utf8");
    expect(text).toContain(`"Phấn đấu hoàn thành xuất sắc nhiệm vụ, đạt danh hiệu ""Lao động tiên tiến""\nvà tham gia đầy đủ các phong trào."`);
    const records = parseCsv(text, { bom: true, record_delimiter: "\r\n" }) as string[][];
    expect(records).toHaveLength(12);
    expect(records[0]![0]).toBe("Mã đăng ký");
    expect(records.slice(1).map((r) => r[0])).toEqual(Object.values(seeded.codes));

    const byCode = new Map(records.slice(1).map((r) => [r[0], r]));
    for (const name of ["t1p1", "t1p2", "t2", "t3", "g1", "gdCollective"]) {
      expect(byCode.get(seeded.codes[name]), name).toEqual(expectedCells(seeded, name, await updatedAt(name)).map(String));
    }
    expect(byCode.get(seeded.codes.t1p1)![13]).toBe(TRICKY_COMMITMENT);
    // The pledge without a unit, from Telegram; the Zalo member's; the other campaign's.
    expect(byCode.get(seeded.codes.n1)!.slice(5, 9)).toEqual(["Giàng Thị Dua", "", "", ""]);
    expect(byCode.get(seeded.codes.n1)![16]).toBe("Telegram");
    expect(byCode.get(seeded.codes.d2)![16]).toBe("Zalo");
    expect(byCode.get(seeded.codes.bacKan)!.slice(0, 3)).toEqual([seeded.codes.bacKan, "Phát động phong trào thi đua trong đoàn viên, CNVCLĐ và các cấp công đoàn năm 2021", "1"]); // the plan's name, not its slug
    expect(byCode.get(seeded.codes.bacKan)![14]).toBe("01/03/2021 08:00");
    expect(byCode.get(seeded.codes.bacKan)![15]).toBe(vnDateTime(await updatedAt("bacKan")));
  }, 60_000);

  it("xlsx of one campaign (--campaign): that campaign's pledges only, English headers with --lang en", async () => {
    const out = path.join(dir, "lai-chau.xlsx");
    const result = admin(core.databaseUrl, "pledges", "export", "--format", "xlsx", "--out", out, "--campaign", "lai-chau-2025");
    expect(result).toEqual({ code: 0, out: [`exported 10 pledges to ${out}`], err: [] });
    expect((statSync(out).mode & 0o777).toString(8)).toBe("600");

    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(out);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.views[0]).toMatchObject({ state: "frozen", ySplit: 1 });
    expect(sheet.getRow(1).getCell(1).value).toBe("Mã đăng ký");
    expect(sheet.getRow(1).getCell(1).font?.bold).toBe(true);
    expect(sheet.rowCount).toBe(11);
    const codes = Array.from({ length: 10 }, (_, i) => sheet.getRow(i + 2).getCell(1).value);
    expect(codes).toEqual(Object.entries(seeded.codes).filter(([k]) => k !== "bacKan").map(([, code]) => code));
    const cells = (r: number) => Array.from({ length: 18 }, (_, i) => sheet.getRow(r).getCell(i + 1).value ?? "");
    expect(cells(2)).toEqual(asXlsxCells(expectedCells(seeded, "t1p1", await updatedAt("t1p1"))));

    const en = path.join(dir, "lai-chau-en.xlsx");
    expect(admin(core.databaseUrl, "pledges", "export", "--format", "xlsx", "--out", en, "--campaign", "lai-chau-2025", "--lang", "en").code).toBe(0);
    const english = new ExcelJS.Workbook();
    await english.xlsx.readFile(en);
    expect(english.worksheets[0]!.getRow(1).getCell(1).value).toBe("Pledge code");
  }, 60_000);

  it("an unknown campaign slug: one line naming the loaded ones, exit 1, no file", () => {
    const out = path.join(dir, "nope.csv");
    expect(admin(core.databaseUrl, "pledges", "export", "--format", "csv", "--out", out, "--campaign", "khong-co")).toEqual({
      code: 1,
      out: [],
      err: ["unknown campaign: khong-co (loaded: lai-chau-2025, bac-kan-2021)"],
    });
    expect(existsSync(out)).toBe(false);
  }, 60_000);
});
