// Erasure of a person (/xoadulieu, `npm run admin -- subscriber erase`): every row that names them — their chat id,
// display name, typed answers, pledge texts — is deleted or anonymised in one transaction.
//
// Pledges are kept as anonymous rows so that a unit's registration counts (coverage, titles per unit: the "100% đăng
// ký" figures already reported up the hierarchy) do not change after the fact: name, position and commitment are
// emptied, a work's or initiative's own words removed (titles and movements are the plan's names and stay), the
// history's details dropped, and the person's id replaced by its negative — still distinct per person, so "how many
// people registered" stays right, and never equal to a real subscriber's id. Announcements an officer already sent
// are the union's record and stay (their unsent drafts go).
//
// A new table that names a person adds a step to ERASURE_STEPS.
import type { ChannelName, ErasureReport, ErasureRepository } from "../app/ports.js";
import type { DbClient, DbTransaction } from "./client.js";

/** Who is erased: their chat, and their subscriber id when they ever subscribed. */
export interface ErasedPerson {
  channel: ChannelName;
  chatId: string;
  subscriberId: number | null;
}

/** One kind of row to erase; returns how many rows it deleted or anonymised. */
export type ErasureStep = (tx: DbTransaction, person: ErasedPerson) => Promise<Partial<ErasureReport>>;

const eraseSessions: ErasureStep = async (tx, p) => ({
  sessions: (await tx.chatSession.deleteMany({ where: { channel: p.channel, chatId: p.chatId } })).count,
});

// The web chat's browser sessions: their subject is the chat id. Deleted, not revoked: a revoked row still names it.
const eraseWebSessions: ErasureStep = async (tx, p) => {
  const chat = p.channel === "web" ? (await tx.webSession.deleteMany({ where: { kind: "chat", subject: p.chatId } })).count : 0;
  // An officer's console sessions and unused login links (subject as src/console/principal.ts writes it).
  const console =
    p.subscriberId === null ? 0 : (await tx.webSession.deleteMany({ where: { kind: { in: ["console", "console-link"] }, subject: `officer:${p.subscriberId}` } })).count;
  return { webSessions: chat + console };
};

const eraseNotifications: ErasureStep = async (tx, p) => ({
  notifications: (
    await tx.notification.deleteMany({
      where: { OR: [{ channel: p.channel, chatId: p.chatId }, ...(p.subscriberId === null ? [] : [{ subscriberId: p.subscriberId }])] },
    })
  ).count,
});

const anonymisePledges: ErasureStep = async (tx, p) => {
  if (p.subscriberId === null) return {};
  const anonymous = -p.subscriberId;
  const pledges = await tx.pledge.findMany({ where: { subscriberId: p.subscriberId }, select: { id: true } });
  const ids = pledges.map((x) => x.id);
  if (ids.length > 0) {
    await tx.pledge.updateMany({ where: { id: { in: ids } }, data: { fullName: "", position: null, commitment: "", subscriberId: anonymous } });
    await tx.pledgeItem.updateMany({ where: { pledgeId: { in: ids }, type: { in: ["work", "initiative"] } }, data: { name: "", description: null } });
    await tx.pledgeEvent.updateMany({ where: { pledgeId: { in: ids } }, data: { detail: "{}" } });
  }
  // Their hand in anyone's pledge history (an officer editing): the id only, details dropped.
  await tx.pledgeEvent.updateMany({ where: { subscriberId: p.subscriberId }, data: { subscriberId: anonymous, detail: "{}" } });
  return { pledgesAnonymised: ids.length };
};

const eraseOfficerRecords: ErasureStep = async (tx, p) => {
  if (p.subscriberId === null) return {};
  const grants = await tx.officerGrant.deleteMany({ where: { subscriberId: p.subscriberId } });
  await tx.inviteCode.updateMany({ where: { usedById: p.subscriberId }, data: { usedById: null } });
  const drafts = await tx.broadcast.deleteMany({ where: { senderId: p.subscriberId, status: { in: ["draft", "cancelled"] } } });
  await tx.broadcast.updateMany({ where: { senderId: p.subscriberId }, data: { senderId: -p.subscriberId } });
  return { officerGrants: grants.count, broadcastDrafts: drafts.count };
};

/**
 * Results and evaluations follow their pledges: kept for the unit's figures and the union's decisions, without the
 * person — their own notes, their photos and the name on the proposal go, their id becomes its negative as on the
 * pledge. (Runs after anonymisePledges: their pledges carry the negative id by then.)
 */
const anonymiseOutcomes: ErasureStep = async (tx, p) => {
  if (p.subscriberId === null) return {};
  const anonymous = -p.subscriberId;
  await tx.pledgeResult.updateMany({ where: { subscriberId: p.subscriberId }, data: { subscriberId: anonymous, note: null } });
  // Photos show the person's work (and often the person): deleted, those of their pledges and those they sent.
  const own = (await tx.pledge.findMany({ where: { subscriberId: anonymous }, select: { id: true } })).map((x) => x.id);
  await tx.resultPhoto.deleteMany({ where: { OR: [{ subscriberId: p.subscriberId }, { pledgeId: { in: own } }] } });
  await tx.evaluation.updateMany({ where: { subscriberId: p.subscriberId }, data: { subscriberId: anonymous, fullName: "", reason: null } });
  // What they did as an officer stays the union's record, under the id only.
  await tx.evaluation.updateMany({ where: { proposedById: p.subscriberId }, data: { proposedById: anonymous } });
  await tx.evaluation.updateMany({ where: { decidedById: p.subscriberId }, data: { decidedById: anonymous } });
  await tx.unitFiling.updateMany({ where: { submittedById: p.subscriberId }, data: { submittedById: anonymous } });
  await tx.unitFiling.updateMany({ where: { decidedById: p.subscriberId }, data: { decidedById: anonymous } });
  await tx.unitFilingEvent.updateMany({ where: { subscriberId: p.subscriberId }, data: { subscriberId: anonymous } });
  // The console's audit log keeps what was done, under the id only: the name shown then goes.
  await tx.consoleAudit.updateMany({ where: { actor: `officer:${p.subscriberId}` }, data: { actorName: "" } });
  return {};
};

const eraseSubscriber: ErasureStep = async (tx, p) => ({
  subscriber: p.subscriberId === null ? 0 : (await tx.subscriber.deleteMany({ where: { id: p.subscriberId } })).count,
});

/** In order; the subscriber row last. Extend here for every new table that names a person. */
export const ERASURE_STEPS: ErasureStep[] = [eraseSessions, eraseWebSessions, eraseNotifications, anonymisePledges, anonymiseOutcomes, eraseOfficerRecords, eraseSubscriber];

export class PrismaErasureRepository implements ErasureRepository {
  constructor(
    private readonly prisma: DbClient,
    private readonly steps: readonly ErasureStep[] = ERASURE_STEPS,
  ) {}

  async eraseChat(channel: ChannelName, chatId: string): Promise<ErasureReport> {
    return this.prisma.$transaction(async (tx) => {
      const subscriber = await tx.subscriber.findUnique({ where: { channel_chatId: { channel, chatId } }, select: { id: true } });
      const person: ErasedPerson = { channel, chatId, subscriberId: subscriber?.id ?? null };
      const report: ErasureReport = { subscriber: 0, sessions: 0, webSessions: 0, notifications: 0, pledgesAnonymised: 0, officerGrants: 0, broadcastDrafts: 0 };
      for (const step of this.steps) Object.assign(report, await step(tx, person));
      return report;
    });
  }
}
