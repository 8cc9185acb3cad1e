// Middleware for the pages a browser opens (the web chat, later the console): which Host names are ours, that a
// state-changing request comes from our own page, how often one address may call, and the headers that keep the
// page from being framed or running anything but its own script.
import type { MiddlewareHandler } from "hono";
import { HttpError, type HttpEnv } from "./server.js";

/** The Host names a browser may use to reach us: PUBLIC_URL's host, localhost and the loopback addresses. */
export function allowedHostNames(publicUrl: string | undefined): Set<string> {
  const names = new Set(["localhost", "127.0.0.1", "[::1]"]);
  if (publicUrl) names.add(new URL(publicUrl).hostname.toLowerCase());
  return names;
}

/** `Host: name[:port]` → name, lower case; null when it is not a plausible host. */
function hostName(host: string | undefined): string | null {
  const m = /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(?::\d{1,5})?$/i.exec(host?.trim() ?? "");
  return m ? m[1]!.toLowerCase() : null;
}

/**
 * Refuses a request whose Host is not one of ours (421: a DNS-rebinding page, or a name we do not serve), and a
 * POST whose Origin is another site (403). The browser sets both; a page cannot forge them.
 */
export function hostAllowList(allowed: ReadonlySet<string>): MiddlewareHandler<HttpEnv> {
  return async (c, next) => {
    const host = c.req.header("host");
    const name = hostName(host);
    if (!name) throw new HttpError(400, "missing or malformed Host header");
    if (!allowed.has(name)) throw new HttpError(421, "this server does not answer for that host name");
    const origin = c.req.header("origin");
    if (c.req.method !== "GET" && c.req.method !== "HEAD" && origin !== undefined) {
      let sameOrigin = false;
      try {
        sameOrigin = new URL(origin).host.toLowerCase() === host!.trim().toLowerCase();
      } catch {
        // "null" or garbage: not our page
      }
      if (!sameOrigin) throw new HttpError(403, "cross-origin request refused");
    }
    await next();
  };
}

export interface RateLimitOptions {
  /** Requests an address may make at once. */
  burst: number;
  /** Requests per second it gets back. */
  perSecond: number;
  /** Addresses remembered at most (the least recently seen is forgotten first). */
  maxAddresses?: number;
  now?: () => number;
  /** The polite answer: JSON fields added to the 429 (e.g. a sentence in the person's language). */
  refusal?: (c: Parameters<MiddlewareHandler<HttpEnv>>[0]) => Record<string, unknown>;
}

/** A token bucket per remote address; over the limit, 429 with Retry-After and a polite sentence. */
export function rateLimit(options: RateLimitOptions): MiddlewareHandler<HttpEnv> {
  const buckets = new Map<string, { tokens: number; at: number }>();
  const now = options.now ?? Date.now;
  const maxAddresses = options.maxAddresses ?? 10_000;
  return async (c, next) => {
    const address = c.env.incoming.socket.remoteAddress ?? "unknown";
    const t = now();
    const previous = buckets.get(address);
    const bucket = previous ?? { tokens: options.burst, at: t };
    bucket.tokens = Math.min(options.burst, bucket.tokens + ((t - bucket.at) / 1000) * options.perSecond);
    bucket.at = t;
    buckets.delete(address);
    buckets.set(address, bucket);
    while (buckets.size > maxAddresses) buckets.delete(buckets.keys().next().value!);
    if (bucket.tokens < 1) {
      const retryAfter = Math.max(1, Math.ceil((1 - bucket.tokens) / options.perSecond));
      throw new HttpError(429, "too many requests", { headers: { "retry-after": String(retryAfter) }, body: options.refusal?.(c) ?? {} });
    }
    bucket.tokens -= 1;
    await next();
  };
}

/** Only our own files: no inline script or style, nothing from elsewhere, never inside a frame. */
export const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

export const SECURITY_HEADERS: Record<string, string> = {
  "content-security-policy": CONTENT_SECURITY_POLICY,
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "x-frame-options": "DENY",
  "cross-origin-opener-policy": "same-origin",
  "cross-origin-resource-policy": "same-origin",
};

/** Adds SECURITY_HEADERS to every answer (refusals included). */
export const securityHeaders: MiddlewareHandler<HttpEnv> = async (c, next) => {
  await next();
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) c.res.headers.set(name, value);
};
