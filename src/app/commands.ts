// Chat commands: one canonical English name each, with its Vietnamese alias. Telegram allows only [a-z0-9_].
export const COMMANDS = {
  start: [],
  help: ["trogiup"],
  theme: ["chude"],
  phases: ["dot"],
  events: ["ngayle"],
  pledge: ["dangky"],
  mypledges: ["camket"],
  unit: ["donvi"],
  lang: ["ngonngu"],
  cancel: ["huy"],
  stop: ["ngung"],
  erase: ["xoadulieu"],
  officer: ["canbo"],
  stats: ["thongke"],
  export: ["xuat"],
  broadcast: ["thongbao"],
  approve: ["duyet"],
  results: ["ketqua"],
  report: ["baocao"],
  console: ["quanly"],
} as const satisfies Record<string, readonly string[]>;

export type CommandName = keyof typeof COMMANDS;

/** Commands only union officers may use; members get a polite refusal. */
export const OFFICER_COMMANDS: ReadonlySet<CommandName> = new Set<CommandName>(["stats", "export", "broadcast", "approve", "report", "console"]);

/** Guided flows only officers may be in: one whose officer role was revoked mid-way is ended, not answered. */
export const OFFICER_FLOWS: ReadonlySet<string> = new Set(["broadcast", "approve-return", "approve-all", "report", "list-return"]);

export interface ParsedCommand {
  /** Canonical name, or null for a command we do not know. */
  name: CommandName | null;
  /** As typed, lower-cased, without the slash or @botname: for messages about unknown commands. */
  typed: string;
  args: string;
}

const aliasToName = new Map<string, CommandName>(
  (Object.entries(COMMANDS) as [CommandName, readonly string[]][]).flatMap(([name, aliases]) => [
    [name, name] as const,
    ...aliases.map((alias) => [alias, name] as const),
  ]),
);

/** `/chude@my_bot args` → { name: "theme", typed: "chude", args }; null for text that is not a command. */
export function parseCommand(text: string): ParsedCommand | null {
  const match = /^\/([A-Za-z0-9_]+)(?:@[A-Za-z0-9_]+)?(?:\s+([\s\S]*))?$/.exec(text.trim());
  if (!match) return null;
  const typed = match[1]!.toLowerCase();
  return { name: aliasToName.get(typed) ?? null, typed, args: (match[2] ?? "").trim() };
}
