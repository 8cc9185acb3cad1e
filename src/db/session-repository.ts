// SessionRepository on Prisma: one row per chat, JSON in text columns (portable across providers).
import type { ChannelName, ChatSession, Choice, SessionRepository } from "../app/ports.js";
import type { DbClient } from "./client.js";
import { retryOnUniqueViolation } from "./errors.js";

export class PrismaSessionRepository implements SessionRepository {
  constructor(private readonly prisma: DbClient) {}

  async get(channel: ChannelName, chatId: string): Promise<ChatSession | null> {
    const row = await this.prisma.chatSession.findUnique({ where: { channel_chatId: { channel, chatId } } });
    if (!row) return null;
    return {
      flow: row.flow,
      step: row.step,
      data: JSON.parse(row.data) as Record<string, unknown>,
      choices: row.choices ? (JSON.parse(row.choices) as Choice[]) : null,
      expiresAt: row.expiresAt,
    };
  }

  async save(channel: ChannelName, chatId: string, session: ChatSession): Promise<void> {
    const fields = {
      flow: session.flow,
      step: session.step,
      data: JSON.stringify(session.data),
      choices: session.choices ? JSON.stringify(session.choices) : null,
      expiresAt: session.expiresAt,
    };
    await retryOnUniqueViolation(() =>
      this.prisma.chatSession.upsert({
        where: { channel_chatId: { channel, chatId } },
        create: { channel, chatId, ...fields },
        update: fields,
      }),
    );
  }
}
