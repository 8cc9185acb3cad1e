// The browser session module on a real database (SQLite, and PostgreSQL when TEST_POSTGRES_URL is set): what is
// stored (the hash, never the token), expiry (idle and absolute), kinds kept apart, logout, sign out everywhere, and
// the one-time console link (D: what the officer console will use) — a link works once, even when two browsers race.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SESSION_LIFETIMES } from "../../src/http/sessions/policy.js";
import { hashSessionToken, SESSION_TOKEN_PATTERN } from "../../src/http/sessions/token.js";
import { WebSessions } from "../../src/http/sessions/web-sessions.js";
import { PROVIDERS } from "../db/helpers.js";
import { deliveryDb, TestClock, type DeliveryDb } from "../delivery/support.js";

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

for (const { provider, label, skip } of PROVIDERS) describe.skipIf(skip)(`browser sessions (${label})`, () => {
  let store: DeliveryDb;
  let clock: TestClock;
  let sessions: WebSessions;

  beforeEach(async () => {
    store = await deliveryDb(provider);
    clock = new TestClock(new Date("2026-03-02T02:00:00Z"));
    sessions = new WebSessions({ repository: store.repositories.webSessions, now: clock.now });
  });
  afterEach(async () => store?.close());

  const rows = () => store.db.prisma.webSession.findMany({ orderBy: { id: "asc" } });

  it("issues a 256-bit random token per session and stores only its SHA-256", async () => {
    const a = await sessions.issue("chat", "web-aaaa");
    const b = await sessions.issue("chat", "web-aaaa");
    for (const { token } of [a, b]) expect(token).toMatch(SESSION_TOKEN_PATTERN);
    expect(Buffer.from(a.token, "base64url")).toHaveLength(32);
    expect(a.token).not.toBe(b.token);
    const stored = await rows();
    expect(stored.map((r) => r.tokenHash)).toEqual([hashSessionToken(a.token), hashSessionToken(b.token)]);
    expect(JSON.stringify(stored)).not.toContain(a.token);
    expect(stored[0]).toMatchObject({ kind: "chat", subject: "web-aaaa", createdAt: clock.t, lastSeenAt: clock.t, expiresAt: new Date(clock.t.getTime() + 30 * DAY), revokedAt: null });
    expect((await sessions.resolve("chat", a.token))?.subject).toBe("web-aaaa");
  });

  it("opens nothing for a missing, malformed, unknown or hashed token, or for a token of another kind", async () => {
    const { token } = await sessions.issue("chat", "web-bbbb");
    for (const wrong of [undefined, "", "abc", `${token}x`, token.slice(1), "A".repeat(43), hashSessionToken(token)]) expect(await sessions.resolve("chat", wrong)).toBeNull();
    expect(await sessions.resolve("console", token)).toBeNull();
  });

  it("ends a chat session after 7 idle days, and after 30 days whatever happens; use keeps it alive in between", async () => {
    const idle = await sessions.issue("chat", "web-idle");
    const busy = await sessions.issue("chat", "web-busy");
    clock.advance(7 * DAY - MINUTE);
    expect(await sessions.resolve("chat", busy.token)).not.toBeNull();
    clock.advance(MINUTE);
    expect(await sessions.resolve("chat", idle.token)).toBeNull();
    for (let day = 0; day < 22; day++) {
      clock.advance(DAY);
      expect(await sessions.resolve("chat", busy.token), `day ${8 + day}`).not.toBeNull();
    }
    clock.set(new Date(busy.session.expiresAt.getTime()));
    expect(await sessions.resolve("chat", busy.token)).toBeNull();
  });

  it("a console session ends after 30 idle minutes and after 12 hours", async () => {
    expect(SESSION_LIFETIMES.console).toEqual({ idleMs: 30 * MINUTE, absoluteMs: 12 * 60 * MINUTE });
    const { token } = await sessions.issue("console", "17");
    clock.advance(29 * MINUTE);
    expect(await sessions.resolve("console", token)).not.toBeNull();
    clock.advance(30 * MINUTE);
    expect(await sessions.resolve("console", token)).toBeNull();
    // Used every 29 minutes: alive for 24 × 29 minutes (11 h 36 min), gone at the next use (12 h 05 min).
    const again = await sessions.issue("console", "17");
    for (let i = 0; i < 24; i++) {
      clock.advance(29 * MINUTE);
      expect(await sessions.resolve("console", again.token), `use ${i + 1}`).not.toBeNull();
    }
    clock.advance(29 * MINUTE);
    expect(await sessions.resolve("console", again.token)).toBeNull();
  });

  it("writes lastSeenAt at most once a minute", async () => {
    const { token, session } = await sessions.issue("chat", "web-touch");
    clock.advance(30_000);
    await sessions.resolve("chat", token);
    expect((await rows())[0]!.lastSeenAt).toEqual(session.createdAt);
    clock.advance(30_000);
    await sessions.resolve("chat", token);
    expect((await rows())[0]!.lastSeenAt).toEqual(clock.t);
  });

  it("logout ends one session; sign out everywhere ends every session of that kind for the subject, no other", async () => {
    const phone = await sessions.issue("console", "17");
    const office = await sessions.issue("console", "17");
    const home = await sessions.issue("console", "17");
    const colleague = await sessions.issue("console", "18");
    const chat = await sessions.issue("chat", "17");
    expect(await sessions.end("console", phone.token)).toBe(true);
    expect(await sessions.end("console", phone.token)).toBe(false);
    expect(await sessions.resolve("console", phone.token)).toBeNull();
    expect(await sessions.resolve("console", office.token)).not.toBeNull();

    expect(await sessions.endAll("console", "17")).toBe(2);
    for (const gone of [office, home]) expect(await sessions.resolve("console", gone.token)).toBeNull();
    expect(await sessions.resolve("console", colleague.token)).not.toBeNull();
    expect(await sessions.resolve("chat", chat.token)).not.toBeNull();
  });

  it("a one-time console link opens one console session for its subject, once, within 15 minutes", async () => {
    const link = await sessions.issue("console-link", "17");
    expect(link.session.expiresAt).toEqual(new Date(clock.t.getTime() + 15 * MINUTE));
    // The link's token is not itself a console session.
    expect(await sessions.resolve("console", link.token)).toBeNull();
    const opened = await sessions.redeem("console-link", link.token, "console");
    expect(opened?.session).toMatchObject({ kind: "console", subject: "17" });
    expect(opened!.token).not.toBe(link.token);
    expect(await sessions.resolve("console", opened!.token)).not.toBeNull();
    expect(await sessions.redeem("console-link", link.token, "console")).toBeNull();

    const late = await sessions.issue("console-link", "17");
    clock.advance(15 * MINUTE);
    expect(await sessions.redeem("console-link", late.token, "console")).toBeNull();
    // A chat token is no link.
    const chat = await sessions.issue("chat", "17");
    expect(await sessions.redeem("console-link", chat.token, "console")).toBeNull();
  });

  it("two browsers opening the same link at once: exactly one gets a session", async () => {
    const link = await sessions.issue("console-link", "21");
    const results = await Promise.all(Array.from({ length: 8 }, () => sessions.redeem("console-link", link.token, "console")));
    expect(results.filter(Boolean)).toHaveLength(1);
    expect((await rows()).filter((r) => r.kind === "console")).toHaveLength(1);
  });
});
