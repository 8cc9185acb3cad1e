// Renders what the calendar says about a campaign into the reader's language. Plan wording (names, themes)
// comes from the campaign data, with the English translation where the file has one.
import type { CampaignDefinition } from "../domain/campaign.js";
import { anniversariesOf, anniversaryLabel, phaseAt, phasesInOrder, upcomingAnniversaries, type AnniversaryOccurrence, type Phase } from "../domain/calendar.js";
import { formatDateVi } from "../domain/clock.js";
import type { Translate } from "./i18n.js";
import type { Locale } from "./ports.js";

/** The English text where the plan data has one and the reader wants English; the plan's Vietnamese otherwise. */
export const localized = (locale: Locale, vi: string, en: string | undefined): string => (locale === "en" && en ? en : vi);

const phaseName = (p: Phase, locale: Locale) => localized(locale, p.name, p.name_en);
const phaseTheme = (p: Phase, locale: Locale) => localized(locale, p.theme, p.theme_en);

function header(def: CampaignDefinition, locale: Locale, t: Translate): string {
  return t("campaign.header", { title: localized(locale, def.title, def.title_en), owner: def.owner.name });
}

/** /theme: the current phase and its theme, or plainly where we are when outside the phases. */
export function renderTheme(def: CampaignDefinition, now: Date, tz: string, locale: Locale, t: Translate): string {
  const at = phaseAt(def, now, tz);
  const lines = [header(def, locale, t)];
  switch (at.kind) {
    case "in": {
      const p = at.phase;
      lines.push(t("theme.in", { phase: phaseName(p, locale), start: formatDateVi(p.start), end: formatDateVi(p.end), dayNumber: at.dayNumber, theme: phaseTheme(p, locale) }));
      lines.push(at.daysLeft === 0 ? t("theme.lastDay", { phase: phaseName(p, locale) }) : t("theme.daysLeft", { days: at.daysLeft, end: formatDateVi(p.end) }));
      if (at.next) lines.push(t("theme.nextAfter", { phase: phaseName(at.next, locale), start: formatDateVi(at.next.start) }));
      lines.push(t("campaign.theme", { year: def.year, theme: localized(locale, def.theme, def.theme_en) }));
      break;
    }
    case "before":
      lines.push(t("theme.before", { phase: phaseName(at.next, locale), start: formatDateVi(at.next.start), days: at.daysUntil, theme: phaseTheme(at.next, locale) }));
      lines.push(t("campaign.theme", { year: def.year, theme: localized(locale, def.theme, def.theme_en) }));
      break;
    case "between":
      lines.push(
        t("theme.between", {
          previous: phaseName(at.previous, locale),
          previousEnd: formatDateVi(at.previous.end),
          phase: phaseName(at.next, locale),
          start: formatDateVi(at.next.start),
          days: at.daysUntil,
          theme: phaseTheme(at.next, locale),
        }),
      );
      break;
    case "after":
      lines.push(t("theme.after", { year: def.year, end: formatDateVi(at.last.end), days: at.endedDaysAgo }));
      break;
  }
  return lines.join("\n");
}

/** /phases: every phase with its dates and theme, the current one marked. */
export function renderPhases(def: CampaignDefinition, now: Date, tz: string, locale: Locale, t: Translate): string {
  const at = phaseAt(def, now, tz);
  const current = at.kind === "in" ? at.phase.number : null;
  const items = phasesInOrder(def).map((p) =>
    t("phases.item", {
      marker: p.number === current ? "▶" : "•",
      phase: p.number === current ? `${phaseName(p, locale)} ${t("phases.current")}` : phaseName(p, locale),
      start: formatDateVi(p.start),
      end: formatDateVi(p.end),
      theme: phaseTheme(p, locale),
    }),
  );
  const lines = [t("phases.title", { owner: def.owner.name, year: def.year }), ...items];
  if (def.reporting.after_each_phase) lines.push("", t("phases.report", { to: def.reporting.to }));
  return lines.join("\n");
}

export function renderAnniversary(a: AnniversaryOccurrence, locale: Locale, t: Translate): string {
  return t("anniversary.label", { ...anniversaryLabel(a, locale) });
}

/** /events: upcoming anniversaries with days to go; when none remain, the plan's list marked as past. */
export function renderEvents(def: CampaignDefinition, now: Date, tz: string, locale: Locale, t: Translate): string {
  const upcoming = upcomingAnniversaries(def, now, tz);
  if (upcoming.length === 0) {
    const past = anniversariesOf(def).map((a) => t("events.past", { date: formatDateVi(a.date), label: renderAnniversary(a, locale, t) }));
    return [t("events.none", { year: def.year, owner: def.owner.name }), ...past].join("\n");
  }
  const items = upcoming.map((a) => {
    const when = a.daysUntil === 0 ? t("events.today") : t("events.inDays", { days: a.daysUntil });
    return t("events.item", { date: `${formatDateVi(a.date)} (${when})`, label: renderAnniversary(a, locale, t) });
  });
  return [t("events.title", { owner: def.owner.name }), ...items].join("\n");
}
