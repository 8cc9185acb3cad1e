// The storage adapters in one place, for the composition root.
import type { CampaignRepository, Health, SubscriberRepository, UnitRepository } from "../app/ports.js";
import type { DbClient } from "./client.js";
import { PrismaCampaignRepository } from "./campaign-repository.js";
import { PrismaHealth } from "./health.js";
import { PrismaSubscriberRepository } from "./subscriber-repository.js";
import { PrismaUnitRepository } from "./unit-repository.js";

export { openDatabase, type DbClient, type OpenDatabase, type Provider } from "./client.js";
export { migrate, MigrationError, type MigrateResult } from "./migrator.js";
export { PrismaCampaignRepository, PrismaHealth, PrismaSubscriberRepository, PrismaUnitRepository };

export interface Repositories {
  campaigns: CampaignRepository;
  subscribers: SubscriberRepository;
  units: UnitRepository;
  health: Health;
}

export function createRepositories(prisma: DbClient): Repositories {
  return {
    campaigns: new PrismaCampaignRepository(prisma),
    subscribers: new PrismaSubscriberRepository(prisma),
    units: new PrismaUnitRepository(prisma),
    health: new PrismaHealth(prisma),
  };
}
