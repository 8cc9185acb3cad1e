// PlannedEventRepository on Prisma: one row per scheduled campaign event once it is planned or skipped.
import type { PlannedEventRecord, PlannedEventRepository } from "../app/ports.js";
import type { DbClient } from "./client.js";
import { isUniqueViolation } from "./errors.js";

export class PrismaPlannedEventRepository implements PlannedEventRepository {
  constructor(private readonly prisma: DbClient) {}

  async known(keys: string[]): Promise<Set<string>> {
    if (keys.length === 0) return new Set();
    const rows = await this.prisma.plannedEvent.findMany({ where: { key: { in: keys } }, select: { key: true } });
    return new Set(rows.map((r) => r.key));
  }

  async record(event: PlannedEventRecord): Promise<boolean> {
    try {
      await this.prisma.plannedEvent.create({ data: event });
      return true;
    } catch (error) {
      // Another instance recorded it first: the same event, planned once.
      if (!isUniqueViolation(error)) throw error;
      return false;
    }
  }

  async list(campaignId?: number): Promise<PlannedEventRecord[]> {
    const rows = await this.prisma.plannedEvent.findMany({ where: campaignId === undefined ? {} : { campaignId }, orderBy: [{ dueAt: "asc" }, { key: "asc" }] });
    return rows.map((r) => ({ ...r, status: r.status === "skipped" ? "skipped" : "planned" }));
  }
}
