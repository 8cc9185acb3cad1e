// What the officer console will do with the session module, over real HTTP on the real server and a real database
// (SQLite, and PostgreSQL when TEST_POSTGRES_URL is set): a one-time link opens a console session in one browser
// only, the cookie then opens the console, logout ends that browser's session, sign out everywhere ends them all.
// The routes here are a minimal stand-in for the console's (no pages).
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { HttpError, sendJson, startHttpServer, type Route, type RunningServer } from "../../src/http/server.js";
import { SessionCookies } from "../../src/http/sessions/session-cookies.js";
import { WebSessions } from "../../src/http/sessions/web-sessions.js";
import { PROVIDERS } from "../db/helpers.js";
import { deliveryDb, type DeliveryDb } from "../delivery/support.js";
import { silentLogger } from "../support/core-harness.js";

function consoleRoutes(cookies: SessionCookies): Route[] {
  const me = async (c: Parameters<Route["handler"]>[0]) => {
    const session = await cookies.current(c, "console");
    if (!session) throw new HttpError(401, "not signed in");
    return session;
  };
  return [
    {
      method: "GET",
      path: "/console/login",
      handler: async (c) => {
        const session = await cookies.startFromLink(c, c.req.query("token"));
        if (!session) return sendJson(c, 400, { error: "this link was used, has expired or is not valid" });
        return sendJson(c, 200, { subject: session.subject });
      },
    },
    { method: "GET", path: "/console/me", handler: async (c) => sendJson(c, 200, { subject: (await me(c)).subject }) },
    { method: "POST", path: "/console/logout", handler: async (c) => (await cookies.logout(c, "console"), sendJson(c, 200, { ok: true })) },
    { method: "POST", path: "/console/logout-everywhere", handler: async (c) => sendJson(c, 200, { ended: await cookies.logoutEverywhere(c, "console") }) },
  ];
}

for (const { provider, label, skip } of PROVIDERS) describe.skipIf(skip)(`console sessions over HTTP (${label})`, () => {
  let store: DeliveryDb;
  let server: RunningServer;
  let sessions: WebSessions;
  let base: string;

  beforeEach(async () => {
    store = await deliveryDb(provider);
    sessions = new WebSessions({ repository: store.repositories.webSessions });
    server = await startHttpServer({ port: 0, host: "127.0.0.1", routes: consoleRoutes(new SessionCookies(sessions, { secure: false })), logger: silentLogger });
    base = `http://127.0.0.1:${server.port}`;
  });
  afterEach(async () => {
    await server?.close();
    await store?.close();
  });

  /** Opens a link like a browser: the cookie pair it was given, or null. */
  const openLink = async (token: string) => {
    const res = await fetch(`${base}/console/login?token=${token}`);
    if (res.status !== 200) return { status: res.status, cookie: null };
    const header = res.headers.get("set-cookie")!;
    expect(header).toMatch(/^congdoan_console=[A-Za-z0-9_-]{43}; Max-Age=43200; Path=\/; HttpOnly; SameSite=Strict$/);
    return { status: 200, cookie: header.split(";")[0]! };
  };
  const whoAmI = async (cookie: string) => {
    const res = await fetch(`${base}/console/me`, { headers: { cookie } });
    return res.status === 200 ? ((await res.json()) as { subject: string }).subject : res.status;
  };
  const post = (path: string, cookie: string) => fetch(`${base}${path}`, { method: "POST", headers: { cookie } });

  it("a link opens one browser once; logout ends that browser only; sign out everywhere ends all of the subject's", async () => {
    const link = await sessions.issue("console-link", "17");
    const phone = await openLink(link.token);
    expect(phone.status).toBe(200);
    // The same link again (a forwarded message, a second tap): refused.
    expect((await openLink(link.token)).status).toBe(400);
    expect((await openLink("A".repeat(43))).status).toBe(400);
    expect((await openLink("")).status).toBe(400);
    expect(await whoAmI(phone.cookie!)).toBe("17");

    const office = await openLink((await sessions.issue("console-link", "17")).token);
    const home = await openLink((await sessions.issue("console-link", "17")).token);
    const colleague = await openLink((await sessions.issue("console-link", "18")).token);

    const logout = await post("/console/logout", phone.cookie!);
    expect(logout.headers.get("set-cookie")).toMatch(/^congdoan_console=; Max-Age=0; Path=\/; HttpOnly; SameSite=Strict/);
    // The old cookie, kept by a careless client, opens nothing any more.
    expect(await whoAmI(phone.cookie!)).toBe(401);
    expect(await whoAmI(office.cookie!)).toBe("17");

    const everywhere = await post("/console/logout-everywhere", office.cookie!);
    expect(await everywhere.json()).toEqual({ ended: 2 });
    for (const gone of [office, home]) expect(await whoAmI(gone.cookie!)).toBe(401);
    expect(await whoAmI(colleague.cookie!)).toBe("18");
  });

  it("a web chat cookie is no console session, and a link's token is no cookie", async () => {
    const chat = await sessions.issue("chat", "17");
    expect(await whoAmI(`congdoan_console=${chat.token}`)).toBe(401);
    const link = await sessions.issue("console-link", "17");
    expect(await whoAmI(`congdoan_console=${link.token}`)).toBe(401);
    expect((await openLink(chat.token)).status).toBe(400);
  });
});
