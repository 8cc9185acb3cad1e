// Members and registrations for console tests, written through the bot's own repositories (real database).
import type { PledgeDraft } from "../../src/app/ports.js";
import { createRepositories, migrate, openDatabase } from "../../src/db/index.js";

export interface SeedUnit {
  code: string;
  /** Subscribers to create in the unit (Telegram chats). */
  people: number;
  /** How many of them register (an active individual pledge in the campaign's phase). */
  registered: number;
  /** How many of the registered ones the unit has approved (first ones first; none when absent). */
  approved?: number;
}

/** Creates the people and their registrations; returns the subscriber ids per unit (registered ones first). */
export async function seedMembers(databaseUrl: string, campaignSlug: string, phaseNumber: number, units: SeedUnit[], options: { firstChatId?: number } = {}): Promise<Map<string, number[]>> {
  await migrate(databaseUrl);
  const db = openDatabase(databaseUrl);
  try {
    const r = createRepositories(db);
    const campaign = await r.campaigns.findBySlug(campaignSlug);
    if (!campaign) throw new Error(`no campaign ${campaignSlug}`);
    const title = campaign.definition.titles.find((t) => t.scope === "individual")!;
    let chat = options.firstChatId ?? 700_000;
    const out = new Map<string, number[]>();
    for (const u of units) {
      const unit = await r.units.findByCode(u.code);
      if (!unit) throw new Error(`no unit ${u.code}`);
      const ids: number[] = [];
      for (let i = 0; i < u.people; i++) {
        const person = await r.subscribers.register({ channel: "telegram", chatId: String(chat++), displayName: `Người ${u.code} ${String(i + 1).padStart(2, "0")}`, locale: "vi" });
        await r.subscribers.setUnit(person.id, unit.id);
        ids.push(person.id);
        if (i < u.registered) {
          const draft: PledgeDraft = {
            campaignId: campaign.id,
            phaseNumber,
            kind: "individual",
            unitId: unit.id,
            fullName: `Người ${u.code} ${String(i + 1).padStart(2, "0")}`,
            position: null,
            commitment: "Hoàn thành xuất sắc nhiệm vụ",
            items: [{ type: "title", key: title.key, name: title.name }],
          };
          const pledge = await r.pledges.create(draft, person.id, campaign.definition.code_prefix, new Date());
          if (i < (u.approved ?? 0)) await r.pledges.review({ id: pledge.id, decision: { kind: "approve" }, bySubscriberId: person.id, now: new Date(), notice: () => null });
        }
      }
      out.set(u.code, ids);
    }
    return out;
  } finally {
    await db.close();
  }
}
