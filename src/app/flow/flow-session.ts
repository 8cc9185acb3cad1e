// A flow's state as stored in the chat session (in the database, so a restart resumes at the same step): an envelope
// with the flow's version, its state validated by the flow's zod schema when loaded, and the group being edited.
// State from an older version is migrated when the flow knows how, and otherwise the person is asked to start again.
import { z } from "zod";
import type { ChatSession } from "../ports.js";

export interface StateSchema<S> {
  version: number;
  state: z.ZodType<S>;
  /**
   * Old stored data → data of the current version (then validated), or null when it cannot be carried over.
   * Sessions saved before flows had versions are version 0: their data is the bare state.
   */
  migrate?: (data: unknown, fromVersion: number) => unknown;
}

const Envelope = z.object({ v: z.number().int(), state: z.unknown(), editing: z.string().optional() });

export interface Loaded<S> {
  state: S;
  editing: string | undefined;
}

/** The session's state for this flow, migrated if older; null when it cannot be used (the caller restarts politely). */
export function loadState<S>(session: ChatSession, schema: StateSchema<S>): Loaded<S> | null {
  const envelope = Envelope.safeParse(session.data);
  const version = envelope.success ? envelope.data.v : 0;
  let data: unknown = envelope.success ? envelope.data.state : session.data;
  if (version > schema.version) return null;
  if (version < schema.version) {
    if (!schema.migrate) return null;
    data = schema.migrate(data, version);
    if (data === null || data === undefined) return null;
  }
  const parsed = schema.state.safeParse(data);
  if (!parsed.success) return null;
  return { state: parsed.data, editing: envelope.success ? envelope.data.editing : undefined };
}

export function saveState<S>(session: ChatSession, schema: StateSchema<S>, loaded: Loaded<S>): void {
  session.data = { v: schema.version, state: loaded.state as unknown, ...(loaded.editing ? { editing: loaded.editing } : {}) };
}
