import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { CampaignFieldsSchema, CampaignSchema, type CampaignDefinition } from "../../src/domain/campaign.js";
import { parseCampaign } from "../../src/domain/campaign-parse.js";
import {
  anniversariesOf,
  anniversaryLabel,
  campaignSpan,
  campaignStatus,
  formatAnniversaryVi,
  nextPhase,
  phaseAt,
  phasesInOrder,
  pickCurrentCampaign,
  rankCampaigns,
  upcomingAnniversaries,
  upcomingDeadlines,
  type PhaseAt,
} from "../../src/domain/calendar.js";

const VN = "Asia/Ho_Chi_Minh";

/** An instant given as local wall time in Asia/Ho_Chi_Minh (UTC+7 all year). */
const vn = (local: string) => new Date(`${local}+07:00`);

function loadPlan(fileName: string): CampaignDefinition {
  const path = fileURLToPath(new URL(`../../prisma/campaigns/${fileName}`, import.meta.url));
  const result = parseCampaign(fileName, readFileSync(path, "utf8"));
  if (!result.ok) throw new Error(result.errors.join("\n"));
  return result.campaign;
}

/** The dates of each plan as the seed documents give them. */
const PLANS = [
  {
    file: "lai-chau-2025.yaml",
    year: 2025,
    phases: [
      { number: 1, start: "2025-01-01", end: "2025-06-30" },
      { number: 2, start: "2025-07-01", end: "2025-12-31" },
    ],
    anniversaries: [
      { date: "2025-02-03", base: "1930-02-03", ordinal: 95, phase: 1 },
      { date: "2025-04-30", base: "1975-04-30", ordinal: 50, phase: 1 },
      { date: "2025-05-19", base: "1890-05-19", ordinal: 135, phase: 1 },
      { date: "2025-07-28", base: "1929-07-28", ordinal: 96, phase: 2 },
      { date: "2025-08-19", base: "1945-08-19", ordinal: 80, phase: 2 },
      { date: "2025-09-02", base: "1945-09-02", ordinal: 80, phase: 2 },
    ],
  },
  {
    file: "bac-kan-2021.yaml",
    year: 2021,
    phases: [
      { number: 1, start: "2021-01-01", end: "2021-06-30" },
      { number: 2, start: "2021-07-01", end: "2021-12-31" },
    ],
    anniversaries: [
      { date: "2021-02-03", base: "1930-02-03", ordinal: 91, phase: 1 },
      { date: "2021-04-30", base: "1975-04-30", ordinal: 46, phase: 1 },
      { date: "2021-05-19", base: "1890-05-19", ordinal: 131, phase: 1 },
      { date: "2021-07-28", base: "1929-07-28", ordinal: 92, phase: 2 },
      { date: "2021-08-19", base: "1945-08-19", ordinal: 76, phase: 2 },
      { date: "2021-09-02", base: "1945-09-02", ordinal: 76, phase: 2 },
    ],
  },
] as const;

function addDay(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
const dayCount = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000);

function expectKind<K extends PhaseAt["kind"]>(at: PhaseAt, kind: K): Extract<PhaseAt, { kind: K }> {
  expect(at.kind).toBe(kind);
  return at as Extract<PhaseAt, { kind: K }>;
}

/**
 * A minimal campaign for synthetic calendars, validated like a campaign file; `unchecked` skips the rules across
 * fields (phases in date order, no overlaps) to check that the calendar copes with data that breaks them.
 */
function synthetic(input: {
  unchecked?: boolean;
  slug?: string;
  year: number;
  phases: { number: number; start: string; end: string; anniversaries?: string[]; report_due?: string }[];
  anniversaries?: { key: string; name: string; base_date: string }[];
}): CampaignDefinition {
  return (input.unchecked ? CampaignFieldsSchema : CampaignSchema).parse({
    slug: input.slug ?? "synthetic",
    code_prefix: "SY25",
    year: input.year,
    owner: { name: "LĐLĐ thử nghiệm", short_name: "LĐLĐ" },
    title: "Kế hoạch thử nghiệm",
    theme: "Chủ đề thử nghiệm",
    phases: input.phases.map((p) => ({ name: `Đợt ${p.number}`, theme: "Chủ đề", focus: "Nội dung", ...p })),
    anniversaries: input.anniversaries ?? [],
    titles: [{ key: "lao-dong-tien-tien", name: "Lao động tiên tiến", scope: "individual" }],
    works: { description: "Công trình" },
    initiatives: { description: "Sáng kiến" },
    reporting: { after_each_phase: true, to: "LĐLĐ", description: "Báo cáo" },
  });
}

