// BroadcastRepository on Prisma. Confirmation is one conditional update: a second confirm of the same broadcast
// changes nothing and says so.
import type { BroadcastAudience, BroadcastRecord, BroadcastRepository } from "../app/ports.js";
import type { DbClient } from "./client.js";

type Row = Awaited<ReturnType<DbClient["broadcast"]["findUniqueOrThrow"]>>;

const toRecord = (r: Row): BroadcastRecord => ({
  ...r,
  audience: r.audience as BroadcastAudience,
  status: r.status === "done" || r.status === "confirmed" || r.status === "cancelled" ? r.status : "draft",
});

export class PrismaBroadcastRepository implements BroadcastRepository {
  constructor(private readonly prisma: DbClient) {}

  async createDraft(input: { senderId: number; audience: BroadcastAudience; unitId: number | null; text: string; recipients: number; now: Date; sendAt?: Date | null; campaignId?: number | null; phaseNumber?: number | null }): Promise<BroadcastRecord> {
    const { now, ...data } = input;
    return toRecord(await this.prisma.broadcast.create({ data: { ...data, createdAt: now } }));
  }

  async cancel(id: number): Promise<boolean> {
    const { count } = await this.prisma.broadcast.updateMany({ where: { id, status: "draft" }, data: { status: "cancelled" } });
    return count === 1;
  }

  async confirm(id: number, now: Date): Promise<boolean> {
    const { count } = await this.prisma.broadcast.updateMany({ where: { id, status: "draft" }, data: { status: "confirmed", confirmedAt: now } });
    return count === 1;
  }

  async markDone(id: number, now: Date): Promise<boolean> {
    const { count } = await this.prisma.broadcast.updateMany({ where: { id, status: "confirmed" }, data: { status: "done", finishedAt: now } });
    return count === 1;
  }

  async find(id: number): Promise<BroadcastRecord | null> {
    const row = await this.prisma.broadcast.findUnique({ where: { id } });
    return row ? toRecord(row) : null;
  }

  async listBySender(senderId: number, limit: number): Promise<BroadcastRecord[]> {
    return (await this.prisma.broadcast.findMany({ where: { senderId }, orderBy: { id: "desc" }, take: limit })).map(toRecord);
  }

  async listUnfinished(): Promise<BroadcastRecord[]> {
    return (await this.prisma.broadcast.findMany({ where: { status: "confirmed" }, orderBy: { id: "asc" } })).map(toRecord);
  }
}
