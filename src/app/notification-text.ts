// What a scheduled push says, in the recipient's language. The "current phase theme" line comes from the
// calendar at the event's moment, never from stored text.
import { phaseAt, phasesInOrder } from "../domain/calendar.js";
import type { CampaignDefinition } from "../domain/campaign.js";
import { formatDateVi } from "../domain/clock.js";
import type { CampaignEvent } from "../domain/schedule.js";
import { localized, renderAnniversary } from "./campaign-text.js";
import { translator } from "./i18n.js";
import type { Locale } from "./ports.js";

export function renderEvent(def: CampaignDefinition, event: CampaignEvent, locale: Locale, tz: string): string {
  const t = translator(locale);
  const phaseName = (p: { name: string; name_en?: string }) => localized(locale, p.name, p.name_en);
  const phaseTheme = (p: { theme: string; theme_en?: string }) => localized(locale, p.theme, p.theme_en);
  const owner = def.owner.name;
  /** The theme line of the phase running at the event's moment (or the next one). */
  const themeLine = () => {
    const at = phaseAt(def, event.at, tz);
    const phase = at.kind === "in" ? at.phase : at.kind === "after" ? null : at.next;
    return phase ? t("push.themeLine", { phase: phaseName(phase), theme: phaseTheme(phase) }) : "";
  };
  const lines: string[] = [];
  switch (event.type) {
    case "launch":
      lines.push(t("push.launch.title", { owner, year: def.year, title: localized(locale, def.title, def.title_en) }));
      lines.push(t("campaign.theme", { year: def.year, theme: localized(locale, def.theme, def.theme_en) }));
      for (const p of phasesInOrder(def)) {
        lines.push(t("push.launch.phase", { phase: phaseName(p), start: formatDateVi(p.start), end: formatDateVi(p.end), theme: phaseTheme(p) }));
      }
      lines.push(t("push.howToPledge"));
      break;
    case "phase-start": {
      const p = event.phase!;
      lines.push(t("push.phaseStart", { owner, phase: phaseName(p), start: formatDateVi(p.start), end: formatDateVi(p.end) }));
      lines.push(t("push.themeLine", { phase: phaseName(p), theme: phaseTheme(p) }));
      lines.push(t("push.howToPledge"));
      break;
    }
    case "anniversary":
      lines.push(t("push.anniversary", { label: renderAnniversary(event.anniversary!, locale, t) }));
      lines.push(themeLine());
      break;
    case "anniversary-heads-up":
      lines.push(t("push.headsUp", { days: event.daysLeft!, label: renderAnniversary(event.anniversary!, locale, t), date: formatDateVi(event.anniversary!.date) }));
      lines.push(t(def.works.plaque ? "push.headsUp.plaque" : "push.headsUp.works"));
      break;
    case "phase-end-reminder": {
      const p = event.phase!;
      lines.push(t("push.phaseEnd", { days: event.daysLeft!, phase: phaseName(p), end: formatDateVi(p.end) }));
      lines.push(t("push.phaseEnd.report", { to: def.reporting.to }));
      break;
    }
    case "pledge-reminder": {
      const p = event.phase!;
      lines.push(t("push.pledgeReminder", { phase: phaseName(p), end: formatDateVi(p.end) }));
      lines.push(t("push.themeLine", { phase: phaseName(p), theme: phaseTheme(p) }));
      break;
    }
    case "report-due": {
      const p = event.phase!;
      const due = formatDateVi(p.report_due!);
      lines.push(event.daysLeft === 0 ? t("push.reportDue.today", { phase: phaseName(p), date: due, to: def.reporting.to }) : t("push.reportDue", { days: event.daysLeft!, phase: phaseName(p), date: due, to: def.reporting.to }));
      break;
    }
  }
  return lines.filter(Boolean).join("\n");
}
