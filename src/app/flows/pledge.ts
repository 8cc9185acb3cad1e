// The pledge conversation (đăng ký giao ước thi đua): campaign → phase → who → what is pledged → commitment →
// summary with Confirm / Edit a field / Cancel. Every answer is validated; a wrong one gets a specific message and
// the same question. Nothing is stored before confirmation.
import { phaseAt } from "../../domain/calendar.js";
import type { CampaignDefinition } from "../../domain/campaign.js";
import { formatDateVi } from "../../domain/clock.js";
import {
  anniversariesForPhase,
  campaignTakesPledges,
  checkText,
  LIMITS,
  phasesOpenForPledges,
  pledgeEditable,
  targetDateProblem,
  type TextProblem,
} from "../../domain/pledge-rules.js";
import { parseUserDate } from "../../domain/user-date.js";
import { clip } from "../../domain/user-text.js";
import { localized, renderAnniversary } from "../campaign-text.js";
import { endFlow, startFlow, type Flow, type Turn } from "../conversation.js";
import type { CampaignRepository, Choice, PledgeRepository, StoredCampaign, SubscriberRepository, UnitRepository } from "../ports.js";
import { renderPledge, titleName } from "../pledge-text.js";
import { itemsOf, newPledgeState, stateFromPledge, toDraft, type PledgeState, type PledgeStep } from "./pledge-state.js";
import { unitLabel, unitStep } from "./unit-step.js";

export const PLEDGE = "pledge";

const YES = "#yes";
const NO = "#no";
const DONE = "#done";
const PICK = "#pick:";
const CONFIRM = "#confirm";
const EDIT = "#edit";
const CANCEL = "#cancel";
const FIELD = "#field:";
const KEEP = "#keep";
const SKIP = "#skip";

/** Steps that belong together when one field is edited from the summary. */
const group = (step: PledgeStep) => (step.startsWith("work-") ? "work" : step.startsWith("initiative-") ? "initiative" : step);

const EDITABLE_FIELDS: { field: string; step: PledgeStep; individualOnly?: boolean }[] = [
  { field: "name", step: "name", individualOnly: true },
  { field: "unit", step: "unit", individualOnly: true },
  { field: "position", step: "position", individualOnly: true },
  { field: "titles", step: "titles" },
  { field: "movements", step: "movements" },
  { field: "work", step: "work-ask" },
  { field: "initiative", step: "initiative-ask" },
  { field: "commitment", step: "commitment" },
];

export interface PledgeFlowDeps {
  campaigns: CampaignRepository;
  units: UnitRepository;
  subscribers: SubscriberRepository;
  pledges: PledgeRepository;
  timezone: string;
}

export type PledgeFlow = Flow & {
  /** /pledge: starts a new registration. */
  begin(turn: Turn): Promise<void>;
  /** /mypledges edit: opens an existing pledge at its summary. */
  beginEdit(turn: Turn, pledge: Parameters<typeof stateFromPledge>[0]): Promise<void>;
};

