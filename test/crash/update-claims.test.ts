// Update claims owned by instances, on a real database of each provider: the first claim wins, a live owner's claim
// is busy (never dropped as a duplicate, never taken), a dead owner's claim is taken over by exactly one of several
// racing claimants, an owner-less claim from before owners existed is judged by its age, and finish/release touch only
// the instance's own claim. Then the inbound handler with the real conversation core: a redelivered update whose
// first handler died is handled once after the wait; one a live handler finishes meanwhile is not handled again.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createBot } from "../../src/app/bot.js";
import { createInbound, UpdateBusyError } from "../../src/app/inbound.js";
import { startHeartbeat } from "../../src/app/instance-heartbeat.js";
import type { IncomingMessage, OutgoingMessage, UpdateClaimant } from "../../src/app/ports.js";
import { PROVIDERS } from "../db/helpers.js";
import { silentLogger, startCore, type CoreHarness } from "../support/core-harness.js";

const T0 = new Date("2026-03-02T03:00:00Z");
const at = (ms: number) => new Date(T0.getTime() + ms);
const DEAD_AFTER = 15_000;
const claimant = (instanceId: string, nowMs = 0): UpdateClaimant => ({ instanceId, now: at(nowMs), deadBefore: at(nowMs - DEAD_AFTER) });
const info = (id: string) => ({ id, hostname: "test-host", pid: 4242, startedAt: T0 });

