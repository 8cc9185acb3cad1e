// What the console reads and writes: the bot's own repositories (one source of truth with the chat commands) and a
// few queries only the console needs (src/db/console-repository.ts).
import type {
  BroadcastRecord,
  BroadcastRepository,
  CampaignRepository,
  InviteRepository,
  NotificationStatus,
  OfficerGrantRepository,
  OutboxRepository,
  PlannedEventRepository,
  PledgeReportRepository,
  PledgeRepository,
  RecipientRepository,
  SubscriberRepository,
  Unit,
  UnitFilingRepository,
  UnitRepository,
  EvaluationRepository,
  WebSessionRepository,
} from "../app/ports.js";

export interface AuditEntry {
  at: Date;
  actor: string;
  actorName: string;
  unitId: number | null;
  action: string;
  detail: Record<string, unknown>;
}

export interface PledgeListRow {
  id: number;
  code: string;
  fullName: string;
  kind: string;
  status: string;
  /** pending | approved | returned (PledgeReview). */
  review: string;
  subscriberId: number;
  phaseNumber: number;
  unitCode: string;
  unitName: string;
  titles: string;
  createdAt: Date;
}

export interface PledgeFilter {
  campaignId: number;
  unitIds: readonly number[];
  phaseNumber?: number;
  status?: "active" | "withdrawn";
  review?: "pending" | "approved" | "returned";
  titleKey?: string;
}

export interface OfficerRow {
  grantId: number;
  subscriberId: number;
  name: string;
  channel: string;
  unitId: number;
  unitCode: string;
  unitName: string;
  grantedAt: Date;
}

export interface FailedDelivery {
  eventKey: string;
  status: NotificationStatus;
  error: string;
  count: number;
}

export interface ConsoleQueries {
  /** Every stored unit code → its parent's code (for the units CSV checks). */
  parentCodes(): Promise<Map<string, string | null>>;
  /** Units without a parent, by code. */
  topUnits(): Promise<Unit[]>;
  audit(entry: AuditEntry): Promise<void>;
  auditLog(limit: number): Promise<(AuditEntry & { id: number })[]>;
  /** Active individual pledges of the phase in these units per day (for the per-day chart): one count per day start
   * given, each day up to the next start; the last day takes everything after its start. */
  pledgesPerDay(campaignId: number, phaseNumber: number, unitIds: readonly number[], dayStarts: readonly Date[]): Promise<number[]>;
  /** Broadcasts addressed inside these units (their unitId), newest first. */
  broadcastsFor(unitIds: readonly number[], limit: number): Promise<BroadcastRecord[]>;
  pledgeList(filter: PledgeFilter, limit: number): Promise<{ rows: PledgeListRow[]; total: number }>;
  /** Active subscribers of the unit without an active individual pledge in the campaign, by name. */
  unregistered(unitId: number, campaignId: number): Promise<{ id: number; name: string; channel: string }[]>;
  setMemberCount(unitId: number, memberCount: number): Promise<void>;
  /** Live grants whose unit is in scope, with the person's name. */
  officers(unitIds: readonly number[]): Promise<OfficerRow[]>;
  /** Outbox rows per event key and status. */
  eventCounts(eventKeys: readonly string[]): Promise<Map<string, Record<NotificationStatus, number>>>;
  /** Failed and blocked rows grouped by event and the platform's reason, most frequent first. */
  failures(limit: number): Promise<FailedDelivery[]>;
}

export interface ConsoleStore {
  campaigns: CampaignRepository;
  subscribers: SubscriberRepository;
  units: UnitRepository;
  invites: InviteRepository;
  officerGrants: OfficerGrantRepository;
  pledges: PledgeRepository;
  pledgeReports: PledgeReportRepository;
  outbox: OutboxRepository;
  plannedEvents: PlannedEventRepository;
  recipients: RecipientRepository;
  broadcasts: BroadcastRepository;
  webSessions: WebSessionRepository;
  unitFilings: UnitFilingRepository;
  evaluations: EvaluationRepository;
  queries: ConsoleQueries;
}
