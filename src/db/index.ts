// The storage adapters in one place, for the composition root.
import type { CampaignRepository, Health, InviteRepository, PledgeReportRepository, PledgeRepository, ProcessedUpdateRepository, SessionRepository, SubscriberRepository, UnitRepository } from "../app/ports.js";
import type { DbClient } from "./client.js";
import { PrismaCampaignRepository } from "./campaign-repository.js";
import { PrismaHealth } from "./health.js";
import { PrismaInviteRepository } from "./invite-repository.js";
import { PrismaPledgeReportRepository } from "./pledge-report-repository.js";
import { PrismaPledgeRepository } from "./pledge-repository.js";
import { PrismaProcessedUpdateRepository } from "./processed-update-repository.js";
import { PrismaSessionRepository } from "./session-repository.js";
import { PrismaSubscriberRepository } from "./subscriber-repository.js";
import { PrismaUnitRepository } from "./unit-repository.js";

export { openDatabase, type DbClient, type OpenDatabase, type Provider } from "./client.js";
export { migrate, MigrationError, type MigrateResult } from "./migrator.js";
export { PrismaCampaignRepository, PrismaHealth, PrismaSubscriberRepository, PrismaUnitRepository };

export interface Repositories {
  campaigns: CampaignRepository;
  subscribers: SubscriberRepository;
  units: UnitRepository;
  sessions: SessionRepository;
  invites: InviteRepository;
  processedUpdates: ProcessedUpdateRepository;
  pledges: PledgeRepository;
  pledgeReports: PledgeReportRepository;
  health: Health;
}

export function createRepositories(prisma: DbClient): Repositories {
  return {
    campaigns: new PrismaCampaignRepository(prisma),
    subscribers: new PrismaSubscriberRepository(prisma),
    units: new PrismaUnitRepository(prisma),
    sessions: new PrismaSessionRepository(prisma),
    invites: new PrismaInviteRepository(prisma),
    processedUpdates: new PrismaProcessedUpdateRepository(prisma),
    pledges: new PrismaPledgeRepository(prisma),
    pledgeReports: new PrismaPledgeReportRepository(prisma),
    health: new PrismaHealth(prisma),
  };
}
