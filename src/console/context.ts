// One console request: the session from the cookie, the principal it stands for (scope read fresh from the grant),
// the officer's language, the CSRF check for state-changing requests, and the audit log.
import type { Context } from "hono";
import { DOCX_MIME_TYPE } from "../app/cycle/report-export.js";
import { CSV_MIME_TYPE, XLSX_MIME_TYPE } from "../app/export/index.js";
import { t } from "../app/i18n.js";
import type { Locale } from "../app/ports.js";
import type { QuietHours } from "../domain/quiet-hours.js";
import type { Logger } from "../logger.js";
import { contentDisposition } from "../channels/web/web-channel.js";
import type { HttpEnv } from "../http/server.js";
import { readSessionCookie, type CookieSettings } from "../http/sessions/cookie.js";
import type { WebSessions } from "../http/sessions/web-sessions.js";
import { CSRF_FIELD, csrfToken, csrfValid } from "./csrf.js";
import { html } from "./html.js";
import { CONSOLE_PATH, messagePage, type ConsoleView } from "./layout.js";
import { resolvePrincipal, type ConsolePrincipal } from "./principal.js";
import type { ConsoleStore } from "./store.js";

export interface ConsoleOptions {
  store: ConsoleStore;
  sessions: WebSessions;
  cookies: CookieSettings;
  allowedHosts: ReadonlySet<string>;
  timezone: string;
  quietHours: QuietHours;
  /** The Telegram bot's username for invitation deep links (getMe or TELEGRAM_BOT_USERNAME); none: no deep link. */
  botUsername?: () => Promise<string | undefined>;
  /** Where uploaded plans' YAML is kept (the campaigns folder). */
  campaignsDir?: string;
  now?: () => Date;
  logger: Logger;
  /** Requests per remote address (default 120 at once, 10 a second). */
  rateLimit?: { burst: number; perSecond: number };
}

export const LANG_COOKIE = "congdoan_console_lang";

export interface ConsoleRequest extends ConsoleView {
  sessionToken: string;
  /** The form fields of a POST (parsed once). */
  form: Record<string, string | File>;
  audit(action: string, detail?: Record<string, unknown>): Promise<void>;
}

/** A finished answer thrown from inside a handler (a refusal page, a redirect). */
export class ConsoleAnswer extends Error {
  constructor(readonly response: Response) {
    super("console answer");
  }
}

const localeOf = (c: Context<HttpEnv>, principal: ConsolePrincipal): Locale => {
  const chosen = /(?:^|;\s*)congdoan_console_lang=(vi|en)/.exec(c.req.header("cookie") ?? "")?.[1];
  return chosen === "vi" || chosen === "en" ? chosen : principal.locale;
};

export const htmlResponse = (body: string, status = 200, headers: Record<string, string> = {}) =>
  new Response(body, { status, headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store", ...headers } });

const FILE_TYPES = { csv: CSV_MIME_TYPE, xlsx: XLSX_MIME_TYPE, docx: DOCX_MIME_TYPE } as const;

/** A download of `content` as `fileName` (its format gives the type), never cached. */
export const fileResponse = (content: Buffer, fileName: string, format: keyof typeof FILE_TYPES) =>
  new Response(new Uint8Array(content), { status: 200, headers: { "content-type": FILE_TYPES[format], "content-disposition": contentDisposition(fileName), "cache-control": "no-store" } });

export const redirect = (to: string) => new Response(null, { status: 303, headers: { location: to, "cache-control": "no-store" } });

/** The signed-in request, or a ConsoleAnswer: a "please sign in" page, "your access ended", or a CSRF refusal. */
export async function consoleRequest(c: Context<HttpEnv>, options: ConsoleOptions): Promise<ConsoleRequest> {
  const { store, sessions } = options;
  const now = (options.now ?? (() => new Date()))();
  const token = readSessionCookie(c, "console", options.cookies);
  const session = await sessions.resolve("console", token);
  if (!session || !token) {
    throw new ConsoleAnswer(htmlResponse(String(messagePage("vi", t("vi", "console.signin.title"), t("vi", "console.signin.needed"), html`<p lang="en">${t("en", "console.signin.needed")}</p>`)), 401));
  }
  const principal = await resolvePrincipal(store, session.subject, t("vi", "console.setupName"));
  if (!principal) {
    // The grant was revoked (or the unit is gone): this session ends now, and so do the officer's others.
    await sessions.endAll("console", session.subject);
    throw new ConsoleAnswer(htmlResponse(String(messagePage("vi", t("vi", "console.revoked.title"), t("vi", "console.revoked.body"), html`<p lang="en">${t("en", "console.revoked.body")}</p>`)), 403));
  }
  const locale = localeOf(c, principal);
  const tr = (key: string, params?: Record<string, string | number>) => t(locale, key, params);
  let form: Record<string, string | File> = {};
  if (c.req.method === "POST") {
    const parsed = await c.req.parseBody();
    form = Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, Array.isArray(v) ? v[0]! : v])) as Record<string, string | File>;
    if (!csrfValid(token, form[CSRF_FIELD])) {
      throw new ConsoleAnswer(htmlResponse(String(messagePage(locale, tr("console.csrf.title"), tr("console.csrf.body"), html`<p><a href="${CONSOLE_PATH}">${tr("console.backHome")}</a></p>`)), 403));
    }
  }
  return {
    principal,
    locale,
    csrf: csrfToken(token),
    now,
    timezone: options.timezone,
    tr,
    sessionToken: token,
    form,
    audit: async (action, detail = {}) => {
      await store.queries.audit({ at: now, actor: principal.subject, actorName: principal.name, unitId: principal.roots.length === 1 ? principal.roots[0]!.id : null, action, detail });
      options.logger.info({ actor: principal.subject, action }, "console action");
    },
  };
}

export const field = (form: Record<string, string | File>, name: string): string => {
  const v = form[name];
  return typeof v === "string" ? v : "";
};
