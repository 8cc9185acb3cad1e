// Bad input at scale: 10,000 random messages through the real conversation core on one real database
// (TEST_DATABASE: SQLite by default, PostgreSQL on the second CI pass). Several simulated people per run, on
// web, Telegram and Zalo, each driving /dangky and then answering — valid answers to the question they were just
// asked (buttons, typed numbers, plausible text), mixed with commands and with hostile text: Vietnamese in NFD,
// emoji, right-to-left text, 10,000-character strings, control characters, HTML/Markdown, empty strings,
// whitespace, lone surrogates, forged button values.
//
// After every message: no thrown error and no "something went wrong" reply; every reply is a valid prompt (text,
// choices with a label and a value of at most 64 bytes of UTF-8 — Telegram's callback_data limit — all NFC and
// well-formed UTF-16); the pledge table grew by exactly the receipts of that turn. After every run: each stored
// pledge is whole (code, ≥ 1 item, texts within the stated limits, NFC, keys of its campaign) and belongs to a
// person who got its receipt; nobody else has one.
//
// The fast-check seed is fixed (FC_SEED overrides it, to replay a reported failure) and printed by fast-check on
// failure together with the shrunk counterexample.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateInviteCode, hashInviteCode } from "../../src/app/invite-codes.js";
import { t } from "../../src/app/i18n.js";
import type { ChannelName, IncomingMessage, OutgoingMessage, Pledge } from "../../src/app/ports.js";
import { anniversariesOf } from "../../src/domain/calendar.js";
import type { CampaignDefinition } from "../../src/domain/campaign.js";
import { parseCampaign } from "../../src/domain/campaign-parse.js";
import { checkText, LIMITS } from "../../src/domain/pledge-rules.js";
import { startCore, type CoreHarness } from "../support/core-harness.js";
import { liveCampaignYaml } from "../support/live-campaign.js";
import { defaultProvider } from "../support/test-database.js";

const NOW = new Date("2025-05-19T01:00:00Z"); // 08:00 in Hà Nội: Đợt 1 of Lai Châu 2025, and the live test plan open too
const SEED = Number(process.env.FC_SEED ?? 20_250_519);
const RUNS = Number(process.env.FC_RUNS ?? 50); // FC_RUNS: fewer, to replay or debug quickly
const MESSAGES_PER_RUN = 200; // RUNS × MESSAGES_PER_RUN = 10,000 random messages, plus each person's set-up
const CODE = /^[A-Z]{2,5}\d{2}-\d{6}$/;
const INTERNAL_ERRORS = new Set([t("vi", "error.internal"), t("en", "error.internal")]);

// ---- what people type ------------------------------------------------------------------------------------------

const NAMES = ["Lò Văn Bình", "Nguyễn Thị Hoa", "Hà Thị Mai", "Đặng Quốc Việt", "Trần Ngọc Ánh", "Vàng A Sùng"];
const SENTENCES = [
  "Hoàn thành xuất sắc nhiệm vụ năm 2025",
  "Kỹ sư vận hành trạm biến áp",
  "Cải tạo nhà văn hoá công nhân",
  "Thay máy biến áp, giảm tổn thất điện năng",
  "Sổ tay vận hành số cho tổ sản xuất",
  "Phấn đấu đạt lao động tiên tiến năm nay",
  "Giáo viên dạy giỏi cấp tỉnh",
  "Complete every task ahead of schedule",
];
const UNIT_QUERIES = ["dien luc", "giáo dục", "CDGD", "y te", "Công đoàn", "bỏ qua", "skip", "CDCS-DIENLUC"];
/** Inside Đợt 1 of both open plans, in Đợt 2 of Lai Châu, outside everything, and in the past. */
const DATES = ["25/5/2025", "2025-06-01", "30-05-2025", "20/6/2025", "15/7/2025", "1/10/2025", "1/1/2026", "1/5/2025"];

