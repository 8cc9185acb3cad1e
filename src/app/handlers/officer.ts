// /officer <code>: a one-time invitation code makes the person an officer of the code's unit.
import type { CommandHandler } from "../conversation.js";
import { hashInviteCode } from "../invite-codes.js";
import type { InviteRepository, SubscriberRepository, UnitRepository } from "../ports.js";

export function officerHandlers(subscribers: SubscriberRepository, invites: InviteRepository, units: UnitRepository) {
  const officer: CommandHandler = async (turn) => {
    const { t, reply, args, message, now } = turn;
    if (!args) return reply({ text: t("officer.askCode") });
    if (args.length > 64) return reply({ text: t("invite.unknown") });
    const subscriber =
      turn.subscriber ??
      (await subscribers.register({ channel: message.channel, chatId: message.chatId, displayName: message.displayName, locale: turn.locale }));
    const result = await invites.redeem(hashInviteCode(args), subscriber.id, now);
    if (!result.ok) return reply({ text: t(`invite.${result.reason}`) });
    await subscribers.makeOfficer(subscriber.id, result.unitId);
    const unit = await units.findById(result.unitId);
    await reply({ text: t("officer.welcome", { unit: unit ? `${unit.name} (${unit.code})` : String(result.unitId) }) });
  };
  return { officer };
}
