// Year-end evaluation (bình xét) and commendation (biểu dương), the app-layer functions the officer console and the
// admin CLI call. Union rule: nobody is considered for a title who did not register ("không xét … không đăng ký"), so a
// proposal needs the person's approved registration in the campaign. A unit's officer proposes for the people of
// their scope; an officer of a unit above decides (never on their own unit's people). From the awarded decisions the
// bot drafts a commendation message, which goes out through the ordinary broadcast dispatch.
import { enqueueBroadcast, audienceFilter, BROADCAST_MAX_TEXT, type BroadcastDispatchDeps } from "../broadcast-dispatch.js";
import { t } from "../i18n.js";
import type { EvaluationRecord, EvaluationRepository, Locale, Pledge, PledgeRepository, PledgeResult, StoredCampaign, Subscriber, Unit } from "../ports.js";
import { titleName } from "../pledge-text.js";

export interface EvaluationDeps {
  pledges: PledgeRepository;
  evaluations: EvaluationRepository;
}

/** One person of a unit for the evaluation: their approved registrations, results and the proposal/decision so far. */
export interface Candidate {
  unit: Unit;
  subscriberId: number;
  fullName: string;
  pledges: Pledge[];
  results: PledgeResult[];
  evaluation: EvaluationRecord | null;
}

/** Per unit of the scope, the people with an approved individual registration in the campaign. */
export async function evaluationCandidates(deps: EvaluationDeps, input: { campaign: StoredCampaign; scope: readonly Unit[] }): Promise<Candidate[]> {
  const unitIds = input.scope.map((u) => u.id);
  const approved = (await deps.pledges.listApproved({ campaignId: input.campaign.id, unitIds })).filter((p) => p.kind === "individual");
  const results = await deps.pledges.results(approved.map((p) => p.id));
  const evaluations = await deps.evaluations.list({ campaignId: input.campaign.id, unitIds });
  const people = new Map<number, Candidate>();
  for (const p of approved) {
    const c = people.get(p.subscriberId) ?? {
      unit: input.scope.find((u) => u.id === p.unitId)!,
      subscriberId: p.subscriberId,
      fullName: p.fullName,
      pledges: [],
      results: [],
      evaluation: evaluations.find((e) => e.subscriberId === p.subscriberId) ?? null,
    };
    c.pledges.push(p);
    c.results.push(...results.filter((r) => r.pledgeId === p.id));
    people.set(p.subscriberId, c);
  }
  const order = new Map(input.scope.map((u, i) => [u.id, i]));
  return [...people.values()].sort((a, b) => order.get(a.unit.id)! - order.get(b.unit.id)! || a.fullName.localeCompare(b.fullName, "vi"));
}

export type ProposeRefusal = "notFound" | "notApproved" | "unknownTitle" | "reasonRequired" | "decided";
export type ProposeResult = { ok: true; evaluation: EvaluationRecord } | { ok: false; reason: ProposeRefusal };

/**
 * The officer proposes the person of registration `pledgeCode` for `titleKey` (a title of the plan), or for no title
 * with a reason. Refused for a registration outside the scope, not approved (the "không đăng ký thì không xét" rule),
 * an unknown title, no title without a reason, or a decision already made.
 */
export async function proposeTitle(
  deps: EvaluationDeps,
  input: { officer: Pick<Subscriber, "id">; scope: readonly Unit[]; campaign: StoredCampaign; pledgeCode: string; titleKey: string | null; reason?: string | null; now: Date },
): Promise<ProposeResult> {
  const pledge = await deps.pledges.findByCode(input.pledgeCode.trim().toUpperCase());
  if (!pledge || pledge.campaignId !== input.campaign.id || pledge.unitId === null || !input.scope.some((u) => u.id === pledge.unitId) || pledge.kind !== "individual") return { ok: false, reason: "notFound" };
  if (pledge.status !== "active" || pledge.review !== "approved") return { ok: false, reason: "notApproved" };
  if (input.titleKey !== null && !input.campaign.definition.titles.some((x) => x.key === input.titleKey)) return { ok: false, reason: "unknownTitle" };
  const reason = input.reason?.trim() || null;
  if (input.titleKey === null && !reason) return { ok: false, reason: "reasonRequired" };
  const evaluation = await deps.evaluations.propose({
    campaignId: input.campaign.id,
    subscriberId: pledge.subscriberId,
    pledgeId: pledge.id,
    unitId: pledge.unitId,
    fullName: pledge.fullName,
    titleKey: input.titleKey,
    reason,
    bySubscriberId: input.officer.id,
    now: input.now,
  });
  return evaluation ? { ok: true, evaluation } : { ok: false, reason: "decided" };
}

