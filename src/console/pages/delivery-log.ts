// Nhật ký gửi: the plan's scheduled events with what the planner did (planned for N people, or skipped with the
// reason), the outbox's counts per event (delivered, failed, blocked, skipped, waiting), and the failures grouped by
// the platform's own reason. The audit log of officers' actions (federation level only) is here too.
import { broadcastEventKey } from "../../app/broadcast-dispatch.js";
import { campaignEvents } from "../../domain/schedule.js";
import { consoleCampaign } from "../campaign.js";
import { ConsoleAnswer, htmlResponse, type ConsoleOptions } from "../context.js";
import { dateTime, eventSubject, num, skipReason } from "../format.js";
import { html, join } from "../html.js";
import { CONSOLE_PATH, isFederation, page } from "../layout.js";
import type { ConsolePage } from "../routes.js";

const FAILURE_ROWS = 50;
const AUDIT_ROWS = 200;

export function deliveryLogPages(options: ConsoleOptions): ConsolePage[] {
  const { store } = options;

  const log: ConsolePage = {
    method: "GET",
    path: `${CONSOLE_PATH}/log`,
    handler: async (c, r) => {
      const { tr, locale } = r;
      const { campaign, all } = await consoleCampaign(store.campaigns, r.now, r.timezone, c.req.query("campaign"));
      if (!campaign) return String(page(r, "log", tr("console.nav.log"), html`<p>${tr("console.noCampaign")}</p>`));
      const records = (await store.plannedEvents.list(campaign.id)).sort((a, b) => b.dueAt.getTime() - a.dueAt.getTime());
      const events = new Map(campaignEvents(campaign.definition, r.timezone).map((e) => [e.key, e]));
      const counts = await store.queries.eventCounts(records.map((e) => e.key));
      // Below the federation level, only failures of this plan's pushes and of the scope's own broadcasts.
      const allowed = isFederation(r.principal)
        ? null
        : new Set([...records.map((e) => e.key), ...(await store.queries.broadcastsFor([...r.principal.unitIds], 1000)).map((b) => broadcastEventKey(b.id))]);
      const failures = (await store.queries.failures(allowed ? 10 * FAILURE_ROWS : FAILURE_ROWS)).filter((f) => !allowed || allowed.has(f.eventKey)).slice(0, FAILURE_ROWS);
      const upcoming = [...events.values()].filter((e) => e.at > r.now && !records.some((rec) => rec.key === e.key)).slice(0, 10);
      const body = html`${all.length > 1 ? html`<form method="get" class="card inline"><div><label for="l-campaign">${tr("console.pledges.campaign")}</label><select id="l-campaign" name="campaign">${join(all.map((p) => html`<option value="${p.slug}"${p.id === campaign.id ? html` selected` : html``}>${p.definition.owner.short_name} ${p.definition.year} (${p.slug})</option>`))}</select></div><div><button type="submit">${tr("console.pledges.apply")}</button></div></form>` : html``}
<section class="card"><h2>${tr("console.log.events", { count: records.length })}</h2>
${records.length === 0 ? html`<p>${tr("console.log.none")}</p>` : html`<div class="table-wrap"><table data-testid="planned-events">
  <thead><tr><th scope="col">${tr("console.col.when")}</th><th scope="col">${tr("console.log.event")}</th><th scope="col">${tr("console.log.state")}</th><th scope="col" class="num">${tr("console.delivery.sent")}</th><th scope="col" class="num">${tr("console.delivery.failed")}</th><th scope="col" class="num">${tr("console.delivery.blocked")}</th><th scope="col" class="num">${tr("console.delivery.skipped")}</th><th scope="col" class="num">${tr("console.delivery.pending")}</th></tr></thead>
  <tbody>${join(
    records.map((rec) => {
      const e = events.get(rec.key);
      const n = counts.get(rec.key);
      return html`<tr><td>${dateTime(rec.dueAt, r.timezone)}</td><td>${tr(`console.event.${rec.eventType}`)} ${e ? eventSubject(e, locale) : ""}</td><td>${rec.status === "planned" ? tr("console.log.state.planned", { count: rec.recipients }) : html`${tr("console.log.state.skipped")}: ${skipReason(rec.reason, rec.plannedAt, tr, r.timezone)}`}</td><td class="num">${num(locale, n?.sent ?? 0)}</td><td class="num">${num(locale, n?.failed ?? 0)}</td><td class="num">${num(locale, n?.blocked ?? 0)}</td><td class="num">${num(locale, n?.skipped ?? 0)}</td><td class="num">${num(locale, (n?.pending ?? 0) + (n?.sending ?? 0))}</td></tr>`;
    }),
  )}</tbody></table></div>`}
</section>
<section class="card"><h2>${tr("console.log.next")}</h2>
${upcoming.length === 0 ? html`<p>${tr("console.overview.soonNone")}</p>` : html`<ul>${join(upcoming.map((e) => html`<li>${dateTime(e.at, r.timezone)} — ${tr(`console.event.${e.type}`)} ${eventSubject(e, locale)} — ${tr("console.log.state.upcoming")}</li>`))}</ul>`}
</section>
<section class="card"><h2>${tr("console.log.failures")}</h2>
${failures.length === 0 ? html`<p>${tr("console.log.noFailures")}</p>` : html`<div class="table-wrap"><table data-testid="failures">
  <thead><tr><th scope="col">${tr("console.log.event")}</th><th scope="col">${tr("console.log.state")}</th><th scope="col">${tr("console.log.reason")}</th><th scope="col" class="num">${tr("console.log.people")}</th></tr></thead>
  <tbody>${join(failures.map((f) => html`<tr><td><span class="code">${f.eventKey}</span></td><td>${tr(`console.delivery.${f.status}`)}</td><td>${f.error}</td><td class="num">${num(locale, f.count)}</td></tr>`))}</tbody></table></div>`}
</section>`;
      return String(page(r, "log", tr("console.nav.log"), body));
    },
  };

  const audit: ConsolePage = {
    method: "GET",
    path: `${CONSOLE_PATH}/audit`,
    handler: async (_c, r) => {
      const { tr } = r;
      if (!isFederation(r.principal)) throw new ConsoleAnswer(htmlResponse(String(page(r, "overview", tr("console.nav.audit"), html`<div class="error" role="alert"><p>${tr("console.audit.federationOnly")}</p></div>`)), 403));
      const entries = await store.queries.auditLog(AUDIT_ROWS);
      const body = html`<section class="card"><div class="table-wrap"><table data-testid="audit">
  <thead><tr><th scope="col">${tr("console.col.when")}</th><th scope="col">${tr("console.audit.who")}</th><th scope="col">${tr("console.audit.what")}</th><th scope="col">${tr("console.audit.detail")}</th></tr></thead>
  <tbody>${join(entries.map((e) => html`<tr><td>${dateTime(e.at, r.timezone)}</td><td>${e.actorName} <span class="code">${e.actor}</span></td><td>${tr(`console.audit.action.${e.action}`)}</td><td><span class="code">${Object.entries(e.detail).map(([k, v]) => `${k}=${typeof v === "object" ? JSON.stringify(v) : String(v)}`).join(" ")}</span></td></tr>`))}</tbody>
</table></div></section>`;
      return String(page(r, "audit", tr("console.nav.audit"), body));
    },
  };

  return [log, audit];
}
