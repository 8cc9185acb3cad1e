// The one conversation core: every channel hands it an IncomingMessage and a Reply; no business rule lives in
// a channel. It resolves who is talking, in which language and where they are in a guided flow (persisted, so a
// restart resumes at the same step), turns a typed number or label into the choice it names, and routes to a
// command handler or to the active flow. Flows are declared with the toolkit in ./flow (define-flow.ts).
import { typedText } from "../domain/user-text.js";
import type { Logger } from "../logger.js";
import { matchChoice } from "./flow/choice-match.js";
import { COMMANDS, OFFICER_COMMANDS, OFFICER_FLOWS, parseCommand, type CommandName } from "./commands.js";
import { localeFromLanguageCode, translator, type Translate } from "./i18n.js";
import type { ChatSession, Choice, IncomingMessage, Locale, OutgoingMessage, Reply, SessionRepository, Subscriber, SubscriberRepository } from "./ports.js";

export interface ConversationDeps {
  subscribers: SubscriberRepository;
  sessions: SessionRepository;
  /** "Now" comes from here so tests never depend on the wall clock. */
  now: () => Date;
  /** How long an unfinished flow waits for its next answer. */
  flowTtlMs: number;
  logger: Logger;
}

/** What a handler gets: the message, who sent it, their session, and a translator in their language. */
export interface Turn {
  message: IncomingMessage;
  subscriber: Subscriber | null;
  locale: Locale;
  t: Translate;
  /** Text after the command name (commands), or the whole answer (flows). */
  args: string;
  now: Date;
  reply: Reply;
  /** Mutable; saved when the turn ends without error. */
  session: ChatSession;
  /** Set when a flow asked its question during this turn, so the core does not ask it twice. */
  asked?: boolean;
  /** Set by /erase once the person's data is gone: nothing of this turn is saved again. */
  forget?: boolean;
}

export type CommandHandler = (turn: Turn) => Promise<void>;

/** A guided conversation: asks its current step's question, and takes the answers. */
export interface Flow {
  readonly name: string;
  /** (Re-)ask the current step's question: after a command typed mid-flow, or on resume. */
  ask(turn: Turn): Promise<void>;
  /** A reply that is not a command, while this flow is active (`turn.args` holds it). */
  answer(turn: Turn): Promise<void>;
}

export interface Conversation {
  handle(message: IncomingMessage, reply: Reply): Promise<void>;
}

export const emptySession = (): ChatSession => ({ flow: null, step: null, data: {}, choices: null, expiresAt: null });

export function startFlow(session: ChatSession, flow: string, step: string, data: Record<string, unknown> = {}): void {
  Object.assign(session, { flow, step, data });
}

export function endFlow(session: ChatSession): void {
  Object.assign(session, { flow: null, step: null, data: {} });
}

/** "2", or "tiep tuc" for the button "Tiếp tục" → that choice's value; anything else unchanged. */
const resolveChoice = (text: string, choices: Choice[] | null): string => matchChoice(text, choices) ?? text;

export function createConversation(
  deps: ConversationDeps,
  handlers: Record<CommandName, CommandHandler>,
  flows: readonly Flow[],
): Conversation {
  const flowByName = new Map(flows.map((f) => [f.name, f]));

  return {
    async handle(message, rawReply) {
      const now = deps.now();
      const subscriber = await deps.subscribers.find(message.channel, message.chatId);
      const locale = subscriber?.locale ?? localeFromLanguageCode(message.languageCode);
      const t = translator(locale);
      if (message.unreadable) return rawReply({ text: t("update.unreadable"), locale });
      const stored = await deps.sessions.get(message.channel, message.chatId);
      const session = stored ?? emptySession();
      // What was stored, to write the session back only when the turn changed it (most commands do not).
      const storedAs = stored ? JSON.stringify(stored) : null;
      // An abandoned flow expires with nothing stored.
      if (session.flow && session.expiresAt && session.expiresAt <= now) endFlow(session);

      let lastChoices: Choice[] | null = null;
      // The reader's language at the time of each reply: /ngonngu mid-turn switches what follows.
      const reply: Reply = async (out: OutgoingMessage) => {
        if (out.choices?.length) lastChoices = out.choices;
        await rawReply({ ...out, locale: out.locale ?? turn.locale });
      };

      const text = resolveChoice(typedText(message.text).trim(), session.choices);
      const command = parseCommand(text);
      // Display names come from the platforms as typed too: kept and shown in NFC, well-formed.
      const displayName = message.displayName === undefined ? undefined : typedText(message.displayName);
      const turn: Turn = { message: { ...message, text, displayName }, subscriber, locale, t, args: command?.args ?? text, now, reply, session };
      const flowBefore = session.flow;
      const stepBefore = session.step;
      try {
        if (command) {
          await runCommand(command.name, command.typed, turn);
          // A command typed mid-flow is answered, then the flow asks its question again (in the language now set) —
          // unless the command asked a question of its own (/ngonngu's buttons): its answer, a command too, comes
          // first, and the flow's question after that.
          const flow = session.flow ? flowByName.get(session.flow) : undefined;
          const commandAsked = lastChoices !== null;
          if (flow && !commandAsked && !turn.asked && session.flow === flowBefore && session.step === stepBefore && command.name !== "cancel") await flow.ask(turn);
        } else if (session.flow && OFFICER_FLOWS.has(session.flow) && subscriber?.role !== "officer") {
          // Revoked while composing: nothing of the flow goes on.
          const command = `/${locale === "vi" ? (COMMANDS[session.flow as CommandName]?.[0] ?? session.flow) : session.flow}`;
          endFlow(session);
          await reply({ text: t("officer.only", { command }) });
        } else {
          const flow = session.flow ? flowByName.get(session.flow) : undefined;
          if (flow) await flow.answer(turn);
          else await reply({ text: t(message.photo ? "photo.notAsked" : "unknown.text") });
        }
      } catch (error) {
        deps.logger.error({ err: error, channel: message.channel, chatId: message.chatId }, "conversation turn failed");
        await rawReply({ text: t("error.internal"), locale });
        return;
      }
      if (turn.forget) return;
      session.choices = lastChoices;
      session.expiresAt = session.flow ? new Date(now.getTime() + deps.flowTtlMs) : null;
      if ((stored || session.flow || session.choices) && JSON.stringify(session) !== storedAs) await deps.sessions.save(message.channel, message.chatId, session);
    },
  };

  async function runCommand(name: CommandName | null, typed: string, turn: Turn): Promise<void> {
    if (!name) return turn.reply({ text: turn.t("unknown.command", { command: `/${typed}` }) });
    if (OFFICER_COMMANDS.has(name) && turn.subscriber?.role !== "officer") {
      return turn.reply({ text: turn.t("officer.only", { command: `/${typed}` }) });
    }
    await handlers[name](turn);
  }
}
