// The conversation core with every command handler and flow attached: what main.ts and the tests talk to.
import type { Logger } from "../logger.js";
import { createConversation, type Conversation } from "./conversation.js";
import { approveAllFlow, approveReturnFlow } from "./flows/approve.js";
import { broadcastFlow } from "./flows/broadcast.js";
import { listReturnFlow, reportFlow } from "./flows/report.js";
import { resultsFlow } from "./flows/results.js";
import { chooseUnitFlow } from "./flows/choose-unit.js";
import { pledgeFlow } from "./flows/pledge.js";
import { accountHandlers } from "./handlers/account.js";
import { approveHandler } from "./handlers/approve.js";
import { reportHandler } from "./handlers/report.js";
import { resultsHandler } from "./handlers/results.js";
import { broadcastHandler } from "./handlers/broadcast.js";
import { campaignInfoHandlers } from "./handlers/campaign-info.js";
import { eraseHandler } from "./handlers/erase.js";
import { consoleHandler, type ConsoleLinkIssuer } from "./handlers/console.js";
import { exportHandler } from "./handlers/export.js";
import { help } from "./handlers/help.js";
import { OFFICER_CODE_TRIES, officerHandlers } from "./handlers/officer.js";
import { createAttemptLimiter } from "./attempt-limiter.js";
import { pledgeHandlers } from "./handlers/pledges.js";
import { startWithInvite } from "./handlers/start-invite.js";
import { statsHandler } from "./handlers/stats.js";
import type { BroadcastRepository, CampaignRepository, ErasureRepository, InviteRepository, OfficerGrantRepository, UnitFilingRepository, OutboxRepository, PledgeReportRepository, PledgeRepository, RecipientRepository, SessionRepository, SubscriberRepository, UnitRepository } from "./ports.js";

export interface BotDeps {
  campaigns: CampaignRepository;
  subscribers: SubscriberRepository;
  units: UnitRepository;
  sessions: SessionRepository;
  invites: InviteRepository;
  pledges: PledgeRepository;
  pledgeReports: PledgeReportRepository;
  broadcasts: BroadcastRepository;
  erasure: ErasureRepository;
  unitFilings: UnitFilingRepository;
  officerGrants: OfficerGrantRepository;
  recipients: RecipientRepository;
  outbox: OutboxRepository;
  timezone: string;
  now: () => Date;
  logger: Logger;
  /** One-time web console links for /quanly; absent: the command says the console is not available. */
  consoleLinks?: ConsoleLinkIssuer;
  /** How long an unfinished guided flow waits for an answer (default 24 h). */
  flowTtlMs?: number;
}

export const DEFAULT_FLOW_TTL_MS = 24 * 60 * 60 * 1000;

export function createBot(deps: BotDeps): Conversation {
  const chooseUnit = chooseUnitFlow(deps.units, deps.subscribers);
  const pledge = pledgeFlow(deps);
  const broadcast = broadcastFlow(deps);
  const approveReturn = approveReturnFlow(deps);
  const approveAll = approveAllFlow(deps);
  const results = resultsFlow(deps);
  const report = reportFlow(deps);
  const listReturn = listReturnFlow(deps);
  const account = accountHandlers(deps.subscribers, deps.units, chooseUnit);
  const officer = officerHandlers({ ...deps, codeTries: createAttemptLimiter(OFFICER_CODE_TRIES) });
  return createConversation(
    { subscribers: deps.subscribers, sessions: deps.sessions, now: deps.now, logger: deps.logger, flowTtlMs: deps.flowTtlMs ?? DEFAULT_FLOW_TTL_MS },
    {
      help,
      ...account,
      // A console invitation's deep link (t.me/<bot>?start=officer_<code>) redeems the code on tap.
      start: startWithInvite(account.start, officer.officer),
      ...campaignInfoHandlers(deps.campaigns, deps.timezone),
      ...officer,
      broadcast: broadcastHandler({ ...deps, flow: broadcast }),
      stats: statsHandler(deps),
      erase: eraseHandler(deps),
      export: exportHandler(deps),
      console: consoleHandler(deps),
      ...pledgeHandlers({ ...deps, flow: pledge }),
      approve: approveHandler({ ...deps, returnFlow: approveReturn, allFlow: approveAll }),
      results: resultsHandler({ ...deps, flow: results }),
      report: reportHandler({ ...deps, reportFlow: report, listReturnFlow: listReturn }),
    },
    [chooseUnit, pledge, broadcast, approveReturn, approveAll, results, report, listReturn],
  );
}
