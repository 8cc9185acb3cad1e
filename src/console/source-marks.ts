// A plan's text with the passages the importer read a value from wrapped in <mark> elements, so an officer sees
// each extracted value where it was found. Spans may nest or overlap (a title contains the year; an anniversary's
// sentence contains its base date), so the text is cut at every span boundary and each piece is marked with every
// field it belongs to (data-for). Each field's first piece carries its id (src-<field id>), the target of the form's
// "see in the text" link.
import type { SourceSpan } from "../domain/plan-import/source-span.js";
import { html, join, raw, type Html } from "./html.js";

export interface SourceMark {
  /** The form field's id (letters, digits, dashes). */
  id: string;
  span: SourceSpan;
  /** The importer asks a person to check this value. */
  flagged: boolean;
}

export const sourceMarkId = (fieldId: string) => `src-${fieldId}`;

export function markedSource(source: string, marks: readonly SourceMark[]): Html {
  const usable = marks.filter((m) => m.span.start >= 0 && m.span.end <= source.length && m.span.start < m.span.end);
  const cuts = [...new Set([0, source.length, ...usable.flatMap((m) => [m.span.start, m.span.end])])].sort((a, b) => a - b);
  const parts: Html[] = [];
  for (let i = 0; i + 1 < cuts.length; i++) {
    const [from, to] = [cuts[i]!, cuts[i + 1]!];
    const text = source.slice(from, to);
    const here = usable.filter((m) => m.span.start <= from && m.span.end >= to);
    if (here.length === 0) {
      // Word documents come out with runs of empty paragraphs: shown as one blank line (display only; offsets
      // are not used past this point).
      parts.push(html`${text.replace(/\n[ \t]*(?:\n[ \t]*){2,}/g, "\n\n")}`);
      continue;
    }
    // The first piece of a span is its target; further spans starting here get an empty anchor of their own.
    const starting = here.filter((m) => m.span.start === from);
    const anchors = starting.slice(1).map((m) => html`<span class="src-anchor" id="${sourceMarkId(m.id)}"></span>`);
    const id = starting[0] ? html` id="${sourceMarkId(starting[0].id)}"` : raw("");
    const flagged = here.some((m) => m.flagged) ? html` class="check"` : raw("");
    parts.push(html`${join(anchors)}<mark${id}${flagged} data-for="${here.map((m) => m.id).join(" ")}">${text}</mark>`);
  }
  return join(parts);
}
