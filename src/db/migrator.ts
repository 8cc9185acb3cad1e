// Applies the Prisma-generated migrations in prisma/migrations/<provider>/ with the plain drivers (better-sqlite3, pg),
// recording each one in `_prisma_migrations` the way Prisma's schema engine does, so `prisma migrate status` and
// `prisma migrate deploy` agree with this migrator wherever Prisma's native engine is available.
//
// - Pending migration folders (those with a migration.sql) are applied in name order, each in one transaction
//   together with its `_prisma_migrations` row: a failing migration leaves no trace and stops the run.
// - Idempotent: applied migrations are skipped. Rows marked rolled back (`prisma migrate resolve --rolled-back`)
//   do not count as applied.
// - Refuses, before applying anything, when an applied migration's file changed (checksum) or when Prisma recorded
//   a failed migration that nobody resolved.
// - PostgreSQL: concurrent starts are serialised with pg_advisory_lock (the key Prisma's own engine uses).
//   SQLite: each migration runs in a BEGIN IMMEDIATE transaction and re-checks what is applied once it holds the lock.
import { createHash, randomUUID } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { ensurePrivateFile } from "./private-file.js";
import { parseDatabaseUrl, pgConfig, quoteIdent, type Provider } from "./url.js";

/** prisma/migrations at the repository root (this file is src/db/migrator.ts). */
export const MIGRATIONS_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "prisma", "migrations");

/** The advisory lock key Prisma's schema engine takes on PostgreSQL, so we also exclude a concurrent `migrate deploy`. */
export const ADVISORY_LOCK_KEY = 72707369;

/** A PostgreSQL client; `pg` is imported on first use, so a bot on SQLite never loads it (about 3.5 MB of memory). */
async function pgClient(target: Extract<ReturnType<typeof parseDatabaseUrl>, { provider: "postgresql" }>) {
  const { default: pg } = await import("pg");
  return new pg.Client(pgConfig(target));
}

export interface MigrationFile {
  /** Folder name, e.g. 20261121193106_init. */
  name: string;
  sql: string;
  /** sha256 hex of migration.sql's bytes, as Prisma computes it. */
  checksum: string;
}

export interface MigrateOptions {
  /** Default: prisma/migrations/<provider>. */
  migrationsDir?: string;
}

export interface MigrateResult {
  provider: Provider;
  /** Names applied by this run, in order. */
  applied: string[];
  /** Names that were already applied. */
  alreadyApplied: string[];
  /** Applied in the database but absent from the migrations folder (e.g. the database is newer than this code). */
  unknown: string[];
}

export class MigrationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MigrationError";
  }
}

/** One `_prisma_migrations` row, as both providers return it. */
export interface MigrationRow {
  id: string;
  checksum: string;
  finished_at: Date | string | null;
  migration_name: string;
  logs: string | null;
  rolled_back_at: Date | string | null;
  started_at: Date | string;
  applied_steps_count: number;
}

// The table exactly as Prisma's schema engine creates it on each provider.
const SQLITE_MIGRATIONS_TABLE = `CREATE TABLE "_prisma_migrations" (
    "id"                    TEXT PRIMARY KEY NOT NULL,
    "checksum"              TEXT NOT NULL,
    "finished_at"           DATETIME,
    "migration_name"        TEXT NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        DATETIME,
    "started_at"            DATETIME NOT NULL DEFAULT current_timestamp,
    "applied_steps_count"   INTEGER UNSIGNED NOT NULL DEFAULT 0
)`;

