// The campaign clock: calendar dates (YYYY-MM-DD) in a time zone, and the instants where they begin.
// Pure: every function takes the instant and the zone as parameters; nothing here reads Date.now(), the
// environment, or the machine's local time (no getHours()/getDate(), no local-time parsing).
//
// dayjs is set up here once (utc + timezone plugins) and re-exported for modules that want it. The helpers below
// do their own zone arithmetic with Intl, because dayjs's `.tz()` converts through the process's local zone
// (it parses a wall-clock string in local time), so near the process zone's DST changes it can be an hour off,
// and `dayjs.tz(string, zone)` starts from Date.now()'s offset as its guess.
import dayjs from "dayjs";
import utc from "dayjs/plugin/utc.js";
import timezone from "dayjs/plugin/timezone.js";

dayjs.extend(utc);
dayjs.extend(timezone);

export { dayjs };

/** The campaign clock when BOT_TIMEZONE is not set. Vietnam keeps UTC+7 all year. */
export const DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh";

/** A local calendar date written YYYY-MM-DD (the format of every date in a campaign definition). */
export type IsoDate = string;

const MS_PER_MINUTE = 60_000;
const MS_PER_DAY = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const HH_MM = /^([01]\d|2[0-3]):([0-5]\d)$/;

interface Ymd {
  year: number;
  month: number; // 1–12
  day: number;
}

function parseIsoDate(date: IsoDate): Ymd {
  const m = ISO_DATE.exec(date);
  if (!m) throw new RangeError(`not a date (YYYY-MM-DD): ${JSON.stringify(date)}`);
  const ymd = { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
  const probe = new Date(Date.UTC(ymd.year, ymd.month - 1, ymd.day));
  if (probe.getUTCFullYear() !== ymd.year || probe.getUTCMonth() !== ymd.month - 1 || probe.getUTCDate() !== ymd.day) {
    throw new RangeError(`not a calendar date: ${date}`);
  }
  return ymd;
}

/** Milliseconds of the date's midnight on the UTC time line: a day counter, not an instant. */
function dayMs(date: IsoDate): number {
  const { year, month, day } = parseIsoDate(date);
  return Date.UTC(year, month - 1, day);
}

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

function isoFromUtcMs(ms: number): IsoDate {
  const d = new Date(ms);
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    // Throws RangeError for an unknown zone.
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: tz,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(tz, f);
  }
  return f;
}

/** The wall-clock reading in `tz` at `instant`, as milliseconds on the UTC time line (seconds precision). */
function wallMs(instant: number, tz: string): number {
  const parts: Record<string, number> = {};
  for (const p of formatterFor(tz).formatToParts(new Date(instant))) {
    if (p.type !== "literal") parts[p.type] = Number(p.value);
  }
  const hour = parts.hour === 24 ? 0 : (parts.hour ?? 0);
  return Date.UTC(parts.year ?? 0, (parts.month ?? 1) - 1, parts.day ?? 1, hour, parts.minute ?? 0, parts.second ?? 0);
}

/** True when `tz` is an IANA zone this runtime knows (e.g. "Asia/Ho_Chi_Minh"). */
export function isValidTimeZone(tz: string): boolean {
  try {
    formatterFor(tz);
    return true;
  } catch {
    return false;
  }
}

/** Offset of `tz` from UTC at `instant`, in minutes (Asia/Ho_Chi_Minh: 420). */
export function zoneOffsetMinutes(instant: Date, tz: string = DEFAULT_TIMEZONE): number {
  const t = instant.getTime();
  const whole = t - (((t % 1000) + 1000) % 1000);
  return Math.round((wallMs(whole, tz) - whole) / MS_PER_MINUTE);
}

/** The calendar date in `tz` at the instant `now`: 2025-06-30T17:00:00Z in Asia/Ho_Chi_Minh → "2025-07-01". */
export function localDate(now: Date, tz: string = DEFAULT_TIMEZONE): IsoDate {
  if (Number.isNaN(now.getTime())) throw new RangeError("invalid Date");
  return isoFromUtcMs(now.getTime() + zoneOffsetMinutes(now, tz) * MS_PER_MINUTE);
}

/** The wall-clock time in `tz` at `now`, "HH:mm" (compare with a campaign's greeting_time). */
export function localTime(now: Date, tz: string = DEFAULT_TIMEZONE): string {
  const d = new Date(now.getTime() + zoneOffsetMinutes(now, tz) * MS_PER_MINUTE);
  return `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

/**
 * The instant when the wall clock in `tz` shows `time` ("HH:mm") on `date`.
 * In a zone with daylight saving: a time that occurs twice gives the earlier instant; a time skipped by a
 * spring-forward gap gives the instant the same distance after the gap's start (02:30 → 03:30 new time).
 */
export function atLocalTime(date: IsoDate, time: string, tz: string = DEFAULT_TIMEZONE): Date {
  const m = HH_MM.exec(time);
  if (!m) throw new RangeError(`not a time (HH:mm): ${JSON.stringify(time)}`);
  const wall = dayMs(date) + (Number(m[1]) * 60 + Number(m[2])) * MS_PER_MINUTE;
  // The zone's offsets a day either side of this wall time; at most one transition lies between them.
  const before = zoneOffsetMinutes(new Date(wall - MS_PER_DAY), tz);
  const after = zoneOffsetMinutes(new Date(wall + MS_PER_DAY), tz);
  const matches = [before, after]
    .map((offset) => wall - offset * MS_PER_MINUTE)
    .filter((instant) => wallMs(instant, tz) === wall);
  if (matches.length > 0) return new Date(Math.min(...matches));
  // Gap: read the wall time with the offset in force before the transition.
  return new Date(wall - before * MS_PER_MINUTE);
}

/** The first instant of the calendar day `date` in `tz`: ("2025-07-01", Asia/Ho_Chi_Minh) → 2025-06-30T17:00:00Z. */
export function startOfLocalDay(date: IsoDate, tz: string = DEFAULT_TIMEZONE): Date {
  return atLocalTime(date, "00:00", tz);
}

/** The calendar date `days` after (or before, when negative) `date`. */
export function addDays(date: IsoDate, days: number): IsoDate {
  if (!Number.isInteger(days)) throw new RangeError(`not a whole number of days: ${days}`);
  return isoFromUtcMs(dayMs(date) + days * MS_PER_DAY);
}

/** Whole calendar days from `fromDate` to `toDate`: ("2025-06-30", "2025-07-01") → 1; negative when `toDate` is earlier. */
export function daysBetween(fromDate: IsoDate, toDate: IsoDate): number {
  return Math.round((dayMs(toDate) - dayMs(fromDate)) / MS_PER_DAY);
}

/** The year of a calendar date. */
export function yearOf(date: IsoDate): number {
  return parseIsoDate(date).year;
}

/**
 * The same month and day in `year`: ("1930-02-03", 2025) → "2025-02-03".
 * 29 February falls on 28 February in a common year.
 */
export function sameDayInYear(date: IsoDate, year: number): IsoDate {
  const { month, day } = parseIsoDate(date);
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const d = month === 2 && day === 29 && !leap ? 28 : day;
  return `${pad(year, 4)}-${pad(month)}-${pad(d)}`;
}

/** Vietnamese date format dd/mm/yyyy: "2025-02-03" → "03/02/2025". */
export function formatDateVi(date: IsoDate): string {
  const { year, month, day } = parseIsoDate(date);
  return `${pad(day)}/${pad(month)}/${pad(year, 4)}`;
}
