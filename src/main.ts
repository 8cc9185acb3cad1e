// Composition root: parse the environment, open and migrate the database, wire the conversation core to the
// channels and the HTTP server. Nothing else in the code base constructs adapters.
import { createBot } from "./app/bot.js";
import { createInbound } from "./app/inbound.js";
import { startHeartbeat } from "./app/instance-heartbeat.js";
import { planCyclePushes } from "./app/cycle/pushes.js";
import { createPlanner } from "./app/planner.js";
import { reportFinishedBroadcasts, resumeBroadcasts } from "./app/broadcast-dispatch.js";
import { retentionJob } from "./app/retention.js";
import type { Channel } from "./channels/channel.js";
import { loadDemoCampaignIfIdle, seedCampaignsIfEmpty } from "./campaign-files.js";
import { translator } from "./app/i18n.js";
import { forgetClosedChats, webChatRoutes } from "./channels/web/web-channel.js";
import { createWebPushChannel, WebInbox } from "./channels/web/web-push.js";
import { ConfigError, loadConfig, type Config } from "./config.js";
import { createRepositories, migrate, openDatabase } from "./db/index.js";
import { createDeliveryWorker } from "./delivery/index.js";
import { redactUrl } from "./db/url.js";
import { allowedHostNames } from "./http/guards.js";
import { healthRoute } from "./http/health.js";
import { metricsRoute } from "./http/metrics.js";
import { startHttpServer, type Route } from "./http/server.js";
import { SessionCookies } from "./http/sessions/session-cookies.js";
import { WebSessions } from "./http/sessions/web-sessions.js";
import { consoleStore } from "./console/wiring.js";
import { consoleBaseUrl, issueConsoleLink } from "./console/links.js";
import { officerSubject } from "./console/principal.js";
import { consoleRoutes } from "./console/routes.js";
import { createLogger } from "./logger.js";
import type { MetricsHooks } from "./metrics.js";
import { startScheduler } from "./scheduler/scheduler.js";
import { exitOnSignals } from "./shutdown.js";
import { startupFailureMessage } from "./startup-failure.js";

function readConfig(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}

/** The bot's @username for deep links: TELEGRAM_BOT_USERNAME, else Telegram's getMe (asked once, when needed). */
function telegramUsername(config: Config): () => Promise<string | undefined> {
  let known: string | undefined = config.TELEGRAM_BOT_USERNAME;
  return async () => {
    if (known || !config.TELEGRAM_BOT_TOKEN) return known;
    try {
      const res = await fetch(`${config.TELEGRAM_API_ROOT}/bot${config.TELEGRAM_BOT_TOKEN}/getMe`, { signal: AbortSignal.timeout(5_000) });
      const body = (await res.json()) as { ok?: boolean; result?: { username?: string } };
      if (body.ok && body.result?.username) known = body.result.username;
    } catch {
      // no deep link this time; the invitation code is still shown
    }
    return known;
  };
}

