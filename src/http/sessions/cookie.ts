// The session cookie: HttpOnly (no script reads it), SameSite=Strict (no other site sends it), Path=/; behind HTTPS
// also Secure with the __Host- prefix (no subdomain or plain-HTTP page can set or shadow it).
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { Context } from "hono";
import type { WebSessionKind } from "../../app/ports.js";

export interface CookieSettings {
  /** True when the site is served over HTTPS (PUBLIC_URL starts with https:). */
  secure: boolean;
}

export const cookieName = (kind: WebSessionKind) => `congdoan_${kind.replace("-", "_")}`;

export function readSessionCookie(c: Context, kind: WebSessionKind, settings: CookieSettings): string | undefined {
  return settings.secure ? getCookie(c, cookieName(kind), "host") : getCookie(c, cookieName(kind));
}

export function writeSessionCookie(c: Context, kind: WebSessionKind, token: string, maxAgeMs: number, settings: CookieSettings): void {
  setCookie(c, cookieName(kind), token, {
    httpOnly: true,
    sameSite: "Strict",
    path: "/",
    maxAge: Math.floor(maxAgeMs / 1000),
    ...(settings.secure ? { secure: true, prefix: "host" as const } : {}),
  });
}

export function clearSessionCookie(c: Context, kind: WebSessionKind, settings: CookieSettings): void {
  deleteCookie(c, cookieName(kind), { path: "/", httpOnly: true, sameSite: "Strict", ...(settings.secure ? { secure: true, prefix: "host" as const } : {}) });
}
