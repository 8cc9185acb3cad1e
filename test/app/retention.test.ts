// Retention (issue 9 point 5): the scheduler's clean-up job on a real database removes final notifications and
// processed-update keys after their days, expired conversation sessions with their answers at once, idle sessions
// after theirs, ended browser sessions (web chat, console) at once — and nothing else; it runs at most once an hour.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { retentionJob } from "../../src/app/retention.js";
import { WebSessions } from "../../src/http/sessions/web-sessions.js";
import type { NewNotification } from "../../src/app/ports.js";
import { silentLogger, startCore, type CoreHarness } from "../support/core-harness.js";

const NOW = new Date("2025-06-30T03:00:00Z");
const DAY = 24 * 60 * 60 * 1000;
const ago = (days: number) => new Date(NOW.getTime() - days * DAY);

describe("retention job", () => {
  let core: CoreHarness;
  beforeAll(async () => {
    core = await startCore({ now: NOW });
  });
  afterAll(async () => core?.close());

  it("removes what is past its days, keeps the rest, runs at most once an hour", async () => {
    const { repositories: r, db } = core;
    const person = await r.subscribers.register({ channel: "web", chatId: "ret-1", locale: "vi" });
    const row = (key: string, broadcastId?: number): NewNotification => ({
      key, eventKey: key, eventType: "test", subscriberId: person.id, channel: "web", chatId: "ret-1", text: `text ${key}`, notBefore: ago(40), expiresAt: null, ...(broadcastId ? { broadcastId } : {}),
    });
    const running = await r.broadcasts.createDraft({ senderId: person.id, audience: "subtree", unitId: null, text: "x", recipients: 2, now: ago(40) });
    await r.broadcasts.confirm(running.id, ago(40));
    await r.outbox.enqueue([row("old-sent"), row("new-sent"), row("old-failed"), row("old-pending"), row("old-sent-of-running-broadcast", running.id)]);
    const id = async (key: string) => (await db.prisma.notification.findUnique({ where: { key } }))!.id;
    await r.outbox.markSent(await id("old-sent"), ago(31));
    await r.outbox.markSent(await id("new-sent"), ago(29));
    await r.outbox.markSent(await id("old-sent-of-running-broadcast"), ago(31));
    await r.outbox.markFailed(await id("old-failed"), "rejected", ago(31));
    await db.prisma.notification.updateMany({ data: { createdAt: ago(40) } });

    const instance = { instanceId: "i1", now: ago(8), deadBefore: ago(9) };
    for (const key of ["old-done", "old-processing"]) await r.processedUpdates.claim(key, instance);
    await r.processedUpdates.finish("old-done", "i1", ago(8));
    await r.processedUpdates.claim("new-done", { ...instance, now: ago(6) });
    await r.processedUpdates.finish("new-done", "i1", ago(6));
    await db.prisma.processedUpdate.update({ where: { key: "old-done" }, data: { receivedAt: ago(8) } });
    await db.prisma.processedUpdate.update({ where: { key: "old-processing" }, data: { receivedAt: ago(8) } });
    await db.prisma.processedUpdate.update({ where: { key: "new-done" }, data: { receivedAt: ago(6) } });

    // An abandoned pledge conversation with a typed name and phone (expired), a live one, idle and recent prompts.
    const session = (flow: string | null, expiresAt: Date | null, fullName = "Hoàng Thị Bỏ Dở") => ({ flow, step: flow ? "name" : null, data: flow ? { fullName, phone: "0987654321" } : {}, choices: [{ label: "1", value: "1" }], expiresAt });
    await r.sessions.save("web", "abandoned", session("pledge", ago(1)));
    await r.sessions.save("web", "live", session("pledge", new Date(NOW.getTime() + 3_600_000), "Người Đang Làm"));
    await r.sessions.save("web", "idle", session(null, null));
    await r.sessions.save("web", "recent", session(null, null));
    await db.prisma.chatSession.update({ where: { channel_chatId: { channel: "web", chatId: "idle" } }, data: { updatedAt: ago(31) } });
    expect((await db.prisma.chatSession.findUnique({ where: { channel_chatId: { channel: "web", chatId: "idle" } } }))!.updatedAt).toEqual(ago(31));

    // Browser sessions: a live chat, a console session signed out, a console link that expired (15 minutes).
    const sessions = new WebSessions({ repository: r.webSessions, now: () => ago(1) });
    const live = await sessions.issue("chat", "web-live");
    const signedOut = await sessions.issue("console", "17");
    await sessions.end("console", signedOut.token);
    await sessions.issue("console-link", "17");

    const job = retentionJob({ retention: r.retention, settings: { notificationDays: 30, updateKeyDays: 7, sessionDays: 30 }, logger: silentLogger });
    expect(await job.run(NOW)).toEqual({ notifications: 2, updateKeys: 1, sessions: 2, webSessions: 2, photos: 0 });

    expect((await db.prisma.notification.findMany({ orderBy: { key: "asc" } })).map((n) => n.key)).toEqual(["new-sent", "old-pending", "old-sent-of-running-broadcast"]);
    expect((await db.prisma.processedUpdate.findMany({ orderBy: { key: "asc" } })).map((u) => u.key)).toEqual(["new-done", "old-processing"]);
    expect((await db.prisma.chatSession.findMany({ orderBy: { chatId: "asc" } })).map((s) => s.chatId)).toEqual(["live", "recent"]);
    expect(JSON.stringify(await db.prisma.chatSession.findMany())).not.toContain("Hoàng Thị Bỏ Dở");
    expect((await db.prisma.webSession.findMany()).map((s) => s.subject)).toEqual(["web-live"]);
    expect(await new WebSessions({ repository: r.webSessions, now: () => NOW }).resolve("chat", live.token)).not.toBeNull();

    // Within the hour it does not run again; after it, it does (and finds nothing new).
    await r.sessions.save("web", "abandoned-2", session("pledge", ago(1)));
    expect(await job.run(new Date(NOW.getTime() + 59 * 60_000))).toBeNull();
    expect(await db.prisma.chatSession.count({ where: { chatId: "abandoned-2" } })).toBe(1);
    expect(await job.run(new Date(NOW.getTime() + 60 * 60_000))).toEqual({ notifications: 0, updateKeys: 0, sessions: 1, webSessions: 0, photos: 0 });
  });
});
