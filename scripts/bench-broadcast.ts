// npm run bench:broadcast — how fast broadcasts leave, against fake Telegram Bot API servers on 127.0.0.1 that this
// script starts (the tests' fake, test/support/fake-telegram.ts; nothing else is contacted):
//
//  1. Sender ceiling, no platform limit, on SQLite and PostgreSQL: a confirmed broadcast to N recipients is enqueued
//     through enqueueBroadcast (one durable outbox row per recipient, the real repositories) and drained by the real
//     outbox worker (createDeliveryWorker, as main.ts builds it) with the real telegraf senders, the rate limits set
//     out of the way. Sustained msg/s, CPU per message, and the peak RSS of the process doing the enqueue and the
//     delivery (a child process sampling itself every 50 ms, plus the kernel's VmHWM).
//  2. Against a server enforcing 30 msg/s (429 + retry_after beyond it): our worker at TELEGRAM_RATE_PER_SECOND=30,
//     a plain telegraf loop, and grammY with transformer-throttler + auto-retry, each sending the same list; rate,
//     429s, lost and duplicated messages are counted at the server.
//
// Every case has a time cap, and the script as a whole (BENCH_CAP_MS, default 60 min) stops by itself.
// Options (environment): BENCH_PARTS=ceiling,limited  BENCH_SIZES=10000,100000  BENCH_PROVIDERS=sqlite,postgresql
// BENCH_CONCURRENCY=64  BENCH_V8_DEFAULTS=1  BENCH_LIMITED_COUNT=1500  BENCH_SLACK_MS=50,300.
// The delivering process runs compiled, with the node flags of the Dockerfile's CMD (the container's heap bounds);
// BENCH_V8_DEFAULTS=1 (default) also runs the SQLite cases without them, to show what the bounds change.
// Results: scripts/bench/results-broadcast.json (BENCH_OUT=<file> writes elsewhere, e.g. for a partial run).
import { writeFileSync } from "node:fs";
import os from "node:os";
import { renderBroadcast } from "../src/app/broadcast-dispatch.js";
import type { Provider } from "../src/db/url.js";
import { runChild } from "./bench/child.js";
import { runtimeNodeFlags } from "./bench/compile.js";
import { FIRST_CHAT_ID, freshBenchDatabase, seedBroadcast, serverVersions } from "./bench/db.js";
import { received, startFakeTelegram } from "./bench/fake.js";
import { printTable } from "./bench/table.js";
import type { ListJob, ListResult } from "./bench/telegraf-loop-child.js";
import type { WorkerJob, WorkerResult } from "./bench/worker-child.js";

const list = (name: string, fallback: string) => (process.env[name] ?? fallback).split(",").map((s) => s.trim()).filter(Boolean);
const PARTS = list("BENCH_PARTS", "ceiling,limited");
const SIZES = list("BENCH_SIZES", "10000,100000").map(Number);
const PROVIDERS = list("BENCH_PROVIDERS", "sqlite,postgresql") as Provider[];
/**
 * DELIVERY_CONCURRENCY for the ceiling: sends in flight. At 1,000 msg/s and Telegram's ~50–150 ms a call, a real
 * deployment needs about 100 in flight; against the local fake 64 is plenty. The shipped default (8) is measured too.
 */
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 64);
const DEFAULT_CONCURRENCY = 8;
/** Also run the SQLite cases with V8's default heap sizes (no flags), to compare with the Dockerfile's bounds. */
const V8_DEFAULTS = process.env.BENCH_V8_DEFAULTS !== "0";
const RUNTIME_FLAGS = runtimeNodeFlags();
const LIMITED_COUNT = Number(process.env.BENCH_LIMITED_COUNT ?? 1500);
/** The fake's flood control: Telegram's 30 messages a second overall and about one a second per chat. */
const LIMIT_PER_SECOND = 30;
/**
 * How much of the second the fake forgives: it refuses a send when LIMIT_PER_SECOND others arrived in the last
 * 1000 − slack ms. Network jitter, and on a shared machine the fake's own stalls, bring arrivals closer together than
 * they were sent. Each value is one run of all three senders; 300 ms is what the delivery tests use.
 */
