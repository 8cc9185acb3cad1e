// pino, pretty in a terminal and JSON otherwise. Bot tokens travel inside API URLs, so every string that reaches
// a log line is scrubbed of token-shaped text, and known secret fields are censored by path. Chat ids are personal
// data: a `chatId` field is kept only on debug and trace lines, and never for the web chat (its ids were credentials).
import { pino, type Logger, type LoggerOptions } from "pino";
import { lineDestination } from "./log-destination.js";

export type { Logger };

const TELEGRAM_TOKEN = /\b\d{5,}:[A-Za-z0-9_-]{20,}\b/g;
// A `/bot<token>` path segment (Telegram and Zalo API URLs): after a host, not the `//bot` of a host name such as
// https://bot.example.org/, and token-shaped (a digit in at least 8 characters), not a word such as /bottles.
const BOT_PATH_SEGMENT = /(?<!\/)\/bot(?=[^/\s?#"']*\d)[^/\s?#"']{8,}/g;

/** Removes anything shaped like a bot token from free text (URLs, error messages, stacks). */
export function redactSecrets(text: string, extraSecrets: readonly string[] = []): string {
  let out = text.replace(BOT_PATH_SEGMENT, "/bot[redacted]").replace(TELEGRAM_TOKEN, "[redacted]");
  for (const secret of extraSecrets) if (secret.length >= 8) out = out.split(secret).join("[redacted]");
  return out;
}

/** pino's level numbers: debug is 20, trace 10. */
const DEBUG_LEVEL = 20;

/** The log call's fields without a chat id, unless this is a debug line about a platform chat. */
function withoutChatId(value: unknown, level: number): unknown {
  if (value === null || typeof value !== "object" || Array.isArray(value) || value instanceof Error || !("chatId" in value)) return value;
  const { chatId, ...rest } = value as Record<string, unknown>;
  const web = rest.channel === "web" || (typeof chatId === "string" && chatId.startsWith("web-"));
  return level <= DEBUG_LEVEL && !web ? value : rest;
}

function scrub(value: unknown, secrets: readonly string[], depth = 0): unknown {
  if (typeof value === "string") return redactSecrets(value, secrets);
  if (depth > 6 || value === null || typeof value !== "object") return value;
  if (value instanceof Error) {
    return { type: value.name, message: redactSecrets(value.message, secrets), stack: value.stack && redactSecrets(value.stack, secrets) };
  }
  if (Array.isArray(value)) return value.map((v) => scrub(v, secrets, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrub(v, secrets, depth + 1)]));
}

export interface LoggerSettings {
  level: string;
  /** Exact secrets (tokens, webhook secret) that must never be printed. */
  secrets?: readonly string[];
  /** Pretty output; defaults to "stdout is a terminal". */
  pretty?: boolean;
  destination?: pino.DestinationStream;
}

export function createLogger(settings: LoggerSettings): Logger {
  const secrets = (settings.secrets ?? []).filter((s): s is string => Boolean(s));
  const options: LoggerOptions = {
    level: settings.level,
    base: undefined,
    redact: {
      paths: ["token", "*.token", "secret", "*.secret", "password", "*.password", "headers.authorization", "*.headers.authorization", 'headers["x-telegram-bot-api-secret-token"]', 'headers["x-bot-api-secret-token"]'],
      censor: "[redacted]",
    },
    formatters: {
      log: (object) => scrub(object, secrets) as Record<string, unknown>,
    },
    hooks: {
      logMethod(args, method, level) {
        method.apply(this, args.map((a) => scrub(withoutChatId(a, level), secrets)) as Parameters<typeof method>);
      },
    },
  };
  const pretty = settings.pretty ?? Boolean(process.stdout.isTTY);
  if (settings.destination) return pino(options, settings.destination);
  if (pretty) {
    return pino({ ...options, transport: { target: "pino-pretty", options: { colorize: true, translateTime: "SYS:HH:MM:ss" } } });
  }
  // Not pino's default destination: see ./log-destination.ts (a stop that never finished when stdout was closed).
  return pino(options, lineDestination(1));
}
