// npm run bench:inbound — updates per second through the whole stack, against a fake Telegram Bot API server on
// 127.0.0.1 that this script starts (nothing else is contacted):
//
//  - the REAL bot (`src/main.ts`, as `npm start` runs it) in webhook mode, TELEGRAM_API_ROOT → the fake, on SQLite and
//    on PostgreSQL: each update is a private-chat command or answer that goes through the update claim, the
//    conversation (subscriber, session, campaign data — reads and writes) and a reply sent to the fake;
//  - a bare telegraf echo bot on the same fake (its own webhook callback, one sendMessage per update).
//
// For each: the most updates a second it answers (closed loop: USERS senders, each posting its next update when the
// last one was answered) and the latency (request → 200) at a steady 100 updates a second (open loop), and at half
// that rate, which tells queueing apart from the cost of one update. Bounded: a fixed number of updates per phase
// (LATENCY_SECONDS × rate for the steady ones), a time cap per phase and for the whole script.
//
// Options (environment): BENCH_PROVIDERS=sqlite,postgresql  BENCH_UPDATES=2000  BENCH_USERS=32  BENCH_RATES=100,50
// BENCH_LATENCY_SECONDS=30. Results: scripts/bench/results-inbound.json (BENCH_OUT=<file> writes elsewhere).
import { writeFileSync } from "node:fs";
import { readFileSync } from "node:fs";
import os from "node:os";
import type { Provider } from "../src/db/url.js";
import { privateText } from "../test/support/fake-telegram.js";
import { startRealBot, type BotProcess } from "./bench/bot.js";
import { runChildWithMessages } from "./bench/child.js";
import { freshBenchDatabase, serverVersions } from "./bench/db.js";
import { startFakeTelegram, type FakeTelegram } from "./bench/fake.js";
import { closedLoop, openLoop, webhookPoster, type LoadSummary } from "./bench/load.js";
import { printTable } from "./bench/table.js";

const list = (name: string, fallback: string) => (process.env[name] ?? fallback).split(",").map((s) => s.trim()).filter(Boolean);
const PROVIDERS = list("BENCH_PROVIDERS", "sqlite,postgresql") as Provider[];
const UPDATES = Number(process.env.BENCH_UPDATES ?? 2000);
const USERS = Number(process.env.BENCH_USERS ?? 32);
const RATES = list("BENCH_RATES", "100,50").map(Number);
/** The rate the latency target is set at. */
const RATE = RATES[0]!;
const LATENCY_SECONDS = Number(process.env.BENCH_LATENCY_SECONDS ?? 30);
const WARMUP = 300;
const PHASE_CAP_MS = 180_000;
const SCRIPT_CAP_MS = Number(process.env.BENCH_CAP_MS ?? 25 * 60_000);
const SECRET = "bench-inbound-secret-0123456789";
const PATH = "/webhooks/telegram";
const TARGET_RATIO = 0.5;
const TARGET_P99_MS = 50;
const TARGET_CPU_MS = 2;

/**
 * What a member types, in order, over and over: subscribe (and skip the unit question), the campaign commands, start
 * a pledge and cancel it, the language switch and back. Each is a conversation step with database reads and writes
 * (update claim, subscriber, session) and at least one reply.
 */
const SCRIPT = ["/start", "bỏ qua", "/chude", "/dot", "/ngayle", "/dangky", "/huy", "/camket", "/ngonngu en", "/theme", "/lang vi", "/trogiup"];

let updateId = 1_000_000;

/** The next text of `chat`'s script: its own counter, so every chat goes through the script in order. */
function scripted(base: number) {
  const steps = new Map<number, number>();
  return (chat: number) => {
    const step = steps.get(chat) ?? 0;
    steps.set(chat, step + 1);
    return privateText(SCRIPT[step % SCRIPT.length]!, { chatId: base + chat, firstName: "Lan", languageCode: "vi", updateId: ++updateId });
  };
}

/** CPU seconds (user + system) a process has used so far (Linux /proc; null elsewhere). */
function cpuSeconds(pid: number): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

type Latency = LoadSummary & { rate: number; offeredPerSecond: number; lateSendsMs: number };

