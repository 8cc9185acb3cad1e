// GET /metrics: the Prometheus text exposition of this process's registry (src/metrics.ts), only for a scraper that
// sends `Authorization: Bearer <METRICS_TOKEN>`. Without METRICS_TOKEN the route is not served at all.
import { timingSafeEqual } from "node:crypto";
import type { Metrics } from "../metrics.js";
import { HttpError, type Route } from "./server.js";

export const METRICS_PATH = "/metrics";

/** Constant-time check of `Authorization: Bearer <token>`. */
export function bearerMatches(header: string | undefined, token: string): boolean {
  const given = Buffer.from(/^Bearer (\S+)$/i.exec(header ?? "")?.[1] ?? "", "utf8");
  const expected = Buffer.from(token, "utf8");
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export function metricsRoute(metrics: Pick<Metrics, "render" | "contentType">, token: string): Route {
  return {
    method: "GET",
    path: METRICS_PATH,
    handler: async (c) => {
      if (!bearerMatches(c.req.header("authorization"), token)) throw new HttpError(401, "unauthorized", { headers: { "www-authenticate": 'Bearer realm="metrics"' } });
      return new Response(await metrics.render(), { status: 200, headers: { "content-type": metrics.contentType, "cache-control": "no-store" } });
    },
  };
}
