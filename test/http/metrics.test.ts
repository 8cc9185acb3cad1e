// GET /metrics on the real HTTP server, wired the way main.ts wires it: the real conversation core behind the inbound
// handler, the real outbox worker sending to a fake Telegram Bot API server, the real planner, a real database
// (SQLite, and PostgreSQL when TEST_POSTGRES_URL is set). Scrapes are parsed as Prometheus text, and the counts must
// move with the traffic: updates handled / duplicate / failed, messages sent and failed by kind, the outbox depth
// (with its cache), the planner lag. No chat id ever appears in the exposition.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createBot } from "../../src/app/bot.js";
import { createInbound, type Inbound } from "../../src/app/inbound.js";
import { createPlanner } from "../../src/app/planner.js";
import type { IncomingMessage, OutgoingMessage } from "../../src/app/ports.js";
import { parseCampaign } from "../../src/domain/campaign-parse.js";
import { createOutboxWorker, type OutboxWorker } from "../../src/delivery/outbox-worker.js";
import { createRateLimiter } from "../../src/delivery/rate-limiter.js";
import { createDeliverySenders } from "../../src/delivery/senders.js";
import { metricsRoute } from "../../src/http/metrics.js";
import { startHttpServer, type RunningServer } from "../../src/http/server.js";
import { createMetrics, type Metrics } from "../../src/metrics.js";
import { PROVIDERS } from "../db/helpers.js";
import { deliveryDb, notification, type DeliveryDb } from "../delivery/support.js";
import { ROOT } from "../support/bot-process.js";
import { silentLogger } from "../support/core-harness.js";
import { startFakeTelegram, type FakeTelegram } from "../support/fake-telegram.js";

const VN = "Asia/Ho_Chi_Minh";
const NO_QUIET = { start: "00:00", end: "00:00" };
const local = (iso: string) => new Date(`${iso}+07:00`);

// ---- a small parser for the Prometheus text format -------------------------------------------------------------

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

interface Scrape {
  status: number;
  contentType: string;
  text: string;
  samples: Sample[];
  help: Map<string, string>;
  types: Map<string, string>;
  /** The value of the one sample with exactly these labels (undefined when absent). */
  value(name: string, labels?: Record<string, string>): number | undefined;
}

function parseExposition(text: string): Pick<Scrape, "samples" | "help" | "types"> {
  const samples: Sample[] = [];
  const help = new Map<string, string>();
  const types = new Map<string, string>();
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    const meta = /^# (HELP|TYPE) (\S+) (.*)$/.exec(line);
    if (meta) {
      (meta[1] === "HELP" ? help : types).set(meta[2]!, meta[3]!);
      continue;
    }
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)(?: \d+)?$/.exec(line);
    if (!m) throw new Error(`not a Prometheus sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? "").matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]!] = l[2]!.replace(/\\(.)/g, (_, c: string) => (c === "n" ? "\n" : c));
    const raw = m[3]!;
    samples.push({ name: m[1]!, labels, value: raw === "NaN" ? Number.NaN : raw === "+Inf" ? Infinity : raw === "-Inf" ? -Infinity : Number(raw) });
  }
  return { samples, help, types };
}

const TOKEN = "metrics-test-token-0123456789";

async function scrape(server: RunningServer): Promise<Scrape> {
  const res = await fetch(`http://127.0.0.1:${server.port}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
  const text = await res.text();
  const parsed = parseExposition(text);
  const same = (a: Record<string, string>, b: Record<string, string>) => Object.keys(a).length === Object.keys(b).length && Object.entries(b).every(([k, v]) => a[k] === v);
  return {
    status: res.status,
    contentType: res.headers.get("content-type") ?? "",
    text,
    ...parsed,
    value(name, labels = {}) {
      const found = parsed.samples.filter((s) => s.name === name && same(s.labels, labels));
      if (found.length > 1) throw new Error(`${name} ${JSON.stringify(labels)}: ${found.length} samples`);
      return found[0]?.value;
    },
  };
}

