// Child process of bench-broadcast: enqueues a confirmed broadcast through enqueueBroadcast (the real repositories)
// and drains it with the real outbox worker (createDeliveryWorker, as main.ts builds it: fail-fast telegraf
// senders, the configured rates), against the fake Telegram server the parent runs. It samples its own RSS and
// reports through IPC. The job comes as JSON in BENCH_JOB; everything stops by BENCH_JOB.timeoutMs at the latest.
import { monitorEventLoopDelay } from "node:perf_hooks";
import { pino } from "pino";
import { enqueueBroadcast } from "../../src/app/broadcast-dispatch.js";
import type { OutboxRepository } from "../../src/app/ports.js";
import { createRepositories, openDatabase } from "../../src/db/index.js";
import type { PrismaOutboxRepository } from "../../src/db/outbox-repository.js";
import { createDeliveryWorker } from "../../src/delivery/index.js";
import { startRssSampler } from "./rss.js";

export interface WorkerJob {
  databaseUrl: string;
  broadcastId: number;
  apiRoot: string;
  token: string;
  /** TELEGRAM_RATE_PER_SECOND / TELEGRAM_CHAT_RATE_PER_SECOND. */
  ratePerSecond: number;
  chatRatePerSecond: number;
  concurrency: number;
  timeoutMs: number;
}

export interface WorkerResult {
  audience: number;
  inserted: number;
  enqueueMs: number;
  /** CPU time of this process (user + system) while enqueueing. */
  enqueueCpuMs: number;
  /** From the worker's start to the last row's final state. */
  deliverMs: number;
  /** CPU time of this process from the worker's start until it had stopped. */
  deliverCpuMs: number;
  final: number;
  counts: Record<string, number>;
  statusCounts: Record<string, number>;
  timedOut: boolean;
  rss: ReturnType<ReturnType<typeof startRssSampler>["stop"]>;
  /** RSS and V8 heap in use after a full garbage collection at the end (null without --expose-gc). */
  afterGc: { rssMb: number; heapUsedMb: number; externalMb: number } | null;
  /** How late this process's timers ran during delivery (perf_hooks.monitorEventLoopDelay, 5 ms resolution). */
  eventLoopDelayMs: { p50: number; p99: number; max: number };
  /** Raw statements by kind (the repositories' hot paths are raw SQL). */
  queries: Record<string, number>;
}

/** BENCH_PROFILE=<file>: a CPU profile of the delivery phase only (node:inspector). */
async function startProfiler(): Promise<(file: string) => Promise<void>> {
  const { Session } = await import("node:inspector/promises");
  const { writeFileSync } = await import("node:fs");
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.start");
  return async (file) => {
    const { profile } = await session.post("Profiler.stop");
    writeFileSync(file, JSON.stringify(profile));
    session.disconnect();
  };
}

const FINAL = ["markSent", "markFailed", "markBlocked", "markSkipped"] as const;

