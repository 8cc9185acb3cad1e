// Crash safety of broadcast delivery, on real parts: a fake Telegram Bot API server in this process (real HTTP on
// 127.0.0.1, every sendMessage recorded with chat id, text and time, answered after a small random latency so sends
// are in flight when a kill lands), a fresh SQLite or PostgreSQL database seeded through the real repositories with
// N Telegram subscribers and one confirmed officer broadcast whose outbox rows are enqueued by enqueueBroadcast, and
// the REAL bot (`node --import tsx src/main.ts`) as a child process.
//
// Phase 1 (SIGKILL): the bot is started and killed with SIGKILL at random moments while it sends, `kills` times, then
// started once more and left to finish. What the server received must show: nothing lost (every recipient got the
// message), duplicates only for sends in flight at a kill (at most DELIVERY_CONCURRENCY attributed to each kill), and
// every duplicate flagged uncertain (the row's `uncertain` flag and a warn log line naming the notification).
//
// Phase 2 (SIGTERM): a second broadcast; the bot is stopped with SIGTERM mid-delivery a few times: it must exit (code 0)
// within a few seconds, having finished its sends in flight (no call cut off at the server), with no row left
// "sending"; after the last run every recipient has the message exactly once and no row is uncertain.
//
// `scripts/crash-harness.ts` is the command line; test/crash/crash-safety.test.ts runs the same thing.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import pg from "pg";
import { enqueueBroadcast, renderBroadcast } from "../../src/app/broadcast-dispatch.js";
import { hashInviteCode, generateInviteCode } from "../../src/app/invite-codes.js";
import type { BroadcastRecord, Locale, Unit } from "../../src/app/ports.js";
import { createRepositories, migrate, openDatabase, type OpenDatabase, type Repositories } from "../../src/db/index.js";
import type { Provider } from "../../src/db/url.js";
import { freePort, ROOT } from "../../test/support/bot-process.js";
import { startFakeTelegram, type FakeTelegram, type SentMessage } from "../../test/support/fake-telegram.js";

export const DEFAULT_POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/test";
/** The warn line the outbox worker writes before sending a row again whose earlier send may have reached the person. */
export const UNCERTAIN_LOG_MESSAGE = "delivery: sending again a notification whose earlier send may have reached the person";

export interface HarnessOptions {
  provider: Provider;
  /** PostgreSQL: the database to create a throwaway schema in (default TEST_POSTGRES_URL, else DEFAULT_POSTGRES_URL). */
  postgresUrl?: string;
  /** Members who receive the SIGKILL-phase broadcast (the sending officer gets it too). */
  recipients: number;
  /** SIGKILLs mid-delivery (each followed by a restart). */
  kills: number;
  /** Seeds the random kill moments, latencies and languages. */
  seed: number;
  /** DELIVERY_CONCURRENCY of the bot. */
  concurrency: number;
  /** TELEGRAM_RATE_PER_SECOND of the bot: high, so the run is quick. */
  ratePerSecond: number;
  /** DELIVERY_STALE_CLAIM_SECONDS of the bot: how soon a killed worker's claims come back. */
  staleClaimSeconds: number;
  /** Each send is answered after a random 0…maxLatencyMs (it has reached the person on arrival). */
  maxLatencyMs: number;
  /** SIGTERMs mid-delivery in phase 2 (0 skips the phase). */
  sigterms: number;
  /** A graceful stop must end the process within this long. */
  sigtermExitLimitMs: number;
  /** Progress lines (default: none). */
  progress?: (line: string) => void;
}

export const DEFAULT_OPTIONS: Omit<HarnessOptions, "provider"> = {
  recipients: 5000,
  kills: 20,
  seed: 1,
  concurrency: 8,
  ratePerSecond: 2000,
  staleClaimSeconds: 2,
  maxLatencyMs: 30,
  sigterms: 3,
  sigtermExitLimitMs: 5000,
};

