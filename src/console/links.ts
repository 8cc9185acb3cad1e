// One-time console links: a "console-link" web session (15 minutes, used once) for a subject, as a URL on the
// public base (PUBLIC_URL, else http://localhost:<PORT>). Used by /quanly and by `npm run admin -- console link`.
import type { WebSessions } from "../http/sessions/web-sessions.js";
import { CONSOLE_PATH } from "./layout.js";

export const consoleBaseUrl = (publicUrl: string | undefined, port: number) => (publicUrl ? publicUrl.replace(/\/+$/, "") : `http://localhost:${port}`);

export async function issueConsoleLink(sessions: WebSessions, subject: string, baseUrl: string): Promise<{ url: string; expiresAt: Date }> {
  const { token, session } = await sessions.issue("console-link", subject);
  return { url: `${baseUrl}${CONSOLE_PATH}/login/${token}`, expiresAt: session.expiresAt };
}
