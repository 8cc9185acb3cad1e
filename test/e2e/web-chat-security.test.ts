// The web chat's defences over real HTTP against the real bot process (`src/main.ts`, database from TEST_DATABASE):
// the session cookie and its flags, one browser cannot read or act as another, Host allow-list, Origin check,
// polite rate limit, security headers, slow clients cut, and the start-up refusal beside a platform token.
import { spawn } from "node:child_process";
import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestDatabase } from "../db/helpers.js";
import { ROOT, startBot, type BotProcess } from "../support/bot-process.js";
import { defaultTestDatabase } from "../support/test-database.js";
import { openWebChat } from "../support/web-chat-client.js";

/** Writes `fast` at once, then `slow` one byte every `everyMs`; resolves with how long until the server closed. */
function trickle(port: number, fast: string, slow: string, everyMs: number): Promise<{ ms: number; answer: string }> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    let answer = "";
    let i = 0;
    let timer: NodeJS.Timeout | undefined;
    const socket = connect(port, "127.0.0.1", () => {
      socket.write(fast);
      const next = () => {
        if (socket.destroyed || i >= slow.length) return;
        socket.write(slow[i++]!);
        timer = setTimeout(next, everyMs);
      };
      timer = setTimeout(next, everyMs);
    });
    socket.on("data", (d) => (answer += String(d)));
    socket.on("error", () => undefined);
    socket.on("close", () => {
      clearTimeout(timer);
      clearTimeout(giveUp);
      resolve({ ms: Date.now() - started, answer });
    });
    const giveUp = setTimeout(() => {
      socket.destroy();
      reject(new Error("the server did not cut the connection within 40 s"));
    }, 40_000);
  });
}

