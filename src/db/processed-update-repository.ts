// ProcessedUpdateRepository on Prisma: the primary key on the update's key makes the first claim win.
import type { ProcessedUpdateRepository } from "../app/ports.js";
import type { DbClient } from "./client.js";
import { isUniqueViolation } from "./errors.js";

export class PrismaProcessedUpdateRepository implements ProcessedUpdateRepository {
  constructor(private readonly prisma: DbClient) {}

  async claim(key: string, now: Date, staleBefore: Date): Promise<boolean> {
    try {
      await this.prisma.processedUpdate.create({ data: { key, status: "processing", receivedAt: now } });
      return true;
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
    }
    // Seen before: take it over only from a handler that died mid-way.
    const takeover = await this.prisma.processedUpdate.updateMany({
      where: { key, status: "processing", receivedAt: { lt: staleBefore } },
      data: { receivedAt: now },
    });
    return takeover.count === 1;
  }

  async finish(key: string, now: Date): Promise<void> {
    await this.prisma.processedUpdate.update({ where: { key }, data: { status: "done", finishedAt: now } });
  }

  async release(key: string): Promise<void> {
    await this.prisma.processedUpdate.deleteMany({ where: { key, status: "processing" } });
  }
}
