// CSRF protection for every state-changing console request: a synchronizer token derived from the session's own
// token (HMAC, so it is stored nowhere and dies with the session) in a hidden form field, checked in constant time;
// plus the Origin check of hostAllowList (a POST from another site is refused before it gets here).
import { createHmac, timingSafeEqual } from "node:crypto";

export const CSRF_FIELD = "_csrf";

export function csrfToken(sessionToken: string): string {
  return createHmac("sha256", sessionToken).update("console-csrf").digest("base64url");
}

export function csrfValid(sessionToken: string, submitted: unknown): boolean {
  if (typeof submitted !== "string") return false;
  const expected = Buffer.from(csrfToken(sessionToken));
  const given = Buffer.from(submitted);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
