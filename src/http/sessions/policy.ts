// How long each kind of browser session lives: idle (since it was last used) and absolute (since it was issued).
import type { WebSessionKind } from "../../app/ports.js";

export interface SessionLifetime {
  idleMs: number;
  absoluteMs: number;
}

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

export const SESSION_LIFETIMES: Record<WebSessionKind, SessionLifetime> = {
  // A person coming back to the chat within a week keeps their conversation; after 30 days a new one starts.
  chat: { idleMs: 7 * DAY, absoluteMs: 30 * DAY },
  // An officer's console: signed out after 30 idle minutes, and after 12 hours whatever happens.
  console: { idleMs: 30 * MINUTE, absoluteMs: 12 * 60 * MINUTE },
  // A one-time console link: 15 minutes, used once.
  "console-link": { idleMs: 15 * MINUTE, absoluteMs: 15 * MINUTE },
};

/** lastSeenAt is written at most this often, so a busy page does not write on every request. */
export const TOUCH_EVERY_MS = MINUTE;
