// An update whose handling is cut short by SIGKILL is handled exactly once after the restart, with the real bot
// (`node --import tsx src/main.ts`) against the fake Bot API server on 127.0.0.1: the fake holds the reply's
// sendMessage unanswered, the bot is killed while it waits, and the held call is dropped (it never took effect).
// Webhook: Telegram saw the call fail, so it delivers the update again; polling: the offset was never confirmed, so
// the restarted bot fetches the update again. Before update claims had owners, the restarted bot found the dead
// process's fresh "processing" claim and ignored the redelivery: the person never got an answer.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Update } from "telegraf/types";
import { freshDatabase, PROVIDERS, querySql, type TestDatabase } from "../db/helpers.js";
import { startBot, type BotProcess } from "../support/bot-process.js";
import { postWebhook, privateText, startFakeTelegram, type FakeTelegram } from "../support/fake-telegram.js";

const SECRET = "crash-webhook-secret-0123456789";
/** Dead after 3 × 2 s: usually longer than a restart takes, so the redelivery waits for the takeover. */
const HEARTBEAT_SECONDS = "2";

/** Live bots, stopped after each test (a killed one is no longer here: BotProcess.stop() waits for an exit). */
const bots: BotProcess[] = [];

async function kill(bot: BotProcess): Promise<void> {
  bots.splice(bots.indexOf(bot), 1);
  if (bot.child.exitCode !== null || bot.child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => bot.child.once("exit", () => resolve()));
  bot.child.kill("SIGKILL");
  await exited;
}

async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

for (const { provider, label, skip } of PROVIDERS) describe.skipIf(skip)(`an update interrupted by SIGKILL is handled once after the restart (${label})`, () => {
  let tg: FakeTelegram;
  let db: TestDatabase;

  beforeEach(async () => {
    tg = await startFakeTelegram();
    db = await freshDatabase(provider);
  });
  afterEach(async () => {
    for (const bot of bots.splice(0)) await bot.stop();
    await tg.close();
    await db.drop();
  });

  const env = (mode: "polling" | "webhook") => ({
    DATABASE_URL: db.url,
    TELEGRAM_BOT_TOKEN: tg.token,
    TELEGRAM_API_ROOT: tg.apiRoot,
    INSTANCE_HEARTBEAT_SECONDS: HEARTBEAT_SECONDS,
    ...(mode === "webhook" ? { UPDATES_MODE: "webhook", PUBLIC_URL: "https://bot.example.test", WEBHOOK_SECRET: SECRET } : {}),
  });
  const start = async (mode: "polling" | "webhook") => {
    const bot = await startBot(env(mode), 90_000);
    bots.push(bot);
    return bot;
  };
  const claimOf = async (update: Update) =>
    (await querySql<{ status: string; owner: string | null }>(db, `SELECT "status", "owner" FROM "ProcessedUpdate" WHERE "key" = 'telegram:${update.update_id}'`))[0];
  const repliesTo = (chatId: number) => tg.sent.filter((m) => m.chatId === String(chatId));

  it("webhook: the redelivered update is answered once", { timeout: 180_000 }, async () => {
    const first = await start("webhook");
    await tg.waitForCalls("setWebhook", 1, 30_000);
    const update = privateText("/trogiup", { chatId: 81_001 });

    tg.stallNext("sendMessage");
    const delivery = postWebhook(`${first.url}/webhooks/telegram`, update, SECRET).then(
      (res) => `answered ${res.status}`,
      () => "failed",
    );
    await tg.waitForStalled(1, 30_000);
    await kill(first);
    // Telegram's call failed: it will deliver the update again.
    expect(await delivery).toBe("failed");
    const left = await claimOf(update);
    expect(left?.status).toBe("processing");
    expect(left?.owner).toBeTruthy();
    // The held reply was dropped when its client died: nobody got an answer.
    await until("the held call to be dropped", () => (tg.stalledCalls().length === 0 ? true : undefined));
    expect(repliesTo(81_001)).toEqual([]);

    const second = await start("webhook");
    const redelivered = await postWebhook(`${second.url}/webhooks/telegram`, update, SECRET);
    expect(redelivered.status).toBe(200);
    expect(repliesTo(81_001)).toHaveLength(1);
    expect(repliesTo(81_001)[0]!.plainText).toContain("/dangky");
    expect((await claimOf(update))?.status).toBe("done");

    // Once handled, another redelivery is answered 200 and ignored.
    const again = await postWebhook(`${second.url}/webhooks/telegram`, update, SECRET);
    expect(again.status).toBe(200);
    expect(repliesTo(81_001)).toHaveLength(1);
    expect(second.output()).not.toContain(tg.token);
  });

  it("polling: the restarted bot fetches the update again and answers it once", { timeout: 180_000 }, async () => {
    const first = await start("polling");
    await tg.waitForCalls("getUpdates", 1, 30_000);
    const update = privateText("/trogiup", { chatId: 81_002 });

    tg.stallNext("sendMessage");
    tg.pushUpdate(update);
    await tg.waitForStalled(1, 30_000);
    await kill(first);
    // The offset was never confirmed: the update is still waiting at Telegram.
    expect(tg.pendingUpdates().map((u) => u.update_id)).toContain(update.update_id);
    expect((await claimOf(update))?.status).toBe("processing");
    await until("the held call to be dropped", () => (tg.stalledCalls().length === 0 ? true : undefined));
    expect(repliesTo(81_002)).toEqual([]);

    const second = await start("polling");
    await until("the answer after the restart", () => (repliesTo(81_002).length > 0 ? true : undefined), 60_000);
    // Confirmed by the next poll, and handled exactly once.
    await until("the update to be confirmed", () => (tg.pendingUpdates().length === 0 ? true : undefined));
    expect((await claimOf(update))?.status).toBe("done");
    await new Promise((r) => setTimeout(r, 1_000));
    expect(repliesTo(81_002)).toHaveLength(1);
    expect(repliesTo(81_002)[0]!.plainText).toContain("/dangky");
    expect(second.output()).not.toContain(tg.token);
  });
});
