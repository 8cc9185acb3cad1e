// The admin CLI's command table. A new command: a module exporting a `Command` (see ./cli.ts), listed here.
import type { Command } from "./cli.js";
import { campaignAnnounce, campaignList, campaignLoad } from "./campaign-commands.js";
import { inviteCreate } from "./invite-commands.js";
import { pledgesExport } from "./pledge-commands.js";
import { planImport } from "./plan-import-command.js";
import { unitsImport } from "./unit-commands.js";

export const COMMANDS: readonly Command[] = [campaignLoad, campaignList, campaignAnnounce, unitsImport, inviteCreate, pledgesExport, planImport];
