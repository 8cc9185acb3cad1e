// Sessions as a browser carries them: WebSessions (what is stored) joined to the cookie (what the browser holds).
// The web chat uses `current` and `start`; the officer console adds a one-time link, logout and sign out everywhere.
import type { Context } from "hono";
import type { WebSessionKind, WebSessionRecord } from "../../app/ports.js";
import { clearSessionCookie, readSessionCookie, writeSessionCookie, type CookieSettings } from "./cookie.js";
import type { WebSessions } from "./web-sessions.js";

export class SessionCookies {
  constructor(
    readonly sessions: WebSessions,
    private readonly settings: CookieSettings,
  ) {}

  /** The live session of `kind` this request's cookie opens, or null. */
  current(c: Context, kind: WebSessionKind): Promise<WebSessionRecord | null> {
    return this.sessions.resolve(kind, readSessionCookie(c, kind, this.settings));
  }

  /** A new session of `kind` for `subject`, its cookie set on the answer. */
  async start(c: Context, kind: WebSessionKind, subject: string): Promise<WebSessionRecord> {
    const { token, session } = await this.sessions.issue(kind, subject);
    writeSessionCookie(c, kind, token, this.sessions.lifetime(kind).absoluteMs, this.settings);
    return session;
  }

  /** A one-time link's token (e.g. from `/quanly`) exchanged for a session of `into`; null when used, expired or forged. */
  async startFromLink(c: Context, linkToken: string | undefined, into: WebSessionKind = "console"): Promise<WebSessionRecord | null> {
    const opened = await this.sessions.redeem("console-link", linkToken, into);
    if (!opened) return null;
    writeSessionCookie(c, into, opened.token, this.sessions.lifetime(into).absoluteMs, this.settings);
    return opened.session;
  }

  /** Logout: this browser's session ends and its cookie is cleared. */
  async logout(c: Context, kind: WebSessionKind): Promise<void> {
    await this.sessions.end(kind, readSessionCookie(c, kind, this.settings));
    clearSessionCookie(c, kind, this.settings);
  }

  /** Sign out everywhere: every session of the current subject ends (this browser's too); how many. */
  async logoutEverywhere(c: Context, kind: WebSessionKind): Promise<number> {
    const session = await this.current(c, kind);
    clearSessionCookie(c, kind, this.settings);
    return session ? this.sessions.endAll(kind, session.subject) : 0;
  }
}
