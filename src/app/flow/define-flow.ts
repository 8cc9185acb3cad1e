// A guided flow as a declaration: its state (a zod schema, stored in the chat session) and its steps in order.
// The engine asks the current step, takes answers, skips steps that do not apply, returns to the summary after a
// field is edited, and re-asks after a wrong answer or a command typed mid-flow. See ./steps for the shared kinds
// and test/app/flow-kit.test.ts for a five-question flow.
//
// Closer to Rasa's forms (ordered slots, each with its question and its validation, some required only in some
// cases) than to grammY's conversations (linear code re-run from the stored update log on every message): here the
// state is a small typed record in the database, so a restart, another instance or a new version resumes from it
// without replaying anything, and a change to a flow's steps cannot desynchronise a replay.
import { endFlow, startFlow, type Flow, type Turn } from "../conversation.js";
import type { ChatSession, OutgoingMessage } from "../ports.js";
import { loadState, saveState, type Loaded, type StateSchema } from "./flow-session.js";
import { invalid, type Outcome, type Step, type StepContext } from "./step.js";

export interface FlowDefinition<S> extends StateSchema<S> {
  name: string;
  steps: readonly Step<S>[];
  /** The step an edited field returns to (the confirm/edit/cancel summary). */
  summary?: string;
  /** The command that starts the flow again, named when a stored session cannot be resumed. */
  restartCommand: string;
}

export interface DefinedFlow<S> extends Flow {
  /** Starts the flow with `state`, at `at` or at the first step that applies. */
  start(turn: Turn, state: S, at?: string): Promise<void>;
  /** This flow's state in a session, or null when another flow (or none) is active or it cannot be read. */
  stateOf(session: ChatSession): S | null;
}

export function defineFlow<S>(definition: FlowDefinition<S>): DefinedFlow<S> {
  const { steps, name } = definition;
  const indexOf = (id: string) => {
    const i = steps.findIndex((s) => s.id === id);
    if (i < 0) throw new Error(`flow ${name}: no step ${id}`);
    return i;
  };
  const groupOf = (step: Step<S>) => step.group ?? step.id;

  type Live = Loaded<S> & { turn: Turn };
  const context = (live: Live): StepContext<S> => ({ turn: live.turn, t: live.turn.t, state: live.state, editing: live.editing !== undefined });
  const save = (live: Live) => saveState(live.turn.session, definition, live);

  async function load(turn: Turn): Promise<Live | null> {
    const known = steps.some((s) => s.id === turn.session.step);
    const loaded = turn.session.flow === name && known ? loadState(turn.session, definition) : null;
    if (loaded) return { ...loaded, turn };
    // Stored by another version of the bot and not convertible: say so and let the person start again.
    endFlow(turn.session);
    await turn.reply({ text: turn.t("flow.restarted", { command: definition.restartCommand }) });
    return null;
  }

  async function ask(live: Live): Promise<void> {
    const step = steps[indexOf(live.turn.session.step ?? steps[0]!.id)]!;
    const prompt = await step.ask(context(live));
    live.turn.asked = true;
    // A step may end the flow while asking (its subject is gone); then there is nothing to keep.
    if (live.turn.session.flow !== name) return;
    save(live);
    const messages: OutgoingMessage[] = prompt ? (Array.isArray(prompt) ? prompt : [prompt]) : [];
    for (const message of messages) await live.turn.reply(message);
  }

  /** Arrives at `id`: the summary ends an edit; a guard may send the person elsewhere first. */
  async function arrive(live: Live, id: string): Promise<void> {
    if (id === definition.summary) live.editing = undefined;
    const redirect = await steps[indexOf(id)]!.guard?.(context(live));
    if (redirect && "end" in redirect) return follow(live, { kind: "end", message: redirect.end });
    if (redirect) {
      if (redirect.message) await live.turn.reply({ text: redirect.message });
      return arrive(live, redirect.step);
    }
    live.turn.session.step = id;
    await ask(live);
  }

  /** The next step after `from` that applies; while editing, only inside the edited group, then the summary. */
  async function advance(live: Live, from: string): Promise<void> {
    for (const step of steps.slice(indexOf(from) + 1)) {
      if (live.editing !== undefined && groupOf(step) !== live.editing) break;
      if (await (step.applies?.(context(live)) ?? true)) return arrive(live, step.id);
    }
    if (live.editing !== undefined && definition.summary) return arrive(live, definition.summary);
    endFlow(live.turn.session);
  }

  async function follow(live: Live, outcome: Outcome): Promise<void> {
    const turn = live.turn;
    // The step ended the flow itself (its subject is gone) and said why.
    if (turn.session.flow !== name) return;
    switch (outcome.kind) {
      case "next":
        return advance(live, turn.session.step!);
      case "invalid":
        await turn.reply({ text: outcome.message });
        return ask(live);
      case "again":
        return ask(live);
      case "waiting":
        return save(live);
      case "goto":
        if (outcome.edit) live.editing = groupOf(steps[indexOf(outcome.step)]!);
        return arrive(live, outcome.step);
      case "end":
        endFlow(turn.session);
        if (outcome.message) await turn.reply({ text: outcome.message });
    }
  }

  const takesPhotos = steps.some((s) => s.takesPhoto);

  return {
    name,
    async start(turn, state, at) {
      startFlow(turn.session, name, at ?? steps[0]!.id);
      const live: Live = { turn, state, editing: undefined };
      save(live);
      if (at) return arrive(live, at);
      const first = steps[0]!;
      if (await (first.applies?.(context(live)) ?? true)) return arrive(live, first.id);
      return advance(live, first.id);
    },
    async ask(turn) {
      const live = await load(turn);
      if (live) await ask(live);
    },
    async answer(turn) {
      const live = await load(turn);
      if (!live) return;
      const step = steps[indexOf(turn.session.step ?? steps[0]!.id)]!;
      // A photo too early in a flow that asks for one later ("not this step yet"); in any other flow, none is needed.
      if (turn.message.photo && !step.takesPhoto) return follow(live, invalid(turn.t(takesPhotos ? "photo.notThisStep" : "photo.notAsked")));
      await follow(live, await step.answer(context(live), turn.args));
    },
    stateOf(session) {
      return session.flow === name ? (loadState(session, definition)?.state ?? null) : null;
    },
  };
}
