// npm run bench:idle — resident memory (RSS) of the compiled bot at rest, against issue 14's target: `node
// dist/main.js` with the web chat on and the bundled plans loaded, serving /healthz, in at most 100 MB.
//
// For each provider (SQLite, and PostgreSQL beside it when reachable), BENCH_IDLE_RUNS times (3; a fresh database and
// a fresh process each time): `npm run build`, then the bot as the container runs it (the Dockerfile's node flags and
// environment, see scripts/bench/compile.ts) with WEB_CHAT=on and no platform token on 127.0.0.1. Once /healthz
// answers: the web chat page and its script, /healthz ten times; BENCH_IDLE_SECONDS (30) at rest with a /healthz
// every 5 s (a health check's rhythm); then RSS from /proc/<pid>/status five times a second apart. A run's figure is
// the median of its five readings, and the provider's figure is the median run (the spread is printed: the machine
// is shared, so background threads and the allocator do not settle the same way every time).
//
// Breakdown of the median run, from /proc/<pid>/smaps: the node binary and the shared libraries (file pages),
// malloc (glibc's main arena, and the other arenas: 64 MB-aligned anonymous mappings), JIT code (V8's and the
// WebAssembly compiler's executable pages) and the rest of the anonymous memory (the V8 heap, WebAssembly memory,
// thread stacks). Then one more run with scripts/bench/idle-probe.mjs loaded, which adds a little of its own, for
// what the figure cannot say: the V8 heap (process.memoryUsage) and the modules loaded (how many, which packages).
//
// Options (environment): BENCH_PROVIDERS=sqlite,postgresql  BENCH_IDLE_RUNS=3  BENCH_IDLE_SECONDS=30.
// Results: scripts/bench/results-idle.json (BENCH_OUT=<file> writes elsewhere); README via npm run bench:readme.
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Provider } from "../src/db/url.js";
import { startRealBot } from "./bench/bot.js";
import { ROOT, runtimeEnv, runtimeNodeFlags } from "./bench/compile.js";
import { freshBenchDatabase, serverVersions } from "./bench/db.js";
import { printTable } from "./bench/table.js";

const list = (name: string, fallback: string) => (process.env[name] ?? fallback).split(",").map((s) => s.trim()).filter(Boolean);
const PROVIDERS = list("BENCH_PROVIDERS", "sqlite,postgresql") as Provider[];
const RUNS = Number(process.env.BENCH_IDLE_RUNS ?? 3);
const IDLE_SECONDS = Number(process.env.BENCH_IDLE_SECONDS ?? 30);
const TARGET_MB = 100;
const READINGS = 5;

const round1 = (v: number) => Math.round(v * 10) / 10;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)]!;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const load1 = () => Math.round(os.loadavg()[0]! * 100) / 100;

export interface Breakdown {
  /** The node binary and shared libraries (better-sqlite3's among them): file pages, shared with other processes. */
  fileMb: number;
  /** glibc malloc: its main arena ([heap]) and the other arenas (threads'). */
  mallocMainMb: number;
  mallocThreadsMb: number;
  /** Executable anonymous pages: V8's JIT code and compiled WebAssembly. */
  jitCodeMb: number;
  /** The rest of the anonymous memory: the V8 heap's pages, WebAssembly memory, stacks. */
  otherAnonMb: number;
}

/** Resident memory of `pid` by kind, from /proc/<pid>/smaps (see Breakdown). */
function breakdown(pid: number): Breakdown {
  const kb = { file: 0, mallocMain: 0, mallocThreads: 0, jitCode: 0, otherAnon: 0 };
  let kind: keyof typeof kb = "otherAnon";
  for (const line of readFileSync(`/proc/${pid}/smaps`, "utf8").split("\n")) {
    const mapping = /^([0-9a-f]+)-[0-9a-f]+ (\S+) \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (mapping) {
      const [, start, perms, name] = mapping as unknown as [string, string, string, string];
      // glibc's non-main arenas are heaps of HEAP_MAX_SIZE (64 MB on 64-bit), mmapped at a multiple of it.
      const arena = name === "" && BigInt(`0x${start}`) % (64n << 20n) === 0n;
      kind = name === "[heap]" ? "mallocMain" : name.startsWith("/") ? "file" : perms.includes("x") && name === "" ? "jitCode" : arena ? "mallocThreads" : "otherAnon";
      continue;
    }
    const rss = /^Rss:\s+(\d+) kB/.exec(line);
    if (rss) kb[kind] += Number(rss[1]);
  }
  const mb = (v: number) => round1(v / 1024);
  return { fileMb: mb(kb.file), mallocMainMb: mb(kb.mallocMain), mallocThreadsMb: mb(kb.mallocThreads), jitCodeMb: mb(kb.jitCode), otherAnonMb: mb(kb.otherAnon) };
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return round1(Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? NaN) / 1024);
}

