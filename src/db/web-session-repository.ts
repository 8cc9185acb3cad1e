// WebSessionRepository on Prisma: browser sessions by the hash of their token.
import type { WebSessionKind, WebSessionRecord, WebSessionRepository } from "../app/ports.js";
import type { DbClient } from "./client.js";

type Row = Omit<WebSessionRecord, "kind"> & { kind: string; tokenHash: string };

const toRecord = ({ tokenHash: _hash, ...row }: Row): WebSessionRecord => ({ ...row, kind: row.kind as WebSessionKind });

export class PrismaWebSessionRepository implements WebSessionRepository {
  constructor(private readonly prisma: DbClient) {}

  async create(input: { tokenHash: string; kind: WebSessionKind; subject: string; now: Date; expiresAt: Date }): Promise<WebSessionRecord> {
    const { now, ...rest } = input;
    return toRecord(await this.prisma.webSession.create({ data: { ...rest, createdAt: now, lastSeenAt: now } }));
  }

  async findByHash(tokenHash: string): Promise<WebSessionRecord | null> {
    const row = await this.prisma.webSession.findUnique({ where: { tokenHash } });
    return row ? toRecord(row) : null;
  }

  async touch(id: number, at: Date): Promise<void> {
    await this.prisma.webSession.updateMany({ where: { id, revokedAt: null }, data: { lastSeenAt: at } });
  }

  async revoke(id: number, at: Date): Promise<boolean> {
    const { count } = await this.prisma.webSession.updateMany({ where: { id, revokedAt: null, expiresAt: { gt: at } }, data: { revokedAt: at } });
    return count === 1;
  }

  async findUnended(kind: WebSessionKind, subjects: readonly string[], at: Date): Promise<WebSessionRecord[]> {
    if (subjects.length === 0) return [];
    return (await this.prisma.webSession.findMany({ where: { kind, subject: { in: [...subjects] }, revokedAt: null, expiresAt: { gt: at } } })).map(toRecord);
  }

  async revokeAll(kind: WebSessionKind, subject: string, at: Date): Promise<number> {
    const { count } = await this.prisma.webSession.updateMany({ where: { kind, subject, revokedAt: null, expiresAt: { gt: at } }, data: { revokedAt: at } });
    return count;
  }
}