const POSTGRES_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS _prisma_migrations (
    id                      VARCHAR(36) PRIMARY KEY NOT NULL,
    checksum                VARCHAR(64) NOT NULL,
    finished_at             TIMESTAMPTZ,
    migration_name          VARCHAR(255) NOT NULL,
    logs                    TEXT,
    rolled_back_at          TIMESTAMPTZ,
    started_at              TIMESTAMPTZ NOT NULL DEFAULT now(),
    applied_steps_count     INTEGER NOT NULL DEFAULT 0
)`;

export function sha256Hex(data: string | Buffer): string {
  return createHash("sha256").update(data).digest("hex");
}

/**
 * Prisma accepts a script whose checksum matches with its line endings as they are, or converted LF ↔ CRLF
 * (git may check files out either way).
 */
export function checksumMatches(sql: string, checksum: string): boolean {
  const lf = sql.replace(/\r\n/g, "\n");
  const crlf = lf.replace(/\n/g, "\r\n");
  const wanted = checksum.toLowerCase();
  return [sql, lf, crlf].some((variant) => sha256Hex(Buffer.from(variant, "utf8")) === wanted);
}

export function migrationsDirFor(provider: Provider): string {
  return path.join(MIGRATIONS_ROOT, provider);
}

/** The migration folders of `dir` in name order (folders without migration.sql are ignored, as Prisma does). */
export function readMigrations(dir: string): MigrationFile[] {
  if (!existsSync(dir)) throw new MigrationError(`migrations folder not found: ${dir}`);
  return readdirSync(dir)
    .filter((name) => statSync(path.join(dir, name)).isDirectory() && existsSync(path.join(dir, name, "migration.sql")))
    .sort()
    .map((name) => {
      const bytes = readFileSync(path.join(dir, name, "migration.sql"));
      return { name, sql: bytes.toString("utf8"), checksum: sha256Hex(bytes) };
    });
}

/** What to do given the recorded rows; throws on a changed or failed migration. */
function plan(files: MigrationFile[], rows: MigrationRow[]): { pending: MigrationFile[]; alreadyApplied: string[]; unknown: string[] } {
  const live = rows.filter((r) => r.rolled_back_at === null);
  const failed = live.filter((r) => r.finished_at === null);
  if (failed.length > 0) {
    throw new MigrationError(
      `migration ${failed.map((r) => r.migration_name).join(", ")} failed earlier and is recorded as unfinished in ` +
        `_prisma_migrations; fix the database, then mark it with \`prisma migrate resolve --rolled-back <name>\` ` +
        `(or --applied) before migrating again`,
    );
  }
  const appliedByName = new Map(live.map((r) => [r.migration_name, r]));
  const changed = files.filter((f) => {
    const row = appliedByName.get(f.name);
    return row !== undefined && !checksumMatches(f.sql, row.checksum);
  });
  if (changed.length > 0) {
    throw new MigrationError(
      `refusing to migrate: ${changed.map((f) => f.name).join(", ")} changed after being applied ` +
        `(the checksum of migration.sql differs from the one recorded in _prisma_migrations); ` +
        `restore the original file and put the change in a new migration`,
    );
  }
  const fileNames = new Set(files.map((f) => f.name));
  return {
    pending: files.filter((f) => !appliedByName.has(f.name)),
    alreadyApplied: files.filter((f) => appliedByName.has(f.name)).map((f) => f.name),
    unknown: [...new Set(live.map((r) => r.migration_name))].filter((n) => !fileNames.has(n)).sort(),
  };
}

/** The timestamp text Prisma writes into SQLite's DATETIME columns through the driver adapter. */
function sqliteNow(): string {
  return new Date().toISOString().replace("Z", "+00:00");
}

function migrateSqlite(file: string, files: MigrationFile[], provider: Provider): MigrateResult {
  if (file !== ":memory:") {
    mkdirSync(path.dirname(file), { recursive: true });
    ensurePrivateFile(file);
  }
  const db = new Database(file, { timeout: 15_000 });
  try {
    if (file !== ":memory:") db.pragma("journal_mode = WAL");
    const readRows = () => db.prepare(`SELECT * FROM "_prisma_migrations" ORDER BY "started_at"`).all() as MigrationRow[];
    const tableExists = () =>
      db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_prisma_migrations'`).get() !== undefined;

    db.exec("BEGIN IMMEDIATE");
    try {
      if (!tableExists()) db.exec(SQLITE_MIGRATIONS_TABLE);
      db.exec("COMMIT");
    } catch (e) {
      db.exec("ROLLBACK");
      throw e;
    }

    const first = plan(files, readRows());
    const applied: string[] = [];
    // SQLite ignores PRAGMA foreign_keys inside a transaction, and Prisma's table-redefinition migrations rely on it
    // being off (DROP TABLE would otherwise cascade into child tables): turn it off around each migration and check
    // the foreign keys before committing instead.
    db.pragma("foreign_keys = OFF");
    try {
      for (const migration of first.pending) {
        db.exec("BEGIN IMMEDIATE");
        try {
          // Another process may have applied it while we waited for the write lock.
          const now = plan(files, readRows());
          if (!now.pending.some((m) => m.name === migration.name)) {
            db.exec("ROLLBACK");
            continue;
          }
          const id = randomUUID();
          db.prepare(
            `INSERT INTO "_prisma_migrations" ("id", "checksum", "migration_name", "started_at", "applied_steps_count") VALUES (?, ?, ?, ?, 0)`,
          ).run(id, migration.checksum, migration.name, sqliteNow());
          db.exec(migration.sql);
          const violations = db.pragma("foreign_key_check") as unknown[];
          if (violations.length > 0) {
            throw new MigrationError(`migration ${migration.name} leaves ${violations.length} foreign key violation(s)`);
          }
          db.prepare(
            `UPDATE "_prisma_migrations" SET "finished_at" = ?, "applied_steps_count" = "applied_steps_count" + 1 WHERE "id" = ?`,
          ).run(sqliteNow(), id);
          db.exec("COMMIT");
          applied.push(migration.name);
        } catch (e) {
          if (db.inTransaction) db.exec("ROLLBACK");
          throw wrapFailure(migration.name, e);
        }
      }
    } finally {
      db.pragma("foreign_keys = ON");
    }
    return summary(provider, files, applied, readRows());
  } finally {
    db.close();
  }
}

