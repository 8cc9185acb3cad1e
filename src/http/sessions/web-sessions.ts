// Server-issued browser sessions, one mechanism for the web chat and the officer console: the server picks who a
// browser is (the session's subject) and the browser only holds a random token in an HttpOnly cookie. A token is
// good for one kind of session only, until it is revoked, idle too long or too old.
import type { WebSessionKind, WebSessionRecord, WebSessionRepository } from "../../app/ports.js";
import { SESSION_LIFETIMES, TOUCH_EVERY_MS, type SessionLifetime } from "./policy.js";
import { hashSessionToken, newSessionToken, SESSION_TOKEN_PATTERN } from "./token.js";

export interface IssuedSession {
  /** Goes into the cookie (or the one-time link) and nowhere else: it is never stored or logged. */
  token: string;
  session: WebSessionRecord;
}

export interface WebSessionsOptions {
  repository: WebSessionRepository;
  now?: () => Date;
  lifetimes?: Partial<Record<WebSessionKind, SessionLifetime>>;
}

export class WebSessions {
  private readonly repository: WebSessionRepository;
  private readonly now: () => Date;
  private readonly lifetimes: Record<WebSessionKind, SessionLifetime>;

  constructor(options: WebSessionsOptions) {
    this.repository = options.repository;
    this.now = options.now ?? (() => new Date());
    this.lifetimes = { ...SESSION_LIFETIMES, ...options.lifetimes };
  }

  lifetime(kind: WebSessionKind): SessionLifetime {
    return this.lifetimes[kind];
  }

  /** A new session of `kind` for `subject`. */
  async issue(kind: WebSessionKind, subject: string): Promise<IssuedSession> {
    const token = newSessionToken();
    const now = this.now();
    const session = await this.repository.create({ tokenHash: hashSessionToken(token), kind, subject, now, expiresAt: new Date(now.getTime() + this.lifetimes[kind].absoluteMs) });
    return { token, session };
  }

  /** The live session of `kind` this token opens, or null (unknown, other kind, revoked, idle too long, too old). */
  async resolve(kind: WebSessionKind, token: string | undefined): Promise<WebSessionRecord | null> {
    const found = await this.find(kind, token);
    if (!found) return null;
    const now = this.now();
    if (now.getTime() - found.lastSeenAt.getTime() >= TOUCH_EVERY_MS) {
      await this.repository.touch(found.id, now);
      found.lastSeenAt = now;
    }
    return found;
  }

  /** Logout: the session this token opens ends now. */
  async end(kind: WebSessionKind, token: string | undefined): Promise<boolean> {
    const found = await this.find(kind, token);
    return found ? this.repository.revoke(found.id, this.now()) : false;
  }

  /** Sign out everywhere: every live session of this kind for the subject ends now; how many. */
  endAll(kind: WebSessionKind, subject: string): Promise<number> {
    return this.repository.revokeAll(kind, subject, this.now());
  }

  /** Of these subjects, the ones with a live session of `kind` (not revoked, idle too long or too old). */
  async liveSubjects(kind: WebSessionKind, subjects: readonly string[]): Promise<Set<string>> {
    const now = this.now().getTime();
    const { idleMs } = this.lifetimes[kind];
    const live = (await this.repository.findUnended(kind, subjects, this.now())).filter((s) => s.lastSeenAt.getTime() + idleMs > now);
    return new Set(live.map((s) => s.subject));
  }

  /**
   * A one-time link's token exchanged for a new session of `into` for the same subject. Works once: of two
   * browsers opening the same link, one gets a session and the other null.
   */
  async redeem(linkKind: WebSessionKind, token: string | undefined, into: WebSessionKind): Promise<IssuedSession | null> {
    const link = await this.find(linkKind, token);
    if (!link || !(await this.repository.revoke(link.id, this.now()))) return null;
    return this.issue(into, link.subject);
  }

  private async find(kind: WebSessionKind, token: string | undefined): Promise<WebSessionRecord | null> {
    if (!token || !SESSION_TOKEN_PATTERN.test(token)) return null;
    const found = await this.repository.findByHash(hashSessionToken(token));
    if (!found || found.kind !== kind || found.revokedAt) return null;
    const now = this.now().getTime();
    if (found.expiresAt.getTime() <= now || found.lastSeenAt.getTime() + this.lifetimes[kind].idleMs <= now) return null;
    return found;
  }
}
