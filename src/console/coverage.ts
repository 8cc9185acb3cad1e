// Coverage rows grouped for the console: per child unit of the scope (its whole subtree summed), from the same
// CoverageReport /thongke renders (PledgeReportRepository.coverage), so the numbers are the same.
import type { CoverageReport } from "../app/ports.js";

export interface CoverageGroup {
  unitId: number;
  code: string;
  name: string;
  memberCount: number;
  subscribers: number;
  /** Active individual registrations (any review state). */
  pledged: number;
  /** Of those, approved: what the 100% target counts. */
  approved: number;
  /** approved / members, as /thongke. */
  coverage: number | null;
}

/** Rows at `depth` with their descendants summed (the report is in tree order). */
export function groupsAtDepth(report: CoverageReport, depth: number): CoverageGroup[] {
  const groups: CoverageGroup[] = [];
  let current: CoverageGroup | null = null;
  for (const row of report.units) {
    if (row.depth === depth) {
      current = { unitId: row.unitId, code: row.code, name: row.name, memberCount: 0, subscribers: 0, pledged: 0, approved: 0, coverage: null };
      groups.push(current);
    } else if (row.depth < depth) {
      current = null;
      continue;
    }
    if (!current) continue;
    current.memberCount += row.memberCount;
    current.subscribers += row.subscribers;
    current.pledged += row.pledged;
    current.approved += row.approved;
  }
  for (const g of groups) g.coverage = g.memberCount > 0 ? g.approved / g.memberCount : null;
  return groups;
}

export type CoverageSort = "coverage" | "name" | "pledged" | "members";

export function sortGroups(groups: CoverageGroup[], sort: CoverageSort): CoverageGroup[] {
  const copy = [...groups];
  const byName = (a: CoverageGroup, b: CoverageGroup) => a.name.localeCompare(b.name, "vi");
  if (sort === "name") return copy.sort(byName);
  if (sort === "pledged") return copy.sort((a, b) => b.pledged - a.pledged || byName(a, b));
  if (sort === "members") return copy.sort((a, b) => b.memberCount - a.memberCount || byName(a, b));
  return copy.sort((a, b) => (a.coverage ?? -1) - (b.coverage ?? -1) || byName(a, b));
}
