// The web chat's routes as main.ts wires them, for tests that run them on their own HTTP server.
import type { Conversation } from "../../src/app/conversation.js";
import type { SubscriberRepository, WebSessionRepository } from "../../src/app/ports.js";
import { webChatRoutes, type WebChatOptions } from "../../src/channels/web/web-channel.js";
import { WebInbox } from "../../src/channels/web/web-push.js";
import { allowedHostNames } from "../../src/http/guards.js";
import type { Route } from "../../src/http/server.js";
import { cookieName } from "../../src/http/sessions/cookie.js";
import { SessionCookies } from "../../src/http/sessions/session-cookies.js";
import { WebSessions } from "../../src/http/sessions/web-sessions.js";

export interface TestWebChat {
  routes: Route[];
  sessions: WebSessions;
  inbox: WebInbox;
  /** A cookie header for a chat session the server issues for `chatId` (as it would for a browser). */
  cookieFor(chatId: string): Promise<string>;
}

export function testWebChat(
  conversation: Conversation,
  repositories: { webSessions: WebSessionRepository; subscribers: Pick<SubscriberRepository, "find"> },
  overrides: Partial<WebChatOptions> = {},
): TestWebChat {
  const cookies = overrides.sessions ?? new SessionCookies(new WebSessions({ repository: repositories.webSessions }), { secure: false });
  const sessions = cookies.sessions;
  const inbox = overrides.inbox ?? new WebInbox();
  const routes = webChatRoutes(conversation, {
    sessions: cookies,
    inbox,
    subscribers: repositories.subscribers,
    allowedHosts: allowedHostNames(undefined),
    ...overrides,
  });
  return {
    routes,
    sessions,
    inbox,
    async cookieFor(chatId) {
      const { token } = await sessions.issue("chat", chatId);
      return `${cookieName("chat")}=${token}`;
    },
  };
}