const COMMANDS = [
  "/dangky", "/pledge", "/dangky", "/huy", "/cancel", "/chude", "/camket", "/mypledges", "/start", "/trogiup", "/donvi",
  "/dot", "/ngayle", "/ngonngu en", "/ngonngu vi", "/lang xx", "/ngonngu", "/thongke", "/xuat", "/thongbao", "/foo",
  "/DANGKY", "/dangky@congdoan_bot", "/dangky thêm chữ", "/camket sua LC25-000001", "/camket rut LC25-000002",
  "/camket sua EE25-000001", "/mypledges withdraw", "/camket sua " + "x".repeat(500), "/canbo WRONG-CODE-0000", "/ngung",
  "/" + "a".repeat(300), "/dangky\u0000", "/huy 🙂",
];

const FORGED = [
  "#pick:", "#pick:1", "#pick:99", "#pick:individual", "#pick:collective", "#pick:lao-dong-tien-tien", "#pick:sinh-nhat-bac",
  "#pick:-1", "#pick:1e3", "#pick:" + "9".repeat(30), "#confirm", "#edit", "#cancel", "#keep", "#skip", "#done", "#yes", "#no",
  "#field:", "#field:commitment", "#field:name", "#field:unknown", "#unit:", "#unit:1", "#unit:-1", "#unit:1.5", "#unit:abc",
  "#unit:1e3", "#unit:" + "9".repeat(25), "#unit:0x10", "#unit: 1", "#invalid:3", "#",
];

const NUMBERS = ["0", "1", "2", "3", "4", "5", "9", "12", "99", "999", "-1", "1.5", "01", "1,3", "1, 2, 3", "1;4", "1 99", "1,,2", "١", "１", "2 ", " 3", "1\n2"];

const MARKUP = [
  "<b>đậm</b>", "<script>alert(1)</script>", "<a href=\"tg://user?id=1\">x</a>", "**Lao động** _giỏi_", "[link](https://example.org)",
  "`code` ```block```", "&lt;b&gt; &amp; &#0;", "<i>", "</pre>", "*_~||spoiler||~_*", "{name} {code} {min}", "$&$1$'",
];

const EMOJI = ["👍", "👍🏽", "👨‍👩‍👧‍👦", "🇻🇳", "🎉🎉🎉", "❤️", "🫠", "😀".repeat(60)];
const RTL = ["مرحبا بالعالم", "שלום עולם", "\u202eالسلام عليكم\u202c", "abc \u202e123\u202c def", "\u2067שלום\u2069 Lò Văn Bình"];
const WHITESPACE = ["", " ", "   ", "\t", "\n", "\r\n", "\u00a0", "\u200b", "\u3000", "\u2028", "\ufeff", " \n\t "];
const SURROGATES = ["\ud83d", "\ude00", "a\ud800b", "Lò Văn \udfff", "\ud83d".repeat(20)];
const CONTROLS = ["\u0000", "Lò\u0000Bình", "\u0007bell", "Lò\u001bVăn", "tab\tinside", "\u007f\u0085\u009f", "Lò Văn\u0008Bình", "x\u0000".repeat(50)];

const LONG = [
  "a".repeat(10_000),
  "ệ".repeat(10_000),
  "ệ".normalize("NFD").repeat(3_400),
  "😀".repeat(5_000),
  "Lò Văn Bình ".repeat(834),
  "\u0000".repeat(10_000),
  " ".repeat(10_000),
  "1".repeat(10_000),
  "/dangky " + "x".repeat(9_992),
  "<b>".repeat(3_334),
];

const combiningMark = fc.integer({ min: 0x300, max: 0x36f }).map((c) => String.fromCodePoint(c));
const nfdVietnamese = fc.oneof(
  fc.constantFrom(...NAMES, ...SENTENCES).map((s) => s.normalize("NFD")),
  fc.array(fc.tuple(fc.constantFrom("a", "e", "o", "u", "i", "y", "A", "Đ", "ơ".normalize("NFD")), fc.array(combiningMark, { maxLength: 3 })), { minLength: 1, maxLength: 20 })
    .map((parts) => parts.map(([base, marks]) => base + marks.join("")).join("")),
);
const emoji = fc.oneof(fc.constantFrom(...EMOJI), fc.array(fc.integer({ min: 0x1f300, max: 0x1faff }).map((c) => String.fromCodePoint(c)), { minLength: 1, maxLength: 12 }).map((a) => a.join("")));
const controlString = fc.array(fc.oneof(fc.integer({ min: 0, max: 0x1f }), fc.integer({ min: 0x7f, max: 0x9f })).map((c) => String.fromCharCode(c)), { minLength: 1, maxLength: 12 }).map((a) => a.join(""));

