// /theme, /phases, /events: what anyone can ask about the campaign(s) that are current today.
import type { CampaignDefinition } from "../../domain/campaign.js";
import { pickCurrentCampaign } from "../../domain/calendar.js";
import { renderEvents, renderPhases, renderTheme } from "../campaign-text.js";
import type { CommandHandler, Turn } from "../conversation.js";
import type { Translate } from "../i18n.js";
import type { CampaignRepository, Locale } from "../ports.js";

type Render = (def: CampaignDefinition, now: Date, tz: string, locale: Locale, t: Translate) => string;

export function campaignInfoHandlers(campaigns: CampaignRepository, timezone: string) {
  const answer =
    (render: Render): CommandHandler =>
    async ({ now, locale, t, reply }: Turn) => {
      const all = (await campaigns.listAll()).map((c) => c.definition);
      const picks = pickCurrentCampaign(all, now, timezone);
      if (picks.length === 0) return reply({ text: t("campaign.none") });
      // Several campaigns running at once (e.g. two federations on one bot): one message each.
      for (const { campaign } of picks) await reply({ text: render(campaign, now, timezone, locale, t) });
    };

  return { theme: answer(renderTheme), phases: answer(renderPhases), events: answer(renderEvents) };
}