const SLACKS_MS = list("BENCH_SLACK_MS", "50,300").map(Number);
const SCRIPT_CAP_MS = Number(process.env.BENCH_CAP_MS ?? 60 * 60_000);
const TEXT =
  "Kính gửi đoàn viên: Ban Thường vụ phát động đợt thi đua cao điểm chào mừng kỷ niệm 95 năm Ngày thành lập Công đoàn Việt Nam. Hãy đăng ký giao ước thi đua bằng lệnh /dangky trước ngày 30/6.";

const TARGET_RATE = 1000;
const TARGET_RSS_MB = 150;
const TARGET_OF_LIMIT = 0.97;

const round = (n: number, digits = 0) => Math.round(n * 10 ** digits) / 10 ** digits;
const load1 = () => round(os.loadavg()[0]!, 2);

interface CeilingRow {
  provider: Provider;
  recipients: number;
  concurrency: number;
  nodeFlags: string;
  enqueueRowsPerSecond: number;
  enqueueCpuMsPerRow: number;
  deliveryPerSecond: number;
  cpuMsPerMessage: number;
  /** Delivered (distinct chats at the server), and sends beyond one per chat. */
  delivered: number;
  duplicates: number;
  /** Rows not sent when the case ended (should be 0). */
  notSent: number;
  /** Raw statements per message during delivery (claims, lookups, grouped "sent" updates). */
  queriesPerMessage: number;
  startRssMb: number;
  peakRssMb: number;
  hwmMb: number | null;
  enqueuePeakMb: number;
  deliveryPeakMb: number;
  heapUsedPeakMb: number;
  afterGcRssMb: number | null;
  /** The V8 heap still in use after a full GC at the end: what the process really keeps. */
  afterGcHeapMb: number | null;
  loopDelayP99Ms: number;
  timedOut: boolean;
  loadAverage: number;
}

async function ceiling(provider: Provider, recipients: number, concurrency: number, nodeFlags: string[] = RUNTIME_FLAGS): Promise<CeilingRow> {
  const db = await freshBenchDatabase(provider);
  const fake = await startFakeTelegram();
  try {
    process.stdout.write(`  ${provider}, ${recipients.toLocaleString("en")} recipients, ${concurrency} in flight${nodeFlags.length ? ` (${nodeFlags.join(" ")})` : ""}: seeding… `);
    const seeded = await seedBroadcast(db.url, recipients, TEXT);
    process.stdout.write("enqueue + delivery… ");
    const job: WorkerJob = {
      databaseUrl: db.url,
      broadcastId: seeded.broadcastId,
      apiRoot: fake.apiRoot,
      token: fake.token,
      ratePerSecond: 1_000_000,
      chatRatePerSecond: 1_000_000,
      concurrency,
      timeoutMs: Math.max(180_000, recipients * 6),
    };
    const r = await (await runChild<WorkerResult>("./worker-child.ts", job, job.timeoutMs + 180_000, ["--expose-gc", ...nodeFlags])).result;
    const at = received(fake);
    const row: CeilingRow = {
      provider,
      recipients,
      concurrency,
      nodeFlags: nodeFlags.join(" "),
      enqueueRowsPerSecond: round((r.inserted * 1000) / r.enqueueMs),
      enqueueCpuMsPerRow: round(r.enqueueCpuMs / Math.max(1, r.inserted), 3),
      deliveryPerSecond: round((r.final * 1000) / r.deliverMs),
      cpuMsPerMessage: round(r.deliverCpuMs / Math.max(1, r.final), 3),
      delivered: at.chats,
      duplicates: at.duplicates,
      notSent: recipients - (r.statusCounts.sent ?? 0),
      queriesPerMessage: round(Object.entries(r.queries).filter(([k]) => !k.startsWith("INSERT")).reduce((a, [, n]) => a + n, 0) / Math.max(1, r.final), 3),
      startRssMb: r.rss.phases.start?.endMb ?? r.rss.startMb,
      peakRssMb: r.rss.peakMb,
      hwmMb: r.rss.hwmMb,
      enqueuePeakMb: r.rss.phases.enqueue?.peakMb ?? 0,
      deliveryPeakMb: r.rss.phases.deliver?.peakMb ?? 0,
      heapUsedPeakMb: r.rss.heapUsedPeakMb,
      afterGcRssMb: r.afterGc?.rssMb ?? null,
      afterGcHeapMb: r.afterGc?.heapUsedMb ?? null,
      loopDelayP99Ms: round(r.eventLoopDelayMs.p99, 1),
      timedOut: r.timedOut,
      loadAverage: load1(),
    };
    console.log(`${row.deliveryPerSecond} msg/s (${row.cpuMsPerMessage} CPU ms/msg), peak RSS ${row.peakRssMb} MB, load ${row.loadAverage}`);
    return row;
  } finally {
    await fake.close();
    await db.drop();
  }
}

