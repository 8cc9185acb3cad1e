// RecipientRepository on Prisma: an audience read in id order, one batch at a time (keyset pagination), so a
// broadcast to 100,000 people holds one batch in memory, not the audience. "Without a pledge" is checked per batch
// (there is no relation from Subscriber to Pledge to filter on).
import type { AudienceFilter, RecipientRepository, Subscriber } from "../app/ports.js";
import type { DbClient } from "./client.js";
import type { Prisma } from "./generated/sqlite/client.js";
import { toSubscriber } from "./subscriber-repository.js";

function where(filter: AudienceFilter): Prisma.SubscriberWhereInput {
  const units: Prisma.SubscriberWhereInput[] = [];
  if (filter.unitIds === null) units.push({ unitId: { not: null } });
  else if (filter.unitIds.length > 0) units.push({ unitId: { in: filter.unitIds } });
  if (filter.includeNoUnit) units.push({ unitId: null });
  return {
    status: "active",
    OR: units.length > 0 ? units : [{ id: -1 }],
    ...(filter.role ? { role: filter.role } : {}),
  };
}

export class PrismaRecipientRepository implements RecipientRepository {
  constructor(private readonly prisma: DbClient) {}

  async *stream(filter: AudienceFilter, batchSize: number): AsyncIterable<Subscriber[]> {
    let after = 0;
    for (;;) {
      const rows = await this.prisma.subscriber.findMany({ where: { ...where(filter), id: { gt: after } }, orderBy: { id: "asc" }, take: batchSize });
      if (rows.length === 0) return;
      after = rows.at(-1)!.id;
      const batch = rows.map(toSubscriber);
      yield filter.withoutPledgeIn ? await this.withoutPledge(batch, filter.withoutPledgeIn) : batch;
    }
  }

  async count(filter: AudienceFilter): Promise<number> {
    if (!filter.withoutPledgeIn) return this.prisma.subscriber.count({ where: where(filter) });
    let total = 0;
    for await (const batch of this.stream(filter, 1000)) total += batch.length;
    return total;
  }

  /** The members of `batch` with no active individual pledge in the phase. */
  private async withoutPledge(batch: Subscriber[], phase: { campaignId: number; phaseNumber: number }): Promise<Subscriber[]> {
    const pledged = await this.prisma.pledge.findMany({
      where: { ...phase, status: "active", kind: "individual", subscriberId: { in: batch.map((s) => s.id) } },
      select: { subscriberId: true },
    });
    const has = new Set(pledged.map((p) => p.subscriberId));
    return batch.filter((s) => !has.has(s.id));
  }
}