const hostile: fc.Arbitrary<string> = fc.oneof(
  nfdVietnamese,
  emoji,
  fc.constantFrom(...RTL),
  fc.constantFrom(...LONG),
  fc.string({ minLength: 10_000, maxLength: 10_000, unit: "grapheme-ascii" }),
  controlString,
  fc.constantFrom(...CONTROLS),
  fc.constantFrom(...MARKUP),
  fc.constantFrom(...WHITESPACE),
  fc.constantFrom(...SURROGATES),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.string({ unit: "grapheme", maxLength: 40 }),
  fc.constantFrom(...FORGED),
  fc.constantFrom(...NUMBERS),
  // Something plausible with something hostile around it.
  fc.tuple(fc.constantFrom(...NAMES, ...SENTENCES), fc.oneof(controlString, emoji, fc.constantFrom(...MARKUP, ...SURROGATES, ...WHITESPACE)), fc.boolean())
    .map(([valid, odd, before]) => (before ? odd + valid : valid + odd)),
);

const displayName: fc.Arbitrary<string | undefined> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...NAMES) },
  { weight: 2, arbitrary: fc.constantFrom(...NAMES).map((n) => n.normalize("NFD")) },
  { weight: 1, arbitrary: fc.constant(undefined) },
  { weight: 2, arbitrary: fc.oneof(emoji, fc.constantFrom(...RTL, ...WHITESPACE, ...MARKUP, ...CONTROLS, ...SURROGATES), fc.string({ unit: "binary", maxLength: 30 })) },
  { weight: 1, arbitrary: fc.constantFrom("A", "x".repeat(101), "Lò Văn Bình ".repeat(20)) },
);

interface Person {
  channel: ChannelName;
  displayName: string | undefined;
  languageCode: string | undefined;
  /** none: straight to /dangky; start: /start and stays in the unit question; member: with a unit; officer: of CDGD. */
  setup: "none" | "start" | "member" | "officer";
}

const person: fc.Arbitrary<Person> = fc.record({
  channel: fc.constantFrom<ChannelName>("web", "telegram", "zalo"),
  displayName,
  languageCode: fc.constantFrom(undefined, "vi", "en", "en-US", "fr", ""),
  setup: fc.constantFrom<Person["setup"]>("none", "start", "member", "member", "officer"),
});

/** One message: `who` picks the person; `progress` answers what they were just asked, the others are anything. */
type Action =
  | { who: number; kind: "progress"; pick: number }
  | { who: number; kind: "choice"; pick: number; typed: boolean }
  | { who: number; kind: "text"; text: string };

const action: fc.Arbitrary<Action> = fc.oneof(
  { weight: 60, arbitrary: fc.record({ who: fc.nat(), kind: fc.constant("progress" as const), pick: fc.nat() }) },
  { weight: 8, arbitrary: fc.record({ who: fc.nat(), kind: fc.constant("choice" as const), pick: fc.nat(), typed: fc.boolean() }) },
  { weight: 7, arbitrary: fc.record({ who: fc.nat(), kind: fc.constant("text" as const), text: fc.constantFrom(...COMMANDS) }) },
  { weight: 25, arbitrary: fc.record({ who: fc.nat(), kind: fc.constant("text" as const), text: hostile }) },
);

const scenario = fc.record({
  people: fc.array(person, { minLength: 2, maxLength: 4 }),
  actions: fc.array(action, { minLength: MESSAGES_PER_RUN, maxLength: MESSAGES_PER_RUN }),
});

