// A stop always stops (issue 9 point 8, issue 10 point 7): the real bot (`node --import tsx src/main.ts`, web chat,
// a SQLite temp file) as a child process, stopped the way terminals and supervisors stop it.
//
// - SIGTERM, and its stdout/stderr pipes closed right after (what `npm start | pino-pretty` does on Ctrl-C): 20 runs,
//   each must exit 0 well within the deadline, with its graceful stop done (its instance row removed). Before the fix
//   the process hung for ever in pino's exit-time flush retrying EPIPE.
// - A graceful stop that cannot finish (a client holding a request open) exits at SHUTDOWN_TIMEOUT_SECONDS with the
//   reason logged; a second SIGTERM exits at once.
// - `npm start` stopped with SIGTERM to npm's own pid leaves no process behind.
// - A port in use is one line saying to set PORT.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { connect, createServer, type Server, type Socket } from "node:net";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { ROOT, freePort } from "../support/bot-process.js";

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

interface Started {
  child: ChildProcess;
  port: number;
  dbFile: string;
  output: () => string;
}

async function startBot(command: string, args: readonly string[], env: Record<string, string> = {}): Promise<Started> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "congdoan-stop-"));
  dirs.push(dir);
  const dbFile = path.join(dir, "bot.db");
  const port = await freePort();
  // Its own process group, so the test can tell whether anything of it (npm, sh, node) is left.
  const child = spawn(command, args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", LOG_LEVEL: "info", DATABASE_URL: `file:${dbFile}`, PORT: String(port), HOST: "127.0.0.1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let output = "";
  child.stdout!.on("data", (chunk) => (output += String(chunk)));
  child.stderr!.on("data", (chunk) => (output += String(chunk)));
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`bot exited with ${child.exitCode}:\n${output}`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/healthz`)).status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      killGroup(child);
      throw new Error(`bot did not become healthy:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { child, port, dbFile, output: () => output };
}

function groupAlive(child: ChildProcess): boolean {
  try {
    process.kill(-child.pid!, 0);
    return true;
  } catch {
    return false;
  }
}

function killGroup(child: ChildProcess): void {
  try {
    process.kill(-child.pid!, "SIGKILL");
  } catch {
    // gone already
  }
}

/** Exit code (or signal) of the child, or "still running" after `ms`. */
function exitWithin(child: ChildProcess, ms: number): Promise<{ code: number | null; signal: string | null; ms: number } | "still running"> {
  const started = Date.now();
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode, ms: 0 });
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve("still running"), ms);
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, ms: Date.now() - started });
    });
  });
}

/** Instances still registered: a graceful stop removes its own. */
function instanceRows(dbFile: string): number {
  const db = new Database(dbFile, { readonly: true });
  try {
    return (db.prepare("SELECT COUNT(*) AS n FROM Instance").get() as { n: number }).n;
  } finally {
    db.close();
  }
}

/** A client that sent half a request and waits: the HTTP server's close() waits for it. */
function holdRequestOpen(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1", () => {
      socket.write("POST /api/chat HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"chatId\":");
      // Long enough for the server to have parsed the headers and started handling it.
      setTimeout(() => resolve(socket), 300);
    });
    socket.on("error", reject);
  });
}

const BOT = [process.execPath, ["--import", "tsx", "src/main.ts"]] as const;
const RUNS = 20;
const DEADLINE_MS = 10_000;

