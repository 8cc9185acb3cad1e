// UnitFilingRepository on Prisma: a unit's list or report for a phase, its status changes and their history in one
// transaction each; a decision's notices go to the outbox in that same transaction.
import type { FilingDecision, FilingKind, NewNotification, UnitFiling, UnitFilingEvent, UnitFilingRepository } from "../app/ports.js";
import type { DbClient } from "./client.js";
import { notificationData } from "./outbox-repository.js";

const ID_CHUNK = 500;

type Row = Awaited<ReturnType<DbClient["unitFiling"]["findUniqueOrThrow"]>>;

const toFiling = (r: Row): UnitFiling => ({
  id: r.id,
  campaignId: r.campaignId,
  phaseNumber: r.phaseNumber,
  unitId: r.unitId,
  kind: r.kind as FilingKind,
  status: r.status as UnitFiling["status"],
  data: JSON.parse(r.data) as Record<string, unknown>,
  note: r.note,
  submittedById: r.submittedById,
  submittedAt: r.submittedAt,
  decidedById: r.decidedById,
  decidedAt: r.decidedAt,
});

export class PrismaUnitFilingRepository implements UnitFilingRepository {
  constructor(private readonly prisma: DbClient) {}

  async list(query: { campaignId: number; phaseNumber: number; kind: FilingKind; unitIds: readonly number[] }): Promise<UnitFiling[]> {
    const ids = [...new Set(query.unitIds)];
    const out: UnitFiling[] = [];
    for (let i = 0; i < ids.length; i += ID_CHUNK) {
      const rows = await this.prisma.unitFiling.findMany({
        where: { campaignId: query.campaignId, phaseNumber: query.phaseNumber, kind: query.kind, unitId: { in: ids.slice(i, i + ID_CHUNK) } },
      });
      out.push(...rows.map(toFiling));
    }
    return out;
  }

  async submit(input: { campaignId: number; phaseNumber: number; unitId: number; kind: FilingKind; data: Record<string, unknown>; bySubscriberId: number; now: Date }): Promise<UnitFiling | null> {
    const { campaignId, phaseNumber, unitId, kind, now } = input;
    const fields = { status: "submitted", data: JSON.stringify(input.data), note: null, submittedById: input.bySubscriberId, submittedAt: now, decidedById: null, decidedAt: null };
    return this.prisma.$transaction(async (tx) => {
      const key = { campaignId_phaseNumber_unitId_kind: { campaignId, phaseNumber, unitId, kind } };
      const existing = await tx.unitFiling.findUnique({ where: key });
      let row: Row;
      if (!existing) row = await tx.unitFiling.create({ data: { campaignId, phaseNumber, unitId, kind, ...fields } });
      else {
        // Only a returned filing is sent again; the condition makes two officers sending at once submit once.
        const { count } = await tx.unitFiling.updateMany({ where: { id: existing.id, status: "returned" }, data: fields });
        if (count === 0) return null;
        row = await tx.unitFiling.findUniqueOrThrow({ where: { id: existing.id } });
      }
      await tx.unitFilingEvent.create({ data: { filingId: row.id, action: "submitted", subscriberId: input.bySubscriberId, at: now } });
      return toFiling(row);
    });
  }

  async decide(input: { id: number; decision: FilingDecision; bySubscriberId: number; now: Date; notices: Omit<NewNotification, "key" | "eventKey" | "eventType">[] }): Promise<UnitFiling | null> {
    const { id, decision, now } = input;
    const accepted = decision.kind === "accept";
    return this.prisma.$transaction(async (tx) => {
      const { count } = await tx.unitFiling.updateMany({
        where: { id, status: "submitted" },
        data: { status: accepted ? "accepted" : "returned", note: accepted ? null : decision.reason, decidedById: input.bySubscriberId, decidedAt: now },
      });
      if (count === 0) return null;
      const event = await tx.unitFilingEvent.create({
        data: { filingId: id, action: accepted ? "accepted" : "returned", subscriberId: input.bySubscriberId, at: now, detail: JSON.stringify(accepted ? {} : { reason: decision.reason }) },
      });
      const eventKey = `unit-filing:${id}:${event.id}`;
      for (const n of input.notices) await tx.notification.create({ data: { ...notificationData(n), key: `${eventKey}:${n.subscriberId}`, eventKey, eventType: "unit-filing" } });
      return toFiling(await tx.unitFiling.findUniqueOrThrow({ where: { id } }));
    });
  }

  async history(id: number): Promise<UnitFilingEvent[]> {
    const rows = await this.prisma.unitFilingEvent.findMany({ where: { filingId: id }, orderBy: { id: "asc" } });
    return rows.map((r) => ({ action: r.action as UnitFilingEvent["action"], subscriberId: r.subscriberId, at: r.at, detail: JSON.parse(r.detail) as Record<string, unknown> }));
  }
}
