// What went wrong with a Telegram call, in the platform-neutral terms of src/delivery/send-error.ts. The detail
// never carries an error's message for network faults: node-fetch puts the request URL — with the token — in it.
import { TelegramError } from "telegraf";
import { failureFromStatus, SendError, type SendFailure } from "../../delivery/send-error.js";

function networkDetail(error: unknown): string {
  if (error && typeof error === "object") {
    const e = error as { code?: unknown; errno?: unknown; type?: unknown; name?: unknown };
    const code = [e.code, e.errno, e.type].find((v) => typeof v === "string" && v.length > 0);
    if (code) return `network error (${String(code)})`;
    if (typeof e.name === "string" && e.name) return `network error (${e.name})`;
  }
  return "network error";
}

/** Classifies anything a telegraf call threw. */
export function telegramFailure(error: unknown): SendFailure {
  if (error instanceof SendError) return error.failure;
  if (error instanceof TelegramError) {
    const description = error.response?.description || `error ${error.code}`;
    return failureFromStatus(error.code, description, error.response?.parameters?.retry_after);
  }
  return { kind: "transient", detail: networkDetail(error) };
}

/** Runs one Telegram call, rethrowing its failure as a SendError for sendWithRetry. */
export async function classified<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw new SendError(telegramFailure(error));
  }
}
