// The pledge conversation (đăng ký giao ước thi đua): campaign → phase → who → what is pledged → commitment →
// summary with Confirm / Edit a field / Cancel, declared on the flow toolkit (../flow). Every answer is validated;
// a wrong one gets a specific message and the same question. Nothing is stored before confirmation.
import { phaseAt } from "../../domain/calendar.js";
import type { CampaignDefinition } from "../../domain/campaign.js";
import { formatDateVi } from "../../domain/clock.js";
import { anniversariesAhead, campaignTakesPledges, LIMITS, movementsFor, phasesOpenForPledges, pledgeEditable } from "../../domain/pledge-rules.js";
import { sectorOfUnit } from "../../domain/unit-sector.js";
import { clip } from "../../domain/user-text.js";
import { localized, renderAnniversary } from "../campaign-text.js";
import type { Turn } from "../conversation.js";
import { defineFlow } from "../flow/define-flow.js";
import { end, type StepContext } from "../flow/step.js";
import { dateInRange } from "../flow/steps/date-in-range.js";
import { freeText } from "../flow/steps/free-text.js";
import { multiChoice } from "../flow/steps/multi-choice.js";
import { singleChoice, yesNo } from "../flow/steps/single-choice.js";
import { summary } from "../flow/steps/summary.js";
import { unitLabel, unitSearch } from "../flow/steps/unit-search.js";
import type { CampaignRepository, PledgeReportRepository, PledgeRepository, StoredCampaign, SubscriberRepository, UnitRepository } from "../ports.js";
import { renderPledge, titleName } from "../pledge-text.js";
import { itemsOf, migratePledgeState, newPledgeState, PLEDGE_STATE_VERSION, PledgeStateSchema, stateFromPledge, toDraft, type PledgeState } from "./pledge-state.js";

export const PLEDGE = "pledge";

export interface PledgeFlowDeps {
  campaigns: CampaignRepository;
  units: UnitRepository;
  subscribers: SubscriberRepository;
  pledges: PledgeRepository;
  /** The officer's live grant: a collective pledge is for its unit. */
  pledgeReports: Pick<PledgeReportRepository, "officerGrantUnitId">;
  timezone: string;
}

export interface PledgeFlow {
  readonly name: string;
  ask(turn: Turn): Promise<void>;
  answer(turn: Turn): Promise<void>;
  /** /pledge: starts a new registration. */
  begin(turn: Turn): Promise<void>;
  /** /mypledges edit: opens an existing pledge at its summary. */
  beginEdit(turn: Turn, pledge: Parameters<typeof stateFromPledge>[0]): Promise<void>;
}

type Ctx = StepContext<PledgeState>;

