// SessionRepository on Prisma: one row per chat, JSON in text columns (portable across providers). Read and written
// on most updates, so each is one hand-written statement (src/db/raw-sql.ts): a SELECT, and an upsert
// (INSERT … ON CONFLICT (channel, chatId) DO UPDATE) that cannot lose a race on the unique key.
import type { ChannelName, ChatSession, Choice, SessionRepository } from "../app/ports.js";
import type { DbClient } from "./client.js";
import { asDate, placeholder, rawSql, type RawSql } from "./raw-sql.js";
import type { Provider } from "./url.js";

export const SESSION_COLUMNS = ["flow", "step", "data", "choices", "expiresAt"] as const;
export type RawSessionRow = { flow: string | null; step: string | null; data: string; choices: string | null; expiresAt: Date | string | number | null };

export function sessionFromRow(row: RawSessionRow): ChatSession {
  return {
    flow: row.flow,
    step: row.step,
    data: JSON.parse(row.data) as Record<string, unknown>,
    choices: row.choices ? (JSON.parse(row.choices) as Choice[]) : null,
    expiresAt: asDate(row.expiresAt),
  };
}

export class PrismaSessionRepository implements SessionRepository {
  private readonly getSql: string;
  private readonly saveSql: string;
  private readonly sql: RawSql;

  constructor(
    private readonly prisma: DbClient,
    provider: Provider,
  ) {
    this.sql = rawSql(prisma);
    const p = placeholder(provider);
    this.getSql = `SELECT ${SESSION_COLUMNS.map((c) => `"${c}"`).join(", ")} FROM "ChatSession" WHERE "channel" = ${p(1)} AND "chatId" = ${p(2)}`;
    const columns = `"flow", "step", "data", "choices", "expiresAt", "updatedAt"`;
    // PostgreSQL: the parameters of EXCLUDED need no repetition; SQLite's "?" are positional, so none is reused.
    this.saveSql = `INSERT INTO "ChatSession" ("channel", "chatId", ${columns}) VALUES (${[1, 2, 3, 4, 5, 6, 7, 8].map(p).join(", ")})
      ON CONFLICT ("channel", "chatId") DO UPDATE SET ${columns
        .split(", ")
        .map((c) => `${c} = EXCLUDED.${c}`)
        .join(", ")}`;
  }

  async get(channel: ChannelName, chatId: string): Promise<ChatSession | null> {
    const [row] = await this.sql.query<RawSessionRow>(this.getSql, channel, chatId);
    return row ? sessionFromRow(row) : null;
  }

  async save(channel: ChannelName, chatId: string, session: ChatSession): Promise<void> {
    const fields = {
      flow: session.flow,
      step: session.step,
      data: JSON.stringify(session.data),
      choices: session.choices ? JSON.stringify(session.choices) : null,
      expiresAt: session.expiresAt,
    };
    await this.sql.execute(this.saveSql, channel, chatId, fields.flow, fields.step, fields.data, fields.choices, fields.expiresAt, new Date());
  }
}
