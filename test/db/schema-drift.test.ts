// The PostgreSQL schema is derived from the SQLite source schema (scripts/derive-pg-schema.ts); the committed file
// must be exactly what the script derives. And each provider's migrations must build the schema its Prisma schema
// describes: the database the migrator builds equals the one `prisma migrate diff --from-empty` describes.
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { POSTGRES_SCHEMA, SQLITE_SCHEMA, derivePgSchema } from "../../scripts/derive-pg-schema.js";
import { migrate } from "../../src/db/migrator.js";
import { PROVIDERS, REPO_ROOT, execSql, freshDatabase, querySql, runPrisma, type TestDatabase } from "./helpers.js";

describe("schema drift", () => {
  it("prisma/postgresql/schema.prisma is exactly what `npm run db:pg-schema` derives from prisma/schema.prisma", () => {
    const derived = derivePgSchema(readFileSync(SQLITE_SCHEMA, "utf8"));
    const committed = readFileSync(POSTGRES_SCHEMA, "utf8");
    expect(committed, "run `npm run db:pg-schema` and commit prisma/postgresql/schema.prisma").toBe(derived);
  });

  it("the derived schema differs from the source only in provider, url and generator output", () => {
    const source = readFileSync(SQLITE_SCHEMA, "utf8");
    const derived = derivePgSchema(source);
    const significant = (text: string) => text.split("\n").filter((l) => l.trim() !== "" && !l.trim().startsWith("//"));
    const a = significant(source);
    const b = significant(derived);
    expect(b).toHaveLength(a.length);
    const changed = a.flatMap((line, i) => (line === b[i] ? [] : [`${line.trim()} → ${b[i]!.trim()}`]));
    expect(changed).toEqual([
      'output       = "../src/db/generated/sqlite" → output       = "../../src/db/generated/postgresql"',
      'provider = "sqlite" → provider = "postgresql"',
      'url      = "file:./unused.db" → url      = "postgresql://unused@localhost:5432/unused"',
    ]);
  });

  it("uses no provider-specific features (enums, Json, native types, lists)", () => {
    const source = readFileSync(SQLITE_SCHEMA, "utf8");
    expect(source).not.toMatch(/^\s*enum\s/m);
    expect(source).not.toMatch(/\bJson\b/);
    expect(source).not.toMatch(/@db\./);
    expect(source).not.toMatch(/\b(String|Int|Float|Boolean|DateTime)\[\]/);
  });
});

/** A comparable description of a database's tables, columns, indexes and foreign keys. */
async function describeDatabase(db: TestDatabase): Promise<unknown> {
  if (db.provider === "sqlite") {
    const tables = await querySql<{ name: string }>(
      db,
      `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> '_prisma_migrations' ORDER BY name`,
    );
    const out: Record<string, unknown> = {};
    for (const { name } of tables) {
      const q = (pragma: string) => querySql(db, `SELECT * FROM pragma_${pragma}('${name}')`);
      const indexes = (await querySql<{ name: string; unique: number }>(db, `SELECT name, "unique" FROM pragma_index_list('${name}') ORDER BY name`));
      out[name] = {
        columns: await q("table_info"),
        foreignKeys: await q("foreign_key_list"),
        indexes: await Promise.all(
          indexes.map(async (i) => ({ ...i, columns: await querySql(db, `SELECT name FROM pragma_index_info('${i.name}')`) })),
        ),
      };
    }
    return out;
  }
  const s = db.schema!;
  return {
    columns: await querySql(
      db,
      `SELECT table_name, column_name, data_type, is_nullable, column_default FROM information_schema.columns
        WHERE table_schema = '${s}' AND table_name <> '_prisma_migrations' ORDER BY table_name, column_name`,
    ),
    indexes: (
      await querySql<{ indexname: string; indexdef: string }>(
        db,
        `SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = '${s}' AND tablename <> '_prisma_migrations' ORDER BY indexname`,
      )
    ).map((i) => ({ ...i, indexdef: i.indexdef.replaceAll(`${s}.`, "") })),
    constraints: await querySql(
      db,
      `SELECT conrelid::regclass::text AS tbl, conname, pg_get_constraintdef(oid) AS def FROM pg_constraint
        WHERE connamespace = '${s}'::regnamespace AND conrelid::regclass::text NOT LIKE '%_prisma_migrations' ORDER BY conname`,
    ),
  };
}

for (const c of PROVIDERS) {
  describe.skipIf(c.skip)(`migrations match the Prisma schema on ${c.label}`, () => {
    const dbs: TestDatabase[] = [];
    afterEach(async () => {
      for (const db of dbs.splice(0)) await db.drop();
    });

    it("the migrator's database equals the one the schema describes", async () => {
      const schemaFile = c.provider === "sqlite" ? SQLITE_SCHEMA : POSTGRES_SCHEMA;
      const migrated = await freshDatabase(c.provider);
      const expected = await freshDatabase(c.provider);
      dbs.push(migrated, expected);
      await migrate(migrated.url);

      const diff = runPrisma(
        ["migrate", "diff", "--from-empty", "--to-schema-datamodel", path.relative(REPO_ROOT, schemaFile), "--script"],
        expected.url,
      );
      expect(diff.status, diff.stderr).toBe(0);
      await execSql(expected, diff.stdout);

      const described = await describeDatabase(migrated);
      expect(JSON.stringify(described)).toContain("searchKey");
      expect(
        described,
        "prisma/schema.prisma changed without a migration: add one with `prisma migrate diff --from-schema-datamodel <old> --to-schema-datamodel <new> --script` for each provider",
      ).toEqual(await describeDatabase(expected));
    }, 90_000);
  });
}
