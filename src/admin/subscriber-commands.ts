// `subscriber erase <id | channel:chat id>`: the same erasure as /xoadulieu, for an officer acting on a person's
// written request. Prints what was deleted or anonymised — counts only.
import type { ChannelName } from "../app/ports.js";
import { createRepositories } from "../db/index.js";
import { CliError, positionals, subscriberRef, type Command } from "./cli.js";

export const subscriberErase: Command = {
  name: "subscriber erase",
  usage: "<subscriber id | channel:chat id>",
  summary: "erase a person's data (as /xoadulieu does): subscriber, session, browser sessions (web chat, console), notifications, officer grants deleted; pledges kept anonymous",
  async run(ctx) {
    const arg = positionals(this, ctx.args, 1)[0]!.trim();
    const ref = subscriberRef(arg);
    if (!ref) throw new CliError(`not a subscriber id or channel:chat id: ${arg}\nusage: subscriber erase ${this.usage}`);
    const r = createRepositories(await ctx.database());
    let chat: { channel: ChannelName; chatId: string };
    if ("subscriberId" in ref) {
      const subscriber = await r.subscribers.findById(ref.subscriberId);
      if (!subscriber) throw new CliError(`no subscriber ${arg} (already erased?)`);
      chat = subscriber;
    } else {
      chat = ref;
    }
    const report = await r.erasure.eraseChat(chat.channel, chat.chatId);
    ctx.io.out(
      `erased: ${report.subscriber} subscriber, ${report.sessions} session, ${report.webSessions} browser sessions, ${report.notifications} notifications, ${report.officerGrants} officer grants, ${report.broadcastDrafts} broadcast drafts deleted; ${report.pledgesAnonymised} pledges kept anonymous`,
    );
    return 0;
  },
};