export interface KillRecord {
  run: number;
  /** From spawn to this run's first message at the server (start-up). */
  firstSendMs: number;
  /** Date.now() at spawn and at the SIGKILL. */
  spawnedAt: number;
  killedAt: number;
  /** Broadcast messages the server received during this run (before the kill). */
  sentInRun: number;
  /** Duplicates whose earlier copy was received during this run: the sends in flight at this kill. */
  duplicates: number;
}

export interface SigtermRecord {
  run: number;
  sentInRun: number;
  exitMs: number;
  exitCode: number | null;
  /** sendMessage calls the bot hung up on before their answer (a send cut off, not finished). */
  cutOff: number;
  /** Rows of the broadcast still "sending" after the exit. */
  leftSending: number;
}

export interface PhaseCounts {
  recipients: number;
  delivered: number;
  lost: number;
  duplicates: number;
  uncertainRows: number;
  /** Rows not "sent" at the end, by status. */
  notSent: Record<string, number>;
  durationMs: number;
}

export interface HarnessReport {
  provider: Provider;
  options: Omit<HarnessOptions, "progress">;
  seedMs: number;
  kill: PhaseCounts & {
    kills: KillRecord[];
    runs: number;
    maxDuplicatesPerKill: number;
    /** Duplicated recipients whose row is not flagged uncertain. */
    unflagged: number;
    /** Duplicated recipients without a warn line for their row. */
    unlogged: number;
    /** Uncertain warn lines in the bot's logs. */
    uncertainWarnLines: number;
  };
  sigterm: (PhaseCounts & { stops: SigtermRecord[] }) | null;
  /** Error-level lines in the bot's logs (first few), and whether a token leaked into them. */
  errorLines: string[];
  tokenInLogs: boolean;
  totalMs: number;
  /** Every rule broken, in words; empty when the run passed. */
  violations: string[];
}

// ---- small tools ------------------------------------------------------------------------------------------------

