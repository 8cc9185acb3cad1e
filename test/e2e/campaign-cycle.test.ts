// The campaign's second half for each seed plan, end to end on a fake clock: members and officers talk to the bot over
// the real Telegram and Zalo channels (polling against the fake Bot API servers, real HTTP on 127.0.0.1), and every
// push — review notices, list decisions, report requests and reminders, result requests, the commendation — goes
// through the real outbox and delivery worker to the same fake servers. Stages: registration on both platforms →
// approval (one returned, edited, approved) → unit lists sent up (one returned and sent again) → phase report
// requested, prefilled and filed (one unit late and reminded) → results → evaluation → commendation broadcast. The
// count at each stage is printed (the closing note quotes them).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBot } from "../../src/app/bot.js";
import { broadcastCommendation, commendationDraft, decideEvaluation, decisionList, proposeTitle } from "../../src/app/cycle/evaluation.js";
import { planCyclePushes } from "../../src/app/cycle/pushes.js";
import { consolidatedReport } from "../../src/app/cycle/report-export.js";
import { createInbound } from "../../src/app/inbound.js";
import { generateInviteCode, hashInviteCode } from "../../src/app/invite-codes.js";
import type { ChannelName, IncomingMessage, Reply } from "../../src/app/ports.js";
import type { Channel } from "../../src/channels/channel.js";
import { createTelegramChannel } from "../../src/channels/telegram/telegram-channel.js";
import { createZaloChannel } from "../../src/channels/zalo/zalo-channel.js";
import type { OpenDatabase, Repositories } from "../../src/db/index.js";
import { addDays } from "../../src/domain/clock.js";
import { reportDue, reportOpens } from "../../src/domain/cycle.js";
import { DEFAULT_QUIET_HOURS } from "../../src/domain/quiet-hours.js";
import { silentLogger } from "../support/core-harness.js";
import { buttonPress, privatePhoto, privateText, type FakeTelegram } from "../support/fake-telegram.js";
import { textUpdate, type FakeZalo } from "../support/fake-zalo.js";
import { drain, simulatedWorker, startSimulatedWorld, VN, type SimulatedWorld } from "../support/simulated-time.js";
import { pngImage } from "../support/test-image.js";

const local = (date: string, time: string) => new Date(`${date}T${time}:00+07:00`);

interface Person {
  key: string;
  channel: Exclude<ChannelName, "web">;
  chatId: string;
  name: string;
  unit: string;
  officer?: boolean;
}

const PEOPLE: readonly Person[] = [
  { key: "tg-1", channel: "telegram", chatId: "71001", name: "Nguyễn Thị Hoa", unit: "CDCS-THPT-TP" },
  { key: "tg-2", channel: "telegram", chatId: "71002", name: "Lò Văn Bình", unit: "CDCS-THPT-TP" },
  { key: "zl-1", channel: "zalo", chatId: "zl-81001", name: "Hà Thị Lan", unit: "CDCS-DIENLUC" },
  { key: "zl-2", channel: "zalo", chatId: "zl-81002", name: "Trần Văn Điện", unit: "CDCS-DIENLUC" },
  { key: "o-thpt", channel: "telegram", chatId: "71100", name: "Đặng Thị Mai", unit: "CDCS-THPT-TP", officer: true },
  { key: "o-gd", channel: "telegram", chatId: "71200", name: "Vàng A Sử", unit: "CDGD", officer: true },
  { key: "o-dl", channel: "zalo", chatId: "zl-81100", name: "Giàng Thị Dua", unit: "CDCS-DIENLUC", officer: true },
  { key: "o-root", channel: "zalo", chatId: "zl-81200", name: "Lường Văn Tâm", unit: "LDLD-LC", officer: true },
];
const MEMBERS = PEOPLE.filter((p) => !p.officer);

const PLANS = [
  { slug: "lai-chau-2025", start: local("2025-05-19", "08:00") },
  { slug: "bac-kan-2021", start: local("2021-05-19", "08:00") },
] as const;

