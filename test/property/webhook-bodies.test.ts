// Webhook bodies at scale, over real HTTP to the real bot process (`src/main.ts` in webhook mode, Telegram and Zalo
// pointed at the fake Bot API servers, the database from TEST_DATABASE): random non-JSON, bodies over 1 MB (with a
// Content-Length and chunked), and random JSON of shapes that are not updates, to /webhooks/telegram and
// /webhooks/zalo, without the secret, with a wrong one and with the right one. Every answer is a 4xx — 401 without
// the right secret, 400 or 413 with it — never a 5xx and never a dropped connection; and nothing changes: no
// subscriber, session or update row, no call to either platform. A well-formed update sent afterwards is answered,
// so the fakes would have seen a reply had one been sent.
//
// The fast-check seed is fixed (FC_SEED overrides it) and printed by fast-check on failure.
import { request } from "node:http";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isUpdate } from "../../src/channels/telegram/webhook-route.js";
import { readZaloUpdate } from "../../src/channels/zalo/read-update.js";
import { openDatabase, type OpenDatabase } from "../../src/db/index.js";
import type { TestDatabase } from "../db/helpers.js";
import { startBot, type BotProcess } from "../support/bot-process.js";
import { postWebhook, privateText, startFakeTelegram, type FakeTelegram } from "../support/fake-telegram.js";
import { startFakeZalo, textUpdate, type FakeZalo } from "../support/fake-zalo.js";
import { defaultProvider, defaultTestDatabase } from "../support/test-database.js";

const SEED = Number(process.env.FC_SEED ?? 20_250_519);
const REQUESTS = 1_000;
const SECRET = "property-webhook-secret-0123456789";
const LIMIT = 1_000_000;
const ROUTES = { telegram: { path: "/webhooks/telegram", header: "x-telegram-bot-api-secret-token" }, zalo: { path: "/webhooks/zalo", header: "x-bot-api-secret-token" } } as const;
type RouteName = keyof typeof ROUTES;

interface Answer {
  status: number;
  body: string;
}