for (const plan of PLANS) {
  describe(`${plan.file} (the real campaign file)`, () => {
    const def = loadPlan(plan.file);
    const first = plan.phases[0];
    const last = plan.phases[plan.phases.length - 1]!;

    it("has the seed's phases and span", () => {
      expect(def.year).toBe(plan.year);
      expect(phasesInOrder(def).map((p) => ({ number: p.number, start: p.start, end: p.end }))).toEqual(plan.phases);
      expect(campaignSpan(def)).toEqual({ start: first.start, end: last.end });
    });

    it("is 'before' up to 23:59:59 local on the day before the first phase", () => {
      const dayBefore = addDay(first.start, -1);
      const at = expectKind(phaseAt(def, vn(`${dayBefore}T23:59:59`), VN), "before");
      expect(at.next.number).toBe(1);
      expect(at.daysUntil).toBe(1);
      expect(expectKind(phaseAt(def, vn(`${dayBefore}T00:00:00`), VN), "before").daysUntil).toBe(1);
      expect(expectKind(phaseAt(def, vn(`${addDay(first.start, -30)}T12:00:00`), VN), "before").daysUntil).toBe(30);
      expect(nextPhase(def, vn(`${dayBefore}T23:59:59`), VN)?.number).toBe(1);
      expect(campaignStatus(def, vn(`${dayBefore}T23:59:59`), VN)).toEqual({
        status: "upcoming",
        start: first.start,
        end: last.end,
        daysUntilStart: 1,
      });
    });

    for (const [i, p] of plan.phases.entries()) {
      const following = plan.phases[i + 1];
      const length = dayCount(p.start, p.end) + 1;

      it(`phase ${p.number} starts at 00:00 local on ${p.start}`, () => {
        const at = expectKind(phaseAt(def, vn(`${p.start}T00:00:00`), VN), "in");
        expect(at.phase.number).toBe(p.number);
        expect(at.dayNumber).toBe(1);
        expect(at.daysLeft).toBe(length - 1);
        expect(at.next?.number).toBe(following?.number);
      });

      it(`phase ${p.number} is still current at 23:59:59 local on ${p.end}, with 0 days left`, () => {
        const at = expectKind(phaseAt(def, vn(`${p.end}T23:59:59`), VN), "in");
        expect(at.phase.number).toBe(p.number);
        expect(at.daysLeft).toBe(0);
        expect(at.dayNumber).toBe(length);
        expect(nextPhase(def, vn(`${p.end}T23:59:59`), VN)?.number).toBe(following?.number);
        const deadlines = upcomingDeadlines(def, vn(`${p.end}T23:59:59`), VN);
        expect(deadlines[0]).toMatchObject({ kind: "phase-end", date: p.end, phaseNumber: p.number, daysLeft: 0 });
      });

      it(`00:00 local on the day after phase ${p.number} ends is ${following ? `phase ${following.number}` : "after the campaign"}`, () => {
        const at = phaseAt(def, vn(`${addDay(p.end, 1)}T00:00:00`), VN);
        if (following) {
          const inNext = expectKind(at, "in");
          expect(inNext.phase.number).toBe(following.number);
          expect(inNext.dayNumber).toBe(1);
        } else {
          const after = expectKind(at, "after");
          expect(after.last.number).toBe(p.number);
          expect(after.endedDaysAgo).toBe(1);
        }
        // The phase's end is no longer an upcoming deadline.
        const deadlines = upcomingDeadlines(def, vn(`${addDay(p.end, 1)}T00:00:00`), VN);
        expect(deadlines.some((d) => d.kind === "phase-end" && d.phaseNumber === p.number)).toBe(false);
      });
    }

    it("reports the boundary instants correctly when given as UTC", () => {
      // 23:59:59 local on the last day of phase 1 = 16:59:59Z; 00:00 local the next day = 17:00Z the same UTC day.
      const p1 = plan.phases[0]!;
      const p2 = plan.phases[1]!;
      expect(expectKind(phaseAt(def, new Date(`${p1.end}T16:59:59Z`), VN), "in")).toMatchObject({
        phase: { number: 1 },
        daysLeft: 0,
      });
      expect(expectKind(phaseAt(def, new Date(`${p1.end}T17:00:00Z`), VN), "in")).toMatchObject({
        phase: { number: 2 },
        dayNumber: 1,
      });
      expect(expectKind(phaseAt(def, new Date(`${addDay(p2.start, -1)}T17:00:00.000Z`), VN), "in").phase.number).toBe(2);
      expect(phaseAt(def, new Date(`${addDay(first.start, -1)}T16:59:59.999Z`), VN).kind).toBe("before");
      expect(phaseAt(def, new Date(`${last.end}T17:00:00Z`), VN).kind).toBe("after");
    });

    it("is 'after' the last phase, and says when it ended", () => {
      const at = expectKind(phaseAt(def, vn(`${addDay(last.end, 100)}T09:00:00`), VN), "after");
      expect(at.last.number).toBe(last.number);
      expect(at.endedDaysAgo).toBe(100);
      expect(nextPhase(def, vn(`${addDay(last.end, 1)}T00:00:00`), VN)).toBeUndefined();
      expect(campaignStatus(def, vn(`${addDay(last.end, 1)}T00:00:00`), VN)).toEqual({
        status: "ended",
        start: first.start,
        end: last.end,
        endedDaysAgo: 1,
      });
      expect(upcomingDeadlines(def, vn(`${addDay(last.end, 1)}T00:00:00`), VN)).toEqual([]);
      expect(upcomingAnniversaries(def, vn(`${addDay(last.end, 1)}T00:00:00`), VN)).toEqual([]);
    });

    it("is active from the first day to the last", () => {
      expect(campaignStatus(def, vn(`${first.start}T00:00:00`), VN)).toMatchObject({
        status: "active",
        dayNumber: 1,
        daysLeft: dayCount(first.start, last.end),
      });
      expect(campaignStatus(def, vn(`${last.end}T23:59:59`), VN)).toMatchObject({ status: "active", daysLeft: 0 });
    });

    it("has the seed's anniversaries with computed ordinals and phases", () => {
      const all = anniversariesOf(def);
      expect(all.map((a) => ({ date: a.date, base: a.baseDate, ordinal: a.ordinal, phase: a.phaseNumber }))).toEqual(
        plan.anniversaries,
      );
    });

    for (const a of plan.anniversaries) {
      it(`counts down to the ${a.ordinal}th anniversary on ${a.date}`, () => {
        const dayBefore = addDay(a.date, -1);
        const eve = upcomingAnniversaries(def, vn(`${dayBefore}T23:59:00`), VN);
        expect(eve[0]).toMatchObject({ date: a.date, daysUntil: 1, ordinal: a.ordinal });
        // The same instant written in UTC: 23:59 local = 16:59Z.
        expect(upcomingAnniversaries(def, new Date(`${dayBefore}T16:59:00Z`), VN)[0]).toMatchObject({
          date: a.date,
          daysUntil: 1,
        });

        const onTheDay = upcomingAnniversaries(def, vn(`${a.date}T00:00:00`), VN);
        expect(onTheDay[0]).toMatchObject({
          date: a.date,
          baseDate: a.base,
          daysUntil: 0,
          ordinal: a.ordinal,
          phaseNumber: a.phase,
        });
        expect(upcomingAnniversaries(def, new Date(`${dayBefore}T17:00:00Z`), VN)[0]).toMatchObject({
          date: a.date,
          daysUntil: 0,
        });
        // Still today at 23:59:59 local; gone at 00:00 the day after.
        expect(upcomingAnniversaries(def, vn(`${a.date}T23:59:59`), VN)[0]).toMatchObject({ date: a.date, daysUntil: 0 });
        const dayAfter = upcomingAnniversaries(def, vn(`${addDay(a.date, 1)}T00:00:00`), VN);
        expect(dayAfter.some((x) => x.date === a.date && x.baseDate === a.base)).toBe(false);
        // The phase on that day is the one the anniversary belongs to.
        expect(expectKind(phaseAt(def, vn(`${a.date}T00:00:00`), VN), "in").phase.number).toBe(a.phase);
      });
    }

    it("lists every anniversary at the start, in order, and honours limit and withinDays", () => {
      const atStart = upcomingAnniversaries(def, vn(`${first.start}T00:00:00`), VN);
      expect(atStart.map((a) => a.date)).toEqual(plan.anniversaries.map((a) => a.date));
      expect(atStart.map((a) => a.daysUntil)).toEqual(plan.anniversaries.map((a) => dayCount(first.start, a.date)));
      expect(upcomingAnniversaries(def, vn(`${first.start}T00:00:00`), VN, { limit: 2 })).toHaveLength(2);
      const firstDate = plan.anniversaries[0]!.date;
      const within = upcomingAnniversaries(def, vn(`${first.start}T00:00:00`), VN, {
        withinDays: dayCount(first.start, firstDate),
      });
      expect(within.map((a) => a.date)).toEqual([firstDate]);
      expect(
        upcomingAnniversaries(def, vn(`${first.start}T00:00:00`), VN, { withinDays: dayCount(first.start, firstDate) - 1 }),
      ).toEqual([]);
    });

    it("lists deadlines: each phase end, and each report_due the file gives", () => {
      const deadlines = upcomingDeadlines(def, vn(`${first.start}T00:00:00`), VN);
      const expected = phasesInOrder(def)
        .flatMap((p) => [
          { kind: "phase-end", date: p.end, phaseNumber: p.number },
          ...(p.report_due ? [{ kind: "report-due", date: p.report_due, phaseNumber: p.number }] : []),
        ])
        .sort((x, y) => (x.date < y.date ? -1 : x.date > y.date ? 1 : x.kind === "phase-end" ? -1 : 1));
      expect(deadlines.map(({ kind, date, phaseNumber }) => ({ kind, date, phaseNumber }))).toEqual(expected);
      for (const d of deadlines) expect(d.daysLeft).toBe(dayCount(first.start, d.date));
    });
  });
}

