// The officer console's own queries on Prisma (src/console/store.ts). Prisma's query API only, so they run the same
// on SQLite and PostgreSQL (but the per-day count, raw SQL per provider); id lists are split into chunks of bind values.
import type { BroadcastAudience, BroadcastRecord, NotificationStatus, Unit } from "../app/ports.js";
import type { AuditEntry, ConsoleQueries, FailedDelivery, OfficerRow, PledgeFilter, PledgeListRow } from "../console/store.js";
import type { DbClient } from "./client.js";
import { placeholder } from "./raw-sql.js";
import type { Provider } from "./url.js";
import { PrismaUnitRepository } from "./unit-repository.js";

const ID_CHUNK = 500;
/** The per-day chart's counting slot: a quarter hour. */
const SLOT_SECONDS = 900;
const UNIT_FIELDS = { id: true, code: true, name: true, parentId: true, memberCount: true } as const;
const STATUSES: NotificationStatus[] = ["pending", "sending", "sent", "failed", "blocked", "skipped"];

function chunks<T>(items: readonly T[], size = ID_CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

const byCode = (a: { code: string }, b: { code: string }) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);

export class PrismaConsoleQueries implements ConsoleQueries {
  constructor(
    private readonly prisma: DbClient,
    private readonly provider: Provider,
  ) {}

  parentCodes(): Promise<Map<string, string | null>> {
    return new PrismaUnitRepository(this.prisma).parentCodes();
  }

  async topUnits(): Promise<Unit[]> {
    return (await this.prisma.unit.findMany({ where: { parentId: null }, select: UNIT_FIELDS })).sort(byCode);
  }

  async audit(entry: AuditEntry): Promise<void> {
    await this.prisma.consoleAudit.create({ data: { ...entry, detail: JSON.stringify(entry.detail) } });
  }

  async auditLog(limit: number) {
    const rows = await this.prisma.consoleAudit.findMany({ orderBy: { id: "desc" }, take: limit });
    return rows.map((r) => ({ ...r, detail: JSON.parse(r.detail) as Record<string, unknown> }));
  }

  async pledgesPerDay(campaignId: number, phaseNumber: number, unitIds: readonly number[], dayStarts: readonly Date[]): Promise<number[]> {
    // Counted in the database per quarter hour of UTC (every time zone's offset is a whole number of quarter hours,
    // so no slot straddles a local midnight), then each slot into its local day here: a few thousand rows, not one per
    // registration. Raw SQL: Prisma's groupBy cannot group by an expression.
    const slot = this.provider === "postgresql" ? `FLOOR(EXTRACT(EPOCH FROM "createdAt") / ${SLOT_SECONDS})` : `CAST(strftime('%s', "createdAt") AS INTEGER) / ${SLOT_SECONDS}`;
    const p = placeholder(this.provider);
    const starts = dayStarts.map((d) => d.getTime());
    const counts = new Array<number>(starts.length).fill(0);
    if (starts.length === 0) return counts;
    for (const part of chunks(unitIds)) {
      const sql = `SELECT ${slot} AS "slot", COUNT(*) AS "n" FROM "Pledge" WHERE "campaignId" = ${p(1)} AND "phaseNumber" = ${p(2)} AND "status" = 'active' AND "kind" = 'individual' AND "unitId" IN (${part.map((_, i) => p(i + 3)).join(", ")}) GROUP BY 1`;
      const rows = await this.prisma.$queryRawUnsafe<{ slot: number | bigint | string; n: number | bigint }[]>(sql, campaignId, phaseNumber, ...part);
      for (const row of rows) {
        const at = Number(row.slot) * SLOT_SECONDS * 1000;
        // The last day start at or before the slot (a registration after the last day counts in the last day).
        if (at < starts[0]!) continue;
        let lo = 0;
        let hi = starts.length - 1;
        while (lo < hi) {
          const mid = (lo + hi + 1) >> 1;
          if (starts[mid]! <= at) lo = mid;
          else hi = mid - 1;
        }
        counts[lo]! += Number(row.n);
      }
    }
    return counts;
  }

  async broadcastsFor(unitIds: readonly number[], limit: number): Promise<BroadcastRecord[]> {
    const found: BroadcastRecord[] = [];
    for (const part of chunks(unitIds)) {
      const rows = await this.prisma.broadcast.findMany({ where: { unitId: { in: [...part] }, status: { not: "draft" } }, orderBy: { id: "desc" }, take: limit });
      for (const r of rows) found.push({ ...r, audience: r.audience as BroadcastAudience, status: r.status as BroadcastRecord["status"] });
    }
    return found.sort((a, b) => b.id - a.id).slice(0, limit);
  }

