// Answers people actually type to a question with choices: its number ("2"), or its label in any case, with or
// without diacritics ("tiep tuc" for "Tiếp tục"), with or without the number or tick a button shows ("1. ✓ …").
import type { Choice } from "./../ports.js";

/** Lower case, no diacritics (đ → d), one space between words: what two spellings of a label have in common. */
export const foldText = (s: string) =>
  s.normalize("NFD").replace(/\p{M}/gu, "").replace(/đ/gi, "d").toLowerCase().replace(/\s+/g, " ").trim();

/** A label as the person reads it, without the number and tick the prompt adds. */
const bareLabel = (label: string) => label.replace(/^\d{1,3}\.\s+/, "").replace(/^✓\s*/, "");

/** The value of the choice `text` names, or null. */
export function matchChoice(text: string, choices: readonly Choice[] | null): string | null {
  if (!choices || choices.length === 0) return null;
  if (/^\d{1,3}$/.test(text)) return choices[Number(text) - 1]?.value ?? null;
  const folded = foldText(text);
  if (folded === "") return null;
  const found = choices.filter((c) => foldText(bareLabel(c.label)) === folded || foldText(c.label) === folded);
  // Two choices with the same label (unlikely): the person must pick by number.
  return found.length === 1 ? found[0]!.value : null;
}

/** Numbers on the labels, for prompts that tell people to type a number. */
export const numbered = (choices: Choice[]): Choice[] => choices.map((c, i) => ({ ...c, label: `${i + 1}. ${c.label}` }));
