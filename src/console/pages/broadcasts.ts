// Thông báo: compose a multi-line announcement, choose the audience (my subtree / officers only / one unit / those
// who have not registered in the current phase), preview it as recipients read it with their count, send now or at
// a date and time (moved out of quiet hours), and follow the delivery live. The federation level can send the
// campaign's launch announcement from here too. Delivery is the bot's own: broadcast-dispatch and the outbox.
import { audienceFilter, BROADCAST_MAX_TEXT, enqueueBroadcast, renderBroadcast } from "../../app/broadcast-dispatch.js";
import { createPlanner } from "../../app/planner.js";
import type { BroadcastAudience, BroadcastRecord, NotificationStatus } from "../../app/ports.js";
import { phaseAt } from "../../domain/calendar.js";
import { atLocalTime } from "../../domain/clock.js";
import { nextAllowed } from "../../domain/quiet-hours.js";
import { campaignEvents } from "../../domain/schedule.js";
import { isIsoDate as isDate } from "../../domain/campaign.js";
import { consoleCampaign } from "../campaign.js";
import { ConsoleAnswer, field, htmlResponse, redirect, type ConsoleOptions, type ConsoleRequest } from "../context.js";
import { dateTime, num } from "../format.js";
import { html, join } from "../html.js";
import { CONSOLE_PATH, csrfField, isFederation, page } from "../layout.js";
import type { ConsolePage } from "../routes.js";
import { subtreeOf } from "../scope.js";

const AUDIENCES: BroadcastAudience[] = ["subtree", "officers", "unit", "unregistered"];
/** How far ahead a broadcast may be scheduled. */
const MAX_AHEAD_MS = 90 * 24 * 3_600_000;
const STATUSES: NotificationStatus[] = ["sent", "failed", "blocked", "skipped", "pending", "sending"];


