// The fake Telegram Bot API server of the tests (test/support/fake-telegram.ts: real HTTP on 127.0.0.1, Telegram's
// rules, optional flood control answering 429 + retry_after), and what a bench reads off it afterwards.
import { maxInWindow } from "../../test/support/fake-rate-limit.js";
import type { FakeTelegram } from "../../test/support/fake-telegram.js";

export { startFakeTelegram, type FakeTelegram } from "../../test/support/fake-telegram.js";

export interface Received {
  /** sendMessage calls the server accepted. */
  accepted: number;
  /** Distinct chats that got at least one message. */
  chats: number;
  /** Accepted sends beyond one per chat. */
  duplicates: number;
  /** sendMessage calls refused with 429. */
  rateLimited: number;
  /**
   * Delivered messages per second while the sender was at it: (accepted − 1) over the time from its first call to its
   * last (accepted or refused), so a sender that loses most of its list does not look fast.
   */
  ratePerSecond: number;
  /** The most accepted sends in any sliding second. */
  maxInOneSecond: number;
  spanMs: number;
}

export function received(fake: FakeTelegram): Received {
  const chats = new Set<string>();
  const refused = new Set(fake.rateLimitedCalls);
  let first = Infinity;
  let last = -Infinity;
  const times: number[] = [];
  for (const call of fake.calls) {
    if (call.method !== "sendMessage") continue;
    first = Math.min(first, call.at);
    last = Math.max(last, call.at);
    if (!refused.has(call)) times.push(call.at);
  }
  const sent = fake.sent.filter((s) => s.method === "sendMessage");
  for (const s of sent) chats.add(s.chatId);
  const spanMs = sent.length > 1 ? last - first : 0;
  return {
    accepted: sent.length,
    chats: chats.size,
    duplicates: sent.length - chats.size,
    rateLimited: fake.rateLimitedCalls.length,
    ratePerSecond: spanMs > 0 ? ((sent.length - 1) * 1000) / spanMs : 0,
    maxInOneSecond: maxInWindow(times, 1000),
    spanMs,
  };
}
