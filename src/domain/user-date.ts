// Dates as people type them: 30/6/2025, 30-06-2025, 30.06.2025 (day first, the Vietnamese way) or 2025-06-30.
import { isIsoDate } from "./campaign.js";

const DAY_FIRST = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/;
const ISO = /^(\d{4})-(\d{1,2})-(\d{1,2})$/;

const pad = (n: string) => n.padStart(2, "0");

/** The typed date as YYYY-MM-DD, or null when it is not a real date in one of the accepted forms. */
export function parseUserDate(typed: string): string | null {
  const text = typed.trim();
  const dayFirst = DAY_FIRST.exec(text);
  const iso = dayFirst ? null : ISO.exec(text);
  const date = dayFirst ? `${dayFirst[3]}-${pad(dayFirst[2]!)}-${pad(dayFirst[1]!)}` : iso ? `${iso[1]}-${pad(iso[2]!)}-${pad(iso[3]!)}` : null;
  return date && isIsoDate(date) ? date : null;
}
