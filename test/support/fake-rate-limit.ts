// Send limits for the fake platform servers, like the platforms' flood control: at most `perSecond` sends in any
// window of one second overall, and at most `perChatPerSecond` to one chat; a send over the limit is refused with
// 429 and a retry_after. The window is a sliding one over the arrival times of the sends that were accepted.
// `slackMs` shortens the window, so a sender that spaces its sends exactly is not refused when the network or a
// busy machine delays one request and the next arrives a little early relative to it.

export interface FakeRateLimit {
  perSecond?: number;
  perChatPerSecond?: number;
  /** Shortens the one-second window by this much (default 0). */
  slackMs?: number;
}

export interface RateDecision {
  /** Seconds to wait (≥ 1), or undefined when the send is accepted (and counted). */
  retryAfter?: number;
  scope?: "overall" | "chat";
}

export class FakeRateWindow {
  private readonly overall: number[] = [];
  private readonly perChat = new Map<string, number[]>();
  private readonly windowMs: number;

  constructor(private readonly limit: FakeRateLimit) {
    this.windowMs = Math.max(1, 1000 - (limit.slackMs ?? 0));
  }

  /** Decides on a send to `chatId` arriving at `at` (ms). */
  check(chatId: string, at: number): RateDecision {
    const since = at - this.windowMs;
    const prune = (list: number[]) => {
      while (list.length > 0 && list[0]! <= since) list.shift();
    };
    prune(this.overall);
    const chat = this.perChat.get(chatId) ?? [];
    prune(chat);
    const refuse = (list: number[], scope: "overall" | "chat"): RateDecision => ({
      retryAfter: Math.max(1, Math.ceil((list[0]! + this.windowMs - at) / 1000)),
      scope,
    });
    if (this.limit.perSecond !== undefined && this.overall.length >= this.limit.perSecond) return refuse(this.overall, "overall");
    if (this.limit.perChatPerSecond !== undefined && chat.length >= this.limit.perChatPerSecond) return refuse(chat, "chat");
    this.overall.push(at);
    chat.push(at);
    this.perChat.set(chatId, chat);
    return {};
  }
}

/** The most sends that arrived within any window of `windowMs` (sliding), from their arrival times. */
export function maxInWindow(times: readonly number[], windowMs = 1000): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  let start = 0;
  for (let end = 0; end < sorted.length; end++) {
    while (sorted[end]! - sorted[start]! >= windowMs) start++;
    best = Math.max(best, end - start + 1);
  }
  return best;
}
