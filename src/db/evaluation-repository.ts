// EvaluationRepository on Prisma: one row per person and campaign; a proposal may be replaced until the decision,
// which is recorded once (conditional update), so two officers deciding at once decide once.
import type { EvaluationRecord, EvaluationRepository } from "../app/ports.js";
import type { DbClient } from "./client.js";

const ID_CHUNK = 500;
type Row = Awaited<ReturnType<DbClient["evaluation"]["findUniqueOrThrow"]>>;
const toRecord = (r: Row): EvaluationRecord => ({ ...r, decision: r.decision === "awarded" || r.decision === "not-awarded" ? r.decision : null });

export class PrismaEvaluationRepository implements EvaluationRepository {
  constructor(private readonly prisma: DbClient) {}

  async list(query: { campaignId: number; unitIds: readonly number[] }): Promise<EvaluationRecord[]> {
    const ids = [...new Set(query.unitIds)];
    const out: EvaluationRecord[] = [];
    for (let i = 0; i < ids.length; i += ID_CHUNK) {
      const rows = await this.prisma.evaluation.findMany({ where: { campaignId: query.campaignId, unitId: { in: ids.slice(i, i + ID_CHUNK) } }, orderBy: { id: "asc" } });
      out.push(...rows.map(toRecord));
    }
    return out.sort((a, b) => a.id - b.id);
  }

  async propose(input: { campaignId: number; subscriberId: number; pledgeId: number; unitId: number; fullName: string; titleKey: string | null; reason: string | null; bySubscriberId: number; now: Date }): Promise<EvaluationRecord | null> {
    const fields = { pledgeId: input.pledgeId, unitId: input.unitId, fullName: input.fullName, titleKey: input.titleKey, reason: input.reason, proposedById: input.bySubscriberId, proposedAt: input.now };
    return this.prisma.$transaction(async (tx) => {
      const key = { campaignId_subscriberId: { campaignId: input.campaignId, subscriberId: input.subscriberId } };
      const existing = await tx.evaluation.findUnique({ where: key });
      if (!existing) return toRecord(await tx.evaluation.create({ data: { campaignId: input.campaignId, subscriberId: input.subscriberId, ...fields } }));
      const { count } = await tx.evaluation.updateMany({ where: { id: existing.id, decision: null }, data: fields });
      return count === 0 ? null : toRecord(await tx.evaluation.findUniqueOrThrow({ where: { id: existing.id } }));
    });
  }

  async decide(input: { id: number; decision: "awarded" | "not-awarded"; decidedTitle: string | null; bySubscriberId: number; now: Date }): Promise<EvaluationRecord | null> {
    const { count } = await this.prisma.evaluation.updateMany({
      where: { id: input.id, decision: null },
      data: { decision: input.decision, decidedTitle: input.decidedTitle, decidedById: input.bySubscriberId, decidedAt: input.now },
    });
    return count === 0 ? null : toRecord(await this.prisma.evaluation.findUniqueOrThrow({ where: { id: input.id } }));
  }
}
