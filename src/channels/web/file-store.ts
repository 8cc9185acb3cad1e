// Files the web chat hands to the browser (e.g. the /xuat export): kept in memory under a random token, served once,
// for at most `ttlMs`, and at most `maxFiles` at a time (the oldest is dropped first), and only to the chat it was made
// for (a link copied to another browser is refused). Nothing is written to disk.
import { randomBytes } from "node:crypto";
import type { OutgoingDocument } from "../../app/ports.js";

export const FILE_TTL_MS = 15 * 60 * 1000;
export const MAX_FILES = 20;

/** 32 random bytes, base64url: what a token looks like (anything else is refused without a lookup). */
export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export interface FileStoreOptions {
  ttlMs?: number;
  maxFiles?: number;
  /** Milliseconds since the epoch; tests set the clock. */
  now?: () => number;
}

export class FileStore {
  private readonly files = new Map<string, { document: OutgoingDocument; owner: string; expiresAt: number }>();
  private readonly ttlMs: number;
  private readonly maxFiles: number;
  private readonly now: () => number;

  constructor(options: FileStoreOptions = {}) {
    this.ttlMs = options.ttlMs ?? FILE_TTL_MS;
    this.maxFiles = options.maxFiles ?? MAX_FILES;
    this.now = options.now ?? Date.now;
  }

  /** Keeps the document for `owner` (a chat id) and returns its token. */
  put(document: OutgoingDocument, owner: string): string {
    this.sweep();
    // Map keeps insertion order: the first key is the oldest file.
    while (this.files.size >= this.maxFiles) this.files.delete(this.files.keys().next().value!);
    const token = randomBytes(32).toString("base64url");
    this.files.set(token, { document, owner, expiresAt: this.now() + this.ttlMs });
    return token;
  }

  /** The document, removed from the store (served once); null when unknown, taken already, expired or not `owner`'s. */
  take(token: string, owner: string): OutgoingDocument | null {
    this.sweep();
    const entry = this.files.get(token);
    if (!entry || entry.owner !== owner) return null;
    this.files.delete(token);
    return entry.document;
  }

  get size(): number {
    this.sweep();
    return this.files.size;
  }

  private sweep(): void {
    const now = this.now();
    for (const [token, entry] of this.files) if (entry.expiresAt <= now) this.files.delete(token);
  }
}
