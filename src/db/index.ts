// The storage adapters in one place, for the composition root.
import type { BroadcastRepository, CampaignRepository, Health, InstanceRepository, ErasureRepository, InviteRepository, OfficerGrantRepository, OutboxRepository, PlannedEventRepository, PledgeReportRepository, PledgeRepository, ProcessedUpdateRepository, RecipientRepository, RetentionRepository, SessionRepository, SubscriberRepository, UnitRepository, WebSessionRepository, UnitFilingRepository, EvaluationRepository } from "../app/ports.js";
import type { OpenDatabase } from "./client.js";
import { PrismaBroadcastRepository } from "./broadcast-repository.js";
import { PrismaUnitFilingRepository } from "./unit-filing-repository.js";
import { PrismaEvaluationRepository } from "./evaluation-repository.js";
import { PrismaCampaignRepository } from "./campaign-repository.js";
import { PrismaHealth } from "./health.js";
import { PrismaInstanceRepository } from "./instance-repository.js";
import { PrismaErasureRepository } from "./erasure-repository.js";
import { PrismaInviteRepository } from "./invite-repository.js";
import { PrismaOfficerGrantRepository } from "./officer-grant-repository.js";
import { PrismaOutboxRepository } from "./outbox-repository.js";
import { PrismaPlannedEventRepository } from "./planned-event-repository.js";
import { PrismaPledgeReportRepository } from "./pledge-report-repository.js";
import { PrismaPledgeRepository } from "./pledge-repository.js";
import { PrismaProcessedUpdateRepository } from "./processed-update-repository.js";
import { PrismaRecipientRepository } from "./recipient-repository.js";
import { PrismaRetentionRepository } from "./retention-repository.js";
import { PrismaSessionRepository } from "./session-repository.js";
import { PrismaSubscriberRepository } from "./subscriber-repository.js";
import { PrismaUnitRepository } from "./unit-repository.js";
import { PrismaWebSessionRepository } from "./web-session-repository.js";

export { openDatabase, type DbClient, type OpenDatabase, type Provider } from "./client.js";
export { migrate, MigrationError, type MigrateResult } from "./migrator.js";
export { PrismaCampaignRepository, PrismaHealth, PrismaSubscriberRepository, PrismaUnitRepository };

export interface Repositories {
  campaigns: CampaignRepository;
  subscribers: SubscriberRepository;
  units: UnitRepository;
  sessions: SessionRepository;
  /** Browser sessions (web chat, officer console). */
  webSessions: WebSessionRepository;
  invites: InviteRepository;
  officerGrants: OfficerGrantRepository;
  processedUpdates: ProcessedUpdateRepository;
  instances: InstanceRepository;
  pledges: PledgeRepository;
  pledgeReports: PledgeReportRepository;
  outbox: OutboxRepository;
  plannedEvents: PlannedEventRepository;
  recipients: RecipientRepository;
  broadcasts: BroadcastRepository;
  erasure: ErasureRepository;
  retention: RetentionRepository;
  unitFilings: UnitFilingRepository;
  evaluations: EvaluationRepository;
  health: Health;
}

export function createRepositories(db: OpenDatabase): Repositories {
  const { prisma } = db;
  return {
    campaigns: new PrismaCampaignRepository(prisma),
    subscribers: new PrismaSubscriberRepository(prisma, db.provider),
    units: new PrismaUnitRepository(prisma),
    sessions: new PrismaSessionRepository(prisma, db.provider),
    webSessions: new PrismaWebSessionRepository(prisma),
    invites: new PrismaInviteRepository(prisma),
    officerGrants: new PrismaOfficerGrantRepository(prisma),
    processedUpdates: new PrismaProcessedUpdateRepository(prisma, db.provider),
    instances: new PrismaInstanceRepository(prisma),
    pledges: new PrismaPledgeRepository(prisma, db.provider),
    pledgeReports: new PrismaPledgeReportRepository(prisma),
    outbox: new PrismaOutboxRepository(prisma, db.provider),
    plannedEvents: new PrismaPlannedEventRepository(prisma),
    recipients: new PrismaRecipientRepository(prisma),
    broadcasts: new PrismaBroadcastRepository(prisma),
    erasure: new PrismaErasureRepository(prisma),
    retention: new PrismaRetentionRepository(prisma),
    unitFilings: new PrismaUnitFilingRepository(prisma),
    evaluations: new PrismaEvaluationRepository(prisma),
    health: new PrismaHealth(prisma),
  };
}