for (const { provider, label, skip } of PROVIDERS) describe.skipIf(skip)(`update claims owned by instances (${label})`, () => {
  let core: CoreHarness;
  beforeEach(async () => {
    core = await startCore({ now: T0, provider, units: false });
  });
  afterEach(async () => core.close());

  const repos = () => core.repositories;

  it("the first claim wins; others see busy while its owner beats, and done once it finished", async () => {
    const { processedUpdates: updates, instances } = repos();
    await instances.register(info("A"), at(0));
    await instances.register(info("B"), at(0));
    expect(await updates.claim("telegram:1", claimant("A"))).toBe("claimed");
    expect(await updates.claim("telegram:1", claimant("B", 1_000))).toBe("busy");
    // The owner's own redelivery (Telegram retrying a slow webhook call) waits too, rather than handling it twice.
    expect(await updates.claim("telegram:1", claimant("A", 1_000))).toBe("busy");
    // Long after the claim, the owner still beats: still busy.
    await instances.beat("A", at(60_000));
    expect(await updates.claim("telegram:1", claimant("B", 61_000))).toBe("busy");
    expect(await updates.finish("telegram:1", "A", at(62_000))).toBe(true);
    expect(await updates.claim("telegram:1", claimant("B", 63_000))).toBe("done");
    expect(await updates.claim("telegram:1", claimant("A", 63_000))).toBe("done");
  });

  it("claimForTurn: the claim with the chat's subscriber and session as stored; a redelivery gets no state and the claim's outcome", async () => {
    const { processedUpdates: updates, instances, subscribers, sessions } = repos();
    await instances.register(info("A"), at(0));
    const chat = { channel: "telegram" as const, chatId: "5550001" };
    expect(await updates.claimForTurn("telegram:70", claimant("A"), chat)).toEqual({ claim: "claimed", state: { subscriber: null, session: null } });
    const lan = await subscribers.register({ ...chat, displayName: "Lan", locale: "en" });
    await subscribers.setUnit(lan.id, null);
    const session = { flow: "pledge", step: "name", data: { kind: "individual" }, choices: [{ label: "Tiếp tục", value: "next" }], expiresAt: at(3_600_000) };
    await sessions.save(chat.channel, chat.chatId, session);
    // Another chat's rows are not this one's.
    await subscribers.register({ channel: "telegram", chatId: "5550002", displayName: "Minh", locale: "vi" });
    const turn = await updates.claimForTurn("telegram:71", claimant("A", 10), chat);
    expect(turn.claim).toBe("claimed");
    expect(turn.state?.subscriber).toEqual(await subscribers.find(chat.channel, chat.chatId));
    expect(turn.state?.subscriber).toMatchObject({ id: lan.id, displayName: "Lan", locale: "en", role: "member", status: "active", unitId: null });
    expect(turn.state?.session).toEqual(session);
    expect(await updates.claimForTurn("telegram:71", claimant("A", 20), chat)).toEqual({ claim: "busy", state: null });
    expect(await updates.finish("telegram:71", "A", at(30))).toBe(true);
    expect(await updates.claimForTurn("telegram:71", claimant("A", 40), chat)).toEqual({ claim: "done", state: null });
  });

  it("claimForTurn gives its claim back when the turn's state cannot be read (a stored session that does not parse)", async () => {
    const { processedUpdates: updates, instances, sessions } = repos();
    await instances.register(info("A"), at(0));
    const chat = { channel: "telegram" as const, chatId: "5550003" };
    await sessions.save(chat.channel, chat.chatId, { flow: "pledge", step: "name", data: {}, choices: [], expiresAt: null });
    await core.db.prisma.chatSession.updateMany({ where: chat, data: { data: "{not json" } });
    await expect(updates.claimForTurn("telegram:72", claimant("A"), chat)).rejects.toThrow();
    // Not left "processing" under this live instance (every redelivery would wait on it, then fail): gone, so the
    // redelivery is claimed and handled.
    expect(await core.db.prisma.processedUpdate.findUnique({ where: { key: "telegram:72" } })).toBeNull();
    await core.db.prisma.chatSession.deleteMany({ where: chat });
    expect((await updates.claimForTurn("telegram:72", claimant("A", 10), chat)).claim).toBe("claimed");
  });

  it("a hot statement made while another turn's transaction is open is not part of it: kept when that one rolls back", async () => {
    const { sessions } = repos();
    const session = { flow: "pledge", step: "name", data: {}, choices: [], expiresAt: null };
    let rollBack!: () => void;
    const gate = new Promise<void>((resolve) => (rollBack = resolve));
    const transaction = core.db.prisma
      .$transaction(async (tx) => {
        await tx.subscriber.count();
        await gate;
        throw new Error("roll back");
      })
      .catch((error: unknown) => error);
    await new Promise((resolve) => setTimeout(resolve, 50));
    // On SQLite the transaction holds BEGIN on the very connection the hot statements use.
    const saving = sessions.save("telegram", "5550004", session);
    await new Promise((resolve) => setTimeout(resolve, 50));
    rollBack();
    expect(await transaction).toBeInstanceOf(Error);
    await saving;
    expect(await sessions.get("telegram", "5550004")).toEqual(session);
  });

  it("takes over the claim of an instance that stopped beating, or whose row is gone", async () => {
    const { processedUpdates: updates, instances } = repos();
    await instances.register(info("dead"), at(0));
    await instances.register(info("live"), at(0));
    expect(await updates.claim("telegram:2", claimant("dead"))).toBe("claimed");
    // 14.9 s of silence: not dead yet.
    await instances.beat("live", at(14_900));
    expect(await updates.claim("telegram:2", claimant("live", 14_900))).toBe("busy");
    await instances.beat("live", at(15_001));
    expect(await updates.claim("telegram:2", claimant("live", 15_001))).toBe("claimed");
    // The dead one's late finish and release change nothing of the new owner's claim.
    await updates.release("telegram:2", "dead");
    expect(await updates.claim("telegram:2", claimant("other", 15_002))).toBe("busy");
    expect(await updates.finish("telegram:2", "live", at(15_003))).toBe(true);

    expect(await updates.claim("telegram:3", claimant("gone"))).toBe("claimed");
    expect(await updates.claim("telegram:3", claimant("live", 10))).toBe("claimed");
  });

  it("lets exactly one of several racing instances take over a dead claim", async () => {
    const { processedUpdates: updates, instances } = repos();
    await instances.register(info("dead"), at(0));
    const keys = Array.from({ length: 10 }, (_, i) => `zalo:message:${i}`);
    for (const key of keys) expect(await updates.claim(key, claimant("dead"))).toBe("claimed");
    const racers = ["r1", "r2", "r3", "r4"];
    for (const r of racers) await instances.register(info(r), at(20_000));
    for (const key of keys) {
      const outcomes = await Promise.all(racers.map((r) => updates.claim(key, claimant(r, 20_000))));
      expect(outcomes.filter((o) => o === "claimed")).toHaveLength(1);
      expect(outcomes.filter((o) => o === "busy")).toHaveLength(racers.length - 1);
    }
  });

  it("finish reports a claim taken over meanwhile and still records the update as handled; release gives back only its own claim", async () => {
    const { processedUpdates: updates, instances } = repos();
    await instances.register(info("slow"), at(0));
    await instances.register(info("fast"), at(30_000));
    expect(await updates.claim("telegram:4", claimant("slow"))).toBe("claimed");
    expect(await updates.claim("telegram:4", claimant("fast", 30_000))).toBe("claimed");
    expect(await updates.finish("telegram:4", "slow", at(30_001))).toBe(false);
    expect(await updates.claim("telegram:4", claimant("third", 30_002))).toBe("done");

    expect(await updates.claim("telegram:5", claimant("fast", 30_000))).toBe("claimed");
    await updates.release("telegram:5", "someone-else");
    expect(await updates.claim("telegram:5", claimant("third", 30_001))).toBe("busy");
    await updates.release("telegram:5", "fast");
    expect(await updates.claim("telegram:5", claimant("third", 30_002))).toBe("claimed");
  });

  it("judges a claim without owner (written before owners existed) by its age", async () => {
    const { processedUpdates: updates, instances } = repos();
    await core.db.prisma.processedUpdate.create({ data: { key: "telegram:6", status: "processing", receivedAt: at(0) } });
    await core.db.prisma.processedUpdate.create({ data: { key: "telegram:7", status: "processing", receivedAt: at(10_000) } });
    await instances.register(info("new"), at(20_000));
    expect(await updates.claim("telegram:6", claimant("new", 20_000))).toBe("claimed");
    expect(await updates.claim("telegram:7", claimant("new", 20_000))).toBe("busy");
  });

  it("instances: beat reports a missing row, prune removes only the long silent", async () => {
    const { instances } = repos();
    await instances.register(info("x"), at(0));
    await instances.register(info("y"), at(0));
    expect(await instances.beat("x", at(5_000))).toBe(true);
    expect(await instances.prune(at(1_000))).toBe(1);
    expect(await instances.beat("y", at(6_000))).toBe(false);
    await instances.remove("x");
    expect(await instances.beat("x", at(7_000))).toBe(false);
  });

  describe("the inbound handler with the real conversation core", () => {
    const message = (updateKey: string): IncomingMessage => ({ channel: "telegram", chatId: "7001", text: "/trogiup", updateKey, displayName: "Lan" });

    function inbound(instanceId: string, deadAfterMs: number, busyWaitMs?: number) {
      const conversation = createBot({ ...repos(), timezone: "Asia/Ho_Chi_Minh", now: () => new Date(), logger: silentLogger });
      return createInbound({ conversation, processedUpdates: repos().processedUpdates, subscribers: repos().subscribers, now: () => new Date(), logger: silentLogger, instance: { id: instanceId, deadAfterMs }, busyWaitMs });
    }

    it("handles a redelivery once its first handler died (waiting for the missed heartbeats), and ignores the next one", async () => {
      const { instances, processedUpdates } = repos();
      // A process that claimed update 9001 and was killed: its heartbeat just stopped.
      await instances.register({ ...info("killed"), startedAt: new Date() }, new Date());
      expect(await processedUpdates.claim("telegram:9001", { instanceId: "killed", now: new Date(), deadBefore: new Date(Date.now() - 600) })).toBe("claimed");
      const heartbeat = await startHeartbeat({ instances, intervalMs: 200, now: () => new Date(), logger: silentLogger, id: "restarted" });
      try {
        const handle = inbound(heartbeat.instance.id, heartbeat.instance.deadAfterMs);
        const replies: OutgoingMessage[] = [];
        const started = Date.now();
        await handle(message("9001"), async (m) => void replies.push(m));
        expect(replies).toHaveLength(1);
        expect(replies[0]!.text).toContain("/dangky");
        // It waited for the dead instance's three missed beats rather than dropping the update.
        expect(Date.now() - started).toBeGreaterThanOrEqual(400);
        await handle(message("9001"), async (m) => void replies.push(m));
        expect(replies).toHaveLength(1);
      } finally {
        await heartbeat.stop();
      }
      // A graceful stop removes the instance row.
      expect(await instances.beat("restarted", new Date())).toBe(false);
    });

    it("does not handle again an update a live handler finishes while the redelivery waits; gives up with UpdateBusyError on a stuck one", async () => {
      const { instances, processedUpdates } = repos();
      const holder = await startHeartbeat({ instances, intervalMs: 100, now: () => new Date(), logger: silentLogger, id: "holder" });
      const waiter = await startHeartbeat({ instances, intervalMs: 100, now: () => new Date(), logger: silentLogger, id: "waiter" });
      try {
        const now = new Date();
        expect(await processedUpdates.claim("telegram:9002", { instanceId: "holder", now, deadBefore: new Date(now.getTime() - 300) })).toBe("claimed");
        setTimeout(() => void processedUpdates.finish("telegram:9002", "holder", new Date()), 700);
        const replies: OutgoingMessage[] = [];
        await inbound("waiter", 300)(message("9002"), async (m) => void replies.push(m));
        expect(replies).toEqual([]);

        expect(await processedUpdates.claim("telegram:9003", { instanceId: "holder", now, deadBefore: new Date(now.getTime() - 300) })).toBe("claimed");
        await expect(inbound("waiter", 300, 800)(message("9003"), async (m) => void replies.push(m))).rejects.toBeInstanceOf(UpdateBusyError);
        expect(replies).toEqual([]);
      } finally {
        await holder.stop();
        await waiter.stop();
      }
    });
  });
});
