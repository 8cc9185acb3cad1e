// Tổng quan: the running campaign, the current phase, coverage against the 100% target (total, per child unit,
// per day), units with no registration at all, the next 14 days of scheduled pushes and the latest broadcasts with their delivery.
import type { Context } from "hono";
import { phaseAt, phasesInOrder } from "../../domain/calendar.js";
import { addDays, localDate, startOfLocalDay } from "../../domain/clock.js";
import { campaignEvents } from "../../domain/schedule.js";
import type { HttpEnv } from "../../http/server.js";
import { consoleCampaign } from "../campaign.js";
import { barChart, dayColumns, ring } from "../charts.js";
import type { ConsoleOptions, ConsoleRequest } from "../context.js";
import { groupsAtDepth, sortGroups, type CoverageSort } from "../coverage.js";
import { dateTime, day, eventSubject, num, percent } from "../format.js";
import { html, join } from "../html.js";
import { CONSOLE_PATH, page } from "../layout.js";

const SORTS: CoverageSort[] = ["coverage", "name", "pledged", "members"];
const DAY_MS = 24 * 3_600_000;

export function overviewPage(options: ConsoleOptions) {
  const { store } = options;
  return async (c: Context<HttpEnv>, r: ConsoleRequest) => {
    const { tr, locale, principal, now, timezone: tz } = r;
    const { campaign, running } = await consoleCampaign(store.campaigns, now, tz);
    if (!campaign) return String(page(r, "overview", tr("console.nav.overview"), html`<p>${tr("console.noCampaign")}</p><p><a href="${CONSOLE_PATH}/plans">${tr("console.nav.plans")}</a></p>`));
    const def = campaign.definition;
    const at = phaseAt(def, now, tz);
    const phase = at.kind === "in" ? at.phase : at.kind === "before" ? at.next : at.kind === "between" ? at.previous : at.last;
    const phaseLine =
      at.kind === "in"
        ? tr("console.overview.phaseIn", { phase: phase.name, days: at.daysLeft })
        : at.kind === "before"
          ? tr("console.overview.phaseBefore", { phase: phase.name, days: at.daysUntil })
          : at.kind === "between"
            ? tr("console.overview.phaseBetween", { phase: at.next.name, days: at.daysUntil })
            : tr("console.overview.phaseAfter");
    const theme = locale === "en" && phase.theme_en ? phase.theme_en : phase.theme;

    // The same report /thongke renders for this scope.
    const unitIds = principal.units.map((u) => u.id);
    const report = await store.pledgeReports.coverage({ campaignId: campaign.id, unitIds, titles: false });
    const total = report.total;
    const sortParam = c.req.query("sort") as CoverageSort | undefined;
    const sort: CoverageSort = sortParam && SORTS.includes(sortParam) ? sortParam : "coverage";
    const depth = principal.roots.length === 1 ? 1 : 0;
    let groups = groupsAtDepth(report, depth);
    if (groups.length === 0) groups = groupsAtDepth(report, 0);
    const sorted = sortGroups(groups, sort);
    // Units nobody has registered in, not even pending: the ones an officer has to chase. A unit whose registrations
    // await approval is the approver's work, shown by its registered and approved columns.
    const zero = report.units.filter((u) => u.memberCount > 0 && u.pledged === 0);

    // Registrations per day over the phase so far.
    const lastDay = localDate(now, tz) < phase.end ? localDate(now, tz) : phase.end;
    // Each day's start once (time-zone arithmetic is slow); the database counts.
    const dates: string[] = [];
    for (let d = phase.start; d <= lastDay && dates.length < 400; d = addDays(d, 1)) dates.push(d);
    const counts = await store.queries.pledgesPerDay(campaign.id, phase.number, unitIds, dates.map((d) => startOfLocalDay(d, tz)));
    const days = dates.map((d, i) => ({ date: d.slice(5).split("-").reverse().join("/"), count: counts[i]! }));

    const soon = campaignEvents(def, tz).filter((e) => e.at >= startOfLocalDay(localDate(now, tz), tz) && e.at.getTime() < now.getTime() + 14 * DAY_MS);
    const broadcasts = await store.queries.broadcastsFor(unitIds, 5);
    const delivery = await Promise.all(broadcasts.map((b) => store.outbox.countByStatus({ broadcastId: b.id })));

    const sortLinks = SORTS.map((s) =>
      s === sort ? html`<strong aria-current="true">${tr(`console.sort.${s}`)}</strong>` : html`<a href="${CONSOLE_PATH}?sort=${s}#children">${tr(`console.sort.${s}`)}</a>`,
    );
    const body = html`
<section class="card" aria-labelledby="campaign-h">
  <h2 id="campaign-h">${locale === "en" && def.title_en ? def.title_en : def.title}</h2>
  <p class="muted">${def.owner.name} · ${def.year}${running ? html`` : html` · <strong>${tr("console.overview.notRunning")}</strong>`}</p>
  <p><strong>${phase.name}</strong> (${phase.start.split("-").reverse().join("/")} – ${phase.end.split("-").reverse().join("/")}): ${phaseLine}</p>
  <p>${tr("console.overview.theme")}: <em>${theme}</em></p>
  <p class="muted">${phasesInOrder(def).length} ${tr("console.overview.phases")}</p>
</section>
<section class="card" aria-labelledby="cov-h">
  <h2 id="cov-h">${tr("console.overview.coverage")}</h2>
  <div class="split">
    ${ring(tr("console.overview.coverage"), total.coverage, percent(total.approved, total.memberCount))}
    <dl class="figures" data-testid="coverage-total">
      <dt>${tr("console.col.registered")}</dt><dd data-field="pledged">${num(locale, total.pledged)}</dd>
      <dt>${tr("console.col.approved")}</dt><dd data-field="approved">${num(locale, total.approved)}</dd>
      <dt>${tr("console.col.members")}</dt><dd data-field="members">${num(locale, total.memberCount)}</dd>
      <dt>${tr("console.col.coverage")}</dt><dd data-field="percent">${percent(total.approved, total.memberCount)}</dd>
      <dt>${tr("console.col.subscribers")}</dt><dd>${num(locale, total.subscribers)}</dd>
      <dt>${tr("console.col.units")}</dt><dd>${num(locale, total.units)}</dd>
      <dt>${tr("console.overview.gap")}</dt><dd>${num(locale, Math.max(0, total.memberCount - total.pledged))}</dd>
    </dl>
  </div>
  <p class="muted">${tr("console.overview.sameAsStats")}</p>
</section>
<section class="card" aria-labelledby="children-h" id="children">
  <h2 id="children-h">${tr("console.overview.children")}</h2>
  <p class="sort">${tr("console.sort.label")}: ${join(sortLinks.flatMap((l, i) => (i === 0 ? [l] : [html` · `, l])))}</p>
  ${barChart(tr("console.overview.children"), sorted.slice(0, 40).map((g) => ({ label: g.name, value: g.coverage, text: percent(g.approved, g.memberCount) })))}
  ${sorted.length > 40 ? html`<p class="muted">${tr("console.overview.chartCut", { count: sorted.length - 40 })}</p>` : html``}
  <div class="table-wrap"><table class="sortable">
    <caption class="visually-hidden">${tr("console.overview.children")}</caption>
    <thead><tr><th scope="col">${tr("console.col.unit")}</th><th scope="col" class="num">${tr("console.col.members")}</th><th scope="col" class="num">${tr("console.col.subscribers")}</th><th scope="col" class="num">${tr("console.col.registered")}</th><th scope="col" class="num">${tr("console.col.approved")}</th><th scope="col" class="num">${tr("console.col.coverage")}</th></tr></thead>
    <tbody>${join(
      sorted.map(
        (g) => html`<tr><td>${g.name} <span class="code">${g.code}</span></td><td class="num">${num(locale, g.memberCount)}</td><td class="num">${num(locale, g.subscribers)}</td><td class="num">${num(locale, g.pledged)}</td><td class="num">${num(locale, g.approved)}</td><td class="num" data-sort="${g.coverage ?? -1}">${percent(g.approved, g.memberCount)}</td></tr>`,
      ),
    )}</tbody>
  </table></div>
</section>
<section class="card" aria-labelledby="perday-h">
  <h2 id="perday-h">${tr("console.overview.perDay", { phase: phase.name })}</h2>
  ${days.length > 0 ? dayColumns(tr("console.overview.perDay", { phase: phase.name }), days) : html`<p>${tr("console.overview.phaseNotStarted")}</p>`}
</section>
<section class="card" aria-labelledby="zero-h">
  <h2 id="zero-h">${tr("console.overview.zero", { count: zero.length })}</h2>
  ${zero.length === 0 ? html`<p>${tr("console.overview.zeroNone")}</p>` : html`<ul class="columns">${join(zero.slice(0, 60).map((u) => html`<li>${u.name} <span class="code">${u.code}</span> (${num(locale, u.memberCount)})</li>`))}</ul>${zero.length > 60 ? html`<p class="muted">${tr("console.more", { count: zero.length - 60 })}</p>` : html``}`}
</section>
<section class="card" aria-labelledby="soon-h">
  <h2 id="soon-h">${tr("console.overview.soon")}</h2>
  ${soon.length === 0 ? html`<p>${tr("console.overview.soonNone")}</p>` : html`<ul>${join(soon.map((e) => html`<li><time datetime="${e.at.toISOString()}">${dateTime(e.at, tz)}</time> — ${tr(`console.event.${e.type}`)} ${eventSubject(e, locale)} <span class="muted">(${tr(`console.audience.${e.audience}`)})</span></li>`))}</ul>`}
</section>
<section class="card" aria-labelledby="bc-h">
  <h2 id="bc-h">${tr("console.overview.broadcasts")}</h2>
  ${broadcasts.length === 0 ? html`<p>${tr("console.overview.broadcastsNone")}</p>` : html`<div class="table-wrap"><table>
    <thead><tr><th scope="col">${tr("console.col.when")}</th><th scope="col">${tr("console.col.text")}</th><th scope="col" class="num">${tr("console.col.delivered")}</th><th scope="col" class="num">${tr("console.col.failed")}</th><th scope="col" class="num">${tr("console.col.blocked")}</th></tr></thead>
    <tbody>${join(broadcasts.map((b, i) => html`<tr><td>${day(b.confirmedAt ?? b.createdAt, tz)}</td><td>${b.text.length > 60 ? `${b.text.slice(0, 59)}…` : b.text}</td><td class="num">${delivery[i]!.sent}</td><td class="num">${delivery[i]!.failed}</td><td class="num">${delivery[i]!.blocked}</td></tr>`))}</tbody></table></div>`}
</section>`;
    return String(page(r, "overview", tr("console.nav.overview"), body));
  };
}