export type DecideEvaluationRefusal = "notFound" | "ownUnit" | "noProposal" | "unknownTitle" | "decided";

/** The level above decides on a person's proposal: awarded (the proposed title, or another title of the plan) or not. */
export async function decideEvaluation(
  deps: EvaluationDeps,
  input: { officer: Pick<Subscriber, "id">; scope: readonly Unit[]; campaign: StoredCampaign; pledgeCode: string; award: boolean; titleKey?: string; now: Date },
): Promise<{ ok: true; evaluation: EvaluationRecord } | { ok: false; reason: DecideEvaluationRefusal }> {
  const pledge = await deps.pledges.findByCode(input.pledgeCode.trim().toUpperCase());
  if (!pledge || pledge.campaignId !== input.campaign.id || pledge.unitId === null || !input.scope.some((u) => u.id === pledge.unitId)) return { ok: false, reason: "notFound" };
  // The officer's own unit is the scope's root: its people are decided by the level above it.
  if (pledge.unitId === input.scope[0]!.id) return { ok: false, reason: "ownUnit" };
  const [evaluation] = (await deps.evaluations.list({ campaignId: input.campaign.id, unitIds: [pledge.unitId] })).filter((e) => e.subscriberId === pledge.subscriberId);
  if (!evaluation) return { ok: false, reason: "noProposal" };
  if (evaluation.decision !== null) return { ok: false, reason: "decided" };
  const title = input.award ? (input.titleKey ?? evaluation.titleKey) : null;
  if (input.award && (title === null || !input.campaign.definition.titles.some((x) => x.key === title))) return { ok: false, reason: "unknownTitle" };
  const decided = await deps.evaluations.decide({ id: evaluation.id, decision: input.award ? "awarded" : "not-awarded", decidedTitle: title, bySubscriberId: input.officer.id, now: input.now });
  return decided ? { ok: true, evaluation: decided } : { ok: false, reason: "decided" };
}

export interface DecisionRow {
  unit: Unit;
  fullName: string;
  pledgeCode: string;
  proposed: string;
  reason: string;
  decision: EvaluationRecord["decision"];
  title: string;
  decidedAt: Date | null;
}

/** Every proposal of the scope with its decision, in unit order. */
export async function decisionList(deps: EvaluationDeps, input: { campaign: StoredCampaign; scope: readonly Unit[]; locale: Locale }): Promise<DecisionRow[]> {
  const evaluations = await deps.evaluations.list({ campaignId: input.campaign.id, unitIds: input.scope.map((u) => u.id) });
  const order = new Map(input.scope.map((u, i) => [u.id, i]));
  const def = input.campaign.definition;
  const codes = new Map((await deps.pledges.listApproved({ campaignId: input.campaign.id, unitIds: [...new Set(evaluations.map((e) => e.unitId))], anyReview: true })).map((p) => [p.id, p.code]));
  const rows: DecisionRow[] = [];
  for (const e of evaluations) {
    rows.push({
      unit: input.scope.find((u) => u.id === e.unitId)!,
      fullName: e.fullName,
      pledgeCode: codes.get(e.pledgeId) ?? "",
      proposed: e.titleKey ? titleName(def, e.titleKey, input.locale) : t(input.locale, "evaluation.noTitle"),
      reason: e.reason ?? "",
      decision: e.decision,
      title: e.decidedTitle ? titleName(def, e.decidedTitle, input.locale) : "",
      decidedAt: e.decidedAt,
    });
  }
  return rows.sort((a, b) => order.get(a.unit.id)! - order.get(b.unit.id)! || a.fullName.localeCompare(b.fullName, "vi"));
}

