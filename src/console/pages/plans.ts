// Kế hoạch: the loaded plans; upload a YAML plan (validated as `campaign load`: every problem on its own line,
// nothing loaded from a file with any); roll a plan over to a new year (as `campaign rollover`); and the calendar of
// everything a plan will push, per day, with what the planner already did about each. Changing plans is for the
// federation level. The plan-document import (issue 13) plugs in at data-slot="plan-import".
import { parseCampaign } from "../../domain/campaign-parse.js";
import { rolloverCampaign } from "../../domain/campaign-rollover.js";
import { campaignStatus, phasesInOrder } from "../../domain/calendar.js";
import { formatDateVi } from "../../domain/clock.js";
import { campaignEvents } from "../../domain/schedule.js";
import { ConsoleAnswer, field, htmlResponse, redirect, type ConsoleOptions, type ConsoleRequest } from "../context.js";
import { dateTime, eventSubject, num, skipReason } from "../format.js";
import { html, join, type Html } from "../html.js";
import { CONSOLE_PATH, csrfField, isFederation, page } from "../layout.js";
import type { ConsolePage } from "../routes.js";

export function planPages(options: ConsoleOptions): ConsolePage[] {
  const { store } = options;

  const problemsPage = (r: ConsoleRequest, heading: string, problems: readonly string[], extra: Html = html``) =>
    new Response(
      String(page(r, "plans", r.tr("console.nav.plans"), html`<div class="error" role="alert"><p><strong>${heading}</strong></p><ul data-testid="plan-problems">${join(problems.map((p) => html`<li><code>${p}</code></li>`))}</ul></div>${extra}<p><a href="${CONSOLE_PATH}/plans">${r.tr("console.back")}</a></p>`)),
      { status: 400, headers: { "content-type": "text/html; charset=utf-8" } },
    );

  const federationOnly = (r: ConsoleRequest) => {
    if (!isFederation(r.principal)) throw new ConsoleAnswer(htmlResponse(String(page(r, "plans", r.tr("console.nav.plans"), html`<div class="error" role="alert"><p>${r.tr("console.plans.federationOnly")}</p></div>`)), 403));
  };

  const list: ConsolePage = {
    method: "GET",
    path: `${CONSOLE_PATH}/plans`,
    handler: async (c, r) => {
      const { tr, locale } = r;
      const plans = (await store.campaigns.listAll()).sort((a, b) => b.definition.year - a.definition.year || a.slug.localeCompare(b.slug));
      const done = c.req.query("loaded");
      const federation = isFederation(r.principal);
      const rows = plans.map((p) => {
        const def = p.definition;
        const phases = phasesInOrder(def);
        const status = campaignStatus(def, r.now, r.timezone).status;
        return html`<tr><td><a href="${CONSOLE_PATH}/plans/${encodeURIComponent(p.slug)}">${locale === "en" && def.title_en ? def.title_en : def.title}</a> <span class="code">${p.slug}</span></td><td>${def.owner.short_name}</td><td class="num">${def.year}</td><td>${formatDateVi(phases[0]!.start)} – ${formatDateVi(phases.at(-1)!.end)}</td><td class="num">${phases.length}</td><td>${tr(`console.plans.status.${status}`)}</td><td>${
          federation
            ? html`<form method="post" action="${CONSOLE_PATH}/plans/rollover" class="inline">${csrfField(r)}<input type="hidden" name="slug" value="${p.slug}"><div><label for="year-${p.id}">${tr("console.plans.toYear")}</label><input type="number" id="year-${p.id}" name="year" min="2000" max="2100" value="${def.year + 1}" required></div><div><button type="submit" class="secondary">${tr("console.plans.rollover")}</button></div></form>`
            : html``
        }</td></tr>`;
      });
      const body = html`${done ? html`<p class="notice" role="status">${tr("console.plans.loaded", { slug: done })}</p>` : html``}
<section class="card"><h2>${tr("console.plans.list", { count: num(locale, plans.length) })}</h2>
${plans.length === 0 ? html`<p>${tr("console.noCampaign")}</p>` : html`<div class="table-wrap"><table>
  <thead><tr><th scope="col">${tr("console.plans.plan")}</th><th scope="col">${tr("console.plans.owner")}</th><th scope="col" class="num">${tr("console.plans.year")}</th><th scope="col">${tr("console.plans.span")}</th><th scope="col" class="num">${tr("console.overview.phases")}</th><th scope="col">${tr("console.pledges.status")}</th><th scope="col">${federation ? tr("console.plans.rolloverHead") : ""}</th></tr></thead>
  <tbody>${join(rows)}</tbody></table></div>`}
</section>
${federation ? html`<form method="post" action="${CONSOLE_PATH}/plans/upload" enctype="multipart/form-data" class="card">
  <h2>${tr("console.plans.upload")}</h2>
  <p class="muted">${tr("console.plans.uploadHelp")}</p>
  ${csrfField(r)}
  <label for="plan-file">${tr("console.plans.file")}</label>
  <input type="file" id="plan-file" name="file" accept=".yaml,.yml,application/yaml,text/yaml" required>
  <p><button type="submit">${tr("console.plans.load")}</button></p>
</form>
<section class="card" data-slot="plan-import" aria-labelledby="import-h"><h2 id="import-h">${tr("console.plans.import")}</h2><p class="muted">${tr("console.plans.importHelp")}</p></section>` : html`<p class="muted">${tr("console.plans.federationOnly")}</p>`}`;
      return String(page(r, "plans", tr("console.nav.plans"), body));
    },
  };

  const upload: ConsolePage = {
    method: "POST",
    path: `${CONSOLE_PATH}/plans/upload`,
    handler: async (_c, r) => {
      federationOnly(r);
      const file = r.form.file;
      if (!(file instanceof File) || file.size === 0) return problemsPage(r, r.tr("console.plans.noFile"), []);
      const result = parseCampaign(file.name, await file.text());
      if (!result.ok) return problemsPage(r, r.tr("console.plans.refused", { file: file.name, count: result.errors.length }), result.errors);
      const { created } = await store.campaigns.upsert(result.campaign, file.name);
      await r.audit("plan-load", { slug: result.campaign.slug, created, file: file.name });
      return redirect(`${CONSOLE_PATH}/plans?loaded=${encodeURIComponent(result.campaign.slug)}`);
    },
  };

  const rollover: ConsolePage = {
    method: "POST",
    path: `${CONSOLE_PATH}/plans/rollover`,
    handler: async (_c, r) => {
      federationOnly(r);
      const source = await store.campaigns.findBySlug(field(r.form, "slug"));
      const yearText = field(r.form, "year");
      const year = Number(yearText);
      if (!source) return problemsPage(r, r.tr("console.plans.unknown"), []);
      if (!/^\d{4}$/.test(yearText) || year < 2000 || year > 2100 || year === source.definition.year) return problemsPage(r, r.tr("console.plans.badYear", { year: yearText }), []);
      const { campaign, notes, errors } = rolloverCampaign(source.definition, year);
      if (errors.length > 0) return problemsPage(r, r.tr("console.plans.rolloverRefused", { slug: campaign.slug, count: errors.length }), errors);
      if (await store.campaigns.findBySlug(campaign.slug)) return problemsPage(r, r.tr("console.plans.exists", { slug: campaign.slug }), []);
      await store.campaigns.upsert(campaign);
      await r.audit("plan-rollover", { from: source.slug, to: campaign.slug, year });
      const body = html`<p class="notice" role="status">${r.tr("console.plans.rolledOver", { from: source.slug, to: campaign.slug })}</p>
${notes.length > 0 ? html`<section class="card"><h2>${r.tr("console.plans.notes")}</h2><ul>${join(notes.map((n) => html`<li><code>${n}</code></li>`))}</ul></section>` : html``}
<p><a href="${CONSOLE_PATH}/plans/${encodeURIComponent(campaign.slug)}">${r.tr("console.plans.calendar")}</a> · <a href="${CONSOLE_PATH}/plans">${r.tr("console.back")}</a></p>`;
      return String(page(r, "plans", r.tr("console.plans.rollover"), body));
    },
  };

  const calendar: ConsolePage = {
    method: "GET",
    path: `${CONSOLE_PATH}/plans/:slug`,
    handler: async (c, r) => {
      const { tr, locale } = r;
      const plan = await store.campaigns.findBySlug(decodeURIComponent(c.req.param("slug") ?? ""));
      if (!plan) throw new ConsoleAnswer(htmlResponse(String(page(r, "plans", tr("console.notFound.title"), html`<p>${tr("console.plans.unknown")}</p>`)), 404));
      const def = plan.definition;
      const events = campaignEvents(def, r.timezone);
      const records = new Map((await store.plannedEvents.list(plan.id)).map((e) => [e.key, e]));
      const byDay = new Map<string, typeof events>();
      for (const e of events) byDay.set(e.date, [...(byDay.get(e.date) ?? []), e]);
      const days = [...byDay.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
      const state = (key: string) => {
        const rec = records.get(key);
        if (!rec) return html`<span class="muted">${tr("console.log.state.upcoming")}</span>`;
        return rec.status === "planned" ? html`${tr("console.log.state.planned", { count: rec.recipients })}` : html`${tr("console.log.state.skipped")}: ${skipReason(rec.reason, rec.plannedAt, tr, r.timezone)}`;
      };
      const body = html`<section class="card">
  <p>${def.owner.name} · ${def.year} · ${tr("console.overview.theme")}: <em>${locale === "en" && def.theme_en ? def.theme_en : def.theme}</em></p>
  <ul>${join(phasesInOrder(def).map((p) => html`<li><strong>${p.name}</strong> ${formatDateVi(p.start)} – ${formatDateVi(p.end)}: ${locale === "en" && p.theme_en ? p.theme_en : p.theme}</li>`))}</ul>
</section>
<section class="card"><h2>${tr("console.plans.calendarTitle", { count: events.length })}</h2>
  <ol class="calendar" data-testid="calendar">${join(
    days.map(
      ([date, list]) =>
        html`<li><strong><time datetime="${date}">${formatDateVi(date)}</time></strong><ul>${join(list.map((e) => html`<li>${dateTime(e.at, r.timezone).slice(11)} — ${tr(`console.event.${e.type}`)} ${eventSubject(e, locale)} <span class="muted">(${tr(`console.audience.${e.audience}`)})</span> — ${state(e.key)}</li>`))}</ul></li>`,
    ),
  )}</ol>
</section>`;
      return String(page(r, "plans", locale === "en" && def.title_en ? def.title_en : def.title, body));
    },
  };

  return [list, upload, rollover, calendar];
}
