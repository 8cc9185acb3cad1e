import type { CommandHandler } from "../conversation.js";

export const help: CommandHandler = async ({ t, reply, subscriber }) => {
  const lines = [t("help.title"), t("help.commands")];
  if (subscriber?.role === "officer") lines.push("", t("help.officer"));
  lines.push("", t("help.english"));
  await reply({ text: lines.join("\n") });
};
