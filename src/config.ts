// Environment, parsed once at start-up. A bad value stops the process with one line naming the variable.
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { parseQuietHours, type QuietHours } from "./domain/quiet-hours.js";
import { ZALO_PHOTO_HOSTS } from "./channels/photo-download.js";

const optionalText = z
  .string()
  .trim()
  .transform((v) => (v === "" ? undefined : v))
  .optional();

function positiveNumber(name: string, fallback: number) {
  return z.coerce
    .number({ message: `${name} must be a number` })
    .positive({ message: `${name} must be greater than 0` })
    .default(fallback);
}

const url = (name: string) =>
  z
    .string()
    .trim()
    .refine((v) => /^https?:\/\/[^\s]+$/.test(v), { message: `${name} must be an http(s) URL` });

const EnvShape = z.object({
    DATABASE_URL: z
      .string()
      .trim()
      .default("file:./data/congdoan-bot.db")
      .refine((v) => /^(file:|postgres(ql)?:\/\/)/.test(v), {
        message: "DATABASE_URL must start with file: (SQLite) or postgresql:// (PostgreSQL)",
      }),
    TELEGRAM_BOT_TOKEN: optionalText,
    TELEGRAM_API_ROOT: url("TELEGRAM_API_ROOT").default("https://api.telegram.org"),
    /** The bot's @username for invitation deep links (t.me/<bot>?start=…); unset: asked from Telegram (getMe). */
    TELEGRAM_BOT_USERNAME: z
      .string()
      .regex(/^[A-Za-z][A-Za-z0-9_]{3,31}$/, { message: "TELEGRAM_BOT_USERNAME must be a Telegram username (letters, digits, _), without @" })
      .optional(),
    ZALO_BOT_TOKEN: optionalText,
    ZALO_API_ROOT: url("ZALO_API_ROOT").default("https://bot-api.zaloplatforms.com"),
    /** The domains a Zalo photo_url may be on (each with its subdomains, https only), comma-separated. */
    ZALO_PHOTO_HOSTS: z
      .string()
      .trim()
      .default(ZALO_PHOTO_HOSTS.join(","))
      .transform((v) => v.split(",").map((h) => h.trim().toLowerCase()).filter(Boolean))
      .refine((hosts) => hosts.length > 0 && hosts.every((h) => /^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(h)), {
        message: "ZALO_PHOTO_HOSTS must be domain names separated by commas (e.g. zdn.vn,zadn.vn)",
      }),
    UPDATES_MODE: z.enum(["polling", "webhook"], { message: "UPDATES_MODE must be polling or webhook" }).default("polling"),
    PUBLIC_URL: url("PUBLIC_URL").optional(),
    WEBHOOK_SECRET: z
      .string()
      .min(16, { message: "WEBHOOK_SECRET must be at least 16 characters" })
      .regex(/^[A-Za-z0-9_-]+$/, { message: "WEBHOOK_SECRET may contain only A-Z, a-z, 0-9, _ and -" })
      .optional(),
    PORT: z.coerce
      .number({ message: "PORT must be a number" })
      .int({ message: "PORT must be a whole number" })
      .min(0, { message: "PORT must be between 0 and 65535" })
      .max(65535, { message: "PORT must be between 0 and 65535" })
      .default(3000),
    /** Unset: 127.0.0.1 while the web chat is on and not public (it is a local tool), else 0.0.0.0 (webhooks, a container). */
    HOST: optionalText,
    WEB_CHAT: z.enum(["auto", "on", "off"], { message: "WEB_CHAT must be auto, on or off" }).default("auto"),
    /** The web chat beside a platform token means strangers can reach it: only when said explicitly. */
    WEB_CHAT_PUBLIC: z.enum(["true", "false"], { message: "WEB_CHAT_PUBLIC must be true or false" }).default("false"),
    /** GET /metrics answers only `Authorization: Bearer <METRICS_TOKEN>`; unset, /metrics is not served. */
    METRICS_TOKEN: z
      .string()
      .min(16, { message: "METRICS_TOKEN must be at least 16 characters" })
      .regex(/^[A-Za-z0-9._~+\/=-]+$/, { message: "METRICS_TOKEN may contain only letters, digits and . _ ~ + / = -" })
      .optional(),
    BOT_TIMEZONE: z
      .string()
      .default("Asia/Ho_Chi_Minh")
      .refine(isTimeZone, { message: "BOT_TIMEZONE must be an IANA time zone such as Asia/Ho_Chi_Minh" }),
    LOG_LEVEL: z
      .enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"], {
        message: "LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent",
      })
      .default("info"),
    // The bundled plans, found from this module (src/ or dist/ alike), whatever the working directory.
    CAMPAIGNS_DIR: z.string().trim().min(1).default(fileURLToPath(new URL("../prisma/campaigns", import.meta.url))),
    QUIET_HOURS: z
      .string()
      .default("21:00-07:00")
      .refine((v) => parseQuietHours(v) !== null, { message: "QUIET_HOURS must look like 21:00-07:00 (HH:mm-HH:mm, local time)" }),
    CATCH_UP_GRACE_HOURS: positiveNumber("CATCH_UP_GRACE_HOURS", 24),
    FLOW_TIMEOUT_HOURS: positiveNumber("FLOW_TIMEOUT_HOURS", 24),
    TELEGRAM_RATE_PER_SECOND: positiveNumber("TELEGRAM_RATE_PER_SECOND", 25),
    TELEGRAM_CHAT_RATE_PER_SECOND: positiveNumber("TELEGRAM_CHAT_RATE_PER_SECOND", 1),
    ZALO_RATE_PER_SECOND: positiveNumber("ZALO_RATE_PER_SECOND", 5),
    DELIVERY_CONCURRENCY: z.coerce
      .number({ message: "DELIVERY_CONCURRENCY must be a number" })
      .int({ message: "DELIVERY_CONCURRENCY must be a whole number" })
      .min(1, { message: "DELIVERY_CONCURRENCY must be between 1 and 100" })
      .max(100, { message: "DELIVERY_CONCURRENCY must be between 1 and 100" })
      .default(8),
    /** A send claimed longer ago than this belongs to a worker that died: it is sent again, flagged uncertain. */
    DELIVERY_STALE_CLAIM_SECONDS: positiveNumber("DELIVERY_STALE_CLAIM_SECONDS", 600),
    /** Each process beats this often; one silent for three beats is dead and its update claims are taken over. */
    INSTANCE_HEARTBEAT_SECONDS: positiveNumber("INSTANCE_HEARTBEAT_SECONDS", 5),
    /** Retention (src/app/retention.ts): final notifications, processed-update keys, idle sessions are removed after these. */
    RETENTION_NOTIFICATION_DAYS: positiveNumber("RETENTION_NOTIFICATION_DAYS", 30),
    RETENTION_UPDATE_KEY_DAYS: positiveNumber("RETENTION_UPDATE_KEY_DAYS", 7),
    RETENTION_SESSION_DAYS: positiveNumber("RETENTION_SESSION_DAYS", 30),
    /** A graceful stop (SIGTERM/SIGINT) that has not finished after this exits anyway, with the reason logged. */
    SHUTDOWN_TIMEOUT_SECONDS: positiveNumber("SHUTDOWN_TIMEOUT_SECONDS", 10),
  });

