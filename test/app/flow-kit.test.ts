// The flow toolkit (src/app/flow) through the real conversation core and a real database: a five-question flow
// declared in 32 lines (./flows/survey-flow.ts), answers as people type them (labels in any case, with or without
// diacritics; "1,4" sets a multi-choice), resume after a restart, stored state validated on load (an older session
// migrated, an unreadable one restarted politely), commands mid-flow (/ngonngu inside the unit question at /start),
// and prompts that promise line breaks only where the channel can carry them.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { COMMANDS, type CommandName } from "../../src/app/commands.js";
import { createConversation, type CommandHandler } from "../../src/app/conversation.js";
import type { ChannelName, OutgoingMessage } from "../../src/app/ports.js";
import { createRepositories, migrate, openDatabase, type OpenDatabase, type Repositories } from "../../src/db/index.js";
import { freshDatabase, type TestDatabase } from "../db/helpers.js";
import { joined, silentLogger, startCore, type CoreHarness } from "../support/core-harness.js";
import { defaultProvider } from "../support/test-database.js";
import { surveyFlow } from "./flows/survey-flow.js";

const MAY_19_2025 = new Date("2025-05-19T01:00:00Z");
const last = (replies: OutgoingMessage[]) => replies.at(-1)!;

describe("a five-question flow declared on the toolkit", () => {
  let database: TestDatabase;
  let db: OpenDatabase;
  let repositories: Repositories;
  const saved: unknown[] = [];

  /** A conversation core with only the survey: /start starts it; every other command answers its own name. */
  function core() {
    const survey = surveyFlow(async (answers) => void saved.push(answers));
    const handlers = Object.fromEntries(
      (Object.keys(COMMANDS) as CommandName[]).map((name): [CommandName, CommandHandler] => [name, name === "start" ? (turn) => survey.start(turn, { topics: [] }) : (turn) => turn.reply({ text: `(${name})` })]),
    ) as Record<CommandName, CommandHandler>;
    const conversation = createConversation({ ...repositories, now: () => MAY_19_2025, flowTtlMs: 86_400_000, logger: silentLogger }, handlers, [survey]);
    return async (text: string, channel: ChannelName = "web") => {
      const out: OutgoingMessage[] = [];
      await conversation.handle({ channel, chatId: "s1", text }, async (m) => void out.push(m));
      return out;
    };
  }

  beforeEach(async () => {
    database = await freshDatabase(defaultProvider());
    await migrate(database.url);
    db = openDatabase(database.url);
    repositories = createRepositories(db);
    saved.length = 0;
  });
  afterEach(async () => {
    await db.close();
    await database.drop();
  });

  it("takes labels as typed, sets a multi-choice from a list, resumes after a restart, and ends with the answers", async () => {
    let say = core();
    expect(last(await say("/start")).text).toBe("Bạn biết phong trào qua đâu?");
    // A label typed without diacritics and in another case counts as pressing its button.
    const topics = last(await say("TO TRUONG cong doan"));
    expect(topics.text).toContain("Chưa chọn mục nào.");
    expect(topics.choices?.map((c) => c.label)).toEqual(["1. An toàn lao động", "2. Sáng kiến", "3. Văn hoá, thể thao", "4. Nhà ở công nhân", "5. Tiếp tục"]);
    expect(last(await say("1,4")).text).toContain("Đã chọn: An toàn lao động; Nhà ở công nhân");
    expect(last(await say("2")).text).toContain("Đã chọn: An toàn lao động; Sáng kiến; Nhà ở công nhân");
    // A list sets the selection: items already chosen stay chosen, the others go.
    const set = last(await say("1, 4"));
    expect(set.text).toContain("Đã chọn: An toàn lao động; Nhà ở công nhân");
    expect(set.choices?.map((c) => c.label).slice(0, 2)).toEqual(["1. ✓ An toàn lao động", "2. Sáng kiến"]);
    expect(last(await say("1,9")).text).toContain("Chọn"); // refused, same question
    expect(joined(await say("tiep tuc"))).toBe("Góp ý của bạn (5–300 ký tự)? (Có thể xuống dòng.)");
    say = core(); // a new process: the state is in the database
    expect(joined(await say("Nên có thêm\ngiờ sinh hoạt"))).toBe("Ngày bạn có thể tham gia (19/05/2025 – 30/06/2025), ví dụ 18/6/2025?");
    expect(joined(await say("1/5/2025"))).toContain("đã qua");
    await say("20/6/2025");
    expect(joined(await say("có"))).toBe("Cảm ơn bạn đã trả lời!");
    expect(saved).toEqual([{ heard: "to-truong", topics: ["t1", "t4"], idea: "Nên có thêm\ngiờ sinh hoạt", day: "2025-06-20", contact: true }]);
  });

  it("promises line breaks only where the channel can carry them; a command mid-flow is answered, then the question again", async () => {
    const say = core();
    await say("/start", "zalo");
    await say("1", "zalo");
    const free = await say("#done", "zalo");
    expect(joined(free)).toBe("Góp ý của bạn (5–300 ký tự)?");
    expect((await say("/trogiup", "zalo")).map((m) => m.text)).toEqual(["(help)", "Góp ý của bạn (5–300 ký tự)?"]);
  });

  it("validates stored state on load: an unreadable session is restarted politely, nothing else happens", async () => {
    const say = core();
    await say("/start");
    await repositories.sessions.save("web", "s1", { flow: "survey", step: "topics", data: { v: 1, state: { topics: "not a list" } }, choices: null, expiresAt: new Date(MAY_19_2025.getTime() + 3_600_000) });
    expect(joined(await say("1"))).toBe("Xin lỗi, cuộc trò chuyện đang dở được lưu từ một phiên bản cũ của trợ lý nên không tiếp tục được. Gõ /khaosat để bắt đầu lại.");
    expect((await repositories.sessions.get("web", "s1"))?.flow).toBeNull();
    await repositories.sessions.save("web", "s1", { flow: "survey", step: "a-step-of-another-version", data: { v: 1, state: { topics: [] } }, choices: null, expiresAt: new Date(MAY_19_2025.getTime() + 3_600_000) });
    expect(joined(await say("1"))).toContain("phiên bản cũ");
  });
});

