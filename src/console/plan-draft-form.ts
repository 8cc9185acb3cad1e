// The fields of an imported plan an officer can correct in the console, and the submitted form laid back over the
// importer's draft. The draft itself is never taken from the browser: it is extracted again from the plan's text on
// every step, the form's values replace the editable fields, and the result is validated in full before anything
// is stored (src/domain/campaign-parse.ts, checkCampaign).
import type { CampaignDraft } from "../domain/plan-import/extract-plan.js";
import { pathKey, type FieldPath } from "../domain/plan-import/findings.js";

export type FieldKind = "text" | "textarea" | "date" | "number" | "remove" | "keep";
export type FieldGroup =
  | { kind: "general" }
  | { kind: "phase"; index: number; name: string }
  | { kind: "anniversary"; index: number; name: string }
  | { kind: "movement"; index: number; name: string }
  | { kind: "titles" }
  | { kind: "reporting" };

export interface DraftField {
  path: FieldPath;
  /** The form field's name: the path with dots ("phases.1.end"). */
  name: string;
  /** The element id: the path with dashes ("f-phases-1-end"). */
  id: string;
  kind: FieldKind;
  /** Locale key of the label: console.planImport.field.<label>. */
  label: string;
  group: FieldGroup;
}

type Draft = Record<string, unknown>;

const field = (path: FieldPath, kind: FieldKind, label: string, group: FieldGroup): DraftField => ({ path, name: pathKey(path), id: `f-${path.join("-")}`, kind, label, group });

/** Every field the console lets an officer correct, in the order of the form. */
export function draftFields(draft: CampaignDraft): DraftField[] {
  const general: FieldGroup = { kind: "general" };
  const out: DraftField[] = [
    field(["owner", "name"], "text", "ownerName", general),
    field(["owner", "short_name"], "text", "ownerShortName", general),
    field(["year"], "number", "year", general),
    field(["title"], "textarea", "title", general),
    field(["theme"], "textarea", "theme", general),
    field(["slug"], "text", "slug", general),
    field(["code_prefix"], "text", "codePrefix", general),
  ];
  draft.phases.forEach((p, i) => {
    const group: FieldGroup = { kind: "phase", index: i, name: p.name };
    out.push(
      field(["phases", i, "name"], "text", "phaseName", group),
      field(["phases", i, "start"], "date", "phaseStart", group),
      field(["phases", i, "end"], "date", "phaseEnd", group),
      field(["phases", i, "theme"], "textarea", "phaseTheme", group),
      field(["phases", i, "focus"], "textarea", "phaseFocus", group),
    );
  });
  (draft.anniversaries ?? []).forEach((a, i) => {
    const group: FieldGroup = { kind: "anniversary", index: i, name: a.name };
    out.push(field(["anniversaries", i, "name"], "text", "anniversaryName", group), field(["anniversaries", i, "base_date"], "date", "anniversaryBaseDate", group), field(["anniversaries", i, "remove"], "remove", "remove", group));
  });
  (draft.movements ?? []).forEach((m, i) => {
    const group: FieldGroup = { kind: "movement", index: i, name: m.name };
    out.push(field(["movements", i, "name"], "textarea", "movementName", group), field(["movements", i, "remove"], "remove", "remove", group));
  });
  draft.titles.forEach((_, i) => out.push(field(["titles", i, "keep"], "keep", "titleKeep", { kind: "titles" })));
  const reporting: FieldGroup = { kind: "reporting" };
  out.push(
    field(["works", "description"], "textarea", "works", reporting),
    field(["initiatives", "description"], "textarea", "initiatives", reporting),
    field(["reporting", "to"], "text", "reportingTo", reporting),
    field(["reporting", "description"], "textarea", "reportingDescription", reporting),
  );
  return out;
}

export function getIn(value: unknown, path: FieldPath): unknown {
  let at = value;
  for (const part of path) {
    if (typeof at !== "object" || at === null) return undefined;
    at = (at as Record<string | number, unknown>)[part];
  }
  return at;
}

