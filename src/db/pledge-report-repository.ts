// PledgeReportRepository on Prisma: an officer's unit subtree, registration coverage per unit, and pledge rows for
// export files. Only Prisma's query API is used (no SQL text), so it runs the same on SQLite and PostgreSQL; the
// tree is walked level by level (no recursive CTE), and large id lists are split into chunks of bind values.
import type {
  ChannelName,
  CoverageReport,
  CoverageTotal,
  PledgeExportQuery,
  PledgeExportRow,
  PledgeReportRepository,
  Unit,
  UnitCoverage,
} from "../app/ports.js";
import { DEFAULT_TIMEZONE, formatDateVi, localDate, localTime } from "../domain/clock.js";
import type { DbClient } from "./client.js";

/** Rows read per query when scanning pledges (export and coverage). */
export const PAGE_SIZE = 500;
/** Ids per `IN (…)` list: far below SQLite's and PostgreSQL's bind-value limits. */
const ID_CHUNK = 500;

const UNIT_FIELDS = { id: true, code: true, name: true, parentId: true, memberCount: true } as const;
const CHANNELS: readonly string[] = ["telegram", "zalo", "web"];

function chunks<T>(items: readonly T[], size = ID_CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

const ratio = (part: number, whole: number): number | null => (whole > 0 ? part / whole : null);

/** "dd/mm/yyyy HH:mm" on the wall clock of `tz`. */
export function formatLocalDateTime(at: Date, tz: string = DEFAULT_TIMEZONE): string {
  return `${formatDateVi(localDate(at, tz))} ${localTime(at, tz)}`;
}

const byCode = (a: { code: string }, b: { code: string }) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);

export class PrismaPledgeReportRepository implements PledgeReportRepository {
  constructor(
    private readonly prisma: DbClient,
    private readonly timezone: string = DEFAULT_TIMEZONE,
    private readonly pageSize: number = PAGE_SIZE,
  ) {}

  async officerGrantUnitId(subscriberId: number): Promise<number | null> {
    const grant = await this.prisma.officerGrant.findFirst({
      where: { subscriberId, revokedAt: null },
      orderBy: [{ grantedAt: "desc" }, { id: "desc" }],
      select: { unitId: true },
    });
    return grant?.unitId ?? null;
  }

  async unitSubtree(unitId: number): Promise<Unit[]> {
    const root = await this.prisma.unit.findUnique({ where: { id: unitId }, select: UNIT_FIELDS });
    if (!root) return [];
    // Breadth-first, one query per level (and per chunk of parents); `seen` guards against a corrupt cycle.
    const seen = new Set([root.id]);
    const childrenOf = new Map<number, Unit[]>();
    let frontier = [root.id];
    while (frontier.length > 0) {
      const next: number[] = [];
      for (const part of chunks(frontier)) {
        const children = await this.prisma.unit.findMany({ where: { parentId: { in: part } }, select: UNIT_FIELDS });
        for (const child of children) {
          if (seen.has(child.id)) continue;
          seen.add(child.id);
          next.push(child.id);
          const siblings = childrenOf.get(child.parentId!) ?? [];
          siblings.push(child);
          childrenOf.set(child.parentId!, siblings);
        }
      }
      frontier = next;
    }
    // Tree order: a unit, then each child's subtree, children by code (iterative, no recursion depth limit).
    const ordered: Unit[] = [];
    const stack: Unit[] = [root];
    while (stack.length > 0) {
      const unit = stack.pop()!;
      ordered.push(unit);
      const children = (childrenOf.get(unit.id) ?? []).sort(byCode);
      for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
    }
    return ordered;
  }

