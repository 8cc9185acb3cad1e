// npm run bench:console — the officer console's server time per page on a large federation: 1,000 units (a province,
// 20 district-level unions, 979 grassroots unions) with 100,000 members in all, every member a bot user, 60% of them
// registered, some broadcasts with their outbox rows. The console runs in this process on the real HTTP server
// (127.0.0.1, port 0) with the real repositories; each page is fetched BENCH_RUNS times (default 10) after one warm-up,
// signed in as the federation's officer and as one grassroots officer. Reported: median and slowest, against the
// 150 ms target. Options: BENCH_PROVIDERS=sqlite,postgresql (default sqlite) BENCH_MEMBERS=100000 BENCH_UNITS=1000.
import pino from "pino";
import type { NewNotification } from "../src/app/ports.js";
import { addDays, localDate, startOfLocalDay } from "../src/domain/clock.js";
import { DEFAULT_QUIET_HOURS } from "../src/domain/quiet-hours.js";
import { CampaignSchema } from "../src/domain/campaign.js";
import { createRepositories, migrate, openDatabase } from "../src/db/index.js";
import type { Provider } from "../src/db/url.js";
import { consoleRoutes } from "../src/console/routes.js";
import { officerSubject } from "../src/console/principal.js";
import { consoleStore } from "../src/console/wiring.js";
import { allowedHostNames } from "../src/http/guards.js";
import { startHttpServer } from "../src/http/server.js";
import { cookieName } from "../src/http/sessions/cookie.js";
import { WebSessions } from "../src/http/sessions/web-sessions.js";
import { freshBenchDatabase } from "./bench/db.js";
import { printTable } from "./bench/table.js";

const PROVIDERS = (process.env.BENCH_PROVIDERS ?? "sqlite").split(",").map((s) => s.trim()) as Provider[];
const MEMBERS = Number(process.env.BENCH_MEMBERS ?? 100_000);
const UNITS = Number(process.env.BENCH_UNITS ?? 1000);
const RUNS = Number(process.env.BENCH_RUNS ?? 10);
const DISTRICTS = 20;
const TARGET_MS = 150;
const TZ = "Asia/Ho_Chi_Minh";