describe("both real campaigns together", () => {
  const laiChau = loadPlan("lai-chau-2025.yaml");
  const bacKan = loadPlan("bac-kan-2021.yaml");
  const both = [bacKan, laiChau];

  it("picks the active campaign", () => {
    expect(pickCurrentCampaign(both, vn("2021-05-01T08:00:00"), VN).map((p) => p.campaign.slug)).toEqual([bacKan.slug]);
    expect(pickCurrentCampaign(both, vn("2025-01-01T00:00:00"), VN).map((p) => p.campaign.slug)).toEqual([laiChau.slug]);
  });

  it("else the nearest upcoming one", () => {
    const between = pickCurrentCampaign(both, vn("2023-06-01T08:00:00"), VN);
    expect(between).toHaveLength(1);
    expect(between[0]!.campaign.slug).toBe(laiChau.slug);
    expect(between[0]!.status).toMatchObject({ status: "upcoming", start: "2025-01-01" });
    expect(pickCurrentCampaign(both, vn("2020-12-31T23:59:59"), VN)[0]!.campaign.slug).toBe(bacKan.slug);
  });

  it("else the most recently ended one, so the bot can say the 2025 campaign ended on 31/12/2025", () => {
    const late = pickCurrentCampaign(both, vn("2026-11-21T10:00:00"), VN);
    expect(late).toHaveLength(1);
    expect(late[0]!.campaign.slug).toBe(laiChau.slug);
    expect(late[0]!.status).toEqual({ status: "ended", start: "2025-01-01", end: "2025-12-31", endedDaysAgo: 325 });
  });

  it("ranks all campaigns", () => {
    expect(rankCampaigns(both, vn("2021-05-01T08:00:00"), VN).map((p) => p.status.status)).toEqual(["active", "upcoming"]);
    expect(rankCampaigns(both, vn("2026-01-01T00:00:00"), VN).map((p) => p.campaign.slug)).toEqual([
      laiChau.slug,
      bacKan.slug,
    ]);
    expect(pickCurrentCampaign([], vn("2026-01-01T00:00:00"), VN)).toEqual([]);
  });

  it("formats the anniversary as the plan writes it", () => {
    const dang = anniversariesOf(laiChau).find((a) => a.baseDate === "1930-02-03")!;
    expect(dang.name).toBe("Ngày thành lập Đảng Cộng sản Việt Nam");
    expect(formatAnniversaryVi(dang)).toBe("Kỷ niệm 95 năm Ngày thành lập Đảng Cộng sản Việt Nam (03/02/1930 – 03/02/2025)");
    const dang2021 = anniversariesOf(bacKan).find((a) => a.baseDate === "1930-02-03")!;
    expect(formatAnniversaryVi(dang2021)).toBe(
      "Kỷ niệm 91 năm Ngày thành lập Đảng Cộng sản Việt Nam (03/02/1930 – 03/02/2021)",
    );
    expect(anniversaryLabel(dang)).toEqual({
      ordinal: 95,
      name: "Ngày thành lập Đảng Cộng sản Việt Nam",
      baseDate: "03/02/1930",
      date: "03/02/2025",
    });
  });
});

