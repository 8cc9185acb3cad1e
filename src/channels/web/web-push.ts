// The web chat's recent exchange, per chat, in memory: what the person typed, what the bot answered, and pushes
// (scheduled notifications, announcements), which cannot be sent to a browser and wait here until the page asks
// (GET /api/chat/inbox?after=<seq>, every few seconds). The page shows the same log after a reload. Bounded: the
// last `maxPerChat` entries of a chat, chats forgotten after `idleMs` without activity, at most `maxChats` chats (the
// least recently used goes first). Sequence numbers grow across chats and restarts: they count from the clock in
// thousandths of a millisecond, so a restarted server starts above every number it gave before (unless it gave more
// than a thousand a millisecond), and a page that remembers the last one it showed neither misses nor repeats one.
import type { ChannelName, Choice, OutgoingMessage } from "../../app/ports.js";
import type { Channel } from "../channel.js";

export const INBOX_PATH = "/api/chat/inbox";
export const INBOX_MAX_PER_CHAT = 50;
export const INBOX_IDLE_MS = 24 * 60 * 60 * 1000;
export const INBOX_MAX_CHATS = 2_000;
/** Sequence numbers per millisecond of the clock (2025: about 1.7e15, well inside Number.MAX_SAFE_INTEGER). */
const SEQ_PER_MS = 1000;

export interface InboxMessage {
  seq: number;
  /** Who wrote it: the person, or the bot (a reply or a push). */
  from: "user" | "bot";
  text: string;
  /** The buttons of a bot reply. */
  choices?: Choice[];
  /** A file the reply carried (its name only: the download link works once and is not kept). */
  fileName?: string;
  /** ISO instant. */
  at: string;
}

export type InboxEntry = Omit<InboxMessage, "seq" | "at">;

export interface WebInboxOptions {
  maxPerChat?: number;
  idleMs?: number;
  maxChats?: number;
  /** Milliseconds since the epoch; tests set the clock. */
  now?: () => number;
}

export class WebInbox {
  /** chatId → its messages and last activity; Map order is least recently used first. */
  private readonly chats = new Map<string, { messages: InboxMessage[]; touchedAt: number }>();
  private readonly maxPerChat: number;
  private readonly idleMs: number;
  private readonly maxChats: number;
  private readonly now: () => number;
  private lastSeq = 0;

  constructor(options: WebInboxOptions = {}) {
    this.maxPerChat = options.maxPerChat ?? INBOX_MAX_PER_CHAT;
    this.idleMs = options.idleMs ?? INBOX_IDLE_MS;
    this.maxChats = options.maxChats ?? INBOX_MAX_CHATS;
    this.now = options.now ?? Date.now;
  }

  /** Keeps a push (a bot message nobody asked for) for `chatId`; returns its sequence number. */
  push(chatId: string, text: string): number {
    return this.record(chatId, { from: "bot", text });
  }

  /** Keeps one entry of the exchange for `chatId`; returns its sequence number. */
  record(chatId: string, entry: InboxEntry): number {
    const t = this.now();
    this.sweep(t);
    const chat = this.chats.get(chatId) ?? { messages: [], touchedAt: t };
    this.touch(chatId, chat, t);
    while (this.chats.size > this.maxChats) this.chats.delete(this.chats.keys().next().value!);
    this.lastSeq = Math.max(this.lastSeq + 1, t * SEQ_PER_MS);
    chat.messages.push({ seq: this.lastSeq, ...entry, at: new Date(t).toISOString() });
    if (chat.messages.length > this.maxPerChat) chat.messages.splice(0, chat.messages.length - this.maxPerChat);
    return this.lastSeq;
  }

  /** The chat's messages after `after`, oldest first (a read counts as activity). */
  read(chatId: string, after: number): InboxMessage[] {
    const t = this.now();
    this.sweep(t);
    const chat = this.chats.get(chatId);
    if (!chat) return [];
    this.touch(chatId, chat, t);
    return chat.messages.filter((m) => m.seq > after);
  }

  /** Drops the chat's whole log at once (the person erased their data). */
  forget(chatId: string): void {
    this.chats.delete(chatId);
  }

  /** The chats held, least recently used first. */
  chatIds(): string[] {
    this.sweep(this.now());
    return [...this.chats.keys()];
  }

  /** Chats held (for tests and metrics). */
  get size(): number {
    this.sweep(this.now());
    return this.chats.size;
  }

  private touch(chatId: string, chat: { messages: InboxMessage[]; touchedAt: number }, t: number): void {
    chat.touchedAt = t;
    this.chats.delete(chatId);
    this.chats.set(chatId, chat);
  }

  private sweep(t: number): void {
    for (const [chatId, chat] of this.chats) {
      if (chat.touchedAt + this.idleMs > t) break;
      this.chats.delete(chatId);
    }
  }
}

/** The web chat's push channel for the outbox worker: `send` puts the text in the chat's inbox. */
export function createWebPushChannel(inbox: WebInbox): Channel {
  const name: ChannelName = "web";
  return {
    name,
    async start() {},
    async stop() {},
    routes: () => [],
    async send(chatId: string, message: OutgoingMessage) {
      // Scheduled pushes are text; choices become numbered lines like on text-only platforms.
      const choices = message.choices?.map((c, i) => `${i + 1}. ${c.label}`) ?? [];
      inbox.push(chatId, [message.text, ...choices].join("\n"));
    },
  };
}
