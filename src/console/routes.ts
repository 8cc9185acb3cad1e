// The officer console's routes under /console. Every page but the login pages needs a console session; every POST
// carries the CSRF token; every route has the Host allow-list, the security headers (CSP: own files only) and a
// rate limit. Pages are plain server-rendered HTML; console.js only adds small conveniences.
import { readFileSync } from "node:fs";
import type { Context, MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { setCookie } from "hono/cookie";
import { t } from "../app/i18n.js";
import { hostAllowList, rateLimit, securityHeaders } from "../http/guards.js";
import type { HttpEnv, Route } from "../http/server.js";
import { clearSessionCookie, writeSessionCookie } from "../http/sessions/cookie.js";
import { hashSessionToken, SESSION_TOKEN_PATTERN } from "../http/sessions/token.js";
import { ConsoleAnswer, consoleRequest, field, htmlResponse, LANG_COOKIE, redirect, type ConsoleOptions, type ConsoleRequest } from "./context.js";
import { html } from "./html.js";
import { CONSOLE_PATH, messagePage } from "./layout.js";
import { overviewPage } from "./pages/overview.js";
import { parseSubject, resolvePrincipal } from "./principal.js";
import { extraPages } from "./pages/index.js";

/** Uploads (units CSV, plan YAML) and forms: at most 2 MB. */
export const CONSOLE_BODY_LIMIT = 2 * 1024 * 1024;

export type ConsoleHandler = (c: Context<HttpEnv>, request: ConsoleRequest) => Promise<Response | string>;

export interface ConsolePage {
  method: "GET" | "POST";
  path: string;
  handler: ConsoleHandler;
}

/** The one-time link's path for a token: `/console/login/<token>`. */
export const loginPath = (token: string) => `${CONSOLE_PATH}/login/${token}`;

/**
 * Console pages send the Referer to their own origin only: with "no-referrer" Chromium sends `Origin: null` on a
 * form POST, and the Origin check would refuse the console's own forms. Nothing leaves for another site either way.
 */
const sameOriginReferrer: MiddlewareHandler<HttpEnv> = async (c, next) => {
  await next();
  c.res.headers.set("referrer-policy", "same-origin");
};

type LinkState = "valid" | "used" | "expired" | "invalid";

export function consoleRoutes(options: ConsoleOptions): Route[] {
  const { sessions, store } = options;
  const now = options.now ?? (() => new Date());
  const guard: MiddlewareHandler<HttpEnv>[] = [
    securityHeaders,
    sameOriginReferrer,
    hostAllowList(options.allowedHosts),
    rateLimit(options.rateLimit ?? { burst: 120, perSecond: 10 }),
    bodyLimit({ maxSize: CONSOLE_BODY_LIMIT, onError: () => htmlResponse(String(messagePage("vi", t("vi", "console.tooLarge.title"), t("vi", "console.tooLarge.body"))), 413) }),
  ];

  /**
   * The login routes carry the one-time token in their path or body: a failure is logged without the path (the
   * server's own error log names it), and the person gets a page instead of the JSON error.
   */
  const guarded =
    (handler: Route["handler"]): Route["handler"] =>
    async (c, next) => {
      try {
        return await handler(c, next);
      } catch (error) {
        options.logger.error({ err: error instanceof Error ? { message: error.message.replace(/[A-Za-z0-9_-]{43}/g, "[token]") } : {} }, "console sign-in failed");
        return htmlResponse(String(messagePage("vi", t("vi", "console.error.title"), t("vi", "console.error.body"), html`<p lang="en">${t("en", "console.error.body")}</p>`)), 500);
      }
    };

  const wrap =
    (handler: ConsoleHandler): Route["handler"] =>
    async (c) => {
      try {
        const request = await consoleRequest(c, options);
        const out = await handler(c, request);
        return typeof out === "string" ? htmlResponse(out) : out;
      } catch (error) {
        if (error instanceof ConsoleAnswer) return error.response;
        throw error;
      }
    };

  /** What a link token is, without using it (a GET must not use it up: chat apps open links to preview them). */
  const linkState = async (token: string): Promise<LinkState> => {
    if (!SESSION_TOKEN_PATTERN.test(token)) return "invalid";
    const found = await store.webSessions.findByHash(hashSessionToken(token));
    if (!found || found.kind !== "console-link" || !parseSubject(found.subject)) return "invalid";
    if (found.revokedAt) return "used";
    if (found.expiresAt <= now()) return "expired";
    return "valid";
  };

  const refusedLink = (state: Exclude<LinkState, "valid">) =>
    htmlResponse(
      String(
        messagePage("vi", t("vi", `console.link.${state}.title`), t("vi", `console.link.${state}`), html`<p lang="en">${t("en", `console.link.${state}`)}</p><p>${t("vi", "console.signin.needed")}</p>`),
      ),
      state === "invalid" ? 404 : 410,
    );

  const loginForm: Route = {
    method: "GET",
    path: `${CONSOLE_PATH}/login/:token`,
    before: guard,
    handler: async (c) => {
      const token = c.req.param("token") ?? "";
      const state = await linkState(token);
      if (state !== "valid") return refusedLink(state);
      return htmlResponse(
        String(
          messagePage(
            "vi",
            t("vi", "console.login.title"),
            t("vi", "console.login.body"),
            html`<form method="post" action="${CONSOLE_PATH}/login"><input type="hidden" name="token" value="${token}"><button type="submit" autofocus>${t("vi", "console.login.button")}</button></form><p lang="en">${t("en", "console.login.body")}</p>`,
          ),
        ),
      );
    },
  };

  const login: Route = {
    method: "POST",
    path: `${CONSOLE_PATH}/login`,
    // No session yet, so no CSRF token: the Origin check of hostAllowList refuses another site's form, and the
    // token itself is the secret.
    before: guard,
    handler: async (c) => {
      const body = await c.req.parseBody();
      const token = typeof body.token === "string" ? body.token : "";
      const state = await linkState(token);
      if (state !== "valid") return refusedLink(state);
      const issued = await sessions.redeem("console-link", token, "console");
      if (!issued) return refusedLink("used");
      writeSessionCookie(c, "console", issued.token, sessions.lifetime("console").absoluteMs, options.cookies);
      const subject = issued.session.subject;
      const who = await resolvePrincipal(store, subject, t("vi", "console.setupName"));
      await store.queries.audit({ at: now(), actor: subject, actorName: who?.name ?? subject, unitId: who?.roots.length === 1 ? who.roots[0]!.id : null, action: "login", detail: {} });
      options.logger.info({ actor: subject }, "console sign-in");
      c.header("cache-control", "no-store");
      return c.redirect(CONSOLE_PATH, 303);
    },
  };

  const signedOut = (c: Context<HttpEnv>, key: string) => {
    clearSessionCookie(c, "console", options.cookies);
    return c.html(String(messagePage("vi", t("vi", "console.signedOut.title"), t("vi", key), html`<p lang="en">${t("en", key)}</p><p><a href="${CONSOLE_PATH}">${t("vi", "console.backHome")}</a></p>`)), 200, { "cache-control": "no-store" });
  };

  const pages: ConsolePage[] = [
    { method: "GET", path: CONSOLE_PATH, handler: overviewPage(options) },
    {
      method: "POST",
      path: `${CONSOLE_PATH}/logout`,
      handler: async (c, r) => {
        await r.audit("logout");
        await sessions.end("console", r.sessionToken);
        return signedOut(c, "console.signedOut.body");
      },
    },
    {
      method: "POST",
      path: `${CONSOLE_PATH}/logout-all`,
      handler: async (c, r) => {
        const count = await sessions.endAll("console", r.principal.subject);
        await r.audit("logout-all", { sessions: count });
        return signedOut(c, "console.signedOut.all");
      },
    },
    {
      method: "GET",
      path: `${CONSOLE_PATH}/lang`,
      handler: async (c) => {
        const to = c.req.query("to") === "en" ? "en" : "vi";
        setCookie(c, LANG_COOKIE, to, { path: CONSOLE_PATH, httpOnly: true, sameSite: "Strict", maxAge: 365 * 24 * 3600, ...(options.cookies.secure ? { secure: true } : {}) });
        // Referrer-Policy is no-referrer, so the page names where to come back to (a console path only).
        const back = c.req.query("back") ?? "";
        return c.redirect(/^\/console(\/[a-z0-9/-]*)?$/.test(back) ? back : CONSOLE_PATH, 303);
      },
    },
    ...extraPages(options),
  ];

  const staticRoutes: Route[] = [
    { file: "console.css", type: "text/css; charset=utf-8" },
    { file: "console.js", type: "text/javascript; charset=utf-8" },
  ].map(({ file, type }) => {
    const body = readFileSync(new URL(`./public/${file}`, import.meta.url));
    return { method: "GET", path: `${CONSOLE_PATH}/static/${file}`, before: guard, handler: () => new Response(body, { status: 200, headers: { "content-type": type, "cache-control": "no-cache" } }) };
  });

  return [{ ...loginForm, handler: guarded(loginForm.handler) }, { ...login, handler: guarded(login.handler) }, ...staticRoutes, ...pages.map((p) => ({ method: p.method, path: p.path, before: guard, handler: wrap(p.handler) }))];
}

export { field, redirect };