describe("a phase that crosses the new year", () => {
  const def = synthetic({
    year: 2025,
    phases: [{ number: 1, start: "2025-10-01", end: "2026-03-31", anniversaries: ["thanh-lap-dang"], report_due: "2026-04-15" }],
    anniversaries: [
      { key: "thanh-lap-dang", name: "Ngày thành lập Đảng Cộng sản Việt Nam", base_date: "1930-02-03" },
      { key: "phu-nu", name: "Ngày Phụ nữ Việt Nam", base_date: "1930-10-20" },
      { key: "quoc-khanh", name: "Quốc khánh", base_date: "1945-09-02" },
    ],
  });

  it("takes the occurrence inside the span, in the next year, with the next year's ordinal", () => {
    const all = anniversariesOf(def);
    expect(all.map((a) => [a.key, a.date, a.ordinal, a.phaseNumber])).toEqual([
      ["quoc-khanh", "2025-09-02", 80, undefined], // outside the span: the campaign year's, no phase
      ["phu-nu", "2025-10-20", 95, 1],
      ["thanh-lap-dang", "2026-02-03", 96, 1],
    ]);
    expect(formatAnniversaryVi(all[2]!)).toBe(
      "Kỷ niệm 96 năm Ngày thành lập Đảng Cộng sản Việt Nam (03/02/1930 – 03/02/2026)",
    );
  });

  it("stays in the same phase across midnight on 31 December", () => {
    const eve = expectKind(phaseAt(def, vn("2025-12-31T23:59:59"), VN), "in");
    expect(eve).toMatchObject({ phase: { number: 1 }, dayNumber: 92, daysLeft: 90 });
    const newYear = expectKind(phaseAt(def, new Date("2025-12-31T17:00:00Z"), VN), "in");
    expect(newYear).toMatchObject({ phase: { number: 1 }, dayNumber: 93, daysLeft: 89 });
    expect(newYear.next).toBeUndefined();
    expect(expectKind(phaseAt(def, vn("2026-03-31T23:59:59"), VN), "in").daysLeft).toBe(0);
    expect(expectKind(phaseAt(def, vn("2026-04-01T00:00:00"), VN), "after").endedDaysAgo).toBe(1);
  });

  it("counts down across the year end", () => {
    const up = upcomingAnniversaries(def, vn("2025-12-31T23:59:00"), VN);
    expect(up).toHaveLength(1);
    expect(up[0]).toMatchObject({ key: "thanh-lap-dang", date: "2026-02-03", daysUntil: 34, ordinal: 96 });
    expect(upcomingAnniversaries(def, vn("2026-02-02T23:59:00"), VN)[0]).toMatchObject({ daysUntil: 1 });
    expect(upcomingAnniversaries(def, vn("2026-02-03T00:00:00"), VN)[0]).toMatchObject({ daysUntil: 0 });
  });

  it("lists the phase end and the report deadline after it", () => {
    expect(upcomingDeadlines(def, vn("2025-12-31T23:59:59"), VN).map((d) => [d.kind, d.date, d.daysLeft])).toEqual([
      ["phase-end", "2026-03-31", 90],
      ["report-due", "2026-04-15", 105],
    ]);
    expect(upcomingDeadlines(def, vn("2026-04-01T00:00:00"), VN).map((d) => [d.kind, d.daysLeft])).toEqual([
      ["report-due", 14],
    ]);
    expect(upcomingDeadlines(def, vn("2026-04-16T00:00:00"), VN)).toEqual([]);
    expect(upcomingDeadlines(def, vn("2025-12-31T23:59:59"), VN, { withinDays: 90 })).toHaveLength(1);
    expect(upcomingDeadlines(def, vn("2025-12-31T23:59:59"), VN, { limit: 1 })).toHaveLength(1);
  });
});

