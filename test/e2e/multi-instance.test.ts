// Several instances on one PostgreSQL, as docker-compose.yml runs them: TWO real bot processes (`src/main.ts`) on one
// fresh PostgreSQL schema, in webhook mode, behind a small round-robin load balancer, both sending to one fake
// Telegram Bot API server. Shown here:
//   - every update is handled once, whichever instance gets it, also when it is redelivered to the OTHER instance
//     (one after the other, and both at once);
//   - the campaign launch push (due today) is planned once although both planners tick at start-up together, and
//     both outbox workers drain it, each subscriber getting exactly one message;
//   - after one instance is killed (SIGKILL) with claims in hand, the other takes its stale claims over and finishes
//     the work, and the load balancer sends updates to the survivor;
//   - /metrics of each instance adds up to what happened.
// Skipped (and said so) when TEST_POSTGRES_URL is not set.
import { createServer, type Server } from "node:http";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { createRepositories, migrate, openDatabase, type OpenDatabase, type Repositories } from "../../src/db/index.js";
import { localDate } from "../../src/domain/clock.js";
import { freshDatabase, PROVIDERS, type TestDatabase } from "../db/helpers.js";
import { startBot, type BotProcess } from "../support/bot-process.js";
import { postWebhook, privateText, startFakeTelegram, type FakeTelegram } from "../support/fake-telegram.js";
import { liveCampaignYaml } from "../support/live-campaign.js";

const VN = "Asia/Ho_Chi_Minh";
const SECRET = "multi-instance-secret-0123456789";
const SLUG = "e2e-multi";
/** Subscribers of the launch push: several batches of each worker's 20 rows at 20 msg/s, so both take part. */
const AUDIENCE = 100;
/** Rows queued for the crash part. */
const CRASH_ROWS = 120;

const pg = PROVIDERS.find((p) => p.provider === "postgresql")!;

// ---- a tiny round-robin load balancer: the next backend for every request; one that refuses the connection is
// skipped (as Caddy's lb_try_duration does), a request that reached a backend is never sent twice. ----------------

interface Balancer {
  url: string;
  /** Which backend answered each request, in order. */
  routed: string[];
  close(): Promise<void>;
}