describe("a stop always stops", () => {
  it(`SIGTERM with the output pipes closed right after: ${RUNS} runs, each exits 0 within ${DEADLINE_MS / 1000} s, graceful stop done`, async () => {
    const results: string[] = [];
    // Two bots at a time: the machine is shared.
    const one = async (run: number) => {
      const bot = await startBot(...BOT);
      try {
        bot.child.kill("SIGTERM");
        bot.child.stdout!.destroy();
        bot.child.stderr!.destroy();
        const exit = await exitWithin(bot.child, DEADLINE_MS + 2_000);
        results[run] = exit === "still running" ? "still running" : `exit ${exit.code ?? exit.signal}`;
        if (exit !== "still running") {
          expect(exit.ms, `run ${run}`).toBeLessThan(DEADLINE_MS);
          expect(instanceRows(bot.dbFile), `run ${run}: its instance row removed by the graceful stop`).toBe(0);
        }
      } finally {
        killGroup(bot.child);
      }
    };
    for (let run = 0; run < RUNS; run += 2) await Promise.all([one(run), one(run + 1)]);
    expect(results).toEqual(Array.from({ length: RUNS }, () => "exit 0"));
  }, 300_000);

  it("a graceful stop that cannot finish exits at SHUTDOWN_TIMEOUT_SECONDS, with the reason logged", async () => {
    const bot = await startBot(...BOT, { SHUTDOWN_TIMEOUT_SECONDS: "2" });
    const socket = await holdRequestOpen(bot.port);
    try {
      const sent = Date.now();
      bot.child.kill("SIGTERM");
      const exit = await exitWithin(bot.child, 8_000);
      expect(exit).not.toBe("still running");
      if (exit === "still running") return;
      expect(exit.code).toBe(1);
      expect(Date.now() - sent).toBeGreaterThanOrEqual(1_900);
      expect(bot.output()).toMatch(/graceful stop did not finish within SHUTDOWN_TIMEOUT_SECONDS: exiting anyway/);
    } finally {
      socket.destroy();
      killGroup(bot.child);
    }
  }, 90_000);

  it("a second SIGTERM exits at once", async () => {
    const bot = await startBot(...BOT, { SHUTDOWN_TIMEOUT_SECONDS: "60" });
    const socket = await holdRequestOpen(bot.port);
    try {
      bot.child.kill("SIGTERM");
      expect(await exitWithin(bot.child, 1_000), "the first signal waits for the open request").toBe("still running");
      bot.child.kill("SIGTERM");
      const exit = await exitWithin(bot.child, 3_000);
      expect(exit).not.toBe("still running");
      if (exit !== "still running") expect(exit.code).toBe(1);
      expect(bot.output()).toMatch(/second stop signal: exiting now/);
    } finally {
      socket.destroy();
      killGroup(bot.child);
    }
  }, 90_000);

  it("`npm start` stopped with SIGTERM to npm's pid: the bot stops gracefully and no process is left", async () => {
    const bot = await startBot("npm", ["start", "--silent"]);
    try {
      bot.child.kill("SIGTERM");
      const deadline = Date.now() + DEADLINE_MS;
      while (groupAlive(bot.child) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect(groupAlive(bot.child), "a process of `npm start` is still running").toBe(false);
      expect(instanceRows(bot.dbFile), "graceful stop: instance row removed").toBe(0);
    } finally {
      killGroup(bot.child);
    }
  }, 90_000);
});

describe("start-up on a port in use", () => {
  let blocker: Server;
  afterAll(() => blocker?.close());

  it("says in one line that the port is in use and to set PORT", async () => {
    blocker = createServer();
    const port = await new Promise<number>((resolve) => blocker.listen(0, "127.0.0.1", () => resolve((blocker.address() as { port: number }).port)));
    const dir = mkdtempSync(path.join(os.tmpdir(), "congdoan-stop-"));
    dirs.push(dir);
    const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", LOG_LEVEL: "silent", DATABASE_URL: `file:${path.join(dir, "bot.db")}`, PORT: String(port), HOST: "127.0.0.1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr!.on("data", (chunk) => (stderr += String(chunk)));
    const exit = await exitWithin(child, 60_000);
    expect(exit).not.toBe("still running");
    if (exit !== "still running") expect(exit.code).toBe(1);
    const lines = stderr.split("\n").filter((l) => l.trim() !== "");
    expect(lines).toEqual([`Start-up failed: port ${port} is already in use (another congdoan-bot, or another program); set PORT to a free port, e.g. PORT=${port + 1} npm start`]);
  }, 90_000);
});
