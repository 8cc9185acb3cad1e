// Session tokens: 256 random bits in base64url for the cookie; only their SHA-256 reaches the database.
import { createHash, randomBytes } from "node:crypto";

/** 32 random bytes, base64url: what a token looks like (anything else is refused without a lookup). */
export const SESSION_TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export function newSessionToken(): string {
  return randomBytes(32).toString("base64url");
}

export function hashSessionToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}
