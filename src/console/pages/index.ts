// The console's pages beyond the overview, one module each.
import type { ConsoleOptions } from "../context.js";
import type { ConsolePage } from "../routes.js";

export function extraPages(_options: ConsoleOptions): ConsolePage[] {
  return [];
}
