// The console's pages beyond the overview, one module each.
import type { ConsoleOptions } from "../context.js";
import type { ConsolePage } from "../routes.js";
import { broadcastPages } from "./broadcasts.js";
import { deliveryLogPages } from "./delivery-log.js";
import { evaluationPages } from "./evaluation.js";
import { officerPages } from "./officers.js";
import { planImportPages } from "./plan-import.js";
import { planPages } from "./plans.js";
import { pledgePages } from "./pledges.js";
import { reportPages } from "./reports.js";
import { unitPages } from "./units.js";
import { photoPages } from "../photos.js";

export function extraPages(options: ConsoleOptions): ConsolePage[] {
  return [...unitPages(options), ...officerPages(options), ...pledgePages(options), ...reportPages(options), ...evaluationPages(options), ...photoPages(options), ...broadcastPages(options), ...planImportPages(options), ...planPages(options), ...deliveryLogPages(options)];
}
