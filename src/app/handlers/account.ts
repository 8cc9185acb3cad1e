// /start, /stop, /lang, /unit and /cancel: the subscriber's own settings.
import { endFlow, type CommandHandler, type Turn } from "../conversation.js";
import type { ChooseUnitFlow } from "../flows/choose-unit.js";
import { isLocale, translator } from "../i18n.js";
import type { Subscriber, SubscriberRepository, UnitRepository } from "../ports.js";
import { help } from "./help.js";

export function accountHandlers(subscribers: SubscriberRepository, units: UnitRepository, chooseUnit: ChooseUnitFlow) {
  /** The person as a subscriber, registering them (active) when they are not one yet. */
  const ensureSubscriber = async (turn: Turn): Promise<Subscriber> =>
    turn.subscriber ??
    (turn.subscriber = await subscribers.register({
      channel: turn.message.channel,
      chatId: turn.message.chatId,
      displayName: turn.message.displayName,
      locale: turn.locale,
    }));

  const start: CommandHandler = async (turn) => {
    const known = turn.subscriber;
    turn.subscriber = await subscribers.register({
      channel: turn.message.channel,
      chatId: turn.message.chatId,
      displayName: turn.message.displayName,
      locale: turn.locale,
    });
    const name = turn.message.displayName?.trim() || turn.t("welcome.friend");
    await turn.reply({ text: turn.t(known ? "welcome.back" : "welcome.new", { name }) });
    if (turn.subscriber.unitId === null && (await units.count()) > 0) return chooseUnit.begin(turn);
    await help(turn);
  };

  const stop: CommandHandler = async ({ subscriber, t, reply, session }) => {
    endFlow(session);
    if (!subscriber || subscriber.status !== "active") return reply({ text: t("stop.notSubscribed") });
    await subscribers.setStatus(subscriber.id, "stopped");
    await reply({ text: t("stop.done") });
  };

  const lang: CommandHandler = async (turn) => {
    const { t, args, reply } = turn;
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
    const subscriber = await ensureSubscriber(turn);
    await subscribers.setLocale(subscriber.id, wanted);
    turn.locale = wanted;
    turn.t = translator(wanted);
    await reply({ text: turn.t("lang.set"), locale: wanted });
  };

  const unit: CommandHandler = async (turn) => {
    if ((await units.count()) === 0) return turn.reply({ text: turn.t("unit.noneImported") });
    await ensureSubscriber(turn);
    await chooseUnit.begin(turn);
  };

  const cancel: CommandHandler = async ({ session, t, reply }) => {
    if (!session.flow) return reply({ text: t("cancel.nothing") });
    endFlow(session);
    await reply({ text: t("cancel.done") });
  };

  return { start, stop, lang, unit, cancel };
}
