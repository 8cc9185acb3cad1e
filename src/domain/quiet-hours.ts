// Quiet hours: a local time window (default 21:00–07:00, crossing midnight) in which nothing is pushed.
import { addDays, atLocalTime, localDate, localTime } from "./clock.js";

export interface QuietHours {
  /** "HH:mm" local; the window starts here… */
  start: string;
  /** …and ends here (exclusive). start === end means no quiet hours. */
  end: string;
}

export const DEFAULT_QUIET_HOURS: QuietHours = { start: "21:00", end: "07:00" };

const HH_MM = /^([01]\d|2[0-3]):[0-5]\d$/;

/** "21:00-07:00" → { start, end }; null when malformed. */
export function parseQuietHours(text: string): QuietHours | null {
  const [start, end, ...rest] = text.split("-").map((s) => s.trim());
  if (rest.length > 0 || !start || !end || !HH_MM.test(start) || !HH_MM.test(end)) return null;
  return { start, end };
}

/** True when the local time at `now` lies inside the window. */
export function isQuiet(now: Date, tz: string, q: QuietHours): boolean {
  if (q.start === q.end) return false;
  const t = localTime(now, tz);
  return q.start < q.end ? q.start <= t && t < q.end : t >= q.start || t < q.end;
}

/** `instant` itself when it is outside the window, else the window's end (the next local `end` time). */
export function nextAllowed(instant: Date, tz: string, q: QuietHours): Date {
  if (!isQuiet(instant, tz, q)) return instant;
  const today = localDate(instant, tz);
  const endToday = atLocalTime(today, q.end, tz);
  return endToday > instant ? endToday : atLocalTime(addDays(today, 1), q.end, tz);
}
