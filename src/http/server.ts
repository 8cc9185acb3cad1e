// One HTTP server for everything the bot serves: /healthz, the web chat, and (later) platform webhooks.
// Routes are plain functions; bodies are read with a hard size limit so a bad client cannot exhaust memory.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "../logger.js";

export type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<void> | void;

export interface Route {
  method: "GET" | "POST";
  path: string;
  handler: Handler;
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" });
  res.end(payload);
}

/** Reads a JSON body of at most `limitBytes`; throws HttpError 413/415/400 otherwise. */
export async function readJsonBody(req: IncomingMessage, limitBytes: number): Promise<unknown> {
  const type = req.headers["content-type"] ?? "";
  if (!type.toLowerCase().startsWith("application/json")) throw new HttpError(415, "expected application/json");
  const declared = Number(req.headers["content-length"] ?? 0);
  if (declared > limitBytes) throw new HttpError(413, "body too large");
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limitBytes) throw new HttpError(413, "body too large");
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    throw new HttpError(400, "body is not valid JSON");
  }
}

export interface RunningServer {
  server: Server;
  port: number;
  close(): Promise<void>;
}

export async function startHttpServer(options: { port: number; host: string; routes: Route[]; logger: Logger }): Promise<RunningServer> {
  const { routes, logger } = options;
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    const samePath = routes.filter((r) => r.path === path);
    const route = samePath.find((r) => r.method === req.method);
    if (!route) {
      if (samePath.length > 0) {
        res.writeHead(405, { allow: samePath.map((r) => r.method).join(", ") });
        return void res.end();
      }
      return sendJson(res, 404, { error: "not found" });
    }
    Promise.resolve()
      .then(() => route.handler(req, res))
      .catch((error: unknown) => {
        if (error instanceof HttpError) {
          if (!res.headersSent) sendJson(res, error.status, { error: error.message });
          // Drain what a too-large client is still sending, then close.
          req.resume();
          return;
        }
        logger.error({ err: error, path }, "http handler failed");
        if (!res.headersSent) sendJson(res, 500, { error: "internal error" });
        else res.end();
      });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => resolve());
  });
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
