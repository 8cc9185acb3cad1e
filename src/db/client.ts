// Prisma client factory: DATABASE_URL picks the generated client and its driver adapter.
//   file:…                      → src/db/generated/sqlite     + @prisma/adapter-better-sqlite3 (WAL, busy timeout)
//   postgresql://… postgres://… → src/db/generated/postgresql + @prisma/adapter-pg (`?schema=` honoured)
// Both clients come from the same models (prisma/postgresql/schema.prisma is derived from prisma/schema.prisma), so
// the PostgreSQL client is typed as the SQLite one and repositories are written once against `DbClient`.
// This does not migrate: run `migrate()` from ./migrator.js first (npm run db:migrate, or the app at start-up).
//
// Memory: a process loads one provider's driver. The driver adapter (and with it `pg` or better-sqlite3's adapter) is
// imported when Prisma connects, and Prisma loads only the query compiler (WebAssembly, the bulk of a client) of the
// client it runs. Both generated client modules are imported here (about 0.2 MB of heap for the unused one) because
// `openDatabase` is synchronous.
import { mkdirSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { ensurePrivateFile } from "./private-file.js";
import type { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import type { PrismaPg } from "@prisma/adapter-pg";
import type pg from "pg";
import { PrismaClient as SqlitePrismaClient, type Prisma } from "./generated/sqlite/client.js";
import { PrismaClient as PostgresPrismaClient } from "./generated/postgresql/client.js";
import { pgRawSql, registerRawSql, sqliteRawSql, type RawSql } from "./raw-sql.js";
import { parseDatabaseUrl, pgConfig, type Provider } from "./url.js";

export type { Provider } from "./url.js";

/** The Prisma client type repositories are written against (identical models on both providers). */
export type DbClient = SqlitePrismaClient;

/** What `prisma.$transaction(async (tx) => …)` hands to its callback. */
export type DbTransaction = Prisma.TransactionClient;

export interface OpenDatabase {
  prisma: DbClient;
  provider: Provider;
  /** The hot statements' path to the same connection(s), bypassing Prisma (src/db/raw-sql.ts). */
  sql: RawSql;
  /** Disconnects the client (and its pool / file handle). Safe to call more than once. */
  close(): Promise<void>;
}

/** How long SQLite waits for another connection's write lock before failing with SQLITE_BUSY. */
export const SQLITE_BUSY_TIMEOUT_MS = 5000;

type AdapterFactory = NonNullable<Prisma.PrismaClientOptions["adapter"]>;

/** A driver adapter factory whose module is imported on the first connection, not when the client is built. */
function lazyAdapter(provider: AdapterFactory["provider"], adapterName: string, load: () => Promise<PrismaBetterSQLite3 | PrismaPg>): AdapterFactory {
  let factory: Promise<AdapterFactory> | undefined;
  return { provider, adapterName, connect: async () => (await (factory ??= load())).connect() };
}

export function openDatabase(databaseUrl: string): OpenDatabase {
  const target = parseDatabaseUrl(databaseUrl);
  let prisma: DbClient;
  let sql: RawSql;
  /** The PostgreSQL pool, once a first connection has begun making it. */
  let made: Promise<pg.Pool> | undefined;
  let closed: Promise<void> | null = null;
  if (target.provider === "sqlite") {
    if (target.file !== ":memory:") {
      mkdirSync(path.dirname(target.file), { recursive: true });
      ensurePrivateFile(target.file);
      // journal_mode=WAL is stored in the database file, so setting it once through a short-lived connection makes
      // every later connection (the adapter's included) use it. The adapter's own connection gets the busy timeout.
      const probe = new Database(target.file, { timeout: SQLITE_BUSY_TIMEOUT_MS });
      try {
        probe.pragma("journal_mode = WAL");
      } finally {
        probe.close();
      }
    }
    // The hand-written statements run on the adapter's own connection (one writer, one busy timeout, inside
    // whatever Prisma has open on it, as a Prisma query would be): caught when Prisma connects.
    let connection: Database.Database | null = null;
    const adapter = lazyAdapter("sqlite", "@prisma/adapter-better-sqlite3", async () => {
      const factory = new (await import("@prisma/adapter-better-sqlite3")).PrismaBetterSQLite3({ url: target.file, timeout: SQLITE_BUSY_TIMEOUT_MS });
      const connect = factory.connect.bind(factory);
      factory.connect = async () => {
        const connected = await connect();
        const client = (connected as unknown as { client?: Database.Database }).client;
        if (!(client instanceof Database)) throw new Error("openDatabase: the SQLite adapter no longer exposes its better-sqlite3 connection");
        // WAL with synchronous=NORMAL: a commit is durable once in the WAL file (the OS has it), fsync'ed at checkpoints
        // instead of on every commit. A killed process loses nothing committed; a power cut may lose the last commits
        // not yet on disk (the database stays consistent). FULL fsyncs on every commit, on the event loop: ~1 ms each
        // and tens of ms on a busy disk, two or three times per update.
        // Only with WAL in effect: where the file system cannot do WAL, SQLite stays in rollback-journal mode, and
        // NORMAL there could corrupt the file on a power cut.
        if (target.file !== ":memory:" && client.pragma("journal_mode", { simple: true }) === "wal") client.pragma("synchronous = NORMAL");
        connection = client;
        return connected;
      };
      return factory;
    });
    const client = new SqlitePrismaClient({ adapter });
    prisma = client;
    sql = sqliteRawSql(async () => {
      if (closed) throw new Error("openDatabase: the database was closed");
      if (!connection?.open) await client.$connect();
      return connection!;
    });
  } else {
    // One pool for Prisma and the hand-written statements, made (with `pg`) on the first connection; ended here on
    // close (the adapter leaves a given pool open).
    const poolOf = () =>
      (made ??= import("pg").then(({ default: pgModule }) => {
        const pool = new pgModule.Pool(pgConfig(target));
        // An idle connection that breaks is dropped by the pool; the next query opens another (as the adapter does).
        pool.on("error", () => {});
        return pool;
      }));
    const adapter = lazyAdapter("postgres", "@prisma/adapter-pg", async () => new (await import("@prisma/adapter-pg")).PrismaPg(await poolOf(), target.schema ? { schema: target.schema } : undefined));
    prisma = new PostgresPrismaClient({ adapter }) as unknown as DbClient;
    sql = pgRawSql(poolOf);
  }
  registerRawSql(prisma, sql);
  return {
    prisma,
    provider: target.provider,
    sql,
    close() {
      // The pool too, also one still being made by a first connection when close() came.
      closed ??= prisma.$disconnect().finally(async () => (await made?.catch(() => undefined))?.end());
      return closed;
    },
  };
}
