// InviteRepository on Prisma. Redemption is one conditional update, so two people racing with the same code
// cannot both win.
import type { InviteRedemption, InviteRepository } from "../app/ports.js";
import type { DbClient } from "./client.js";

export class PrismaInviteRepository implements InviteRepository {
  constructor(private readonly prisma: DbClient) {}

  async create(input: { codeHash: string; role: "officer"; unitId: number; expiresAt: Date }): Promise<void> {
    await this.prisma.inviteCode.create({ data: input });
  }

  async redeem(codeHash: string, subscriberId: number, now: Date): Promise<InviteRedemption> {
    const won = await this.prisma.inviteCode.updateMany({
      where: { codeHash, usedAt: null, expiresAt: { gt: now } },
      data: { usedAt: now, usedById: subscriberId },
    });
    const invite = await this.prisma.inviteCode.findUnique({ where: { codeHash } });
    if (!invite) return { ok: false, reason: "unknown" };
    if (won.count === 1) return { ok: true, role: "officer", unitId: invite.unitId };
    return { ok: false, reason: invite.usedAt ? "used" : "expired" };
  }
}
