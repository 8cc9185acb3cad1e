// What the importer found for each field of the draft campaign, where, and why a person should check it.
// The officer console shows the draft beside `PlanExtraction.source` with each finding's span highlighted;
// the YAML writer turns each finding's checks into a "# KIỂM TRA:" comment on its field.
import type { DateInference, DateRefusal } from "./plan-dates.js";
import type { SourceSpan } from "./source-span.js";

/** Why a value needs a person's eye. Texts: locales, `planImport.check.<code>`. */
export type CheckReason =
  | { code: "date-inferred"; how: DateInference["kind"] }
  | { code: "date-refused"; written: string; refusal: DateRefusal | { reason: "needs-document-date" } | { reason: "day-without-end" } }
  | { code: "not-found" }
  | { code: "guessed"; from: string }
  | { code: "theme-not-quoted" }
  | { code: "phase-theme-first-sentence" }
  | { code: "phase-focus-missing" }
  | { code: "ordinal-mismatch"; stated: number; computed: number }
  | { code: "anniversary-year-mismatch"; written: number; year: number }
  | { code: "base-date-from-list" }
  | { code: "unknown-anniversary" }
  /** "kỷ niệm 70 năm Ngày …" with no dates and not in the built-in list. */
  | { code: "undated-anniversary"; written: string }
  | { code: "standard-titles" }
  | { code: "phase-duplicate"; number: number }
  | { code: "phase-order" };

export type FieldPath = (string | number)[];

export interface Finding {
  /** The field in the draft, as in campaign problems: ["phases", 0, "start"]. */
  path: FieldPath;
  value: unknown;
  /** Where the value was read; absent when nothing in the text gave it (a default or a proposal). */
  span?: SourceSpan;
  /** found: read as written; inferred: completed or chosen by a rule; default: not in the text. */
  status: "found" | "inferred" | "default";
  /** Empty when the importer is sure. */
  checks: CheckReason[];
}

/** Something in the text a person should know about, tied to no single field (or to one, by path). */
export interface PlanWarning {
  reason: CheckReason;
  span?: SourceSpan;
  path?: FieldPath;
}

export const pathKey = (path: FieldPath) => path.map(String).join(".");
