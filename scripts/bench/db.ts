// Throwaway databases for the benchmarks: a SQLite file in a fresh temporary directory, or a fresh schema in the
// PostgreSQL database of BENCH_POSTGRES_URL (default postgresql://postgres@127.0.0.1:5432/test), dropped afterwards.
// Migrated with the real migrator; the audience is written in bulk (setup is not what is measured).
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { createRepositories, migrate, openDatabase } from "../../src/db/index.js";
import type { Provider } from "../../src/db/url.js";

export const POSTGRES_URL = process.env.BENCH_POSTGRES_URL?.trim() || process.env.TEST_POSTGRES_URL?.trim() || "postgresql://postgres@127.0.0.1:5432/test";

export interface BenchDatabase {
  provider: Provider;
  url: string;
  drop(): Promise<void>;
}

export async function serverVersions(): Promise<{ sqlite: string; postgresql: string | null }> {
  const { default: Database } = await import("better-sqlite3");
  const mem = new Database(":memory:");
  const sqlite = (mem.prepare("select sqlite_version() as v").get() as { v: string }).v;
  mem.close();
  let postgresql: string | null = null;
  const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    postgresql = ((await client.query("show server_version")).rows[0] as { server_version: string }).server_version;
  } catch {
    postgresql = null;
  } finally {
    await client.end().catch(() => undefined);
  }
  return { sqlite, postgresql };
}

export async function freshBenchDatabase(provider: Provider): Promise<BenchDatabase> {
  let db: BenchDatabase;
  if (provider === "sqlite") {
    const dir = mkdtempSync(path.join(os.tmpdir(), "congdoan-bench-"));
    db = { provider, url: `file:${path.join(dir, "bench.db")}`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  } else {
    const schema = `bench_${randomBytes(5).toString("hex")}`;
    const url = new URL(POSTGRES_URL);
    url.searchParams.set("schema", schema);
    db = {
      provider,
      url: url.toString(),
      async drop() {
        const client = new pg.Client({ connectionString: POSTGRES_URL });
        await client.connect();
        try {
          await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        } finally {
          await client.end();
        }
      },
    };
  }
  await migrate(db.url);
  return db;
}

export const FIRST_CHAT_ID = 1_000_000;

export interface SeededBroadcast {
  broadcastId: number;
  /** Everyone the broadcast reaches: the officer who sends it and `audience − 1` members. */
  audience: number;
}

/**
 * A federation (root unit with two children), an officer of the root (granted by a used invitation, as /canbo
 * leaves it) and `audience − 1` active Telegram members spread over the three units, chat ids from FIRST_CHAT_ID;
 * then a confirmed broadcast of the officer to the whole tree, as /thongbao leaves it before the enqueue.
 */
export async function seedBroadcast(url: string, audience: number, text: string): Promise<SeededBroadcast> {
  const db = openDatabase(url);
  try {
    const { prisma } = db;
    const repositories = createRepositories(db);
    const root = await prisma.unit.create({ data: { code: "LDLD-BENCH", name: "Liên đoàn Lao động tỉnh (bench)", memberCount: audience, searchKey: "lien doan lao dong tinh bench ldld-bench" } });
    const units = [root.id];
    for (const code of ["CDGD-BENCH", "CDYT-BENCH"]) {
      units.push((await prisma.unit.create({ data: { code, name: `Công đoàn ${code}`, parentId: root.id, memberCount: 0, searchKey: code.toLowerCase() } })).id);
    }
    const officer = await prisma.subscriber.create({ data: { channel: "telegram", chatId: String(FIRST_CHAT_ID), role: "officer", unitId: root.id, locale: "vi", status: "active" } });
    await prisma.inviteCode.create({ data: { codeHash: randomBytes(32).toString("hex"), role: "officer", unitId: root.id, expiresAt: new Date(Date.now() + 86_400_000), usedAt: new Date(), usedById: officer.id } });
    const CHUNK = 2000;
    for (let i = 1; i < audience; i += CHUNK) {
      const data = [];
      for (let j = i; j < Math.min(audience, i + CHUNK); j++) {
        data.push({ channel: "telegram", chatId: String(FIRST_CHAT_ID + j), role: "member", unitId: j % 10 === 0 ? null : units[j % units.length]!, locale: j % 7 === 0 ? "en" : "vi", status: "active" });
      }
      await prisma.subscriber.createMany({ data });
    }
    const draft = await repositories.broadcasts.createDraft({ senderId: officer.id, audience: "subtree", unitId: root.id, text, recipients: audience, now: new Date() });
    if (!(await repositories.broadcasts.confirm(draft.id, new Date()))) throw new Error("bench: could not confirm the broadcast draft");
    return { broadcastId: draft.id, audience };
  } finally {
    await db.close();
  }
}
