// A full simulated year of each plan, on a fake clock, against fake Telegram and Zalo Bot API servers (real HTTP on
// 127.0.0.1), through the real planner, outbox, delivery worker, rate limiter and channel clients. The clock ticks
// three times a day (08:00, 13:00 and 22:30 local), with a morning of downtime and a restart of the service in the
// middle. Every expected message must arrive exactly once, to the right audience, at the right local time.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPlanner, type Planner } from "../../src/app/planner.js";
import type { ChannelName, Subscriber } from "../../src/app/ports.js";
import type { OutboxWorker } from "../../src/delivery/outbox-worker.js";
import { addDays, localDate, localTime } from "../../src/domain/clock.js";
import { DEFAULT_QUIET_HOURS, isQuiet } from "../../src/domain/quiet-hours.js";
import { campaignSpan } from "../../src/domain/calendar.js";
import type { OpenDatabase, Repositories } from "../../src/db/index.js";
import { silentLogger } from "../support/core-harness.js";
import type { FakeTelegram } from "../support/fake-telegram.js";
import type { FakeZalo } from "../support/fake-zalo.js";
import { drain, simulatedWorker, startSimulatedWorld, VN, type SimulatedWorld } from "../support/simulated-time.js";

const local = (date: string, time: string) => new Date(`${date}T${time}:00+07:00`);
const TICKS = ["08:00", "13:00", "22:30"];

interface Delivery {
  channel: ChannelName;
  chatId: string;
  text: string;
  at: Date;
}

/** Five active subscribers (two officers) on both platforms, one stopped; one member pledges for phase 1. */
const PEOPLE = [
  { key: "tg-member-vi", channel: "telegram", chatId: "7001", locale: "vi", unit: "CDCS-DIENLUC" },
  { key: "tg-member-en", channel: "telegram", chatId: "7002", locale: "en", unit: null },
  { key: "tg-officer", channel: "telegram", chatId: "7003", locale: "vi", unit: "CDGD", officer: true },
  { key: "zl-member", channel: "zalo", chatId: "zalo-8001", locale: "vi", unit: "CDGD" },
  { key: "zl-officer", channel: "zalo", chatId: "zalo-8002", locale: "vi", unit: "LDLD-LC", officer: true },
  { key: "zl-stopped", channel: "zalo", chatId: "zalo-8003", locale: "vi", unit: null, stopped: true },
] as const;

/** What each plan must produce for these people: derived from the plan (2 phases, 6 anniversaries) by hand. */
const EXPECTED = {
  launch: 5, // 1 × 5 active subscribers
  "phase-start": 5, // Đợt 2 (Đợt 1 starts on the launch day: the launch announcement presents it)
  anniversary: 30, // 6 anniversaries × 5
  "anniversary-heads-up": 12, // 6 × 2 officers
  "phase-end-reminder": 16, // 2 phases × 4 reminders (14, 7, 3, 1 days) × 2 officers
  "pledge-reminder": 18, // phase 1: 2 × 4 (the pledger is left out); phase 2: 2 × 5
};

