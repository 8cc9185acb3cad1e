// OutboxRepository on Prisma. Claims are one statement each: PostgreSQL locks the rows it takes and skips rows
// other instances hold (FOR UPDATE SKIP LOCKED); SQLite has one writer at a time, so the same UPDATE … RETURNING
// is atomic there without it.
//
// The hot path of a large broadcast stays cheap whatever the size of the table: a claim reads its rows straight off
// the (status, notBefore) index (stale claims first, then due rows, earliest due first), so its cost is that of the
// batch, not of the rows already sent or still waiting; rows marked sent at about the same moment share one UPDATE
// (each caller still waits until its own row is written); and the delivery worker looks up the subscribers of the
// rows in flight together (subscriberStates).
import type { ChannelName, Choice, ClaimedNotification, NewNotification, Locale, NotificationStatus, OutboxRepository, Subscriber } from "../app/ports.js";
import { DEFAULT_LOCALE, isLocale } from "../app/i18n.js";
import type { DbClient } from "./client.js";
import type { Provider } from "./url.js";

const STATUSES: NotificationStatus[] = ["pending", "sending", "sent", "failed", "blocked", "skipped"];
/** Rows per INSERT: well under SQLite's 32,766 bound parameters (12 columns a row). */
const INSERT_CHUNK = 500;
/** A chunk with at most this many different texts sends each text once. */
const TEXT_DICTIONARY = 8;

type ColumnType = "text" | "int" | "timestamp";
const PG_TYPE: Record<ColumnType, string> = { text: "text", int: "integer", timestamp: "timestamp(3)" };

/** The columns enqueue writes, in order ("createdAt" is the time of the insert). */
const INSERT_COLUMNS: { name: string; type: ColumnType; pick: (r: NewNotification) => unknown }[] = [
  { name: "key", type: "text", pick: (r) => r.key },
  { name: "eventKey", type: "text", pick: (r) => r.eventKey },
  { name: "eventType", type: "text", pick: (r) => r.eventType },
  { name: "subscriberId", type: "int", pick: (r) => r.subscriberId },
  { name: "channel", type: "text", pick: (r) => r.channel },
  { name: "chatId", type: "text", pick: (r) => r.chatId },
  { name: "text", type: "text", pick: (r) => r.text },
  { name: "choices", type: "text", pick: (r) => storedChoices(r.choices) },
  { name: "notBefore", type: "timestamp", pick: (r) => r.notBefore },
  { name: "expiresAt", type: "timestamp", pick: (r) => r.expiresAt },
  { name: "broadcastId", type: "int", pick: (r) => r.broadcastId ?? null },
  { name: "createdAt", type: "timestamp", pick: () => null },
];

/** The stored form of a notification's choices: JSON text, or null when it has none. */
export const storedChoices = (choices: readonly Choice[] | undefined): string | null => (choices?.length ? JSON.stringify(choices) : null);

/** A notification as Prisma creates it, for the repositories that enqueue one inside their own transaction. */
export const notificationData = <T extends { choices?: Choice[] }>(n: T): Omit<T, "choices"> & { choices: string | null } => ({ ...n, choices: storedChoices(n.choices) });

const sameValue = (a: unknown, b: unknown): boolean => (a instanceof Date && b instanceof Date ? a.getTime() === b.getTime() : a === b);

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
  choices: string | null;
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
  /** Their language, for the words a channel adds to the text itself (Zalo's "reply with a number"). */
  locale: Locale;
}

const subscriberStatus = (status: string): Subscriber["status"] => (status === "stopped" || status === "blocked" ? status : "active");

export class PrismaOutboxRepository implements OutboxRepository {
  constructor(
    private readonly prisma: DbClient,
    private readonly provider: Provider,
  ) {}

