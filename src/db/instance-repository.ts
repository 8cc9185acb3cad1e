// InstanceRepository on Prisma: one row per running bot process, its heartbeat refreshed every few seconds.
import type { InstanceInfo, InstanceRepository } from "../app/ports.js";
import type { DbClient } from "./client.js";

export class PrismaInstanceRepository implements InstanceRepository {
  constructor(private readonly prisma: DbClient) {}

  async register(instance: InstanceInfo, now: Date): Promise<void> {
    const data = { hostname: instance.hostname, pid: instance.pid, startedAt: instance.startedAt, heartbeatAt: now };
    await this.prisma.instance.upsert({ where: { id: instance.id }, create: { id: instance.id, ...data }, update: data });
  }

  async beat(id: string, now: Date): Promise<boolean> {
    const updated = await this.prisma.instance.updateMany({ where: { id }, data: { heartbeatAt: now } });
    return updated.count === 1;
  }

  async remove(id: string): Promise<void> {
    await this.prisma.instance.deleteMany({ where: { id } });
  }

  async prune(before: Date): Promise<number> {
    return (await this.prisma.instance.deleteMany({ where: { heartbeatAt: { lt: before } } })).count;
  }
}
