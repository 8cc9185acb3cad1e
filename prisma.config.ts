// Prisma CLI configuration. The JS engine + driver adapter path avoids downloading native engines,
// which this project's machines cannot reach (see /work/shared/DESIGN.md "Prisma here").
//
// One schema per provider: prisma/schema.prisma (SQLite, the source) and prisma/postgresql/schema.prisma (derived by
// `npm run db:pg-schema`). DATABASE_URL picks which one the CLI works on, with its migrations folder and adapter:
//   file:…                      → prisma/schema.prisma, prisma/migrations/sqlite, better-sqlite3
//   postgresql://… postgres://… → prisma/postgresql/schema.prisma, prisma/migrations/postgresql, pg
// The app itself migrates with src/db/migrator.ts (npm run db:migrate), not with `prisma migrate deploy`.
// `prisma generate` for both clients: scripts/generate-clients.sh (it passes --schema explicitly).
import { mkdirSync } from "node:fs";
import path from "node:path";
import { defineConfig } from "prisma/config";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";

const DEFAULT_URL = "file:./data/congdoan-bot.db";
const url = process.env.DATABASE_URL?.trim() || DEFAULT_URL;
const postgres = /^postgres(ql)?:\/\//i.test(url);

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: postgres ? path.join("prisma", "postgresql", "schema.prisma") : path.join("prisma", "schema.prisma"),
  migrations: { path: path.join("prisma", "migrations", postgres ? "postgresql" : "sqlite") },
  async adapter() {
    if (postgres) {
      // `?schema=name` (Prisma's URL convention) is not a pg option: strip it, make it the search_path, and tell the
      // adapter, which reports it to the schema engine.
      const parsed = new URL(url);
      const schema = parsed.searchParams.get("schema") || undefined;
      parsed.searchParams.delete("schema");
      return new PrismaPg(
        { connectionString: parsed.toString(), ...(schema ? { options: `-c search_path="${schema}"` } : {}) },
        schema ? { schema } : undefined,
      );
    }
    // `prisma migrate diff` and friends open the adapter even when they only compare schemas: make sure the file's
    // directory exists, and fall back to an in-memory database for URLs that are not SQLite files.
    const file = url.startsWith("file:") ? url.slice("file:".length) : ":memory:";
    if (file !== ":memory:") mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    return new PrismaBetterSQLite3({ url: file, timeout: 5000 });
  },
});
