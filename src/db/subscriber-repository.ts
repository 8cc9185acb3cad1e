// SubscriberRepository on Prisma. One row per (channel, chatId). The read every update makes (find) is one
// hand-written SELECT (src/db/raw-sql.ts), and so are the writes a conversation turn makes (register, setLocale,
// setUnit); the rarer ones stay on the ORM.
import type { ChannelName, Locale, Subscriber, SubscriberRepository } from "../app/ports.js";
import type { DbClient } from "./client.js";
import { grantOfficer } from "./officer-grant-repository.js";
import { asDate, placeholder, rawSql, type RawSql } from "./raw-sql.js";
import type { Provider } from "./url.js";

export const SUBSCRIBER_COLUMNS = ["id", "channel", "chatId", "displayName", "role", "unitId", "locale", "status", "createdAt", "updatedAt"] as const;
const COLUMNS = SUBSCRIBER_COLUMNS.map((c) => `"${c}"`).join(", ");
export type RawSubscriberRow = Omit<SubscriberRow, "id" | "unitId" | "createdAt" | "updatedAt"> & {
  id: number | bigint;
  unitId: number | bigint | null;
  createdAt: Date | string | number;
  updatedAt: Date | string | number;
};

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

export function subscriberFromRow(row: RawSubscriberRow): Subscriber {
  return toSubscriber({
    ...row,
    id: Number(row.id),
    unitId: row.unitId === null ? null : Number(row.unitId),
    createdAt: asDate(row.createdAt),
    updatedAt: asDate(row.updatedAt),
  });
}

export class PrismaSubscriberRepository implements SubscriberRepository {
  private readonly findSql: string;
  /** register's upsert, refreshing the display name or keeping it. */
  private readonly registerSql: { withName: string; keepName: string };
  /** setLocale and setUnit: the person's own choices, made in a conversation turn. */
  private readonly setLocaleSql: string;
  private readonly setUnitSql: string;
  private readonly sql: RawSql;

  constructor(
    private readonly prisma: DbClient,
    provider: Provider,
  ) {
    this.sql = rawSql(prisma);
    const p = placeholder(provider);
    this.findSql = `SELECT ${COLUMNS} FROM "Subscriber" WHERE "channel" = ${p(1)} AND "chatId" = ${p(2)}`;
    const upsert = (name: string) =>
      `INSERT INTO "Subscriber" ("channel", "chatId", "displayName", "role", "locale", "status", "createdAt", "updatedAt")
       VALUES (${[1, 2, 3].map(p).join(", ")}, 'member', ${p(4)}, 'active', ${p(5)}, ${p(6)})
       ON CONFLICT ("channel", "chatId") DO UPDATE SET "status" = 'active', ${name}"updatedAt" = EXCLUDED."updatedAt"
       RETURNING ${COLUMNS}`;
    this.registerSql = { withName: upsert(`"displayName" = EXCLUDED."displayName", `), keepName: upsert("") };
    const set = (column: string) => `UPDATE "Subscriber" SET "${column}" = ${p(1)}, "updatedAt" = ${p(2)} WHERE "id" = ${p(3)}`;
    this.setLocaleSql = set("locale");
    this.setUnitSql = set("unitId");
  }

  async find(channel: ChannelName, chatId: string): Promise<Subscriber | null> {
    const [row] = await this.sql.query<RawSubscriberRow>(this.findSql, channel, chatId);
    return row ? subscriberFromRow(row) : null;
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
    // One statement, so two first registrations at once cannot collide on the unique (channel, chatId).
    const now = new Date();
    const sql = displayName !== undefined ? this.registerSql.withName : this.registerSql.keepName;
    const [row] = await this.sql.query<RawSubscriberRow>(sql, channel, chatId, displayName ?? null, locale, now, now);
    return subscriberFromRow(row!);
  }

  async setLocale(id: number, locale: Locale): Promise<void> {
    await this.sql.execute(this.setLocaleSql, locale, new Date(), id);
  }

  async setUnit(id: number, unitId: number | null): Promise<void> {
    await this.sql.execute(this.setUnitSql, unitId, new Date(), id);
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
