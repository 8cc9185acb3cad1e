// The pledge conversation's state, kept in the chat session between answers.
import type { PledgeDraft, PledgeItem, PledgeKind } from "../ports.js";

export const PLEDGE_STEPS = [
  "campaign",
  "phase",
  "kind",
  "name",
  "unit",
  "position",
  "titles",
  "movements",
  "work-ask",
  "work-anniversary",
  "work-name",
  "work-description",
  "work-date",
  "initiative-ask",
  "initiative-name",
  "initiative-description",
  "commitment",
  "summary",
  "edit-field",
] as const;

export type PledgeStep = (typeof PLEDGE_STEPS)[number];

export interface PledgeState {
  mode: "new" | "edit";
  /** Edit mode: the pledge being changed. */
  pledgeId?: number;
  campaignId?: number;
  phaseNumber?: number;
  kind: PledgeKind;
  fullName?: string;
  unitId: number | null;
  position: string | null;
  titles: string[];
  movements: string[];
  work: { anniversaryKey?: string; name?: string; description?: string; targetDate?: string } | null;
  initiative: { name?: string; description?: string } | null;
  commitment?: string;
  /** Set while one field is being edited from the summary: back to the summary after it. */
  editing?: boolean;
}

export const newPledgeState = (unitId: number | null): PledgeState => ({
  mode: "new",
  kind: "individual",
  unitId,
  position: null,
  titles: [],
  movements: [],
  work: null,
  initiative: null,
});

/** Items in the order they are shown and stored; names come from the campaign. */
export function itemsOf(
  state: PledgeState,
  names: { title(key: string): string; movement(key: string): string },
): PledgeItem[] {
  const items: PledgeItem[] = [
    ...state.titles.map((key) => ({ type: "title" as const, key, name: names.title(key) })),
    ...state.movements.map((key) => ({ type: "movement" as const, key, name: names.movement(key) })),
  ];
  const w = state.work;
  if (w?.name) {
    items.push({ type: "work", name: w.name, ...(w.description ? { description: w.description } : {}), ...(w.targetDate ? { targetDate: w.targetDate } : {}), ...(w.anniversaryKey ? { anniversaryKey: w.anniversaryKey } : {}) });
  }
  const i = state.initiative;
  if (i?.name) items.push({ type: "initiative", name: i.name, ...(i.description ? { description: i.description } : {}) });
  return items;
}

export function toDraft(state: PledgeState, items: PledgeItem[]): PledgeDraft {
  return {
    campaignId: state.campaignId!,
    phaseNumber: state.phaseNumber!,
    kind: state.kind,
    unitId: state.unitId,
    fullName: state.fullName!,
    position: state.position,
    commitment: state.commitment!,
    items,
  };
}

/** The state of an existing pledge, for editing it. */
export function stateFromPledge(p: PledgeDraft & { id: number }): PledgeState {
  const work = p.items.find((i) => i.type === "work");
  const initiative = p.items.find((i) => i.type === "initiative");
  return {
    mode: "edit",
    pledgeId: p.id,
    campaignId: p.campaignId,
    phaseNumber: p.phaseNumber,
    kind: p.kind,
    fullName: p.fullName,
    unitId: p.unitId,
    position: p.position,
    titles: p.items.filter((i) => i.type === "title" && i.key).map((i) => i.key!),
    movements: p.items.filter((i) => i.type === "movement" && i.key).map((i) => i.key!),
    work: work ? { name: work.name, description: work.description, targetDate: work.targetDate, anniversaryKey: work.anniversaryKey } : null,
    initiative: initiative ? { name: initiative.name, description: initiative.description } : null,
    commitment: p.commitment,
  };
}