  async coverage(query: { campaignId: number; unitIds: readonly number[]; titles?: boolean }): Promise<CoverageReport> {
    const ids = [...new Set(query.unitIds)];
    const idSet = new Set(ids);
    // More ids than one chunk (a federation): read the whole campaign once and keep the units asked for, rather than
    // repeat every query per chunk of ids.
    const parts: (number[] | undefined)[] = ids.length > ID_CHUNK ? [undefined] : chunks(ids);
    const units = new Map<number, Unit>();
    const subscribers = new Map<number, number>();
    const pledgeRows = new Map<number, number>();
    const approvedRows = new Map<number, number>();
    const titles = new Map<number, Map<string, number>>();
    const collective = new Set<number>();
    const active = { campaignId: query.campaignId, status: "active" };
    const individual = { ...active, kind: "individual" };
    const add = (m: Map<number, number>, unitId: number, n: number) => m.set(unitId, (m.get(unitId) ?? 0) + n);
    // Titles named in the campaign's active pledges: one count per title below (titles are few).
    const titleKinds = query.titles === false ? [] : await this.prisma.pledgeItem.groupBy({ by: ["key", "name"], where: { type: "title", pledge: active } });
    for (const part of parts) {
      const inPart = part ? { unitId: { in: part } } : {};
      const [unitRows, counts, pledgeGroups] = await Promise.all([
        this.prisma.unit.findMany({ where: part ? { id: { in: part } } : {}, select: UNIT_FIELDS }),
        this.prisma.subscriber.groupBy({ by: ["unitId"], where: { ...inPart, status: "active" }, _count: { _all: true } }),
        // Counted in the database, not by reading every pledge: a federation has tens of thousands of them. One
        // grouping gives the registered (individual, any review), the approved and the units with a collective one.
        this.prisma.pledge.groupBy({ by: ["unitId", "kind", "review"], where: { ...active, ...inPart }, _count: { _all: true } }),
      ]);
      for (const u of unitRows) if (idSet.has(u.id)) units.set(u.id, u);
      for (const c of counts) if (c.unitId !== null && idSet.has(c.unitId)) subscribers.set(c.unitId, c._count._all);
      for (const g of pledgeGroups) {
        if (g.unitId === null || !idSet.has(g.unitId)) continue;
        if (g.kind === "collective") collective.add(g.unitId);
        else if (g.kind === "individual") {
          add(pledgeRows, g.unitId, g._count._all);
          if (g.review === "approved") add(approvedRows, g.unitId, g._count._all);
        }
      }
      for (const title of titleKinds) {
        const item = title.key === null ? { type: "title", key: null, name: title.name } : { type: "title", key: title.key };
        const label = title.key ?? title.name;
        for (const g of await this.prisma.pledge.groupBy({ by: ["unitId"], where: { ...active, ...inPart, items: { some: item } }, _count: { _all: true } })) {
          if (g.unitId === null || !idSet.has(g.unitId)) continue;
          const counts = titles.get(g.unitId) ?? new Map<string, number>();
          counts.set(label, (counts.get(label) ?? 0) + g._count._all);
          titles.set(g.unitId, counts);
        }
      }
    }
    // A person counts once per unit and once in the total: find the few with several active individual pledges in
    // the campaign (two phases, a changed unit) and take their extra rows off — among all rows and the approved ones.
    const repeated = (await this.prisma.pledge.groupBy({ by: ["subscriberId"], where: individual, having: { subscriberId: { _count: { gt: 1 } } } })).map((g) => g.subscriberId);
    const extra = { all: { perUnit: new Map<number, number>(), total: 0 }, approved: { perUnit: new Map<number, number>(), total: 0 } };
    for (const part of chunks(repeated)) {
      const rows = await this.prisma.pledge.findMany({ where: { ...individual, subscriberId: { in: part } }, select: { unitId: true, subscriberId: true, review: true } });
      for (const [which, kept] of [[extra.all, rows], [extra.approved, rows.filter((r) => r.review === "approved")]] as const) {
        const byPerson = new Map<number, number[]>();
        for (const row of kept) if (row.unitId !== null && idSet.has(row.unitId)) byPerson.set(row.subscriberId, [...(byPerson.get(row.subscriberId) ?? []), row.unitId]);
        for (const personUnits of byPerson.values()) {
          which.total += personUnits.length - 1;
          const perUnit = new Map<number, number>();
          for (const u of personUnits) perUnit.set(u, (perUnit.get(u) ?? 0) + 1);
          for (const [u, n] of perUnit) which.perUnit.set(u, (which.perUnit.get(u) ?? 0) + n - 1);
        }
      }
    }
    const sum = (m: Map<number, number>) => [...m.values()].reduce((a, b) => a + b, 0);
    const pledgedIn = (unitId: number) => (pledgeRows.get(unitId) ?? 0) - (extra.all.perUnit.get(unitId) ?? 0);
    const approvedIn = (unitId: number) => (approvedRows.get(unitId) ?? 0) - (extra.approved.perUnit.get(unitId) ?? 0);
    const totalPledged = sum(pledgeRows) - extra.all.total;
    const totalApproved = sum(approvedRows) - extra.approved.total;

    // Depth inside the requested set: how many of a unit's ancestors are in it.
    const depthOf = (unit: Unit): number => {
      let depth = 0;
      const visited = new Set([unit.id]);
      let parent = unit.parentId;
      while (parent !== null && units.has(parent) && !visited.has(parent)) {
        visited.add(parent);
        depth++;
        parent = units.get(parent)!.parentId;
      }
      return depth;
    };

    const rows: UnitCoverage[] = ids
      .map((id) => units.get(id))
      .filter((u): u is Unit => u !== undefined)
      .map((u) => {
        const pledged = pledgedIn(u.id);
        const approved = approvedIn(u.id);
        return {
          unitId: u.id,
          code: u.code,
          name: u.name,
          parentId: u.parentId,
          depth: depthOf(u),
          memberCount: u.memberCount,
          subscribers: subscribers.get(u.id) ?? 0,
          pledged,
          approved,
          coverage: ratio(approved, u.memberCount),
          titles: Object.fromEntries(titles.get(u.id) ?? []),
          collective: collective.has(u.id),
        };
      });

    const totalTitles: Record<string, number> = {};
    for (const row of rows) for (const [key, n] of Object.entries(row.titles)) totalTitles[key] = (totalTitles[key] ?? 0) + n;
    const memberCount = rows.reduce((sum, r) => sum + r.memberCount, 0);
    const total: CoverageTotal = {
      units: rows.length,
      memberCount,
      subscribers: rows.reduce((sum, r) => sum + r.subscribers, 0),
      pledged: totalPledged,
      approved: totalApproved,
      coverage: ratio(totalApproved, memberCount),
      titles: totalTitles,
      collectiveUnits: rows.filter((r) => r.collective).length,
    };
    return { units: rows, total };
  }

