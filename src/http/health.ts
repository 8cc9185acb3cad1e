import type { Health } from "../app/ports.js";
import { sendJson, type Route } from "./server.js";

/** 200 when the database answers, 503 otherwise: what a load balancer or Docker HEALTHCHECK needs. */
export function healthRoute(health: Health): Route {
  return {
    method: "GET",
    path: "/healthz",
    handler: async (c) => {
      const ok = await health.databaseReachable().catch(() => false);
      return sendJson(c, ok ? 200 : 503, { status: ok ? "ok" : "unavailable", database: ok ? "reachable" : "unreachable" });
    },
  };
}