export function pledgeFlow(deps: PledgeFlowDeps): PledgeFlow {
  const tz = deps.timezone;

  const openCampaigns = async (now: Date): Promise<StoredCampaign[]> => (await deps.campaigns.listAll()).filter((c) => campaignTakesPledges(c.definition, now, tz));

  // One campaign read per turn: every step of the turn sees the same plan.
  const plans = new WeakMap<Turn, Promise<StoredCampaign[]>>();
  async function plan(ctx: Ctx): Promise<CampaignDefinition> {
    if (!plans.has(ctx.turn)) plans.set(ctx.turn, deps.campaigns.listAll());
    const found = (await plans.get(ctx.turn)!).find((c) => c.id === ctx.state.campaignId);
    if (!found) throw new Error(`campaign ${ctx.state.campaignId} is gone`);
    return found.definition;
  }
  const phaseOf = async (ctx: Ctx) => (await plan(ctx)).phases.find((p) => p.number === ctx.state.phaseNumber)!;
  const names = (def: CampaignDefinition, turn: Turn) => ({
    title: (key: string) => titleName(def, key, turn.locale),
    movement: (key: string) => def.movements.find((m) => m.key === key)?.name ?? key,
  });

  /** The person's active individual pledge in the chosen phase, if any: one per person and phase. */
  async function existingPledge(ctx: Ctx) {
    const { state, turn } = ctx;
    if (state.mode !== "new" || state.kind !== "individual" || !turn.subscriber || state.phaseNumber === undefined) return null;
    const mine = await deps.pledges.listBySubscriber(turn.subscriber.id);
    return mine.find((p) => p.status === "active" && p.kind === "individual" && p.campaignId === state.campaignId && p.phaseNumber === state.phaseNumber) ?? null;
  }
  const alreadyPledged = (ctx: Ctx, code: string) => ctx.t("pledge.alreadyPledged", { code });

  /** The member's sector, from the names of their unit and its parents (src/domain/unit-sector.ts). */
  async function sectorOf(ctx: Ctx) {
    const chain: string[] = [];
    let id = ctx.state.unitId ?? ctx.turn.subscriber?.unitId ?? null;
    while (id !== null && chain.length < 10) {
      const unit = await deps.units.findById(id);
      if (!unit) break;
      chain.push(unit.name);
      id = unit.parentId;
    }
    return sectorOfUnit(chain);
  }

  /**
   * The unit an officer pledges for collectively: their live grant's — the newest when they hold several, the same
   * unit /thongke, /xuat and /thongbao work on — never their member unit (which they change with /donvi). Null for a
   * member, or an officer whose grant was revoked.
   */
  async function collectiveUnitId(turn: Turn): Promise<number | null> {
    const subscriber = turn.subscriber;
    return subscriber?.role === "officer" ? deps.pledgeReports.officerGrantUnitId(subscriber.id) : null;
  }

  const isNew = (ctx: Ctx) => ctx.state.mode === "new";
  const individual = (ctx: Ctx) => ctx.state.kind === "individual";
  const limitsText = (ctx: Ctx, key: string, limits: { min: number; max: number }) => ctx.t(key, limits);

  const [summaryStep, editFieldStep] = summary<PledgeState>({
    id: "summary",
    editId: "edit-field",
    async guard(ctx) {
      const def = await plan(ctx);
      if (itemsOf(ctx.state, names(def, ctx.turn)).length === 0) return { step: "titles", message: ctx.t("pledge.needItem") };
      if (ctx.state.commitment === undefined) return { step: "commitment" };
      return null;
    },
    async render(ctx) {
      const { state, turn, t } = ctx;
      const def = await plan(ctx);
      const unit = state.unitId !== null ? await deps.units.findById(state.unitId) : null;
      const view = { ...toDraft(state, itemsOf(state, names(def, turn))), unitLabel: unit ? unitLabel(unit) : null };
      return [t(state.mode === "edit" ? "pledge.summary.titleEdit" : "pledge.summary.title"), renderPledge(def, view, turn.locale, t)].join("\n\n");
    },
    fields: (ctx) =>
      (
        [
          ["name", "name", true],
          ["unit", "unit", true],
          ["position", "position", true],
          ["titles", "titles", false],
          ["movements", "movements", false],
          ["work", "work-ask", false],
          ["initiative", "initiative-ask", false],
          ["commitment", "commitment", false],
        ] as const
      )
        .filter(([, , individualOnly]) => individual(ctx) || !individualOnly)
        .map(([key, step]) => ({ key, step, label: ctx.t(`pledge.field.${key}`) })),
    labels: (ctx) => ({ confirm: ctx.t("pledge.confirm"), edit: ctx.t("pledge.editField"), cancel: ctx.t("pledge.cancel"), whichField: ctx.t("pledge.ask.editField") }),
    cancel: (ctx) => end(ctx.t("pledge.cancelled")),
    confirm,
  });

  const flow = defineFlow<PledgeState>({
    name: PLEDGE,
    version: PLEDGE_STATE_VERSION,
    state: PledgeStateSchema,
    migrate: migratePledgeState,
    restartCommand: "/dangky",
    summary: "summary",
    steps: [
      singleChoice({
        id: "campaign",
        applies: (ctx) => isNew(ctx) && ctx.state.campaignId === undefined,
        question: (ctx) => ctx.t("pledge.ask.campaign"),
        options: async (ctx) => (await openCampaigns(ctx.turn.now)).map((c) => ({ key: String(c.id), label: `${c.definition.owner.short_name} ${c.definition.year}` })),
        async choose(ctx, key) {
          const chosen = (await openCampaigns(ctx.turn.now)).find((c) => String(c.id) === key)!;
          ctx.state.campaignId = chosen.id;
          const phases = phasesOpenForPledges(chosen.definition, ctx.turn.now, tz);
          if (phases.length === 1) ctx.state.phaseNumber = phases[0]!.number;
        },
      }),
      singleChoice({
        id: "phase",
        applies: (ctx) => isNew(ctx) && ctx.state.phaseNumber === undefined,
        question: (ctx) => ctx.t("pledge.ask.phase"),
        async options(ctx) {
          const def = await plan(ctx);
          const at = phaseAt(def, ctx.turn.now, tz);
          const current = at.kind === "in" ? at.phase.number : null;
          return phasesOpenForPledges(def, ctx.turn.now, tz).map((p) => ({
            key: String(p.number),
            label: `${localized(ctx.turn.locale, p.name, p.name_en)} (${formatDateVi(p.start)} – ${formatDateVi(p.end)})${p.number === current ? ` ${ctx.t("phases.current")}` : ""}`,
          }));
        },
        choose: (ctx, key) => void (ctx.state.phaseNumber = Number(key)),
      }),
      singleChoice({
        id: "kind",
        applies: async (ctx) => isNew(ctx) && (await collectiveUnitId(ctx.turn)) !== null,
        question: (ctx) => ctx.t("pledge.ask.kind"),
        options: (ctx) => [
          { key: "individual", label: ctx.t("pledge.kind.individual") },
          { key: "collective", label: ctx.t("pledge.kind.collective") },
        ],
        async choose(ctx, key) {
          ctx.state.kind = key as PledgeState["kind"];
          if (key === "collective") {
            const unitId = await collectiveUnitId(ctx.turn);
            const unit = unitId === null ? null : await deps.units.findById(unitId);
            // The grant ended (or its unit was removed) since the question: only their own pledge is left to make.
            if (!unit) return void (ctx.state.kind = "individual");
            Object.assign(ctx.state, { fullName: unit.name, unitId: unit.id, position: null });
          }
        },
      }),
      {
        ...freeText({
          id: "name",
          applies: individual,
          question: (ctx, limits) => limitsText(ctx, "pledge.ask.name", limits),
          limits: LIMITS.fullName,
          keep(ctx) {
            const known = (ctx.state.fullName ?? ctx.turn.message.displayName)?.trim();
            return known ? { value: known, label: ctx.t("pledge.useName", { name: known }) } : undefined;
          },
          set: (ctx, value) => void (ctx.state.fullName = value!),
        }),
        // One individual pledge per person and phase (coverage counts people): edit it with /camket instead.
        async guard(ctx) {
          const existing = await existingPledge(ctx);
          return existing ? { end: alreadyPledged(ctx, existing.code) } : null;
        },
      },
      unitSearch({
        id: "unit",
        units: deps.units,
        applies: async (ctx) => individual(ctx) && (ctx.editing || (ctx.state.unitId === null && (await deps.units.count()) > 0 && ctx.turn.subscriber?.unitId == null)),
        question: (ctx) => ctx.t("pledge.ask.unit"),
        escape: { value: "#skip", label: (ctx) => ctx.t("unit.skip"), words: ["bo qua", "skip"], choose: (ctx) => void (ctx.state.unitId = null) },
        async choose(ctx, unit) {
          ctx.state.unitId = unit.id;
          if (ctx.turn.subscriber) await deps.subscribers.setUnit(ctx.turn.subscriber.id, unit.id);
        },
      }),
      freeText({
        id: "position",
        applies: individual,
        question: (ctx, limits) => limitsText(ctx, "pledge.ask.position", limits),
        limits: LIMITS.position,
        skipLabel: (ctx) => ctx.t("pledge.skipOptional"),
        set: (ctx, value) => void (ctx.state.position = value),
      }),
      multiChoice({
        id: "titles",
        question: (ctx) => ctx.t("pledge.ask.titles"),
        options: async (ctx) => (await plan(ctx)).titles.filter((x) => x.scope === ctx.state.kind).map((x) => ({ key: x.key, label: localized(ctx.turn.locale, x.name, x.name_en) })),
        selected: (s) => s.titles,
        select: (s, keys) => void (s.titles = keys),
        notAnOption: (ctx, text) => ctx.t("pledge.notATitle", { value: clip(text, 50) }),
      }),
      multiChoice({
        id: "movements",
        applies: async (ctx) => (await plan(ctx)).movements.length > 0,
        question: (ctx) => ctx.t("pledge.ask.movements"),
        options: async (ctx) => movementsFor(await plan(ctx), await phaseOf(ctx), await sectorOf(ctx)).map((m) => ({ key: m.key, label: m.name })),
        selected: (s) => s.movements,
        select: (s, keys) => void (s.movements = keys),
      }),
      yesNo({
        id: "work-ask",
        group: "work",
        question: async (ctx) => ctx.t("pledge.ask.work", { description: (await plan(ctx)).works.description }),
        choose: (ctx, yes) => void (ctx.state.work = yes ? (ctx.state.work ?? {}) : null),
      }),
      singleChoice({
        id: "work-anniversary",
        group: "work",
        applies: async (ctx) => ctx.state.work !== null && anniversariesAhead(await plan(ctx), await phaseOf(ctx), ctx.turn.now, tz).length > 0,
        question: (ctx) => ctx.t("pledge.ask.workAnniversary"),
        options: async (ctx) => anniversariesAhead(await plan(ctx), await phaseOf(ctx), ctx.turn.now, tz).map((a) => ({ key: a.key, label: renderAnniversary(a, ctx.turn.locale, ctx.t) })),
        choose: (ctx, key) => void (ctx.state.work = { ...ctx.state.work, anniversaryKey: key }),
      }),
      freeText({
        id: "work-name",
        group: "work",
        applies: (ctx) => ctx.state.work !== null,
        question: (ctx, limits) => limitsText(ctx, "pledge.ask.workName", limits),
        limits: LIMITS.workName,
        set: (ctx, value) => void (ctx.state.work = { ...ctx.state.work, name: value! }),
      }),
      freeText({
        id: "work-description",
        group: "work",
        applies: (ctx) => ctx.state.work !== null,
        question: (ctx, limits) => limitsText(ctx, "pledge.ask.workDescription", limits),
        limits: LIMITS.workDescription,
        multiline: true,
        set: (ctx, value) => void (ctx.state.work = { ...ctx.state.work, description: value! }),
      }),
      dateInRange({
        id: "work-date",
        group: "work",
        applies: (ctx) => ctx.state.work !== null,
        timezone: tz,
        question: (ctx, shown) => ctx.t("pledge.ask.workDate", shown),
        range: phaseOf,
        set: (ctx, date) => void (ctx.state.work = { ...ctx.state.work, targetDate: date }),
      }),
      yesNo({
        id: "initiative-ask",
        group: "initiative",
        question: async (ctx) => ctx.t("pledge.ask.initiative", { description: (await plan(ctx)).initiatives.description }),
        choose: (ctx, yes) => void (ctx.state.initiative = yes ? (ctx.state.initiative ?? {}) : null),
      }),
      freeText({
        id: "initiative-name",
        group: "initiative",
        applies: (ctx) => ctx.state.initiative !== null,
        question: (ctx, limits) => limitsText(ctx, "pledge.ask.initiativeName", limits),
        limits: LIMITS.initiativeName,
        set: (ctx, value) => void (ctx.state.initiative = { ...ctx.state.initiative, name: value! }),
      }),
      freeText({
        id: "initiative-description",
        group: "initiative",
        applies: (ctx) => ctx.state.initiative !== null,
        question: (ctx, limits) => limitsText(ctx, "pledge.ask.initiativeDescription", limits),
        limits: LIMITS.initiativeDescription,
        multiline: true,
        set: (ctx, value) => void (ctx.state.initiative = { ...ctx.state.initiative, description: value! }),
      }),
      freeText({
        id: "commitment",
        question: (ctx, limits) => limitsText(ctx, "pledge.ask.commitment", limits),
        limits: LIMITS.commitment,
        multiline: true,
        set: (ctx, value) => void (ctx.state.commitment = value!),
      }),
      summaryStep,
      editFieldStep,
    ],
  });

  async function confirm(ctx: Ctx) {
    const { state: s, turn, t } = ctx;
    const def = await plan(ctx);
    const phase = await phaseOf(ctx);
    // The phase may have closed while the person paused.
    if (!pledgeEditable(def, s.phaseNumber!, turn.now, tz)) return end(t("pledge.phaseClosed", { phase: phase.name, end: formatDateVi(phase.end) }));
    const existing = await existingPledge(ctx);
    if (existing) return end(alreadyPledged(ctx, existing.code));
    const subscriber =
      turn.subscriber ?? (await deps.subscribers.register({ channel: turn.message.channel, chatId: turn.message.chatId, displayName: turn.message.displayName, locale: turn.locale }));
    const draft = toDraft(s, itemsOf(s, names(def, turn)));
    const pledge =
      s.mode === "edit" && s.pledgeId !== undefined
        ? await deps.pledges.update(s.pledgeId, draft, subscriber.id, turn.now)
        : await deps.pledges.create(draft, subscriber.id, def.code_prefix, turn.now);
    return end(t(s.mode === "edit" ? "pledge.updated" : "pledge.saved", { code: pledge.code }));
  }

  return {
    name: PLEDGE,
    ask: flow.ask,
    answer: flow.answer,
    async begin(turn) {
      const open = await openCampaigns(turn.now);
      if (open.length === 0) return turn.reply({ text: turn.t("pledge.noOpenCampaign") });
      const s = newPledgeState(turn.subscriber?.unitId ?? null);
      if (open.length === 1) {
        s.campaignId = open[0]!.id;
        const phases = phasesOpenForPledges(open[0]!.definition, turn.now, tz);
        if (phases.length === 1) s.phaseNumber = phases[0]!.number;
      }
      // Already registered in the only open phase, and no collective pledge to offer: say so before any question.
      const mayPledgeForUnit = (await collectiveUnitId(turn)) !== null;
      const existing = mayPledgeForUnit ? null : await existingPledge({ turn, t: turn.t, state: s, editing: false });
      if (existing) return turn.reply({ text: alreadyPledged({ turn, t: turn.t, state: s, editing: false }, existing.code) });
      await turn.reply({ text: turn.t("pledge.intro") });
      await flow.start(turn, s);
    },
    beginEdit: (turn, pledge) => flow.start(turn, stateFromPledge(pledge), "summary"),
  };
}
