// `invite create --role officer --unit <code> [--days 7]`: prints the one-time code on its last line.
import { DEFAULT_TIMEZONE, formatDateVi, isValidTimeZone, localDate, localTime } from "../domain/clock.js";
import { generateInviteCode, hashInviteCode, INVITE_VALID_DAYS } from "../app/invite-codes.js";
import { PrismaInviteRepository } from "../db/invite-repository.js";
import { PrismaUnitRepository } from "../db/unit-repository.js";
import { CliError, parseOptions, type Command } from "./cli.js";

export const inviteCreate: Command = {
  name: "invite create",
  usage: "--role officer --unit <code> [--days 7]",
  summary: "create a one-time invitation code; the person sends /canbo <code> to the bot",
  async run(ctx) {
    const { values, positionals } = parseOptions(this, ctx.args, {
      role: { type: "string" },
      unit: { type: "string" },
      days: { type: "string" },
    });
    if (positionals.length > 0) throw new CliError(`unexpected argument: ${positionals[0]}\nusage: invite create ${this.usage}`);
    if (values.role !== "officer") throw new CliError(`--role must be officer\nusage: invite create ${this.usage}`);
    if (!values.unit) throw new CliError(`--unit <code> is required\nusage: invite create ${this.usage}`);
    const days = values.days === undefined ? INVITE_VALID_DAYS : Number(values.days);
    if (!Number.isInteger(days) || days < 1 || days > INVITE_VALID_DAYS) {
      throw new CliError(`--days must be a whole number from 1 to ${INVITE_VALID_DAYS}`);
    }
    const db = await ctx.database();
    const unit = await new PrismaUnitRepository(db.prisma).findByCode(values.unit);
    if (!unit) throw new CliError(`unknown unit code: ${values.unit} (import units first: units import <file.csv>)`);
    const code = generateInviteCode();
    const expiresAt = new Date(Date.now() + days * 24 * 60 * 60 * 1000);
    await new PrismaInviteRepository(db.prisma).create({ codeHash: hashInviteCode(code), role: "officer", unitId: unit.id, expiresAt });
    // The campaign clock's local time, as the officer reads dates everywhere else (not UTC).
    const zone = ctx.env.BOT_TIMEZONE?.trim() && isValidTimeZone(ctx.env.BOT_TIMEZONE.trim()) ? ctx.env.BOT_TIMEZONE.trim() : DEFAULT_TIMEZONE;
    const until = `${formatDateVi(localDate(expiresAt, zone))} ${localTime(expiresAt, zone)} (${zone})`;
    ctx.io.out(`officer invitation for ${unit.name} (${unit.code}), valid until ${until}; the person sends: /canbo ${code}`);
    ctx.io.out(code);
    return 0;
  },
};