const SENDER_LABEL = {
  worker: "outbox worker, TELEGRAM_RATE_PER_SECOND=30",
  telegraf: "telegraf loop",
  grammy: "grammY + throttler + auto-retry",
} as const;
type Sender = keyof typeof SENDER_LABEL;

interface LimitedRow {
  sender: Sender;
  slackMs: number;
  messages: number;
  ratePerSecond: number;
  ofLimit: number;
  maxInOneSecond: number;
  rateLimited: number;
  lost: number;
  duplicates: number;
  seconds: number;
  detail: string;
  loadAverage: number;
}

async function limited(sender: Sender, count: number, slackMs: number): Promise<LimitedRow> {
  const fake = await startFakeTelegram({ rateLimit: { perSecond: LIMIT_PER_SECOND, perChatPerSecond: 1, slackMs } });
  const capMs = (count / LIMIT_PER_SECOND) * 3000 + 60_000;
  let detail = "";
  const started = performance.now();
  try {
    process.stdout.write(`  ${SENDER_LABEL[sender]}: `);
    if (sender === "worker") {
      const db = await freshBenchDatabase("sqlite");
      try {
        const seeded = await seedBroadcast(db.url, count, TEXT);
        const job: WorkerJob = {
          databaseUrl: db.url,
          broadcastId: seeded.broadcastId,
          apiRoot: fake.apiRoot,
          token: fake.token,
          ratePerSecond: LIMIT_PER_SECOND,
          chatRatePerSecond: 1,
          concurrency: DEFAULT_CONCURRENCY,
          timeoutMs: capMs,
        };
        const r = await (await runChild<WorkerResult>("./worker-child.ts", job, capMs + 60_000, RUNTIME_FLAGS)).result;
        detail = `outbox: ${Object.entries(r.statusCounts).filter(([, n]) => n > 0).map(([k, n]) => `${k} ${n}`).join(", ")}${r.counts.retryLater ? `, ${r.counts.retryLater} retried later` : ""}; loop p99 ${round(r.eventLoopDelayMs.p99, 1)} ms`;
      } finally {
        await db.drop();
      }
    } else {
      const chats = Array.from({ length: count }, (_, i) => String(FIRST_CHAT_ID + i));
      const text = renderBroadcast("vi", "Liên đoàn Lao động tỉnh (bench)", TEXT);
      const job: ListJob = { apiRoot: fake.apiRoot, token: fake.token, chats, text, timeoutMs: capMs };
      const r = await (await runChild<ListResult>(sender === "telegraf" ? "./telegraf-loop-child.ts" : "./grammy-child.ts", job, capMs + 60_000)).result;
      detail = `${r.ok} ok, ${r.failed} failed${r.failed ? ` (${Object.entries(r.failedByCode).map(([k, n]) => `${k}: ${n}`).join(", ")})` : ""}${r.timedOut ? ", stopped at the time cap" : ""}`;
    }
  } finally {
    await fake.close();
  }
  const at = received(fake);
  const row: LimitedRow = {
    sender,
    slackMs,
    messages: count,
    ratePerSecond: round(at.ratePerSecond, 2),
    ofLimit: round(at.ratePerSecond / LIMIT_PER_SECOND, 3),
    maxInOneSecond: at.maxInOneSecond,
    rateLimited: at.rateLimited,
    lost: count - at.chats,
    duplicates: at.duplicates,
    seconds: round((performance.now() - started) / 1000, 1),
    detail,
    loadAverage: load1(),
  };
  console.log(`${row.ratePerSecond} msg/s, ${row.rateLimited} × 429, ${row.lost} lost, load ${row.loadAverage}`);
  return row;
}