describe("a gap between phases", () => {
  const def = synthetic({
    year: 2025,
    // Listed out of order on purpose (a campaign file may not do this; the calendar sorts anyway).
    unchecked: true,
    phases: [
      { number: 2, start: "2025-05-01", end: "2025-06-30" },
      { number: 1, start: "2025-01-01", end: "2025-03-31" },
    ],
    anniversaries: [{ key: "giai-phong-mien-nam", name: "Ngày giải phóng hoàn toàn miền Nam", base_date: "1975-04-30" }],
  });

  it("orders phases by date", () => {
    expect(phasesInOrder(def).map((p) => p.number)).toEqual([1, 2]);
    expect(campaignSpan(def)).toEqual({ start: "2025-01-01", end: "2025-06-30" });
  });

  it("is 'between' from 00:00 after phase 1 until 23:59:59 before phase 2", () => {
    expect(expectKind(phaseAt(def, vn("2025-03-31T23:59:59"), VN), "in")).toMatchObject({
      phase: { number: 1 },
      daysLeft: 0,
      next: { number: 2 },
    });
    const gapStart = expectKind(phaseAt(def, new Date("2025-03-31T17:00:00Z"), VN), "between");
    expect(gapStart.previous.number).toBe(1);
    expect(gapStart.next.number).toBe(2);
    expect(gapStart.daysUntil).toBe(30);
    const gapEnd = expectKind(phaseAt(def, vn("2025-04-30T23:59:59"), VN), "between");
    expect(gapEnd.daysUntil).toBe(1);
    expect(expectKind(phaseAt(def, vn("2025-05-01T00:00:00"), VN), "in")).toMatchObject({
      phase: { number: 2 },
      dayNumber: 1,
    });
    expect(nextPhase(def, vn("2025-04-15T12:00:00"), VN)?.number).toBe(2);
  });

  it("counts the gap as part of an active campaign", () => {
    expect(campaignStatus(def, vn("2025-04-15T12:00:00"), VN)).toEqual({
      status: "active",
      start: "2025-01-01",
      end: "2025-06-30",
      dayNumber: 105,
      daysLeft: 76,
    });
  });

  it("gives an anniversary in the gap no phase", () => {
    expect(anniversariesOf(def)).toEqual([
      {
        key: "giai-phong-mien-nam",
        name: "Ngày giải phóng hoàn toàn miền Nam",
        baseDate: "1975-04-30",
        date: "2025-04-30",
        ordinal: 50,
      },
    ]);
  });
});

