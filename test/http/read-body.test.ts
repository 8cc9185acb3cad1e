// The shared HTTP server's body reading and refusals over real HTTP: a body over the limit is answered 413 also when
// it comes chunked (no Content-Length) and slowly, without resetting the connection, and a refusal before the body
// is read (401) is answered whatever the client still sends. Found by test/property/webhook-bodies.test.ts, which
// also covers, against the real bot process, clients on a connection that closes after the answer.
import { Agent, request } from "node:http";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HttpError, readJsonBody, sendJson, startHttpServer, type RunningServer } from "../../src/http/server.js";

const LIMIT = 100_000;

function post(port: number, agent: Agent, body: Buffer, chunked: boolean, path = "/echo"): Promise<{ status: number; body: string; socketReused: boolean }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { "content-type": "application/json", ...(chunked ? {} : { "content-length": String(body.length) }) };
    const req = request({ host: "127.0.0.1", port, path, method: "POST", agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8"), socketReused: req.reusedSocket }));
    });
    req.on("error", reject);
    void (async () => {
      for (let offset = 0; offset < body.length; offset += 16_384) {
        if (req.destroyed) return;
        req.write(body.subarray(offset, offset + 16_384));
        await new Promise((r) => setTimeout(r, 1));
      }
      req.end();
    })();
  });
}

describe("readJsonBody on the shared HTTP server", () => {
  let server: RunningServer;
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });

  beforeAll(async () => {
    server = await startHttpServer({
      port: 0,
      host: "127.0.0.1",
      logger: pino({ level: "silent" }),
      routes: [
        { method: "POST", path: "/echo", handler: async (c) => sendJson(c, 200, { got: await readJsonBody(c.env.incoming, LIMIT) }) },
        // Like the webhooks without their secret: refused before the body is read.
        {
          method: "POST",
          path: "/refuse",
          handler: (c) => {
            c.env.incoming.resume();
            throw new HttpError(401, "unauthorized");
          },
        },
      ],
    });
  });
  afterAll(async () => {
    agent.destroy();
    await server?.close();
  });

  it("answers 413 to a chunked body over the limit, sent slowly, instead of resetting the connection", async () => {
    const big = Buffer.from(`{"pad":"${"a".repeat(LIMIT * 3)}"}`);
    for (let i = 0; i < 5; i++) {
      const answer = await post(server.port, agent, big, true);
      expect(answer.status).toBe(413);
      expect(JSON.parse(answer.body)).toEqual({ error: "body too large" });
    }
    const ok = await post(server.port, agent, Buffer.from('{"a":1}'), true);
    expect(ok).toMatchObject({ status: 200, body: '{"got":{"a":1}}' });
  });

  it("answers 413 from the Content-Length alone, and 400 to a body that is not JSON", async () => {
    expect((await post(server.port, agent, Buffer.alloc(LIMIT + 1, "a"), false)).status).toBe(413);
    expect((await post(server.port, agent, Buffer.from("{not json"), false)).status).toBe(400);
    expect((await post(server.port, agent, Buffer.from('{"a":1}'), false)).status).toBe(200);
  });

  it("answers 401 to a refused request whatever body is still coming", async () => {
    for (const chunked of [false, true]) expect((await post(server.port, agent, Buffer.alloc(LIMIT * 5, "a"), chunked, "/refuse")).status).toBe(401);
    expect((await post(server.port, agent, Buffer.from('{"a":1}'), false)).status).toBe(200);
  });
});

describe("routing on the shared HTTP server (Hono)", () => {
  let server: RunningServer;
  const logged: unknown[] = [];

  beforeAll(async () => {
    const logger = pino({ level: "error" }, { write: (line: string) => void logged.push(JSON.parse(line)) });
    server = await startHttpServer({
      port: 0,
      host: "127.0.0.1",
      logger,
      routes: [
        { method: "GET", path: "/thing", handler: (c) => sendJson(c, 200, { ok: true }) },
        {
          method: "GET",
          path: "/boom",
          handler: () => {
            throw new Error("database on fire");
          },
        },
      ],
    });
  });
  afterAll(async () => server?.close());

  it("404 for an unknown path, 405 with Allow for a known path and another method, HEAD on a GET route", async () => {
    const base = `http://127.0.0.1:${server.port}`;
    const missing = await fetch(`${base}/nothing`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: "not found" });
    const wrong = await fetch(`${base}/thing`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get("allow")).toBe("GET");
    const head = await fetch(`${base}/thing`, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe("");
  });

  it("an unexpected error is a 500 without details, logged once", async () => {
    const res = await fetch(`http://127.0.0.1:${server.port}/boom`);
    expect(res.status).toBe(500);
    expect(await res.text()).toBe('{"error":"internal error"}');
    expect(logged).toEqual([expect.objectContaining({ msg: "http handler failed", path: "/boom" })]);
  });
});

describe("connection limits", () => {
  it("refuses connections beyond maxConnections, and serves again once one closes", async () => {
    const server = await startHttpServer({ port: 0, host: "127.0.0.1", logger: pino({ level: "silent" }), limits: { maxConnections: 2 }, routes: [{ method: "GET", path: "/x", handler: (c) => sendJson(c, 200, { ok: true }) }] });
    const { connect } = await import("node:net");
    const open = () =>
      new Promise<{ socket: import("node:net").Socket; closed: Promise<void> }>((resolve) => {
        const socket = connect(server.port, "127.0.0.1", () => resolve({ socket, closed }));
        const closed = new Promise<void>((r) => socket.on("close", () => r()));
        socket.on("error", () => undefined);
      });
    try {
      const [a, b] = [await open(), await open()];
      const c = await open();
      // The third is closed by the server at once.
      await expect(Promise.race([c.closed.then(() => "closed"), new Promise((r) => setTimeout(() => r("open"), 2_000))])).resolves.toBe("closed");
      a.socket.destroy();
      await a.closed;
      await new Promise((r) => setTimeout(r, 50));
      expect((await fetch(`http://127.0.0.1:${server.port}/x`)).status).toBe(200);
      b.socket.destroy();
    } finally {
      server.server.closeAllConnections();
      await server.close();
    }
  });
});
