// The admin CLI core: a table of commands (src/admin/commands.ts), each a small module. scripts/admin.ts is the
// entry (`npm run admin -- <command> …`). Output is for the person at the terminal, in English: results on stdout,
// problems on stderr; exit code 0 on success, 1 on any problem.
import { parseArgs } from "node:util";
import type { ChannelName } from "../app/ports.js";
import { openDatabase, type OpenDatabase } from "../db/client.js";
import { migrate } from "../db/migrator.js";

export const DEFAULT_DATABASE_URL = "file:./data/congdoan-bot.db";

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
}

export interface CommandContext {
  /** The arguments after the command words. */
  args: string[];
  io: CliIo;
  env: NodeJS.ProcessEnv;
  /** Opens DATABASE_URL (default file:./data/congdoan-bot.db) after applying pending migrations; opened once, closed by the CLI. */
  database(): Promise<OpenDatabase>;
}

export interface Command {
  /** The command words, e.g. "campaign load". */
  name: string;
  /** Arguments after the name, e.g. "<file.yaml>". */
  usage: string;
  summary: string;
  /** Returns the exit code. Throw CliError for a one-line failure. */
  run(ctx: CommandContext): Promise<number>;
}

/** A problem to report as one line on stderr, exit code 1. */
export class CliError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CliError";
  }
}

type OptionSpec = Record<string, { type: "string" | "boolean"; short?: string; multiple?: boolean }>;

/** `--name value` options and positionals of a command, with a CliError naming the command on bad input. */
export function parseOptions<T extends OptionSpec>(command: Command, args: string[], options: T) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new CliError(`${e instanceof Error ? e.message : String(e)}\nusage: ${synopsis(command)}`);
  }
}

/** Exactly `count` positional arguments, else a usage error. */
export function positionals(command: Command, args: string[], count: number): string[] {
  const { positionals: found } = parseOptions(command, args, {});
  if (found.length !== count) throw new CliError(`usage: ${synopsis(command)}`);
  return found;
}

const CHANNELS: readonly ChannelName[] = ["telegram", "zalo", "web"];

/** A person as typed at the terminal: `<subscriber id>` or `<channel>:<chat id>`; null when it is neither. */
export function subscriberRef(arg: string): { subscriberId: number } | { channel: ChannelName; chatId: string } | null {
  if (/^\d+$/.test(arg)) return { subscriberId: Number(arg) };
  const channelChat = /^([a-z]+):(.+)$/.exec(arg);
  if (channelChat && CHANNELS.includes(channelChat[1] as ChannelName)) return { channel: channelChat[1] as ChannelName, chatId: channelChat[2]! };
  return null;
}

/** "1 phase", "2 phases". */
export function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

const synopsis = (c: Command) => (c.usage ? `${c.name} ${c.usage}` : c.name);

function usageText(commands: readonly Command[]): string[] {
  const width = Math.max(...commands.map((c) => synopsis(c).length));
  return [
    "usage: npm run admin -- <command> [arguments]",
    "",
    "commands:",
    ...commands.map((c) => `  ${synopsis(c).padEnd(width)}  ${c.summary}`),
    "",
    `DATABASE_URL selects the database (default ${DEFAULT_DATABASE_URL}); pending migrations are applied first.`,
  ];
}

/** The command whose words start `argv` (longest match first). */
function findCommand(commands: readonly Command[], argv: string[]): { command: Command; rest: string[] } | null {
  const sorted = [...commands].sort((a, b) => b.name.split(" ").length - a.name.split(" ").length);
  for (const command of sorted) {
    const words = command.name.split(" ");
    if (words.every((w, i) => argv[i] === w)) return { command, rest: argv.slice(words.length) };
  }
  return null;
}

export async function runCli(
  argv: string[],
  commands: readonly Command[],
  io: CliIo,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  if (argv.length === 0 || argv[0] === "help" || argv[0] === "--help" || argv[0] === "-h") {
    for (const line of usageText(commands)) (argv.length === 0 ? io.err : io.out)(line);
    return argv.length === 0 ? 1 : 0;
  }
  const found = findCommand(commands, argv);
  if (!found) {
    io.err(`unknown command: ${argv.join(" ")}`);
    for (const line of usageText(commands)) io.err(line);
    return 1;
  }

  let opened: OpenDatabase | null = null;
  const ctx: CommandContext = {
    args: found.rest,
    io,
    env,
    async database() {
      if (opened) return opened;
      const url = env.DATABASE_URL?.trim() || DEFAULT_DATABASE_URL;
      const result = await migrate(url);
      // stderr: stdout stays the command's own result (some commands print a value on their last line).
      for (const name of result.applied) io.err(`applied migration ${name}`);
      opened = openDatabase(url);
      return opened;
    },
  };
  try {
    return await found.command.run(ctx);
  } catch (e) {
    if (e instanceof CliError) {
      for (const line of e.message.split("\n")) io.err(line);
    } else {
      io.err(`${found.command.name} failed: ${e instanceof Error ? e.message : String(e)}`);
    }
    return 1;
  } finally {
    await (opened as OpenDatabase | null)?.close();
  }
}