/** mulberry32: a small seeded PRNG, so a run's kill moments and latencies can be replayed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs: number, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`crash harness: timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

interface HarnessDatabase {
  url: string;
  drop(): Promise<void>;
}

async function freshDatabase(provider: Provider, postgresUrl: string): Promise<HarnessDatabase> {
  if (provider === "sqlite") {
    const dir = mkdtempSync(path.join(os.tmpdir(), "congdoan-crash-"));
    return { url: `file:${path.join(dir, "crash.db")}`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const schema = `crash_${randomBytes(5).toString("hex")}`;
  const url = new URL(postgresUrl);
  url.searchParams.delete("schema");
  const base = url.toString();
  url.searchParams.set("schema", schema);
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: base });
      await client.connect();
      try {
        await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      } finally {
        await client.end();
      }
    },
  };
}

// ---- the seeded world -------------------------------------------------------------------------------------------

const ROOT_UNIT = { code: "LDLD-CRASH", name: "Liên đoàn Lao động tỉnh (thử sập nguồn)" };
const CHILD_UNITS = 10;
const OFFICER_CHAT = "700000001";
const FIRST_MEMBER_CHAT = 700_100_000;
const BROADCAST_TEXT =
  "Kính gửi đoàn viên: Ban Thường vụ phát động đợt thi đua cao điểm chào mừng Ngày thành lập Công đoàn Việt Nam. Hãy đăng ký giao ước thi đua bằng lệnh /dangky.";
const SIGTERM_TEXT = "Nhắc lại: hạn gửi báo cáo sơ kết đợt thi đua là ngày 30/6. Trân trọng cảm ơn các đồng chí.";

interface Recipient {
  chatId: string;
  locale: Locale;
  unitIndex: number | null;
}

interface World {
  officerId: number;
  root: Unit;
  children: Unit[];
  recipients: Recipient[];
}

async function seedWorld(db: OpenDatabase, repos: Repositories, members: number, random: () => number): Promise<World> {
  const now = new Date();
  await repos.units.importAll([
    { code: ROOT_UNIT.code, name: ROOT_UNIT.name, parentCode: null, memberCount: members },
    ...Array.from({ length: CHILD_UNITS }, (_, i) => ({
      code: `CDCS-CRASH-${String(i + 1).padStart(2, "0")}`,
      name: `Công đoàn cơ sở số ${i + 1}`,
      parentCode: ROOT_UNIT.code,
      memberCount: Math.ceil(members / CHILD_UNITS),
    })),
  ]);
  const root = (await repos.units.findByCode(ROOT_UNIT.code))!;
  const children: Unit[] = [];
  for (let i = 0; i < CHILD_UNITS; i++) children.push((await repos.units.findByCode(`CDCS-CRASH-${String(i + 1).padStart(2, "0")}`))!);

  // The officer, through a one-time invitation as in production.
  const officer = await repos.subscribers.register({ channel: "telegram", chatId: OFFICER_CHAT, displayName: "Cán bộ thử nghiệm", locale: "vi" });
  const code = generateInviteCode();
  await repos.invites.create({ codeHash: hashInviteCode(code), role: "officer", unitId: root.id, expiresAt: new Date(now.getTime() + 86_400_000) });
  const redeemed = await repos.invites.redeem(hashInviteCode(code), officer.id, now);
  if (!redeemed.ok) throw new Error(`crash harness: the officer's invitation was refused (${redeemed.reason})`);
  await repos.subscribers.makeOfficer(officer.id, root.id);

  const recipients: Recipient[] = [{ chatId: OFFICER_CHAT, locale: "vi", unitIndex: null }];
  const planned = Array.from({ length: members }, (_, i) => ({
    chatId: String(FIRST_MEMBER_CHAT + i),
    // One in ten reads English: the rows carry each recipient's language.
    locale: (random() < 0.1 ? "en" : "vi") as Locale,
    unitIndex: i % CHILD_UNITS,
  }));
  // Members in bulk (one row each, as /start and the unit question would leave them): setting up is not under test.
  const CHUNK = 500;
  for (let i = 0; i < planned.length; i += CHUNK) {
    await db.prisma.subscriber.createMany({
      data: planned.slice(i, i + CHUNK).map((p) => ({
        channel: "telegram",
        chatId: p.chatId,
        displayName: `Đoàn viên ${p.chatId.slice(-4)}`,
        locale: p.locale,
        status: "active",
        unitId: children[p.unitIndex]!.id,
      })),
    });
  }
  // A sample through the repository, so the bulk rows are what the code reads.
  const sample = await repos.subscribers.find("telegram", planned[0]!.chatId);
  if (sample?.status !== "active" || sample.unitId !== children[0]!.id) throw new Error("crash harness: seeded subscribers do not read back as expected");
  recipients.push(...planned);
  return { officerId: officer.id, root, children, recipients };
}

async function confirmedBroadcast(repos: Repositories, input: { senderId: number; audience: "subtree" | "unit"; unitId: number; text: string; recipients: number }): Promise<BroadcastRecord> {
  const now = new Date();
  const draft = await repos.broadcasts.createDraft({ ...input, now });
  if (!(await repos.broadcasts.confirm(draft.id, now))) throw new Error("crash harness: could not confirm the broadcast");
  const broadcast = (await repos.broadcasts.find(draft.id))!;
  const { audience, inserted } = await enqueueBroadcast({ ...repos }, broadcast, now);
  if (audience !== input.recipients || inserted !== input.recipients) {
    throw new Error(`crash harness: broadcast ${broadcast.id} enqueued ${inserted} rows for an audience of ${audience}, expected ${input.recipients}`);
  }
  return broadcast;
}

// ---- the bot as a child process ---------------------------------------------------------------------------------

interface BotRun {
  index: number;
  child: ChildProcess;
  spawnedAt: number;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
}

interface LogScan {
  uncertainIds: Set<number>;
  uncertainLines: number;
  errorLines: string[];
  tokenInLogs: boolean;
  stderrTail: string[];
}

// ---- the run ----------------------------------------------------------------------------------------------------

export async function runCrashHarness(input: Partial<HarnessOptions> & { provider: Provider }): Promise<HarnessReport> {
  const options: HarnessOptions = { ...DEFAULT_OPTIONS, ...input };
  const progress = options.progress ?? (() => {});
  const random = prng(options.seed);
  const started = Date.now();
  const violations: string[] = [];
  const logs: LogScan = { uncertainIds: new Set(), uncertainLines: 0, errorLines: [], tokenInLogs: false, stderrTail: [] };

  const latencyRandom = prng(options.seed ^ 0x5bd1e995);
  const tg: FakeTelegram = await startFakeTelegram({ sendLatencyMs: () => latencyRandom() * options.maxLatencyMs });
  const postgresUrl = options.postgresUrl ?? (process.env.TEST_POSTGRES_URL?.trim() || DEFAULT_POSTGRES_URL);
  const database = await freshDatabase(options.provider, postgresUrl);
  const campaignsDir = mkdtempSync(path.join(os.tmpdir(), "congdoan-crash-campaigns-"));
  let db: OpenDatabase | undefined;
  let current: BotRun | undefined;
  let runs = 0;

  const env = {
    PATH: process.env.PATH ?? "",
    HOME: process.env.HOME ?? "",
    DATABASE_URL: database.url,
    TELEGRAM_BOT_TOKEN: tg.token,
    TELEGRAM_API_ROOT: tg.apiRoot,
    TELEGRAM_RATE_PER_SECOND: String(options.ratePerSecond),
    DELIVERY_CONCURRENCY: String(options.concurrency),
    DELIVERY_STALE_CLAIM_SECONDS: String(options.staleClaimSeconds),
    INSTANCE_HEARTBEAT_SECONDS: "1",
    QUIET_HOURS: "00:00-00:00",
    // No campaign: nothing but the broadcasts is due.
    CAMPAIGNS_DIR: campaignsDir,
    WEB_CHAT: "off",
    LOG_LEVEL: "info",
    HOST: "127.0.0.1",
  };

  async function spawnBot(): Promise<BotRun> {
    const port = await freePort();
    const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], { cwd: ROOT, env: { ...env, PORT: String(port) }, stdio: ["ignore", "pipe", "pipe"] });
    const run: BotRun = {
      index: ++runs,
      child,
      spawnedAt: Date.now(),
      exited: new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal, at: Date.now() }))),
    };
    createInterface({ input: child.stdout! }).on("line", (line) => {
      if (line.includes(tg.token)) logs.tokenInLogs = true;
      let entry: { level?: number; msg?: string; notificationId?: number };
      try {
        entry = JSON.parse(line) as typeof entry;
      } catch {
        return;
      }
      if (entry.msg === UNCERTAIN_LOG_MESSAGE && entry.level === 40) {
        logs.uncertainLines++;
        if (typeof entry.notificationId === "number") logs.uncertainIds.add(entry.notificationId);
      }
      if ((entry.level ?? 0) >= 50 && logs.errorLines.length < 20) logs.errorLines.push(`run ${run.index}: ${line.slice(0, 400)}`);
    });
    createInterface({ input: child.stderr! }).on("line", (line) => {
      if (line.includes(tg.token)) logs.tokenInLogs = true;
      logs.stderrTail.push(`run ${run.index}: ${line.slice(0, 300)}`);
      if (logs.stderrTail.length > 20) logs.stderrTail.shift();
    });
    current = run;
    return run;
  }

  /** Resolves when the server has `count` messages, rejects when the bot exits first or nothing comes for long. */
  async function waitForSent(run: BotRun, count: number, what: string): Promise<void> {
    let exited = false;
    void run.exited.then(() => (exited = true));
    await until(
      what,
      () => {
        if (tg.sent.length >= count) return true;
        if (exited) throw new Error(`crash harness: the bot (run ${run.index}) exited by itself while ${what}:\n${logs.stderrTail.join("\n")}\n${logs.errorLines.join("\n")}`);
        return undefined;
      },
      90_000,
      2,
    );
  }

  async function signal(run: BotRun, sig: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }> {
    if (run.child.exitCode === null && run.child.signalCode === null) run.child.kill(sig);
    const result = await run.exited;
    if (current === run) current = undefined;
    return result;
  }

  const remaining = async (broadcastId: number) => {
    const counts = await db!.prisma.notification.count({ where: { broadcastId, status: { in: ["pending", "sending"] } } });
    return counts;
  };

  try {
    // ---- seed ----
    progress(`${options.provider}: migrating and seeding ${options.recipients.toLocaleString("en")} subscribers…`);
    await migrate(database.url);
    db = openDatabase(database.url);
    const repos = createRepositories(db);
    const world = await seedWorld(db, repos, options.recipients, random);
    const broadcast = await confirmedBroadcast(repos, { senderId: world.officerId, audience: "subtree", unitId: world.root.id, text: BROADCAST_TEXT, recipients: world.recipients.length });
    const seedMs = Date.now() - started;
    const expectedText = (locale: Locale, text: string) => renderBroadcast(locale, world.root.name, text);

    // ---- phase 1: SIGKILL at random moments while sending ----
    progress(`${options.provider}: phase 1 — ${options.kills} SIGKILLs while ${world.recipients.length.toLocaleString("en")} messages go out`);
    const killStart = Date.now();
    const kills: KillRecord[] = [];
    for (let k = 0; k < options.kills; k++) {
      const run = await spawnBot();
      const before = tg.sent.length;
      const left = world.recipients.length - new Set(tg.sent.map((m) => m.chatId)).size;
      // A random moment within this run's share of what is left, so every kill lands while messages go out.
      const share = Math.max(2, Math.floor((2 * left) / (options.kills - k + 1)));
      const target = 1 + Math.floor(random() * share);
      await waitForSent(run, before + 1, `run ${run.index} to start sending`);
      const firstSendMs = Date.now() - run.spawnedAt;
      await waitForSent(run, before + target, `run ${run.index} to send ${target} message(s)`);
      // Sometimes a little later still, so the kill does not always come right after a send arrived.
      if (random() < 0.5) await sleep(random() * 15);
      const killedAt = Date.now();
      await signal(run, "SIGKILL");
      kills.push({ run: run.index, firstSendMs, spawnedAt: run.spawnedAt, killedAt, sentInRun: tg.sent.length - before, duplicates: 0 });
      progress(`  kill ${k + 1}/${options.kills}: run ${run.index} sent ${tg.sent.length - before}, SIGKILL`);
      // Requests the dead process wrote just before the kill are read by the server within moments: let them land
      // before the next process starts, so each send is counted in the run that made it.
      await sleep(100);
    }
    const finalRun = await spawnBot();
    progress(`  run ${finalRun.index}: finishing the broadcast`);
    await until("the broadcast to finish", async () => ((await remaining(broadcast.id)) === 0 ? true : undefined), 300_000, 200);
    const finalStop = await signal(finalRun, "SIGTERM");
    if (finalStop.code !== 0) violations.push(`the last run did not stop cleanly on SIGTERM (exit ${finalStop.code ?? finalStop.signal})`);
    const killMs = Date.now() - killStart;

    const killCounts = await countPhase(db, broadcast.id, world.recipients, (r) => expectedText(r.locale, BROADCAST_TEXT), tg.sent, killMs, violations, "phase 1");
    // Attribute each extra copy to the kill of the run whose process sent its earlier copy: it was in flight then.
    // A run's sends are those recorded from its spawn until the next spawn (a send written by the dying process may
    // be read by the server just after the kill; the next process is not even started then).
    const windowEnd = (i: number) => (i + 1 < kills.length ? kills[i + 1]!.spawnedAt : finalRun.spawnedAt);
    const byChat = receiptsByChat(tg.sent, new Set(world.recipients.map((r) => r.chatId)), new Set(world.recipients.map((r) => expectedText(r.locale, BROADCAST_TEXT))));
    const rows = await db.prisma.notification.findMany({ where: { broadcastId: broadcast.id }, select: { id: true, chatId: true, uncertain: true } });
    const rowByChat = new Map(rows.map((r) => [r.chatId, r]));
    let unflagged = 0;
    let unlogged = 0;
    let unattributed = 0;
    for (const [chatId, times] of byChat) {
      if (times.length < 2) continue;
      const row = rowByChat.get(chatId);
      if (!row?.uncertain) unflagged++;
      if (!row || !logs.uncertainIds.has(row.id)) unlogged++;
      for (const t of times.slice(0, -1)) {
        const kill = kills.find((k, i) => t >= k.spawnedAt && t < windowEnd(i));
        if (kill) kill.duplicates++;
        else unattributed++;
      }
    }
    const maxPerKill = Math.max(0, ...kills.map((k) => k.duplicates));
    if (unflagged > 0) violations.push(`phase 1: ${unflagged} duplicated recipient(s) whose row is not flagged uncertain`);
    if (unlogged > 0) violations.push(`phase 1: ${unlogged} duplicated recipient(s) without an uncertain warn line in the logs`);
    if (unattributed > 0) violations.push(`phase 1: ${unattributed} duplicate(s) whose earlier copy was not in flight at any kill`);
    for (const k of kills) {
      if (k.duplicates > options.concurrency) violations.push(`phase 1: kill of run ${k.run} left ${k.duplicates} duplicates, more than DELIVERY_CONCURRENCY=${options.concurrency} sends in flight`);
    }
    if (killCounts.duplicates > options.concurrency * kills.length) violations.push(`phase 1: ${killCounts.duplicates} duplicates in all, more than ${options.concurrency} × ${kills.length} kills`);
    const killsMidSend = kills.filter((k) => k.sentInRun > 0).length;
    if (killsMidSend < options.kills) violations.push(`phase 1: only ${killsMidSend} of ${options.kills} kills landed while messages went out`);

    // ---- phase 2: SIGTERM mid-delivery ----
    let sigterm: HarnessReport["sigterm"] = null;
    if (options.sigterms > 0) {
      const unit = world.children[0]!;
      const audience = world.recipients.filter((r) => r.unitIndex === 0);
      const second = await confirmedBroadcast(repos, { senderId: world.officerId, audience: "unit", unitId: unit.id, text: SIGTERM_TEXT, recipients: audience.length });
      progress(`${options.provider}: phase 2 — ${options.sigterms} SIGTERMs while ${audience.length.toLocaleString("en")} messages go out`);
      const termStart = Date.now();
      const stops: SigtermRecord[] = [];
      const secondTexts = new Set(audience.map((r) => expectedText(r.locale, SIGTERM_TEXT)));
      const sentOfSecond = () => tg.sent.filter((m) => m.plainText !== undefined && secondTexts.has(m.plainText)).length;
      for (let s = 0; s < options.sigterms; s++) {
        const run = await spawnBot();
        const before = tg.sent.length;
        const left = audience.length - sentOfSecond();
        const share = Math.max(2, Math.floor((2 * left) / (options.sigterms - s + 1)));
        await waitForSent(run, before + 1 + Math.floor(random() * share), `run ${run.index} to send`);
        const abandonedBefore = tg.abandonedCalls.filter((c) => c.method === "sendMessage").length;
        const termAt = Date.now();
        const exit = await signal(run, "SIGTERM");
        const record: SigtermRecord = {
          run: run.index,
          sentInRun: tg.sent.length - before,
          exitMs: exit.at - termAt,
          exitCode: exit.code,
          cutOff: tg.abandonedCalls.filter((c) => c.method === "sendMessage").length - abandonedBefore,
          leftSending: await db.prisma.notification.count({ where: { broadcastId: second.id, status: "sending" } }),
        };
        stops.push(record);
        progress(`  SIGTERM ${s + 1}/${options.sigterms}: run ${run.index} sent ${record.sentInRun}, exited ${record.exitCode ?? exit.signal} after ${record.exitMs} ms`);
        if (record.exitCode !== 0) violations.push(`phase 2: run ${run.index} exited with ${record.exitCode ?? exit.signal} on SIGTERM, not 0`);
        if (record.exitMs > options.sigtermExitLimitMs) violations.push(`phase 2: run ${run.index} took ${record.exitMs} ms to exit on SIGTERM (limit ${options.sigtermExitLimitMs} ms)`);
        if (record.cutOff > 0) violations.push(`phase 2: run ${run.index} cut off ${record.cutOff} send(s) in flight instead of finishing them`);
        if (record.leftSending > 0) violations.push(`phase 2: run ${run.index} left ${record.leftSending} row(s) "sending" after a graceful stop`);
      }
      const last = await spawnBot();
      await until("the second broadcast to finish", async () => ((await remaining(second.id)) === 0 ? true : undefined), 300_000, 200);
      const lastStop = await signal(last, "SIGTERM");
      if (lastStop.code !== 0) violations.push(`phase 2: the last run did not stop cleanly on SIGTERM (exit ${lastStop.code ?? lastStop.signal})`);
      const counts = await countPhase(db, second.id, audience, (r) => expectedText(r.locale, SIGTERM_TEXT), tg.sent, Date.now() - termStart, violations, "phase 2");
      if (counts.duplicates > 0) violations.push(`phase 2: ${counts.duplicates} duplicate(s) after graceful stops`);
      if (counts.uncertainRows > 0) violations.push(`phase 2: ${counts.uncertainRows} row(s) flagged uncertain after graceful stops`);
      sigterm = { ...counts, stops };
    }

    if (logs.tokenInLogs) violations.push("the bot token appeared in the bot's output");
    const { progress: _progress, ...settings } = options;
    const report: HarnessReport = {
      provider: options.provider,
      options: settings,
      seedMs,
      kill: {
        ...killCounts,
        kills,
        runs: kills.length + 1,
        maxDuplicatesPerKill: maxPerKill,
        unflagged,
        unlogged,
        uncertainWarnLines: logs.uncertainLines,
      },
      sigterm,
      errorLines: logs.errorLines,
      tokenInLogs: logs.tokenInLogs,
      totalMs: Date.now() - started,
      violations,
    };
    return report;
  } finally {
    if (current) await signal(current, "SIGKILL").catch(() => undefined);
    await db?.close();
    await tg.close();
    await database.drop().catch(() => undefined);
    rmSync(campaignsDir, { recursive: true, force: true });
  }
}

