// OfficerGrantRepository on Prisma, and the one transaction step that grants (shared with invitation redemption and
// makeOfficer). Subscriber.role follows the grants in the same transaction: "officer" exactly while one is live.
import type { OfficerGrant, OfficerGrantRepository, OfficerGrantTarget } from "../app/ports.js";
import type { DbClient, DbTransaction } from "./client.js";

/** Grants `unitId` to the person and makes them an officer; their own unit is left alone. */
export async function grantOfficer(tx: DbTransaction, input: { subscriberId: number; unitId: number; inviteId: number | null; now: Date }): Promise<OfficerGrant> {
  const grant = await tx.officerGrant.create({ data: { subscriberId: input.subscriberId, unitId: input.unitId, inviteId: input.inviteId, grantedAt: input.now } });
  await tx.subscriber.update({ where: { id: input.subscriberId }, data: { role: "officer" } });
  return grant;
}

export class PrismaOfficerGrantRepository implements OfficerGrantRepository {
  constructor(private readonly prisma: DbClient) {}

  live(subscriberId: number): Promise<OfficerGrant | null> {
    return this.prisma.officerGrant.findFirst({ where: { subscriberId, revokedAt: null }, orderBy: [{ grantedAt: "desc" }, { id: "desc" }] });
  }

  list(options: { includeRevoked?: boolean } = {}): Promise<OfficerGrant[]> {
    return this.prisma.officerGrant.findMany({ where: options.includeRevoked ? {} : { revokedAt: null }, orderBy: { id: "asc" } });
  }

  async revoke(target: OfficerGrantTarget, by: string, now: Date): Promise<OfficerGrant[]> {
    return this.prisma.$transaction(async (tx) => {
      let where: { revokedAt: null; subscriberId?: number; inviteId?: number };
      if ("subscriberId" in target) where = { revokedAt: null, subscriberId: target.subscriberId };
      else {
        const invite = await tx.inviteCode.findUnique({ where: { codeHash: target.inviteCodeHash }, select: { id: true } });
        if (!invite) return [];
        where = { revokedAt: null, inviteId: invite.id };
      }
      const grants = await tx.officerGrant.findMany({ where, orderBy: { id: "asc" } });
      if (grants.length === 0) return [];
      await tx.officerGrant.updateMany({ where: { id: { in: grants.map((g) => g.id) }, revokedAt: null }, data: { revokedAt: now, revokedBy: by } });
      for (const subscriberId of new Set(grants.map((g) => g.subscriberId))) {
        const stillLive = await tx.officerGrant.count({ where: { subscriberId, revokedAt: null } });
        if (stillLive === 0) await tx.subscriber.updateMany({ where: { id: subscriberId }, data: { role: "member" } });
      }
      return grants.map((g) => ({ ...g, revokedAt: now, revokedBy: by }));
    });
  }
}
