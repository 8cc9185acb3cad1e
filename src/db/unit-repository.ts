// UnitRepository on Prisma: the union's tree (LĐLĐ tỉnh → công đoàn cấp trên cơ sở → CĐCS), imported in bulk.
import type { Unit, UnitRepository, UnitRow } from "../app/ports.js";
import type { DbClient } from "./client.js";
import { rawSql } from "./raw-sql.js";
import { foldForSearch, unitSearchKey } from "./search-key.js";
import { parentCycles, parentsFirst } from "./unit-tree.js";

/** Imports of thousands of units run row by row inside one transaction: allow it minutes, not Prisma's 5 s. */
const IMPORT_TRANSACTION = { maxWait: 10_000, timeout: 600_000 } as const;

const UNIT_FIELDS = { id: true, code: true, name: true, parentId: true, memberCount: true } as const;

export class UnitImportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UnitImportError";
  }
}

export class PrismaUnitRepository implements UnitRepository {
  constructor(private readonly prisma: DbClient) {}

  /**
   * All rows in one transaction, parents before children, insert or update by code. A parent code may name a row of
   * `rows` or a unit already stored. Throws UnitImportError (and changes nothing) on a duplicate code, an unknown
   * parent, or a parent cycle; callers wanting per-line messages validate first (src/admin/units-csv.ts).
   */
  async importAll(rows: UnitRow[]): Promise<{ created: number; updated: number }> {
    return this.prisma.$transaction(async (tx) => {
      const stored = await tx.unit.findMany({ select: { id: true, code: true, parentId: true } });
      const idByCode = new Map(stored.map((u) => [u.code, u.id]));
      const codeById = new Map(stored.map((u) => [u.id, u.code]));

      const byCode = new Map<string, UnitRow>();
      for (const row of rows) {
        if (byCode.has(row.code)) throw new UnitImportError(`duplicate unit code ${row.code}`);
        byCode.set(row.code, row);
      }
      const parentOf = new Map<string, string | null>(
        stored.map((u) => [u.code, u.parentId === null ? null : (codeById.get(u.parentId) ?? null)]),
      );
      for (const row of rows) {
        if (row.parentCode !== null && !byCode.has(row.parentCode) && !idByCode.has(row.parentCode)) {
          throw new UnitImportError(`unit ${row.code}: unknown parent code ${row.parentCode}`);
        }
        parentOf.set(row.code, row.parentCode);
      }
      const cycles = parentCycles(parentOf, byCode.keys());
      const firstCycle = cycles.values().next();
      if (!firstCycle.done) throw new UnitImportError(`parent cycle: ${firstCycle.value.join(" → ")}`);

      let created = 0;
      let updated = 0;
      for (const code of parentsFirst(parentOf, [...byCode.keys()])) {
        const row = byCode.get(code)!;
        const data = {
          name: row.name,
          memberCount: row.memberCount,
          searchKey: unitSearchKey(row.name, row.code),
          parentId: row.parentCode === null ? null : idByCode.get(row.parentCode)!,
        };
        const id = idByCode.get(code);
        if (id !== undefined) {
          await tx.unit.update({ where: { id }, data });
          updated++;
        } else {
          const made = await tx.unit.create({ data: { code, ...data }, select: { id: true } });
          idByCode.set(code, made.id);
          created++;
        }
      }
      return { created, updated };
    }, IMPORT_TRANSACTION);
  }

  /** Every stored unit's code → its parent's code (null for a root); for validating an import beforehand. */
  async parentCodes(): Promise<Map<string, string | null>> {
    const units = await this.prisma.unit.findMany({ select: { id: true, code: true, parentId: true } });
    const codeById = new Map(units.map((u) => [u.id, u.code]));
    return new Map(units.map((u) => [u.code, u.parentId === null ? null : (codeById.get(u.parentId) ?? null)]));
  }

  findByCode(code: string): Promise<Unit | null> {
    return this.prisma.unit.findUnique({ where: { code }, select: UNIT_FIELDS });
  }

  findById(id: number): Promise<Unit | null> {
    return this.prisma.unit.findUnique({ where: { id }, select: UNIT_FIELDS });
  }

  /** Asked on /start and in the pledge flow: hand-written (no parameter, the same text on both providers). */
  async count(): Promise<number> {
    const [row] = await rawSql(this.prisma).query<{ n: number | bigint }>(`SELECT COUNT(*) AS "n" FROM "Unit"`);
    return Number(row?.n ?? 0);
  }

  /**
   * Case- and diacritic-insensitive: every word of the query must occur in the unit's folded name or code
   * ("cong doan" finds "Công đoàn …", "đ" ↔ "d"). A unit whose code is exactly the query comes first, the rest in
   * the order of their folded names. The order is computed here, not by the database, so that it does not depend
   * on the database's collation (PostgreSQL's locale collations and SQLite's binary one disagree).
   */
  async search(query: string, limit: number): Promise<Unit[]> {
    // Words are runs of letters and digits: punctuation never reaches LIKE, where % and _ would be wildcards.
    const words = foldForSearch(query)
      .split(/[^\p{L}\p{N}]+/u)
      .filter((w) => w.length > 0);
    if (words.length === 0 || limit <= 0) return [];
    const wanted = query.trim();
    const exactCodes = new Set([wanted, wanted.toUpperCase()]);
    const candidates = await this.prisma.unit.findMany({
      where: {
        OR: [{ AND: words.map((w) => ({ searchKey: { contains: w } })) }, { code: { in: [...exactCodes] } }],
      },
      select: { id: true, code: true, searchKey: true },
    });
    const rank = (u: { code: string }) => (exactCodes.has(u.code) ? 0 : 1);
    const ids = candidates
      .sort((a, b) => rank(a) - rank(b) || compare(a.searchKey, b.searchKey) || compare(a.code, b.code))
      .slice(0, limit)
      .map((u) => u.id);
    const found = await this.prisma.unit.findMany({ where: { id: { in: ids } }, select: UNIT_FIELDS });
    const byId = new Map(found.map((u) => [u.id, u]));
    return ids.map((id) => byId.get(id)).filter((u): u is Unit => u !== undefined);
  }
}

/** Plain code-unit order, identical everywhere. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