async function startBalancer(backends: string[]): Promise<Balancer> {
  let next = 0;
  const routed: string[] = [];
  const server: Server = createServer((req, res) => {
    void (async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const body = Buffer.concat(chunks);
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string" && !["host", "connection", "content-length"].includes(k)) headers[k] = v;
      const start = next++;
      for (let i = 0; i < backends.length; i++) {
        const backend = backends[(start + i) % backends.length]!;
        let answer: Response;
        try {
          answer = await fetch(`${backend}${req.url ?? "/"}`, { method: req.method, headers, ...(body.length ? { body } : {}) });
        } catch (error) {
          // Connection refused: this backend is down; the request never reached it. Try the next one.
          if ((error as { cause?: { code?: string } }).cause?.code === "ECONNREFUSED") continue;
          res.writeHead(502).end();
          return;
        }
        routed.push(backend);
        res.writeHead(answer.status, { "content-type": answer.headers.get("content-type") ?? "application/octet-stream" });
        res.end(Buffer.from(await answer.arrayBuffer()));
        return;
      }
      res.writeHead(502).end();
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    routed,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

// ---- /metrics, parsed just enough --------------------------------------------------------------------------------

const METRICS_TOKEN = "multi-instance-metrics-0123456789";
const scrape = async (bot: BotProcess) => (await fetch(`${bot.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text();

async function counter(bot: BotProcess, name: string, labels: Record<string, string>): Promise<number> {
  const text = await scrape(bot);
  const wanted = Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .sort();
  for (const line of text.split("\n")) {
    const m = /^([a-z_]+)\{(.*)\} (\S+)$/.exec(line);
    if (m && m[1] === name && m[2]!.split(",").sort().join(",") === wanted.join(",")) return Number(m[3]);
  }
  throw new Error(`${name} ${JSON.stringify(labels)} not in /metrics of ${bot.url}`);
}

async function waitFor<T>(what: string, check: () => Promise<T | undefined> | T | undefined, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.skipIf(pg.skip)(`two instances on one PostgreSQL, webhook mode behind a load balancer (${pg.label})`, () => {
  let test: TestDatabase;
  let db: OpenDatabase;
  let repositories: Repositories;
  let telegram: FakeTelegram;
  let dir: string;
  let a: BotProcess;
  let b: BotProcess;
  let lb: Balancer;
  const audience = Array.from({ length: AUDIENCE }, (_, i) => String(810_000 + i));

  beforeAll(async () => {
    test = await freshDatabase("postgresql");
    await migrate(test.url);
    db = openDatabase(test.url);
    repositories = createRepositories(db);
    // The audience exists before the instances start, so the start-up tick plans the launch for all of them.
    for (const chatId of audience) await repositories.subscribers.register({ channel: "telegram", chatId, locale: "vi" });

    // A plan launched today at 00:00 local time: due at once, well inside the catch-up grace.
    dir = mkdtempSync(join(tmpdir(), "congdoan-multi-"));
    const plan = parse(liveCampaignYaml(localDate(new Date(), VN), SLUG)) as Record<string, unknown>;
    writeFileSync(join(dir, `${SLUG}.yaml`), stringify({ ...plan, launch_date: localDate(new Date(), VN), greeting_time: "00:00" }));

    telegram = await startFakeTelegram();
    const env = {
      DATABASE_URL: test.url,
      TELEGRAM_BOT_TOKEN: telegram.token,
      TELEGRAM_API_ROOT: telegram.apiRoot,
      UPDATES_MODE: "webhook",
      PUBLIC_URL: "https://congdoan.example.org",
      WEBHOOK_SECRET: SECRET,
      CAMPAIGNS_DIR: dir,
      BOT_TIMEZONE: VN,
      QUIET_HOURS: "00:00-00:00",
      TELEGRAM_RATE_PER_SECOND: "20",
      DELIVERY_CONCURRENCY: "2",
      // A dead worker's claims come back after 3 s instead of 10 minutes; a dead instance's update claims after 3 beats.
      DELIVERY_STALE_CLAIM_SECONDS: "3",
      INSTANCE_HEARTBEAT_SECONDS: "1",
      METRICS_TOKEN,
    };
    // Both at once, as `docker compose up` starts the replicas: migrations, seeding and the first planner tick race.
    [a, b] = await Promise.all([startBot(env), startBot(env)]);
    lb = await startBalancer([a.url, b.url]);
  });

  afterAll(async () => {
    // bot-process's stop() waits for an exit that a SIGKILLed child has already had.
    const alive = (bot: BotProcess | undefined) => bot && bot.child.exitCode === null && bot.child.signalCode === null;
    await Promise.all([a, b].filter(alive).map((bot) => bot!.stop()));
    await lb?.close();
    await telegram?.close();
    await db?.close();
    await test?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const sentTo = (chatId: string) => telegram.sent.filter((m) => m.chatId === chatId);

  it("both instances start on the empty database together: one campaign, both webhooks registered", async () => {
    expect((await repositories.campaigns.listAll()).map((c) => c.slug)).toEqual([SLUG]);
    await telegram.waitForCalls("setWebhook", 2);
    expect(telegram.webhook).toEqual({ url: "https://congdoan.example.org/webhooks/telegram", secretToken: SECRET });
    for (const bot of [a, b]) expect((await fetch(`${bot.url}/healthz`)).status).toBe(200);
  });

  it("every update is handled once, also when it is redelivered to the other instance", async () => {
    const replies = new Map<string, number>();
    const firstDeliveries: string[] = [];
    let redeliveries = 0;
    for (let i = 0; i < 6; i++) {
      const chatId = String(830_000 + i);
      const update = privateText("/chude", { chatId: 830_000 + i, updateId: 5_000_000 + i });
      expect((await postWebhook(`${lb.url}/webhooks/telegram`, update, SECRET)).status).toBe(200);
      firstDeliveries.push(lb.routed.at(-1)!);
      replies.set(chatId, sentTo(chatId).length);
      expect(replies.get(chatId)).toBeGreaterThan(0);
      // Telegram delivers it again (every other update twice more, so first deliveries land on both instances);
      // round robin takes each redelivery to the other instance than the delivery before.
      for (let again = 0; again < 1 + (i % 2); again++) {
        const previous = lb.routed.at(-1);
        expect((await postWebhook(`${lb.url}/webhooks/telegram`, update, SECRET)).status).toBe(200);
        expect(lb.routed.at(-1)).not.toBe(previous);
        redeliveries++;
      }
    }
    expect(new Set(firstDeliveries)).toEqual(new Set([a.url, b.url]));
    // And once more, to both instances at the same moment.
    const both = privateText("/chude", { chatId: 830_100, updateId: 5_000_100 });
    const answers = await Promise.all([a, b].map((bot) => postWebhook(`${bot.url}/webhooks/telegram`, both, SECRET)));
    expect(answers.map((r) => r.status)).toEqual([200, 200]);
    replies.set("830100", sentTo("830100").length);
    expect(replies.get("830100")).toBeGreaterThan(0);

    await new Promise((r) => setTimeout(r, 300));
    for (const [chatId, count] of replies) expect(sentTo(chatId), chatId).toHaveLength(count);
    // Both instances handled updates; together they handled 7 and ignored every redelivery (the simultaneous one too).
    const handled = await Promise.all([a, b].map((bot) => counter(bot, "congdoan_updates_handled_total", { channel: "telegram", outcome: "handled" })));
    const duplicates = await Promise.all([a, b].map((bot) => counter(bot, "congdoan_updates_handled_total", { channel: "telegram", outcome: "duplicate" })));
    expect(handled[0], "instance A handled some").toBeGreaterThan(0);
    expect(handled[1], "instance B handled some").toBeGreaterThan(0);
    expect(handled[0]! + handled[1]!).toBe(7);
    expect(duplicates[0]! + duplicates[1]!).toBe(redeliveries + 1);
  });

  it("the launch push is planned once and drained by both workers: one message per subscriber", async () => {
    const key = `${SLUG}:launch`;
    await waitFor("the launch push to reach every subscriber", () => (audience.every((c) => sentTo(c).length > 0) ? true : undefined));
    await new Promise((r) => setTimeout(r, 1_500));
    for (const chatId of audience) expect(sentTo(chatId), chatId).toHaveLength(1);
    expect(sentTo(audience[0]!)[0]!.plainText).toContain("Kế hoạch thi đua thử nghiệm");

    const records = await db.prisma.plannedEvent.findMany({ where: { key } });
    expect(records).toEqual([expect.objectContaining({ status: "planned", recipients: AUDIENCE })]);
    const rows = await db.prisma.notification.findMany({ where: { eventKey: key } });
    expect(rows).toHaveLength(AUDIENCE);
    expect(rows.every((r) => r.status === "sent")).toBe(true);

    const sent = await Promise.all([a, b].map((bot) => counter(bot, "congdoan_messages_sent_total", { channel: "telegram" })));
    expect(sent[0]! + sent[1]!).toBe(AUDIENCE);
    expect(sent[0], "instance A sent some").toBeGreaterThan(0);
    expect(sent[1], "instance B sent some").toBeGreaterThan(0);
    // One of the two logged the push as planned; the other saw it planned by another instance.
    const planned = [a, b].filter((bot) => bot.output().includes('"msg":"scheduled push planned"'));
    expect(planned).toHaveLength(1);
  });

  it("after one instance is killed mid-delivery, the other takes over its claims and finishes; updates go to the survivor", async () => {
    const victimPid = a.child.pid!;
    const chats = Array.from({ length: CRASH_ROWS }, (_, i) => String(820_000 + i));
    const subscribers = [];
    for (const chatId of chats) subscribers.push(await repositories.subscribers.register({ channel: "telegram", chatId, locale: "vi" }));
    const sentBefore = await counter(b, "congdoan_messages_sent_total", { channel: "telegram" });
    await repositories.outbox.enqueue(
      subscribers.map((s) => ({
        key: `crash:${s.id}`,
        eventKey: "crash",
        eventType: "test",
        subscriberId: s.id,
        channel: s.channel,
        chatId: s.chatId,
        text: `Thông báo thử ${s.chatId}`,
        notBefore: new Date(Date.now() - 1_000),
        expiresAt: null,
      })),
    );

    // Kill A while it holds claims (its worker id carries its pid): several, so that at 20 msg/s it cannot finish them
    // in the moment between this query and the kill.
    const held = await waitFor("instance A to hold claims", async () => {
      const n = await db.prisma.notification.count({ where: { eventKey: "crash", status: "sending", claimedBy: { contains: `:${victimPid}:` } } });
      return n >= 5 ? n : undefined;
    });
    a.child.kill("SIGKILL");
    await new Promise((resolve) => (a.child.exitCode !== null || a.child.signalCode !== null ? resolve(null) : a.child.once("exit", resolve)));
    expect(held).toBeGreaterThan(0);

    // The survivor sends everything, A's stale claims included (flagged uncertain).
    await waitFor("every crash-test row to be sent", async () => ((await db.prisma.notification.count({ where: { eventKey: "crash", status: { not: "sent" } } })) === 0 ? true : undefined));
    for (const chatId of chats) expect(sentTo(chatId).length, chatId).toBeGreaterThanOrEqual(1);
    const rows = await db.prisma.notification.findMany({ where: { eventKey: "crash" } });
    const takenOver = rows.filter((r) => r.uncertain);
    expect(takenOver.length).toBeGreaterThan(0);
    // At least once: only a row in flight when A died (taken over, uncertain) may have reached its chat twice —
    // at most as many as A had sends in flight (DELIVERY_CONCURRENCY).
    const twice = chats.filter((c) => sentTo(c).length > 1);
    expect(twice.every((c) => takenOver.some((r) => r.chatId === c))).toBe(true);
    expect(twice.length).toBeLessThanOrEqual(2);
    expect(chats.every((c) => sentTo(c).length <= 2)).toBe(true);
    expect(await counter(b, "congdoan_messages_sent_total", { channel: "telegram" })).toBeGreaterThanOrEqual(sentBefore + takenOver.length);

    // Updates through the load balancer reach the survivor and are handled once.
    for (let i = 0; i < 3; i++) {
      const update = privateText("/chude", { chatId: 840_000 + i, updateId: 6_000_000 + i });
      expect((await postWebhook(`${lb.url}/webhooks/telegram`, update, SECRET)).status).toBe(200);
      expect(lb.routed.at(-1)).toBe(b.url);
      const count = sentTo(String(840_000 + i)).length;
      expect(count).toBeGreaterThan(0);
      expect((await postWebhook(`${lb.url}/webhooks/telegram`, update, SECRET)).status).toBe(200);
      expect(sentTo(String(840_000 + i))).toHaveLength(count);
    }
    expect((await fetch(`${b.url}/healthz`)).status).toBe(200);
  });

  it("keeps tokens, the webhook secret and chat ids out of the logs and the metrics", async () => {
    for (const bot of [a, b]) {
      expect(bot.output()).not.toContain(telegram.token);
      expect(bot.output()).not.toContain(SECRET);
    }
    const metrics = await scrape(b);
    expect(metrics).toContain("congdoan_updates_handled_total");
    for (const bot of [a, b]) expect(bot.output()).not.toContain(METRICS_TOKEN);
    expect(metrics).not.toMatch(/"8[1234]\d{4}"/);
  });
});
