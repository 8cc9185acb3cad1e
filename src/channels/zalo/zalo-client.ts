// A small typed client for the Zalo Bot Platform API: `POST {apiRoot}/bot{token}/{method}` with a JSON body, answers
// `{ ok, result }` checked with zod. The token sits in every URL, so no URL and no unredacted text from fetch ever
// leaves this module: every failure is a ZaloApiError whose message went through redactSecrets.
import { z } from "zod";
import { SendError, failureFromStatus, type SendFailure } from "../../delivery/send-error.js";
import { redactSecrets } from "../../logger.js";
import { ZaloBotInfo, ZaloEnvelope, ZaloSentMessage, ZaloWebhookInfo } from "./types.js";

export const DEFAULT_ZALO_API_ROOT = "https://bot-api.zaloplatforms.com";
/** Zalo documents no retry-after for 429; this is how long we wait when none comes. */
export const DEFAULT_RETRY_AFTER_SECONDS = 5;

export class ZaloApiError extends Error {
  constructor(
    readonly method: string,
    /** HTTP status of the answer; 0 when none came (network fault, timeout, abort). */
    readonly status: number,
    /** The platform's `error_code` (HTTP-like: 401, 403, 408, 429 …), when it sent one. */
    readonly errorCode: number | undefined,
    readonly description: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(`zalo ${method} failed${errorCode !== undefined ? ` (${errorCode})` : status ? ` (HTTP ${status})` : ""}: ${description}`);
    this.name = "ZaloApiError";
  }

  /** Long-poll ended without an update: Zalo answers getUpdates with error_code 408 "Request timeout". */
  get isPollTimeout(): boolean {
    return this.errorCode === 408 || this.status === 408;
  }

  /** The send-side classification (src/delivery/send-error.ts): 429, 403, 5xx/network/timeouts, the rest. */
  toSendFailure(): SendFailure {
    if (this.status === 0) return { kind: "transient", detail: this.message };
    const code = this.errorCode !== undefined && this.errorCode >= 400 && this.errorCode < 600 ? this.errorCode : this.status;
    const retryAfter = code === 429 ? (this.retryAfterSeconds ?? DEFAULT_RETRY_AFTER_SECONDS) : undefined;
    return failureFromStatus(code, this.message, retryAfter);
  }
}

export interface ZaloClientOptions {
  token: string;
  apiRoot?: string;
  /** Per request, except getUpdates (its long-poll timeout + 10 s). */
  requestTimeoutMs?: number;
}

export class ZaloBotClient {
  private readonly root: string;
  private readonly requestTimeoutMs: number;

  constructor(private readonly options: ZaloClientOptions) {
    this.root = (options.apiRoot ?? DEFAULT_ZALO_API_ROOT).replace(/\/+$/, "");
    this.requestTimeoutMs = options.requestTimeoutMs ?? 15_000;
  }

  getMe(): Promise<ZaloBotInfo> {
    return this.call("getMe", {}, ZaloBotInfo);
  }

  /**
   * One long poll: the next update as the platform sent it, or null when `timeout` seconds passed without one. The
   * update is read by the channel (./read-update.ts), so one it cannot understand is still seen, logged and counted.
   */
  async getUpdates(params: { timeout: number }, signal?: AbortSignal): Promise<unknown> {
    try {
      const result = await this.call("getUpdates", { timeout: String(params.timeout) }, z.unknown(), {
        timeoutMs: (params.timeout + 10) * 1000,
        signal,
        emptyIsNull: true,
      });
      return result ?? null;
    } catch (error) {
      if (error instanceof ZaloApiError && error.isPollTimeout) return null;
      throw error;
    }
  }

  setWebhook(params: { url: string; secret_token: string }): Promise<ZaloWebhookInfo> {
    return this.call("setWebhook", params, ZaloWebhookInfo);
  }

  deleteWebhook(): Promise<ZaloWebhookInfo> {
    return this.call("deleteWebhook", {}, ZaloWebhookInfo);
  }

  getWebhookInfo(): Promise<ZaloWebhookInfo> {
    return this.call("getWebhookInfo", {}, ZaloWebhookInfo);
  }

  /** Throws SendError (cause: the ZaloApiError), so sendWithRetry can classify it. */
  sendMessage(params: { chat_id: string; text: string }): Promise<ZaloSentMessage> {
    return asSendError(this.call("sendMessage", params, ZaloSentMessage));
  }

  sendPhoto(params: { chat_id: string; photo: string; caption?: string }): Promise<ZaloSentMessage> {
    return asSendError(this.call("sendPhoto", params, ZaloSentMessage));
  }

  async sendChatAction(params: { chat_id: string; action: "typing" | "upload_photo" }): Promise<void> {
    await asSendError(this.call("sendChatAction", params, z.unknown()));
  }

  private async call<S extends z.ZodType>(
    method: string,
    body: Record<string, unknown>,
    schema: S,
    options: { timeoutMs?: number; signal?: AbortSignal; emptyIsNull?: boolean } = {},
  ): Promise<z.infer<S>> {
    const timeoutMs = options.timeoutMs ?? this.requestTimeoutMs;
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = options.signal ? AbortSignal.any([timeout, options.signal]) : timeout;
    const fail = (status: number, description: string, errorCode?: number, retryAfter?: number) =>
      new ZaloApiError(method, status, errorCode, redactSecrets(description, [this.options.token]), retryAfter);

    let response: Response;
    let text: string;
    try {
      response = await fetch(`${this.root}/bot${this.options.token}/${method}`, {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json" },
        body: JSON.stringify(body),
        signal,
      });
      text = await response.text();
    } catch (error) {
      if (timeout.aborted) throw fail(0, `no answer within ${timeoutMs} ms`);
      if (options.signal?.aborted) throw fail(0, "aborted");
      throw fail(0, describeNetworkError(error));
    }

    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw fail(response.status, `HTTP ${response.status} with a body that is not JSON`);
    }
    const envelope = ZaloEnvelope.safeParse(json);
    if (!envelope.success) throw fail(response.status, `unexpected answer: ${issues(envelope.error)}`);
    if (!envelope.data.ok) {
      const { error_code, description, parameters } = envelope.data;
      const headerRetry = Number(response.headers.get("retry-after"));
      const retryAfter = parameters?.retry_after ?? (Number.isFinite(headerRetry) && headerRetry > 0 ? headerRetry : undefined);
      throw fail(response.status, description ?? "no description", error_code, retryAfter);
    }
    let result = envelope.data.result;
    if (options.emptyIsNull && result !== null && typeof result === "object" && Object.keys(result).length === 0) result = null;
    const parsed = schema.safeParse(result);
    if (!parsed.success) throw fail(response.status, `unexpected result: ${issues(parsed.error)}`);
    return parsed.data as z.infer<S>;
  }
}

async function asSendError<T>(call: Promise<T>): Promise<T> {
  try {
    return await call;
  } catch (error) {
    if (error instanceof ZaloApiError) throw Object.assign(new SendError(error.toSendFailure()), { cause: error });
    throw error;
  }
}

function issues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.length ? issue.path.join(".") : "(root)"}: ${issue.message}`)
    .join("; ");
}

function describeNetworkError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : "";
  return `${error.message}${cause}`;
}
