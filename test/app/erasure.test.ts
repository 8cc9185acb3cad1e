// Erasure (issue 9 point 5): after /xoadulieu (confirmed) or `npm run admin -- subscriber erase`, no row in any table
// names the person — every text column of every table is scanned for their name, phone number and chat id — on SQLite
// and (when TEST_POSTGRES_URL is set) PostgreSQL; their pledges still count, anonymously.
import { PrismaConsoleQueries } from "../../src/db/console-repository.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../src/admin/cli.js";
import { COMMANDS } from "../../src/admin/commands.js";
import type { PledgeDraft } from "../../src/app/ports.js";
import { PROVIDERS, querySql, type TestDatabase } from "../db/helpers.js";
import { joined, startCore, type CoreHarness } from "../support/core-harness.js";

const MAY_19_2025 = new Date("2025-05-19T01:00:00Z");

interface Person {
  chatId: string;
  name: string;
  phone: string;
}

const P: Person = { chatId: "erase-me-7f3a9c", name: "Hoàng Thị Xoá Thử", phone: "0987654321" };
const R: Person = { chatId: "erase-admin-51bd", name: "Vàng A Rời Đi", phone: "0911222333" };
const KEEP: Person = { chatId: "keep-me-0c2e", name: "Lò Văn Ở Lại", phone: "0977000111" };

/** The database behind a harness, for plain SQL (the schema of a PostgreSQL URL's ?schema=). */
function sqlTarget(url: string): TestDatabase {
  const provider = url.startsWith("file:") ? "sqlite" : "postgresql";
  const schema = provider === "postgresql" ? (new URL(url).searchParams.get("schema") ?? "public") : undefined;
  return { provider, url, schema, drop: async () => {} } as unknown as TestDatabase;
}

/** Every row of every table (but the migration log), as "table: json" lines. */
async function everyRow(url: string): Promise<string[]> {
  const db = sqlTarget(url);
  const tables =
    db.provider === "sqlite"
      ? (await querySql<{ name: string }>(db, `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`)).map((t) => t.name)
      : (await querySql<{ table_name: string }>(db, `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`)).map((t) => t.table_name);
  expect(tables).toEqual(expect.arrayContaining(["Subscriber", "ChatSession", "Pledge", "PledgeItem", "PledgeEvent", "Notification", "OfficerGrant", "Broadcast", "ProcessedUpdate", "WebSession"]));
  const lines: string[] = [];
  for (const table of tables.filter((t) => t !== "_prisma_migrations")) {
    for (const row of await querySql(db, `SELECT * FROM "${table}"`)) lines.push(`${table}: ${JSON.stringify(row)}`);
  }
  return lines;
}

const naming = (lines: string[], p: Person) => lines.filter((l) => [p.name, p.phone, p.chatId, "Xoá Thử", "Rời Đi"].some((s) => l.includes(s) && (s !== "Rời Đi" || p === R) && (s !== "Xoá Thử" || p === P)));