async function seed(url: string) {
  await migrate(url);
  const db = openDatabase(url);
  const r = createRepositories(db);
  const p = db.prisma;
  const today = localDate(new Date(), TZ);
  const year = Number(today.slice(0, 4));
  const definition = CampaignSchema.parse({
    slug: "bench-console",
    code_prefix: `BC${String(year).slice(-2)}`,
    year,
    owner: { name: "Liên đoàn Lao động tỉnh Thử nghiệm", short_name: "LĐLĐ tỉnh Thử nghiệm", unit_code: "LDLD" },
    title: "Kế hoạch thi đua (đo tốc độ)",
    theme: "Thi đua lao động giỏi, lao động sáng tạo",
    phases: [
      { number: 1, name: "Đợt 1", start: addDays(today, -60), end: addDays(today, 30), theme: "Mừng Đảng quang vinh", focus: "Chào mừng các ngày lễ lớn." },
      { number: 2, name: "Đợt 2", start: addDays(today, 31), end: addDays(today, 120), theme: "Về đích sớm", focus: "Hoàn thành vượt mức chỉ tiêu." },
    ],
    anniversaries: [{ key: "thanh-lap-cong-doan", name: "Ngày thành lập Công đoàn Việt Nam", base_date: `1929-${addDays(today, 5).slice(5)}` }],
    titles: [
      { key: "lao-dong-tien-tien", name: "Lao động tiên tiến", scope: "individual" },
      { key: "chien-si-thi-dua-co-so", name: "Chiến sĩ thi đua cơ sở", scope: "individual" },
    ],
    works: { description: "Công trình, sản phẩm chào mừng." },
    initiatives: { description: "Sáng kiến cải tiến." },
    reporting: { after_each_phase: true, to: "LĐLĐ tỉnh", description: "Báo cáo kết quả sau mỗi đợt." },
  });
  const { id: campaignId } = await r.campaigns.upsert(definition);

  // Units: the province, its districts, and the grassroots unions spread over them; members on the grassroots ones.
  const grassroots = UNITS - 1 - DISTRICTS;
  const rows = [{ code: "LDLD", name: "Liên đoàn Lao động tỉnh Thử nghiệm", parentCode: null as string | null, memberCount: 0 }];
  for (let d = 1; d <= DISTRICTS; d++) rows.push({ code: `CD-${String(d).padStart(2, "0")}`, name: `Công đoàn cấp trên ${d}`, parentCode: "LDLD", memberCount: 0 });
  for (let g = 1; g <= grassroots; g++) {
    rows.push({ code: `CDCS-${String(g).padStart(4, "0")}`, name: `Công đoàn cơ sở số ${g}`, parentCode: `CD-${String(((g - 1) % DISTRICTS) + 1).padStart(2, "0")}`, memberCount: Math.floor(MEMBERS / grassroots) + (g <= MEMBERS % grassroots ? 1 : 0) });
  }
  await r.units.importAll(rows);
  const units = await p.unit.findMany({ select: { id: true, code: true, memberCount: true } });
  const byCode = new Map(units.map((u) => [u.code, u]));

  // Members: one bot user per member, 60% registered in phase 1 (createMany in batches: setup is not measured).
  let chat = 1_000_000;
  const people: { unitId: number; chatId: string }[] = [];
  for (const row of rows) for (let i = 0; i < row.memberCount; i++) people.push({ unitId: byCode.get(row.code)!.id, chatId: String(chat++) });
  for (let i = 0; i < people.length; i += 5000) {
    await p.subscriber.createMany({ data: people.slice(i, i + 5000).map((s, j) => ({ channel: "telegram", chatId: s.chatId, displayName: `Đoàn viên ${i + j + 1}`, unitId: s.unitId, locale: "vi", role: "member", status: "active" })) });
  }
  const subscribers = await p.subscriber.findMany({ select: { id: true, unitId: true }, orderBy: { id: "asc" } });
  const start = new Date(Date.now() - 50 * 86_400_000);
  const registered = subscribers.filter((_, i) => i % 5 < 3);
  for (let i = 0; i < registered.length; i += 2000) {
    const part = registered.slice(i, i + 2000);
    await p.pledge.createMany({
      data: part.map((s, j) => ({
        code: `${definition.code_prefix}-${String(i + j + 1).padStart(6, "0")}`,
        campaignId,
        phaseNumber: 1,
        subscriberId: s.id,
        kind: "individual",
        unitId: s.unitId,
        fullName: `Đoàn viên ${s.id}`,
        commitment: "Hoàn thành xuất sắc nhiệm vụ",
        status: "active",
        createdAt: new Date(start.getTime() + ((i + j) % 50) * 86_400_000),
      })),
    });
  }
  const pledges = await p.pledge.findMany({ select: { id: true, createdAt: true }, orderBy: { id: "asc" } });
  for (let i = 0; i < pledges.length; i += 5000) {
    await p.pledgeItem.createMany({ data: pledges.slice(i, i + 5000).map((x, j) => ({ pledgeId: x.id, type: "title", key: (i + j) % 4 === 0 ? "chien-si-thi-dua-co-so" : "lao-dong-tien-tien", name: (i + j) % 4 === 0 ? "Chiến sĩ thi đua cơ sở" : "Lao động tiên tiến" })) });
    await p.pledgeEvent.createMany({ data: pledges.slice(i, i + 5000).map((x) => ({ pledgeId: x.id, action: "created", subscriberId: 0, at: x.createdAt })) });
  }

  // Officers: the federation's and one grassroots union's.
  const top = subscribers[0]!;
  // Not the first member of CDCS-0001: that one is the federation's officer.
  const leaf = subscribers.filter((s) => s.unitId === byCode.get("CDCS-0001")!.id)[1]!;
  await r.subscribers.makeOfficer(top.id, byCode.get("LDLD")!.id);
  await r.subscribers.makeOfficer(leaf.id, byCode.get("CDCS-0001")!.id);

  // Ten delivered broadcasts to the whole tree (10 × 10,000 outbox rows), and the planner's records.
  for (let b = 0; b < 10; b++) {
    const broadcast = await r.broadcasts.createDraft({ senderId: top.id, audience: "subtree", unitId: byCode.get("LDLD")!.id, text: `Thông báo số ${b + 1}`, recipients: 10_000, now: new Date() });
    await r.broadcasts.confirm(broadcast.id, new Date());
    const rowsOut: NewNotification[] = subscribers.slice(b * 10_000, (b + 1) * 10_000).map((s) => ({ key: `broadcast:${broadcast.id}:${s.id}`, eventKey: `broadcast:${broadcast.id}`, eventType: "broadcast", subscriberId: s.id, channel: "telegram", chatId: "0", text: "…", notBefore: new Date(), expiresAt: null, broadcastId: broadcast.id }));
    for (let i = 0; i < rowsOut.length; i += 5000) await r.outbox.enqueue(rowsOut.slice(i, i + 5000));
    await p.notification.updateMany({ where: { broadcastId: broadcast.id }, data: { status: "sent" } });
  }
  await r.plannedEvents.record({ key: "bench-console:launch", eventType: "launch", campaignId, dueAt: start, status: "planned", reason: null, recipients: MEMBERS, plannedAt: start });
  return { db, repositories: r, officers: { federation: top.id, grassroots: leaf.id }, samplePledge: `${definition.code_prefix}-000001` };
}

