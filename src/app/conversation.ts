// The one conversation core: every channel hands it an IncomingMessage and a Reply; no business rule lives in
// a channel. It resolves who is talking and in which language, then routes to a command handler.
import type { Logger } from "../logger.js";
import { parseCommand, type CommandName } from "./commands.js";
import { localeFromLanguageCode, translator, type Translate } from "./i18n.js";
import type { CampaignRepository, IncomingMessage, Locale, Reply, Subscriber, SubscriberRepository, UnitRepository } from "./ports.js";

export interface ConversationDeps {
  campaigns: CampaignRepository;
  subscribers: SubscriberRepository;
  units: UnitRepository;
  /** The campaign clock's zone, e.g. Asia/Ho_Chi_Minh. */
  timezone: string;
  /** "Now" comes from here so tests never depend on the wall clock. */
  now: () => Date;
  logger: Logger;
}

/** What a command handler gets: the message, who sent it, and a translator in their language. */
export interface Turn {
  message: IncomingMessage;
  subscriber: Subscriber | null;
  locale: Locale;
  t: Translate;
  args: string;
  now: Date;
  reply: Reply;
}

export type CommandHandler = (turn: Turn) => Promise<void>;

export interface Conversation {
  handle(message: IncomingMessage, reply: Reply): Promise<void>;
}

export function createConversation(deps: ConversationDeps, handlers: Record<CommandName, CommandHandler>): Conversation {
  return {
    async handle(message, reply) {
      const subscriber = await deps.subscribers.find(message.channel, message.chatId);
      const locale = subscriber?.locale ?? localeFromLanguageCode(message.languageCode);
      const t = translator(locale);
      const text = message.text.normalize("NFC").trim();
      const command = parseCommand(text);
      const turn: Turn = { message: { ...message, text }, subscriber, locale, t, args: command?.args ?? "", now: deps.now(), reply };
      try {
        if (!command) return await reply({ text: t("unknown.text") });
        if (!command.name) return await reply({ text: t("unknown.command", { command: `/${command.typed}` }) });
        await handlers[command.name](turn);
      } catch (error) {
        deps.logger.error({ err: error, channel: message.channel, chatId: message.chatId }, "conversation turn failed");
        await reply({ text: t("error.internal") });
      }
    },
  };
}
