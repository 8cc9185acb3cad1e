import { describe, expect, it } from "vitest";
import { DEFAULT_QUIET_HOURS, isQuiet, nextAllowed, parseQuietHours } from "../../src/domain/quiet-hours.js";

const VN = "Asia/Ho_Chi_Minh";
const local = (iso: string) => new Date(`${iso}+07:00`);

describe("quiet hours", () => {
  it("parses HH:mm-HH:mm and refuses anything else", () => {
    expect(parseQuietHours("21:00-07:00")).toEqual({ start: "21:00", end: "07:00" });
    expect(parseQuietHours("22:30 - 06:15")).toEqual({ start: "22:30", end: "06:15" });
    for (const bad of ["21-07", "25:00-07:00", "21:00", "21:00-07:00-08:00", ""]) expect(parseQuietHours(bad), bad).toBeNull();
  });

  it.each([
    ["2025-05-19T20:59:59", false],
    ["2025-05-19T21:00:00", true],
    ["2025-05-19T23:59:00", true],
    ["2025-05-20T00:00:00", true],
    ["2025-05-20T06:59:59", true],
    ["2025-05-20T07:00:00", false],
    ["2025-05-20T08:00:00", false],
  ])("%s local is quiet: %s", (at, quiet) => {
    expect(isQuiet(local(at), VN, DEFAULT_QUIET_HOURS)).toBe(quiet);
  });

  it("moves a time inside the window to its end, the same night or the next morning", () => {
    expect(nextAllowed(local("2025-05-19T22:15:00"), VN, DEFAULT_QUIET_HOURS).toISOString()).toBe(local("2025-05-20T07:00:00").toISOString());
    expect(nextAllowed(local("2025-05-20T03:00:00"), VN, DEFAULT_QUIET_HOURS).toISOString()).toBe(local("2025-05-20T07:00:00").toISOString());
    const day = local("2025-05-20T08:00:00");
    expect(nextAllowed(day, VN, DEFAULT_QUIET_HOURS)).toBe(day);
  });

  it("supports a window inside one day, and none", () => {
    const lunch = { start: "12:00", end: "13:30" };
    expect(isQuiet(local("2025-05-20T12:45:00"), VN, lunch)).toBe(true);
    expect(nextAllowed(local("2025-05-20T12:45:00"), VN, lunch).toISOString()).toBe(local("2025-05-20T13:30:00").toISOString());
    expect(isQuiet(local("2025-05-20T23:00:00"), VN, { start: "00:00", end: "00:00" })).toBe(false);
  });
});
