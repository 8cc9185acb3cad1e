// The console's pages beyond the overview, one module each.
import type { ConsoleOptions } from "../context.js";
import type { ConsolePage } from "../routes.js";
import { planImportPages } from "./plan-import.js";

export function extraPages(options: ConsoleOptions): ConsolePage[] {
  return [...planImportPages(options)];
}
