// Ad-hoc profiling aid (not part of the npm scripts): seeds a SQLite/PostgreSQL database, starts the fake Telegram,
// and runs worker-child.ts with extra node flags (BENCH_NODE_FLAGS, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof").
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { Provider } from "../../src/db/url.js";
import { ROOT } from "./child.js";
import { freshBenchDatabase, seedBroadcast } from "./db.js";
import { received, startFakeTelegram } from "./fake.js";

const provider = (process.env.BENCH_PROVIDER ?? "sqlite") as Provider;
const n = Number(process.env.BENCH_N ?? 5000);
const db = await freshBenchDatabase(provider);
const fake = await startFakeTelegram();
const seeded = await seedBroadcast(db.url, n, "Thông báo thử");
const job = { databaseUrl: db.url, broadcastId: seeded.broadcastId, apiRoot: fake.apiRoot, token: fake.token, ratePerSecond: 1e6, chatRatePerSecond: 1e6, concurrency: Number(process.env.BENCH_CONCURRENCY ?? 8), timeoutMs: 300_000 };
const flags = (process.env.BENCH_NODE_FLAGS ?? "").split(" ").filter(Boolean);
const child = spawn(process.execPath, [...flags, "--import", "tsx", fileURLToPath(new URL("./worker-child.ts", import.meta.url))], { cwd: ROOT, env: { ...process.env, BENCH_JOB: JSON.stringify(job) }, stdio: ["ignore", "inherit", "inherit", "ipc"] });
child.on("message", (m) => console.log(JSON.stringify(m)));
await new Promise((r) => child.on("exit", r));
console.log(JSON.stringify(received(fake)));
await fake.close();
await db.drop();
process.exit(0);
