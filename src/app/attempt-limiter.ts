// A sliding-window limit on tries per key (e.g. invitation codes per chat): at most `max` tries in `windowMs`.
// In memory, per process: with several instances behind a load balancer a person gets at most `max` tries per
// instance — still far too few to guess a 12-symbol code (about 59 bits).
export interface AttemptLimiter {
  /** Records a try at `now`; false (and nothing recorded) when the key has used its tries in the window. */
  tryAcquire(key: string, now: Date): boolean;
  /** When the key may try again (the oldest try in the window leaves it); null when it may now. */
  retryAt(key: string, now: Date): Date | null;
}

export function createAttemptLimiter(options: { max: number; windowMs: number }): AttemptLimiter {
  const tries = new Map<string, number[]>();
  let calls = 0;

  const recent = (key: string, now: number): number[] => {
    const list = (tries.get(key) ?? []).filter((at) => at > now - options.windowMs);
    if (list.length === 0) tries.delete(key);
    else tries.set(key, list);
    return list;
  };
  // Now and then, forget keys whose tries all left the window, so memory follows the active chats only.
  const sweep = (now: number) => {
    if (++calls % 1000 !== 0) return;
    for (const key of [...tries.keys()]) recent(key, now);
  };

  return {
    tryAcquire(key, now) {
      const at = now.getTime();
      sweep(at);
      const list = recent(key, at);
      if (list.length >= options.max) return false;
      tries.set(key, [...list, at]);
      return true;
    },
    retryAt(key, now) {
      const list = recent(key, now.getTime());
      return list.length >= options.max ? new Date(list[0]! + options.windowMs) : null;
    },
  };
}
