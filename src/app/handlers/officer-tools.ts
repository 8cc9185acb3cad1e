// Officer-only commands whose tools are still being built: officers are told so plainly (members never get
// here: the conversation core refuses them first).
import type { CommandHandler } from "../conversation.js";

const notYet: CommandHandler = ({ t, reply }) => reply({ text: t("officer.notYet") });

export const officerTools = { stats: notYet, export: notYet, broadcast: notYet };