async function main(): Promise<void> {
  const cap = setTimeout(() => {
    console.error(`bench-broadcast: still running after ${SCRIPT_CAP_MS / 60_000} min; giving up`);
    process.exit(2);
  }, SCRIPT_CAP_MS);
  cap.unref();
  const versions = await serverVersions();
  const machine = {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? "?",
    memoryGb: round(os.totalmem() / 2 ** 30),
    node: process.version,
    ...versions,
    loadAverageAtStart: os.loadavg().map((l) => round(l, 2)),
  };
  console.log(
    `bench:broadcast — ${new Date().toISOString()} — ${machine.cpus} cores (${machine.cpuModel}), Node ${machine.node}, SQLite ${machine.sqlite}, PostgreSQL ${machine.postgresql ?? "unreachable"}, load ${machine.loadAverageAtStart.join(" ")}`,
  );
  const providers = PROVIDERS.filter((p) => p !== "postgresql" || machine.postgresql !== null);
  if (providers.length < PROVIDERS.length) console.log("  PostgreSQL is not reachable: its cases are skipped");
  const results: Record<string, unknown> = { date: new Date().toISOString(), machine, targets: { ratePerSecond: TARGET_RATE, peakRssMb: TARGET_RSS_MB, ofLimit: TARGET_OF_LIMIT } };
  const verdicts: string[] = [];

  if (PARTS.includes("ceiling")) {
    console.log("\n1. Sender ceiling: no platform limit (TELEGRAM_RATE_PER_SECOND and TELEGRAM_CHAT_RATE_PER_SECOND 1,000,000)");
    const rows: CeilingRow[] = [];
    for (const provider of providers) {
      for (const n of SIZES) rows.push(await ceiling(provider, n, CONCURRENCY));
      if (CONCURRENCY !== DEFAULT_CONCURRENCY) rows.push(await ceiling(provider, SIZES[0]!, DEFAULT_CONCURRENCY));
    }
    if (V8_DEFAULTS && providers.includes("sqlite")) for (const n of SIZES) rows.push(await ceiling("sqlite", n, CONCURRENCY, []));
    console.log("");
    printTable(
      ["database", "recipients", "in flight", "node flags", "enqueue rows/s", "delivery msg/s", "CPU ms/msg", "queries/msg", "delivered", "dup", "RSS start MB", "peak RSS MB", "heap peak MB", "live heap MB", "loop p99 ms", "load"],
      rows.map((r) => [
        r.provider,
        r.recipients.toLocaleString("en"),
        r.concurrency,
        r.nodeFlags === RUNTIME_FLAGS.join(" ") ? "Dockerfile" : r.nodeFlags || "V8 defaults",
        r.enqueueRowsPerSecond,
        r.deliveryPerSecond,
        r.cpuMsPerMessage,
        r.queriesPerMessage,
        r.delivered.toLocaleString("en"),
        r.duplicates,
        r.startRssMb,
        r.peakRssMb,
        r.heapUsedPeakMb,
        r.afterGcHeapMb ?? "–",
        r.loopDelayP99Ms,
        r.loadAverage,
      ]),
    );
    results.ceiling = rows;
    for (const r of rows.filter((r) => r.concurrency === CONCURRENCY && r.nodeFlags === RUNTIME_FLAGS.join(" "))) {
      verdicts.push(
        `ceiling ${r.provider} ${r.recipients.toLocaleString("en")}: ${r.deliveryPerSecond} msg/s — target ≥ ${TARGET_RATE}: ${r.deliveryPerSecond >= TARGET_RATE ? "met" : `NOT met (${round((r.deliveryPerSecond / TARGET_RATE) * 100)}%)`}; peak RSS ${r.peakRssMb} MB — target ≤ ${TARGET_RSS_MB}: ${r.peakRssMb <= TARGET_RSS_MB ? "met" : `NOT met (+${round(r.peakRssMb - TARGET_RSS_MB)} MB)`}`,
      );
    }
    for (const provider of providers) {
      const [small, large] = SIZES.map((n) => rows.find((r) => r.provider === provider && r.recipients === n && r.concurrency === CONCURRENCY && r.nodeFlags === RUNTIME_FLAGS.join(" ")));
      if (small && large && SIZES.length >= 2) {
        verdicts.push(
          `RSS ${provider} ${small.recipients.toLocaleString("en")} → ${large.recipients.toLocaleString("en")}: peak ${small.peakRssMb} → ${large.peakRssMb} MB, after GC ${small.afterGcRssMb} → ${large.afterGcRssMb} MB (heap ${small.afterGcHeapMb} → ${large.afterGcHeapMb} MB)`,
        );
      }
    }
  }

  if (PARTS.includes("limited")) {
    const rows: LimitedRow[] = [];
    for (const slackMs of SLACKS_MS) {
      console.log(
        `\n2. A server enforcing ${LIMIT_PER_SECOND} msg/s: 429 + retry_after when ${LIMIT_PER_SECOND} sends arrived in the last ${1000 - slackMs} ms (and 1/s per chat); ${LIMITED_COUNT.toLocaleString("en")} messages to distinct chats`,
      );
      const run: LimitedRow[] = [];
      for (const sender of ["worker", "telegraf", "grammy"] as const) run.push(await limited(sender, LIMITED_COUNT, slackMs));
      printTable(
        ["sender", "msg/s", "of limit", "max in 1 s", "429s", "lost", "dup", "seconds", "detail"],
        run.map((r) => [SENDER_LABEL[r.sender], r.ratePerSecond, r.ofLimit, r.maxInOneSecond, r.rateLimited, r.lost, r.duplicates, r.seconds, r.detail]),
      );
      rows.push(...run);
    }
    results.limited = { limitPerSecond: LIMIT_PER_SECOND, messages: LIMITED_COUNT, rows };
    for (const r of rows.filter((r) => r.sender === "worker")) {
      const ok = r.ofLimit >= TARGET_OF_LIMIT && r.rateLimited === 0 && r.lost === 0;
      verdicts.push(`30 msg/s, slack ${r.slackMs} ms: worker at ${r.ofLimit} of the limit with ${r.rateLimited} × 429 and ${r.lost} lost — target ≥ ${TARGET_OF_LIMIT}, no 429: ${ok ? "met" : "NOT met"}`);
    }
  }

  results.verdicts = verdicts;
  results.loadAverageAtEnd = os.loadavg().map((l) => round(l, 2));
  console.log("\nTargets:");
  for (const v of verdicts) console.log(`  ${v}`);
  const out = process.env.BENCH_OUT ?? new URL("./bench/results-broadcast.json", import.meta.url).pathname;
  writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`\nresults: ${out}`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error("bench-broadcast failed:", error);
    process.exit(1);
  },
);
