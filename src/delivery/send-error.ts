// Sending faults in platform-neutral terms, so one retry policy serves every channel.
export type SendFailure =
  /** 429: wait `retryAfterSeconds`, then try again. */
  | { kind: "rate-limited"; retryAfterSeconds: number; detail: string }
  /** 5xx or the network: back off and try again, up to a cap. */
  | { kind: "transient"; detail: string }
  /** 403: the person blocked the bot or is gone; never retry, mark the subscriber inactive. */
  | { kind: "blocked"; detail: string }
  /** Any other refusal (400 …): retrying would not help. */
  | { kind: "rejected"; detail: string };

export class SendError extends Error {
  constructor(readonly failure: SendFailure) {
    super(`${failure.kind}: ${failure.detail}`);
    this.name = "SendError";
  }
}

/** Classifies an HTTP-style platform error code (Telegram's and Zalo's error_code follow HTTP). */
export function failureFromStatus(status: number, detail: string, retryAfterSeconds?: number): SendFailure {
  if (status === 429) return { kind: "rate-limited", retryAfterSeconds: Math.max(1, retryAfterSeconds ?? 1), detail };
  if (status === 403) return { kind: "blocked", detail };
  if (status >= 500 || status === 408) return { kind: "transient", detail };
  return { kind: "rejected", detail };
}
