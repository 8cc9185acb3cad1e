// `console link [--unit <code>]`: a one-time console login link (15 minutes, works once) for first-time setup, when
// no officer exists yet to send /quanly. Its scope is the whole unit tree, or the unit's subtree. The link is the
// last line (for scripts); it is a secret and goes to this terminal only.
import { DEFAULT_TIMEZONE, formatDateVi, isValidTimeZone, localDate, localTime } from "../domain/clock.js";
import { createRepositories } from "../db/index.js";
import { consoleBaseUrl, issueConsoleLink } from "../console/links.js";
import { setupSubject } from "../console/principal.js";
import { WebSessions } from "../http/sessions/web-sessions.js";
import { CliError, parseOptions, type Command } from "./cli.js";

export const consoleLink: Command = {
  name: "console link",
  usage: "[--unit <code>]",
  summary: "print a one-time web console login link (15 minutes, works once): the whole unit tree, or a unit's subtree",
  async run(ctx) {
    const { values, positionals } = parseOptions(this, ctx.args, { unit: { type: "string" } });
    if (positionals.length > 0) throw new CliError(`unexpected argument: ${positionals[0]}\nusage: console link ${this.usage}`);
    const r = createRepositories(await ctx.database());
    let scope = "the whole unit tree";
    if (values.unit !== undefined) {
      const unit = await r.units.findByCode(values.unit);
      if (!unit) throw new CliError(`unknown unit code: ${values.unit} (import units first: units import <file.csv>)`);
      scope = `${unit.name} (${unit.code}) and its subtree`;
    }
    const port = Number(ctx.env.PORT ?? 3000);
    const publicUrl = ctx.env.PUBLIC_URL?.trim() || undefined;
    if (publicUrl !== undefined && !/^https?:\/\//.test(publicUrl)) throw new CliError(`PUBLIC_URL must start with http:// or https://`);
    const link = await issueConsoleLink(new WebSessions({ repository: r.webSessions }), setupSubject(values.unit ?? null), consoleBaseUrl(publicUrl, Number.isInteger(port) && port > 0 ? port : 3000));
    const zone = ctx.env.BOT_TIMEZONE?.trim() && isValidTimeZone(ctx.env.BOT_TIMEZONE.trim()) ? ctx.env.BOT_TIMEZONE.trim() : DEFAULT_TIMEZONE;
    ctx.io.out(`console link for ${scope}; works once, until ${formatDateVi(localDate(link.expiresAt, zone))} ${localTime(link.expiresAt, zone)} (${zone}); open it in a browser:`);
    ctx.io.out(link.url);
    return 0;
  },
};
