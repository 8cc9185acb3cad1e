// /start, /stop and /lang: the subscriber's own settings.
import type { CommandHandler, Turn } from "../conversation.js";
import { isLocale, localeFromLanguageCode, translator } from "../i18n.js";
import type { SubscriberRepository } from "../ports.js";
import { help } from "./help.js";

export function accountHandlers(subscribers: SubscriberRepository) {
  const start: CommandHandler = async (turn: Turn) => {
    const { message, subscriber } = turn;
    const locale = subscriber?.locale ?? localeFromLanguageCode(message.languageCode);
    await subscribers.register({ channel: message.channel, chatId: message.chatId, displayName: message.displayName, locale });
    const t = translator(locale);
    const name = message.displayName?.trim() || t("welcome.friend");
    await turn.reply({ text: t(subscriber ? "welcome.back" : "welcome.new", { name }) });
    await help({ ...turn, locale, t });
  };

  const stop: CommandHandler = async ({ subscriber, t, reply }) => {
    if (!subscriber || subscriber.status !== "active") return reply({ text: t("stop.notSubscribed") });
    await subscribers.setStatus(subscriber.id, "stopped");
    await reply({ text: t("stop.done") });
  };

  const lang: CommandHandler = async ({ message, subscriber, t, args, reply }) => {
    const wanted = args.toLowerCase();
    if (!wanted) {
      return reply({
        text: t("lang.ask"),
        choices: [
          { label: t("lang.vi"), value: "/lang vi" },
          { label: t("lang.en"), value: "/lang en" },
        ],
      });
    }
    if (!isLocale(wanted)) return reply({ text: t("lang.unknown", { value: args }) });
    // Choosing a language is a reason to remember the person even before /start.
    const target =
      subscriber ?? (await subscribers.register({ channel: message.channel, chatId: message.chatId, displayName: message.displayName, locale: wanted }));
    await subscribers.setLocale(target.id, wanted);
    await reply({ text: translator(wanted)("lang.set") });
  };

  return { start, stop, lang };
}