/** One POST on a fresh connection; `chunked` sends the body without a Content-Length, in 64 KiB pieces. */
function post(base: string, path: string, headers: Record<string, string>, body: Buffer, chunked: boolean): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}${path}`, { method: "POST", agent: false, headers: chunked ? headers : { ...headers, "content-length": String(body.length) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
      res.on("error", reject);
    });
    // A server that answers early (401, 413) may stop reading: that is fine as long as the answer arrived.
    req.on("error", (error) => reject(new Error(`no answer: ${error.message}`)));
    if (!chunked) return void req.end(body);
    let offset = 0;
    const pump = () => {
      while (offset < body.length) {
        const piece = body.subarray(offset, offset + 65_536);
        offset += piece.length;
        if (!req.write(piece)) return void req.once("drain", pump);
      }
      req.end();
    };
    pump();
  });
}

const isJson = (text: string) => {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
};

/**
 * Whether either route would take this as an update (then it is not an "unknown shape"): Zalo takes any update with
 * a chat it can answer — also one it cannot read, whose sender it then tells so.
 */
const zaloAnswers = (value: unknown) => {
  const read = readZaloUpdate(value);
  return read.kind !== "unreadable" || read.chatId !== undefined;
};
const acceptedByARoute = (value: unknown) => isUpdate(value) || zaloAnswers(value);

type Body = { kind: "non-json"; bytes: Buffer } | { kind: "json"; bytes: Buffer } | { kind: "too-large"; bytes: Buffer; chunked: boolean };

const nonJson: fc.Arbitrary<Body> = fc
  .oneof(
    fc.string({ unit: "binary", maxLength: 200 }).map((s) => Buffer.from(s, "utf8")),
    fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a)),
    fc.constantFrom("", " ", "{", "[1,", "{\"update_id\":", "undefined", "NaN", "{'a':1}", "<xml/>", "update_id=1", "\u0000", "{\"a\":1}}", "\ufeff{}x").map((s) => Buffer.from(s, "utf8")),
  )
  .filter((b) => !isJson(b.toString("utf8")))
  .map((bytes) => ({ kind: "non-json" as const, bytes }));

/** The right field names with the wrong types or values: neither route may take these. */
const NEAR_MISSES: unknown[] = [
  { update_id: -1 }, { update_id: "1" }, { update_id: 1.5 }, { update_id: 2 ** 60 }, { update_id: null }, [{ update_id: 1 }],
  { ok: true, result: 42 }, { ok: false, result: textUpdate() }, { ok: true, result: { event_name: "" } }, { event_name: 42 },
  { event_name: "message.text.received", message: { chat: {} } }, { result: { update_id: 1 } },
  { ok: true, result: { update_id: 1 } }, "update_id", 0, null, [], {},
];

const unknownJson: fc.Arbitrary<Body> = fc
  .oneof(
    fc.jsonValue({ maxDepth: 4 }).filter((v) => !acceptedByARoute(v)),
    fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 6 }).filter((v) => !acceptedByARoute(v)),
    fc.constantFrom(...NEAR_MISSES),
  )
  .map((v) => ({ kind: "json" as const, bytes: Buffer.from(JSON.stringify(v), "utf8") }));

const tooLarge: fc.Arbitrary<Body> = fc
  .record({ extra: fc.integer({ min: 1, max: 200_000 }), json: fc.boolean(), chunked: fc.boolean(), fill: fc.constantFrom("a", "ệ", "😀", "\u0000") })
  .map(({ extra, json, chunked, fill }) => {
    const size = LIMIT + extra;
    const padding = Buffer.alloc(size, fill === "\u0000" ? "\\u0000" : fill);
    const bytes = json ? Buffer.concat([Buffer.from('{"update_id":1,"event_name":"message.text.received","pad":"'), padding, Buffer.from('"}')]) : padding;
    return { kind: "too-large" as const, bytes, chunked };
  });

const call = fc.record({
  route: fc.constantFrom<RouteName>("telegram", "zalo"),
  secret: fc.constantFrom<"none" | "wrong" | "right">("none", "wrong", "right", "right", "right"),
  contentType: fc.constantFrom("application/json", "application/json; charset=utf-8", "Application/JSON"),
  body: fc.oneof({ weight: 8, arbitrary: nonJson }, { weight: 10, arbitrary: unknownJson }, { weight: 2, arbitrary: tooLarge }),
});

describe(`webhook bodies at scale, real bot over HTTP (${defaultProvider()})`, () => {
  let telegram: FakeTelegram;
  let zalo: FakeZalo;
  let bot: BotProcess;
  let database: TestDatabase;
  let db: OpenDatabase;
  const callsAtStart = { telegram: 0, zalo: 0 };

  beforeAll(async () => {
    database = await defaultTestDatabase();
    telegram = await startFakeTelegram();
    zalo = await startFakeZalo();
    bot = await startBot({
      DATABASE_URL: database.url,
      TELEGRAM_BOT_TOKEN: telegram.token,
      TELEGRAM_API_ROOT: telegram.apiRoot,
      ZALO_BOT_TOKEN: zalo.token,
      ZALO_API_ROOT: zalo.apiRoot,
      UPDATES_MODE: "webhook",
      PUBLIC_URL: "https://congdoan.example.org",
      WEBHOOK_SECRET: SECRET,
      LOG_LEVEL: "warn",
    });
    await telegram.waitForCalls("setWebhook", 1);
    await zalo.waitForCalls("setWebhook", 1);
    await telegram.waitForCalls("setMyCommands", 2);
    db = openDatabase(database.url);
  });
  afterAll(async () => {
    await db?.close();
    await bot?.stop();
    await telegram?.close();
    await zalo?.close();
    await database?.drop();
  });

  const rowCounts = async () => ({
    subscribers: await db.prisma.subscriber.count(),
    sessions: await db.prisma.chatSession.count(),
    updates: await db.prisma.processedUpdate.count(),
  });

  it("answers every bad body with a 4xx (401 without the secret, 400/413 with it) and changes nothing", async () => {
    callsAtStart.telegram = telegram.calls.length;
    callsAtStart.zalo = zalo.calls.length;
    const seen: Record<string, number> = {};
    let requests = 0;
    await fc.assert(
      fc.asyncProperty(call, async ({ route, secret, contentType, body }) => {
        requests++;
        const { path, header } = ROUTES[route];
        const headers: Record<string, string> = { "content-type": contentType };
        if (secret === "right") headers[header] = SECRET;
        if (secret === "wrong") headers[header] = `${SECRET.slice(0, -1)}x`;
        const chunked = body.kind === "too-large" && body.chunked;
        const answer = await post(bot.url, path, headers, body.bytes, chunked);
        const expected = secret !== "right" ? 401 : body.kind === "too-large" ? 413 : 400;
        const what = `${route} ${secret} secret, ${body.kind}${chunked ? " (chunked)" : ""} body of ${body.bytes.length} bytes: ${JSON.stringify(body.bytes.subarray(0, 80).toString("utf8"))}`;
        expect(answer.status, `${what} → ${answer.status} ${answer.body}`).toBe(expected);
        const key = `${route} ${answer.status}`;
        seen[key] = (seen[key] ?? 0) + 1;
      }),
      { seed: SEED, numRuns: REQUESTS, plugins: [fc.interruptAfterTimeLimit(5 * 60_000)] },
    );
    console.log(`[property] seed ${SEED}: ${requests} webhook calls — ${JSON.stringify(seen)}`);
    expect(requests).toBeGreaterThanOrEqual(REQUESTS);

    // Nothing changed: no rows, no call to either platform (give a stray handler a moment to show itself).
    await new Promise((r) => setTimeout(r, 300));
    expect(await rowCounts()).toEqual({ subscribers: 0, sessions: 0, updates: 0 });
    expect(telegram.calls.slice(callsAtStart.telegram).map((c) => c.method)).toEqual([]);
    expect(zalo.calls.slice(callsAtStart.zalo).map((c) => c.method)).toEqual([]);
    expect(telegram.sent).toHaveLength(0);
    expect(zalo.sent).toHaveLength(0);
    expect((await fetch(`${bot.url}/healthz`)).status).toBe(200);
  }, 10 * 60_000);

  it("still handles a well-formed update afterwards (so the fakes would have seen any reply)", async () => {
    expect((await postWebhook(`${bot.url}/webhooks/telegram`, privateText("/chude", { chatId: 7001 }), SECRET)).status).toBe(200);
    expect(telegram.sent).toHaveLength(1);
    const zaloUpdate = { ok: true, result: textUpdate({ chatId: "zalo-7001", text: "/chude" }) };
    const res = await fetch(`${bot.url}/webhooks/zalo`, { method: "POST", headers: { "content-type": "application/json", "x-bot-api-secret-token": SECRET }, body: JSON.stringify(zaloUpdate) });
    expect(res.status).toBe(200);
    expect(zalo.sent).toHaveLength(1);
    expect((await rowCounts()).updates).toBe(2);
  });
});
