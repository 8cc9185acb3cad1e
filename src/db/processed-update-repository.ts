// ProcessedUpdateRepository on Prisma: the primary key on the update's key makes the first claim win; a claim names
// its owner (an Instance), and a claim whose owner stopped beating is taken over by a compare-and-set on the owner,
// so when several instances see the same dead claim, exactly one takes it. The common case — a new update claimed,
// then finished — is one hand-written statement each (src/db/raw-sql.ts): INSERT … ON CONFLICT DO NOTHING RETURNING
// claims without a transaction or a caught unique violation, and only a key already there reads the row.
import type { ProcessedUpdateRepository, UpdateClaim, UpdateClaimant } from "../app/ports.js";
import type { DbClient } from "./client.js";
import { asDate, placeholder, rawSql, type RawSql } from "./raw-sql.js";
import type { Provider } from "./url.js";

/** Rounds of create → read → take over before giving up as busy (each round lost a race to another claimant). */
const MAX_ROUNDS = 5;

export class PrismaProcessedUpdateRepository implements ProcessedUpdateRepository {
  private readonly insertSql: string;
  private readonly readSql: string;
  private readonly finishSql: string;
  private readonly sql: RawSql;

  constructor(
    private readonly prisma: DbClient,
    provider: Provider,
  ) {
    this.sql = rawSql(prisma);
    const p = placeholder(provider);
    this.insertSql = `INSERT INTO "ProcessedUpdate" ("key", "status", "receivedAt", "owner") VALUES (${p(1)}, 'processing', ${p(2)}, ${p(3)}) ON CONFLICT ("key") DO NOTHING RETURNING "key"`;
    this.readSql = `SELECT "status", "owner", "receivedAt" FROM "ProcessedUpdate" WHERE "key" = ${p(1)}`;
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