/** The commendation message drafted from the awarded decisions: by unit, names with their titles (Vietnamese). */
export function commendationDraft(campaign: StoredCampaign, rows: readonly DecisionRow[], locale: Locale = "vi"): string {
  const awarded = rows.filter((r) => r.decision === "awarded");
  const units = [...new Set(awarded.map((r) => r.unit.id))];
  const lines = [t(locale, "evaluation.commendation.head", { campaign: campaign.definition.title, count: awarded.length })];
  for (const id of units) {
    const people = awarded.filter((r) => r.unit.id === id);
    lines.push(`• ${people[0]!.unit.name}: ${people.map((r) => `${r.fullName} (${r.title})`).join("; ")}`);
  }
  lines.push(t(locale, "evaluation.commendation.tail"));
  return lines.join("\n").slice(0, BROADCAST_MAX_TEXT);
}

/**
 * Sends the (edited) commendation text to everyone in the officer's subtree through the broadcast dispatch: a draft
 * with its recipient count, confirmed once, enqueued. Returns the broadcast's id and how many it goes to.
 */
export async function broadcastCommendation(deps: BroadcastDispatchDeps, input: { officer: Pick<Subscriber, "id">; scope: readonly Unit[]; text: string; now: Date }): Promise<{ broadcastId: number; audience: number }> {
  const text = input.text.trim();
  if (text.length === 0 || text.length > BROADCAST_MAX_TEXT) throw new Error(`commendation text must be 1–${BROADCAST_MAX_TEXT} characters`);
  const root = input.scope[0]!;
  const recipients = await deps.recipients.count(audienceFilter({ audience: "subtree", unitId: root.id }, input.scope));
  const draft = await deps.broadcasts.createDraft({ senderId: input.officer.id, audience: "subtree", unitId: root.id, text, recipients, now: input.now });
  if (!(await deps.broadcasts.confirm(draft.id, input.now))) throw new Error(`broadcast ${draft.id} could not be confirmed`);
  const { audience } = await enqueueBroadcast(deps, { ...draft, status: "confirmed", confirmedAt: input.now }, input.now);
  return { broadcastId: draft.id, audience };
}

const DECISION_COLUMNS = ["unitCode", "unitName", "fullName", "pledgeCode", "proposed", "reason", "decision", "title"] as const;

function decisionCells(r: DecisionRow, locale: Locale): string[] {
  return [r.unit.code, r.unit.name, r.fullName, r.pledgeCode, r.proposed, r.reason, t(locale, `evaluation.decision.${r.decision ?? "pending"}`), r.title];
}

// exceljs and docx are loaded on the first export, not with the bot (several MB of heap and code an idle bot never uses).
export async function decisionsToXlsx(campaign: StoredCampaign, rows: readonly DecisionRow[], locale: Locale): Promise<Buffer> {
  const { default: ExcelJS } = await import("exceljs");
  const workbook = new ExcelJS.Workbook();
  workbook.title = campaign.definition.title;
  const sheet = workbook.addWorksheet(t(locale, "evaluation.sheet"), { views: [{ state: "frozen", ySplit: 1 }] });
  sheet.addRow(DECISION_COLUMNS.map((k) => t(locale, `evaluation.col.${k}`))).font = { bold: true };
  for (const r of rows) sheet.addRow(decisionCells(r, locale));
  sheet.columns.forEach((c) => (c.width = 28));
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

export async function decisionsToDocx(campaign: StoredCampaign, rows: readonly DecisionRow[], locale: Locale): Promise<Buffer> {
  const { Document, HeadingLevel, Packer, Paragraph, Table, TableCell, TableRow, TextRun, WidthType } = await import("docx");
  const cell = (text: string, bold = false) => new TableCell({ children: [new Paragraph({ children: [new TextRun({ text, bold, size: 18 })] })] });
  const doc = new Document({
    sections: [
      {
        children: [
          new Paragraph({ heading: HeadingLevel.HEADING_1, children: [new TextRun(t(locale, "evaluation.docTitle"))] }),
          new Paragraph({ children: [new TextRun(campaign.definition.title)] }),
          new Table({
            width: { size: 100, type: WidthType.PERCENTAGE },
            rows: [
              new TableRow({ tableHeader: true, children: DECISION_COLUMNS.map((k) => cell(t(locale, `evaluation.col.${k}`), true)) }),
              ...rows.map((r) => new TableRow({ children: decisionCells(r, locale).map((v) => cell(v)) })),
            ],
          }),
        ],
      },
    ],
  });
  return Packer.toBuffer(doc);
}
