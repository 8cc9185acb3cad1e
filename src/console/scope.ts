// Scope checks shared by the pages: a unit (by code) inside the principal's scope, or a polite 404 page.
import type { Unit } from "../app/ports.js";
import { ConsoleAnswer, htmlResponse, type ConsoleRequest } from "./context.js";
import { html } from "./html.js";
import { CONSOLE_PATH, page } from "./layout.js";

export function unitInScope(r: ConsoleRequest, code: string): Unit {
  const unit = r.principal.units.find((u) => u.code === code);
  if (!unit) {
    throw new ConsoleAnswer(htmlResponse(String(page(r, "units", r.tr("console.notFound.title"), html`<p>${r.tr("console.notFound.unit", { code })}</p><p><a href="${CONSOLE_PATH}/units">${r.tr("console.nav.units")}</a></p>`)), 404));
  }
  return unit;
}

/** The unit and its descendants inside the scope (tree order kept). */
export function subtreeOf(units: readonly Unit[], rootId: number): Unit[] {
  const ids = new Set([rootId]);
  const out: Unit[] = [];
  for (const u of units) {
    if (u.id === rootId || (u.parentId !== null && ids.has(u.parentId))) {
      ids.add(u.id);
      out.push(u);
    }
  }
  return out;
}
