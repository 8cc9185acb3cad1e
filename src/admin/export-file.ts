// What the admin `… export` commands share: the `--format --out --lang` options with their one-line refusals (found
// before the database is opened), the campaign and unit-tree lookups, and writing the file beside its destination
// (mode 0600, by the caller) and renaming it into place, so a failed export leaves no half file.
import { rename, rm } from "node:fs/promises";
import path from "node:path";
import { isLocale } from "../app/i18n.js";
import type { Locale, StoredCampaign, Unit } from "../app/ports.js";
import type { Repositories } from "../db/index.js";
import { CliError, parseOptions, type Command } from "./cli.js";

type StringOptions<K extends string> = Record<K, { type: "string" }>;

/** The command's string options plus `--format --out --lang`; no positional argument. */
export function exportOptions<K extends string>(command: Command, args: string[], keys: readonly K[]) {
  const options = Object.fromEntries([...keys, "format", "out", "lang"].map((k) => [k, { type: "string" as const }])) as StringOptions<K | "format" | "out" | "lang">;
  const { values, positionals } = parseOptions(command, args, options);
  if (positionals.length > 0) throw new CliError(`unexpected argument: ${positionals[0]} (usage: ${command.name} ${command.usage})`);
  return values as Partial<Record<K | "format" | "out" | "lang", string>>;
}

/** `--format` (one of `formats`), `--out` (resolved) and `--lang` (vi unless given), checked in that order. */
export function exportTarget<F extends string>(values: { format?: string; out?: string; lang?: string }, formats: readonly F[]): { format: F; out: string; lang: Locale } {
  if (values.format === undefined) throw new CliError(`--format ${formats.join("|")} is required`);
  if (!formats.includes(values.format as F)) throw new CliError(`--format must be ${formats.join(" or ")}, got "${values.format}"`);
  if (!values.out) throw new CliError("--out <file> is required");
  const lang = values.lang ?? "vi";
  if (!isLocale(lang)) throw new CliError(`--lang must be vi or en, got "${lang}"`);
  return { format: values.format as F, out: path.resolve(values.out), lang };
}

/** The campaign with `slug`, else a CliError. */
export async function exportCampaign(repositories: Repositories, slug: string) {
  const campaign = await repositories.campaigns.findBySlug(slug);
  if (!campaign) throw new CliError(`unknown campaign: ${slug}`);
  return campaign;
}

/** The unit tree under `--unit`, or under the campaign owner's unit. */
export async function exportScope(repositories: Repositories, campaign: StoredCampaign, unitCode: string | undefined): Promise<Unit[]> {
  const rootCode = unitCode ?? campaign.definition.owner.unit_code;
  const root = rootCode ? await repositories.units.findByCode(rootCode) : null;
  if (!root) throw new CliError(rootCode ? `unknown unit: ${rootCode}` : "the campaign names no owner unit: give --unit <code>");
  return repositories.pledgeReports.unitSubtree(root.id);
}

/** Runs `write` on a partial file beside `out`, then renames it to `out`; on failure removes it (a CliError for a file system error). */
export async function writeExportFile<T>(out: string, write: (partial: string) => Promise<T>): Promise<T> {
  const partial = path.join(path.dirname(out), `.${path.basename(out)}.${process.pid}.partial`);
  try {
    const result = await write(partial);
    await rename(partial, out);
    return result;
  } catch (e) {
    await rm(partial, { force: true });
    const code = (e as NodeJS.ErrnoException).code;
    if (code) throw new CliError(`cannot write ${out}: ${code}`);
    throw e;
  }
}
