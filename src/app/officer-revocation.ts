// Revoking an officer: the grant ends at once (officer commands are refused from the next message on) and the person
// is told through the outbox — one row per revoked grant, keyed by the grant, so the running bot's delivery worker
// sends it once even when the revocation is repeated or the bot restarts meanwhile.
import { t } from "./i18n.js";
import type { OfficerGrant, OfficerGrantRepository, OfficerGrantTarget, OutboxRepository, SubscriberRepository, UnitRepository } from "./ports.js";

export interface OfficerRevocationDeps {
  officerGrants: OfficerGrantRepository;
  subscribers: SubscriberRepository;
  units: UnitRepository;
  outbox: OutboxRepository;
}

export const OFFICER_REVOKED_EVENT = "officer-revoked";

export async function revokeOfficer(deps: OfficerRevocationDeps, target: OfficerGrantTarget, by: string, now: Date): Promise<{ revoked: OfficerGrant[]; notified: number }> {
  const revoked = await deps.officerGrants.revoke(target, by, now);
  const rows = [];
  for (const grant of revoked) {
    const subscriber = await deps.subscribers.findById(grant.subscriberId);
    if (!subscriber) continue;
    const unit = await deps.units.findById(grant.unitId);
    const key = `${OFFICER_REVOKED_EVENT}:${grant.id}`;
    rows.push({
      key,
      eventKey: key,
      eventType: OFFICER_REVOKED_EVENT,
      subscriberId: subscriber.id,
      channel: subscriber.channel,
      chatId: subscriber.chatId,
      text: t(subscriber.locale, "officer.revoked", { unit: unit ? `${unit.name} (${unit.code})` : String(grant.unitId) }),
      notBefore: now,
      expiresAt: null,
    });
  }
  const notified = rows.length > 0 ? await deps.outbox.enqueue(rows) : 0;
  return { revoked, notified };
}
