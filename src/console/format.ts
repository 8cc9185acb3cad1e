// Numbers, dates and labels as officers read them.
import { formatPercent } from "../app/handlers/stats.js";
import { t } from "../app/i18n.js";
import type { Locale } from "../app/ports.js";
import { formatDateVi, localDate, localTime } from "../domain/clock.js";
import type { CampaignEvent } from "../domain/schedule.js";

export const num = (locale: Locale, n: number) => new Intl.NumberFormat(locale === "vi" ? "vi-VN" : "en-US").format(n);
/** The same rounding as /thongke: never "100%" before everyone registered. */
export const percent = (pledged: number, members: number) => (members > 0 ? formatPercent(pledged, members) : "–");
export const dateTime = (at: Date, tz: string) => `${formatDateVi(localDate(at, tz))} ${localTime(at, tz)}`;
export const day = (at: Date, tz: string) => formatDateVi(localDate(at, tz));

export function eventSubject(e: CampaignEvent, locale: Locale): string {
  if (e.anniversary) return t(locale, "console.event.anniversaryName", { ordinal: e.anniversary.ordinal, name: locale === "en" && e.anniversary.name_en ? e.anniversary.name_en : e.anniversary.name });
  if (e.phase) return locale === "en" && e.phase.name_en ? e.phase.name_en : e.phase.name;
  return "";
}

/** The planner's reason for skipping a push (stored in English for logs), in the officer's language. */
export function skipReason(reason: string | null, plannedAt: Date, tr: (key: string, params?: Record<string, string | number>) => string, tz: string): string {
  if (!reason) return "";
  if (reason.startsWith("missed: an anniversary greeting")) return tr("console.log.reason.sameDay");
  if (reason.startsWith("missed:")) return tr("console.log.reason.missed", { when: dateTime(plannedAt, tz) });
  if (reason.startsWith("quiet hours")) return tr("console.log.reason.quiet");
  return reason;
}
