// A pledge in words: the summary before confirmation, and the details in /mypledges.
import { anniversariesOf } from "../domain/calendar.js";
import type { CampaignDefinition } from "../domain/campaign.js";
import { formatDateVi } from "../domain/clock.js";
import { localized, renderAnniversary } from "./campaign-text.js";
import type { Translate } from "./i18n.js";
import type { Locale, PledgeItem, PledgeKind } from "./ports.js";

export interface PledgeView {
  phaseNumber: number;
  kind: PledgeKind;
  fullName: string;
  unitLabel: string | null;
  position: string | null;
  items: PledgeItem[];
  commitment: string;
}

export function phaseLabel(def: CampaignDefinition, phaseNumber: number, locale: Locale): string {
  const p = def.phases.find((x) => x.number === phaseNumber);
  return p ? `${localized(locale, p.name, p.name_en)} (${formatDateVi(p.start)} – ${formatDateVi(p.end)})` : String(phaseNumber);
}

export function titleName(def: CampaignDefinition, key: string, locale: Locale): string {
  const title = def.titles.find((x) => x.key === key);
  return title ? localized(locale, title.name, title.name_en) : key;
}

export function renderPledge(def: CampaignDefinition, view: PledgeView, locale: Locale, t: Translate): string {
  const none = t("pledge.none");
  const list = (type: PledgeItem["type"]) =>
    view.items
      .filter((i) => i.type === type)
      .map((i) => (type === "title" && i.key ? titleName(def, i.key, locale) : i.name))
      .join("; ") || none;
  const work = view.items.find((i) => i.type === "work");
  const initiative = view.items.find((i) => i.type === "initiative");
  const anniversary = work?.anniversaryKey ? anniversariesOf(def).find((a) => a.key === work.anniversaryKey) : undefined;
  const lines = [
    t("pledge.summary.header", { campaign: def.owner.short_name, year: def.year, phase: phaseLabel(def, view.phaseNumber, locale) }),
    view.kind === "collective" ? t("pledge.summary.collective", { unit: view.fullName }) : t("pledge.summary.name", { name: view.fullName }),
  ];
  if (view.kind === "individual") {
    lines.push(t("pledge.summary.unit", { unit: view.unitLabel ?? none }));
    lines.push(t("pledge.summary.position", { position: view.position ?? none }));
  }
  lines.push(t("pledge.summary.titles", { titles: list("title") }));
  if (def.movements.length > 0) lines.push(t("pledge.summary.movements", { movements: list("movement") }));
  lines.push(
    work
      ? t("pledge.summary.work", {
          name: work.name,
          anniversary: anniversary ? renderAnniversary(anniversary, locale, t) : none,
          date: work.targetDate ? formatDateVi(work.targetDate) : none,
          description: work.description ?? none,
        })
      : t("pledge.summary.noWork"),
  );
  lines.push(
    initiative ? t("pledge.summary.initiative", { name: initiative.name, description: initiative.description ?? none }) : t("pledge.summary.noInitiative"),
  );
  lines.push(t("pledge.summary.commitment", { commitment: view.commitment }));
  return lines.join("\n");
}