  /**
   * One INSERT per 500 rows. A value the whole chunk shares (a broadcast's event, channel, due time; its text in each
   * language) is sent once, not once a row: Prisma serializes every parameter of a raw query, and 5,500 of them per
   * statement made the enqueue of a large broadcast slow and its garbage large.
   */
  async enqueue(rows: NewNotification[]): Promise<number> {
    let inserted = 0;
    for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
      const { sql, values } = this.insertStatement(rows.slice(i, i + INSERT_CHUNK), new Date());
      inserted += await this.prisma.$executeRawUnsafe(sql, ...values);
    }
    return inserted;
  }

  /**
   * INSERT … SELECT … FROM (VALUES …): a column whose value is the same in every row is one parameter in the SELECT
   * list; the text, when the chunk has only a few different ones, is one parameter per text, picked per row by its
   * number (a literal the code generates, never data); every other value is a parameter of its row.
   */
  private insertStatement(chunk: NewNotification[], createdAt: Date): { sql: string; values: unknown[] } {
    // Placeholders are numbered in the order they appear in the text (SQLite's "?" are positional), so the SELECT
    // list and the rows are first built as cells, then written out in that order.
    type Cell = { value: unknown; type: ColumnType } | { literal: string };
    const select: (Cell | { column: number } | { column: number; texts: string[] })[] = [];
    const rowCells: Cell[][] = chunk.map(() => []);
    for (const column of INSERT_COLUMNS) {
      const pick = column.name === "createdAt" ? () => createdAt : column.pick;
      const first = pick(chunk[0]!);
      if (column.name !== "key" && chunk.every((r) => sameValue(pick(r), first))) {
        select.push({ value: first, type: column.type });
        continue;
      }
      const texts = column.name === "text" ? [...new Set(chunk.map((r) => r.text))] : [];
      if (texts.length > 0 && texts.length <= TEXT_DICTIONARY) {
        const index = new Map(texts.map((t, k) => [t, k]));
        chunk.forEach((r, j) => rowCells[j]!.push({ literal: String(index.get(r.text)) }));
        select.push({ column: rowCells[0]!.length, texts });
        continue;
      }
      chunk.forEach((r, j) => rowCells[j]!.push({ value: pick(r), type: column.type }));
      select.push({ column: rowCells[0]!.length });
    }
    const values: unknown[] = [];
    const pg = this.provider === "postgresql";
    const cell = (c: Cell): string => {
      if ("literal" in c) return c.literal;
      if (c.value === null || c.value === undefined) return pg ? `NULL::${PG_TYPE[c.type]}` : "NULL";
      values.push(c.value);
      return pg ? `${this.param(values.length)}::${PG_TYPE[c.type]}` : this.param(values.length);
    };
    const selectList = select.map((part) => {
      if (!("column" in part)) return cell(part);
      if (!("texts" in part)) return `v.column${part.column}`;
      return `CASE v.column${part.column} ${part.texts.map((t, k) => `WHEN ${k} THEN ${cell({ value: t, type: "text" })}`).join(" ")} END`;
    });
    const rows = rowCells.map((r) => `(${r.map(cell).join(", ")})`);
    const sql = `INSERT INTO "Notification" (${INSERT_COLUMNS.map((c) => `"${c.name}"`).join(", ")}, "status", "attempts", "uncertain")
       SELECT ${selectList.join(", ")}, 'pending', 0, false
         FROM (VALUES ${rows.join(", ")}) AS v
        WHERE true
       ON CONFLICT ("key") DO NOTHING`;
    return { sql, values };
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
        RETURNING "id", "key", "eventType", "subscriberId", "channel", "chatId", "text", "choices", "attempts", "expiresAt", "broadcastId", "uncertain"`,
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
      choices: r.choices ? (JSON.parse(r.choices) as Choice[]) : null,
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
      const rows = await this.prisma.$queryRawUnsafe<{ id: number | bigint; channel: string; chatId: string; status: string; locale: string }[]>(
        `SELECT "id", "channel", "chatId", "status", "locale" FROM "Subscriber" WHERE "id" IN (${chunk.map((_, k) => this.param(k + 1)).join(", ")})`,
        ...chunk,
      );
      for (const r of rows) states.set(Number(r.id), { channel: r.channel as ChannelName, chatId: r.chatId, status: subscriberStatus(r.status), locale: isLocale(r.locale) ? r.locale : DEFAULT_LOCALE });
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
