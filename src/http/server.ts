// One HTTP server for everything the bot serves: /healthz, /metrics, the platform webhooks and the web chat, on Hono
// (typed routing and middleware) through @hono/node-server. Handlers read bodies from the Node request themselves,
// with a hard size limit, so a bad client can neither exhaust memory nor get a reset instead of its answer.
import type { IncomingMessage, Server } from "node:http";
import type { AddressInfo } from "node:net";
import { serve, type HttpBindings } from "@hono/node-server";
import { Hono, type Context, type Handler, type MiddlewareHandler } from "hono";
import type { StatusCode } from "hono/utils/http-status";
import type { Logger } from "../logger.js";

/** What every handler sees: Hono's context with the Node request and response (`c.env.incoming`, `c.env.outgoing`). */
export type HttpEnv = { Bindings: HttpBindings };
export type HttpContext = Context<HttpEnv>;

export interface Route {
  method: "GET" | "POST";
  path: string;
  handler: Handler<HttpEnv>;
  /** Middleware for this route only (Host allow-list, rate limit, security headers), in order. */
  before?: MiddlewareHandler<HttpEnv>[];
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** Extra JSON fields of the answer (e.g. a polite text for the person) and headers (e.g. Retry-After). */
    readonly extra: { body?: Record<string, unknown>; headers?: Record<string, string> } = {},
  ) {
    super(message);
  }
}

/** A JSON answer that no cache keeps (with any header set on the context before, such as a cookie). */
export function sendJson(c: Context, status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return c.newResponse(JSON.stringify(body), status as StatusCode, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", ...headers });
}

/** Reads a JSON body of at most `limitBytes`; throws HttpError 413/415/400 otherwise. */
export async function readJsonBody(req: IncomingMessage, limitBytes: number): Promise<unknown> {
  const type = req.headers["content-type"] ?? "";
  if (!type.toLowerCase().startsWith("application/json")) throw new HttpError(415, "expected application/json");
  const declared = Number(req.headers["content-length"] ?? 0);
  if (declared > limitBytes) throw new HttpError(413, "body too large");
  // Read with listeners rather than `for await`: leaving a for-await loop early destroys the request and with it
  // the connection, so a client still sending a body that is too large got a reset instead of the 413.
  const chunks: Buffer[] = [];
  await new Promise<void>((resolve, reject) => {
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limitBytes) return void chunks.push(chunk);
      done();
      reject(new HttpError(413, "body too large"));
    };
    const onEnd = () => (done(), resolve());
    const onError = (error: Error) => (done(), reject(error));
    const onClose = () => (done(), reject(new HttpError(400, "request aborted")));
    const done = () => {
      req.off("data", onData).off("end", onEnd).off("error", onError).off("close", onClose);
      req.pause();
    };
    req.on("data", onData).on("end", onEnd).on("error", onError).on("close", onClose);
  });
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    throw new HttpError(400, "body is not valid JSON");
  }
}

/** How long a refused request's body is read (and dropped) before the refusal is sent anyway. */
const DRAIN_MS = 10_000;

/** Reads and drops the rest of a request body; true once it ended, false after `ms` or when the client went away. */
function drainRequest(req: IncomingMessage, ms: number): Promise<boolean> {
  if (req.complete) return Promise.resolve(true);
  return new Promise((resolve) => {
    const finish = (ended: boolean) => {
      clearTimeout(timer);
      req.off("end", onEnd).off("close", onClose).off("error", onClose);
      resolve(ended);
    };
    const onEnd = () => finish(true);
    const onClose = () => finish(req.complete);
    const timer = setTimeout(() => finish(false), ms);
    req.on("end", onEnd).on("close", onClose).on("error", onClose);
    req.resume();
  });
}

/** Limits of the Node server: slow or idle clients are cut instead of holding a connection. */
export interface ServerLimits {
  /** Whole request head within this (slowloris on headers). */
  headersTimeoutMs: number;
  /** Whole request (head and body) within this (slowloris on the body). */
  requestTimeoutMs: number;
  maxConnections: number;
}

export const DEFAULT_LIMITS: ServerLimits = { headersTimeoutMs: 10_000, requestTimeoutMs: 15_000, maxConnections: 1_000 };

export interface RunningServer {
  server: Server;
  port: number;
  close(): Promise<void>;
}

export interface HttpServerOptions {
  port: number;
  host: string;
  routes: Route[];
  logger: Logger;
  /** Run before every route (Host allow-list, rate limits, security headers), in order. */
  middleware?: MiddlewareHandler<HttpEnv>[];
  limits?: Partial<ServerLimits>;
}

/** The Hono application: routes, 404/405, and the refusals (HttpError) answered once the body is drained. */
export function createHttpApp(options: Pick<HttpServerOptions, "routes" | "logger" | "middleware">): Hono<HttpEnv> {
  const { routes, logger } = options;
  const app = new Hono<HttpEnv>();
  for (const m of options.middleware ?? []) app.use(m);
  for (const route of routes) app.on([route.method], [route.path], ...(route.before ?? []), route.handler);
  // Browsers ask every site for an icon, e.g. when a console photo is opened on its own (our pages declare none):
  // "no icon" without a 404 in their console or our logs.
  app.get("/favicon.ico", () => new Response(null, { status: 204, headers: { "cache-control": "public, max-age=86400" } }));
  app.notFound((c) => {
    const allowed = [...new Set(routes.filter((r) => r.path === c.req.path).map((r) => r.method))];
    if (allowed.length > 0) return new Response(null, { status: 405, headers: { allow: allowed.join(", ") } });
    return sendJson(c, 404, { error: "not found" });
  });
  app.onError(async (error, c) => {
    const req = c.env.incoming;
    if (error instanceof HttpError) {
      // Answer once the client has sent its whole body (read and dropped): answering earlier and closing lets the
      // rest of the body hit a closed socket, and the client gets a reset instead of this answer. A client that
      // keeps sending past DRAIN_MS gets the answer anyway, and the connection is closed after it.
      const drained = await drainRequest(req, DRAIN_MS);
      const headers: Record<string, string> = { ...error.extra.headers, ...(drained ? {} : { connection: "close" }) };
      return sendJson(c, error.status, { error: error.message, ...error.extra.body }, headers);
    }
    logger.error({ err: error, path: c.req.path }, "http handler failed");
    return sendJson(c, 500, { error: "internal error" });
  });
  return app;
}

export async function startHttpServer(options: HttpServerOptions): Promise<RunningServer> {
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const app = createHttpApp(options);
  const server = await new Promise<Server>((resolve, reject) => {
    const s = serve({
      fetch: app.fetch,
      // Leave the global Request/Response alone: other parts (the Zalo client, tests) use the platform's own.
      overrideGlobalObjects: false,
      port: options.port,
      hostname: options.host,
      // Node checks the timeouts every connectionsCheckingInterval (30 s by default): check every second so a slow
      // client is cut close to the limit.
      serverOptions: { headersTimeout: limits.headersTimeoutMs, requestTimeout: limits.requestTimeoutMs, connectionsCheckingInterval: 1_000 },
    }) as Server;
    s.once("error", reject);
    s.once("listening", () => resolve(s));
  });
  server.keepAliveTimeout = 5_000;
  server.maxConnections = limits.maxConnections;
  const port = (server.address() as AddressInfo).port;
  return {
    server,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}
