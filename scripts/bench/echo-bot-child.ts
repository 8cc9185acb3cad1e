// Child process of bench-inbound: the bare telegraf echo bot to compare with — its own webhook callback (with the
// secret token) on 127.0.0.1, replying to every text message with one sendMessage call (webhookReply off, as the
// real bot, so the reply is a real Bot API call). No database, no conversation. Tells the parent its port over IPC.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Telegraf } from "telegraf";
import { message } from "telegraf/filters";

export interface EchoJob {
  apiRoot: string;
  token: string;
  secret: string;
  path: string;
}

async function main(): Promise<void> {
  const job = JSON.parse(process.env.BENCH_JOB ?? "{}") as EchoJob;
  const bot = new Telegraf(job.token, { telegram: { apiRoot: job.apiRoot, webhookReply: false } });
  bot.botInfo = await bot.telegram.getMe();
  bot.on(message("text"), (ctx) => ctx.telegram.sendMessage(ctx.chat.id, ctx.message.text).then(() => undefined));
  const server = createServer(bot.webhookCallback(job.path, { secretToken: job.secret }));
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  process.send!({ port: (server.address() as AddressInfo).port });
  process.on("message", (m) => {
    if (m === "stop") server.close(() => process.exit(0));
  });
  // Never outlive the parent.
  process.on("disconnect", () => process.exit(0));
}

main().catch((error: unknown) => {
  console.error("echo-bot-child failed:", error);
  process.exit(1);
});
