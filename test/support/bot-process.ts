// Starts the real bot (`node --import tsx src/main.ts`) as a child process on a free port, exactly as `npm start`
// would, and waits until /healthz answers.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { openWebChat, type WebChatClient } from "./web-chat-client.js";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface BotProcess {
  url: string;
  child: ChildProcess;
  output: () => string;
  stop: () => Promise<void>;
}

/** How the bot is run: `npm start`'s way by default; the compiled form is `{ args: ["dist/main.js"] }`. */
export interface BotCommand {
  args: string[];
  cwd?: string;
}

export async function startBot(env: Record<string, string>, timeoutMs = 60_000, command: BotCommand = { args: ["--import", "tsx", "src/main.ts"] }): Promise<BotProcess> {
  const port = await freePort();
  let output = "";
  const child = spawn(process.execPath, command.args, {
    cwd: command.cwd ?? ROOT,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", LOG_LEVEL: "info", ...env, PORT: String(port), HOST: "127.0.0.1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.on("data", (chunk) => (output += String(chunk)));
  child.stderr!.on("data", (chunk) => (output += String(chunk)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`bot exited with ${child.exitCode}:\n${output}`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`bot did not become healthy in ${timeoutMs} ms:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    child,
    output: () => output,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
        child.once("exit", () => {
          clearTimeout(timer);
          resolve();
        });
        child.kill("SIGTERM");
      }),
  };
}

export interface ChatReply {
  text: string;
  choices?: { label: string; value: string }[];
}

/** One browser session per (bot, person) pair: the server issues the session, the test names the person. */
const clients = new Map<string, Promise<WebChatClient>>();

/** One turn of the web chat over real HTTP, as `person` (a test's name for one browser). */
export async function chat(url: string, person: string, text: string): Promise<ChatReply[]> {
  const key = `${url} ${person}`;
  if (!clients.has(key)) clients.set(key, openWebChat(url));
  return (await clients.get(key)!).say(text);
}

export interface AdminRun {
  status: number;
  stdout: string;
  stderr: string;
}

/** The admin CLI (`scripts/admin.ts`) as a child process with only PATH and `env` (DATABASE_URL…) in its environment. */
export function admin(env: Record<string, string>, ...args: string[]): AdminRun {
  const run = spawnSync(process.execPath, ["--import", "tsx", "scripts/admin.ts", ...args], { cwd: ROOT, env: { PATH: process.env.PATH ?? "", ...env }, encoding: "utf8" });
  return { status: run.status ?? 1, stdout: run.stdout.trim(), stderr: run.stderr.trim() };
}

/** The admin CLI's stdout; throws with its stderr when it fails. */
export function adminOk(env: Record<string, string>, ...args: string[]): string {
  const run = admin(env, ...args);
  if (run.status !== 0) throw new Error(`admin ${args.join(" ")} failed:\n${run.stderr}`);
  return run.stdout;
}

/** The last line of a command's output (where `invite create` and `console link` print their code or link). */
export const lastLine = (text: string) => text.split("\n").at(-1)!;
