import { afterEach, describe, expect, it } from "vitest";
import {
  DEFAULT_TIMEZONE,
  addDays,
  atLocalTime,
  dayjs,
  daysBetween,
  formatDateVi,
  isValidTimeZone,
  localDate,
  localTime,
  sameDayInYear,
  startOfLocalDay,
  yearOf,
  zoneOffsetMinutes,
} from "../../src/domain/clock.js";

const VN = "Asia/Ho_Chi_Minh";

describe("localDate", () => {
  it("turns at local midnight in Asia/Ho_Chi_Minh (UTC+7)", () => {
    expect(localDate(new Date("2025-06-30T16:59:59.999Z"), VN)).toBe("2025-06-30");
    expect(localDate(new Date("2025-06-30T17:00:00.000Z"), VN)).toBe("2025-07-01");
    expect(localDate(new Date("2024-12-31T16:59:59Z"), VN)).toBe("2024-12-31");
    expect(localDate(new Date("2024-12-31T17:00:00Z"), VN)).toBe("2025-01-01");
  });

  it("defaults to Asia/Ho_Chi_Minh", () => {
    expect(DEFAULT_TIMEZONE).toBe(VN);
    expect(localDate(new Date("2025-06-30T17:00:00Z"))).toBe("2025-07-01");
  });

  it("follows the zone it is given", () => {
    const instant = new Date("2025-06-30T17:00:00Z");
    expect(localDate(instant, "UTC")).toBe("2025-06-30");
    expect(localDate(instant, "America/New_York")).toBe("2025-06-30");
    expect(localDate(new Date("2025-07-01T03:59:59Z"), "America/New_York")).toBe("2025-06-30");
    expect(localDate(new Date("2025-07-01T04:00:00Z"), "America/New_York")).toBe("2025-07-01");
    expect(localDate(new Date("2025-06-30T15:00:00Z"), "Pacific/Kiritimati")).toBe("2025-07-01"); // UTC+14
  });

  it("rejects an invalid Date and an unknown zone", () => {
    expect(() => localDate(new Date("nope"), VN)).toThrow(RangeError);
    expect(() => localDate(new Date(), "Mars/Olympus_Mons")).toThrow(RangeError);
  });
});

describe("localTime and zoneOffsetMinutes", () => {
  it("reads the wall clock", () => {
    expect(localTime(new Date("2025-02-03T01:00:00Z"), VN)).toBe("08:00");
    expect(localTime(new Date("2025-06-30T16:59:59Z"), VN)).toBe("23:59");
    expect(localTime(new Date("2025-06-30T17:00:00Z"), VN)).toBe("00:00");
    expect(zoneOffsetMinutes(new Date("2025-01-01T00:00:00Z"), VN)).toBe(420);
    expect(zoneOffsetMinutes(new Date("2025-07-01T00:00:00Z"), "Europe/Berlin")).toBe(120);
    expect(zoneOffsetMinutes(new Date("2025-01-01T00:00:00Z"), "Europe/Berlin")).toBe(60);
  });
});

describe("startOfLocalDay and atLocalTime", () => {
  it("gives the instant of local midnight", () => {
    expect(startOfLocalDay("2025-07-01", VN).toISOString()).toBe("2025-06-30T17:00:00.000Z");
    expect(startOfLocalDay("2025-01-01", VN).toISOString()).toBe("2024-12-31T17:00:00.000Z");
    expect(startOfLocalDay("2025-07-01").toISOString()).toBe("2025-06-30T17:00:00.000Z");
    expect(startOfLocalDay("2025-07-01", "UTC").toISOString()).toBe("2025-07-01T00:00:00.000Z");
  });

  it("round-trips with localDate", () => {
    for (const date of ["2024-02-29", "2025-01-01", "2025-06-30", "2025-12-31"]) {
      const start = startOfLocalDay(date, VN);
      expect(localDate(start, VN)).toBe(date);
      expect(localDate(new Date(start.getTime() - 1), VN)).toBe(addDays(date, -1));
    }
  });

  it("places a greeting time on the local clock", () => {
    expect(atLocalTime("2025-02-03", "08:00", VN).toISOString()).toBe("2025-02-03T01:00:00.000Z");
    expect(atLocalTime("2025-02-03", "23:59", VN).toISOString()).toBe("2025-02-03T16:59:00.000Z");
    expect(() => atLocalTime("2025-02-03", "8:00", VN)).toThrow(RangeError);
    expect(() => atLocalTime("2025-02-03", "24:00", VN)).toThrow(RangeError);
  });

  it("is deterministic across daylight-saving changes in other zones", () => {
    // Europe/Berlin 2025-03-30: 02:00 → 03:00 (02:30 does not exist); 2025-10-26: 03:00 → 02:00 (02:30 twice).
    expect(atLocalTime("2025-03-30", "02:30", "Europe/Berlin").toISOString()).toBe("2025-03-30T01:30:00.000Z");
    expect(atLocalTime("2025-10-26", "02:30", "Europe/Berlin").toISOString()).toBe("2025-10-26T00:30:00.000Z");
    expect(startOfLocalDay("2025-03-30", "Europe/Berlin").toISOString()).toBe("2025-03-29T23:00:00.000Z");
    // America/Santiago 2025-09-07: the clock jumps from 00:00 to 01:00, so the day starts at 01:00 -03.
    const santiago = startOfLocalDay("2025-09-07", "America/Santiago");
    expect(santiago.toISOString()).toBe("2025-09-07T04:00:00.000Z");
    expect(localDate(santiago, "America/Santiago")).toBe("2025-09-07");
    expect(localDate(new Date(santiago.getTime() - 1), "America/Santiago")).toBe("2025-09-06");
  });
});

