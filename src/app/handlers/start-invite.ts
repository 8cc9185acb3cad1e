// /start with an invitation payload: the Telegram deep link https://t.me/<bot>?start=officer_<code> (the console's
// invitation) redeems the code on tap, exactly as `/canbo <code>` would. Any other /start is the ordinary one.
import type { CommandHandler } from "../conversation.js";

/** The deep-link payload for an invitation code ("K7QM-3WXP-9HTD" → "officer_K7QM3WXP9HTD"): Telegram allows [A-Za-z0-9_-]. */
export const invitePayload = (code: string) => `officer_${code.replace(/[^A-Za-z0-9]/g, "")}`;

const PAYLOAD = /^officer_([A-Za-z0-9]{1,40})$/;

export function startWithInvite(start: CommandHandler, officer: CommandHandler): CommandHandler {
  return async (turn) => {
    const match = PAYLOAD.exec(turn.args);
    if (!match) return start(turn);
    turn.args = match[1]!;
    await officer(turn);
  };
}
