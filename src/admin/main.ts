// The admin CLI's entry: `npm run admin -- <command>` (tsx) or `node dist/admin/main.js <command>` (compiled).
import { runCli } from "./cli.js";
import { COMMANDS } from "./commands.js";

process.exitCode = await runCli(
  process.argv.slice(2),
  COMMANDS,
  { out: (line) => process.stdout.write(`${line}\n`), err: (line) => process.stderr.write(`${line}\n`) },
  process.env,
);
