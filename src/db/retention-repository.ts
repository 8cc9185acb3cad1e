// RetentionRepository on Prisma: the daily clean-up's deletes (src/app/retention.ts says what and when).
import type { RetentionRepository } from "../app/ports.js";
import type { DbClient } from "./client.js";

/** Final states: nothing will send these again. */
const FINISHED = ["sent", "failed", "blocked", "skipped"];

export class PrismaRetentionRepository implements RetentionRepository {
  constructor(private readonly prisma: DbClient) {}

  async deleteFinishedNotifications(before: Date): Promise<number> {
    // A broadcast still being delivered keeps its rows: its progress and its delivery report count them.
    const unfinished = (await this.prisma.broadcast.findMany({ where: { status: "confirmed" }, select: { id: true } })).map((b) => b.id);
    const notOfUnfinished = { OR: [{ broadcastId: null }, { broadcastId: { notIn: unfinished } }] };
    const sent = await this.prisma.notification.deleteMany({ where: { status: { in: FINISHED }, sentAt: { lt: before }, ...notOfUnfinished } });
    // Failed, blocked and skipped rows carry no sentAt: their creation time counts.
    const unsent = await this.prisma.notification.deleteMany({ where: { status: { in: FINISHED }, sentAt: null, createdAt: { lt: before }, ...notOfUnfinished } });
    return sent.count + unsent.count;
  }

  async deleteProcessedUpdates(before: Date): Promise<number> {
    // Only handled ones: a claim in flight belongs to a running handler.
    return (await this.prisma.processedUpdate.deleteMany({ where: { status: "done", receivedAt: { lt: before } } })).count;
  }

  async deleteExpiredSessions(before: Date, idleBefore: Date): Promise<number> {
    return (
      await this.prisma.chatSession.deleteMany({
        where: { OR: [{ expiresAt: { lt: before } }, { expiresAt: null, updatedAt: { lt: idleBefore } }] },
      })
    ).count;
  }

  async deleteUnsavedPhotos(before: Date): Promise<number> {
    return (await this.prisma.resultPhoto.deleteMany({ where: { savedAt: null, at: { lt: before } } })).count;
  }

  async deleteEndedWebSessions(before: Date): Promise<number> {
    return (await this.prisma.webSession.deleteMany({ where: { OR: [{ expiresAt: { lt: before } }, { revokedAt: { lt: before } }] } })).count;
  }
}