export const ConfigSchema = EnvShape.superRefine((c, ctx) => {
    if (c.WEB_CHAT === "on" && (c.TELEGRAM_BOT_TOKEN || c.ZALO_BOT_TOKEN) && c.WEB_CHAT_PUBLIC !== "true") {
      ctx.addIssue({
        code: "custom",
        path: ["WEB_CHAT"],
        message: "WEB_CHAT=on beside a platform token would open the test chat to anyone who reaches this server; set WEB_CHAT_PUBLIC=true if that is intended",
      });
    }
    if (c.UPDATES_MODE === "webhook" && (c.TELEGRAM_BOT_TOKEN || c.ZALO_BOT_TOKEN)) {
      if (!c.PUBLIC_URL) ctx.addIssue({ code: "custom", path: ["PUBLIC_URL"], message: "PUBLIC_URL is required when UPDATES_MODE=webhook" });
      if (!c.WEBHOOK_SECRET) ctx.addIssue({ code: "custom", path: ["WEBHOOK_SECRET"], message: "WEBHOOK_SECRET is required when UPDATES_MODE=webhook" });
    }
  });

export type Config = Omit<z.infer<typeof ConfigSchema>, "HOST"> & { HOST: string; webChatEnabled: boolean; quietHours: QuietHours };

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export class ConfigError extends Error {}

/** Parse the environment; throws ConfigError with one line naming the first bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const relevant = Object.fromEntries(
    // An empty variable counts as unset, as in most .env tooling.
    Object.keys(EnvShape.shape).map((k) => [k, env[k] === "" ? undefined : env[k]]),
  );
  const result = ConfigSchema.safeParse(relevant);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const variable = String(issue.path[0] ?? "environment");
    const message = issue.message.includes(variable) ? issue.message : `${variable}: ${issue.message}`;
    throw new ConfigError(`Configuration error: ${message}`);
  }
  const c = result.data;
  const hasPlatform = Boolean(c.TELEGRAM_BOT_TOKEN || c.ZALO_BOT_TOKEN);
  const webChatEnabled = c.WEB_CHAT === "on" || (c.WEB_CHAT === "auto" && !hasPlatform);
  // The web chat has no login: it stays on this computer unless said otherwise (HOST, or WEB_CHAT_PUBLIC=true).
  const localOnly = webChatEnabled && c.WEB_CHAT_PUBLIC !== "true";
  return { ...c, HOST: c.HOST ?? (localOnly ? "127.0.0.1" : "0.0.0.0"), webChatEnabled, quietHours: parseQuietHours(c.QUIET_HOURS)! };
}