async function main(): Promise<void> {
  const config = readConfig();
  const logger = createLogger({
    level: config.LOG_LEVEL,
    secrets: [config.TELEGRAM_BOT_TOKEN, config.ZALO_BOT_TOKEN, config.WEBHOOK_SECRET, config.METRICS_TOKEN].filter((s): s is string => Boolean(s)),
  });

  const migration = await migrate(config.DATABASE_URL);
  logger.info({ database: redactUrl(config.DATABASE_URL), applied: migration.applied }, "database ready");
  const db = openDatabase(config.DATABASE_URL);
  const repositories = createRepositories(db);

  const seeded = await seedCampaignsIfEmpty(config.CAMPAIGNS_DIR, repositories.campaigns);
  for (const problem of seeded.errors) logger.warn(problem);
  if (seeded.loaded.length > 0) logger.info({ campaigns: seeded.loaded }, "loaded the bundled campaign plans into the empty database");
  // A newcomer trying the web chat alone on a date no plan covers gets a demo copy of the newest plan for this year.
  // Never beside a platform token: real members must not see a made-up campaign.
  if (config.webChatEnabled && !config.TELEGRAM_BOT_TOKEN && !config.ZALO_BOT_TOKEN) {
    const marker = { vi: translator("vi")("demo.marker"), en: translator("en")("demo.marker") };
    const demo = await loadDemoCampaignIfIdle(config.CAMPAIGNS_DIR, repositories.campaigns, new Date(), config.BOT_TIMEZONE, marker);
    if (demo) logger.info({ campaign: demo.slug }, "no campaign runs today: loaded a demo copy of the newest bundled plan for this year (web chat only)");
  }

  const now = () => new Date();
  // Prometheus metrics (GET /metrics): the parts report through the small hooks below; no per-chat labels. Kept only
  // when the route is served (METRICS_TOKEN): otherwise nothing could read them, and prom-client (with its event-loop
  // and GC observers) is not loaded.
  const registry = config.METRICS_TOKEN
    ? (await import("./metrics.js")).createMetrics({
        channels: [...(config.TELEGRAM_BOT_TOKEN ? ["telegram" as const] : []), ...(config.ZALO_BOT_TOKEN ? ["zalo" as const] : []), ...(config.webChatEnabled ? ["web" as const] : [])],
        outbox: repositories.outbox,
        now,
        logger,
      })
    : undefined;
  const metrics: MetricsHooks = registry ?? { updateHandled() {}, updateUnreadable() {}, sendOutcome() {}, plannerTicked() {} };
  // Browser sessions (web chat, officer console): ended ones are deleted a day later, once an hour.
  const webSessions = new WebSessions({ repository: repositories.webSessions, now });
  // /quanly: a one-time console link on PUBLIC_URL (else this machine's port).
  const consoleLinks = async (subscriberId: number) => ({
    url: (await issueConsoleLink(webSessions, officerSubject(subscriberId), consoleBaseUrl(config.PUBLIC_URL, config.PORT))).url,
    minutes: Math.round(webSessions.lifetime("console-link").absoluteMs / 60_000),
  });
  const conversation = createBot({ ...repositories, timezone: config.BOT_TIMEZONE, now, logger, flowTtlMs: config.FLOW_TIMEOUT_HOURS * 3_600_000, consoleLinks });
  // This process as an instance with a heartbeat: update claims of an instance that died are taken over.
  const heartbeat = await startHeartbeat({ instances: repositories.instances, intervalMs: config.INSTANCE_HEARTBEAT_SECONDS * 1000, now, logger });
  const inbound = createInbound({ conversation, processedUpdates: repositories.processedUpdates, subscribers: repositories.subscribers, now, logger, instance: heartbeat.instance, onOutcome: metrics.updateHandled });

  const platform = { mode: config.UPDATES_MODE, publicUrl: config.PUBLIC_URL, webhookSecret: config.WEBHOOK_SECRET, inbound, logger };
  const channels: Channel[] = [];
  // A channel's module (telegraf for Telegram) is loaded only when its token is set.
  if (config.TELEGRAM_BOT_TOKEN) {
    const { createTelegramChannel } = await import("./channels/telegram/index.js");
    channels.push(createTelegramChannel({ ...platform, token: config.TELEGRAM_BOT_TOKEN, apiRoot: config.TELEGRAM_API_ROOT }));
  }
  if (config.ZALO_BOT_TOKEN) {
    const { createZaloChannel } = await import("./channels/zalo/index.js");
    channels.push(createZaloChannel({ ...platform, token: config.ZALO_BOT_TOKEN, apiRoot: config.ZALO_API_ROOT, photoHosts: config.ZALO_PHOTO_HOSTS, onUnreadable: metrics.updateUnreadable }));
  }

  const routes: Route[] = [healthRoute(repositories.health), ...(registry && config.METRICS_TOKEN ? [metricsRoute(registry, config.METRICS_TOKEN)] : []), ...channels.flatMap((c) => c.routes())];
  // Pushes to the web chat wait in memory until the page polls for them.
  const webInbox = config.webChatEnabled ? new WebInbox() : undefined;
  if (webInbox) {
    routes.push(
      ...webChatRoutes(conversation, {
        inbox: webInbox,
        sessions: new SessionCookies(webSessions, { secure: config.PUBLIC_URL?.startsWith("https:") ?? false }),
        subscribers: repositories.subscribers,
        allowedHosts: allowedHostNames(config.PUBLIC_URL),
      }),
    );
  }
  // The officer console (/console) is served whenever the HTTP server runs: every page needs a session opened by a
  // one-time link (/quanly or `console link`), so it is safe beside the platforms (see README, Security).
  routes.push(
    ...consoleRoutes({
      store: consoleStore(db, repositories),
      sessions: webSessions,
      cookies: { secure: config.PUBLIC_URL?.startsWith("https:") ?? false },
      allowedHosts: allowedHostNames(config.PUBLIC_URL),
      timezone: config.BOT_TIMEZONE,
      quietHours: config.quietHours,
      botUsername: telegramUsername(config),
      campaignsDir: config.CAMPAIGNS_DIR,
      now,
      logger,
    }),
  );
  const server = await startHttpServer({ port: config.PORT, host: config.HOST, routes, logger });
  logger.info(
    { port: server.port, webChat: config.webChatEnabled, channels: channels.map((c) => c.name), mode: config.UPDATES_MODE },
    config.webChatEnabled ? `web chat at http://localhost:${server.port}/` : "HTTP server listening",
  );
  // After the server listens, so webhook calls that arrive right after registration are answered.
  for (const channel of channels) await channel.start();

  // The outbox worker sends what the planner and broadcasts queue, after the channels are up.
  const delivery = createDeliveryWorker({
    config,
    outbox: repositories.outbox,
    subscribers: repositories.subscribers,
    sessions: repositories.sessions,
    web: webInbox ? createWebPushChannel(webInbox) : undefined,
    now,
    logger,
    onOutcome: metrics.sendOutcome,
  });
  delivery.start();

  const planner = createPlanner({ ...repositories, timezone: config.BOT_TIMEZONE, quietHours: config.quietHours, graceMs: config.CATCH_UP_GRACE_HOURS * 3_600_000, logger });
  const broadcastDeps = { ...repositories, logger };
  const retention = retentionJob({
    retention: repositories.retention,
    settings: { notificationDays: config.RETENTION_NOTIFICATION_DAYS, updateKeyDays: config.RETENTION_UPDATE_KEY_DAYS, sessionDays: config.RETENTION_SESSION_DAYS },
    logger,
  });
  const scheduler = startScheduler({
    jobs: [
      { name: "planner", run: async (at) => metrics.plannerTicked(at, (await planner.tick(at)).planned) },
      { name: "cycle-pushes", run: (at) => planCyclePushes({ ...repositories, timezone: config.BOT_TIMEZONE, quietHours: config.quietHours }, at) },
      { name: "broadcast-resume", run: (at) => resumeBroadcasts(broadcastDeps, at) },
      { name: "broadcast-report", run: (at) => reportFinishedBroadcasts(broadcastDeps, at) },
      {
        name: "retention",
        // With it, the web chat's in-memory logs of chats no browser can open (erased by the admin CLI, ended).
        run: async (at) => {
          const removed = await retention.run(at);
          return removed && webInbox ? { ...removed, webChatLogs: await forgetClosedChats(webInbox, webSessions) } : removed;
        },
      },
    ],
    timezone: config.BOT_TIMEZONE,
    now,
    logger,
  });
  void scheduler.tick();

  exitOnSignals({
    logger,
    timeoutMs: config.SHUTDOWN_TIMEOUT_SECONDS * 1000,
    async stop() {
      await scheduler.stop();
      // Before the channels: in-flight sends finish, unsent claims go back to the outbox.
      await delivery.stop();
      await Promise.all(channels.map((c) => c.stop()));
      // No update is being handled any more: this instance holds no claim.
      await heartbeat.stop();
      await server.close();
      await db.close();
    },
  });
}

main().catch((error: unknown) => {
  console.error(startupFailureMessage(error));
  process.exit(1);
});