describe("the pledge and unit flows on the toolkit", () => {
  let core: CoreHarness;
  beforeEach(async () => {
    core = await startCore({ now: MAY_19_2025, channel: "zalo" });
  });
  afterEach(async () => core.close());

  it("/ngonngu inside the unit question at /start: the language changes (by number or label) and the question comes back in it", async () => {
    await core.say("z1", "/start");
    const lang = await core.say("z1", "/ngonngu");
    // The command asked its own question: its choices are the live ones, the unit question waits.
    expect(lang.map((m) => m.text)).toEqual(["Chọn ngôn ngữ:"]);
    const english = await core.say("z1", "2");
    expect(english.map((m) => [m.text, m.locale])).toEqual([
      ["Language set to English.", "en"],
      ["Which grassroots union do you belong to? Type its name or code to search (e.g. “Điện lực” or “CDCS-001”).", "en"],
    ]);
    await core.say("z1", "/lang");
    expect(last(await core.say("z1", "tieng viet")).text).toContain("Bạn sinh hoạt ở công đoàn cơ sở nào?");
    expect(joined(await core.say("z1", "/huy"))).toBe("Đã huỷ thao tác đang làm. Không có gì được lưu.");
  });

  it("resumes a pledge stored by the previous version (bare state, no envelope) at its step", async () => {
    await core.say("z2", "/start");
    await core.say("z2", "bo qua");
    const lai = (await core.repositories.campaigns.findBySlug("lai-chau-2025"))!;
    const bare = { mode: "new", kind: "individual", campaignId: lai.id, phaseNumber: 1, fullName: "Lò Văn Bình", unitId: null, position: null, titles: ["lao-dong-tien-tien"], movements: [], work: null, initiative: null, editing: false };
    await core.repositories.sessions.save("zalo", "z2", { flow: "pledge", step: "commitment", data: bare, choices: null, expiresAt: new Date(MAY_19_2025.getTime() + 3_600_000) });
    const summary = last(await core.say("z2", "Phấn đấu đạt lao động tiên tiến"));
    expect(summary.text).toContain("Danh hiệu: Lao động tiên tiến");
    expect(joined(await core.say("z2", "xac nhan"))).toMatch(/Mã đăng ký: LC25-\d{6}/);
  });

  it("refuses a second individual pledge in the same phase, pointing to /camket", async () => {
    await core.say("z3", "/start");
    await core.say("z3", "bo qua");
    for (const a of ["/dangky", "1", "Lò Văn Bình", "bỏ qua", "bỏ qua", "1", "tiep tuc", "tiep tuc", "khong", "khong", "Phấn đấu đạt lao động tiên tiến", "1"]) await core.say("z3", a);
    const [first] = await core.repositories.pledges.listBySubscriber((await core.repositories.subscribers.find("zalo", "z3"))!.id);
    expect(first).toBeDefined();
    await core.say("z3", "/dangky");
    expect(joined(await core.say("z3", "1"))).toBe(`Bạn đã có đăng ký ${first!.code} trong đợt này — mỗi người đăng ký một lần cho mỗi đợt. Gõ /camket để xem và sửa đăng ký đó.`);
    // Đợt 2 is another phase: allowed.
    await core.say("z3", "/dangky");
    expect(joined(await core.say("z3", "2"))).toContain("Họ và tên");
  });

  it("with one phase open, a second /dangky is refused at once, before any question", async () => {
    core.clock.now = new Date("2025-08-01T03:00:00Z"); // Đợt 2 only
    await core.say("z4", "/start");
    await core.say("z4", "bo qua");
    for (const a of ["/dangky", "Lò Văn Bình", "bỏ qua", "bỏ qua", "1", "tiep tuc", "tiep tuc", "khong", "khong", "Phấn đấu đạt lao động tiên tiến", "1"]) await core.say("z4", a);
    const [first] = await core.repositories.pledges.listBySubscriber((await core.repositories.subscribers.find("zalo", "z4"))!.id);
    expect(first?.phaseNumber).toBe(2);
    expect((await core.say("z4", "/dangky")).map((m) => m.text)).toEqual([`Bạn đã có đăng ký ${first!.code} trong đợt này — mỗi người đăng ký một lần cho mỗi đợt. Gõ /camket để xem và sửa đăng ký đó.`]);
    expect((await core.repositories.sessions.get("zalo", "z4"))?.flow ?? null).toBeNull();
  });
});
