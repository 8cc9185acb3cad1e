// Starts the real bot compiled (`npm run build`, then `node <the Dockerfile's flags> dist/main.js` with the
// Dockerfile's environment, as the container runs it) as a child process on a free port of 127.0.0.1 and waits until
// /healthz answers — the tests' startBot (test/support/bot-process.ts) with the compiled command. BENCH_BOT_NODE_FLAGS
// adds node flags (profiling: "--cpu-prof --cpu-prof-dir=/tmp/prof"). Its output is in the error message if it dies.
import { startBot, type BotProcess } from "../../test/support/bot-process.js";
import { buildBot, runtimeEnv, runtimeNodeFlags } from "./compile.js";

export type { BotProcess };

export async function startRealBot(env: Record<string, string>, timeoutMs = 90_000): Promise<BotProcess> {
  buildBot();
  const flags = (process.env.BENCH_BOT_NODE_FLAGS ?? "").split(" ").filter(Boolean);
  return startBot({ ...runtimeEnv(), ...env }, timeoutMs, { args: [...runtimeNodeFlags(), ...flags, "dist/main.js"] });
}
