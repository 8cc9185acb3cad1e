// The compiled runtime as the container runs it: `npm run build` emits dist/, then `node dist/main.js` (no tsx, no
// TypeScript), with the Dockerfile's node flags and environment, is started from another working directory — the locales, the migrations, the bundled plans and the web
// chat's page must be found from dist/ itself — and serves /healthz and the web chat; the compiled admin CLI reads the
// same database. The process's resident memory once idle is printed (the budget is checked by npm run bench:idle).
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runtimeEnv, runtimeNodeFlags } from "../../scripts/bench/compile.js";
import { ROOT, startBot, type BotProcess } from "../support/bot-process.js";

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]));
}

describe("compiled runtime (npm run build → node dist/main.js)", () => {
  let dir: string;
  let bot: BotProcess;
  let databaseUrl: string;

  beforeAll(async () => {
    const build = spawnSync("npm", ["run", "build"], { cwd: ROOT, encoding: "utf8", timeout: 180_000 });
    expect(build.status, `${build.stdout}\n${build.stderr}`).toBe(0);
    dir = mkdtempSync(join(tmpdir(), "congdoan-dist-"));
    databaseUrl = `file:${join(dir, "bot.db")}`;
    bot = await startBot({ ...runtimeEnv(), DATABASE_URL: databaseUrl, WEB_CHAT: "on" }, 60_000, { args: [...runtimeNodeFlags(), join(ROOT, "dist/main.js")], cwd: dir });
  }, 240_000);
  afterAll(async () => {
    await bot?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("emits JavaScript only, with the generated Prisma clients and the web chat's files", () => {
    const files = filesUnder(join(ROOT, "dist"));
    expect(files.filter((f) => f.endsWith(".ts"))).toEqual([]);
    expect(existsSync(join(ROOT, "dist/db/generated/sqlite/client.js"))).toBe(true);
    expect(existsSync(join(ROOT, "dist/db/generated/postgresql/client.js"))).toBe(true);
    // Prisma's query compilers, read from files (scripts/prisma-wasm-file.mjs).
    for (const provider of ["sqlite", "postgresql"]) expect(existsSync(join(ROOT, `dist/db/generated/${provider}/internal/query_compiler_bg.wasm`)), provider).toBe(true);
    expect(existsSync(join(ROOT, "dist/channels/web/public/index.html"))).toBe(true);
    expect(files.some((f) => f.endsWith(".js") && readFileSync(f, "utf8").includes("tsx"))).toBe(false);
  });

  it("serves /healthz and the web chat page, having migrated and loaded the bundled plans from another directory", async () => {
    const health = await fetch(`${bot.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: "ok" });
    const page = await fetch(`${bot.url}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("<html");
    expect(bot.output()).toContain("loaded the bundled campaign plans");
    const status = readFileSync(`/proc/${bot.child.pid}/status`, "utf8");
    console.log(`node dist/main.js (web chat, SQLite): ${/VmRSS:\s+(\d+)/.exec(status)?.[1]} kB resident after start-up`);
  });

  it("runs the admin CLI compiled", () => {
    const list = spawnSync(process.execPath, [join(ROOT, "dist/admin/main.js"), "campaign", "list"], { cwd: dir, env: { PATH: process.env.PATH ?? "", DATABASE_URL: databaseUrl }, encoding: "utf8", timeout: 60_000 });
    expect(list.status, list.stderr).toBe(0);
    expect(list.stdout).toContain("lai-chau-2025");
    expect(list.stdout).toContain("bac-kan-2021");
  });
});
