// After a push with choices reaches a chat, its numbered choices become the chat's current choices, as if the bot
// had just asked: a typed "1" on Zalo (or the web chat) then runs the first button's command. A chat in the middle of
// a flow keeps its own choices (its numbered answers must keep their meaning); the push's labels name the command.
import type { ChannelName, Choice, SessionRepository } from "../app/ports.js";
import { emptySession } from "../app/conversation.js";

export async function rememberPushChoices(sessions: SessionRepository, channel: ChannelName, chatId: string, choices: Choice[], now: Date): Promise<void> {
  const session = (await sessions.get(channel, chatId)) ?? emptySession();
  const flowLive = session.flow !== null && (session.expiresAt === null || session.expiresAt > now);
  if (flowLive) return;
  await sessions.save(channel, chatId, { ...emptySession(), choices });
}
