// The plan date parser: every shape Vietnamese plans and news articles use, generated (fast-check, fixed seed;
// FC_SEED overrides it), and dates that do not exist refused with the reason.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  daysInMonth,
  findDateMentions,
  isoOf,
  parseDateText,
  resolveRanges,
  type WrittenRange,
} from "../../../src/domain/plan-import/plan-dates.js";

const SEED = Number(process.env.FC_SEED ?? 20_250_203);
const RUNS = { seed: SEED, numRuns: 500 };

const ymd = fc
  .record({ year: fc.integer({ min: 1850, max: 2150 }), month: fc.integer({ min: 1, max: 12 }), day: fc.integer({ min: 1, max: 31 }) })
  .filter(({ year, month, day }) => day <= daysInMonth(year, month));
const separator = fc.constantFrom("/", "-", ".");
const zeroPad = fc.boolean();
const two = (n: number, pad: boolean) => (pad ? String(n).padStart(2, "0") : String(n));
/** A sentence around the date, as in a plan; none of these words contain digits. */
const around = fc.tuple(
  fc.constantFrom("", "Đợt 1 (từ ", "chào mừng kỷ niệm (", "Giai đoạn 2: ", "hạn chót là "),
  fc.constantFrom("", ")", " và tiếp tục", "; báo cáo kết quả.", " đến hết năm"),
);
const parsed = (text: string) => parseDateText(text);

describe("plan dates: shapes", () => {
  it("day/month/year with /, - or . and with or without leading zeros: 01/01/2025, 30/6/2025, 30-1-2026, 28.7.2024", () => {
    fc.assert(
      fc.property(ymd, separator, zeroPad, zeroPad, around, ({ year, month, day }, sep, padDay, padMonth, [before, after]) => {
        const written = `${two(day, padDay)}${sep}${two(month, padMonth)}${sep}${year}`;
        expect(parsed(written)).toEqual({ ok: true, shape: { kind: "day-month-year", day, month, year } });
        const text = `${before}${written}${after}`;
        const mentions = findDateMentions(text);
        expect(mentions).toHaveLength(1);
        expect(text.slice(mentions[0]!.span.start, mentions[0]!.span.end)).toBe(written);
      }),
      RUNS,
    );
  });

  it("ngày d tháng m năm yyyy", () => {
    fc.assert(
      fc.property(ymd, ({ year, month, day }) => {
        expect(parsed(`ngày ${day} tháng ${month} năm ${year}`)).toEqual({ ok: true, shape: { kind: "day-month-year", day, month, year } });
      }),
      RUNS,
    );
  });

  it("day and month without a year: 30-11, 30/6, 28.7 (29/2 allowed until the year is known)", () => {
    fc.assert(
      fc.property(ymd, separator, zeroPad, ({ month, day }, sep, pad) => {
        expect(parsed(`${two(day, pad)}${sep}${two(month, pad)}`)).toEqual({ ok: true, shape: { kind: "day-month", day, month } });
      }),
      RUNS,
    );
    expect(parsed("29/2")).toEqual({ ok: true, shape: { kind: "day-month", day: 29, month: 2 } });
  });

  it("a month: tháng 01/2021, tháng 6-2021, tháng 6 năm 2021 — its first day as a start, its last day as an end", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1900, max: 2100 }), fc.integer({ min: 1, max: 12 }), zeroPad, fc.constantFrom("/", "-", " năm "), (year, month, pad, sep) => {
        const written = `tháng ${two(month, pad)}${sep}${year}`;
        const shape = parsed(written);
        expect(shape).toEqual({ ok: true, shape: { kind: "month-year", month, year } });
        const [range] = resolveRanges([{ start: shape, end: shape }], { planYear: year });
        expect(range!.start).toEqual({ ok: true, date: isoOf(year, month, 1), inferred: [{ kind: "first-day-of-month" }] });
        expect(range!.end).toEqual({ ok: true, date: isoOf(year, month, daysInMonth(year, month)), inferred: [{ kind: "last-day-of-month" }] });
      }),
      RUNS,
    );
  });

  it("“từ nay” / “hiện nay” is the document's date (--date), and refused without one", () => {
    for (const written of ["từ nay", "hiện nay", "nay", "Từ nay"]) expect(parsed(written)).toEqual({ ok: true, shape: { kind: "now" } });
    fc.assert(
      fc.property(ymd.filter((d) => d.month < 12), ({ year, month, day }) => {
        const documentDate = isoOf(year, month, day);
        const ranges: WrittenRange[] = [{ start: parsed("từ nay"), end: parsed(`${daysInMonth(year, 12)}-12`) }];
        const [withDate] = resolveRanges(ranges, { planYear: year, documentDate });
        expect(withDate!.start).toEqual({ ok: true, date: documentDate, inferred: [{ kind: "document-date" }] });
        expect(withDate!.end).toEqual({ ok: true, date: isoOf(year, 12, 31), inferred: [{ kind: "year-from-previous-date" }] });
        const [without] = resolveRanges(ranges, { planYear: year });
        expect(without!.start).toEqual({ ok: false, refusal: { reason: "needs-document-date" } });
      }),
      RUNS,
    );
  });

  it("“từ ngày 1 đến 31-12”: the start's month and year come from the end", () => {
    fc.assert(
      fc.property(ymd, fc.integer({ min: 1, max: 31 }), ({ year, month, day }, startDay) => {
        fc.pre(startDay <= day);
        const [range] = resolveRanges([{ start: parsed(`ngày ${startDay}`), end: parsed(`${day}-${month}-${year}`) }], { planYear: 2000 });
        expect(range!.start).toEqual({ ok: true, date: isoOf(year, month, startDay), inferred: [{ kind: "month-and-year-from-end" }] });
      }),
      RUNS,
    );
    const [r] = resolveRanges([{ start: parsed("ngày 1"), end: parsed("31-12") }], { planYear: 2025 });
    expect(r).toEqual({
      start: { ok: true, date: "2025-12-01", inferred: [{ kind: "month-and-year-from-end" }] },
      end: { ok: true, date: "2025-12-31", inferred: [{ kind: "year-from-plan" }] },
    });
  });
});