  async pledgeList(filter: PledgeFilter, limit: number): Promise<{ rows: PledgeListRow[]; total: number }> {
    const where = {
      campaignId: filter.campaignId,
      ...(filter.phaseNumber === undefined ? {} : { phaseNumber: filter.phaseNumber }),
      ...(filter.status === undefined ? {} : { status: filter.status }),
      ...(filter.review === undefined ? {} : { review: filter.review }),
      ...(filter.titleKey === undefined ? {} : { items: { some: { type: "title", key: filter.titleKey } } }),
    };
    let total = 0;
    const picked: { id: number; code: string; fullName: string; kind: string; status: string; review: string; subscriberId: number; phaseNumber: number; unitId: number | null; createdAt: Date; items: { name: string }[] }[] = [];
    for (const part of chunks(filter.unitIds)) {
      const w = { ...where, unitId: { in: [...part] } };
      total += await this.prisma.pledge.count({ where: w });
      if (picked.length < limit) {
        picked.push(
          ...(await this.prisma.pledge.findMany({
            where: w,
            orderBy: { id: "desc" },
            take: limit,
            select: { id: true, code: true, fullName: true, kind: true, status: true, review: true, subscriberId: true, phaseNumber: true, unitId: true, createdAt: true, items: { where: { type: "title" }, select: { name: true } } },
          })),
        );
      }
    }
    picked.sort((a, b) => b.id - a.id);
    const rows = picked.slice(0, limit);
    const units = new Map((await this.prisma.unit.findMany({ where: { id: { in: [...new Set(rows.map((r) => r.unitId).filter((id): id is number => id !== null))] } }, select: UNIT_FIELDS })).map((u) => [u.id, u]));
    return {
      total,
      rows: rows.map((r) => ({
        id: r.id,
        code: r.code,
        fullName: r.fullName,
        kind: r.kind,
        status: r.status,
        review: r.review,
        subscriberId: r.subscriberId,
        phaseNumber: r.phaseNumber,
        unitCode: r.unitId === null ? "" : (units.get(r.unitId)?.code ?? ""),
        unitName: r.unitId === null ? "" : (units.get(r.unitId)?.name ?? ""),
        titles: r.items.map((i) => i.name).join("; "),
        createdAt: r.createdAt,
      })),
    };
  }

  async unregistered(unitId: number, campaignId: number) {
    const people = await this.prisma.subscriber.findMany({ where: { unitId, status: "active" }, select: { id: true, displayName: true, channel: true }, orderBy: { id: "asc" } });
    const pledged = new Set(
      (await this.prisma.pledge.findMany({ where: { unitId, campaignId, status: "active", kind: "individual" }, select: { subscriberId: true } })).map((p) => p.subscriberId),
    );
    return people
      .filter((p) => !pledged.has(p.id))
      .map((p) => ({ id: p.id, name: p.displayName ?? `#${p.id}`, channel: p.channel }))
      .sort((a, b) => a.name.localeCompare(b.name, "vi"));
  }

  async setMemberCount(unitId: number, memberCount: number): Promise<void> {
    await this.prisma.unit.update({ where: { id: unitId }, data: { memberCount } });
  }

  async officers(unitIds: readonly number[]): Promise<OfficerRow[]> {
    const out: OfficerRow[] = [];
    for (const part of chunks(unitIds)) {
      const grants = await this.prisma.officerGrant.findMany({ where: { revokedAt: null, unitId: { in: [...part] } }, orderBy: { id: "asc" } });
      if (grants.length === 0) continue;
      const people = new Map((await this.prisma.subscriber.findMany({ where: { id: { in: grants.map((g) => g.subscriberId) } }, select: { id: true, displayName: true, channel: true } })).map((s) => [s.id, s]));
      const units = new Map((await this.prisma.unit.findMany({ where: { id: { in: grants.map((g) => g.unitId) } }, select: UNIT_FIELDS })).map((u) => [u.id, u]));
      for (const g of grants) {
        const person = people.get(g.subscriberId);
        const unit = units.get(g.unitId);
        out.push({ grantId: g.id, subscriberId: g.subscriberId, name: person?.displayName ?? `#${g.subscriberId}`, channel: person?.channel ?? "", unitId: g.unitId, unitCode: unit?.code ?? "", unitName: unit?.name ?? "", grantedAt: g.grantedAt });
      }
    }
    return out;
  }

  async eventCounts(eventKeys: readonly string[]): Promise<Map<string, Record<NotificationStatus, number>>> {
    const out = new Map<string, Record<NotificationStatus, number>>();
    for (const part of chunks(eventKeys)) {
      const groups = await this.prisma.notification.groupBy({ by: ["eventKey", "status"], where: { eventKey: { in: [...part] } }, _count: { _all: true } });
      for (const g of groups) {
        const counts = out.get(g.eventKey) ?? (Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<NotificationStatus, number>);
        counts[g.status as NotificationStatus] = g._count._all;
        out.set(g.eventKey, counts);
      }
    }
    return out;
  }

  async failures(limit: number): Promise<FailedDelivery[]> {
    const groups = await this.prisma.notification.groupBy({
      by: ["eventKey", "status", "lastError"],
      where: { status: { in: ["failed", "blocked"] } },
      _count: { _all: true },
    });
    return groups
      .map((g) => ({ eventKey: g.eventKey, status: g.status as NotificationStatus, error: g.lastError ?? "", count: g._count._all }))
      .sort((a, b) => b.count - a.count)
      .slice(0, limit);
  }
}
