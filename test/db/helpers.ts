// Throwaway databases for the storage tests: a SQLite file under os.tmpdir(), and — when TEST_POSTGRES_URL is set —
// a fresh PostgreSQL schema (t_<random>) in that database, dropped afterwards.
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import pg from "pg";
import type { Provider } from "../../src/db/url.js";

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
export const FIXTURES = path.join(REPO_ROOT, "test", "fixtures");

export const TEST_POSTGRES_URL = process.env.TEST_POSTGRES_URL?.trim() || undefined;
/** CI sets REQUIRE_POSTGRES=1: there, a missing TEST_POSTGRES_URL fails the PostgreSQL cases instead of skipping them. */
const REQUIRE_POSTGRES = /^(1|true|yes)$/i.test(process.env.REQUIRE_POSTGRES ?? "");

export interface ProviderCase {
  provider: Provider;
  /** For describe(): says when and why the cases are skipped. */
  label: string;
  skip: boolean;
}

export const PROVIDERS: ProviderCase[] = [
  { provider: "sqlite", label: "sqlite", skip: false },
  {
    provider: "postgresql",
    label: TEST_POSTGRES_URL
      ? "postgresql"
      : "postgresql — SKIPPED: TEST_POSTGRES_URL is not set (e.g. postgresql://postgres@127.0.0.1:5432/test)",
    skip: !TEST_POSTGRES_URL && !REQUIRE_POSTGRES,
  },
];

if (!TEST_POSTGRES_URL && !REQUIRE_POSTGRES) {
  // Once per test file that imports this module, so the skip is visible in the run's output too.
  console.warn("[test/db] PostgreSQL storage tests skipped: TEST_POSTGRES_URL is not set");
}

export interface TestDatabase {
  provider: Provider;
  url: string;
  /** PostgreSQL: the schema name. */
  schema?: string;
  /** Removes the file / drops the schema. */
  drop(): Promise<void>;
}

export function tempDir(prefix = "congdoan-db-"): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}

export async function freshDatabase(provider: Provider): Promise<TestDatabase> {
  if (provider === "sqlite") {
    const dir = tempDir();
    return {
      provider,
      url: `file:${path.join(dir, "test.db")}`,
      async drop() {
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  if (!TEST_POSTGRES_URL) throw new Error("REQUIRE_POSTGRES is set but TEST_POSTGRES_URL is not: cannot run the PostgreSQL cases");
  const schema = `t_${randomBytes(6).toString("hex")}`;
  const url = new URL(TEST_POSTGRES_URL);
  url.searchParams.set("schema", schema);
  return {
    provider,
    url: url.toString(),
    schema,
    async drop() {
      await withPg(async (client) => {
        await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      });
    },
  };
}

/** A pg client on TEST_POSTGRES_URL (no schema), closed afterwards. */
export async function withPg<T>(work: (client: pg.Client) => Promise<T>, schema?: string): Promise<T> {
  const url = new URL(TEST_POSTGRES_URL!);
  url.searchParams.delete("schema");
  const client = new pg.Client({
    connectionString: url.toString(),
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Runs SQL directly against a test database (outside Prisma and the migrator). */
export async function execSql(db: TestDatabase, sql: string): Promise<void> {
  if (db.provider === "sqlite") {
    const conn = new Database(db.url.slice("file:".length));
    try {
      conn.exec(sql);
    } finally {
      conn.close();
    }
    return;
  }
  await withPg(async (client) => {
    await client.query(`CREATE SCHEMA IF NOT EXISTS "${db.schema}"`);
    await client.query(sql);
  }, db.schema);
}

export async function querySql<T = Record<string, unknown>>(db: TestDatabase, sql: string): Promise<T[]> {
  if (db.provider === "sqlite") {
    const conn = new Database(db.url.slice("file:".length), { readonly: true });
    try {
      return conn.prepare(sql).all() as T[];
    } finally {
      conn.close();
    }
  }
  return withPg(async (client) => (await client.query(sql)).rows as T[], db.schema);
}

/** `prisma …` as a child process in the repository, with DATABASE_URL set (for compatibility checks). */
export function runPrisma(args: string[], databaseUrl: string): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(path.join(REPO_ROOT, "node_modules", ".bin", "prisma"), args, {
    cwd: REPO_ROOT,
    env: { ...process.env, DATABASE_URL: databaseUrl, PRISMA_HIDE_UPDATE_MESSAGE: "1", CHECKPOINT_DISABLE: "1" },
    encoding: "utf8",
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
