// The pledge conversation's state, kept in the chat session between answers.
import { z } from "zod";
import type { PledgeDraft, PledgeItem } from "../ports.js";

/** The state, validated whenever a stored session is loaded (see ../flow/flow-session.ts). */
export const PledgeStateSchema = z.object({
  mode: z.enum(["new", "edit"]),
  /** Edit mode: the pledge being changed. */
  pledgeId: z.number().int().optional(),
  campaignId: z.number().int().optional(),
  phaseNumber: z.number().int().optional(),
  kind: z.enum(["individual", "collective"]),
  fullName: z.string().optional(),
  unitId: z.number().int().nullable(),
  position: z.string().nullable(),
  titles: z.array(z.string()),
  movements: z.array(z.string()),
  work: z.object({ anniversaryKey: z.string().optional(), name: z.string().optional(), description: z.string().optional(), targetDate: z.string().optional() }).nullable(),
  initiative: z.object({ name: z.string().optional(), description: z.string().optional() }).nullable(),
  commitment: z.string().optional(),
});

export type PledgeState = z.infer<typeof PledgeStateSchema>;

/** Version 1: the toolkit's envelope. Version 0 (before it) stored this same state bare, with an `editing` flag. */
export const PLEDGE_STATE_VERSION = 1;
export const migratePledgeState = (data: unknown, fromVersion: number): unknown => {
  if (fromVersion !== 0 || typeof data !== "object" || data === null) return null;
  const { editing: _editing, ...state } = data as Record<string, unknown>;
  return state;
};

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
