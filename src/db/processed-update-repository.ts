// ProcessedUpdateRepository on Prisma: the primary key on the update's key makes the first claim win; a claim names
// its owner (an Instance), and a claim whose owner stopped beating is taken over by a compare-and-set on the owner,
// so when several instances see the same dead claim, exactly one takes it.
import type { ProcessedUpdateRepository, UpdateClaim, UpdateClaimant } from "../app/ports.js";
import type { DbClient } from "./client.js";
import { isUniqueViolation } from "./errors.js";

/** Rounds of create → read → take over before giving up as busy (each round lost a race to another claimant). */
const MAX_ROUNDS = 5;

export class PrismaProcessedUpdateRepository implements ProcessedUpdateRepository {
  constructor(private readonly prisma: DbClient) {}

  async claim(key: string, claimant: UpdateClaimant): Promise<UpdateClaim> {
    const { instanceId, now, deadBefore } = claimant;
    for (let round = 0; round < MAX_ROUNDS; round++) {
      try {
        await this.prisma.processedUpdate.create({ data: { key, status: "processing", receivedAt: now, owner: instanceId } });
        return "claimed";
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
      }
      const row = await this.prisma.processedUpdate.findUnique({ where: { key }, select: { status: true, owner: true, receivedAt: true } });
      if (!row) continue; // released between our insert and our read: insert again
      if (row.status !== "processing") return "done";
      if (row.owner === instanceId) return "busy";
      if (!(await this.ownerDead(row.owner, row.receivedAt, deadBefore))) return "busy";
      // Take it over only if nobody did since we read it: the owner is the version.
      const takeover = await this.prisma.processedUpdate.updateMany({
        where: { key, status: "processing", owner: row.owner, ...(row.owner === null ? { receivedAt: row.receivedAt } : {}) },
        data: { owner: instanceId, receivedAt: now },
      });
      if (takeover.count === 1) return "claimed";
    }
    return "busy";
  }

  async finish(key: string, instanceId: string, now: Date): Promise<boolean> {
    const updated = await this.prisma.processedUpdate.updateMany({
      where: { key, status: "processing", owner: instanceId },
      data: { status: "done", finishedAt: now },
    });
    if (updated.count === 1) return true;
    // Taken over meanwhile: the update is handled all the same (perhaps twice); record it as done unless it is.
    await this.prisma.processedUpdate.updateMany({ where: { key, status: "processing" }, data: { status: "done", finishedAt: now } });
    return false;
  }

  async release(key: string, instanceId: string): Promise<void> {
    await this.prisma.processedUpdate.deleteMany({ where: { key, status: "processing", owner: instanceId } });
  }

  /** An owner is dead when its instance is gone or silent since before `deadBefore`; no owner: judged by the claim's age. */
  private async ownerDead(owner: string | null, receivedAt: Date, deadBefore: Date): Promise<boolean> {
    if (owner === null) return receivedAt.getTime() < deadBefore.getTime();
    const instance = await this.prisma.instance.findUnique({ where: { id: owner }, select: { heartbeatAt: true } });
    return !instance || instance.heartbeatAt.getTime() < deadBefore.getTime();
  }
}
