// Text as people type it, made safe to keep, compare and echo back. Platforms pass on only well-formed Unicode
// (Telegram refuses a string with a lone UTF-16 surrogate), PostgreSQL cannot store or compare a NUL character,
// and the same words may arrive composed or decomposed.

const UNREPRESENTABLE = /[\p{Cs}\u0000]/gu;

/** NFC, with every lone surrogate and NUL replaced by U+FFFD (the replacement character). */
export function typedText(text: string): string {
  return text.replace(UNREPRESENTABLE, "\ufffd").normalize("NFC");
}

/** At most `max` code points: an emoji (a surrogate pair) is never cut in half. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  return Array.from(text).slice(0, max).join("");
}