export function pledgeFlow(deps: PledgeFlowDeps): PledgeFlow {
  const units = unitStep(deps.units);
  const tz = deps.timezone;

  const state = (turn: Turn) => turn.session.data as unknown as PledgeState;
  const step = (turn: Turn) => turn.session.step as PledgeStep;
  const save = (turn: Turn, s: PledgeState) => void (turn.session.data = s as unknown as Record<string, unknown>);

  async function openCampaigns(now: Date): Promise<StoredCampaign[]> {
    return (await deps.campaigns.listAll()).filter((c) => campaignTakesPledges(c.definition, now, tz));
  }

  async function campaignOf(s: PledgeState): Promise<CampaignDefinition> {
    const found = (await deps.campaigns.listAll()).find((c) => c.id === s.campaignId);
    if (!found) throw new Error(`campaign ${s.campaignId} is gone`);
    return found.definition;
  }

  const phaseOf = (def: CampaignDefinition, s: PledgeState) => def.phases.find((p) => p.number === s.phaseNumber)!;
  const titlesFor = (def: CampaignDefinition, s: PledgeState) => def.titles.filter((x) => x.scope === s.kind);

  /** Whether a step is asked at all, given what we know. */
  async function applies(turn: Turn, s: PledgeState, st: PledgeStep): Promise<boolean> {
    const isNew = s.mode === "new";
    switch (st) {
      case "campaign":
        return isNew && s.campaignId === undefined;
      case "phase":
        return isNew && s.phaseNumber === undefined;
      case "kind":
        return isNew && turn.subscriber?.role === "officer" && turn.subscriber.unitId !== null;
      case "name":
      case "position":
        return s.kind === "individual";
      case "unit":
        return s.kind === "individual" && (s.editing === true || (s.unitId === null && (await deps.units.count()) > 0 && turn.subscriber?.unitId == null));
      case "movements":
        return (await campaignOf(s)).movements.length > 0;
      case "work-anniversary":
      case "work-name":
      case "work-description":
      case "work-date":
        return s.work !== null;
      case "initiative-name":
      case "initiative-description":
        return s.initiative !== null;
      case "edit-field":
        return false;
      default:
        return true;
    }
  }

  /** Moves past `from` to the next step that applies (or back to the summary when editing one field). */
  async function advance(turn: Turn, from: PledgeStep): Promise<void> {
    const s = state(turn);
    const order: PledgeStep[] = ["campaign", "phase", "kind", "name", "unit", "position", "titles", "movements", "work-ask", "work-anniversary", "work-name", "work-description", "work-date", "initiative-ask", "initiative-name", "initiative-description", "commitment", "summary"];
    let next: PledgeStep = "summary";
    for (const candidate of order.slice(order.indexOf(from) + 1)) {
      if (await applies(turn, s, candidate)) {
        next = candidate;
        break;
      }
    }
    if (s.editing && group(next) !== group(from)) next = "summary";
    if (next === "summary") {
      s.editing = false;
      const def = await campaignOf(s);
      if (itemsOf(s, names(def, turn)).length === 0) {
        await turn.reply({ text: turn.t("pledge.needItem") });
        next = "titles";
      } else if (s.commitment === undefined) next = "commitment";
    }
    save(turn, s);
    turn.session.step = next;
    await flow.ask(turn);
  }

  const names = (def: CampaignDefinition, turn: Turn) => ({
    title: (key: string) => titleName(def, key, turn.locale),
    movement: (key: string) => def.movements.find((m) => m.key === key)?.name ?? key,
  });

  const problemText = (turn: Turn, problem: TextProblem, limits: { min?: number; max: number }) =>
    turn.t(`pledge.text.${problem}`, { min: limits.min ?? 1, max: limits.max });

  /** Multi-select: the numbers typed ("1, 3") or the buttons pressed, toggled into `selected`. */
  function toggle(turn: Turn, selected: string[]): { selected: string[]; done: boolean; invalid?: string } {
    const text = turn.args;
    const choices = turn.session.choices ?? [];
    const values = /^\d{1,3}(\s*[,;\s]\s*\d{1,3})+$/.test(text)
      ? text.split(/[,;\s]+/).map((n) => choices[Number(n) - 1]?.value ?? `#invalid:${n}`)
      : [text];
    const next = new Set(selected);
    for (const value of values) {
      if (value === DONE) return { selected: [...next], done: true };
      if (!value.startsWith(PICK)) return { selected, done: false, invalid: value.startsWith("#invalid:") ? value.slice(9) : text };
      const key = value.slice(PICK.length);
      if (next.has(key)) next.delete(key);
      else next.add(key);
    }
    return { selected: [...next], done: false };
  }

  async function askMulti(turn: Turn, questionKey: string, options: { key: string; label: string }[], selected: string[]): Promise<void> {
    const chosen = options.filter((o) => selected.includes(o.key)).map((o) => o.label);
    const choices: Choice[] = [
      ...options.map((o) => ({ label: `${selected.includes(o.key) ? "✓ " : ""}${o.label}`, value: `${PICK}${o.key}` })),
      { label: turn.t("pledge.continue"), value: DONE },
    ];
    const text = [turn.t(questionKey), turn.t("pledge.multiHint"), chosen.length ? turn.t("pledge.chosen", { items: chosen.join("; ") }) : ""].filter(Boolean).join("\n");
    await turn.reply({ text, choices });
  }

  const yesNo = (turn: Turn): Choice[] => [
    { label: turn.t("pledge.yes"), value: YES },
    { label: turn.t("pledge.no"), value: NO },
  ];

  const notAnOption = (turn: Turn) => turn.reply({ text: turn.t("pledge.notAnOption", { value: clip(turn.args, 50) }) });

  const flow: PledgeFlow = {
    name: PLEDGE,

    async begin(turn) {
      const open = await openCampaigns(turn.now);
      if (open.length === 0) return turn.reply({ text: turn.t("pledge.noOpenCampaign") });
      const s = newPledgeState(turn.subscriber?.unitId ?? null);
      if (open.length === 1) {
        s.campaignId = open[0]!.id;
        const phases = phasesOpenForPledges(open[0]!.definition, turn.now, tz);
        if (phases.length === 1) s.phaseNumber = phases[0]!.number;
      }
      startFlow(turn.session, PLEDGE, "campaign", s as unknown as Record<string, unknown>);
      await turn.reply({ text: turn.t("pledge.intro") });
      if (s.campaignId === undefined) return flow.ask(turn);
      await advance(turn, "campaign");
    },

    async beginEdit(turn, pledge) {
      startFlow(turn.session, PLEDGE, "summary", stateFromPledge(pledge) as unknown as Record<string, unknown>);
      await flow.ask(turn);
    },

    async ask(turn) {
      const s = state(turn);
      const { t, reply } = turn;
      const st = step(turn);
      if (st === "campaign") {
        const open = await openCampaigns(turn.now);
        return reply({ text: t("pledge.ask.campaign"), choices: open.map((c) => ({ label: `${c.definition.owner.short_name} ${c.definition.year}`, value: `${PICK}${c.id}` })) });
      }
      const def = await campaignOf(s);
      const phase = s.phaseNumber !== undefined ? phaseOf(def, s) : undefined;
      switch (st) {
        case "phase": {
          const at = phaseAt(def, turn.now, tz);
          const current = at.kind === "in" ? at.phase.number : null;
          return reply({
            text: t("pledge.ask.phase"),
            choices: phasesOpenForPledges(def, turn.now, tz).map((p) => ({
              label: `${localized(turn.locale, p.name, p.name_en)} (${formatDateVi(p.start)} – ${formatDateVi(p.end)})${p.number === current ? ` ${t("phases.current")}` : ""}`,
              value: `${PICK}${p.number}`,
            })),
          });
        }
        case "kind":
          return reply({
            text: t("pledge.ask.kind"),
            choices: [
              { label: t("pledge.kind.individual"), value: `${PICK}individual` },
              { label: t("pledge.kind.collective"), value: `${PICK}collective` },
            ],
          });
        case "name": {
          const known = s.fullName ?? turn.message.displayName?.trim();
          const usable = known && checkText(known, LIMITS.fullName) === null ? known : undefined;
          return reply({
            text: t("pledge.ask.name", { min: LIMITS.fullName.min, max: LIMITS.fullName.max }),
            choices: usable ? [{ label: t("pledge.useName", { name: usable }), value: KEEP }] : [],
          });
        }
        case "unit":
          return units.ask(turn, "pledge.ask.unit");
        case "position":
          return reply({ text: t("pledge.ask.position", { max: LIMITS.position.max }), choices: [{ label: t("pledge.skipOptional"), value: SKIP }] });
        case "titles":
          return askMulti(turn, "pledge.ask.titles", titlesFor(def, s).map((x) => ({ key: x.key, label: localized(turn.locale, x.name, x.name_en) })), s.titles);
        case "movements":
          return askMulti(turn, "pledge.ask.movements", def.movements.map((m) => ({ key: m.key, label: m.name })), s.movements);
        case "work-ask":
          return reply({ text: t("pledge.ask.work", { description: def.works.description }), choices: yesNo(turn) });
        case "work-anniversary":
          return reply({
            text: t("pledge.ask.workAnniversary"),
            choices: anniversariesForPhase(def, phase!).map((a) => ({ label: renderAnniversary(a, turn.locale, t), value: `${PICK}${a.key}` })),
          });
        case "work-name":
          return reply({ text: t("pledge.ask.workName", { min: LIMITS.workName.min, max: LIMITS.workName.max }) });
        case "work-description":
          return reply({ text: t("pledge.ask.workDescription", { min: LIMITS.workDescription.min, max: LIMITS.workDescription.max }) });
        case "work-date":
          return reply({ text: t("pledge.ask.workDate", { start: formatDateVi(phase!.start), end: formatDateVi(phase!.end) }) });
        case "initiative-ask":
          return reply({ text: t("pledge.ask.initiative", { description: def.initiatives.description }), choices: yesNo(turn) });
        case "initiative-name":
          return reply({ text: t("pledge.ask.initiativeName", { min: LIMITS.initiativeName.min, max: LIMITS.initiativeName.max }) });
        case "initiative-description":
          return reply({ text: t("pledge.ask.initiativeDescription", { min: LIMITS.initiativeDescription.min, max: LIMITS.initiativeDescription.max }) });
        case "commitment":
          return reply({ text: t("pledge.ask.commitment", { min: LIMITS.commitment.min, max: LIMITS.commitment.max }) });
        case "summary": {
          const unit = s.unitId !== null ? await deps.units.findById(s.unitId) : null;
          const view = { ...toDraft(s, itemsOf(s, names(def, turn))), unitLabel: unit ? unitLabel(unit) : null };
          return reply({
            text: [t(s.mode === "edit" ? "pledge.summary.titleEdit" : "pledge.summary.title"), renderPledge(def, view, turn.locale, t)].join("\n\n"),
            choices: [
              { label: t("pledge.confirm"), value: CONFIRM },
              { label: t("pledge.editField"), value: EDIT },
              { label: t("pledge.cancel"), value: CANCEL },
            ],
          });
        }
        case "edit-field":
          return reply({
            text: t("pledge.ask.editField"),
            choices: EDITABLE_FIELDS.filter((f) => s.kind === "individual" || !f.individualOnly).map((f) => ({ label: t(`pledge.field.${f.field}`), value: `${FIELD}${f.field}` })),
          });
      }
    },

    async answer(turn) {
      const s = state(turn);
      const { t, reply } = turn;
      const text = turn.args;
      const st = step(turn);
      const picked = text.startsWith(PICK) ? text.slice(PICK.length) : null;

      if (st === "campaign") {
        const open = await openCampaigns(turn.now);
        const chosen = open.find((c) => String(c.id) === picked);
        if (!chosen) return notAnOption(turn).then(() => flow.ask(turn));
        s.campaignId = chosen.id;
        const phases = phasesOpenForPledges(chosen.definition, turn.now, tz);
        if (phases.length === 1) s.phaseNumber = phases[0]!.number;
        return advance(turn, phases.length === 1 ? "phase" : "campaign");
      }
      const def = await campaignOf(s);
      switch (st) {
        case "phase": {
          const phase = phasesOpenForPledges(def, turn.now, tz).find((p) => String(p.number) === picked);
          if (!phase) return notAnOption(turn).then(() => flow.ask(turn));
          s.phaseNumber = phase.number;
          return advance(turn, st);
        }
        case "kind": {
          if (picked !== "individual" && picked !== "collective") return notAnOption(turn).then(() => flow.ask(turn));
          s.kind = picked;
          if (picked === "collective") {
            const unit = await deps.units.findById(turn.subscriber!.unitId!);
            s.fullName = unit ? unit.name : "";
            s.unitId = unit?.id ?? null;
            s.position = null;
          }
          return advance(turn, st);
        }
        case "name": {
          const name = text === KEEP ? (s.fullName ?? turn.message.displayName?.trim() ?? "") : text;
          const problem = checkText(name, LIMITS.fullName);
          if (problem) return reply({ text: problemText(turn, problem, LIMITS.fullName) }).then(() => flow.ask(turn));
          s.fullName = name.trim();
          return advance(turn, st);
        }
        case "unit": {
          const answer = await units.answer(turn);
          if (answer.kind === "asked-again") return;
          s.unitId = answer.kind === "picked" ? answer.unit.id : null;
          if (answer.kind === "picked" && turn.subscriber && s.kind === "individual") await deps.subscribers.setUnit(turn.subscriber.id, answer.unit.id);
          return advance(turn, st);
        }
        case "position": {
          if (text === SKIP || text === "") s.position = null;
          else {
            const problem = checkText(text, LIMITS.position);
            if (problem) return reply({ text: problemText(turn, problem, LIMITS.position) }).then(() => flow.ask(turn));
            s.position = text;
          }
          return advance(turn, st);
        }
        case "titles":
        case "movements": {
          const allowed = st === "titles" ? titlesFor(def, s).map((x) => x.key) : def.movements.map((m) => m.key);
          const result = toggle(turn, st === "titles" ? s.titles : s.movements);
          if (result.invalid !== undefined || result.selected.some((k) => !allowed.includes(k))) {
            await reply({ text: t(st === "titles" ? "pledge.notATitle" : "pledge.notAnOption", { value: clip(result.invalid ?? text, 50) }) });
            return flow.ask(turn);
          }
          if (st === "titles") s.titles = result.selected;
          else s.movements = result.selected;
          if (!result.done) {
            save(turn, s);
            return flow.ask(turn);
          }
          return advance(turn, st);
        }
        case "work-ask":
        case "initiative-ask": {
          if (text !== YES && text !== NO) return notAnOption(turn).then(() => flow.ask(turn));
          if (st === "work-ask") s.work = text === YES ? (s.work ?? {}) : null;
          else s.initiative = text === YES ? (s.initiative ?? {}) : null;
          return advance(turn, st);
        }
        case "work-anniversary": {
          const a = anniversariesForPhase(def, phaseOf(def, s)).find((x) => x.key === picked);
          if (!a) return notAnOption(turn).then(() => flow.ask(turn));
          s.work = { ...s.work, anniversaryKey: a.key };
          return advance(turn, st);
        }
        case "work-name":
        case "work-description":
        case "initiative-name":
        case "initiative-description": {
          const limits = { "work-name": LIMITS.workName, "work-description": LIMITS.workDescription, "initiative-name": LIMITS.initiativeName, "initiative-description": LIMITS.initiativeDescription }[st];
          const problem = checkText(text, limits, { multiline: st.endsWith("description") });
          if (problem) return reply({ text: problemText(turn, problem, limits) }).then(() => flow.ask(turn));
          if (st === "work-name") s.work = { ...s.work, name: text };
          if (st === "work-description") s.work = { ...s.work, description: text };
          if (st === "initiative-name") s.initiative = { ...s.initiative, name: text };
          if (st === "initiative-description") s.initiative = { ...s.initiative, description: text };
          return advance(turn, st);
        }
        case "work-date": {
          const phase = phaseOf(def, s);
          const date = parseUserDate(text);
          if (!date) return reply({ text: t("pledge.date.format", { value: clip(text, 30) }) }).then(() => flow.ask(turn));
          const problem = targetDateProblem(date, phase, turn.now, tz);
          if (problem) {
            return reply({ text: t(`pledge.date.${problem}`, { date: formatDateVi(date), start: formatDateVi(phase.start), end: formatDateVi(phase.end) }) }).then(() => flow.ask(turn));
          }
          s.work = { ...s.work, targetDate: date };
          return advance(turn, st);
        }
        case "commitment": {
          const problem = checkText(text, LIMITS.commitment, { multiline: true });
          if (problem) return reply({ text: problemText(turn, problem, LIMITS.commitment) }).then(() => flow.ask(turn));
          s.commitment = text;
          return advance(turn, st);
        }
        case "summary": {
          if (text === CANCEL) {
            endFlow(turn.session);
            return reply({ text: t("pledge.cancelled") });
          }
          if (text === EDIT) {
            turn.session.step = "edit-field";
            return flow.ask(turn);
          }
          if (text !== CONFIRM) return notAnOption(turn).then(() => flow.ask(turn));
          return confirm(turn, s, def);
        }
        case "edit-field": {
          const field = EDITABLE_FIELDS.find((f) => `${FIELD}${f.field}` === text && (s.kind === "individual" || !f.individualOnly));
          if (!field) return notAnOption(turn).then(() => flow.ask(turn));
          s.editing = true;
          save(turn, s);
          turn.session.step = field.step;
          return flow.ask(turn);
        }
      }
    },
  };

  async function confirm(turn: Turn, s: PledgeState, def: CampaignDefinition): Promise<void> {
    const { t, reply } = turn;
    // The phase may have closed while the person paused.
    if (!pledgeEditable(def, s.phaseNumber!, turn.now, tz)) {
      endFlow(turn.session);
      return reply({ text: t("pledge.phaseClosed", { phase: phaseOf(def, s).name, end: formatDateVi(phaseOf(def, s).end) }) });
    }
    const subscriber =
      turn.subscriber ??
      (await deps.subscribers.register({ channel: turn.message.channel, chatId: turn.message.chatId, displayName: turn.message.displayName, locale: turn.locale }));
    const draft = toDraft(s, itemsOf(s, names(def, turn)));
    const pledge =
      s.mode === "edit" && s.pledgeId !== undefined
        ? await deps.pledges.update(s.pledgeId, draft, subscriber.id, turn.now)
        : await deps.pledges.create(draft, subscriber.id, def.code_prefix, turn.now);
    endFlow(turn.session);
    await reply({ text: t(s.mode === "edit" ? "pledge.updated" : "pledge.saved", { code: pledge.code }) });
  }

  return flow;
}

