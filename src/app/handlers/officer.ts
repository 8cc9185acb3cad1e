// /officer <code> (/canbo): a one-time invitation code grants its unit (and subtree) as the person's officer scope.
// The person's own member unit stays as it is (one who chose none gets the granted unit, and is told). Tries are limited per chat; a failed try stores nothing (not even a
// subscriber row); grants and failures are logged with the subscriber id and unit — never the code.
import type { Logger } from "../../logger.js";
import type { AttemptLimiter } from "../attempt-limiter.js";
import type { CommandHandler } from "../conversation.js";
import { hashInviteCode } from "../invite-codes.js";
import type { InviteRepository, SubscriberRepository, UnitRepository } from "../ports.js";
import { unitLabel } from "./officer-tools.js";

/** Code tries per chat: 5 in 15 minutes. */
export const OFFICER_CODE_TRIES = { max: 5, windowMs: 15 * 60 * 1000 };

export interface OfficerHandlerDeps {
  subscribers: SubscriberRepository;
  invites: InviteRepository;
  units: UnitRepository;
  codeTries: AttemptLimiter;
  logger: Logger;
}

export function officerHandlers(deps: OfficerHandlerDeps) {
  const { subscribers, invites, units, logger } = deps;
  const officer: CommandHandler = async (turn) => {
    const { t, reply, args, message, now } = turn;
    if (!args) return reply({ text: t("officer.askCode") });
    const chat = `${message.channel}:${message.chatId}`;
    if (!deps.codeTries.tryAcquire(chat, now)) {
      const retryAt = deps.codeTries.retryAt(chat, now) ?? now;
      logger.warn({ channel: message.channel, subscriberId: turn.subscriber?.id ?? null }, "officer code tries throttled");
      return reply({ text: t("officer.tooManyTries", { minutes: Math.max(1, Math.ceil((retryAt.getTime() - now.getTime()) / 60_000)) }) });
    }
    const refuse = (reason: "unknown" | "used" | "expired", unitId?: number) => {
      logger.warn({ channel: message.channel, subscriberId: turn.subscriber?.id ?? null, unitId: unitId ?? null, reason }, "officer code refused");
      return reply({ text: t(`invite.${reason}`) });
    };
    if (args.length > 64) return refuse("unknown");
    const codeHash = hashInviteCode(args);
    // Checked before anyone is registered: a wrong, used or expired code leaves no row behind.
    const valid = await invites.check(codeHash, now);
    if (!valid.ok) return refuse(valid.reason, valid.unitId);
    const subscriber =
      turn.subscriber ?? (await subscribers.register({ channel: message.channel, chatId: message.chatId, displayName: message.displayName, locale: turn.locale }));
    const result = await invites.redeem(codeHash, subscriber.id, now);
    if (!result.ok) return refuse(result.reason, result.unitId);
    logger.info({ channel: message.channel, subscriberId: subscriber.id, unitId: result.unitId, grantId: result.grantId }, "officer granted");
    const unit = await units.findById(result.unitId);
    const lines = [t("officer.welcome", { unit: unit ? unitLabel(unit) : String(result.unitId) })];
    // The grant is a scope, not a move: a member unit they chose stays (and they are told which); one who chose none
    // yet gets the granted unit as their own, and is told so.
    const own = subscriber.unitId === null ? null : await units.findById(subscriber.unitId);
    if (own && own.id !== result.unitId) lines.push(t("officer.memberUnitKept", { unit: unitLabel(own) }));
    if (subscriber.unitId === null && unit) {
      await subscribers.setUnit(subscriber.id, unit.id);
      lines.push(t("officer.memberUnitSet", { unit: unitLabel(unit) }));
    }
    await reply({ text: lines.join("\n") });
  };
  return { officer };
}
