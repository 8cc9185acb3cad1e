// OutboxRepository on Prisma. Claims are one statement each: PostgreSQL locks the rows it takes and skips rows
// other instances hold (FOR UPDATE SKIP LOCKED); SQLite has one writer at a time, so the same UPDATE … RETURNING
// is atomic there without it.
//
// The hot path of a large broadcast stays cheap whatever the size of the table: a claim reads its rows straight off
// the (status, notBefore) index (stale claims first, then due rows, earliest due first), so its cost is that of the
// batch, not of the rows already sent or still waiting; rows marked sent at about the same moment share one UPDATE
// (each caller still waits until its own row is written); and the delivery worker looks up the subscribers of the
// rows in flight together (subscriberStates).
import type { ChannelName, ClaimedNotification, NewNotification, NotificationStatus, OutboxRepository, Subscriber } from "../app/ports.js";
import type { DbClient } from "./client.js";
import type { Provider } from "./url.js";

const STATUSES: NotificationStatus[] = ["pending", "sending", "sent", "failed", "blocked", "skipped"];
/** Rows per INSERT: well under SQLite's 32,766 bound parameters (11 columns a row). */
const INSERT_CHUNK = 500;
/** Rows per grouped "sent" UPDATE (three parameters a row) and ids per subscriber lookup. */
const GROUP_CHUNK = 500;

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

/** What the delivery worker checks before a send (the same reading of the stored status as toSubscriber's). */
export interface SubscriberState {
  channel: ChannelName;
  chatId: string;
  status: Subscriber["status"];
}

const subscriberStatus = (status: string): Subscriber["status"] => (status === "stopped" || status === "blocked" ? status : "active");

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
    // A row still "sending" under an old claim was in flight when its worker died: it comes back first, flagged
    // uncertain. Then due rows, earliest due first (on SQLite ties in id order, read off the index; on PostgreSQL
    // in the index's order, which an "id" tie-break would turn into a sort of every due row).
    const stale = await this.claimWhere(workerId, now, limit, `"status" = 'sending' AND "claimedAt" < ${this.param(3)}`, `"id"`, staleBefore);
    const left = limit - stale.length;
    const due =
      left > 0
        ? await this.claimWhere(workerId, now, left, `"status" = 'pending' AND "notBefore" <= ${this.param(3)}`, this.provider === "postgresql" ? `"notBefore"` : `"notBefore", "id"`, now)
        : [];
    return [...stale, ...due].sort((a, b) => a.id - b.id);
  }

  /** One claim statement: the first `limit` rows matching `where` (its one parameter is $3) in `orderBy`. */
  private async claimWhere(workerId: string, now: Date, limit: number, where: string, orderBy: string, bound: Date): Promise<ClaimedNotification[]> {
    const p = (n: number) => this.param(n);
    const lock = this.provider === "postgresql" ? "FOR UPDATE SKIP LOCKED" : "";
    const rows = await this.prisma.$queryRawUnsafe<ClaimRow[]>(
      `UPDATE "Notification"
          SET "uncertain" = CASE WHEN "status" = 'sending' THEN true ELSE "uncertain" END,
              "status" = 'sending', "claimedBy" = ${p(1)}, "claimedAt" = ${p(2)}, "attempts" = "attempts" + 1
        WHERE "id" IN (SELECT "id" FROM "Notification" WHERE ${where} ORDER BY ${orderBy} LIMIT ${p(4)} ${lock})
        RETURNING "id", "key", "eventType", "subscriberId", "channel", "chatId", "text", "attempts", "expiresAt", "broadcastId", "uncertain"`,
      workerId,
      now,
      bound,
      limit,
    );
    return rows.map((r) => ({
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
    }));
  }

  /**
   * The channel, chat and status of these subscribers, one query per 500 ids; an id with no subscriber is absent.
   * For the delivery worker's check before each send (src/delivery/outbox-worker.ts, lookupSubscribers).
   */
  async subscriberStates(ids: readonly number[]): Promise<Map<number, SubscriberState>> {
    const states = new Map<number, SubscriberState>();
    const unique = [...new Set(ids)];
    for (let i = 0; i < unique.length; i += GROUP_CHUNK) {
      const chunk = unique.slice(i, i + GROUP_CHUNK);
      const rows = await this.prisma.$queryRawUnsafe<{ id: number | bigint; channel: string; chatId: string; status: string }[]>(
        `SELECT "id", "channel", "chatId", "status" FROM "Subscriber" WHERE "id" IN (${chunk.map((_, k) => this.param(k + 1)).join(", ")})`,
        ...chunk,
      );
      for (const r of rows) states.set(Number(r.id), { channel: r.channel as ChannelName, chatId: r.chatId, status: subscriberStatus(r.status) });
    }
    return states;
  }

  /**
   * Marks the row sent. Rows marked while an earlier group is being written wait for the next group, and each group is
   * one UPDATE: under load a few rows share a round trip (and, on SQLite, a commit), while the promise of each still
   * resolves only once its own row is written, as with one UPDATE each.
   */
  markSent(id: number, now: Date): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.sentQueue.push({ id, at: now, resolve, reject });
      this.scheduleSentFlush();
    });
  }

  private readonly sentQueue: { id: number; at: Date; resolve: () => void; reject: (error: unknown) => void }[] = [];
  private sentFlushing = false;

  private scheduleSentFlush(): void {
    if (this.sentFlushing || this.sentQueue.length === 0) return;
    this.sentFlushing = true;
    // After the I/O of this turn of the event loop: the sends that finished together are written together.
    setImmediate(() => {
      const group = this.sentQueue.splice(0, GROUP_CHUNK);
      this.writeSent(group)
        .then((written) => {
          for (const item of group) {
            if (written.has(item.id)) item.resolve();
            else item.reject(new Error(`notification ${item.id} not found: it could not be marked sent`));
          }
        })
        .catch((error: unknown) => {
          for (const item of group) item.reject(error);
        })
        .finally(() => {
          this.sentFlushing = false;
          this.scheduleSentFlush();
        });
    });
  }

  /** One UPDATE for the group, each row with its own sentAt; the ids that were written. */
  private async writeSent(group: { id: number; at: Date }[]): Promise<Set<number>> {
    const values: unknown[] = [];
    const p = (value: unknown) => {
      values.push(value);
      return this.param(values.length);
    };
    const at = this.provider === "postgresql" ? (d: Date) => `${p(d)}::timestamp(3)` : (d: Date) => p(d);
    const cases = group.map((g) => `WHEN ${p(g.id)} THEN ${at(g.at)}`).join(" ");
    const ids = group.map((g) => p(g.id)).join(", ");
    const rows = await this.prisma.$queryRawUnsafe<{ id: number | bigint }[]>(
      `UPDATE "Notification"
          SET "status" = 'sent', "sentAt" = CASE "id" ${cases} END, "lastError" = NULL, "claimedBy" = NULL, "claimedAt" = NULL
        WHERE "id" IN (${ids})
        RETURNING "id"`,
      ...values,
    );
    return new Set(rows.map((r) => Number(r.id)));
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