async function main(): Promise<void> {
  const sampler = startRssSampler(50);
  const job = JSON.parse(process.env.BENCH_JOB ?? "{}") as WorkerJob;
  const hardStop = setTimeout(() => {
    console.error("worker-child: hard time cap reached; exiting");
    process.exit(3);
  }, job.timeoutMs + 30_000);
  hardStop.unref();
  // Errors only: the 429s and retries are counted at the server and in the outbox, not read off the log.
  const logger = pino({ level: "error", base: undefined }, pino.destination(2));
  const db = openDatabase(job.databaseUrl);
  const repositories = createRepositories(db);
  // Round trips by kind of statement (for the report: how many queries a message costs).
  const queries: Record<string, number> = {};
  const prisma = db.prisma as unknown as Record<"$queryRawUnsafe" | "$executeRawUnsafe", (sql: string, ...values: unknown[]) => Promise<unknown>>;
  for (const method of ["$queryRawUnsafe", "$executeRawUnsafe"] as const) {
    const original = prisma[method].bind(db.prisma);
    prisma[method] = (sql, ...values) => {
      const kind = /^\s*(\w+)\s+(?:INTO\s+|FROM\s+)?"?(\w+)"?/i.exec(sql.replace(/^\s*UPDATE "Notification"\s+SET "status" = 'sent'/i, "MARKSENT x"));
      const key = kind ? `${kind[1]!.toUpperCase()} ${kind[2]}` : sql.slice(0, 20);
      queries[key] = (queries[key] ?? 0) + 1;
      return original(sql, ...values);
    };
  }

  // The real repository, counted: how many rows reached a final state, and when the last one did.
  const counts: Record<string, number> = {};
  let final = 0;
  let lastFinalAt = 0;
  const real = repositories.outbox as OutboxRepository & Pick<PrismaOutboxRepository, "subscriberStates">;
  const outbox: OutboxRepository & Pick<PrismaOutboxRepository, "subscriberStates"> = {
    subscriberStates: (ids) => real.subscriberStates(ids),
    enqueue: (rows) => real.enqueue(rows),
    claim: (...args) => real.claim(...args),
    releaseClaims: (workerId) => real.releaseClaims(workerId),
    countByStatus: (filter) => real.countByStatus(filter),
    dueCount: (now) => real.dueCount(now),
    retryLater: async (...args) => {
      await real.retryLater(...args);
      counts.retryLater = (counts.retryLater ?? 0) + 1;
    },
    markSent: async (...args) => finish("markSent", () => real.markSent(...args)),
    markFailed: async (...args) => finish("markFailed", () => real.markFailed(...args)),
    markBlocked: async (...args) => finish("markBlocked", () => real.markBlocked(...args)),
    markSkipped: async (...args) => finish("markSkipped", () => real.markSkipped(...args)),
  };
  async function finish(name: (typeof FINAL)[number], work: () => Promise<void>): Promise<void> {
    await work();
    counts[name] = (counts[name] ?? 0) + 1;
    final++;
    lastFinalAt = performance.now();
  }

  const broadcast = await repositories.broadcasts.find(job.broadcastId);
  if (!broadcast) throw new Error(`broadcast ${job.broadcastId} not found`);

  sampler.phase("enqueue");
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const { audience, inserted } = await enqueueBroadcast({ ...repositories, outbox, logger }, broadcast, new Date());
  const enqueueMs = performance.now() - t0;
  const cpu1 = process.cpuUsage();
  const enqueueCpuMs = (cpu1.user - cpu0.user + cpu1.system - cpu0.system) / 1000;

  sampler.phase("deliver");
  const worker = createDeliveryWorker({
    config: {
      TELEGRAM_BOT_TOKEN: job.token,
      TELEGRAM_API_ROOT: job.apiRoot,
      ZALO_BOT_TOKEN: undefined,
      ZALO_API_ROOT: "http://127.0.0.1:9",
      TELEGRAM_RATE_PER_SECOND: job.ratePerSecond,
      TELEGRAM_CHAT_RATE_PER_SECOND: job.chatRatePerSecond,
      ZALO_RATE_PER_SECOND: 5,
      DELIVERY_CONCURRENCY: job.concurrency,
      BOT_TIMEZONE: "Asia/Ho_Chi_Minh",
      // Quiet hours off: the bench runs whatever the time of day.
      quietHours: { start: "00:00", end: "00:00" },
    },
    outbox,
    subscribers: repositories.subscribers,
    now: () => new Date(),
    logger,
  });
  const profiler = process.env.BENCH_PROFILE ? await startProfiler() : undefined;
  const loopDelay = monitorEventLoopDelay({ resolution: 5 });
  loopDelay.enable();
  const t1 = performance.now();
  worker.start();
  const deadline = t1 + job.timeoutMs;
  while (final < inserted && performance.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  const timedOut = final < inserted;
  const deliverMs = (timedOut ? performance.now() : lastFinalAt) - t1;
  loopDelay.disable();
  const eventLoopDelayMs = { p50: loopDelay.percentile(50) / 1e6, p99: loopDelay.percentile(99) / 1e6, max: loopDelay.max / 1e6 };
  const cpu2 = process.cpuUsage();
  const deliverCpuMs = (cpu2.user - cpu1.user + cpu2.system - cpu1.system) / 1000;
  await worker.stop();
  if (profiler) await profiler(process.env.BENCH_PROFILE!);
  const rss = sampler.stop();
  const statusCounts = await real.countByStatus({ broadcastId: job.broadcastId });
  // What stays once the garbage is collected (the parent runs this child with --expose-gc): the same for 10,000
  // and 100,000 recipients when nothing grows with the audience.
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const memory = process.memoryUsage();
  const afterGc = gc ? { rssMb: Math.round(memory.rss / 2 ** 20), heapUsedMb: Math.round(memory.heapUsed / 2 ** 20), externalMb: Math.round(memory.external / 2 ** 20) } : null;
  await db.close();
  const result: WorkerResult = { audience, inserted, enqueueMs, enqueueCpuMs, deliverMs, deliverCpuMs, final, counts, statusCounts, timedOut, rss, afterGc, queries, eventLoopDelayMs };
  process.send!(result, () => process.exit(0));
}

main().catch((error: unknown) => {
  console.error("worker-child failed:", error);
  process.exit(1);
});
