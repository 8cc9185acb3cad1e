// PledgeRepository on Prisma: a pledge, its items and its history change together, in one transaction.
import type { Pledge, PledgeDraft, PledgeEvent, PledgeItem, PledgeRepository } from "../app/ports.js";
import type { DbClient, DbTransaction } from "./client.js";

const WITH_ITEMS = { items: { orderBy: { id: "asc" } } } as const;

type PledgeRow = Awaited<ReturnType<DbClient["pledge"]["findUniqueOrThrow"]>> & {
  items: { type: string; key: string | null; name: string; description: string | null; targetDate: string | null; anniversaryKey: string | null }[];
};

function toItem(row: PledgeRow["items"][number]): PledgeItem {
  return {
    type: row.type as PledgeItem["type"],
    name: row.name,
    ...(row.key !== null ? { key: row.key } : {}),
    ...(row.description !== null ? { description: row.description } : {}),
    ...(row.targetDate !== null ? { targetDate: row.targetDate } : {}),
    ...(row.anniversaryKey !== null ? { anniversaryKey: row.anniversaryKey } : {}),
  };
}

function toPledge(row: PledgeRow): Pledge {
  return {
    id: row.id,
    code: row.code,
    campaignId: row.campaignId,
    phaseNumber: row.phaseNumber,
    subscriberId: row.subscriberId,
    kind: row.kind === "collective" ? "collective" : "individual",
    unitId: row.unitId,
    fullName: row.fullName,
    position: row.position,
    commitment: row.commitment,
    status: row.status === "withdrawn" ? "withdrawn" : "active",
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    items: row.items.map(toItem),
  };
}

const itemRows = (items: PledgeItem[]) =>
  items.map((i) => ({
    type: i.type,
    key: i.key ?? null,
    name: i.name,
    description: i.description ?? null,
    targetDate: i.targetDate ?? null,
    anniversaryKey: i.anniversaryKey ?? null,
  }));

const fields = (d: PledgeDraft) => ({
  campaignId: d.campaignId,
  phaseNumber: d.phaseNumber,
  kind: d.kind,
  unitId: d.unitId,
  fullName: d.fullName,
  position: d.position,
  commitment: d.commitment,
});

/** The draft fields whose value differs, for the history. */
function changedFields(before: Pledge, after: PledgeDraft): string[] {
  const keys = ["phaseNumber", "kind", "unitId", "fullName", "position", "commitment"] as const;
  const changed: string[] = keys.filter((k) => before[k] !== after[k]);
  if (JSON.stringify(itemRows(before.items)) !== JSON.stringify(itemRows(after.items))) changed.push("items");
  return changed;
}

export class PrismaPledgeRepository implements PledgeRepository {
  constructor(private readonly prisma: DbClient) {}

  async create(draft: PledgeDraft, subscriberId: number, codePrefix: string, now: Date): Promise<Pledge> {
    return this.prisma.$transaction(async (tx) => {
      // A provisional unique code, replaced by one derived from the row id (unique by construction).
      const provisional = `${codePrefix}-tmp-${subscriberId}-${now.getTime()}-${Math.random().toString(36).slice(2)}`;
      const created = await tx.pledge.create({
        data: { ...fields(draft), code: provisional, subscriberId, createdAt: now, items: { create: itemRows(draft.items) } },
      });
      const row = await tx.pledge.update({
        where: { id: created.id },
        data: { code: `${codePrefix}-${String(created.id).padStart(6, "0")}` },
        include: WITH_ITEMS,
      });
      await tx.pledgeEvent.create({ data: { pledgeId: row.id, action: "created", subscriberId, at: now } });
      return toPledge(row);
    });
  }

  async update(id: number, draft: PledgeDraft, bySubscriberId: number, now: Date): Promise<Pledge> {
    return this.prisma.$transaction(async (tx) => {
      const before = toPledge(await this.load(tx, id));
      await tx.pledgeItem.deleteMany({ where: { pledgeId: id } });
      const row = await tx.pledge.update({
        where: { id },
        data: { ...fields(draft), items: { create: itemRows(draft.items) } },
        include: WITH_ITEMS,
      });
      await tx.pledgeEvent.create({
        data: { pledgeId: id, action: "edited", subscriberId: bySubscriberId, at: now, detail: JSON.stringify({ changed: changedFields(before, draft) }) },
      });
      return toPledge(row);
    });
  }

  async withdraw(id: number, bySubscriberId: number, now: Date): Promise<Pledge> {
    return this.prisma.$transaction(async (tx) => {
      const row = await tx.pledge.update({ where: { id }, data: { status: "withdrawn" }, include: WITH_ITEMS });
      await tx.pledgeEvent.create({ data: { pledgeId: id, action: "withdrawn", subscriberId: bySubscriberId, at: now } });
      return toPledge(row);
    });
  }

  async findByCode(code: string): Promise<Pledge | null> {
    const row = await this.prisma.pledge.findUnique({ where: { code }, include: WITH_ITEMS });
    return row ? toPledge(row) : null;
  }

  async listBySubscriber(subscriberId: number): Promise<Pledge[]> {
    const rows = await this.prisma.pledge.findMany({ where: { subscriberId }, include: WITH_ITEMS, orderBy: { id: "desc" } });
    return rows.map(toPledge);
  }

  async history(id: number): Promise<PledgeEvent[]> {
    const rows = await this.prisma.pledgeEvent.findMany({ where: { pledgeId: id }, orderBy: { id: "asc" } });
    return rows.map((r) => ({
      action: r.action as PledgeEvent["action"],
      subscriberId: r.subscriberId,
      at: r.at,
      detail: JSON.parse(r.detail) as Record<string, unknown>,
    }));
  }

  private async load(tx: DbTransaction, id: number): Promise<PledgeRow> {
    return tx.pledge.findUniqueOrThrow({ where: { id }, include: WITH_ITEMS });
  }
}
