// Child process of bench-broadcast: the plain telegraf loop most bots start with,
//   for (const chat of chats) await bot.telegram.sendMessage(chat, text)
// with the one concession that a failed send is counted and the loop goes on (uncaught, the first 429 would end the
// loop and every later message would be lost). Sends the list in BENCH_JOB to the fake server; reports over IPC.
import { Telegraf, TelegramError } from "telegraf";

export interface ListJob {
  apiRoot: string;
  token: string;
  chats: string[];
  text: string;
  timeoutMs: number;
}

export interface ListResult {
  ok: number;
  failed: number;
  failedByCode: Record<string, number>;
  elapsedMs: number;
  timedOut: boolean;
}

async function main(): Promise<void> {
  const job = JSON.parse(process.env.BENCH_JOB ?? "{}") as ListJob;
  const bot = new Telegraf(job.token, { telegram: { apiRoot: job.apiRoot } });
  const started = performance.now();
  const deadline = started + job.timeoutMs;
  const result: ListResult = { ok: 0, failed: 0, failedByCode: {}, elapsedMs: 0, timedOut: false };
  for (const chat of job.chats) {
    if (performance.now() > deadline) {
      result.timedOut = true;
      break;
    }
    try {
      await bot.telegram.sendMessage(chat, job.text);
      result.ok++;
    } catch (error) {
      result.failed++;
      const code = error instanceof TelegramError ? String(error.code) : "network";
      result.failedByCode[code] = (result.failedByCode[code] ?? 0) + 1;
    }
  }
  result.elapsedMs = performance.now() - started;
  process.send!(result, () => process.exit(0));
}

main().catch((error: unknown) => {
  console.error("telegraf-loop-child failed:", error);
  process.exit(1);
});
