// One turn at a time per chat, inside this process. Telegram's getUpdates hands a batch (an album is several photo
// messages) that telegraf handles concurrently, and two quick messages can overlap too: each turn reads the chat's
// session, so overlapping turns of one chat would act on the same stale state (a question asked twice, results saved
// once per photo). Turns of different chats still run side by side. A chat's entry lives only while it has a turn
// running or waiting: an idle chat costs nothing.

export interface PerChatQueue {
  /** Runs `task` after every earlier task of `key` has settled (whatever their outcome); its result is `task`'s. */
  run<T>(key: string, task: () => Promise<T>): Promise<T>;
  /** Chats with a turn running or waiting (for tests: 0 once all is done). */
  readonly size: number;
}

export function createPerChatQueue(): PerChatQueue {
  /** Per chat: the last task's settling, never rejected. */
  const tails = new Map<string, Promise<void>>();
  return {
    run(key, task) {
      const result = (tails.get(key) ?? Promise.resolve()).then(task);
      const tail = result.then(
        () => {},
        () => {},
      );
      tails.set(key, tail);
      void tail.then(() => {
        if (tails.get(key) === tail) tails.delete(key);
      });
      return result;
    },
    get size() {
      return tails.size;
    },
  };
}
