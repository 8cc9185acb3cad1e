// Who is using the console and over which units. A console session's subject says who it is: an officer
// ("officer:<subscriber id>", from /quanly) or a first-time setup link ("setup:<unit code>" or "setup:*" for the whole
// tree, from `console link`). The scope is read again on every request from the live grant, so a revoked grant ends
// console access at once.
import type { Locale, Unit } from "../app/ports.js";
import type { ConsoleStore } from "./store.js";

export type ConsoleSubject = { kind: "officer"; subscriberId: number } | { kind: "setup"; unitCode: string | null };

export const officerSubject = (subscriberId: number) => `officer:${subscriberId}`;
export const setupSubject = (unitCode: string | null) => `setup:${unitCode ?? "*"}`;

export function parseSubject(subject: string): ConsoleSubject | null {
  const officer = /^officer:(\d{1,12})$/.exec(subject);
  if (officer) return { kind: "officer", subscriberId: Number(officer[1]) };
  const setup = /^setup:(.{1,64})$/.exec(subject);
  if (setup) return { kind: "setup", unitCode: setup[1] === "*" ? null : setup[1]! };
  return null;
}

export interface ConsolePrincipal {
  subject: string;
  /** The officer's subscriber id; null for a setup link (it cannot send as a person). */
  subscriberId: number | null;
  /** For the audit log and the header. */
  name: string;
  locale: Locale;
  /** Scope roots: the grant's unit, a setup link's unit, or every top-level unit for the whole tree. */
  roots: Unit[];
  /** Every unit in scope, in tree order (a unit, then its subtree). */
  units: Unit[];
  unitIds: Set<number>;
  /** The scope includes units without a parent (the whole tree): people with no unit belong to it. */
  wholeTree: boolean;
}

/** The principal for a session subject, or null when it no longer has a scope (grant revoked, unit gone). */
export async function resolvePrincipal(store: ConsoleStore, subject: string, setupName: string): Promise<ConsolePrincipal | null> {
  const parsed = parseSubject(subject);
  if (!parsed) return null;
  let roots: Unit[];
  let name = setupName;
  let subscriberId: number | null = null;
  let locale: Locale = "vi";
  if (parsed.kind === "officer") {
    const subscriber = await store.subscribers.findById(parsed.subscriberId);
    const unitId = subscriber ? await store.pledgeReports.officerGrantUnitId(subscriber.id) : null;
    if (!subscriber || unitId === null) return null;
    const unit = await store.units.findById(unitId);
    if (!unit) return null;
    roots = [unit];
    subscriberId = subscriber.id;
    name = subscriber.displayName ?? `#${subscriber.id}`;
    locale = subscriber.locale;
  } else if (parsed.unitCode !== null) {
    const unit = await store.units.findByCode(parsed.unitCode);
    if (!unit) return null;
    roots = [unit];
  } else {
    roots = await store.queries.topUnits();
  }
  const units: Unit[] = [];
  for (const root of roots) units.push(...(await store.pledgeReports.unitSubtree(root.id)));
  return { subject, subscriberId, name, locale, roots, units, unitIds: new Set(units.map((u) => u.id)), wholeTree: roots.length > 0 && roots.every((r) => r.parentId === null) };
}