  async countExport(query: PledgeExportQuery): Promise<number> {
    if (query.unitIds === undefined) return this.prisma.pledge.count({ where: campaignWhere(query) });
    let count = 0;
    for (const part of chunks([...new Set(query.unitIds)])) {
      count += await this.prisma.pledge.count({ where: { ...campaignWhere(query), unitId: { in: part } } });
    }
    return count;
  }

  async *exportRows(query: PledgeExportQuery): AsyncGenerator<PledgeExportRow> {
    const campaigns = new Map<number, { slug: string; title: string; anniversaries: Map<string, string> }>();
    const campaign = async (id: number) => {
      let found = campaigns.get(id);
      if (!found) {
        const row = await this.prisma.campaign.findUnique({
          where: { id },
          select: { slug: true, title: true, anniversaries: { select: { key: true, name: true } } },
        });
        found = { slug: row?.slug ?? "", title: row?.title ?? "", anniversaries: new Map(row?.anniversaries.map((a) => [a.key, a.name]) ?? []) };
        campaigns.set(id, found);
      }
      return found;
    };

    // An officer's subtree is at most a few thousand units; a list longer than one chunk is read chunk by chunk,
    // each in pledge-id order.
    const unitParts = query.unitIds === undefined ? [undefined] : chunks([...new Set(query.unitIds)]);
    for (const part of unitParts) {
      if (part !== undefined && part.length === 0) continue;
      let after = 0;
      for (;;) {
        const page = await this.prisma.pledge.findMany({
          where: { id: { gt: after }, ...campaignWhere(query), ...(part ? { unitId: { in: part } } : {}) },
          orderBy: { id: "asc" },
          take: this.pageSize,
          include: { items: { orderBy: { id: "asc" } } },
        });
        if (page.length === 0) break;
        const unitIds = [...new Set(page.map((p) => p.unitId).filter((id): id is number => id !== null))];
        const subscriberIds = [...new Set(page.map((p) => p.subscriberId))];
        const [units, subscribers] = await Promise.all([
          this.prisma.unit.findMany({ where: { id: { in: unitIds } }, select: { id: true, code: true, name: true } }),
          this.prisma.subscriber.findMany({ where: { id: { in: subscriberIds } }, select: { id: true, channel: true } }),
        ]);
        const unitById = new Map(units.map((u) => [u.id, u]));
        const channelById = new Map(subscribers.map((s) => [s.id, s.channel]));
        for (const p of page) {
          const { slug, title, anniversaries } = await campaign(p.campaignId);
          const unit = p.unitId === null ? undefined : unitById.get(p.unitId);
          const of = (type: string) => p.items.filter((i) => i.type === type);
          const channel = channelById.get(p.subscriberId) ?? "";
          yield {
            code: p.code,
            campaignSlug: slug,
            campaignName: title,
            phaseNumber: p.phaseNumber,
            kind: p.kind === "collective" ? "collective" : "individual",
            status: p.status === "withdrawn" ? "withdrawn" : "active",
            review: p.review === "approved" || p.review === "returned" ? p.review : "pending",
            fullName: p.fullName,
            position: p.position ?? "",
            unitCode: unit?.code ?? "",
            unitName: unit?.name ?? "",
            titles: of("title").map((i) => i.name).join("; "),
            movements: of("movement").map((i) => i.name).join("; "),
            works: of("work")
              .map((i) =>
                [i.description ? `${i.name} (${i.description})` : i.name, i.anniversaryKey ? (anniversaries.get(i.anniversaryKey) ?? i.anniversaryKey) : null, i.targetDate ? formatDateVi(i.targetDate) : null]
                  .filter((part): part is string => part !== null && part !== "")
                  .join(" — "),
              )
              .join("; "),
            initiatives: of("initiative")
              .map((i) => (i.description ? `${i.name} — ${i.description}` : i.name))
              .join("; "),
            commitment: p.commitment,
            createdAt: formatLocalDateTime(p.createdAt, this.timezone),
            updatedAt: formatLocalDateTime(p.updatedAt, this.timezone),
            channel: CHANNELS.includes(channel) ? (channel as ChannelName) : "",
          };
        }
        if (page.length < this.pageSize) break;
        after = page.at(-1)!.id;
      }
    }
  }
}

const campaignWhere = (query: PledgeExportQuery) => ({
  ...(query.campaignId === undefined ? {} : { campaignId: query.campaignId }),
  ...(query.phaseNumber === undefined ? {} : { phaseNumber: query.phaseNumber }),
  ...(query.status === undefined ? {} : { status: query.status }),
  ...(query.review === undefined ? {} : { review: query.review }),
  ...(query.titleKey === undefined ? {} : { items: { some: { type: "title", key: query.titleKey } } }),
});