describe("web chat security (real bot process)", () => {
  let bot: BotProcess;
  let database: TestDatabase;
  let port: number;

  beforeAll(async () => {
    database = await defaultTestDatabase();
    bot = await startBot({ DATABASE_URL: database.url });
    port = Number(new URL(bot.url).port);
  });
  afterAll(async () => {
    await bot?.stop();
    await database?.drop();
  });

  it("issues an HttpOnly, SameSite=Strict session cookie on the page, a new one per browser; the page holds no copy", async () => {
    const page = await fetch(`${bot.url}/`);
    const cookie = page.headers.get("set-cookie")!;
    expect(cookie).toMatch(/^congdoan_chat=[A-Za-z0-9_-]{43}; Max-Age=2592000; Path=\/; HttpOnly; SameSite=Strict$/);
    const token = cookie.split(";")[0]!.split("=")[1]!;
    expect(await page.text()).not.toContain(token);
    const other = await fetch(`${bot.url}/`);
    expect(other.headers.get("set-cookie")!.split(";")[0]).not.toBe(cookie.split(";")[0]);
    // A browser that has its cookie keeps it: no new session.
    const again = await fetch(`${bot.url}/`, { headers: { cookie: cookie.split(";")[0]! } });
    expect(again.headers.get("set-cookie")).toBeNull();
  });

  it("a second browser, or a client without the cookie that knows everything else, cannot read or act as the first", async () => {
    const first = await openWebChat(bot.url);
    await first.say("/start");
    await first.say("/ngonngu");
    await first.say("/lang en");
    const history = await first.log(0);
    expect(history.map((m) => m.text)).toContain("Language set to English.");

    const second = await openWebChat(bot.url);
    expect(await second.log(0)).toEqual([]);
    // Its own chat: Vietnamese, unaffected by the first's /lang en.
    expect((await second.say("/trogiup"))[0]!.text).toMatch(/Các lệnh/);
    expect(await second.log(0)).toHaveLength(2);
    expect((await first.log(0)).map((m) => m.text)).toEqual(history.map((m) => m.text));

    // Every value the first page holds (its HTML, the sequence numbers, the texts) without the cookie: nothing.
    const html = await (await first.get("/")).text();
    for (const probe of [`/api/chat/inbox?after=0`, `/api/chat/inbox?after=0&session=${encodeURIComponent(html.slice(0, 100))}`]) {
      const res = await fetch(`${bot.url}${probe}`);
      expect(res.status).toBe(401);
      expect(await res.text()).not.toContain("Language set to English.");
    }
    const asFirst = await fetch(`${bot.url}/api/chat`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ text: "/ngung" }) });
    expect(asFirst.status).toBe(401);
    expect((await first.log(0)).map((m) => m.text)).toEqual(history.map((m) => m.text));
    // A forged cookie of the right shape is refused too.
    const forged = await fetch(`${bot.url}/api/chat/inbox?after=0`, { headers: { cookie: `congdoan_chat=${"A".repeat(43)}` } });
    expect(forged.status).toBe(401);
  });

  it("refuses a Host that is not ours (421) and a POST from another origin (403); accepts localhost and 127.0.0.1", async () => {
    const request = (host: string, path = "/", extra: Record<string, string> = {}, method = "GET") =>
      new Promise<number>((resolve, reject) => {
        const socket = connect(port, "127.0.0.1", () => {
          const headers = Object.entries({ host, ...extra }).map(([k, v]) => `${k}: ${v}\r\n`).join("");
          socket.write(`${method} ${path} HTTP/1.1\r\n${headers}connection: close\r\n${method === "POST" ? "content-type: application/json\r\ncontent-length: 2\r\n\r\n{}" : "\r\n"}`);
        });
        let data = "";
        socket.on("data", (d) => (data += String(d)));
        socket.on("end", () => resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(data)?.[1] ?? 0)));
        socket.on("error", reject);
      });
    expect(await request("evil.example")).toBe(421);
    expect(await request("evil.example:" + port)).toBe(421);
    expect(await request("attacker.localhost.evil.example")).toBe(421);
    expect(await request("")).toBe(400);
    expect(await request(`localhost:${port}`)).toBe(200);
    expect(await request(`127.0.0.1:${port}`)).toBe(200);
    expect(await request("evil.example", "/api/chat/inbox?after=0")).toBe(421);
    const browser = await openWebChat(bot.url);
    expect(await request(`127.0.0.1:${port}`, "/api/chat", { cookie: browser.cookie, origin: "https://evil.example" }, "POST")).toBe(403);
    expect(await request(`127.0.0.1:${port}`, "/api/chat", { cookie: browser.cookie, origin: "null" }, "POST")).toBe(403);
    // The same origin passes the check (and the empty body is then a 400).
    expect(await request(`127.0.0.1:${port}`, "/api/chat", { cookie: browser.cookie, origin: `http://127.0.0.1:${port}` }, "POST")).toBe(400);
    // /healthz and the webhooks are not browser pages: a load balancer's own Host is fine.
    expect(await request("bot-1:3000", "/healthz")).toBe(200);
  });

  it("sends the page with a CSP that forbids framing and inline script, and the usual hardening headers", async () => {
    for (const path of ["/", "/chat.js", "/chat.css", "/api/chat/inbox?after=0"]) {
      const res = await fetch(`${bot.url}${path}`);
      const csp = res.headers.get("content-security-policy") ?? "";
      expect(csp, path).toContain("frame-ancestors 'none'");
      expect(csp, path).toContain("script-src 'self'");
      expect(csp, path).not.toContain("unsafe-inline");
      expect(res.headers.get("x-frame-options"), path).toBe("DENY");
      expect(res.headers.get("x-content-type-options"), path).toBe("nosniff");
    }
    const html = await (await fetch(`${bot.url}/`)).text();
    // The one inline <script> is JSON data (never executed), the page's code is /chat.js; nothing from elsewhere.
    expect([...html.matchAll(/<script([^>]*)>/g)].map((m) => m[1]!.trim())).toEqual(['type="application/json" id="chrome"', 'src="/chat.js" type="module"']);
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
  });

  it("answers a burst over the per-address limit with a polite 429 and Retry-After, then serves again", async () => {
    const browser = await openWebChat(bot.url);
    const answers = await Promise.all(Array.from({ length: 90 }, () => browser.get("/api/chat/inbox?after=0")));
    const refused = answers.filter((r) => r.status === 429);
    // A burst of 60 (less what this address used already in this file, plus 2 a second back), the rest refused.
    expect(answers.filter((r) => r.status === 200).length).toBeGreaterThanOrEqual(1);
    expect(answers.filter((r) => r.status === 200).length).toBeLessThanOrEqual(65);
    expect(refused.length).toBeGreaterThanOrEqual(25);
    expect(refused.length + answers.filter((r) => r.status === 200).length).toBe(90);
    expect(Number(refused[0]!.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(await refused[0]!.json()).toEqual({ error: "too many requests", message: "Bạn gửi hơi nhanh. Vui lòng đợi vài giây rồi thử lại." });
    await new Promise((r) => setTimeout(r, 1_500));
    expect((await browser.get("/api/chat/inbox?after=0")).status).toBe(200);
  });

  it("cuts a client that trickles its body (slowloris) within 20 s, and one that trickles its headers within 15 s", async () => {
    const browser = await openWebChat(bot.url);
    const body = JSON.stringify({ text: "x".repeat(200) });
    const head = `POST /api/chat HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\ncookie: ${browser.cookie}\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\n\r\n`;
    const [slowBody, slowHead] = await Promise.all([
      trickle(port, head, body, 500),
      trickle(port, `GET / HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\n`, "x-pad: 1\r\n".repeat(40), 300),
    ]);
    console.info(`slow body cut after ${slowBody.ms} ms, slow headers after ${slowHead.ms} ms`);
    expect(slowBody.ms).toBeLessThanOrEqual(20_000);
    expect(slowHead.ms).toBeLessThanOrEqual(15_000);
    // The server stays healthy for everyone else.
    expect((await fetch(`${bot.url}/healthz`)).status).toBe(200);
  }, 45_000);
});

