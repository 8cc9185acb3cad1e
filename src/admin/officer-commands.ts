// `officer list [--all]` and `officer revoke <subscriber|code>`: who holds officer grants, and ending one. A revoked
// officer loses the officer commands at once and is told by the running bot (through the outbox).
import { hashInviteCode } from "../app/invite-codes.js";
import { revokeOfficer } from "../app/officer-revocation.js";
import type { OfficerGrantTarget } from "../app/ports.js";
import { createRepositories } from "../db/index.js";
import { CliError, parseOptions, plural, positionals, subscriberRef, type Command } from "./cli.js";

export const officerList: Command = {
  name: "officer list",
  usage: "[--all]",
  summary: "list officer grants (subscriber, unit, since when, which invitation); --all includes revoked ones",
  async run(ctx) {
    const { values, positionals } = parseOptions(this, ctx.args, { all: { type: "boolean" } });
    if (positionals.length > 0) throw new CliError(`unexpected argument: ${positionals[0]}\nusage: officer list ${this.usage}`);
    const r = createRepositories(await ctx.database());
    const grants = await r.officerGrants.list({ includeRevoked: values.all === true });
    if (grants.length === 0) {
      ctx.io.out(values.all ? "no officer grant" : "no live officer grant");
      return 0;
    }
    for (const g of grants) {
      const subscriber = await r.subscribers.findById(g.subscriberId);
      const unit = await r.units.findById(g.unitId);
      const who = subscriber ? `subscriber ${g.subscriberId} (${subscriber.channel}${subscriber.displayName ? `, ${subscriber.displayName}` : ""})` : `subscriber ${g.subscriberId} (gone)`;
      const state = g.revokedAt ? `revoked ${g.revokedAt.toISOString()} by ${g.revokedBy ?? "?"}` : "live";
      ctx.io.out(`grant ${g.id}: ${who} — ${unit ? `${unit.name} (${unit.code})` : `unit ${g.unitId}`} — since ${g.grantedAt.toISOString()} — ${g.inviteId === null ? "no invitation" : `invitation ${g.inviteId}`} — ${state}`);
    }
    ctx.io.out(plural(grants.length, "grant", "grants"));
    return 0;
  },
};

export const officerRevoke: Command = {
  name: "officer revoke",
  usage: "<subscriber id | channel:chat id | invitation code>",
  summary: "revoke an officer's grants at once; the person is told by the running bot",
  async run(ctx) {
    const arg = positionals(this, ctx.args, 1)[0]!.trim();
    const r = createRepositories(await ctx.database());
    let target: OfficerGrantTarget;
    let what: string;
    const ref = subscriberRef(arg);
    if (ref && "subscriberId" in ref) {
      target = ref;
      what = `subscriber ${arg}`;
    } else if (ref) {
      const subscriber = await r.subscribers.find(ref.channel, ref.chatId);
      if (!subscriber) throw new CliError(`no subscriber ${arg}`);
      target = { subscriberId: subscriber.id };
      what = `subscriber ${subscriber.id}`;
    } else {
      // The code the officer redeemed (as printed by invite create); only its hash is stored and compared.
      target = { inviteCodeHash: hashInviteCode(arg) };
      what = "that invitation";
    }
    const { revoked, notified } = await revokeOfficer(r, target, "admin", new Date());
    if (revoked.length === 0) throw new CliError(`no live officer grant for ${what} (see: officer list)`);
    for (const g of revoked) ctx.io.out(`revoked grant ${g.id}: subscriber ${g.subscriberId}, unit ${g.unitId}`);
    ctx.io.out(`${plural(revoked.length, "grant", "grants")} revoked; ${plural(notified, "message", "messages")} queued to tell the person (sent by the running bot)`);
    return 0;
  },
};
