// The "/" command menus Telegram shows: the Vietnamese aliases for everyone (default scope, no language_code),
// the English names for people whose Telegram is in English. Descriptions come from locales (menu.<command>).
import { COMMANDS, type CommandName } from "../../app/commands.js";
import { t } from "../../app/i18n.js";
import type { Locale } from "../../app/ports.js";

export interface BotCommand {
  command: string;
  description: string;
}

export interface CommandMenu {
  /** undefined: the default menu (every language without a menu of its own). */
  languageCode?: "en";
  commands: BotCommand[];
}

/** The name shown in `locale`'s menu: the first Vietnamese alias, or the English name when there is none. */
function menuName(name: CommandName, locale: Locale): string {
  const aliases: readonly string[] = COMMANDS[name];
  return locale === "vi" ? (aliases[0] ?? name) : name;
}

/**
 * Both menus. A command without a `menu.<command>` text is left out of the menus and reported in `missing`
 * (so a command added to COMMANDS without its description cannot stop the channel from starting).
 */
export function commandMenus(): { menus: CommandMenu[]; missing: string[] } {
  const missing: string[] = [];
  const build = (locale: Locale): BotCommand[] =>
    (Object.keys(COMMANDS) as CommandName[]).flatMap((name) => {
      try {
        return [{ command: menuName(name, locale), description: t(locale, `menu.${name}`) }];
      } catch {
        missing.push(`menu.${name}`);
        return [];
      }
    });
  const menus: CommandMenu[] = [{ commands: build("vi") }, { languageCode: "en", commands: build("en") }];
  return { menus, missing: [...new Set(missing)] };
}