interface Measured {
  name: string;
  throughput: LoadSummary;
  /** At each of RATES, the first being the target's. */
  latencies: Latency[];
  latency: Latency;
  /** CPU milliseconds the bot process spent per update in the throughput phase. */
  cpuMsPerUpdate: number | null;
  replies: number;
  /** The 1-minute load average when the bot's phases ended (the machine is shared). */
  loadAverage: number;
}

async function measure(name: string, url: string, pid: number, fake: FakeTelegram, base: number): Promise<Measured> {
  const poster = webhookPoster(url, SECRET, USERS + 8);
  try {
    // Warm-up: JIT, connection pools, prepared caches.
    const warm = scripted(base);
    await closedLoop(poster.post, (_i, user) => warm(user), WARMUP, 8, PHASE_CAP_MS);
    const sentBefore = fake.sent.length;
    const throughputChats = scripted(base + 100_000);
    const cpu0 = cpuSeconds(pid);
    process.stdout.write(`  ${name}: throughput… `);
    const throughput = await closedLoop(poster.post, (_i, user) => throughputChats(user), UPDATES, USERS, PHASE_CAP_MS);
    const cpu1 = cpuSeconds(pid);
    process.stdout.write(`${throughput.perSecond}/s`);
    const latencies: Latency[] = [];
    for (const [k, rate] of RATES.entries()) {
      process.stdout.write(`; latency at ${rate}/s… `);
      // 500 chats: each gets an update every few seconds, far apart from its previous one.
      const latencyChats = scripted(base + 200_000 + k * 100_000);
      const latency = await openLoop(poster.post, (i) => latencyChats(i % 500), Math.round(rate * LATENCY_SECONDS), rate, PHASE_CAP_MS);
      latencies.push({ ...latency, rate });
      process.stdout.write(`p50 ${latency.p50Ms} ms, p99 ${latency.p99Ms} ms`);
    }
    console.log("");
    return {
      name,
      throughput,
      latencies,
      latency: latencies[0]!,
      cpuMsPerUpdate: cpu0 !== null && cpu1 !== null ? Math.round(((cpu1 - cpu0) * 1000 * 100) / throughput.ok) / 100 : null,
      replies: fake.sent.length - sentBefore,
      loadAverage: Math.round(os.loadavg()[0]! * 100) / 100,
    };
  } finally {
    poster.close();
  }
}

async function echoBot(fake: FakeTelegram): Promise<Measured> {
  const child = await runChildWithMessages<{ port: number }>("./echo-bot-child.ts", { apiRoot: fake.apiRoot, token: fake.token, secret: SECRET, path: PATH });
  try {
    const { port } = await child.first(30_000);
    return await measure("telegraf echo bot", `http://127.0.0.1:${port}${PATH}`, child.pid, fake, 5_000_000);
  } finally {
    await child.stop();
  }
}

async function realBot(fake: FakeTelegram, provider: Provider): Promise<Measured> {
  const db = await freshBenchDatabase(provider);
  let bot: BotProcess | undefined;
  try {
    const webhooks = fake.setWebhookCalls.length;
    bot = await startRealBot({
      DATABASE_URL: db.url,
      TELEGRAM_BOT_TOKEN: fake.token,
      TELEGRAM_API_ROOT: fake.apiRoot,
      UPDATES_MODE: "webhook",
      PUBLIC_URL: "https://bench.congdoan.invalid",
      WEBHOOK_SECRET: SECRET,
      WEB_CHAT: "off",
      LOG_LEVEL: "warn",
    });
    // The channel registers its webhook right after the server answers /healthz; updates are taken from then on.
    await fake.waitForCalls("setWebhook", webhooks + 1, 30_000);
    return await measure(`congdoan-bot (${provider})`, `${bot.url}${PATH}`, bot.child.pid!, fake, provider === "sqlite" ? 6_000_000 : 7_000_000);
  } finally {
    await bot?.stop();
    await db.drop();
  }
}