describe("calendar-date arithmetic", () => {
  it("counts whole days between calendar dates", () => {
    expect(daysBetween("2025-06-30", "2025-07-01")).toBe(1);
    expect(daysBetween("2025-07-01", "2025-06-30")).toBe(-1);
    expect(daysBetween("2025-01-01", "2025-01-01")).toBe(0);
    expect(daysBetween("2025-01-01", "2025-06-30")).toBe(180);
    expect(daysBetween("2025-01-01", "2026-01-01")).toBe(365);
    expect(daysBetween("2024-01-01", "2025-01-01")).toBe(366);
    expect(daysBetween("2025-12-31", "2026-01-01")).toBe(1);
    expect(daysBetween("1930-02-03", "2025-02-03")).toBe(34_699);
  });

  it("adds days across month, year and leap-day boundaries", () => {
    expect(addDays("2025-06-30", 1)).toBe("2025-07-01");
    expect(addDays("2025-12-31", 1)).toBe("2026-01-01");
    expect(addDays("2024-02-28", 1)).toBe("2024-02-29");
    expect(addDays("2025-02-28", 1)).toBe("2025-03-01");
    expect(addDays("2025-01-01", -1)).toBe("2024-12-31");
    expect(() => addDays("2025-01-01", 0.5)).toThrow(RangeError);
  });

  it("moves a date to another year", () => {
    expect(sameDayInYear("1930-02-03", 2025)).toBe("2025-02-03");
    expect(sameDayInYear("1890-05-19", 2021)).toBe("2021-05-19");
    expect(sameDayInYear("2024-02-29", 2025)).toBe("2025-02-28");
    expect(sameDayInYear("2024-02-29", 2028)).toBe("2028-02-29");
    expect(yearOf("1945-09-02")).toBe(1945);
  });

  it("rejects what is not a calendar date", () => {
    expect(() => daysBetween("2025-02-30", "2025-03-01")).toThrow(RangeError);
    expect(() => addDays("2025/01/01", 1)).toThrow(RangeError);
    expect(() => formatDateVi("3/2/2025")).toThrow(RangeError);
  });
});

describe("formatDateVi", () => {
  it("writes dd/mm/yyyy", () => {
    expect(formatDateVi("2025-02-03")).toBe("03/02/2025");
    expect(formatDateVi("1890-05-19")).toBe("19/05/1890");
    expect(formatDateVi("2025-12-31")).toBe("31/12/2025");
  });
});

describe("time zones", () => {
  it("knows valid zone names", () => {
    expect(isValidTimeZone(VN)).toBe(true);
    expect(isValidTimeZone("UTC")).toBe(true);
    expect(isValidTimeZone("Asia/Saigon")).toBe(true);
    expect(isValidTimeZone("Mars/Olympus_Mons")).toBe(false);
    expect(isValidTimeZone("")).toBe(false);
  });

  it("exports dayjs with the utc and timezone plugins", () => {
    expect(typeof dayjs.tz).toBe("function");
    expect(dayjs.utc("2025-02-03T01:00:00Z").format("YYYY-MM-DD HH:mm")).toBe("2025-02-03 01:00");
  });
});

describe("independence from the process time zone", () => {
  const saved = process.env.TZ;
  afterEach(() => {
    if (saved === undefined) delete process.env.TZ;
    else process.env.TZ = saved;
  });

  for (const processTz of ["America/Santiago", "Pacific/Kiritimati", "UTC"]) {
    it(`gives the same answers with TZ=${processTz}`, () => {
      process.env.TZ = processTz;
      // The machine's local clock did change (Node applies TZ at run time) …
      const probe = new Date("2025-09-07T04:30:00Z");
      const expectedLocalHour = { "America/Santiago": 1, "Pacific/Kiritimati": 18, UTC: 4 }[processTz];
      expect(probe.getHours()).toBe(expectedLocalHour);
      // … and the campaign clock did not.
      expect(localDate(new Date("2025-06-30T16:59:59Z"), VN)).toBe("2025-06-30");
      expect(localDate(new Date("2025-06-30T17:00:00Z"), VN)).toBe("2025-07-01");
      expect(startOfLocalDay("2025-09-07", VN).toISOString()).toBe("2025-09-06T17:00:00.000Z");
      expect(startOfLocalDay("2025-09-07", "America/Santiago").toISOString()).toBe("2025-09-07T04:00:00.000Z");
      expect(localTime(new Date("2025-09-06T17:30:00Z"), VN)).toBe("00:30");
      expect(daysBetween("2025-03-08", "2025-03-10")).toBe(2);
    });
  }
});