/** What a browser and a health checker ask of a fresh bot: the web chat's page and script, /healthz. */
async function serveAFewRequests(url: string): Promise<void> {
  const page = await (await fetch(`${url}/`)).text();
  for (const src of page.match(/(?<=src=")[^"]+\.js(?=")/g) ?? []) await (await fetch(new URL(src, `${url}/`))).arrayBuffer();
  for (let i = 0; i < 10; i++) if ((await fetch(`${url}/healthz`)).status !== 200) throw new Error("/healthz did not answer 200");
}

interface Run {
  rssMb: number;
  readingsMb: number[];
  hwmMb: number;
  breakdown: Breakdown;
  loadAverage: number;
}

async function idleRun(provider: Provider, extraFlags: string[] = [], extraEnv: Record<string, string> = {}): Promise<{ run: Run; pid: number } & { stop(): Promise<void> }> {
  const db = await freshBenchDatabase(provider);
  // startRealBot takes extra node flags from BENCH_BOT_NODE_FLAGS (none but the probe's here: the Dockerfile's are the point).
  process.env.BENCH_BOT_NODE_FLAGS = extraFlags.join(" ");
  const bot = await startRealBot({ DATABASE_URL: db.url, WEB_CHAT: "on", ...extraEnv });
  const pid = bot.child.pid!;
  const stop = async () => {
    await bot.stop();
    await db.drop();
  };
  try {
    await serveAFewRequests(bot.url);
    for (let waited = 0; waited < IDLE_SECONDS; waited += 5) {
      await sleep(5_000);
      if ((await fetch(`${bot.url}/healthz`)).status !== 200) throw new Error("/healthz did not answer 200");
    }
    const readingsMb: number[] = [];
    for (let i = 0; i < READINGS; i++) {
      if (i > 0) await sleep(1_000);
      readingsMb.push(rssMb(pid));
    }
    const hwm = round1(Number(/^VmHWM:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? NaN) / 1024);
    return { run: { rssMb: median(readingsMb), readingsMb, hwmMb: hwm, breakdown: breakdown(pid), loadAverage: load1() }, pid, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

interface Probe {
  memoryUsage: Record<string, number>;
  heapCode: Record<string, number>;
  modules: { file: string; bytes: number }[];
}

/** The V8 heap and the modules loaded, from a run with scripts/bench/idle-probe.mjs. */
async function probeRun(provider: Provider) {
  const out = path.join(os.tmpdir(), `congdoan-idle-probe-${process.pid}.json`);
  const probe = path.join(ROOT, "scripts/bench/idle-probe.mjs");
  const { pid, stop } = await idleRun(provider, ["--import", probe], { IDLE_PROBE_OUT: out });
  try {
    process.kill(pid, "SIGUSR2");
    await sleep(1_000);
    const p = JSON.parse(readFileSync(out, "utf8")) as Probe;
    const mb = (v: number) => round1(v / 2 ** 20);
    const packages = new Map<string, number>();
    for (const m of p.modules) {
      const name = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(m.file)?.[1] ?? (m.file.startsWith(path.join(ROOT, "dist")) ? "(the bot: dist/)" : "(other)");
      packages.set(name, (packages.get(name) ?? 0) + 1);
    }
    return {
      heapUsedMb: mb(p.memoryUsage.heapUsed!),
      heapTotalMb: mb(p.memoryUsage.heapTotal!),
      externalMb: mb(p.memoryUsage.external!),
      codeMb: mb(p.heapCode.code_and_metadata_size!),
      bytecodeMb: mb(p.heapCode.bytecode_and_metadata_size!),
      modules: p.modules.length,
      sourceMb: mb(p.modules.reduce((a, m) => a + m.bytes, 0)),
      packages: Object.fromEntries([...packages].sort((a, b) => b[1] - a[1])),
    };
  } finally {
    await stop();
    rmSync(out, { force: true });
  }
}

async function main(): Promise<void> {
  const versions = await serverVersions();
  const machine = { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? "?", memoryGb: Math.round(os.totalmem() / 2 ** 30), node: process.version, ...versions, loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100) };
  const flags = runtimeNodeFlags();
  const env = runtimeEnv();
  console.log(`bench:idle — ${new Date().toISOString()} — ${machine.cpus} cores (${machine.cpuModel}), ${machine.memoryGb} GiB, Node ${machine.node}, SQLite ${machine.sqlite}, PostgreSQL ${machine.postgresql ?? "unreachable"}, load ${machine.loadAverage.join(" ")}`);
  console.log(`  node ${flags.join(" ")} dist/main.js, environment ${Object.entries(env).map(([k, v]) => `${k}=${v}`).join(" ")}, WEB_CHAT=on; ${IDLE_SECONDS} s at rest; ${RUNS} runs per database`);
  const rows = [];
  for (const provider of PROVIDERS) {
    if (provider === "postgresql" && versions.postgresql === null) {
      console.log("  PostgreSQL is not reachable: skipped");
      continue;
    }
    const runs: Run[] = [];
    for (let i = 0; i < RUNS; i++) {
      const { run, stop } = await idleRun(provider);
      await stop();
      console.log(`  ${provider} run ${i + 1}: RSS ${run.rssMb} MB (readings ${run.readingsMb.join(", ")}; high-water ${run.hwmMb} MB), load ${run.loadAverage}`);
      runs.push(run);
    }
    const mid = [...runs].sort((a, b) => a.rssMb - b.rssMb)[Math.floor((runs.length - 1) / 2)]!;
    const probe = await probeRun(provider);
    rows.push({ provider, rssMb: mid.rssMb, minMb: Math.min(...runs.map((r) => r.rssMb)), maxMb: Math.max(...runs.map((r) => r.rssMb)), runs, breakdown: mid.breakdown, probe, met: mid.rssMb <= TARGET_MB });
  }
  console.log("");
  printTable(
    ["database", "RSS MB", "min–max", "node + libs", "malloc main", "malloc other", "JIT code", "other anon", "V8 heap used/total", "modules"],
    rows.map((r) => [r.provider, r.rssMb, `${r.minMb}–${r.maxMb}`, r.breakdown.fileMb, r.breakdown.mallocMainMb, r.breakdown.mallocThreadsMb, r.breakdown.jitCodeMb, r.breakdown.otherAnonMb, `${r.probe.heapUsedMb}/${r.probe.heapTotalMb}`, r.probe.modules]),
  );
  for (const r of rows) {
    console.log(`  ${r.provider}: packages loaded at rest: ${Object.entries(r.probe.packages).slice(0, 12).map(([k, v]) => `${k} ${v}`).join(", ")}`);
  }
  const verdicts = rows.map((r) => `idle RSS (${r.provider}) ${r.rssMb} MB — target ≤ ${TARGET_MB} MB: ${r.met ? "met" : `NOT met, +${round1(r.rssMb - TARGET_MB)} MB`} (runs ${r.runs.map((x) => x.rssMb).join(", ")})`);
  for (const v of verdicts) console.log(`  ${v}`);
  const results = { date: new Date().toISOString(), machine, settings: { nodeFlags: flags.join(" "), environment: env, idleSeconds: IDLE_SECONDS, runs: RUNS }, targetMb: TARGET_MB, rows, verdicts, loadAverageAtEnd: os.loadavg().map((l) => Math.round(l * 100) / 100) };
  const out = process.env.BENCH_OUT ?? new URL("./bench/results-idle.json", import.meta.url).pathname;
  writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`\nresults: ${out}`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