async function migratePostgres(
  target: Extract<ReturnType<typeof parseDatabaseUrl>, { provider: "postgresql" }>,
  files: MigrationFile[],
  provider: Provider,
): Promise<MigrateResult> {
  const client = await pgClient(target);
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [ADVISORY_LOCK_KEY]);
    try {
      if (target.schema) await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(target.schema)}`);
      await client.query(POSTGRES_MIGRATIONS_TABLE);
      const readRows = async () =>
        (await client.query<MigrationRow>(`SELECT * FROM _prisma_migrations ORDER BY started_at`)).rows;
      const { pending } = plan(files, await readRows());
      const applied: string[] = [];
      for (const migration of pending) {
        await client.query("BEGIN");
        try {
          const id = randomUUID();
          await client.query(
            `INSERT INTO _prisma_migrations (id, checksum, migration_name, started_at, applied_steps_count) VALUES ($1, $2, $3, clock_timestamp(), 0)`,
            [id, migration.checksum, migration.name],
          );
          await client.query(migration.sql);
          await client.query(
            `UPDATE _prisma_migrations SET finished_at = clock_timestamp(), applied_steps_count = applied_steps_count + 1 WHERE id = $1`,
            [id],
          );
          await client.query("COMMIT");
          applied.push(migration.name);
        } catch (e) {
          await client.query("ROLLBACK").catch(() => undefined);
          throw wrapFailure(migration.name, e);
        }
      }
      return summary(provider, files, applied, await readRows());
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [ADVISORY_LOCK_KEY]).catch(() => undefined);
    }
  } finally {
    await client.end();
  }
}

function wrapFailure(name: string, e: unknown): Error {
  if (e instanceof MigrationError) return e;
  const message = e instanceof Error ? e.message : String(e);
  const error = new MigrationError(`migration ${name} failed and was rolled back: ${message}`);
  (error as Error & { cause?: unknown }).cause = e;
  return error;
}

function summary(provider: Provider, files: MigrationFile[], applied: string[], rows: MigrationRow[]): MigrateResult {
  const { unknown } = plan(files, rows);
  const appliedNow = new Set(applied);
  return {
    provider,
    applied,
    alreadyApplied: files.filter((f) => !appliedNow.has(f.name)).map((f) => f.name),
    unknown,
  };
}

/** Applies the pending migrations of DATABASE_URL's provider. */
export async function migrate(databaseUrl: string, options: MigrateOptions = {}): Promise<MigrateResult> {
  const target = parseDatabaseUrl(databaseUrl);
  const files = readMigrations(options.migrationsDir ?? migrationsDirFor(target.provider));
  if (target.provider === "sqlite") return migrateSqlite(target.file, files, target.provider);
  return migratePostgres(target, files, target.provider);
}

/** The `_prisma_migrations` rows of a database (for tests and diagnostics). */
export async function readMigrationRows(databaseUrl: string): Promise<MigrationRow[]> {
  const target = parseDatabaseUrl(databaseUrl);
  if (target.provider === "sqlite") {
    const db = new Database(target.file, { fileMustExist: true, readonly: true });
    try {
      return db.prepare(`SELECT * FROM "_prisma_migrations" ORDER BY "started_at"`).all() as MigrationRow[];
    } finally {
      db.close();
    }
  }
  const client = await pgClient(target);
  await client.connect();
  try {
    return (await client.query<MigrationRow>(`SELECT * FROM _prisma_migrations ORDER BY started_at`)).rows;
  } finally {
    await client.end();
  }
}