describe("the zone parameter", () => {
  const def = synthetic({
    year: 2025,
    phases: [
      { number: 1, start: "2025-01-01", end: "2025-06-30" },
      { number: 2, start: "2025-07-01", end: "2025-12-31" },
    ],
  });

  it("decides the local day, not the machine", () => {
    const instant = new Date("2025-06-30T17:00:00Z"); // 00:00 on 1 July in Vietnam, 17:00 on 30 June in UTC
    expect(expectKind(phaseAt(def, instant), "in").phase.number).toBe(2); // default zone: Asia/Ho_Chi_Minh
    expect(expectKind(phaseAt(def, instant, VN), "in").phase.number).toBe(2);
    expect(expectKind(phaseAt(def, instant, "UTC"), "in").phase.number).toBe(1);
    expect(expectKind(phaseAt(def, new Date("2025-07-01T03:59:59Z"), "America/New_York"), "in").phase.number).toBe(1);
  });
});

describe("overlapping phases (rejected in campaign files, handled anyway)", () => {
  const def = synthetic({
    unchecked: true,
    year: 2025,
    phases: [
      { number: 1, start: "2025-01-01", end: "2025-12-31" },
      { number: 2, start: "2025-04-01", end: "2025-05-31" },
    ],
  });

  it("treat the most recently started phase as current", () => {
    expect(expectKind(phaseAt(def, vn("2025-03-31T23:59:59"), VN), "in")).toMatchObject({
      phase: { number: 1 },
      next: { number: 2 },
    });
    expect(expectKind(phaseAt(def, vn("2025-04-01T00:00:00"), VN), "in").phase.number).toBe(2);
    expect(expectKind(phaseAt(def, vn("2025-06-01T00:00:00"), VN), "in").phase.number).toBe(1);
  });
});