const RECEIPT = /(?:^|\n)✅ [^\n]*?([A-Z]{2,5}\d{2}-\d{6})/;
const isSaved = (text: string) => text.startsWith("✅ Đã lưu đăng ký") || text.startsWith("✅ Your emulation pledge is saved");
const isUpdated = (text: string) => text.startsWith("✅ Đã cập nhật đăng ký") || text.startsWith("✅ Pledge ");
const isWithdrawn = (text: string) => /^(Đã rút đăng ký [A-Z]{2,5}\d{2}-\d{6}\.|Pledge [A-Z]{2,5}\d{2}-\d{6} withdrawn\.)$/.test(text);
const isDateQuestion = (text: string) => text.includes("Ngày dự kiến hoàn thành") || text.includes("Target completion date");
const isUnitQuestion = (m: OutgoingMessage) =>
  (m.choices ?? []).some((c) => c.value.startsWith("#unit:")) || /công đoàn cơ sở nào|đơn vị|grassroots union|\bunits?\b/.test(m.text);
const leftTheFlow = (text: string) => RECEIPT.test(text) || /chưa hiểu|did not understand|Không có gì được lưu|Nothing was saved|không thể lưu|can no longer/.test(text);

/** What a cooperative person answers to the last thing they were asked. */
function progressAnswer(last: OutgoingMessage | undefined, pick: number): string {
  // Out of a flow (or now and then anyway): a new pledge, or the list of pledges with its edit and withdraw buttons.
  if (!last || leftTheFlow(last.text) || pick % 29 === 0) return pick % 3 === 0 ? "/camket" : "/dangky";
  if (isDateQuestion(last.text)) return DATES[pick % DATES.length]!;
  const choices = last.choices ?? [];
  // At the summary, mostly confirm (as a button or as the typed "1").
  if (choices[0]?.value === "#confirm" && pick % 4 !== 3) return pick % 2 ? "#confirm" : "1";
  const freeTextToo = choices.length === 0 || choices.some((c) => c.value === "#keep" || c.value === "#skip");
  if (freeTextToo && (choices.length === 0 || pick % 2 === 0)) {
    const pool = isUnitQuestion(last) ? UNIT_QUERIES : [...SENTENCES, ...NAMES];
    return pool[(pick >> 1) % pool.length]!;
  }
  const index = (pick >> 1) % choices.length;
  return pick % 3 === 0 ? String(index + 1) : choices[index]!.value;
}

// ---- the checks --------------------------------------------------------------------------------------------------

const nfc = (s: string) => s === s.normalize("NFC");
const wellFormed = (s: string) => !/\p{Surrogate}/u.test(s.replace(/[\ud800-\udbff][\udc00-\udfff]/g, ""));

function checkReply(reply: OutgoingMessage, context: string): void {
  expect(INTERNAL_ERRORS.has(reply.text), `internal error reply ${context}`).toBe(false);
  expect(reply.text.trim().length, `empty reply ${context}`).toBeGreaterThan(0);
  expect(wellFormed(reply.text), `reply with a lone surrogate ${context}: ${JSON.stringify(reply.text.slice(0, 200))}`).toBe(true);
  expect(nfc(reply.text), `reply not NFC ${context}: ${JSON.stringify(reply.text.slice(0, 200))}`).toBe(true);
  for (const choice of reply.choices ?? []) {
    expect(choice.label.trim().length, `empty choice label ${context}`).toBeGreaterThan(0);
    expect(wellFormed(choice.label) && nfc(choice.label), `choice label ${JSON.stringify(choice.label)} ${context}`).toBe(true);
    expect(choice.value.length, `empty choice value ${context}`).toBeGreaterThan(0);
    expect(Buffer.byteLength(choice.value, "utf8"), `choice value ${JSON.stringify(choice.value)} over 64 bytes ${context}`).toBeLessThanOrEqual(64);
    expect(wellFormed(choice.value) && nfc(choice.value), `choice value ${JSON.stringify(choice.value)} ${context}`).toBe(true);
  }
}

function expectValidText(value: string | null, limits: { min?: number; max: number }, what: string, multiline = false): void {
  expect(value, what).not.toBeNull();
  expect(checkText(value!, limits, { multiline }), `${what}: ${JSON.stringify(value!.slice(0, 100))}`).toBeNull();
  expect(value, `${what} untrimmed`).toBe(value!.trim());
  expect(nfc(value!) && wellFormed(value!), `${what} not NFC: ${JSON.stringify(value!.slice(0, 100))}`).toBe(true);
}

