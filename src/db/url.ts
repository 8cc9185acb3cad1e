// DATABASE_URL → which provider, and how to connect to it with the plain drivers (better-sqlite3, pg).
//   file:./data/congdoan-bot.db   SQLite; a relative path is relative to the working directory; `?…` is ignored.
//   file::memory:                 SQLite in memory (tests).
//   postgresql://… / postgres://… PostgreSQL; `?schema=name` selects a schema (as in Prisma's URLs).
import path from "node:path";
import type { PoolConfig } from "pg";

export type Provider = "sqlite" | "postgresql";

export type DatabaseTarget =
  | { provider: "sqlite"; /** Absolute file path, or ":memory:". */ file: string }
  | { provider: "postgresql"; /** The URL without `schema`, for pg. */ connectionString: string; schema: string | null };

export class UnsupportedDatabaseUrlError extends Error {
  constructor(url: string) {
    super(`DATABASE_URL must start with file: (SQLite) or postgresql:// (PostgreSQL), got "${redactUrl(url)}"`);
    this.name = "UnsupportedDatabaseUrlError";
  }
}

/** The URL with any password replaced by ***, for messages. */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/?#@]*:)[^@/?#]*@/i, "$1***@");
}

export function providerOf(url: string): Provider {
  return parseDatabaseUrl(url).provider;
}

export function parseDatabaseUrl(url: string): DatabaseTarget {
  const trimmed = url.trim();
  if (/^file:/i.test(trimmed)) {
    const rest = trimmed.slice("file:".length).split("?")[0]!;
    if (rest === "" ) throw new UnsupportedDatabaseUrlError(url);
    if (rest === ":memory:") return { provider: "sqlite", file: ":memory:" };
    return { provider: "sqlite", file: path.resolve(rest) };
  }
  if (/^postgres(ql)?:\/\//i.test(trimmed)) {
    let parsed: URL;
    try {
      parsed = new URL(trimmed);
    } catch {
      throw new UnsupportedDatabaseUrlError(url);
    }
    const schema = parsed.searchParams.get("schema");
    parsed.searchParams.delete("schema");
    return { provider: "postgresql", connectionString: parsed.toString(), schema: schema && schema.length > 0 ? schema : null };
  }
  throw new UnsupportedDatabaseUrlError(url);
}

/** Double-quoted SQL identifier. */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** pg pool/client settings for a PostgreSQL target: the schema becomes the search_path of every connection. */
export function pgConfig(target: Extract<DatabaseTarget, { provider: "postgresql" }>): PoolConfig {
  return {
    connectionString: target.connectionString,
    ...(target.schema ? { options: `-c search_path=${quoteIdent(target.schema).replace(/ /g, "\\ ")}` } : {}),
  };
}
