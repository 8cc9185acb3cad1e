// Load for bench-inbound: Telegram-style webhook POSTs (JSON update, secret header) over keep-alive connections.
// Closed loop (`users` senders, each waiting for its answer: the most a bot can take) or open loop (a steady rate,
// each update sent at its scheduled time whatever the answers: latency as Telegram would see it). Bounded by a count
// and a time cap.
import { Agent, request } from "node:http";

export interface PostResult {
  status: number;
  ms: number;
}

export function webhookPoster(url: string, secret: string, maxSockets: number) {
  const target = new URL(url);
  const agent = new Agent({ keepAlive: true, maxSockets });
  const post = (update: object): Promise<PostResult> =>
    new Promise((resolve) => {
      const body = Buffer.from(JSON.stringify(update));
      const started = performance.now();
      const req = request(
        {
          agent,
          host: target.hostname,
          port: target.port,
          path: target.pathname,
          method: "POST",
          headers: { "content-type": "application/json", "content-length": body.length, "x-telegram-bot-api-secret-token": secret },
        },
        (res) => {
          res.resume();
          res.on("end", () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - started }));
          res.on("error", () => resolve({ status: 0, ms: performance.now() - started }));
        },
      );
      req.on("error", () => resolve({ status: 0, ms: performance.now() - started }));
      req.end(body);
    });
  return { post, close: () => agent.destroy() };
}

export interface LoadSummary {
  updates: number;
  ok: number;
  failed: number;
  statuses: Record<string, number>;
  elapsedMs: number;
  perSecond: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  timedOut: boolean;
}

export function summarize(results: PostResult[], elapsedMs: number, timedOut: boolean): LoadSummary {
  const ok = results.filter((r) => r.status === 200);
  const ms = ok.map((r) => r.ms).sort((a, b) => a - b);
  const pct = (p: number) => (ms.length === 0 ? NaN : ms[Math.min(ms.length - 1, Math.ceil((p / 100) * ms.length) - 1)]!);
  const statuses: Record<string, number> = {};
  for (const r of results) statuses[r.status] = (statuses[r.status] ?? 0) + 1;
  const round = (n: number) => Math.round(n * 10) / 10;
  return {
    updates: results.length,
    ok: ok.length,
    failed: results.length - ok.length,
    statuses,
    elapsedMs: Math.round(elapsedMs),
    perSecond: round((ok.length * 1000) / elapsedMs),
    p50Ms: round(pct(50)),
    p90Ms: round(pct(90)),
    p99Ms: round(pct(99)),
    maxMs: round(ms.at(-1) ?? NaN),
    timedOut,
  };
}

/** `users` senders, each sending its next update when the last one was answered, until `count` are done. */
export async function closedLoop(post: (u: object) => Promise<PostResult>, updateFor: (i: number, user: number) => object, count: number, users: number, capMs: number): Promise<LoadSummary> {
  const results: PostResult[] = [];
  let next = 0;
  const started = performance.now();
  const deadline = started + capMs;
  let timedOut = false;
  await Promise.all(
    Array.from({ length: users }, async (_, user) => {
      while (next < count) {
        if (performance.now() > deadline) {
          timedOut = true;
          return;
        }
        const i = next++;
        results.push(await post(updateFor(i, user)));
      }
    }),
  );
  return summarize(results, performance.now() - started, timedOut);
}

/**
 * One update every 1000/rate ms on schedule (not waiting for answers), `count` in all; then waits for the answers.
 * Latency counts from the scheduled instant, so a load generator that falls behind does not hide the delay.
 */
export async function openLoop(
  post: (u: object) => Promise<PostResult>,
  updateFor: (i: number) => object,
  count: number,
  rate: number,
  capMs: number,
): Promise<LoadSummary & { offeredPerSecond: number; lateSendsMs: number }> {
  const pending: Promise<PostResult>[] = [];
  const started = performance.now();
  const interval = 1000 / rate;
  let timedOut = false;
  let firstSent = 0;
  let lastSent = 0;
  let lateMax = 0;
  for (let i = 0; i < count; i++) {
    const due = started + i * interval;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const now = performance.now();
    if (now - started > capMs) {
      timedOut = true;
      break;
    }
    if (i === 0) firstSent = now;
    lastSent = now;
    lateMax = Math.max(lateMax, now - due);
    const lag = now - due;
    pending.push(post(updateFor(i)).then((r) => ({ ...r, ms: r.ms + lag })));
  }
  let capTimer: NodeJS.Timeout | undefined;
  const settled = await Promise.race([
    Promise.all(pending),
    new Promise<null>((r) => {
      capTimer = setTimeout(() => r(null), Math.max(1000, capMs - (performance.now() - started)));
    }),
  ]);
  clearTimeout(capTimer);
  if (settled === null) timedOut = true;
  const summary = summarize(settled ?? [], performance.now() - started, timedOut);
  return {
    ...summary,
    offeredPerSecond: Math.round((((pending.length - 1) * 1000) / Math.max(1, lastSent - firstSent)) * 10) / 10,
    lateSendsMs: Math.round(lateMax * 10) / 10,
  };
}
