// The draft campaign as YAML for `campaign load`, every field the importer was unsure of preceded by a
// "# KIỂM TRA: <why>" comment (with the line of the plan it came from), written with the yaml Document API.
import { Document, isMap, isScalar, isSeq, visit, type Node, type Pair } from "yaml";
import type { CheckReason, FieldPath } from "./findings.js";
import type { PlanExtraction } from "./extract-plan.js";
import { lineColumnAt } from "./source-span.js";

export const CHECK_MARK = "KIỂM TRA:";

export interface DraftYamlOptions {
  /** The reason in the reader's language (Vietnamese for the file). */
  describe(reason: CheckReason): string;
  /** The comment lines at the top of the file. */
  header: string[];
  /** "dòng {line}" in the reader's language. */
  lineLabel(line: number): string;
}

/** The node a path's comment belongs on: a mapping entry's key (comment above "key:"), or a list item. */
function commentTarget(doc: Document, path: FieldPath): { commentBefore?: string | null | undefined } | undefined {
  const parent = path.length === 1 ? doc.contents : doc.getIn(path.slice(0, -1), true);
  const last = path[path.length - 1];
  if (isMap(parent)) {
    const pair = parent.items.find((p: Pair) => (p.key as { value?: unknown } | null)?.value === last);
    return pair?.key as Node | undefined;
  }
  if (isSeq(parent) && typeof last === "number") return parent.items[last] as Node | undefined;
  return undefined;
}

export function draftToYaml(extraction: PlanExtraction, options: DraftYamlOptions): string {
  const doc = new Document(extraction.draft);
  doc.commentBefore = options.header.map((l) => ` ${l}`).join("\n");

  // Findings on the same field share one comment.
  const byPath = new Map<string, { path: FieldPath; lines: string[] }>();
  for (const f of extraction.findings) {
    if (f.checks.length === 0) continue;
    const key = f.path.join("\u0000");
    const entry = byPath.get(key) ?? { path: f.path, lines: [] };
    const where = f.span ? ` (${options.lineLabel(lineColumnAt(extraction.source, f.span.start).line)})` : "";
    for (const c of f.checks) entry.lines.push(`${CHECK_MARK} ${options.describe(c)}${where}`);
    byPath.set(key, entry);
  }
  // Warnings tied to a field that no finding carries (e.g. a phase's refused date) go on that field too.
  for (const w of extraction.warnings) {
    if (!w.path) continue;
    const key = w.path.join("\u0000");
    const text = `${CHECK_MARK} ${options.describe(w.reason)}`;
    const entry = byPath.get(key) ?? { path: w.path, lines: [] };
    if (!entry.lines.some((l) => l.startsWith(text))) entry.lines.push(text);
    byPath.set(key, entry);
  }
  for (const { path, lines } of byPath.values()) {
    const target = commentTarget(doc, path);
    if (!target) continue;
    const previous = target.commentBefore ? `${target.commentBefore}\n` : "";
    target.commentBefore = previous + [...new Set(lines)].map((l) => ` ${l}`).join("\n");
  }
  // Long texts as folded blocks (">-") and key lists on one line, the way the shipped campaign files are written.
  visit(doc, {
    Seq(_, node) {
      if (node.items.every((item) => isScalar(item) && !item.commentBefore)) node.flow = true;
    },
    Scalar(key, node) {
      if (key !== "key" && isScalar(node) && typeof node.value === "string" && node.value.length > 100) node.type = "BLOCK_FOLDED";
    },
  });
  return doc.toString({ lineWidth: 116, minContentWidth: 40 });
}
