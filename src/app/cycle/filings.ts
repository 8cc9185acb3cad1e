// Unit lists sent up the hierarchy and phase reports (sơ kết): the use-cases shared by the chat command (/report,
// ../handlers/report.ts) and the officer console. A unit's officers (a live grant of exactly that unit) file; officers
// of a unit above it (a grant whose subtree contains it, the unit itself excepted) see the status and decide on lists.
import { localDate } from "../../domain/clock.js";
import { listPhase, reportPhase } from "../../domain/cycle.js";
import type { PhaseDefinition } from "../../domain/campaign.js";
import { translator } from "../i18n.js";
import type {
  FilingDecision,
  FilingKind,
  FilingStatus,
  NewNotification,
  OfficerGrantRepository,
  PledgeReportRepository,
  PledgeRepository,
  StoredCampaign,
  Subscriber,
  SubscriberRepository,
  Unit,
  UnitFiling,
  UnitFilingRepository,
} from "../ports.js";

export interface FilingDeps {
  pledges: PledgeRepository;
  pledgeReports: PledgeReportRepository;
  unitFilings: UnitFilingRepository;
  officerGrants: OfficerGrantRepository;
  subscribers: SubscriberRepository;
  timezone: string;
}

/** A unit's figures for one phase, as the bot counts them (the report's prefill). */
export interface PhaseFigures {
  members: number;
  /** People with an active individual registration in the phase. */
  registered: number;
  approved: number;
  /** People whose approved registration they reported achieved (Đạt). */
  achieved: number;
  worksRegistered: number;
  worksDone: number;
  initiativesRegistered: number;
  initiativesDone: number;
}

export const FIGURE_KEYS = ["members", "registered", "approved", "achieved", "worksRegistered", "worksDone", "initiativesRegistered", "initiativesDone"] as const;

export async function phaseFigures(deps: Pick<FilingDeps, "pledges">, input: { campaignId: number; phaseNumber: number; unit: Unit }): Promise<PhaseFigures> {
  const query = { campaignId: input.campaignId, phaseNumber: input.phaseNumber, unitIds: [input.unit.id] };
  const all = (await deps.pledges.listApproved({ ...query, anyReview: true })).filter((p) => p.kind === "individual");
  const approved = all.filter((p) => p.review === "approved");
  const results = await deps.pledges.results(approved.map((p) => p.id));
  const done = (type: "work" | "initiative") => results.filter((r) => r.item.startsWith(`${type}:`) && r.outcome === "done").length;
  const count = (type: "work" | "initiative") => approved.reduce((n, p) => n + p.items.filter((i) => i.type === type).length, 0);
  const achievers = new Set(results.filter((r) => r.item === "pledge" && r.outcome === "achieved").map((r) => approved.find((p) => p.id === r.pledgeId)!.subscriberId));
  return {
    members: input.unit.memberCount,
    registered: new Set(all.map((p) => p.subscriberId)).size,
    approved: new Set(approved.map((p) => p.subscriberId)).size,
    achieved: achievers.size,
    worksRegistered: count("work"),
    worksDone: done("work"),
    initiativesRegistered: count("initiative"),
    initiativesDone: done("initiative"),
  };
}

/** The officer's grant unit is a leaf: a grassroots union (CĐCS), which files; a unit with children receives. */
export const isLeaf = (scope: readonly Unit[]) => scope.length === 1;

export interface UnitFilingStatus {
  unit: Unit;
  status: FilingStatus | "none";
  filing: UnitFiling | null;
}

/** The grassroots units (leaves) under the officer's grant, each with its filing of `kind` for the phase. */
export async function filingStatuses(deps: Pick<FilingDeps, "unitFilings">, input: { campaignId: number; phaseNumber: number; kind: FilingKind; scope: readonly Unit[] }): Promise<UnitFilingStatus[]> {
  const parents = new Set(input.scope.map((u) => u.parentId));
  const leaves = input.scope.filter((u, i) => i > 0 && !parents.has(u.id));
  const filings = await deps.unitFilings.list({ campaignId: input.campaignId, phaseNumber: input.phaseNumber, kind: input.kind, unitIds: leaves.map((u) => u.id) });
  return leaves.map((unit) => {
    const filing = filings.find((f) => f.unitId === unit.id) ?? null;
    return { unit, status: filing?.status ?? "none", filing };
  });
}

export type SendRefusal = "noPhase" | "notLeaf" | "pendingLeft" | "alreadySent" | "alreadyAccepted";
export type SendResult = { ok: true; filing: UnitFiling; phase: PhaseDefinition } | { ok: false; reason: SendRefusal; count?: number; phase?: PhaseDefinition };

