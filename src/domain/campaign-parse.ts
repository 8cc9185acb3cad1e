// Campaign file text → validated CampaignDefinition, or every problem as one readable line each:
//   "<fileName>: <path> <problem>", e.g. "bac-kan-2021.yaml: phases[1].end 2021-06-01 is before phases[1].start 2021-07-01".
// Pure: the caller reads the file. Every string is NFC-normalised (Vietnamese text typed on some systems is NFD).
import { LineCounter, parseDocument } from "yaml";
import type { z } from "zod";
import {
  CampaignFieldsSchema,
  campaignProblems,
  formatPath,
  type CampaignProblem,
  showValue,
  type CampaignDefinition,
} from "./campaign.js";

export type ParseCampaignResult = { ok: true; campaign: CampaignDefinition } | { ok: false; errors: string[] };

/** Recursively NFC-normalises strings (values and keys); a `key:` with no value counts as absent. */
export function normalizeStrings(value: unknown): unknown {
  if (typeof value === "string") return value.normalize("NFC");
  if (Array.isArray(value)) return value.map(normalizeStrings);
  if (typeof value === "object" && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (v === null || v === undefined) continue;
      out[k.normalize("NFC")] = normalizeStrings(v);
    }
    return out;
  }
  return value;
}

const EXPECTED: Record<string, string> = {
  number: "must be a number",
  int: "must be a whole number",
  string: "must be text",
  boolean: "must be true or false",
  array: "must be a list",
  object: "must be a mapping",
};

/** zod's default wording → ours (schema-level messages in campaign.ts take precedence over this map). */
function describeIssue(iss: z.core.$ZodRawIssue): string | undefined {
  switch (iss.code) {
    case "invalid_type":
      if (iss.input === undefined) return "is required";
      if (iss.input === null) return "is empty";
      return EXPECTED[iss.expected] ?? `must be ${iss.expected}`;
    case "too_small": {
      const min = Number(iss.minimum);
      if (iss.origin === "string") return "must not be empty";
      if (iss.origin === "array") return `must list at least ${min} item${min === 1 ? "" : "s"}`;
      return `${showValue(iss.input)} must be ${iss.inclusive ? "at least" : "more than"} ${min}`;
    }
    case "too_big": {
      const max = Number(iss.maximum);
      if (iss.origin === "array") return `must list at most ${max} item${max === 1 ? "" : "s"}`;
      if (iss.origin === "string") return `must be at most ${max} characters`;
      return `${showValue(iss.input)} must be ${iss.inclusive ? "at most" : "less than"} ${max}`;
    }
    case "invalid_value":
      return `${showValue(iss.input)} must be one of ${iss.values.map((v) => String(v)).join(", ")}`;
    case "invalid_format":
      return `${showValue(iss.input)} has the wrong format`;
    default:
      return undefined;
  }
}

function line(fileName: string, path: ReadonlyArray<PropertyKey>, message: string): string {
  const where = formatPath(path);
  return where === "" ? `${fileName}: ${message}` : `${fileName}: ${where} ${message}`;
}

export function parseCampaign(fileName: string, yamlText: string): ParseCampaignResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(yamlText, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      errors: doc.errors.map((e) => `${fileName}: line ${lineCounter.linePos(e.pos[0]).line}: ${e.message}`),
    };
  }
  let raw: unknown;
  try {
    raw = normalizeStrings(doc.toJS());
  } catch (e) {
    // e.g. excessive alias expansion
    return { ok: false, errors: [`${fileName}: ${e instanceof Error ? e.message : String(e)}`] };
  }
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    return { ok: false, errors: [`${fileName}: the file must be a mapping of campaign fields`] };
  }

  const { campaign, problems } = checkCampaign(raw);
  const errors = problems.map((p) => line(fileName, p.path, p.message));

  const unique = [...new Set(errors)];
  if (unique.length > 0 || !campaign) return { ok: false, errors: unique };
  return { ok: true, campaign };
}

/**
 * Raw (NFC-normalised) campaign fields → the definition, or every problem with its path: the field shapes, then the
 * rules across fields. One check for YAML files and for plans edited in the officer console.
 */
export function checkCampaign(raw: unknown): { campaign?: CampaignDefinition; problems: CampaignProblem[] } {
  const problems: CampaignProblem[] = [];
  const parsed = CampaignFieldsSchema.safeParse(raw, { error: describeIssue });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const path = issue.path as (string | number)[];
      if (issue.code === "unrecognized_keys") {
        for (const k of issue.keys) problems.push({ path: [...path, k], message: "is not a known field", code: "unknown-field", params: { field: k } });
      } else {
        problems.push({ path, message: issue.message, ...issueCode(issue, valueAt(raw, path), path) });
      }
    }
  }
  problems.push(...campaignProblems(raw));
  return parsed.success && problems.length === 0 ? { campaign: parsed.data, problems } : { problems };
}

function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
  let at = raw;
  for (const part of path) at = typeof at === "object" && at !== null ? (at as Record<PropertyKey, unknown>)[part] : undefined;
  return at;
}

/** A field-shape problem as a code and values for the other languages (see CampaignProblem). */
function issueCode(issue: z.core.$ZodIssue, input: unknown, path: readonly PropertyKey[]): Pick<CampaignProblem, "code" | "params"> {
  const value = typeof input === "string" || typeof input === "number" ? input : String(input);
  const field = String(path[path.length - 1] ?? "");
  switch (issue.code) {
    case "invalid_type":
      if (input === undefined) return { code: "required", params: {} };
      if (input === null) return { code: "empty", params: {} };
      return { code: `type-${issue.expected}`, params: { value } };
    case "too_small":
      if (issue.origin === "string") return { code: "empty", params: {} };
      return { code: issue.origin === "array" ? "too-few" : "too-small", params: { value, min: Number(issue.minimum) } };
    case "too_big":
      return { code: issue.origin === "array" ? "too-many" : issue.origin === "string" ? "too-long" : "too-big", params: { value, max: Number(issue.maximum) } };
    case "invalid_value":
      return { code: "one-of", params: { value, values: issue.values.map(String).join(", ") } };
    default:
      // Format rules: which one follows from the field.
      if (field === "code_prefix") return { code: "code-prefix-format", params: { value } };
      if (field === "greeting_time") return { code: "time-format", params: { value } };
      if (/date|^start$|^end$|report_due/.test(field)) return { code: "invalid-date", params: { value } };
      if (field === "slug" || field === "key" || typeof path[path.length - 1] === "number") return { code: "key-format", params: { value } };
      return { code: "other", params: { message: issue.message } };
  }
}
