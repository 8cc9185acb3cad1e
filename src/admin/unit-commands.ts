// `units import <file.csv>`.
import { readFile } from "node:fs/promises";
import { PrismaUnitRepository } from "../db/unit-repository.js";
import { CliError, plural, positionals, type Command } from "./cli.js";
import { UNIT_COLUMNS, validateUnitsCsv } from "./units-csv.js";

export const unitsImport: Command = {
  name: "units import",
  usage: "<file.csv>",
  summary: `import the union's units (columns ${UNIT_COLUMNS.join(",")}); insert or update by code`,
  async run(ctx) {
    const [file] = positionals(this, ctx.args, 1) as [string];
    let text: string;
    try {
      text = await readFile(file, "utf8");
    } catch (e) {
      throw new CliError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    const db = await ctx.database();
    const units = new PrismaUnitRepository(db.prisma);
    const { rows, errors } = validateUnitsCsv(file, text, await units.parentCodes());
    if (errors.length > 0) {
      for (const error of errors) ctx.io.err(error);
      ctx.io.err(`nothing imported: ${plural(errors.length, "error", "errors")} in ${file}`);
      return 1;
    }
    const { created, updated } = await units.importAll(rows);
    ctx.io.out(`imported ${plural(rows.length, "unit", "units")} from ${file}: ${created} created, ${updated} updated`);
    return 0;
  },
};
