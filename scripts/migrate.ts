// npm run db:migrate — applies pending migrations to DATABASE_URL (default file:./data/congdoan-bot.db).
import { migrate } from "../src/db/migrator.js";
import { parseDatabaseUrl, redactUrl } from "../src/db/url.js";

export const DEFAULT_DATABASE_URL = "file:./data/congdoan-bot.db";

async function main(): Promise<number> {
  const url = process.env.DATABASE_URL?.trim() || DEFAULT_DATABASE_URL;
  try {
    const target = parseDatabaseUrl(url);
    const result = await migrate(url);
    const where = target.provider === "sqlite" ? target.file : redactUrl(url);
    for (const name of result.applied) console.log(`applied ${name}`);
    if (result.applied.length === 0) {
      console.log(`${target.provider} ${where}: up to date (${result.alreadyApplied.length} migration(s) already applied)`);
    } else {
      console.log(`${target.provider} ${where}: applied ${result.applied.length} migration(s)`);
    }
    if (result.unknown.length > 0) {
      console.warn(`warning: applied in the database but not found in prisma/migrations: ${result.unknown.join(", ")}`);
    }
    return 0;
  } catch (e) {
    console.error(`db:migrate failed: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  }
}

process.exitCode = await main();