function checkPledge(pledge: Pledge, def: CampaignDefinition): void {
  const what = `pledge ${pledge.code}`;
  expect(pledge.code, what).toMatch(CODE);
  expect(pledge.code.startsWith(`${def.code_prefix}-`), what).toBe(true);
  const phase = def.phases.find((p) => p.number === pledge.phaseNumber);
  expect(phase, `${what} phase`).toBeDefined();
  expect(["individual", "collective"]).toContain(pledge.kind);
  expect(["active", "withdrawn"]).toContain(pledge.status);
  expectValidText(pledge.fullName, LIMITS.fullName, `${what} fullName`);
  if (pledge.position !== null) expectValidText(pledge.position, { min: 1, max: LIMITS.position.max }, `${what} position`);
  expectValidText(pledge.commitment, LIMITS.commitment, `${what} commitment`, true);
  expect(pledge.items.length, `${what} items`).toBeGreaterThanOrEqual(1);
  const titles = def.titles.filter((x) => x.scope === pledge.kind).map((x) => x.key);
  const movements = def.movements.map((m) => m.key);
  const anniversaries = anniversariesOf(def).map((a) => a.key);
  for (const item of pledge.items) {
    expect(nfc(item.name) && item.name.trim().length > 0, `${what} item name`).toBe(true);
    if (item.type === "title") expect(titles, `${what} title`).toContain(item.key);
    else if (item.type === "movement") expect(movements, `${what} movement`).toContain(item.key);
    else if (item.type === "work") {
      expectValidText(item.name, LIMITS.workName, `${what} work name`);
      expectValidText(item.description ?? null, LIMITS.workDescription, `${what} work description`, true);
      expect(anniversaries, `${what} work anniversary`).toContain(item.anniversaryKey);
      expect(item.targetDate! >= phase!.start && item.targetDate! <= phase!.end, `${what} target date ${item.targetDate}`).toBe(true);
    } else {
      expect(item.type, what).toBe("initiative");
      expectValidText(item.name, LIMITS.initiativeName, `${what} initiative name`);
      expectValidText(item.description ?? null, LIMITS.initiativeDescription, `${what} initiative description`, true);
    }
  }
}

// ---- the property --------------------------------------------------------------------------------------------------

