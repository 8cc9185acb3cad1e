// The importer's reasons to check a field (src/domain/plan-import/findings.ts) in the reader's language: the YAML
// comments (Vietnamese), the admin CLI's summary (English), and the officer console.
import type { CheckReason } from "../domain/plan-import/findings.js";
import type { DateRefusal } from "../domain/plan-import/plan-dates.js";
import type { Translate } from "./i18n.js";

type Refusal = Extract<CheckReason, { code: "date-refused" }>["refusal"];

const camel = (code: string) => code.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

export function describeRefusal(refusal: Refusal | DateRefusal, t: Translate): string {
  switch (refusal.reason) {
    case "month-out-of-range":
      return t("planImport.refusal.monthOutOfRange", { month: refusal.month });
    case "day-out-of-range":
      return t("planImport.refusal.dayOutOfRange", { day: refusal.day });
    case "no-such-day":
      return refusal.year === undefined
        ? t("planImport.refusal.noSuchDay", { day: refusal.day, month: refusal.month })
        : t("planImport.refusal.noSuchDayInYear", { day: refusal.day, month: refusal.month, year: refusal.year });
    case "year-out-of-range":
      return t("planImport.refusal.yearOutOfRange", { year: refusal.year });
    default:
      return t(`planImport.refusal.${camel(refusal.reason)}`);
  }
}

export function describeCheck(reason: CheckReason, t: Translate): string {
  switch (reason.code) {
    case "date-inferred":
      return t(`planImport.date.${camel(reason.how)}`);
    case "date-refused":
      return t("planImport.check.dateRefused", { written: reason.written, why: describeRefusal(reason.refusal, t) });
    case "guessed":
      return t("planImport.check.guessed", { from: reason.from });
    case "ordinal-mismatch":
      return t("planImport.check.ordinalMismatch", { stated: reason.stated, computed: reason.computed });
    case "anniversary-year-mismatch":
      return t("planImport.check.anniversaryYearMismatch", { written: reason.written, year: reason.year });
    case "undated-anniversary":
      return t("planImport.check.undatedAnniversary", { written: reason.written });
    case "phase-duplicate":
      return t("planImport.check.phaseDuplicate", { number: reason.number });
    default:
      return t(`planImport.check.${camel(reason.code)}`);
  }
}