for (const { provider, label, skip } of PROVIDERS) describe.skipIf(skip)(`erasure (${label})`, () => {
  let core: CoreHarness;
  let campaignId: number;
  let thpt: number;

  beforeAll(async () => {
    core = await startCore({ now: MAY_19_2025, provider });
    campaignId = (await core.repositories.campaigns.findBySlug("lai-chau-2025"))!.id;
    thpt = (await core.repositories.units.findByCode("CDCS-THPT-TP"))!.id;
  });
  afterAll(async () => core?.close());

  /** Everything a person leaves behind: subscriber, unit, a confirmed pledge, an abandoned pledge flow, pushes, an update key, an officer grant and a draft. */
  async function leaveTraces(p: Person, updateKey: string): Promise<number> {
    const r = core.repositories;
    await core.say(p.chatId, "/start", { displayName: p.name });
    await core.say(p.chatId, "/huy");
    const s = (await r.subscribers.find("web", p.chatId))!;
    await r.subscribers.setUnit(s.id, thpt);
    const campaign = (await r.campaigns.findBySlug("lai-chau-2025"))!;
    const draft: PledgeDraft = {
      campaignId,
      phaseNumber: 1,
      kind: "individual",
      unitId: thpt,
      fullName: p.name,
      position: `Giáo viên, ĐT ${p.phone}`,
      commitment: `Tôi, ${p.name}, cam kết hoàn thành xuất sắc nhiệm vụ. Liên hệ ${p.phone}.`,
      items: [
        { type: "title", key: campaign.definition.titles[0]!.key, name: campaign.definition.titles[0]!.name },
        { type: "initiative", name: `Sáng kiến của ${p.name}`, description: `gọi ${p.phone}` },
      ],
    };
    const pledge = await r.pledges.create(draft, s.id, "LC25", MAY_19_2025);
    await r.pledges.update(pledge.id, { ...draft, commitment: `${draft.commitment} (sửa)` }, s.id, MAY_19_2025);
    // Their result with a note, and a proposal for a title under their name.
    await r.pledges.saveResults(pledge.id, [{ item: "pledge", outcome: "achieved", note: `Đã xong, gọi ${p.phone}` }], s.id, MAY_19_2025);
    await r.evaluations.propose({ campaignId, subscriberId: s.id, pledgeId: pledge.id, unitId: thpt, fullName: p.name, titleKey: campaign.definition.titles[0]!.key, reason: `Đề nghị ${p.name}`, bySubscriberId: s.id, now: MAY_19_2025 });
    // An abandoned pledge conversation holding what they typed (for phase 2: phase 1 has their pledge, and a second one is refused).
    await core.say(p.chatId, "/dangky", { updateKey });
    for (const answer of ["2", p.name, `ĐT ${p.phone}`]) await core.say(p.chatId, answer, { displayName: p.name });
    await r.outbox.enqueue([
      { key: `test:${p.chatId}`, eventKey: "test", eventType: "test", subscriberId: s.id, channel: "web", chatId: p.chatId, text: `Chào ${p.name}`, notBefore: MAY_19_2025, expiresAt: null },
    ]);
    await r.subscribers.makeOfficer(s.id, thpt);
    // Their web chat's browser sessions (the subject is the chat id): one live, one already ended.
    const issued = new Date(MAY_19_2025.getTime() + 60_000);
    await r.webSessions.create({ tokenHash: `live-${p.chatId}`.padEnd(64, "0"), kind: "chat", subject: p.chatId, now: issued, expiresAt: new Date(issued.getTime() + 86_400_000) });
    const ended = await r.webSessions.create({ tokenHash: `ended-${p.chatId}`.padEnd(64, "0"), kind: "chat", subject: p.chatId, now: issued, expiresAt: new Date(issued.getTime() + 86_400_000) });
    await r.webSessions.revoke(ended.id, issued);
    // As an officer in the console: a session, and their name on an audit entry.
    await r.webSessions.create({ tokenHash: `console-${p.chatId}`.padEnd(64, "0"), kind: "console", subject: `officer:${s.id}`, now: issued, expiresAt: new Date(issued.getTime() + 3_600_000) });
    await new PrismaConsoleQueries(core.db.prisma, core.db.provider).audit({ at: issued, actor: `officer:${s.id}`, actorName: p.name, unitId: thpt, action: "login", detail: {} });
    await r.broadcasts.createDraft({ senderId: s.id, audience: "subtree", unitId: thpt, text: `Thông báo của ${p.name} (${p.phone})`, recipients: 0, now: MAY_19_2025 });
    return s.id;
  }

  it("/xoadulieu asks first, then leaves no row naming the person; their pledge still counts, anonymously; others are untouched", async () => {
    await leaveTraces(KEEP, "keep-1");
    const erasedId = await leaveTraces(P, "erase-1");
    const before = await everyRow(core.databaseUrl);
    // The traces are really there: the typed phone number in the abandoned conversation too.
    expect(naming(before, P).some((l) => l.startsWith("ChatSession:") && l.includes(P.phone))).toBe(true);
    for (const table of ["Subscriber", "Pledge", "PledgeItem", "PledgeResult", "Evaluation", "Notification", "Broadcast", "WebSession", "ConsoleAudit"]) {
      expect(naming(before, P).some((l) => l.startsWith(`${table}:`)), table).toBe(true);
    }
    const coverage = async () => (await core.repositories.pledgeReports.coverage({ campaignId, unitIds: [thpt] })).total;
    const counted = await coverage();

    // A stray confirmation without the prompt only shows the prompt.
    const prompt = await core.say(P.chatId, "/xoadulieu xacnhan");
    expect(prompt[0]!.text).toContain("Bạn muốn xoá dữ liệu của mình?");
    expect(prompt[0]!.choices?.map((c) => c.label)).toEqual(["Xoá dữ liệu của tôi", "Không xoá"]);
    expect(await core.repositories.subscribers.find("web", P.chatId)).not.toBeNull();
    // "2" keeps everything.
    expect(joined(await core.say(P.chatId, "2"))).toBe("Đã giữ nguyên dữ liệu của bạn, không có gì bị xoá.");
    expect(await core.repositories.subscribers.find("web", P.chatId)).not.toBeNull();
    // Asked again, "1" erases.
    await core.say(P.chatId, "/erase");
    expect(joined(await core.say(P.chatId, "1"))).toBe("Đã xoá dữ liệu của bạn. Bot sẽ không nhắn cho bạn nữa; gõ /start nếu muốn dùng lại từ đầu.");

    const after = await everyRow(core.databaseUrl);
    expect(naming(after, P)).toEqual([]);
    // Their console sessions are gone too (the subject names the subscriber id, not the person).
    expect(await core.db.prisma.webSession.count({ where: { subject: `officer:${erasedId}` } })).toBe(0);
    expect(await core.db.prisma.webSession.count({ where: { subject: `officer:${erasedId + 1}` } })).toBe(0);
    // Counts unchanged: the pledge is still there, anonymous; the other person's rows are all still there.
    expect(await coverage()).toEqual({ ...counted, subscribers: counted.subscribers - 1 });
    expect(naming(after, KEEP)).toEqual(naming(before, KEEP));
    // A later message from the same chat stores nothing about them either.
    await core.say(P.chatId, "/chude");
    expect(naming(await everyRow(core.databaseUrl), P)).toEqual([]);
  });

  it("`subscriber erase <id>` (an officer acting on a written request) does the same; a second run says there is no such subscriber", async () => {
    const id = await leaveTraces(R, "admin-1");
    expect(naming(await everyRow(core.databaseUrl), R).length).toBeGreaterThan(5);
    const io = { out: [] as string[], err: [] as string[] };
    const run = (...argv: string[]) => runCli(argv, COMMANDS, { out: (l) => io.out.push(l), err: (l) => io.err.push(l) }, { DATABASE_URL: core.databaseUrl });
    expect(await run("subscriber", "erase", String(id))).toBe(0);
    expect(io.out.at(-1)).toBe("erased: 1 subscriber, 1 session, 3 browser sessions, 1 notifications, 1 officer grants, 1 broadcast drafts deleted; 1 pledges kept anonymous");
    expect(naming(await everyRow(core.databaseUrl), R)).toEqual([]);
    expect(await run("subscriber", "erase", String(id))).toBe(1);
    expect(io.err.at(-1)).toBe(`no subscriber ${id} (already erased?)`);
  });
});
