// npm run admin -- <command> [arguments]   (`npm run admin -- help` lists the commands)
import { runCli } from "../src/admin/cli.js";
import { COMMANDS } from "../src/admin/commands.js";

process.exitCode = await runCli(
  process.argv.slice(2),
  COMMANDS,
  { out: (line) => process.stdout.write(`${line}\n`), err: (line) => process.stderr.write(`${line}\n`) },
  process.env,
);