describe("behind HTTPS (PUBLIC_URL https://…)", () => {
  let bot: BotProcess;
  let database: TestDatabase;

  beforeAll(async () => {
    database = await defaultTestDatabase();
    bot = await startBot({ DATABASE_URL: database.url, PUBLIC_URL: "https://congdoan.example.org" });
  });
  afterAll(async () => {
    await bot?.stop();
    await database?.drop();
  });

  it("the cookie is also Secure with the __Host- prefix, and PUBLIC_URL's host name is accepted", async () => {
    const page = await fetch(`${bot.url}/`);
    const cookie = page.headers.get("set-cookie")!;
    expect(cookie).toMatch(/^__Host-congdoan_chat=[A-Za-z0-9_-]{43}; Max-Age=2592000; Path=\/; HttpOnly; Secure; SameSite=Strict$/);
    const pair = cookie.split(";")[0]!;
    // As the reverse proxy forwards it: Host congdoan.example.org.
    const viaProxy = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(new URL(bot.url).port), "127.0.0.1", () =>
        socket.write(`GET /api/chat/inbox?after=0 HTTP/1.1\r\nhost: congdoan.example.org\r\ncookie: ${pair}\r\nconnection: close\r\n\r\n`),
      );
      let data = "";
      socket.on("data", (d) => (data += String(d)));
      socket.on("end", () => resolve(data));
      socket.on("error", reject);
    });
    expect(viaProxy).toMatch(/^HTTP\/1\.1 200 /);
    expect(viaProxy).toContain('{"messages":[]}');
    // Without the prefix the cookie is not read (a plain-HTTP page or a subdomain could have set it).
    expect((await fetch(`${bot.url}/api/chat/inbox?after=0`, { headers: { cookie: pair.replace("__Host-", "") } })).status).toBe(401);
  });
});

describe("start-up refusal", () => {
  it("WEB_CHAT=on beside a platform token stops start-up with one line saying why", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", TELEGRAM_BOT_TOKEN: "123456:abcdefghijklmnopqrstuvwxyz", WEB_CHAT: "on", PORT: "0", DATABASE_URL: "file:/nonexistent/never-opened.db" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (d) => (output += String(d)));
    child.stderr.on("data", (d) => (output += String(d)));
    const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
    expect(code).toBe(1);
    expect(output.trim().split("\n")).toEqual([
      "Configuration error: WEB_CHAT=on beside a platform token would open the test chat to anyone who reaches this server; set WEB_CHAT_PUBLIC=true if that is intended",
    ]);
  }, 30_000);
});