/** Receipt times per recipient chat, of messages whose text is one of `texts`. */
function receiptsByChat(sent: readonly SentMessage[], chats: ReadonlySet<string>, texts: ReadonlySet<string>): Map<string, number[]> {
  const byChat = new Map<string, number[]>();
  for (const m of sent) {
    if (m.method !== "sendMessage" || !chats.has(m.chatId) || m.plainText === undefined || !texts.has(m.plainText)) continue;
    const list = byChat.get(m.chatId) ?? [];
    list.push(m.at ?? 0);
    byChat.set(m.chatId, list);
  }
  return byChat;
}

/** What the server received of one broadcast against its recipients, and the final state of its rows. */
async function countPhase(
  db: OpenDatabase,
  broadcastId: number,
  recipients: readonly Recipient[],
  expected: (r: Recipient) => string,
  sent: readonly SentMessage[],
  durationMs: number,
  violations: string[],
  phase: string,
): Promise<PhaseCounts> {
  const expectedByChat = new Map(recipients.map((r) => [r.chatId, expected(r)]));
  const texts = new Set(expectedByChat.values());
  const counts = new Map<string, number>();
  let wrongText = 0;
  for (const m of sent) {
    if (m.method !== "sendMessage" || m.plainText === undefined || !texts.has(m.plainText)) continue;
    const want = expectedByChat.get(m.chatId);
    if (want === undefined || want !== m.plainText) {
      wrongText++;
      continue;
    }
    counts.set(m.chatId, (counts.get(m.chatId) ?? 0) + 1);
  }
  let delivered = 0;
  let duplicates = 0;
  for (const r of recipients) {
    const n = counts.get(r.chatId) ?? 0;
    if (n > 0) delivered++;
    duplicates += Math.max(0, n - 1);
  }
  const lost = recipients.length - delivered;
  const groups = await db.prisma.notification.groupBy({ by: ["status"], where: { broadcastId }, _count: { _all: true } });
  const notSent: Record<string, number> = {};
  for (const g of groups) if (g.status !== "sent") notSent[g.status] = g._count._all;
  const uncertainRows = await db.prisma.notification.count({ where: { broadcastId, uncertain: true } });
  if (lost > 0) violations.push(`${phase}: ${lost} recipient(s) never got the message`);
  if (wrongText > 0) violations.push(`${phase}: ${wrongText} message(s) reached a chat that is not a recipient, or in the wrong language`);
  if (Object.keys(notSent).length > 0) violations.push(`${phase}: rows not sent at the end: ${JSON.stringify(notSent)}`);
  return { recipients: recipients.length, delivered, lost, duplicates, uncertainRows, notSent, durationMs };
}

