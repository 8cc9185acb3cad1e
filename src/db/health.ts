// Health on Prisma: the database answers a trivial query within a time limit.
import type { Health } from "../app/ports.js";
import type { DbClient } from "./client.js";

export class PrismaHealth implements Health {
  constructor(
    private readonly prisma: DbClient,
    private readonly timeoutMs = 2000,
  ) {}

  async databaseReachable(): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), this.timeoutMs);
    });
    try {
      const probe = this.prisma.$queryRawUnsafe("SELECT 1").then(
        () => true,
        () => false,
      );
      return await Promise.race([probe, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}
