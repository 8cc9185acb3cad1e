// /erase (/xoadulieu): a person erases their data, after a confirmation step. The confirmation counts only as the
// answer to the prompt just shown (its button, or its number typed), so a stray "/xoadulieu xacnhan" shows the prompt
// instead of erasing. What is erased and what is kept anonymous: src/db/erasure-repository.ts.
import type { Logger } from "../../logger.js";
import { endFlow, type CommandHandler } from "../conversation.js";
import type { ErasureRepository } from "../ports.js";

/** The confirm button's value: what comes back when it is pressed (or its number typed). */
export const ERASE_CONFIRM = "/xoadulieu xacnhan";
const ERASE_KEEP = "/xoadulieu giulai";

export function eraseHandler(deps: { erasure: ErasureRepository; logger: Logger }): CommandHandler {
  return async (turn) => {
    const { t, reply, args, message, session } = turn;
    const answer = args.toLowerCase();
    const prompted = session.choices?.some((c) => c.value === ERASE_CONFIRM) ?? false;
    if (prompted && answer === "giulai") return reply({ text: t("erase.kept") });
    if (!prompted || answer !== "xacnhan") {
      // The question replaces a guided conversation in progress, so its buttons are the ones a typed number picks.
      endFlow(session);
      return reply({
        text: t("erase.confirm"),
        choices: [
          { label: t("erase.confirmButton"), value: ERASE_CONFIRM },
          { label: t("erase.keepButton"), value: ERASE_KEEP },
        ],
      });
    }
    const report = await deps.erasure.eraseChat(message.channel, message.chatId);
    // Counts only: the chat id and the name are gone, and stay out of the log too.
    deps.logger.info({ channel: message.channel, ...report }, "personal data erased at the person's request");
    turn.forget = true;
    await reply({ text: t("erase.done") });
  };
}
