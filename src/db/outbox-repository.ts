// OutboxRepository on Prisma. Claims are one statement each: PostgreSQL locks the rows it takes and skips rows
// other instances hold (FOR UPDATE SKIP LOCKED); SQLite has one writer at a time, so the same UPDATE … RETURNING
// is atomic there without it.
import type { ChannelName, ClaimedNotification, NewNotification, NotificationStatus, OutboxRepository } from "../app/ports.js";
import type { DbClient } from "./client.js";
import type { Provider } from "./url.js";

const STATUSES: NotificationStatus[] = ["pending", "sending", "sent", "failed", "blocked", "skipped"];
/** Rows per INSERT: well under SQLite's 32,766 bound parameters (11 columns a row). */
const INSERT_CHUNK = 500;

type ClaimRow = {
  id: number;
  key: string;
  eventType: string;
  subscriberId: number;
  channel: string;
  chatId: string;
  text: string;
  attempts: number;
  expiresAt: Date | string | null;
  broadcastId: number | null;
  uncertain: boolean | number;
};

const asDate = (v: Date | string | number | null): Date | null => (v === null ? null : v instanceof Date ? v : new Date(v));

export class PrismaOutboxRepository implements OutboxRepository {
  constructor(
    private readonly prisma: DbClient,
    private readonly provider: Provider,
  ) {}

  async enqueue(rows: NewNotification[]): Promise<number> {
    let inserted = 0;
    for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
      const chunk = rows.slice(i, i + INSERT_CHUNK);
      const values: unknown[] = [];
      const tuples = chunk.map((r, j) => {
        const base = j * 11;
        values.push(r.key, r.eventKey, r.eventType, r.subscriberId, r.channel, r.chatId, r.text, r.notBefore, r.expiresAt, r.broadcastId ?? null, new Date());
        return `(${Array.from({ length: 11 }, (_, k) => this.param(base + k + 1)).join(", ")}, 'pending', 0, false)`;
      });
      inserted += await this.prisma.$executeRawUnsafe(
        `INSERT INTO "Notification" ("key", "eventKey", "eventType", "subscriberId", "channel", "chatId", "text", "notBefore", "expiresAt", "broadcastId", "createdAt", "status", "attempts", "uncertain")
         VALUES ${tuples.join(", ")} ON CONFLICT ("key") DO NOTHING`,
        ...values,
      );
    }
    return inserted;
  }

  async claim(workerId: string, now: Date, limit: number, staleBefore: Date): Promise<ClaimedNotification[]> {
    const p = (n: number) => this.param(n);
    const lock = this.provider === "postgresql" ? "FOR UPDATE SKIP LOCKED" : "";
    // A row still "sending" under an old claim was in flight when its worker died: it comes back, flagged uncertain.
    const rows = await this.prisma.$queryRawUnsafe<ClaimRow[]>(
      `UPDATE "Notification"
          SET "uncertain" = CASE WHEN "status" = 'sending' THEN true ELSE "uncertain" END,
              "status" = 'sending', "claimedBy" = ${p(1)}, "claimedAt" = ${p(2)}, "attempts" = "attempts" + 1
        WHERE "id" IN (
          SELECT "id" FROM "Notification"
           WHERE ("status" = 'pending' AND "notBefore" <= ${p(3)}) OR ("status" = 'sending' AND "claimedAt" < ${p(4)})
           ORDER BY "id" LIMIT ${p(5)} ${lock})
        RETURNING "id", "key", "eventType", "subscriberId", "channel", "chatId", "text", "attempts", "expiresAt", "broadcastId", "uncertain"`,
      workerId,
      now,
      now,
      staleBefore,
      limit,
    );
    return rows
      .map((r) => ({
        id: Number(r.id),
        key: r.key,
        eventType: r.eventType,
        subscriberId: Number(r.subscriberId),
        channel: r.channel as ChannelName,
        chatId: r.chatId,
        text: r.text,
        attempts: Number(r.attempts),
        expiresAt: asDate(r.expiresAt),
        broadcastId: r.broadcastId === null ? null : Number(r.broadcastId),
        uncertain: r.uncertain === true || r.uncertain === 1,
      }))
      .sort((a, b) => a.id - b.id);
  }

  async markSent(id: number, now: Date): Promise<void> {
    await this.finish(id, { status: "sent", sentAt: now, lastError: null });
  }

  async retryLater(id: number, error: string, retryAt: Date): Promise<void> {
    await this.finish(id, { status: "pending", notBefore: retryAt, lastError: error });
  }

  async markFailed(id: number, error: string): Promise<void> {
    await this.finish(id, { status: "failed", lastError: error });
  }

  async markBlocked(id: number, error: string): Promise<void> {
    await this.finish(id, { status: "blocked", lastError: error });
  }

  async markSkipped(id: number, reason: string): Promise<void> {
    await this.finish(id, { status: "skipped", lastError: reason });
  }

  async releaseClaims(workerId: string): Promise<void> {
    await this.prisma.notification.updateMany({
      where: { claimedBy: workerId, status: "sending" },
      data: { status: "pending", claimedBy: null, claimedAt: null, attempts: { decrement: 1 } },
    });
  }

  async countByStatus(filter: { broadcastId?: number; eventType?: string }): Promise<Record<NotificationStatus, number>> {
    const groups = await this.prisma.notification.groupBy({
      by: ["status"],
      where: { ...(filter.broadcastId !== undefined ? { broadcastId: filter.broadcastId } : {}), ...(filter.eventType ? { eventType: filter.eventType } : {}) },
      _count: { _all: true },
    });
    const counts = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<NotificationStatus, number>;
    for (const g of groups) counts[g.status as NotificationStatus] = g._count._all;
    return counts;
  }

  async dueCount(now: Date): Promise<number> {
    return this.prisma.notification.count({ where: { status: "pending", notBefore: { lte: now } } });
  }

  private async finish(id: number, data: Record<string, unknown>): Promise<void> {
    await this.prisma.notification.update({ where: { id }, data: { ...data, claimedBy: null, claimedAt: null } });
  }

  private param(n: number): string {
    return this.provider === "postgresql" ? `$${n}` : "?";
  }
}