/** BENCH_PROFILE=1: time the overview's two heavy reads on their own, then stop. */
async function profile(seeded: Awaited<ReturnType<typeof seed>>) {
  const r = seeded.repositories;
  const campaign = (await r.campaigns.findBySlug("bench-console"))!;
  const root = (await r.units.findByCode("LDLD"))!;
  const ids = (await r.pledgeReports.unitSubtree(root.id)).map((u) => u.id);
  const queries = consoleStore(seeded.db, r).queries;
  const today = localDate(new Date(), TZ);
  const days: Date[] = [];
  for (let d = addDays(today, -60); d <= today; d = addDays(d, 1)) days.push(startOfLocalDay(d, TZ));
  for (let i = 0; i < 3; i++) {
    let t = performance.now();
    await r.pledgeReports.coverage({ campaignId: campaign.id, unitIds: ids, titles: false });
    const coverage = performance.now() - t;
    t = performance.now();
    await queries.pledgesPerDay(campaign.id, 1, ids, days);
    const times = performance.now() - t;
    t = performance.now();
    await r.pledgeReports.unitSubtree(root.id);
    console.log(`coverage ${coverage.toFixed(0)} ms, pledgesPerDay ${times.toFixed(0)} ms, subtree ${(performance.now() - t).toFixed(0)} ms`);
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function run(provider: Provider) {
  const bench = await freshBenchDatabase(provider);
  const t0 = Date.now();
  const seeded = await seed(bench.url);
  console.log(`${provider}: seeded ${MEMBERS.toLocaleString("en")} members in ${UNITS} units in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  if (process.env.BENCH_PROFILE) {
    await profile(seeded);
    await seeded.db.close();
    await bench.drop();
    return [];
  }
  const logger = pino({ level: "silent" });
  const sessions = new WebSessions({ repository: seeded.repositories.webSessions });
  const routes = consoleRoutes({ store: consoleStore(seeded.db, seeded.repositories), sessions, cookies: { secure: false }, allowedHosts: allowedHostNames(undefined), timezone: TZ, quietHours: DEFAULT_QUIET_HOURS, logger, rateLimit: { burst: 100_000, perSecond: 100_000 } });
  const server = await startHttpServer({ port: 0, host: "127.0.0.1", routes, logger });
  const base = `http://127.0.0.1:${server.port}`;
  const results: (string | number)[][] = [];
  try {
    for (const [who, subscriberId] of Object.entries(seeded.officers)) {
      const { token } = await sessions.issue("console", officerSubject(subscriberId));
      const cookie = `${cookieName("console")}=${token}`;
      const unit = who === "federation" ? "CD-01" : "CDCS-0001";
      const pages = ["/console", "/console/units", `/console/units/${unit}`, "/console/officers", "/console/pledges", `/console/pledges?unit=${unit}&title=lao-dong-tien-tien`, `/console/pledges/${seeded.samplePledge}`, "/console/broadcasts", "/console/plans", "/console/plans/bench-console", "/console/log", ...(who === "federation" ? ["/console/audit"] : [])];
      for (const path of pages) {
        const times: number[] = [];
        let status = 0;
        let bytes = 0;
        for (let i = 0; i <= RUNS; i++) {
          const t = performance.now();
          const res = await fetch(base + path, { headers: { cookie } });
          const body = await res.arrayBuffer();
          if (i > 0) times.push(performance.now() - t);
          status = res.status;
          bytes = body.byteLength;
        }
        const med = median(times);
        results.push([provider, who, path, status, Math.round(bytes / 1024), med.toFixed(1), Math.max(...times).toFixed(1), med < TARGET_MS ? "ok" : "SLOW"]);
      }
    }
  } finally {
    await server.close();
    await seeded.db.close();
    await bench.drop();
  }
  return results;
}

const all: (string | number)[][] = [];
for (const provider of PROVIDERS) all.push(...(await run(provider)));
console.log(`\nConsole pages, ${MEMBERS.toLocaleString("en")} members in ${UNITS} units; ${RUNS} runs each after a warm-up (ms, localhost round trip)`);
printTable(["db", "officer", "page", "status", "KiB", "median", "max", `< ${TARGET_MS} ms`], all);