for (const plan of ["lai-chau-2025", "bac-kan-2021"] as const) {
  describe(`a simulated year of ${plan}`, () => {
    let telegram: FakeTelegram;
    let zalo: FakeZalo;
    let world: SimulatedWorld;
    let db: OpenDatabase;
    let repositories: Repositories;
    const clock = { t: new Date(0) };
    const deliveries: Delivery[] = [];
    let counted = { telegram: 0, zalo: 0 };
    const ids = new Map<string, Subscriber>();

    function services(): { planner: Planner; worker: OutboxWorker } {
      const planner = createPlanner({ ...repositories, timezone: VN, quietHours: DEFAULT_QUIET_HOURS, graceMs: 24 * 3_600_000, logger: silentLogger });
      return { planner, worker: simulatedWorker(world, clock, { workerId: "sim", concurrency: 4 }) };
    }

    /** What the fake servers received since the last look, stamped with the simulated time. */
    function collect() {
      for (const m of telegram.sent.slice(counted.telegram)) deliveries.push({ channel: "telegram", chatId: m.chatId, text: m.plainText ?? m.text ?? "", at: clock.t });
      for (const m of zalo.sent.slice(counted.zalo)) deliveries.push({ channel: "zalo", chatId: m.chatId, text: m.text ?? "", at: clock.t });
      counted = { telegram: telegram.sent.length, zalo: zalo.sent.length };
    }

    async function run(svc: { planner: Planner; worker: OutboxWorker }, at: Date) {
      clock.t = at;
      await svc.planner.tick(at);
      await drain(svc.worker, collect);
    }

    beforeAll(async () => {
      world = await startSimulatedWorld(plan);
      ({ telegram, zalo, db, repositories } = world);
      for (const p of PEOPLE) {
        const s = await repositories.subscribers.register({ channel: p.channel, chatId: p.chatId, displayName: p.key, locale: p.locale });
        const unit = p.unit ? await repositories.units.findByCode(p.unit) : null;
        if (unit) await repositories.subscribers.setUnit(s.id, unit.id);
        if ("officer" in p) await repositories.subscribers.makeOfficer(s.id, unit!.id);
        if ("stopped" in p) await repositories.subscribers.setStatus(s.id, "stopped");
        ids.set(p.key, s);
      }

      const def = world.campaign;
      const campaign = (await repositories.campaigns.findBySlug(plan))!;
      const { start, end } = campaignSpan(def);
      let svc = services();
      const restartOn = addDays(start, 181);
      // Down from the evening before the phase-1 "14 days left" reminder until 10:00 that morning.
      const phase1 = def.phases.find((p) => p.number === 1)!;
      const downDay = addDays(phase1.end, -14);
      for (let day = addDays(start, -1); day <= addDays(end, 1); day = addDays(day, 1)) {
        if (day === restartOn) svc = services(); // a restarted process: new planner, new worker, same database
        if (day === addDays(start, 2)) {
          const member = ids.get("tg-member-vi")!;
          await repositories.pledges.create(
            { campaignId: campaign.id, phaseNumber: 1, kind: "individual", unitId: member.unitId, fullName: "Lò Văn Bình", position: null, commitment: "Phấn đấu đạt lao động tiên tiến", items: [{ type: "title", key: def.titles[0]!.key, name: def.titles[0]!.name }] },
            member.id,
            def.code_prefix,
            local(day, "09:00"),
          );
        }
        const times = day === downDay ? ["10:00", "13:00", "22:30"] : day === addDays(downDay, -1) ? ["08:00", "13:00"] : TICKS;
        for (const time of times) await run(svc, local(day, time));
      }
    }, 300_000);

    afterAll(async () => {
      await world?.close();
    });

    it("delivers every expected message exactly once, and prints the count per event type", async () => {
      const rows = await db.prisma.notification.findMany({ where: { eventKey: { startsWith: plan } } });
      const perType: Record<string, number> = {};
      for (const r of rows) if (r.status === "sent") perType[r.eventType] = (perType[r.eventType] ?? 0) + 1;
      console.log(`${plan}: delivered per event type ${JSON.stringify(perType)}; total ${deliveries.length}`);
      expect(perType).toEqual(EXPECTED);
      expect(rows.every((r) => r.status === "sent")).toBe(true);
      expect(deliveries).toHaveLength(Object.values(EXPECTED).reduce((a, b) => a + b, 0));
      // No duplicate anywhere (the two pledge reminders of a phase say the same, on different days).
      const seen = new Set(deliveries.map((d) => `${d.channel}|${d.chatId}|${d.text}|${localDate(d.at, VN)}`));
      expect(seen.size).toBe(deliveries.length);
      expect(deliveries.some((d) => d.chatId === "zalo-8003")).toBe(false); // the stopped subscriber
    });

    it("sends officers' reminders to officers only, and the pledge reminders of phase 1 not to the member who pledged", () => {
      const officerChats = new Set(["7003", "zalo-8002"]);
      const headsUps = deliveries.filter((d) => d.text.startsWith("⏰"));
      expect(headsUps.length).toBe(EXPECTED["anniversary-heads-up"] + EXPECTED["phase-end-reminder"]);
      expect(headsUps.every((d) => officerChats.has(d.chatId))).toBe(true);
      const pledgeReminders = deliveries.filter((d) => d.text.startsWith("✍️"));
      const toPledger = pledgeReminders.filter((d) => d.chatId === "7001");
      expect(toPledger).toHaveLength(2); // phase 2 only
    });

    it("sends at the right local time: greetings at 08:00 on their day, nothing in quiet hours, catch-up after downtime", () => {
      for (const d of deliveries) expect(isQuiet(d.at, VN, DEFAULT_QUIET_HOURS), `${d.text} at ${d.at.toISOString()}`).toBe(false);
      const greetings = deliveries.filter((d) => d.text.startsWith("🇻🇳"));
      expect(greetings).toHaveLength(EXPECTED.anniversary);
      for (const g of greetings) {
        expect(localTime(g.at, VN) >= "08:00" && localTime(g.at, VN) < "08:05", `${g.text} at ${localTime(g.at, VN)}`).toBe(true);
        const day = /\(\d\d\/\d\d\/\d{4} – (\d\d)\/(\d\d)\/(\d{4})\)/.exec(g.text)!;
        expect(localDate(g.at, VN)).toBe(`${day[3]}-${day[2]}-${day[1]}`);
      }
      if (plan === "lai-chau-2025") {
        const bac = greetings.filter((g) => g.text.includes("135 năm Ngày sinh Chủ tịch Hồ Chí Minh"));
        expect(bac).toHaveLength(4); // 4 Vietnamese readers; the English reader gets "135 years since …"
        expect(localDate(bac[0]!.at, VN)).toBe("2025-05-19");
        expect(greetings.filter((g) => g.text.includes("135 years since Birthday of President Ho Chi Minh"))).toHaveLength(1);
      } else {
        const union = greetings.filter((g) => g.text.includes("92 năm Ngày thành lập Công đoàn Việt Nam"));
        expect(union).toHaveLength(4);
        expect(localDate(union[0]!.at, VN)).toBe("2021-07-28");
      }
      // The "14 days left" reminder of phase 1 fell in the downtime: sent at 10:00 when the service was back.
      const late = deliveries.filter((d) => d.text.startsWith("⏰ Còn 14 ngày nữa là kết thúc Đợt 1"));
      expect(late).toHaveLength(2);
      for (const d of late) expect(localTime(d.at, VN).startsWith("10:0")).toBe(true);
    });
  });
}
