// The rate limiter with a clock the test drives: every grant time is exact.
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { createRateLimiter, rateLimitsFromConfig, type AbortableSleep, type RateLimits } from "../../src/delivery/rate-limiter.js";
import { maxInWindow } from "../support/fake-rate-limit.js";

const LIMITS: RateLimits = { telegram: { perSecond: 25, perChatPerSecond: 1 }, zalo: { perSecond: 5 }, web: {} };

/** A clock that stands still until the test lets it run: sleepers wake in order of their deadline. */
class ManualClock {
  t = 0;
  sleeps: number[] = [];
  private waiters: { due: number; resolve: () => void }[] = [];
  now = () => this.t;
  sleep: AbortableSleep = (ms) => {
    this.sleeps.push(ms);
    return new Promise<void>((resolve) => this.waiters.push({ due: this.t + ms, resolve }));
  };
  /** Runs time forward, waking sleepers one deadline at a time, until nobody sleeps (or `until` is reached). */
  async run(until = Infinity): Promise<void> {
    for (;;) {
      await flush();
      this.waiters.sort((a, b) => a.due - b.due);
      const next = this.waiters[0];
      if (!next || next.due > until) break;
      this.waiters.shift();
      this.t = Math.max(this.t, next.due);
      next.resolve();
    }
    if (until !== Infinity) this.t = Math.max(this.t, until);
    await flush();
  }
}

const flush = async () => {
  for (let i = 0; i < 5; i++) await new Promise<void>((r) => setImmediate(r));
};

/** Starts the acquisitions at once and returns the clock reading when each was granted. */
async function grants(clock: ManualClock, limiter: ReturnType<typeof createRateLimiter>, sends: [Parameters<typeof limiter.acquire>[0], string][]) {
  const times: number[] = new Array(sends.length);
  const all = Promise.all(sends.map(([channel, chat], i) => limiter.acquire(channel, chat).then(() => void (times[i] = clock.t))));
  await clock.run();
  await all;
  return times;
}

describe("rate limiter", () => {
  it("spaces Telegram sends 40 ms apart (25/s) and Zalo sends 200 ms apart (5/s)", async () => {
    const clock = new ManualClock();
    const limiter = createRateLimiter({ limits: LIMITS, now: clock.now, sleep: clock.sleep });
    const telegram = await grants(clock, limiter, Array.from({ length: 10 }, (_, i) => ["telegram", `chat-${i}`] as ["telegram", string]));
    expect(telegram).toEqual([0, 40, 80, 120, 160, 200, 240, 280, 320, 360]);
    const start = clock.t;
    const zalo = await grants(clock, limiter, Array.from({ length: 4 }, (_, i) => ["zalo", `z-${i}`] as ["zalo", string]));
    // Zalo's slots do not depend on Telegram's: the first one is at once.
    expect(zalo.map((t) => t - start)).toEqual([0, 200, 400, 600]);
  });

  it("never grants more than the rate in any one-second window, however many wait", async () => {
    const clock = new ManualClock();
    const limiter = createRateLimiter({ limits: LIMITS, now: clock.now, sleep: clock.sleep });
    const times = await grants(clock, limiter, Array.from({ length: 200 }, (_, i) => ["telegram", `chat-${i}`] as ["telegram", string]));
    expect(maxInWindow(times, 1000)).toBe(25);
    expect(times.at(-1)).toBe(199 * 40);
  });

  it("sends to one Telegram chat at most once a second, without holding up other chats", async () => {
    const clock = new ManualClock();
    const limiter = createRateLimiter({ limits: LIMITS, now: clock.now, sleep: clock.sleep });
    const times = await grants(clock, limiter, [
      ["telegram", "A"],
      ["telegram", "A"],
      ["telegram", "A"],
      ["telegram", "B"],
      ["telegram", "C"],
    ]);
    expect(times).toEqual([0, 1000, 2000, 40, 80]);
  });

  it("does not let the web chat wait at all", async () => {
    const clock = new ManualClock();
    const limiter = createRateLimiter({ limits: LIMITS, now: clock.now, sleep: clock.sleep });
    const times = await grants(clock, limiter, Array.from({ length: 50 }, () => ["web", "web-chat-1"] as ["web", string]));
    expect(new Set(times)).toEqual(new Set([0]));
    expect(clock.sleeps).toEqual([]);
  });

  it("keeps no credit across an idle pause: after 10 s of nothing, the spacing holds from the first send", async () => {
    const clock = new ManualClock();
    const limiter = createRateLimiter({ limits: LIMITS, now: clock.now, sleep: clock.sleep });
    await grants(clock, limiter, [["telegram", "a"]]);
    clock.t = 10_000;
    const times = await grants(clock, limiter, Array.from({ length: 3 }, (_, i) => ["telegram", `b-${i}`] as ["telegram", string]));
    expect(times).toEqual([10_000, 10_040, 10_080]);
  });

  it("holds a channel off after a 429 for the platform's retry_after, and only that channel", async () => {
    const clock = new ManualClock();
    const limiter = createRateLimiter({ limits: LIMITS, now: clock.now, sleep: clock.sleep });
    limiter.holdOff("telegram", 3000);
    expect(limiter.delayFor("telegram", "x")).toBe(3000);
    expect(limiter.delayFor("zalo", "x")).toBe(0);
    const times = await grants(clock, limiter, [
      ["telegram", "x"],
      ["zalo", "y"],
      ["telegram", "z"],
    ]);
    expect(times).toEqual([3000, 0, 3040]);
  });

  it("forgets a chat once its next send would be allowed anyway, so memory follows recent traffic only", async () => {
    const clock = new ManualClock();
    const limiter = createRateLimiter({ limits: { telegram: { perChatPerSecond: 1 } }, now: clock.now, sleep: clock.sleep });
    await grants(clock, limiter, Array.from({ length: 1000 }, (_, i) => ["telegram", `chat-${i}`] as ["telegram", string]));
    expect(limiter.trackedChats).toBe(1000);
    clock.t = 999;
    expect(limiter.trackedChats).toBe(1000);
    clock.t = 1000;
    expect(limiter.trackedChats).toBe(0);
  });

  it("stops waiting when aborted, and an aborted wait takes no slot", async () => {
    const clock = new ManualClock();
    const limiter = createRateLimiter({ limits: LIMITS, now: clock.now, sleep: clock.sleep });
    await limiter.acquire("telegram", "A");
    const controller = new AbortController();
    const waiting = limiter.acquire("telegram", "A", controller.signal);
    await flush();
    controller.abort();
    await expect(waiting).rejects.toMatchObject({ name: "AbortError" });
    // Only the first send counts: at 1000 the chat is free again, not at 2000.
    clock.t = 1000;
    expect(limiter.delayFor("telegram", "A")).toBe(0);
  });

  it("takes its limits from the configuration (25/s and 1/s per chat on Telegram, 5/s on Zalo, none on the web)", () => {
    expect(rateLimitsFromConfig(loadConfig({}))).toEqual({ telegram: { perSecond: 25, perChatPerSecond: 1 }, zalo: { perSecond: 5 }, web: {} });
    expect(() => createRateLimiter({ limits: { zalo: { perSecond: 0 } } })).toThrow(RangeError);
  });
});