export function broadcastPages(options: ConsoleOptions): ConsolePage[] {
  const { store } = options;
  const dispatch = { ...store, logger: options.logger };

  const refuse = (r: ConsoleRequest, message: string, status = 400) =>
    new ConsoleAnswer(htmlResponse(String(page(r, "broadcasts", r.tr("console.nav.broadcasts"), html`<div class="error" role="alert"><p>${message}</p></div><p><a href="${CONSOLE_PATH}/broadcasts">${r.tr("console.back")}</a></p>`)), status));

  /** The broadcast, if it belongs to this scope (its unit inside it). */
  const findInScope = async (r: ConsoleRequest, idText: string): Promise<BroadcastRecord> => {
    const b = /^\d{1,9}$/.test(idText) ? await store.broadcasts.find(Number(idText)) : null;
    if (!b || b.unitId === null || !r.principal.unitIds.has(b.unitId)) throw refuse(r, r.tr("console.broadcasts.notFound"), 404);
    return b;
  };

  const audienceLabel = (r: ConsoleRequest, b: Pick<BroadcastRecord, "audience" | "unitId">) => {
    const unit = r.principal.units.find((u) => u.id === b.unitId);
    return r.tr(`console.broadcasts.audience.${b.audience}`, { unit: unit ? `${unit.name} (${unit.code})` : "" });
  };

  const compose = (r: ConsoleRequest, values: { text?: string; audience?: string; unit?: string; when?: string; date?: string; time?: string } = {}) => {
    const { tr } = r;
    if (r.principal.subscriberId === null) return html`<section class="card"><h2>${tr("console.broadcasts.compose")}</h2><p>${tr("console.broadcasts.officerOnly")}</p></section>`;
    const checked = (a: string, v: string | undefined, dflt: boolean) => ((v ?? (dflt ? a : "")) === a ? html` checked` : html``);
    return html`<form method="post" action="${CONSOLE_PATH}/broadcasts/preview" class="card">
  <h2>${tr("console.broadcasts.compose")}</h2>
  ${csrfField(r)}
  <label for="text">${tr("console.broadcasts.text")}</label>
  <textarea id="text" name="text" maxlength="${BROADCAST_MAX_TEXT}" required aria-describedby="text-help">${values.text ?? ""}</textarea>
  <p id="text-help" class="muted">${tr("console.broadcasts.textHelp", { max: BROADCAST_MAX_TEXT })}</p>
  <fieldset class="radio"><legend>${tr("console.broadcasts.audience")}</legend>
    ${join(AUDIENCES.map((a) => html`<label><input type="radio" name="audience" value="${a}"${checked(a, values.audience, a === "subtree")}> ${tr(`console.broadcasts.choose.${a}`)}</label>`))}
    <label for="b-unit">${tr("console.broadcasts.unit")}</label>
    <select id="b-unit" name="unit">${join(r.principal.units.slice(0, 2000).map((u) => html`<option value="${u.code}"${u.code === values.unit ? html` selected` : html``}>${u.name} (${u.code})</option>`))}</select>
  </fieldset>
  <fieldset class="radio"><legend>${tr("console.broadcasts.when")}</legend>
    <label><input type="radio" name="when" value="now"${checked("now", values.when, true)}> ${tr("console.broadcasts.now")}</label>
    <label><input type="radio" name="when" value="later"${checked("later", values.when, false)}> ${tr("console.broadcasts.later")}</label>
    <div class="inline"><div><label for="b-date">${tr("console.broadcasts.date")}</label><input type="date" id="b-date" name="date" value="${values.date ?? ""}"></div><div><label for="b-time">${tr("console.broadcasts.time")}</label><input type="time" id="b-time" name="time" value="${values.time ?? ""}"></div></div>
    <p class="muted">${tr("console.broadcasts.quiet", { start: options.quietHours.start, end: options.quietHours.end })}</p>
  </fieldset>
  <p><button type="submit">${tr("console.broadcasts.preview")}</button></p>
</form>`;
  };

  const list: ConsolePage = {
    method: "GET",
    path: `${CONSOLE_PATH}/broadcasts`,
    handler: async (c, r) => {
      const { tr, locale } = r;
      const recent = await store.queries.broadcastsFor([...r.principal.unitIds], 20);
      const counts = await Promise.all(recent.map((b) => store.outbox.countByStatus({ broadcastId: b.id })));
      const { campaign } = await consoleCampaign(store.campaigns, r.now, r.timezone);
      const launched = c.req.query("launched");
      const body = html`${launched !== undefined ? html`<p class="notice" role="status">${tr("console.broadcasts.launchQueued", { count: num(locale, Number(launched) || 0) })}</p>` : html``}
${compose(r)}
${isFederation(r.principal) && campaign ? html`<form method="post" action="${CONSOLE_PATH}/broadcasts/launch" class="card" data-confirm="${tr("console.broadcasts.launchConfirm")}">
  <h2>${tr("console.broadcasts.launch")}</h2>
  ${csrfField(r)}<input type="hidden" name="campaign" value="${campaign.slug}">
  <p>${tr("console.broadcasts.launchHelp", { plan: campaign.definition.title })}</p>
  <p><button type="submit" class="secondary">${tr("console.broadcasts.launchSend")}</button></p>
</form>` : html``}
<section class="card"><h2>${tr("console.broadcasts.recent")}</h2>
${recent.length === 0 ? html`<p>${tr("console.overview.broadcastsNone")}</p>` : html`<div class="table-wrap"><table>
  <thead><tr><th scope="col">${tr("console.col.when")}</th><th scope="col">${tr("console.col.text")}</th><th scope="col">${tr("console.broadcasts.audience")}</th><th scope="col" class="num">${tr("console.col.delivered")}</th><th scope="col" class="num">${tr("console.col.failed")}</th><th scope="col" class="num">${tr("console.col.blocked")}</th></tr></thead>
  <tbody>${join(recent.map((b, i) => html`<tr><td><a href="${CONSOLE_PATH}/broadcasts/${b.id}">${dateTime(b.sendAt ?? b.confirmedAt ?? b.createdAt, r.timezone)}</a></td><td>${b.text.length > 60 ? `${b.text.slice(0, 59)}…` : b.text}</td><td>${audienceLabel(r, b)}</td><td class="num">${counts[i]!.sent}</td><td class="num">${counts[i]!.failed}</td><td class="num">${counts[i]!.blocked}</td></tr>`))}</tbody></table></div>`}
</section>`;
      return String(page(r, "broadcasts", tr("console.nav.broadcasts"), body));
    },
  };

  const preview: ConsolePage = {
    method: "POST",
    path: `${CONSOLE_PATH}/broadcasts/preview`,
    handler: async (_c, r) => {
      const { tr, locale, principal } = r;
      const values = { text: field(r.form, "text").replace(/\r\n/g, "\n").normalize("NFC").trim(), audience: field(r.form, "audience"), unit: field(r.form, "unit"), when: field(r.form, "when"), date: field(r.form, "date"), time: field(r.form, "time") };
      const again = (message: string) => new Response(String(page(r, "broadcasts", tr("console.nav.broadcasts"), html`<div class="error" role="alert"><p>${message}</p></div>${compose(r, values)}`)), { status: 400, headers: { "content-type": "text/html; charset=utf-8" } });
      if (principal.subscriberId === null) return again(tr("console.broadcasts.officerOnly"));
      if (values.text === "") return again(tr("console.broadcasts.empty"));
      if ([...values.text].length > BROADCAST_MAX_TEXT) return again(tr("console.broadcasts.tooLong", { max: BROADCAST_MAX_TEXT }));
      const audience = AUDIENCES.find((a) => a === values.audience);
      if (!audience) return again(tr("console.broadcasts.chooseAudience"));
      const root = principal.roots[0]!;
      let unitId = root.id;
      if (audience === "unit") {
        const unit = principal.units.find((u) => u.code === values.unit);
        if (!unit) return again(tr("console.broadcasts.chooseUnit"));
        unitId = unit.id;
      }
      let campaignId: number | null = null;
      let phaseNumber: number | null = null;
      if (audience === "unregistered") {
        const { campaign, running } = await consoleCampaign(store.campaigns, r.now, r.timezone);
        const at = campaign && running ? phaseAt(campaign.definition, r.now, r.timezone) : null;
        if (!campaign || !at || at.kind !== "in") return again(tr("console.broadcasts.noPhase"));
        campaignId = campaign.id;
        phaseNumber = at.phase.number;
      }
      let sendAt: Date | null = null;
      let moved = false;
      if (values.when === "later") {
        if (!isDate(values.date) || !/^([01]\d|2[0-3]):[0-5]\d$/.test(values.time)) return again(tr("console.broadcasts.badWhen"));
        const wanted = atLocalTime(values.date, values.time, r.timezone);
        if (wanted.getTime() <= r.now.getTime() || wanted.getTime() - r.now.getTime() > MAX_AHEAD_MS) return again(tr("console.broadcasts.whenRange"));
        sendAt = nextAllowed(wanted, r.timezone, options.quietHours);
        moved = sendAt.getTime() !== wanted.getTime();
      } else {
        const allowed = nextAllowed(r.now, r.timezone, options.quietHours);
        moved = allowed.getTime() !== r.now.getTime();
        if (moved) sendAt = allowed;
      }
      const record = { audience, unitId, campaignId, phaseNumber };
      const scope = audience === "unit" ? [] : subtreeOf(principal.units, root.id);
      const recipients = await store.recipients.count(audienceFilter(record, scope));
      const draft = await store.broadcasts.createDraft({ senderId: principal.subscriberId, audience, unitId, text: values.text, recipients, now: r.now, sendAt, campaignId, phaseNumber });
      const body = html`<section class="card">
  <p role="status" data-testid="recipients">${tr("console.broadcasts.recipients", { count: num(locale, recipients), audience: audienceLabel(r, record) })}</p>
  <p>${sendAt ? tr("console.broadcasts.at", { when: dateTime(sendAt, r.timezone) }) : tr("console.broadcasts.atOnce")}${moved ? html` <strong>${tr("console.broadcasts.moved")}</strong>` : html``}</p>
  <pre class="source message-text" data-testid="rendered">${renderBroadcast(locale, root.name, values.text)}</pre>
  ${recipients === 0 ? html`<p class="error">${tr("console.broadcasts.nobody")}</p>` : html``}
  <form method="post" action="${CONSOLE_PATH}/broadcasts/${draft.id}/send">${csrfField(r)}<button type="submit"${recipients === 0 ? html` disabled` : html``}>${sendAt ? tr("console.broadcasts.schedule") : tr("console.broadcasts.send")}</button> <a href="${CONSOLE_PATH}/broadcasts">${tr("console.cancel")}</a></form>
</section>`;
      return String(page(r, "broadcasts", tr("console.broadcasts.previewTitle"), body));
    },
  };

  const send: ConsolePage = {
    method: "POST",
    path: `${CONSOLE_PATH}/broadcasts/:id/send`,
    handler: async (c, r) => {
      const b = await findInScope(r, c.req.param("id") ?? "");
      if (b.senderId !== r.principal.subscriberId) throw refuse(r, r.tr("console.broadcasts.notYours"), 403);
      // Confirmed exactly once: a second press (or a reload) changes nothing and shows the report.
      if (await store.broadcasts.confirm(b.id, r.now)) {
        const confirmed = (await store.broadcasts.find(b.id))!;
        const result = await enqueueBroadcast(dispatch, confirmed, r.now);
        await r.audit("broadcast-send", { broadcast: b.id, audience: b.audience, recipients: result.audience, sendAt: b.sendAt?.toISOString() ?? null });
      }
      return redirect(`${CONSOLE_PATH}/broadcasts/${b.id}`);
    },
  };

  const detail: ConsolePage = {
    method: "GET",
    path: `${CONSOLE_PATH}/broadcasts/:id`,
    handler: async (c, r) => {
      const { tr, locale } = r;
      const b = await findInScope(r, c.req.param("id") ?? "");
      const counts = await store.outbox.countByStatus({ broadcastId: b.id });
      const body = html`<section class="card" data-live-url="${CONSOLE_PATH}/broadcasts/${b.id}/status" aria-live="polite">
  <p>${audienceLabel(r, b)} · ${tr(`console.broadcasts.status.${b.status}`)}${b.sendAt ? html` · ${tr("console.broadcasts.at", { when: dateTime(b.sendAt, r.timezone) })}` : html``}</p>
  <pre class="source message-text">${b.text}</pre>
  <dl class="figures" data-testid="delivery">
    <dt>${tr("console.broadcasts.recipientsShort")}</dt><dd>${num(locale, b.recipients)}</dd>
    ${join(STATUSES.map((s) => html`<dt>${tr(`console.delivery.${s}`)}</dt><dd data-count="${s}">${num(locale, counts[s])}</dd>`))}
  </dl>
  <p class="muted">${tr("console.broadcasts.live")} <a href="${CONSOLE_PATH}/broadcasts/${b.id}">${tr("console.refresh")}</a></p>
</section>`;
      return String(page(r, "broadcasts", tr("console.broadcasts.report", { id: b.id }), body));
    },
  };

  const status: ConsolePage = {
    method: "GET",
    path: `${CONSOLE_PATH}/broadcasts/:id/status`,
    handler: async (c, r) => {
      const b = await findInScope(r, c.req.param("id") ?? "");
      const counts = await store.outbox.countByStatus({ broadcastId: b.id });
      return new Response(JSON.stringify({ status: b.status, counts: Object.fromEntries(STATUSES.map((s) => [s, num(r.locale, counts[s])])) }), { headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" } });
    },
  };

  const launch: ConsolePage = {
    method: "POST",
    path: `${CONSOLE_PATH}/broadcasts/launch`,
    handler: async (_c, r) => {
      if (!isFederation(r.principal)) throw refuse(r, r.tr("console.broadcasts.launchFederation"), 403);
      const campaign = await store.campaigns.findBySlug(field(r.form, "campaign"));
      if (!campaign) throw refuse(r, r.tr("console.noCampaign"));
      const planner = createPlanner({ ...store, timezone: r.timezone, quietHours: options.quietHours, graceMs: 24 * 3_600_000, logger: options.logger });
      const event = campaignEvents(campaign.definition, r.timezone).find((e) => e.type === "launch")!;
      // Keyed per campaign and person in the outbox: sent again, nobody gets it twice.
      const queued = await planner.planNow(campaign, event, r.now);
      await r.audit("launch-announce", { campaign: campaign.slug, queued });
      return redirect(`${CONSOLE_PATH}/broadcasts?launched=${queued}`);
    },
  };

  return [list, preview, launch, send, status, detail];
}