describe("plan dates: years left out", () => {
  // Consecutive phases over less than a year, possibly crossing 31 December.
  const phasePlan = fc
    .record({
      start: fc.record({ year: fc.integer({ min: 2000, max: 2090 }), dayOfYear: fc.integer({ min: 0, max: 364 }) }),
      lengths: fc.array(fc.integer({ min: 1, max: 100 }), { minLength: 1, maxLength: 3 }),
    })
    .map(({ start, lengths }) => {
      const first = Date.UTC(start.year, 0, 1) + start.dayOfYear * 86_400_000;
      const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
      let at = first;
      const phases = lengths.map((len) => {
        const phase = { start: iso(at), end: iso(at + (len - 1) * 86_400_000) };
        at += len * 86_400_000;
        return phase;
      });
      return { planYear: start.year, phases };
    });
  const dayMonth = (iso: string) => `${Number(iso.slice(8, 10))}-${Number(iso.slice(5, 7))}`;

  it("no year anywhere: the plan's year, then each date follows the one before (a year later when it would go back)", () => {
    fc.assert(
      fc.property(phasePlan, ({ planYear, phases }) => {
        fc.pre(!phases.some((p) => p.start.slice(5) === "02-29" || p.end.slice(5) === "02-29"));
        const ranges = phases.map((p) => ({ start: parsed(dayMonth(p.start)), end: parsed(dayMonth(p.end)) }));
        const resolved = resolveRanges(ranges, { planYear });
        expect(resolved.map((r) => ({ start: r.start.ok && r.start.date, end: r.end.ok && r.end.date }))).toEqual(phases);
      }),
      RUNS,
    );
  });

  it("only the last date has a year (“30-1-2026”): the first dates take it from there, a year earlier when needed", () => {
    fc.assert(
      fc.property(phasePlan, fc.integer({ min: 2000, max: 2100 }), ({ phases }, wrongPlanYear) => {
        fc.pre(!phases.some((p) => p.start.slice(5) === "02-29" || p.end.slice(5) === "02-29"));
        const last = phases.length - 1;
        const ranges = phases.map((p, i) => ({
          start: parsed(dayMonth(p.start)),
          end: parsed(i === last ? `${dayMonth(p.end)}-${p.end.slice(0, 4)}` : dayMonth(p.end)),
        }));
        const resolved = resolveRanges(ranges, { planYear: wrongPlanYear });
        expect(resolved.map((r) => ({ start: r.start.ok && r.start.date, end: r.end.ok && r.end.date }))).toEqual(phases);
      }),
      RUNS,
    );
  });

  it("a month without a year (“từ tháng 3 đến tháng 5/2026”, “tháng 11 đến tháng 2”) takes the year around it", () => {
    fc.assert(
      fc.property(fc.integer({ min: 2000, max: 2100 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 0, max: 10 }), (year, startMonth, length) => {
        const endMonth = ((startMonth - 1 + length) % 12) + 1;
        const endYear = year + Math.floor((startMonth - 1 + length) / 12);
        const [r] = resolveRanges([{ start: parsed(`tháng ${startMonth}`), end: parsed(`tháng ${endMonth}`) }], { planYear: year });
        expect(r!.start).toMatchObject({ ok: true, date: isoOf(year, startMonth, 1) });
        expect(r!.end).toMatchObject({ ok: true, date: isoOf(endYear, endMonth, daysInMonth(endYear, endMonth)) });
        const [withYear] = resolveRanges([{ start: parsed(`tháng ${startMonth}`), end: parsed(`tháng ${endMonth}/${endYear}`) }], { planYear: 1999 });
        expect(withYear!.start).toMatchObject({ ok: true, date: isoOf(year, startMonth, 1), inferred: [{ kind: "year-from-next-date" }, { kind: "first-day-of-month" }] });
      }),
      RUNS,
    );
  });

  it("three phases crossing the year, as a news article writes them", () => {
    const ranges = [
      { start: parsed("từ nay"), end: parsed("30-11") },
      { start: parsed("1-12"), end: parsed("31-1-2026") },
      { start: parsed("01.02.2026"), end: parsed("30.4.2026") },
    ];
    const resolved = resolveRanges(ranges, { planYear: 2025, documentDate: "2025-09-15" });
    expect(resolved.map((r) => [r.start.ok && r.start.date, r.end.ok && r.end.date])).toEqual([
      ["2025-09-15", "2025-11-30"],
      ["2025-12-01", "2026-01-31"],
      ["2026-02-01", "2026-04-30"],
    ]);
  });
});

