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
import { PrismaClient as SqlitePrismaClient, type Prisma } from "./generated/sqlite/client.js";
import { PrismaClient as PostgresPrismaClient } from "./generated/postgresql/client.js";
import { parseDatabaseUrl, pgConfig, type Provider } from "./url.js";

export type { Provider } from "./url.js";

/** The Prisma client type repositories are written against (identical models on both providers). */
export type DbClient = SqlitePrismaClient;

/** What `prisma.$transaction(async (tx) => …)` hands to its callback. */
export type DbTransaction = Prisma.TransactionClient;

export interface OpenDatabase {
  prisma: DbClient;
  provider: Provider;
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
    const adapter = lazyAdapter("sqlite", "@prisma/adapter-better-sqlite3", async () => new (await import("@prisma/adapter-better-sqlite3")).PrismaBetterSQLite3({ url: target.file, timeout: SQLITE_BUSY_TIMEOUT_MS }));
    prisma = new SqlitePrismaClient({ adapter });
  } else {
    const adapter = lazyAdapter("postgres", "@prisma/adapter-pg", async () => new (await import("@prisma/adapter-pg")).PrismaPg(pgConfig(target), target.schema ? { schema: target.schema } : undefined));
    prisma = new PostgresPrismaClient({ adapter }) as unknown as DbClient;
  }
  let closed: Promise<void> | null = null;
  return {
    prisma,
    provider: target.provider,
    close() {
      closed ??= prisma.$disconnect();
      return closed;
    },
  };
}
