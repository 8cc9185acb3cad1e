// One retry policy for every send: 429 waits the platform's retry_after; 5xx and network faults back off
// exponentially up to a cap; 403 and other refusals fail at once.
import { SendError, type SendFailure } from "./send-error.js";

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** The longest retry_after we are willing to sleep in place; longer waits fail the send as rate-limited. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 5, baseDelayMs: 500, maxDelayMs: 30_000, maxRetryAfterMs: 120_000 };

/**
 * One attempt, no waiting in place: the first fault is thrown as a SendError. For the outbox worker's senders,
 * which reschedule through the database instead (src/delivery/outbox-worker.ts).
 */
export const FAIL_FAST_POLICY: RetryPolicy = { maxAttempts: 1, baseDelayMs: 0, maxDelayMs: 0, maxRetryAfterMs: 0 };

export type Sleep = (ms: number) => Promise<void>;
export const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Turns anything thrown by a send into a SendFailure: unknown errors (network, timeouts) are transient. */
export function toFailure(error: unknown): SendFailure {
  if (error instanceof SendError) return error.failure;
  return { kind: "transient", detail: error instanceof Error ? error.message : String(error) };
}

/**
 * Runs `attempt` until it succeeds or the policy gives up; throws the last SendError.
 * `onRetry` is told about each fault that will be retried (for logging once per fault).
 */
export async function sendWithRetry(
  attempt: () => Promise<void>,
  options: { policy?: RetryPolicy; sleep?: Sleep; onRetry?: (failure: SendFailure, attempt: number, waitMs: number) => void } = {},
): Promise<void> {
  const policy = options.policy ?? DEFAULT_RETRY_POLICY;
  const sleep = options.sleep ?? realSleep;
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (error) {
      const failure = toFailure(error);
      const retryable = failure.kind === "rate-limited" || failure.kind === "transient";
      if (!retryable || n >= policy.maxAttempts) throw new SendError(failure);
      const waitMs =
        failure.kind === "rate-limited"
          ? failure.retryAfterSeconds * 1000
          : Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (n - 1));
      if (waitMs > policy.maxRetryAfterMs) throw new SendError(failure);
      options.onRetry?.(failure, n, waitMs);
      await sleep(waitMs);
    }
  }
}
