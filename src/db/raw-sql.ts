// Hand-written SQL for the hot paths (every update: claim, subscriber, session, finish; the campaign versions and the
// unit count of the commands that need them). These statements bypass Prisma entirely: run through Prisma's raw query
// API a statement still pays the query compiler (WebAssembly), the client's request pipeline and, on SQLite, a fresh
// prepare per call. Here they go straight to the driver the Prisma adapter uses — on SQLite the adapter's own
// better-sqlite3 connection (so a statement sees and takes part in exactly what a Prisma query would: one connection,
// one busy timeout, no second writer), on PostgreSQL the adapter's own pg pool — as statements prepared once.
// Identifiers are double-quoted (both providers); parameters are `?` on SQLite and `$n` on PostgreSQL.
import type { Database, Statement } from "better-sqlite3";
import type pg from "pg";
import type { Provider } from "./url.js";

/** The placeholder of the n-th parameter (from 1). SQLite's `?` are positional: use them in order. */
export function placeholder(provider: Provider): (n: number) => string {
  return provider === "postgresql" ? (n) => `$${n}` : () => "?";
}

/** A DateTime column as a raw query returns it: a Date (PostgreSQL) or the stored text or number (SQLite). */
export function asDate(value: Date | string | number): Date;
export function asDate(value: Date | string | number | null): Date | null;
export function asDate(value: Date | string | number | null): Date | null {
  return value === null ? null : value instanceof Date ? value : new Date(value);
}

/** Parameters: string, number, boolean, Date or null. */
export type SqlParam = string | number | boolean | Date | null;

/** Prepared statements on the connection(s) Prisma uses for the same database. */
export interface RawSql {
  readonly provider: Provider;
  /** The rows a statement returns (SELECT, or a write with RETURNING), as objects keyed by column name. */
  query<T>(sql: string, ...params: SqlParam[]): Promise<T[]>;
  /** How many rows a write changed. */
  execute(sql: string, ...params: SqlParam[]): Promise<number>;
}

const registry = new WeakMap<object, RawSql>();

/** Called by openDatabase(): the raw path that belongs to this Prisma client. */
export function registerRawSql(prisma: object, sql: RawSql): void {
  registry.set(prisma, sql);
}

/** The raw path of a client opened by openDatabase() (src/db/client.ts). */
export function rawSql(prisma: object): RawSql {
  const sql = registry.get(prisma);
  if (!sql) throw new Error("rawSql: this Prisma client was not opened by openDatabase()");
  return sql;
}

/**
 * A DateTime parameter as the SQLite adapter writes it (its default "iso8601" format): the same text as the rows
 * Prisma writes, so that the text comparisons SQLite makes on these columns order them right.
 */
const sqliteParam = (value: SqlParam): string | number | null =>
  value instanceof Date ? value.toISOString().replace("Z", "+00:00") : typeof value === "boolean" ? (value ? 1 : 0) : value;

/** Longer than Prisma's interactive transaction timeout (5 s by default): a transaction ends or is rolled back first. */
const TRANSACTION_WAIT_MS = 10_000;

/** `connection` gives the better-sqlite3 connection of the Prisma adapter (opening it when needed). */
export function sqliteRawSql(connection: () => Database | Promise<Database>): RawSql {
  let cachedFor: Database | null = null;
  const statements = new Map<string, Statement>();
  const prepared = async (sql: string): Promise<Statement> => {
    const db = await connection();
    if (db !== cachedFor) {
      statements.clear();
      cachedFor = db;
    }
    let statement = statements.get(sql);
    if (!statement) {
      // The adapter's connection hands integers out as BigInt (defaultSafeIntegers): ids and counts fit a number.
      statement = db.prepare(sql).safeIntegers(false);
      statements.set(sql, statement);
    }
    return statement;
  };
  /**
   * A statement here is never part of a transaction (raw statements run on the root client only, see rawSql), but
   * Prisma's interactive transactions hold BEGIN on this same connection between their awaits: one run now would
   * join someone else's transaction and roll back with it. So it waits for the connection to leave it; nothing can
   * begin one between this check and the synchronous run that follows.
   */
  const ready = async (sql: string): Promise<Statement> => {
    const statement = await prepared(sql);
    if (!cachedFor?.inTransaction) return statement;
    const deadline = Date.now() + TRANSACTION_WAIT_MS;
    for (let round = 0; cachedFor.inTransaction; round++) {
      if (Date.now() > deadline) throw new Error(`sqlite: the connection stayed inside a transaction for over ${TRANSACTION_WAIT_MS} ms`);
      await new Promise((resolve) => (round < 100 ? setImmediate(resolve) : setTimeout(resolve, 2)));
    }
    return statement;
  };
  return {
    provider: "sqlite",
    async query<T>(sql: string, ...params: SqlParam[]) {
      const statement = await ready(sql);
      const args = params.map(sqliteParam);
      if (statement.reader) return statement.all(...args) as T[];
      statement.run(...args);
      return [];
    },
    async execute(sql: string, ...params: SqlParam[]) {
      return (await ready(sql)).run(...params.map(sqliteParam)).changes;
    },
  };
}

/** Prisma keeps DateTime in `timestamp(3)` (no zone) as UTC: read it as UTC, whatever the process's time zone. */
const TIMESTAMP_OID = 1114;
const INT8_OID = 20;
const pgTypes = (types: typeof pg.types): pg.CustomTypesConfig => ({
  getTypeParser: ((oid: number, format?: "text" | "binary") => {
    if (oid === TIMESTAMP_OID) return (text: string) => new Date(`${text.replace(" ", "T")}Z`);
    // COUNT(*) and the like: counts fit a number.
    if (oid === INT8_OID) return (text: string) => Number(text);
    return types.getTypeParser(oid, format);
  }) as pg.CustomTypesConfig["getTypeParser"],
});

/**
 * A Date parameter as UTC text: PostgreSQL drops the zone when it reads a `timestamp` (no zone), which leaves UTC,
 * the way Prisma stores it (pg would send the process's local time instead).
 */
const pgParam = (value: SqlParam): string | number | boolean | null => (value instanceof Date ? value.toISOString() : value);

/**
 * `pool` gives the pg pool the Prisma adapter was given (made on first use, so a SQLite process never loads `pg`).
 * Each statement text is prepared once per connection.
 */
export function pgRawSql(pool: () => Promise<pg.Pool>): RawSql {
  const names = new Map<string, string>();
  let types: pg.CustomTypesConfig | undefined;
  const run = async (text: string, params: SqlParam[]) => {
    let name = names.get(text);
    if (!name) {
      name = `congdoan_hot_${names.size + 1}`;
      names.set(text, name);
    }
    const connections = await pool();
    types ??= pgTypes((await import("pg")).default.types);
    return connections.query({ name, text, values: params.map(pgParam), types });
  };
  return {
    provider: "postgresql",
    async query<T>(sql: string, ...params: SqlParam[]) {
      return (await run(sql, params)).rows as T[];
    },
    async execute(sql: string, ...params: SqlParam[]) {
      return (await run(sql, params)).rowCount ?? 0;
    },
  };
}
