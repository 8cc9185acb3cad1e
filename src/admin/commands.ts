// The admin CLI's command table. A new command: a module exporting a `Command` (see ./cli.ts), listed here.
import type { Command } from "./cli.js";
import { campaignAnnounce, campaignList, campaignLoad, campaignRollover } from "./campaign-commands.js";
import { consoleLink } from "./console-commands.js";
import { inviteCreate } from "./invite-commands.js";
import { officerList, officerRevoke } from "./officer-commands.js";
import { pledgesExport } from "./pledge-commands.js";
import { reportExport } from "./report-commands.js";
import { evaluationExport } from "./evaluation-commands.js";
import { planImport } from "./plan-import-command.js";
import { subscriberErase } from "./subscriber-commands.js";
import { unitsImport } from "./unit-commands.js";

export const COMMANDS: readonly Command[] = [campaignLoad, campaignList, campaignAnnounce, campaignRollover, unitsImport, inviteCreate, officerList, officerRevoke, subscriberErase, consoleLink, pledgesExport, reportExport, evaluationExport, planImport];