async function main(): Promise<void> {
  const cap = setTimeout(() => {
    console.error(`bench-inbound: still running after ${SCRIPT_CAP_MS / 60_000} min; giving up`);
    process.exit(2);
  }, SCRIPT_CAP_MS);
  cap.unref();
  const versions = await serverVersions();
  const machine = { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? "?", memoryGb: Math.round(os.totalmem() / 2 ** 30), node: process.version, ...versions, loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100) };
  console.log(`bench:inbound — ${new Date().toISOString()} — ${machine.cpus} cores (${machine.cpuModel}), Node ${machine.node}, SQLite ${machine.sqlite}, PostgreSQL ${machine.postgresql ?? "unreachable"}, load ${machine.loadAverage.join(" ")}`);
  console.log(`  throughput: ${UPDATES.toLocaleString("en")} updates from ${USERS} senders waiting for their answers; latency: ${LATENCY_SECONDS} s at a steady ${RATES.join(" and ")} updates/s`);
  const fake = await startFakeTelegram();
  const rows: Measured[] = [];
  try {
    rows.push(await echoBot(fake));
    for (const provider of PROVIDERS) {
      if (provider === "postgresql" && versions.postgresql === null) {
        console.log("  PostgreSQL is not reachable: skipped");
        continue;
      }
      rows.push(await realBot(fake, provider));
    }
  } finally {
    await fake.close();
  }
  const echo = rows[0]!;
  printTable(
    ["bot", "updates/s", "of echo", "CPU ms/update", "failed", ...RATES.flatMap((rate) => [`p50 ms @${rate}/s`, "p99 ms", "max ms"]), "failed @rates"],
    rows.map((r) => [
      r.name,
      r.throughput.perSecond,
      Math.round((r.throughput.perSecond / echo.throughput.perSecond) * 100) / 100,
      r.cpuMsPerUpdate ?? "–",
      r.throughput.failed,
      ...r.latencies.flatMap((l) => [l.p50Ms, l.p99Ms, l.maxMs]),
      r.latencies.reduce((a, l) => a + l.failed, 0),
    ]),
  );
  const targets = rows.slice(1).map((r) => ({
    bot: r.name,
    ratioOfEcho: Math.round((r.throughput.perSecond / echo.throughput.perSecond) * 100) / 100,
    ratioMet: r.throughput.perSecond / echo.throughput.perSecond >= TARGET_RATIO,
    p99Ms: r.latency.p99Ms,
    p99Met: r.latency.p99Ms < TARGET_P99_MS && r.latency.failed === 0,
    cpuMsPerUpdate: r.cpuMsPerUpdate,
    cpuMet: r.cpuMsPerUpdate !== null && r.cpuMsPerUpdate <= TARGET_CPU_MS,
  }));
  const miss = (by: string) => `NOT met, ${by}`;
  for (const t of targets) {
    console.log(
      `  ${t.bot}: ${t.ratioOfEcho} of the echo bot's rate (target ≥ ${TARGET_RATIO}: ${t.ratioMet ? "met" : miss(`${Math.round((t.ratioOfEcho / TARGET_RATIO) * 100)}% of it`)}); ` +
        `p99 ${t.p99Ms} ms at ${RATE}/s (target < ${TARGET_P99_MS} ms: ${t.p99Met ? "met" : miss(`+${Math.round((t.p99Ms - TARGET_P99_MS) * 10) / 10} ms`)}); ` +
        `${t.cpuMsPerUpdate ?? "?"} CPU ms/update (target ≤ ${TARGET_CPU_MS}: ${t.cpuMet ? "met" : miss(`+${Math.round(((t.cpuMsPerUpdate ?? NaN) - TARGET_CPU_MS) * 100) / 100} ms`)})`,
    );
  }

  const results = { date: new Date().toISOString(), machine, settings: { updates: UPDATES, users: USERS, rates: RATES, latencySeconds: LATENCY_SECONDS, script: SCRIPT }, rows, targets, loadAverageAtEnd: os.loadavg().map((l) => Math.round(l * 100) / 100) };
  const out = process.env.BENCH_OUT ?? new URL("./bench/results-inbound.json", import.meta.url).pathname;
  writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`\nresults: ${out}`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error("bench-inbound failed:", error);
    process.exit(1);
  },
);
