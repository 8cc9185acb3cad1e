import { openDatabase, migrate } from "./dist/db/index.js";
const url = "file:/tmp/perf/mb.db";
await migrate(url);
const db = openDatabase(url);
const p = db.prisma;
await p.subscriber.upsert({ where: { channel_chatId: { channel: "telegram", chatId: "1" } }, create: { channel: "telegram", chatId: "1", locale: "vi", status: "active" }, update: {} });
async function time(name, fn, n = 2000) {
  for (let i = 0; i < 200; i++) await fn(i);
  const c0 = process.cpuUsage(); const t0 = performance.now();
  for (let i = 0; i < n; i++) await fn(i);
  const c = process.cpuUsage(c0);
  console.log(name.padEnd(40), ((performance.now() - t0) / n * 1000).toFixed(0), "µs wall", ((c.user + c.system) / n).toFixed(0), "µs cpu");
}
await time("findUnique", () => p.subscriber.findUnique({ where: { channel_chatId: { channel: "telegram", chatId: "1" } } }));
await time("queryRawUnsafe select", () => p.$queryRawUnsafe('SELECT * FROM "Subscriber" WHERE "channel" = ? AND "chatId" = ?', "telegram", "1"));
await time("processedUpdate.create", (i) => p.processedUpdate.create({ data: { key: "k" + Math.random(), status: "processing", receivedAt: new Date(), owner: "x" } }));
await time("executeRawUnsafe insert", (i) => p.$executeRawUnsafe('INSERT INTO "ProcessedUpdate" ("key","status","receivedAt","owner") VALUES (?,?,?,?)', "r" + Math.random(), "processing", new Date(), "x"));
await time("updateMany", (i) => p.processedUpdate.updateMany({ where: { key: "nope", status: "processing", owner: "x" }, data: { status: "done", finishedAt: new Date() } }));
await db.close();
