// GET /metrics: the Prometheus text exposition of this process's registry (src/metrics.ts). No authentication:
// serve it on the internal network (the bundled reverse proxy refuses /metrics from outside).
import type { Metrics } from "../metrics.js";
import type { Route } from "./server.js";

export const METRICS_PATH = "/metrics";

export function metricsRoute(metrics: Pick<Metrics, "render" | "contentType">): Route {
  return {
    method: "GET",
    path: METRICS_PATH,
    handler: async (_req, res) => {
      const body = await metrics.render();
      res.writeHead(200, { "content-type": metrics.contentType, "cache-control": "no-store" });
      res.end(body);
    },
  };
}
