// Retention: personal data is kept only as long as the bot needs it. A scheduler job (every minute's tick, running
// at most once an hour) removes
// - notifications that reached a final state (sent, failed, blocked, skipped) more than RETENTION_NOTIFICATION_DAYS
//   ago — the planner's own record of each event (PlannedEvent) keeps a push from being planned again, and rows of a
//   broadcast still being delivered stay;
// - processed-update keys older than RETENTION_UPDATE_KEY_DAYS — platforms redeliver within hours, not days;
// - conversation sessions whose flow expired (FLOW_TIMEOUT_HOURS), with the answers typed so far, at once; and
//   sessions without a flow (only the last prompt's buttons) idle for RETENTION_SESSION_DAYS;
// - browser sessions (web chat, officer console) that expired or were revoked, at once: they open nothing any more,
//   and a web chat's names its chat;
// - result photos received for a /ketqua never finished, once idle sessions go (RETENTION_SESSION_DAYS). Saved
//   photos stay with their results (the evaluation needs them) until the person's erasure.
import type { Logger } from "../logger.js";
import type { RetentionRepository } from "./ports.js";

export interface RetentionSettings {
  notificationDays: number;
  updateKeyDays: number;
  sessionDays: number;
}

export const RETENTION_INTERVAL_MS = 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface RetentionJob {
  /** Runs the clean-up when the last run is at least an hour before `now` (or there was none); returns what it removed, or null when it did not run. */
  run(now: Date): Promise<{ notifications: number; updateKeys: number; sessions: number; webSessions: number; photos: number } | null>;
}

export function retentionJob(deps: { retention: RetentionRepository; settings: RetentionSettings; logger: Logger }): RetentionJob {
  let lastRun: number | null = null;
  return {
    async run(now) {
      if (lastRun !== null && now.getTime() - lastRun < RETENTION_INTERVAL_MS) return null;
      lastRun = now.getTime();
      const ago = (days: number) => new Date(now.getTime() - days * DAY_MS);
      const removed = {
        notifications: await deps.retention.deleteFinishedNotifications(ago(deps.settings.notificationDays)),
        updateKeys: await deps.retention.deleteProcessedUpdates(ago(deps.settings.updateKeyDays)),
        sessions: await deps.retention.deleteExpiredSessions(now, ago(deps.settings.sessionDays)),
        webSessions: await deps.retention.deleteEndedWebSessions(now),
        photos: await deps.retention.deleteUnsavedPhotos(ago(deps.settings.sessionDays)),
      };
      if (Object.values(removed).some((n) => n > 0)) deps.logger.info(removed, "retention: old rows removed");
      return removed;
    },
  };
}
