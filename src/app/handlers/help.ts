import type { CommandHandler } from "../conversation.js";

export const help: CommandHandler = async ({ t, reply }) => {
  await reply({ text: [t("help.title"), t("help.commands"), "", t("help.english")].join("\n") });
};
