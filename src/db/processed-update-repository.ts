// ProcessedUpdateRepository on Prisma: the primary key on the update's key makes the first claim win; a claim names
// its owner (an Instance), and a claim whose owner stopped beating is taken over by a compare-and-set on the owner,
// so when several instances see the same dead claim, exactly one takes it. The common case — a new update claimed,
// then finished — is one hand-written statement each (src/db/raw-sql.ts): INSERT … ON CONFLICT DO NOTHING RETURNING
// claims without a transaction or a caught unique violation, and only a key already there reads the row.
// claimForTurn adds the reads a turn starts with (subscriber, session): on PostgreSQL in the same statement, so an
// update costs one round trip before the conversation instead of three.
import type { ChannelName, ProcessedUpdateRepository, TurnState, UpdateClaim, UpdateClaimant } from "../app/ports.js";
import type { DbClient } from "./client.js";
import { asDate, placeholder, rawSql, type RawSql } from "./raw-sql.js";
import { SESSION_COLUMNS, sessionFromRow, PrismaSessionRepository, type RawSessionRow } from "./session-repository.js";
import { SUBSCRIBER_COLUMNS, subscriberFromRow, PrismaSubscriberRepository, type RawSubscriberRow } from "./subscriber-repository.js";
import type { Provider } from "./url.js";

/** Rounds of create → read → take over before giving up as busy (each round lost a race to another claimant). */
const MAX_ROUNDS = 5;

export class PrismaProcessedUpdateRepository implements ProcessedUpdateRepository {
  private readonly insertSql: string;
  private readonly readSql: string;
  private readonly finishSql: string;
  private readonly sql: RawSql;
  /** PostgreSQL: the claim's insert and the turn's two reads as one statement (one round trip). */
  private readonly claimTurnSql: string;
  /** SQLite (no INSERT in a WITH): the reads on their own, run right after the insert (no round trips there). */
  private readonly subscribers: PrismaSubscriberRepository;
  private readonly sessions: PrismaSessionRepository;

  constructor(
    private readonly prisma: DbClient,
    provider: Provider,
  ) {
    this.sql = rawSql(prisma);
    const p = placeholder(provider);
    this.insertSql = `INSERT INTO "ProcessedUpdate" ("key", "status", "receivedAt", "owner") VALUES (${p(1)}, 'processing', ${p(2)}, ${p(3)}) ON CONFLICT ("key") DO NOTHING RETURNING "key"`;
    this.readSql = `SELECT "status", "owner", "receivedAt" FROM "ProcessedUpdate" WHERE "key" = ${p(1)}`;
    // The SELECT sees the tables as they were when the statement began: the insert touches neither of them.
    this.claimTurnSql = `WITH "claimed" AS (${this.insertSql})
      SELECT EXISTS (SELECT 1 FROM "claimed") AS "claimed", ${SUBSCRIBER_COLUMNS.map((c) => `s."${c}" AS "s_${c}"`).join(", ")}, ${SESSION_COLUMNS.map((c) => `c."${c}" AS "c_${c}"`).join(", ")}
      FROM (SELECT 1) AS "one"
      LEFT JOIN "Subscriber" AS s ON s."channel" = ${p(4)} AND s."chatId" = ${p(5)}
      LEFT JOIN "ChatSession" AS c ON c."channel" = ${p(4)} AND c."chatId" = ${p(5)}`;
    this.subscribers = new PrismaSubscriberRepository(prisma, provider);
    this.sessions = new PrismaSessionRepository(prisma, provider);
    this.finishSql = `UPDATE "ProcessedUpdate" SET "status" = 'done', "finishedAt" = ${p(1)} WHERE "key" = ${p(2)} AND "status" = 'processing' AND "owner" = ${p(3)}`;
  }

  async claim(key: string, claimant: UpdateClaimant): Promise<UpdateClaim> {
    const { instanceId, now, deadBefore } = claimant;
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const inserted = await this.sql.query(this.insertSql, key, now, instanceId);
      if (inserted.length === 1) return "claimed";
      const [found] = await this.sql.query<{ status: string; owner: string | null; receivedAt: Date | string | number }>(this.readSql, key);
      if (!found) continue; // released between our insert and our read: insert again
      const row = { ...found, receivedAt: asDate(found.receivedAt) };
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

  async claimForTurn(key: string, claimant: UpdateClaimant, chat: { channel: ChannelName; chatId: string }): Promise<{ claim: UpdateClaim; state: TurnState | null }> {
    const { instanceId, now } = claimant;
    if (this.sql.provider === "postgresql") {
      const [row] = await this.sql.query<Record<string, unknown> & { claimed: boolean }>(this.claimTurnSql, key, now, instanceId, chat.channel, chat.chatId);
      if (row?.claimed) {
        const part = <T>(prefix: string, columns: readonly string[]) => Object.fromEntries(columns.map((c) => [c, row[`${prefix}${c}`]])) as T;
        return this.claimedWith(key, instanceId, async () => ({
          subscriber: row.s_id === null ? null : subscriberFromRow(part<RawSubscriberRow>("s_", SUBSCRIBER_COLUMNS)),
          session: row.c_data === null ? null : sessionFromRow(part<RawSessionRow>("c_", SESSION_COLUMNS)),
        }));
      }
    } else if ((await this.sql.query(this.insertSql, key, now, instanceId)).length === 1) {
      return this.claimedWith(key, instanceId, async () => ({ subscriber: await this.subscribers.find(chat.channel, chat.chatId), session: await this.sessions.get(chat.channel, chat.chatId) }));
    }
    // Already there: done, busy, or a dead owner's claim to take over.
    return { claim: await this.claim(key, claimant), state: null };
  }

  /**
   * A won claim with the turn's state. The claim is ours from the insert on: when reading the state fails (a driver
   * fault, a stored session that does not parse) it is given back, so a redelivery is handled instead of waiting on a
   * claim that this live instance would never finish.
   */
  private async claimedWith(key: string, instanceId: string, read: () => Promise<TurnState>): Promise<{ claim: UpdateClaim; state: TurnState }> {
    try {
      return { claim: "claimed", state: await read() };
    } catch (error) {
      await this.release(key, instanceId).catch(() => {});
      throw error;
    }
  }

  async finish(key: string, instanceId: string, now: Date): Promise<boolean> {
    if ((await this.sql.execute(this.finishSql, now, key, instanceId)) === 1) return true;
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
