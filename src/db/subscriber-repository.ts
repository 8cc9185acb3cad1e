// SubscriberRepository on Prisma. One row per (channel, chatId).
import type { ChannelName, Locale, Subscriber, SubscriberRepository } from "../app/ports.js";
import type { DbClient } from "./client.js";
import { grantOfficer } from "./officer-grant-repository.js";
import { retryOnUniqueViolation } from "./errors.js";

type SubscriberRow = {
  id: number;
  channel: string;
  chatId: string;
  displayName: string | null;
  role: string;
  unitId: number | null;
  locale: string;
  status: string;
  createdAt: Date;
  updatedAt: Date;
};

export function toSubscriber(row: SubscriberRow): Subscriber {
  return {
    id: row.id,
    channel: row.channel as ChannelName,
    chatId: row.chatId,
    displayName: row.displayName,
    role: row.role === "officer" ? "officer" : "member",
    unitId: row.unitId,
    locale: row.locale === "en" ? "en" : "vi",
    status: row.status === "stopped" || row.status === "blocked" ? row.status : "active",
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

export class PrismaSubscriberRepository implements SubscriberRepository {
  constructor(private readonly prisma: DbClient) {}

  async find(channel: ChannelName, chatId: string): Promise<Subscriber | null> {
    const row = await this.prisma.subscriber.findUnique({ where: { channel_chatId: { channel, chatId } } });
    return row ? toSubscriber(row) : null;
  }

  async findById(id: number): Promise<Subscriber | null> {
    const row = await this.prisma.subscriber.findUnique({ where: { id } });
    return row ? toSubscriber(row) : null;
  }

  /**
   * New: inserted active with the given locale. Known: status back to active and the display name refreshed when one
   * is given; the stored locale (the person's own choice), role and unit are kept.
   */
  async register(input: { channel: ChannelName; chatId: string; displayName?: string; locale: Locale }): Promise<Subscriber> {
    const { channel, chatId, displayName, locale } = input;
    const row = await retryOnUniqueViolation(() =>
      this.prisma.subscriber.upsert({
        where: { channel_chatId: { channel, chatId } },
        create: { channel, chatId, displayName: displayName ?? null, locale, status: "active" },
        update: { status: "active", ...(displayName !== undefined ? { displayName } : {}) },
      }),
    );
    return toSubscriber(row);
  }

  async setLocale(id: number, locale: Locale): Promise<void> {
    await this.prisma.subscriber.update({ where: { id }, data: { locale } });
  }

  async setUnit(id: number, unitId: number | null): Promise<void> {
    await this.prisma.subscriber.update({ where: { id }, data: { unitId } });
  }

  async setStatus(id: number, status: Subscriber["status"]): Promise<void> {
    await this.prisma.subscriber.update({ where: { id }, data: { status } });
  }

  async makeOfficer(id: number, unitId: number): Promise<void> {
    await this.prisma.$transaction(async (tx) => {
      await tx.subscriber.update({ where: { id }, data: { unitId } });
      await grantOfficer(tx, { subscriberId: id, unitId, inviteId: null, now: new Date() });
    });
  }
}