function setIn(target: Draft, path: FieldPath, value: unknown): void {
  let at: Record<string | number, unknown> = target;
  for (const part of path.slice(0, -1)) at = at[part] as Record<string | number, unknown>;
  at[path[path.length - 1]!] = value;
}

export interface AppliedForm {
  /** The draft with the form's values, same structure as the extracted one (for showing the form again). */
  edited: CampaignDraft;
  /** Names of the remove/keep boxes that are ticked. */
  ticked: Set<string>;
  /** What is validated and stored: removed anniversaries and movements (and references to them) and unticked titles left out. */
  campaign: CampaignDraft;
  /** For each list, the index in `edited` of each item left in `campaign` (problems name the latter). */
  kept: Record<"anniversaries" | "movements" | "titles", number[]>;
}

/** The extracted draft with the submitted values; absent text fields keep the extracted value. */
export function applyForm(draft: CampaignDraft, form: (name: string) => string | undefined): AppliedForm {
  const edited = structuredClone(draft) as CampaignDraft;
  const ticked = new Set<string>();
  for (const f of draftFields(draft)) {
    const submitted = form(f.name);
    if (f.kind === "remove" || f.kind === "keep") {
      if (submitted !== undefined) ticked.add(f.name);
      continue;
    }
    if (submitted === undefined) continue;
    const value = submitted.replace(/\s+/g, " ").trim();
    // A year that is not a whole number, or a date that is not one, goes to the validator as written: it names the problem.
    setIn(edited as Draft, f.path, f.kind === "number" && /^-?\d{1,6}$/.test(value) ? Number(value) : f.kind === "date" ? isoFromForm(value) : value);
  }
  const campaign = structuredClone(edited);
  const keep = (list: "anniversaries" | "movements" | "titles", by: "remove" | "keep") =>
    (edited[list] ?? []).map((_, i) => i).filter((i) => ticked.has(`${list}.${i}.${by}`) === (by === "keep"));
  const kept = { anniversaries: keep("anniversaries", "remove"), movements: keep("movements", "remove"), titles: keep("titles", "keep") };
  const droppedKeys = (list: "anniversaries" | "movements") => new Set((edited[list] ?? []).filter((_, i) => !kept[list].includes(i)).map((item) => item.key));
  const goneAnniversaries = droppedKeys("anniversaries");
  const goneMovements = droppedKeys("movements");
  campaign.anniversaries = kept.anniversaries.map((i) => edited.anniversaries![i]!);
  campaign.movements = kept.movements.map((i) => edited.movements![i]!);
  campaign.titles = kept.titles.map((i) => edited.titles[i]!);
  campaign.phases = campaign.phases.map((p) => ({
    ...p,
    anniversaries: (p.anniversaries ?? []).filter((k) => !goneAnniversaries.has(k)),
    ...(p.movements ? { movements: p.movements.filter((k) => !goneMovements.has(k)) } : {}),
  }));
  return { edited, ticked, campaign, kept };
}

/** A problem's path in the validated campaign → the same place in the form's draft (before items were left out). */
export function formPath(path: FieldPath, kept: AppliedForm["kept"]): FieldPath {
  const [list, index, ...rest] = path;
  if ((list === "anniversaries" || list === "movements" || list === "titles") && typeof index === "number") {
    const original = kept[list][index];
    return original === undefined ? path : [list, original, ...rest];
  }
  return path;
}

/**
 * A date as officers write it (dd/mm/yyyy, as in the plan; also d-m-yyyy, d.m.yyyy) or YYYY-MM-DD → YYYY-MM-DD;
 * anything else is returned as written. Text fields rather than the browser's date picker, whose order follows the
 * browser's language (an English Chrome shows 02/03/1930 for 3 February).
 */
export function isoFromForm(value: string): string {
  const vi = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(value);
  return vi ? `${vi[3]}-${vi[2]!.padStart(2, "0")}-${vi[1]!.padStart(2, "0")}` : value;
}
