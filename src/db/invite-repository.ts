// InviteRepository on Prisma. Redemption is one conditional update, so two people racing with the same code
// cannot both win; the grant it gives is written in the same transaction.
import type { InviteRedemption, InviteRefusal, InviteRepository } from "../app/ports.js";
import type { DbClient } from "./client.js";
import { grantOfficer } from "./officer-grant-repository.js";

export class PrismaInviteRepository implements InviteRepository {
  constructor(private readonly prisma: DbClient) {}

  async create(input: { codeHash: string; role: "officer"; unitId: number; expiresAt: Date }): Promise<void> {
    await this.prisma.inviteCode.create({ data: input });
  }

  async check(codeHash: string, now: Date): Promise<{ ok: true; unitId: number } | { ok: false; reason: InviteRefusal; unitId?: number }> {
    const invite = await this.prisma.inviteCode.findUnique({ where: { codeHash } });
    if (!invite) return { ok: false, reason: "unknown" };
    if (invite.usedAt) return { ok: false, reason: "used", unitId: invite.unitId };
    if (invite.expiresAt <= now) return { ok: false, reason: "expired", unitId: invite.unitId };
    return { ok: true, unitId: invite.unitId };
  }

  async redeem(codeHash: string, subscriberId: number, now: Date): Promise<InviteRedemption> {
    return this.prisma.$transaction(async (tx) => {
      const won = await tx.inviteCode.updateMany({
        where: { codeHash, usedAt: null, expiresAt: { gt: now } },
        data: { usedAt: now, usedById: subscriberId },
      });
      const invite = await tx.inviteCode.findUnique({ where: { codeHash } });
      if (!invite) return { ok: false, reason: "unknown" };
      if (won.count !== 1) return { ok: false, reason: invite.usedAt ? "used" : "expired", unitId: invite.unitId };
      const grant = await grantOfficer(tx, { subscriberId, unitId: invite.unitId, inviteId: invite.id, now });
      return { ok: true, role: "officer", unitId: invite.unitId, grantId: grant.id };
    });
  }
}
