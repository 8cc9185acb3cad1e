// Prisma CLI configuration. The JS engine + driver adapter path avoids downloading native engines,
// which this project's machines cannot reach (see README "Database").
import path from "node:path";
import { defineConfig } from "prisma/config";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: path.join("prisma", "schema.prisma"),
  async adapter() {
    const url = process.env.DATABASE_URL?.startsWith("file:") ? process.env.DATABASE_URL : "file:./data/congdoan-bot.db";
    return new PrismaBetterSQLite3({ url });
  },
});
