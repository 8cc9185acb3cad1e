// Starts the real bot compiled (`npm run build`, then `node <the Dockerfile's flags> dist/main.js` with the
// Dockerfile's environment, as the container runs it) as a child process on a free port of
// 127.0.0.1 and waits until /healthz answers. BENCH_BOT_NODE_FLAGS adds node flags (profiling: "--cpu-prof
// --cpu-prof-dir=/tmp/prof"). Its output is kept (the last 64 KB) for the error message if it dies.
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { buildBot, ROOT, runtimeEnv, runtimeNodeFlags } from "./compile.js";

export interface BotProcess {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
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

export async function startRealBot(env: Record<string, string>, timeoutMs = 90_000): Promise<BotProcess> {
  buildBot();
  const port = await freePort();
  let output = "";
  const keep = (chunk: unknown) => {
    output = (output + String(chunk)).slice(-65_536);
  };
  const flags = (process.env.BENCH_BOT_NODE_FLAGS ?? "").split(" ").filter(Boolean);
  const child = spawn(process.execPath, [...runtimeNodeFlags(), ...flags, "dist/main.js"], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...runtimeEnv(), ...env, PORT: String(port), HOST: "127.0.0.1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the bot exited with ${child.exitCode}:\n${output}`);
    try {
      if ((await fetch(`${url}/healthz`)).status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`the bot did not become healthy in ${timeoutMs} ms:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
        child.once("exit", () => {
          clearTimeout(timer);
          resolve();
        });
        child.kill("SIGTERM");
      }),
  };
}
