// /console (/quanly): an officer gets a one-time link (15 minutes, works once) that opens the web console in a
// browser, scoped to their grant. The link is a secret: it is sent to this chat only and never logged.
import type { CommandHandler } from "../conversation.js";
import type { PledgeReportRepository } from "../ports.js";

/** Issues a one-time console link for an officer (the console's link issuer, wired in main.ts). */
export type ConsoleLinkIssuer = (subscriberId: number) => Promise<{ url: string; minutes: number }>;

export function consoleHandler(deps: { pledgeReports: PledgeReportRepository; consoleLinks?: ConsoleLinkIssuer }): CommandHandler {
  return async (turn) => {
    const subscriber = turn.subscriber;
    if (!subscriber || (await deps.pledgeReports.officerGrantUnitId(subscriber.id)) === null) return turn.reply({ text: turn.t("officer.noUnit") });
    if (!deps.consoleLinks) return turn.reply({ text: turn.t("console.chat.unavailable") });
    const link = await deps.consoleLinks(subscriber.id);
    await turn.reply({ text: turn.t("console.chat.link", { url: link.url, minutes: link.minutes }) });
  };
}
