// The one switch for the database of every test that is not explicitly per-provider: TEST_DATABASE=sqlite
// (default) or TEST_DATABASE=postgresql. Read here and nowhere else. With postgresql, TEST_POSTGRES_URL must be set
// (a fresh schema per database in it); a run asking for PostgreSQL without one fails instead of quietly using SQLite.
// Tests that loop over PROVIDERS (test/db/helpers.ts) keep testing both providers whatever this says.
import type { Provider } from "../../src/db/url.js";
import { freshDatabase, TEST_POSTGRES_URL, type TestDatabase } from "../db/helpers.js";

function readSwitch(): Provider {
  const raw = (process.env.TEST_DATABASE ?? "").trim().toLowerCase();
  if (raw === "" || raw === "sqlite") return "sqlite";
  if (raw === "postgresql" || raw === "postgres") return "postgresql";
  throw new Error(`TEST_DATABASE must be sqlite or postgresql, got ${JSON.stringify(process.env.TEST_DATABASE)}`);
}

const PROVIDER: Provider = readSwitch();

if (PROVIDER === "postgresql" && !TEST_POSTGRES_URL) {
  throw new Error("TEST_DATABASE=postgresql needs TEST_POSTGRES_URL (e.g. postgresql://postgres@127.0.0.1:5432/test)");
}

/** The provider of the tests that run on one database: TEST_DATABASE, default sqlite. */
export function defaultProvider(): Provider {
  return PROVIDER;
}

/** A fresh throwaway database of the default provider (SQLite temp file, or a PostgreSQL schema t_<random>). */
export function defaultTestDatabase(): Promise<TestDatabase> {
  return freshDatabase(PROVIDER);
}