describe("plan dates: what is not a date is refused, with the reason", () => {
  it("a day the month does not have: 31/02/2025, 31-4-2026, 29.2.2023", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1850, max: 2150 }), fc.integer({ min: 1, max: 12 }), separator, (year, month, sep) => {
        const max = daysInMonth(year, month);
        fc.pre(max < 31);
        for (let day = max + 1; day <= 31; day++) {
          expect(parsed(`${day}${sep}${month}${sep}${year}`)).toEqual({ ok: false, refusal: { reason: "no-such-day", day, month, year } });
        }
      }),
      RUNS,
    );
    expect(parsed("31/02/2025")).toEqual({ ok: false, refusal: { reason: "no-such-day", day: 31, month: 2, year: 2025 } });
    expect(parsed("29.2.2023")).toEqual({ ok: false, refusal: { reason: "no-such-day", day: 29, month: 2, year: 2023 } });
    expect(parsed("29.2.2024")).toEqual({ ok: true, shape: { kind: "day-month-year", day: 29, month: 2, year: 2024 } });
  });

  it("without a year, only days no year has: 31/02, 30-2, 31.4 — and 29/2 when the year it gets is not a leap year", () => {
    expect(parsed("31/02")).toEqual({ ok: false, refusal: { reason: "no-such-day", day: 31, month: 2 } });
    expect(parsed("30-2")).toEqual({ ok: false, refusal: { reason: "no-such-day", day: 30, month: 2 } });
    expect(parsed("31.4")).toEqual({ ok: false, refusal: { reason: "no-such-day", day: 31, month: 4 } });
    const [r] = resolveRanges([{ start: parsed("29/2"), end: parsed("31/3") }], { planYear: 2025 });
    expect(r!.start).toEqual({ ok: false, refusal: { reason: "no-such-day", day: 29, month: 2, year: 2025 } });
  });

  it("day 32–99 and month 13–99: 32/1, 0/5, 15/13/2025", () => {
    fc.assert(
      fc.property(fc.integer({ min: 32, max: 99 }), fc.integer({ min: 1, max: 12 }), fc.option(fc.integer({ min: 1900, max: 2100 })), (day, month, year) => {
        expect(parsed(year === null ? `${day}/${month}` : `${day}/${month}/${year}`)).toEqual({ ok: false, refusal: { reason: "day-out-of-range", day } });
      }),
      RUNS,
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 28 }), fc.integer({ min: 13, max: 99 }), (day, month) => {
        expect(parsed(`${day}-${month}-2025`)).toEqual({ ok: false, refusal: { reason: "month-out-of-range", month } });
        expect(parsed(`tháng ${month}/2025`)).toEqual({ ok: false, refusal: { reason: "month-out-of-range", month } });
      }),
      RUNS,
    );
    expect(parsed("32/1")).toEqual({ ok: false, refusal: { reason: "day-out-of-range", day: 32 } });
    expect(parsed("0/5")).toEqual({ ok: false, refusal: { reason: "day-out-of-range", day: 0 } });
    expect(parsed("1/0/2025")).toEqual({ ok: false, refusal: { reason: "month-out-of-range", month: 0 } });
  });

  it("years outside 1800–2200, and things that only look like dates: 2021-2025, 1.2.3, 12/6/25, text", () => {
    expect(parsed("1/1/1700")).toEqual({ ok: false, refusal: { reason: "year-out-of-range", year: 1700 } });
    for (const written of ["2021-2025", "1.2.3", "12/6/25", "ngày mai", "", "30/6/2025 và 1/7/2025", "tháng Tám"]) {
      expect(parsed(written), written).toEqual({ ok: false, refusal: { reason: "not-a-date" } });
    }
  });

  it("never throws, and every span lies inside the text, in order, on any input", () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(..."0123456789/.- ntháyg()đếnaiệ"), maxLength: 60 }), (text) => {
        const mentions = findDateMentions(text);
        let last = 0;
        for (const m of mentions) {
          expect(m.span.start).toBeGreaterThanOrEqual(last);
          expect(m.span.end).toBeGreaterThan(m.span.start);
          expect(m.span.end).toBeLessThanOrEqual(text.length);
          last = m.span.end;
        }
      }),
      { seed: SEED, numRuns: 2000 },
    );
  });
});