// ---- the service, wired as in main.ts ---------------------------------------------------------------------------

for (const { provider, label, skip } of PROVIDERS) describe.skipIf(skip)(`GET /metrics (${label})`, () => {
  let store: DeliveryDb;
  let tg: FakeTelegram;
  let metrics: Metrics;
  let server: RunningServer;
  let inbound: Inbound;
  let worker: OutboxWorker;
  /** dueCount calls that reached the database, through the real repository. */
  let depthReads: number;

  beforeEach(async () => {
    store = await deliveryDb(provider);
    const parsed = parseCampaign("lai-chau-2025.yaml", readFileSync(join(ROOT, "prisma/campaigns/lai-chau-2025.yaml"), "utf8"));
    if (!parsed.ok) throw new Error(parsed.errors.join("\n"));
    await store.repositories.campaigns.upsert(parsed.campaign);
    tg = await startFakeTelegram();
    depthReads = 0;
    const outbox = store.repositories.outbox;
    metrics = createMetrics({
      channels: ["telegram"],
      outbox: { dueCount: (at) => (depthReads++, outbox.dueCount(at)) },
      depthCacheMs: 60_000,
      logger: silentLogger,
    });
    const now = () => new Date();
    const conversation = createBot({ ...store.repositories, timezone: VN, now, logger: silentLogger });
    inbound = createInbound({
      conversation,
      processedUpdates: store.repositories.processedUpdates,
      subscribers: store.repositories.subscribers,
      now,
      logger: silentLogger,
      onOutcome: (channel, outcome) => metrics.updateHandled(channel, outcome),
    });
    worker = createOutboxWorker({
      outbox,
      subscribers: store.repositories.subscribers,
      channels: createDeliverySenders({ telegram: { token: tg.token, apiRoot: tg.apiRoot }, logger: silentLogger }),
      limiter: createRateLimiter({ limits: { telegram: { perSecond: 1000 } } }),
      quietHours: NO_QUIET,
      timezone: VN,
      now,
      workerId: "metrics-test",
      concurrency: 1,
      batchSize: 50,
      staleAfterMs: 600_000,
      logger: silentLogger,
      onOutcome: (channel, outcome) => metrics.sendOutcome(channel, outcome),
    });
    server = await startHttpServer({ port: 0, host: "127.0.0.1", routes: [metricsRoute(metrics, TOKEN)], logger: silentLogger });
  });
  afterEach(async () => {
    await worker?.stop();
    await server?.close();
    await tg?.close();
    await store?.close();
  });

  const telegramUpdate = (chatId: string, text: string, updateId: number): IncomingMessage => ({ channel: "telegram", chatId, text, displayName: "Lan", updateKey: String(updateId) });
  const collect = (out: OutgoingMessage[]) => async (m: OutgoingMessage) => void out.push(m);

  it("answers Prometheus text with the process metrics and every series of ours, at 0 before any traffic", async () => {
    const s = await scrape(server);
    expect(s.status).toBe(200);
    expect(s.contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(s.value("process_cpu_seconds_total")).toBeGreaterThan(0);
    expect(s.value("process_resident_memory_bytes")).toBeGreaterThan(0);
    expect(s.types.get("nodejs_eventloop_lag_seconds")).toBe("gauge");
    for (const outcome of ["handled", "duplicate", "failed"]) expect(s.value("congdoan_updates_handled_total", { channel: "telegram", outcome })).toBe(0);
    expect(s.value("congdoan_messages_sent_total", { channel: "telegram" })).toBe(0);
    for (const kind of ["rate-limited", "transient", "blocked", "rejected", "skipped"]) expect(s.value("congdoan_messages_failed_total", { channel: "telegram", kind })).toBe(0);
    expect(s.types.get("congdoan_updates_handled_total")).toBe("counter");
    expect(s.types.get("congdoan_outbox_depth")).toBe("gauge");
    expect(s.value("congdoan_outbox_depth")).toBe(0);
    expect(s.value("congdoan_planner_lag_seconds")).toBe(0);
    for (const name of ["congdoan_updates_handled_total", "congdoan_messages_sent_total", "congdoan_messages_failed_total", "congdoan_outbox_depth", "congdoan_planner_lag_seconds", "congdoan_planner_last_tick_timestamp_seconds"]) {
      expect(s.help.get(name)?.length, name).toBeGreaterThan(40);
    }
  });

  it("answers only a scraper with the bearer token: 401 without it, with a wrong one, or with the token elsewhere", async () => {
    const url = `http://127.0.0.1:${server.port}/metrics`;
    for (const headers of [{} as Record<string, string>, { authorization: "Bearer wrong-token-0123456789abc" }, { authorization: `Basic ${TOKEN}` }, { authorization: `Bearer ${TOKEN}x` }, { "x-metrics-token": TOKEN }]) {
      const res = await fetch(url, { headers });
      expect(res.status).toBe(401);
      expect(res.headers.get("www-authenticate")).toMatch(/^Bearer/);
      expect(await res.text()).not.toContain("congdoan_");
    }
    expect((await fetch(`${url}?token=${TOKEN}`)).status).toBe(401);
    expect((await scrape(server)).status).toBe(200);
  });

  it("counts updates handled, redelivered and failed", async () => {
    const out: OutgoingMessage[] = [];
    await inbound(telegramUpdate("700101", "/start", 1), collect(out));
    await inbound(telegramUpdate("700101", "/chude", 2), collect(out));
    expect(out.length).toBeGreaterThan(1);
    // The same update_id again: a redelivery, ignored.
    const before = out.length;
    await inbound(telegramUpdate("700101", "/chude", 2), collect(out));
    expect(out.length).toBe(before);
    // A reply that cannot be sent: the turn fails and the platform would deliver the update again.
    await expect(
      inbound(telegramUpdate("700102", "/start", 3), async () => {
        throw new Error("connection reset");
      }),
    ).rejects.toThrow();

    const s = await scrape(server);
    expect(s.value("congdoan_updates_handled_total", { channel: "telegram", outcome: "handled" })).toBe(2);
    expect(s.value("congdoan_updates_handled_total", { channel: "telegram", outcome: "duplicate" })).toBe(1);
    expect(s.value("congdoan_updates_handled_total", { channel: "telegram", outcome: "failed" })).toBe(1);
    expect(s.text).not.toContain("700101");
    expect(s.text).not.toContain("700102");
  });

  it("counts messages sent and failed by kind; the outbox depth is read on scrape and cached", async () => {
    const subscribers = await Promise.all(
      ["700201", "700202", "700203", "700204", "700205", "700206"].map((chatId) => store.repositories.subscribers.register({ channel: "telegram", chatId, locale: "vi" })),
    );
    const due = new Date(Date.now() - 60_000);
    await store.repositories.outbox.enqueue([
      ...subscribers.map((s, i) => notification(s, { notBefore: due, expiresAt: i === 4 ? new Date(Date.now() - 1_000) : null })),
      // Not due yet: not in the depth.
      notification(subscribers[0]!, { notBefore: new Date(Date.now() + 3_600_000) }),
    ]);

    // Six due rows. A storm of scrapes reads the database once.
    const storm = await Promise.all(Array.from({ length: 20 }, () => scrape(server)));
    expect(storm.map((s) => s.value("congdoan_outbox_depth"))).toEqual(Array(20).fill(6));
    expect(depthReads).toBe(1);

    // In send order (concurrency 1, rows by id): 403, 400, 500, accepted, (expired: no call), 429.
    tg.failNext("sendMessage", { status: 403, description: "Forbidden: bot was blocked by the user" });
    tg.failNext("sendMessage", { status: 400, description: "Bad Request: chat not found" });
    tg.failNext("sendMessage", { status: 502, description: "Bad Gateway" });
    const accepted = tg.sent.length;
    const run = await worker.runOnce();
    expect(run).toMatchObject({ claimed: 6, sent: 2, blocked: 1, failed: 1, retried: 1, skipped: 1 });
    tg.failNext("sendMessage", { status: 429, retryAfter: 30 });
    const fresh = await store.repositories.outbox.enqueue([notification(await store.repositories.subscribers.register({ channel: "telegram", chatId: "700207", locale: "vi" }), { notBefore: due })]);
    expect(fresh).toBe(1);
    expect(await worker.runOnce()).toMatchObject({ claimed: 1, retried: 1 });
    expect(tg.sent.length - accepted).toBe(2);

    const s = await scrape(server);
    expect(s.value("congdoan_messages_sent_total", { channel: "telegram" })).toBe(2);
    expect(s.value("congdoan_messages_failed_total", { channel: "telegram", kind: "blocked" })).toBe(1);
    expect(s.value("congdoan_messages_failed_total", { channel: "telegram", kind: "rejected" })).toBe(1);
    expect(s.value("congdoan_messages_failed_total", { channel: "telegram", kind: "transient" })).toBe(1);
    expect(s.value("congdoan_messages_failed_total", { channel: "telegram", kind: "skipped" })).toBe(1);
    expect(s.value("congdoan_messages_failed_total", { channel: "telegram", kind: "rate-limited" })).toBe(1);
    // Still the cached reading…
    expect(s.value("congdoan_outbox_depth")).toBe(6);
    expect(depthReads).toBe(1);
    // No chat id in any label or comment (a sample's own value may hold those digits by chance, e.g. a heap size).
    expect(s.samples.flatMap((x) => Object.values(x.labels))).not.toContainEqual(expect.stringMatching(/7002\d\d/));
    expect(s.text.split("\n").filter((line) => line.startsWith("#")).join("\n")).not.toMatch(/7002\d\d/);

    // …while a registry without the cache sees the outbox as it is now: the 5xx and the 429 wait for their retry.
    const uncached = createMetrics({ channels: ["telegram"], outbox: store.repositories.outbox, depthCacheMs: 0, processMetrics: false });
    const now = parseExposition(await uncached.render());
    expect(now.samples.find((x) => x.name === "congdoan_outbox_depth")?.value).toBe(0);
    expect(await store.repositories.outbox.dueCount(new Date(Date.now() + 3_700_000))).toBe(3);
  });

  it("the outbox depth is NaN, and the rest still answers, when the database does not answer", async () => {
    const broken = createMetrics({
      channels: ["telegram"],
      outbox: { dueCount: () => store.db.prisma.$queryRawUnsafe("SELECT * FROM no_such_table_here").then(() => 0) },
      processMetrics: false,
    });
    const parsed = parseExposition(await broken.render());
    expect(parsed.samples.find((x) => x.name === "congdoan_outbox_depth")?.value).toBeNaN();
    expect(parsed.samples.find((x) => x.name === "congdoan_messages_sent_total")?.value).toBe(0);
  });

  it("planner lag: how late the last tick queued its oldest push; 0 for a tick that queued nothing; the tick's time", async () => {
    const planner = createPlanner({ ...store.repositories, timezone: VN, quietHours: NO_QUIET, graceMs: 86_400_000, logger: silentLogger });
    // As main.ts runs the planner job.
    const tick = async (at: Date) => metrics.plannerTicked(at, (await planner.tick(at)).planned);

    // Back at 10:30 after downtime: the 08:00 greeting of 19/05/2025 goes out 2.5 hours late.
    const late = local("2025-05-19T10:30:00");
    await tick(late);
    let s = await scrape(server);
    expect(s.value("congdoan_planner_lag_seconds")).toBe(2.5 * 3600);
    expect(s.value("congdoan_planner_last_tick_timestamp_seconds")).toBe(late.getTime() / 1000);

    const next = local("2025-05-19T10:31:00");
    await tick(next);
    s = await scrape(server);
    expect(s.value("congdoan_planner_lag_seconds")).toBe(0);
    expect(s.value("congdoan_planner_last_tick_timestamp_seconds")).toBe(next.getTime() / 1000);
  });
});