// ---- the summary ------------------------------------------------------------------------------------------------

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export function formatReport(report: HarnessReport): string {
  const header = ["phase", "runs", "kills/stops", "delivered", "lost", "duplicates", "max dup/kill", "uncertain rows", "time"];
  const rows: string[][] = [
    [
      "SIGKILL",
      String(report.kill.runs),
      String(report.kill.kills.length),
      `${report.kill.delivered}/${report.kill.recipients}`,
      String(report.kill.lost),
      String(report.kill.duplicates),
      `${report.kill.maxDuplicatesPerKill} (≤ ${report.options.concurrency})`,
      String(report.kill.uncertainRows),
      seconds(report.kill.durationMs),
    ],
  ];
  if (report.sigterm) {
    rows.push([
      "SIGTERM",
      String(report.sigterm.stops.length + 1),
      String(report.sigterm.stops.length),
      `${report.sigterm.delivered}/${report.sigterm.recipients}`,
      String(report.sigterm.lost),
      String(report.sigterm.duplicates),
      "–",
      String(report.sigterm.uncertainRows),
      seconds(report.sigterm.durationMs),
    ]);
  }
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  const out = [
    `crash harness — ${report.provider}, ${report.options.recipients.toLocaleString("en")} members + 1 officer, seed ${report.options.seed}, DELIVERY_CONCURRENCY=${report.options.concurrency}, stale claims after ${report.options.staleClaimSeconds} s`,
    line(header),
    line(widths.map((w) => "-".repeat(w))),
    ...rows.map(line),
    "",
    `duplicates per kill: ${report.kill.kills.map((k) => k.duplicates).join(" ")}`,
    `messages sent per killed run: ${report.kill.kills.map((k) => k.sentInRun).join(" ")}`,
    `start-up to first send per killed run (s): ${report.kill.kills.map((k) => (k.firstSendMs / 1000).toFixed(1)).join(" ")}`,
    `uncertain warn lines: ${report.kill.uncertainWarnLines}; duplicated recipients not flagged: ${report.kill.unflagged}, without a warn line: ${report.kill.unlogged}`,
  ];
  if (report.sigterm) {
    out.push(`SIGTERM exits (ms): ${report.sigterm.stops.map((s) => s.exitMs).join(" ")}; sends cut off: ${report.sigterm.stops.reduce((a, s) => a + s.cutOff, 0)}; rows left sending: ${report.sigterm.stops.reduce((a, s) => a + s.leftSending, 0)}`);
  }
  out.push(`seeding ${seconds(report.seedMs)}, total ${seconds(report.totalMs)}; error lines in the bot's logs: ${report.errorLines.length}`);
  for (const e of report.errorLines.slice(0, 5)) out.push(`  ${e}`);
  out.push(report.violations.length === 0 ? "PASS: nothing lost, duplicates only for sends in flight at a kill, each flagged uncertain; graceful stops clean" : "FAIL:");
  for (const v of report.violations) out.push(`  ✗ ${v}`);
  return out.join("\n");
}