async function until(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

for (const plan of PLANS) {
  describe(`the campaign cycle of ${plan.slug} over Telegram and Zalo`, () => {
    let telegram: FakeTelegram;
    let zalo: FakeZalo;
    let world: SimulatedWorld;
    let db: OpenDatabase;
    let r: Repositories;
    let channels: Channel[] = [];
    const clock = { t: plan.start as Date };
    let handled = 0;
    const counts: Record<string, number> = {};
    const record = (stage: string, n: number) => {
      counts[stage] = n;
      console.log(`[${plan.slug}] ${stage}: ${n}`);
    };

    const person = (key: string) => PEOPLE.find((p) => p.key === key)!;
    const subscriber = async (key: string) => (await r.subscribers.find(person(key).channel, person(key).chatId))!;
    const sentTo = (p: Person) => (p.channel === "telegram" ? telegram.sent.filter((m) => m.chatId === p.chatId).map((m) => m.plainText ?? m.text ?? "") : zalo.sent.filter((m) => m.chatId === p.chatId).map((m) => m.text ?? ""));

    /** One message from the person over their platform; resolves once the bot has handled it (its replies are sent). */
    async function say(key: string, text: string): Promise<string[]> {
      const p = person(key);
      const before = sentTo(p).length;
      const target = handled + 1;
      if (p.channel === "telegram") telegram.pushUpdate(privateText(text, { chatId: Number(p.chatId), firstName: p.name }));
      else zalo.pushUpdate(textUpdate({ chatId: p.chatId, text, displayName: p.name }));
      await until(`the answer to "${text}" from ${key}`, () => handled >= target);
      return sentTo(p).slice(before);
    }

    /** A press on an inline button under the bot's message in the person's Telegram chat; resolves once handled. */
    async function press(key: string, data: string): Promise<string[]> {
      const p = person(key);
      const before = sentTo(p).length;
      const target = handled + 1;
      telegram.pushUpdate(buttonPress(data, { chatId: Number(p.chatId), firstName: p.name }));
      await until(`the answer to the button "${data}" from ${key}`, () => handled >= target);
      return sentTo(p).slice(before);
    }

    /** A photo from the person's Telegram chat (served by the fake Bot API's file server); resolves once handled. */
    async function sendPhoto(key: string, bytes: Uint8Array): Promise<string[]> {
      const p = person(key);
      const before = sentTo(p).length;
      const target = handled + 1;
      const file = telegram.addFile(bytes, { contentType: "image/png", width: 160, height: 120 });
      telegram.pushUpdate(privatePhoto([file], { chatId: Number(p.chatId), firstName: p.name }));
      await until(`the answer to a photo from ${key}`, () => handled >= target);
      return sentTo(p).slice(before);
    }

    /**
     * The pledge conversation, answered by the step it is at (the steps depend on the plan and the date); `work`: a
     * dedicated work too, due on that day (yyyy-mm-dd).
     */
    async function register(key: string, work?: string): Promise<string> {
      const p = person(key);
      let replies = await say(key, "/dangky");
      const tries = new Map<string, number>();
      for (let i = 0; i < 30; i++) {
        const session = await r.sessions.get(p.channel, p.chatId);
        if (!session?.flow) break;
        const step = session.step!;
        const n = (tries.get(step) ?? 0) + 1;
        tries.set(step, n);
        const answer: Record<string, string> = {
          campaign: "1", phase: "1", kind: "1", name: p.name, position: "Công nhân", titles: n === 1 ? "1" : "tiep tuc", movements: "tiep tuc",
          "work-ask": work ? "co" : "khong", "initiative-ask": "khong", commitment: "Hoàn thành xuất sắc nhiệm vụ được giao", summary: "1",
          ...(work ? { "work-anniversary": "1", "work-name": "Lát lại sân trường", "work-description": "Lát gạch sân trường, trồng cây bóng mát", "work-date": work.split("-").reverse().join("/") } : {}),
        };
        if (!(step in answer)) throw new Error(`unexpected pledge step ${step}: ${replies.join(" | ")}`);
        replies = await say(key, answer[step]!);
      }
      const code = /Mã đăng ký: ([A-Z0-9]+-\d{6})\./.exec(replies.join("\n"))?.[1];
      if (!code) throw new Error(`no receipt for ${key}: ${replies.join(" | ")}`);
      return code;
    }

    /** Runs the cycle's pushes at `at` and delivers everything due through the real worker to the fake servers. */
    async function deliver(at: Date = clock.t) {
      clock.t = at;
      const worker = simulatedWorker(world, clock, { workerId: "cycle", concurrency: 2 });
      const pushes = await planCyclePushes({ ...r, timezone: VN, quietHours: DEFAULT_QUIET_HOURS }, at);
      await drain(worker);
      return pushes;
    }

    beforeAll(async () => {
      world = await startSimulatedWorld(plan.slug);
      ({ telegram, zalo, db, repositories: r } = world);
      const bot = createBot({ ...r, timezone: VN, now: () => clock.t, logger: silentLogger });
      const inbound = createInbound({ conversation: bot, processedUpdates: r.processedUpdates, subscribers: r.subscribers, now: () => clock.t, logger: silentLogger });
      const counted = async (message: IncomingMessage, reply: Reply) => {
        try {
          await inbound(message, reply);
        } finally {
          handled++;
        }
      };
      channels = [
        createTelegramChannel({ token: telegram.token, apiRoot: telegram.apiRoot, mode: "polling", inbound: counted, logger: silentLogger }),
        createZaloChannel({ token: zalo.token, apiRoot: zalo.apiRoot, mode: "polling", inbound: counted, logger: silentLogger, pollTimeoutSeconds: 1 }),
      ];
      for (const c of channels) await c.start();
    }, 60_000);

    afterAll(async () => {
      for (const c of channels) await c.stop();
      await world?.close();
    });

    it("runs registration → approval → lists → report → results → evaluation → commendation", async () => {
      const campaign = (await r.campaigns.findBySlug(plan.slug))!;
      const phase = campaign.definition.phases[0]!;
      const unitId = async (code: string) => (await r.units.findByCode(code))!.id;

      // Everyone subscribes and picks their unit; officers redeem an invitation for theirs.
      for (const p of PEOPLE) {
        await say(p.key, "/start");
        await say(p.key, p.unit);
        await say(p.key, "1");
        if (p.officer) {
          const code = generateInviteCode();
          await r.invites.create({ codeHash: hashInviteCode(code), role: "officer", unitId: await unitId(p.unit), expiresAt: addDaysDate(clock.t, 1) });
          expect((await say(p.key, `/canbo ${code}`)).join("\n")).toContain("cán bộ công đoàn");
        }
      }
      const codes: Record<string, string> = {};
      // tg-1 pledges a dedicated work as well, and later reports it done with a photo.
      for (const m of MEMBERS) codes[m.key] = await register(m.key, m.key === "tg-1" ? phase.end : undefined);
      record("registered (Telegram + Zalo)", Object.keys(codes).length);
      expect(new Set(MEMBERS.map((m) => m.channel))).toEqual(new Set(["telegram", "zalo"]));

      // Approval: the THPT officer approves one and returns one; the DIENLUC officer approves all after confirming.
      expect((await say("o-thpt", "/duyet")).join("\n")).toContain(`Đăng ký chờ duyệt (2)`);
      await say("o-thpt", `/duyet ok ${codes["tg-1"]}`);
      await say("o-thpt", `/duyet tralai ${codes["tg-2"]}`);
      await say("o-thpt", "Chưa ghi chức vụ cụ thể");
      expect((await say("o-dl", "/duyet tatca")).join("\n")).toContain("Duyệt tất cả 2 đăng ký");
      expect((await say("o-dl", "2")).join("\n")).toBe("Đã thôi, không duyệt đăng ký nào.");
      await say("o-dl", "/duyet tatca");
      expect((await say("o-dl", "1")).join("\n")).toBe("✅ Đã duyệt 2 đăng ký. Người đăng ký đã được báo.");
      await deliver();
      expect(sentTo(person("tg-2")).at(-1)).toBe(`↩️ Đăng ký ${codes["tg-2"]} của bạn được trả lại: Chưa ghi chức vụ cụ thể. Gõ /camket để sửa và gửi lại.`);
      // The returned member edits (from the summary, confirming) and it is pending again, then approved.
      await say("tg-2", `/camket sua ${codes["tg-2"]}`);
      expect((await say("tg-2", "1")).join("\n")).toContain("đang chờ duyệt");
      expect((await r.pledges.findByCode(codes["tg-2"]!))!.review).toBe("pending");
      await say("o-thpt", `/duyet ok ${codes["tg-2"]}`);
      await deliver();
      const approvedNotices = MEMBERS.filter((m) => sentTo(m).some((t) => t === `✅ Đăng ký ${codes[m.key]} của bạn đã được duyệt.`)).length;
      record("approved (member told)", approvedNotices);
      record("returned, edited and approved", sentTo(person("tg-2")).filter((t) => t.startsWith("↩️")).length);
      expect(approvedNotices).toBe(4);

      // Lists sent up: THPT's is returned by the education union and sent again; both accepted.
      expect((await say("o-thpt", "/baocao danhsach")).join("\n")).toContain("✅ Đã gửi danh sách đăng ký");
      expect((await say("o-dl", "/baocao danhsach")).join("\n")).toContain("✅ Đã gửi danh sách đăng ký");
      await say("o-gd", "/baocao tralai CDCS-THPT-TP");
      await say("o-gd", "Thiếu chữ ký chủ tịch");
      await deliver();
      expect(sentTo(person("o-thpt")).at(-1)).toContain("Thiếu chữ ký chủ tịch");
      await say("o-thpt", "/baocao danhsach");
      await say("o-gd", "/baocao nhan CDCS-THPT-TP");
      await say("o-root", "/baocao nhan CDCS-DIENLUC");
      const lists = await r.unitFilings.list({ campaignId: campaign.id, phaseNumber: phase.number, kind: "list", unitIds: [await unitId("CDCS-THPT-TP"), await unitId("CDCS-DIENLUC")] });
      record("lists accepted (one returned and re-sent)", lists.filter((l) => l.status === "accepted").length);
      expect(lists.map((l) => l.status)).toEqual(["accepted", "accepted"]);

      // The phase's last days: both grassroots officers are asked; THPT files at once, DIENLUC is late.
      const opened = await deliver(local(reportOpens(phase), "08:00"));
      record("report requests delivered", opened["report-request"]);
      expect(sentTo(person("o-thpt")).at(-1)).toMatch(/^📝 /);
      expect((await say("o-thpt", "/baocao")).join("\n")).toContain("• Đăng ký đã duyệt: 2");
      for (const answer of ["Có", "Hoàn thành tốt nhiệm vụ, 100% đoàn viên đăng ký được duyệt", "Không có", "Không có"]) await say("o-thpt", answer);
      expect((await say("o-thpt", "Có")).join("\n")).toContain("✅ Đã gửi báo cáo sơ kết");

      // The day after the phase: members are asked for results and answer on their platform.
      const results = await deliver(local(addDays(phase.end, 1), "08:00"));
      record("result requests delivered", results.resultRequests);
      // The push carries one choice per approved pledge: a button on Telegram (pressing it opens that pledge's
      // questions), numbered lines on Zalo (typing its number, or the command it names, opens them).
      const opensQuestions = (replies: string[], code: string) => expect(replies.join("\n")).toContain(`Kết quả đăng ký ${code} (`);
      for (const m of MEMBERS) {
        const code = codes[m.key]!;
        if (m.channel === "telegram") {
          const push = telegram.sent.filter((s) => s.chatId === m.chatId).at(-1)!;
          expect(push.plainText).toMatch(/^🏁 /);
          expect(push.inlineKeyboard).toEqual([[{ text: `Báo kết quả ${code}`, callback_data: `/ketqua ${code}` }]]);
          opensQuestions(await press(m.key, push.inlineKeyboard![0]![0]!.callback_data!), code);
        } else {
          const push = zalo.sent.filter((s) => s.chatId === m.chatId).at(-1)!.text ?? "";
          expect(push).toMatch(/^🏁 /);
          expect(push).toContain(`1. Báo kết quả ${code}`);
          expect(push).toContain(`/ketqua ${code}`);
          opensQuestions(await say(m.key, m.key === "zl-1" ? "1" : `/ketqua ${code}`), code);
        }
        await say(m.key, m.key.endsWith("1") ? "Đạt" : "Chưa đạt");
        if (m.key === "tg-1") {
          expect((await say(m.key, "Không ghi chú")).join("\n")).toContain('Công trình, sản phẩm "Lát lại sân trường"');
          expect((await say(m.key, "Hoàn thành")).join("\n")).toContain('Gửi ảnh công trình "Lát lại sân trường" (không bắt buộc)');
          expect((await sendPhoto(m.key, pngImage(160, 120))).join("\n")).toContain("• Lát lại sân trường: Hoàn thành (có ảnh)");
        } else expect((await say(m.key, "Không ghi chú")).join("\n")).toContain("✅ Đã ghi kết quả");
      }
      const reported = await r.pledges.results(await Promise.all(MEMBERS.map(async (m) => (await r.pledges.findByCode(codes[m.key]!))!.id)));
      record("result photos stored", reported.filter((x) => x.photoId !== null).length);
      record("results reported", reported.filter((x) => x.item === "pledge").length);

      // The report's due date: only the late unit is reminded; it then files, and the figures use the results.
      const reminded = await deliver(local(reportDue(phase), "08:00"));
      record("late units reminded", reminded["report-reminder"]);
      expect(reminded["report-reminder"]).toBe(1);
      expect(sentTo(person("o-dl")).at(-1)).toMatch(/^⏰ /);
      expect((await say("o-dl", "/baocao")).join("\n")).toContain("• Báo đạt: 1");
      for (const answer of ["1", "Đơn vị hoàn thành kế hoạch", "Không có", "Không có", "1"]) await say("o-dl", answer);
      const rootScope = await r.pledgeReports.unitSubtree(await unitId("LDLD-LC"));
      const consolidated = await consolidatedReport(r, { campaign, phaseNumber: phase.number, scope: rootScope });
      record("phase reports filed", consolidated.reported);
      // THPT filed before the results came in (its figures say 0 achieved); DIENLUC filed after them (1 of its 2).
      expect(consolidated.totals).toMatchObject({ registered: 4, approved: 4, achieved: 1 });

      // Evaluation: the unit officers propose, the level above decides; then the commendation goes out to everyone.
      const scopeOf = async (key: string) => r.pledgeReports.unitSubtree((await r.pledgeReports.officerGrantUnitId((await subscriber(key)).id))!);
      const title = campaign.definition.titles.find((x) => x.scope === "individual")!.key;
      const now = clock.t;
      for (const [officer, member] of [["o-thpt", "tg-1"], ["o-dl", "zl-1"]] as const) {
        expect(await proposeTitle(r, { officer: await subscriber(officer), scope: await scopeOf(officer), campaign, pledgeCode: codes[member]!, titleKey: title, now })).toMatchObject({ ok: true });
      }
      expect(await proposeTitle(r, { officer: await subscriber("o-thpt"), scope: await scopeOf("o-thpt"), campaign, pledgeCode: codes["tg-2"]!, titleKey: null, now })).toEqual({ ok: false, reason: "reasonRequired" });
      expect(await decideEvaluation(r, { officer: await subscriber("o-gd"), scope: await scopeOf("o-gd"), campaign, pledgeCode: codes["tg-1"]!, award: true, now })).toMatchObject({ ok: true });
      expect(await decideEvaluation(r, { officer: await subscriber("o-root"), scope: rootScope, campaign, pledgeCode: codes["zl-1"]!, award: true, now })).toMatchObject({ ok: true });
      const decisions = await decisionList(r, { campaign, scope: rootScope, locale: "vi" });
      record("awarded", decisions.filter((d) => d.decision === "awarded").length);
      const draft = commendationDraft(campaign, decisions);
      const { audience } = await broadcastCommendation(r, { officer: await subscriber("o-root"), scope: rootScope, text: draft, now });
      await deliver();
      const head = draft.split("\n")[0]!;
      const delivered = PEOPLE.filter((p) => sentTo(p).some((t) => t.includes(head))).length;
      record("commendation delivered", delivered);
      expect(audience).toBe(PEOPLE.length);
      expect(delivered).toBe(PEOPLE.length);
      expect(counts).toMatchObject({ "registered (Telegram + Zalo)": 4, "report requests delivered": 2, "result requests delivered": 4, "results reported": 4, "result photos stored": 1, "phase reports filed": 2, awarded: 2 });
    }, 240_000);
  });
}

function addDaysDate(at: Date, days: number): Date {
  return new Date(at.getTime() + days * 86_400_000);
}