describe(`pledge conversation under 10,000 random messages (${defaultProvider()})`, () => {
  let core: CoreHarness;
  let campaigns: Map<number, CampaignDefinition>;
  let run = 0;
  const totals = { messages: 0, saved: 0, updated: 0, withdrawn: 0, summaries: 0 };

  beforeAll(async () => {
    core = await startCore({ now: NOW });
    // A second plan open today, so the campaign question is asked too.
    const live = parseCampaign("live.yaml", liveCampaignYaml("2025-05-19"));
    if (!live.ok) throw new Error(live.errors.join("\n"));
    await core.repositories.campaigns.upsert(live.campaign);
    campaigns = new Map((await core.repositories.campaigns.listAll()).map((c) => [c.id, c.definition]));
  });
  afterAll(async () => core?.close());

  async function say(chatId: string, p: Person, text: string): Promise<OutgoingMessage[]> {
    totals.messages++;
    const extra: Partial<IncomingMessage> = { channel: p.channel, displayName: p.displayName, languageCode: p.languageCode };
    return core.say(chatId, text, extra);
  }

  it("never crashes, always answers with a valid prompt, and stores only whole, confirmed pledges", async () => {
    const started = Date.now();
    const pledgeCount = () => core.db.prisma.pledge.count();
    const eventCount = (action: string) => core.db.prisma.pledgeEvent.count({ where: { action } });
    const property = fc.asyncProperty(scenario, async ({ people, actions }) => {
      const tag = `r${++run}`;
      const chatIds = people.map((_, i) => `${tag}-p${i}`);
      const last: (OutgoingMessage | undefined)[] = people.map(() => undefined);
      const receipts = people.map(() => new Set<string>());
      const expected = { pledges: await pledgeCount(), edited: await eventCount("edited"), withdrawn: await eventCount("withdrawn") };

      const turn = async (i: number, text: string) => {
        const p = people[i]!;
        const context = `(person ${i} ${JSON.stringify(p)}, message ${JSON.stringify(text.slice(0, 120))}${text.length > 120 ? `… (${text.length} chars)` : ""})`;
        const replies = await say(chatIds[i]!, p, text);
        expect(replies.length, `no reply ${context}`).toBeGreaterThan(0);
        for (const r of replies) checkReply(r, context);
        for (const r of replies) {
          if (isSaved(r.text)) {
            expected.pledges++;
            totals.saved++;
            receipts[i]!.add(RECEIPT.exec(r.text)![1]!);
          } else if (isUpdated(r.text)) {
            expected.edited++;
            totals.updated++;
          } else if (isWithdrawn(r.text)) {
            expected.withdrawn++;
            totals.withdrawn++;
          }
          if (r.choices?.some((c) => c.value === "#confirm")) totals.summaries++;
        }
        // Stored exactly when a receipt says so: never before the confirmation, never half.
        expect(await pledgeCount(), `pledge rows after ${context}`).toBe(expected.pledges);
        last[i] = replies.at(-1);
      };

      // Set-up: who each person is before the random part.
      for (const [i, p] of people.entries()) {
        if (p.setup === "none") continue;
        await turn(i, "/start");
        if (p.setup === "start") continue;
        await turn(i, "dien luc");
        await turn(i, "1");
        if (p.setup === "officer") {
          const unit = await core.repositories.units.findByCode("CDGD");
          const code = generateInviteCode();
          await core.repositories.invites.create({ codeHash: hashInviteCode(code), role: "officer", unitId: unit!.id, expiresAt: new Date(NOW.getTime() + 86_400_000) });
          await turn(i, `/canbo ${code}`);
        }
      }
      for (const [i] of people.entries()) await turn(i, "/dangky");

      for (const a of actions) {
        const i = a.who % people.length;
        let text: string;
        if (a.kind === "progress") text = progressAnswer(last[i], a.pick);
        else if (a.kind === "choice") {
          const choices = last[i]?.choices ?? [];
          const index = choices.length ? a.pick % choices.length : a.pick % 5;
          text = a.typed || !choices.length ? String(index + 1) : choices[index]!.value;
        } else text = a.text;
        await turn(i, text);
      }

      if (process.env.FC_VERBOSE) console.log(`[property] run ${tag}: ${totals.messages} messages so far, ${totals.saved} pledges, ${((Date.now() - started) / 1000).toFixed(1)} s`);

      // Edits and withdrawals: exactly the ones announced.
      expect(await eventCount("edited"), "pledges edited in this run").toBe(expected.edited);
      expect(await eventCount("withdrawn"), "pledges withdrawn in this run").toBe(expected.withdrawn);

      // Nothing half-stored: every pledge of these people is whole and was announced by a receipt to its owner.
      for (const [i, p] of people.entries()) {
        const subscriber = await core.repositories.subscribers.find(p.channel, chatIds[i]!);
        const stored = subscriber ? await core.repositories.pledges.listBySubscriber(subscriber.id) : [];
        expect(new Set(stored.map((s) => s.code)), `pledges of person ${i}`).toEqual(receipts[i]);
        for (const pledge of stored) checkPledge(pledge, campaigns.get(pledge.campaignId)!);
      }
    });

    await fc.assert(property, {
      seed: SEED,
      numRuns: RUNS,
      // On a failure, shrinking replays whole conversations: keep it bounded and report what was found by then.
      plugins: [fc.interruptAfterTimeLimit(8 * 60_000)],
      // FC_END_ON_FAILURE=1: report the first failing case as it is, without shrinking (faster while debugging).
      endOnFailure: Boolean(process.env.FC_END_ON_FAILURE),
    });
    console.log(
      `[property] seed ${SEED}, ${defaultProvider()} — ${totals.messages} messages in ${((Date.now() - started) / 1000).toFixed(1)} s: ` +
        `${totals.summaries} summaries, ${totals.saved} pledges stored, ${totals.updated} edited, ${totals.withdrawn} withdrawn`,
    );
    // The run really happened and really reached the end of the conversation.
    expect(totals.messages).toBeGreaterThanOrEqual(RUNS * MESSAGES_PER_RUN);
    expect(totals.saved).toBeGreaterThan(0);
  }, 10 * 60_000);
});
