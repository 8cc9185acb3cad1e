// The per-chat turn queue: one chat's tasks run one after another in the order given, a failure does not stop the
// ones behind it, other chats are not held up, and a chat's entry is gone once it is idle.
import { describe, expect, it } from "vitest";
import { createPerChatQueue } from "../../src/app/per-chat-queue.js";

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A task that records its start and end, and finishes when released. */
function gate(log: string[], name: string) {
  let release!: () => void;
  const done = new Promise<void>((resolve) => (release = resolve));
  return {
    task: async () => {
      log.push(`${name}:start`);
      await done;
      log.push(`${name}:end`);
      return name;
    },
    release: () => release(),
  };
}

describe("createPerChatQueue", () => {
  it("runs one chat's tasks one at a time, in order; other chats alongside", async () => {
    const queue = createPerChatQueue();
    const log: string[] = [];
    const [a1, a2, a3, b1] = [gate(log, "a1"), gate(log, "a2"), gate(log, "a3"), gate(log, "b1")];
    const results = [queue.run("telegram:1", a1.task), queue.run("telegram:1", a2.task), queue.run("telegram:1", a3.task), queue.run("telegram:2", b1.task)];
    await tick();
    // a1 and b1 (another chat) run; a2 and a3 wait.
    expect(log).toEqual(["a1:start", "b1:start"]);
    expect(queue.size).toBe(2);
    a2.release(); // released early: still waits for a1
    await tick();
    expect(log).toEqual(["a1:start", "b1:start"]);
    a1.release();
    await tick();
    expect(log).toEqual(["a1:start", "b1:start", "a1:end", "a2:start", "a2:end", "a3:start"]);
    a3.release();
    b1.release();
    expect(await Promise.all(results)).toEqual(["a1", "a2", "a3", "b1"]);
    await tick();
    expect(queue.size).toBe(0);
  });

  it("a failed task rejects its own caller only; the next one still runs", async () => {
    const queue = createPerChatQueue();
    const first = queue.run("zalo:x", async () => {
      throw new Error("turn failed");
    });
    const second = queue.run("zalo:x", async () => "next");
    await expect(first).rejects.toThrow("turn failed");
    expect(await second).toBe("next");
    await tick();
    expect(queue.size).toBe(0);
  });

  it("keeps no entry for idle chats, however many have spoken", async () => {
    const queue = createPerChatQueue();
    await Promise.all(Array.from({ length: 1000 }, (_, i) => queue.run(`telegram:${i}`, async () => i)));
    await tick();
    expect(queue.size).toBe(0);
  });
});
