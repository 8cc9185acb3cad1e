// Child process of bench-broadcast: grammY with the two plugins its documentation recommends for broadcasts,
// transformer-throttler (default limits: 30 calls a second overall, one a second per chat) and auto-retry (waits
// retry_after and tries again; installed last, so a retried call goes through the throttler again). Sends the list
// in BENCH_JOB to the fake server one message after another, like the telegraf loop; reports over IPC.
import { autoRetry } from "@grammyjs/auto-retry";
import { apiThrottler } from "@grammyjs/transformer-throttler";
import { Bot, GrammyError } from "grammy";
import type { ListJob, ListResult } from "./telegraf-loop-child.js";

async function main(): Promise<void> {
  const job = JSON.parse(process.env.BENCH_JOB ?? "{}") as ListJob;
  const bot = new Bot(job.token, { client: { apiRoot: job.apiRoot } });
  bot.api.config.use(apiThrottler());
  bot.api.config.use(autoRetry());
  const started = performance.now();
  const deadline = started + job.timeoutMs;
  const result: ListResult = { ok: 0, failed: 0, failedByCode: {}, elapsedMs: 0, timedOut: false };
  for (const chat of job.chats) {
    if (performance.now() > deadline) {
      result.timedOut = true;
      break;
    }
    try {
      await bot.api.sendMessage(chat, job.text);
      result.ok++;
    } catch (error) {
      result.failed++;
      const code = error instanceof GrammyError ? String(error.error_code) : "network";
      result.failedByCode[code] = (result.failedByCode[code] ?? 0) + 1;
    }
  }
  result.elapsedMs = performance.now() - started;
  process.send!(result, () => process.exit(0));
}

main().catch((error: unknown) => {
  console.error("grammy-child failed:", error);
  process.exit(1);
});
