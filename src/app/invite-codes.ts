// Officer invitation codes: short, typeable on a phone (no 0/O, 1/I/L), shown once; only their hash is stored.
import { createHash, randomInt } from "node:crypto";

const ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
export const INVITE_VALID_DAYS = 7;

/** A fresh code such as "K7QM-3WXP-9HTD" (12 symbols, about 59 bits). */
export function generateInviteCode(): string {
  const symbols = Array.from({ length: 12 }, () => ALPHABET[randomInt(ALPHABET.length)]!);
  return [0, 4, 8].map((i) => symbols.slice(i, i + 4).join("")).join("-");
}

/** What a person typed → the canonical form: upper case, without spaces or dashes. */
export function normalizeInviteCode(typed: string): string {
  return typed.normalize("NFC").toUpperCase().replace(/[\s-]+/g, "");
}

export function hashInviteCode(typed: string): string {
  return createHash("sha256").update(normalizeInviteCode(typed)).digest("hex");
}
