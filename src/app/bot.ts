// The conversation core with every command handler attached: what main.ts and the tests talk to.
import type { Logger } from "../logger.js";
import { createConversation, type Conversation } from "./conversation.js";
import { accountHandlers } from "./handlers/account.js";
import { campaignInfoHandlers } from "./handlers/campaign-info.js";
import { help } from "./handlers/help.js";
import type { CampaignRepository, SubscriberRepository, UnitRepository } from "./ports.js";

export interface BotDeps {
  campaigns: CampaignRepository;
  subscribers: SubscriberRepository;
  units: UnitRepository;
  timezone: string;
  now: () => Date;
  logger: Logger;
}

export function createBot(deps: BotDeps): Conversation {
  return createConversation(deps, {
    help,
    ...accountHandlers(deps.subscribers),
    ...campaignInfoHandlers(deps.campaigns, deps.timezone),
  });
}
