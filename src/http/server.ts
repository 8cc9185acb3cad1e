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
          if (res.headersSent) return void req.resume();
          // Answer once the client has sent its whole body (read and dropped): answering earlier and closing lets
          // the rest of the body hit a closed socket, and the client gets a reset instead of this answer. A client
          // that keeps sending past DRAIN_MS gets the answer anyway, and the connection is closed after it.
          return void drainRequest(req, DRAIN_MS).then((drained) => {
            if (res.headersSent || res.destroyed) return;
            if (!drained) res.setHeader("connection", "close");
            sendJson(res, error.status, { error: error.message });
          });
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