/** A grassroots union's officer sends the unit's compiled list for the phase running today. */
export async function sendList(deps: FilingDeps, input: { officer: Pick<Subscriber, "id">; scope: readonly Unit[]; campaign: StoredCampaign; now: Date }): Promise<SendResult> {
  const phase = listPhase(input.campaign.definition, localDate(input.now, deps.timezone));
  if (!phase) return { ok: false, reason: "noPhase" };
  if (!isLeaf(input.scope)) return { ok: false, reason: "notLeaf", phase };
  const unit = input.scope[0]!;
  // The list is what the unit approved: nothing may still wait for its review.
  const { total } = await deps.pledges.listPending({ campaignIds: [input.campaign.id], unitIds: [unit.id], limit: 1 });
  if (total > 0) return { ok: false, reason: "pendingLeft", count: total, phase };
  const figures = await phaseFigures(deps, { campaignId: input.campaign.id, phaseNumber: phase.number, unit });
  const filing = await deps.unitFilings.submit({ campaignId: input.campaign.id, phaseNumber: phase.number, unitId: unit.id, kind: "list", data: { registered: figures.registered, approved: figures.approved }, bySubscriberId: input.officer.id, now: input.now });
  if (filing) return { ok: true, filing, phase };
  const [current] = await deps.unitFilings.list({ campaignId: input.campaign.id, phaseNumber: phase.number, kind: "list", unitIds: [unit.id] });
  return { ok: false, reason: current?.status === "accepted" ? "alreadyAccepted" : "alreadySent", phase };
}

export type DecideRefusal = "noPhase" | "notFound" | "notSent" | "alreadyAccepted" | "alreadyReturned";
export type DecideResult = { ok: true; filing: UnitFiling; unit: Unit } | { ok: false; reason: DecideRefusal; code: string };

/** The live officers of exactly this unit (who filed for it, and are told the decision). */
export async function unitOfficers(deps: Pick<FilingDeps, "officerGrants" | "subscribers">, unitId: number): Promise<Subscriber[]> {
  const grants = (await deps.officerGrants.list()).filter((g) => g.unitId === unitId);
  const people = await Promise.all([...new Set(grants.map((g) => g.subscriberId))].map((id) => deps.subscribers.findById(id)));
  return people.filter((s): s is Subscriber => s !== null && s.status === "active");
}

/** The level above accepts or returns a unit's list for the phase running today; the unit's officers are told. */
export async function decideList(
  deps: FilingDeps,
  input: { officer: Pick<Subscriber, "id">; scope: readonly Unit[]; campaign: StoredCampaign; unitCode: string; decision: FilingDecision; now: Date },
): Promise<DecideResult> {
  const code = input.unitCode.trim().toUpperCase();
  const phase = listPhase(input.campaign.definition, localDate(input.now, deps.timezone));
  if (!phase) return { ok: false, reason: "noPhase", code };
  // Strictly below the officer's unit: nobody decides on their own unit's list.
  const unit = input.scope.slice(1).find((u) => u.code.toUpperCase() === code);
  if (!unit) return { ok: false, reason: "notFound", code };
  const [filing] = await deps.unitFilings.list({ campaignId: input.campaign.id, phaseNumber: phase.number, kind: "list", unitIds: [unit.id] });
  if (!filing) return { ok: false, reason: "notSent", code: unit.code };
  if (filing.status !== "submitted") return { ok: false, reason: filing.status === "accepted" ? "alreadyAccepted" : "alreadyReturned", code: unit.code };
  const officers = await unitOfficers(deps, unit.id);
  const notices: Omit<NewNotification, "key" | "eventKey" | "eventType">[] = officers.map((s) => ({
    subscriberId: s.id,
    channel: s.channel,
    chatId: s.chatId,
    text:
      input.decision.kind === "accept"
        ? translator(s.locale)("filing.notice.accepted", { unit: unit.name, phase: phase.name })
        : translator(s.locale)("filing.notice.returned", { unit: unit.name, phase: phase.name, reason: input.decision.reason }),
    notBefore: input.now,
    expiresAt: null,
  }));
  const decided = await deps.unitFilings.decide({ id: filing.id, decision: input.decision, bySubscriberId: input.officer.id, now: input.now, notices });
  if (!decided) return { ok: false, reason: "alreadyAccepted", code: unit.code };
  return { ok: true, filing: decided, unit };
}

/** The report's content besides the figures. */
export interface ReportContent {
  figures: PhaseFigures;
  /** True when the officer corrected the bot's figures. */
  corrected: boolean;
  highlights: string;
  exemplary: string | null;
  proposals: string | null;
}

export type ReportSubmitResult = { ok: true; filing: UnitFiling } | { ok: false; reason: "alreadySent" };

export async function submitReport(
  deps: Pick<FilingDeps, "unitFilings">,
  input: { officer: Pick<Subscriber, "id">; campaignId: number; phaseNumber: number; unit: Unit; content: ReportContent; now: Date },
): Promise<ReportSubmitResult> {
  const filing = await deps.unitFilings.submit({
    campaignId: input.campaignId,
    phaseNumber: input.phaseNumber,
    unitId: input.unit.id,
    kind: "report",
    data: { ...input.content },
    bySubscriberId: input.officer.id,
    now: input.now,
  });
  return filing ? { ok: true, filing } : { ok: false, reason: "alreadySent" };
}

/** The phase whose report is open today, or null. */
export const openReportPhase = (campaign: StoredCampaign, now: Date, timezone: string) => reportPhase(campaign.definition, localDate(now, timezone));
