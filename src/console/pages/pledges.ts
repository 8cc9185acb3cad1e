// Đăng ký: the registrations of the scope with filters (unit and its subtree, phase, title, status), a detail page
// with the history, and export of exactly the filtered rows to XLSX or CSV (the same files as /xuat and the CLI).
// Approval (duyệt / trả lại) of pending registrations, one by one or selected rows, through the app layer's decide
// (../../app/cycle/review.ts: scope, never one's own, the member's notice in the outbox); each decision is audited.
import type { Context } from "hono";
import { exportFileName } from "../../app/handlers/export.js";
import { pledgesToCsv, pledgesToXlsx } from "../../app/export/index.js";
import type { PledgeExportQuery, PledgeExportRow, StoredCampaign } from "../../app/ports.js";
import { phasesInOrder } from "../../domain/calendar.js";
import type { HttpEnv } from "../../http/server.js";
import { decide, RETURN_REASON_MAX, type ReviewResult } from "../../app/cycle/review.js";
import { consoleCampaign } from "../campaign.js";
import { pledgeInScope, resultItems } from "../photos.js";
import { ConsoleAnswer, field, fileResponse, htmlResponse, type ConsoleOptions, type ConsoleRequest } from "../context.js";
import { dateTime, num } from "../format.js";
import { html, join, type Html } from "../html.js";
import { CONSOLE_PATH, csrfField, page } from "../layout.js";
import type { ConsolePage } from "../routes.js";
import { subtreeOf } from "../scope.js";

/** Rows shown on the page; the export has them all. */
const PAGE_ROWS = 200;

const STATUS_FILTERS = ["active", "pending", "approved", "returned", "withdrawn"] as const;
type StatusFilter = (typeof STATUS_FILTERS)[number];
/** The filter's status as the pledge's own fields: chờ duyệt / đã duyệt / trả lại are active pledges' reviews. */
const statusWhere = (s: StatusFilter | undefined): { status?: "active" | "withdrawn"; review?: "pending" | "approved" | "returned" } =>
  s === undefined ? {} : s === "active" || s === "withdrawn" ? { status: s } : { status: "active", review: s };
/** A row's status label key: withdrawn, else its review. */
const rowStatus = (p: { status: string; review: string }) => (p.status === "withdrawn" ? "withdrawn" : p.review);
const PICK = "pick-";

interface Filters {
  campaign: StoredCampaign;
  campaigns: StoredCampaign[];
  unit: string;
  phase: number | undefined;
  title: string;
  status: StatusFilter | undefined;
  /** Units the filter covers (the chosen unit's subtree, or the whole scope). */
  unitIds: number[];
}

export function pledgePages(options: ConsoleOptions): ConsolePage[] {
  const { store } = options;

  /** The filters from the query string; anything not in the scope or the plan is ignored (the default is "all"). */
  const readFilters = async (c: Context<HttpEnv>, r: ConsoleRequest): Promise<Filters | null> => {
    const { campaign, all } = await consoleCampaign(store.campaigns, r.now, r.timezone, c.req.query("campaign"));
    if (!campaign) return null;
    const def = campaign.definition;
    const unitCode = c.req.query("unit") ?? "";
    const unit = r.principal.units.find((u) => u.code === unitCode);
    const phaseNumber = Number(c.req.query("phase"));
    const phase = def.phases.find((p) => p.number === phaseNumber);
    const titleKey = c.req.query("title") ?? "";
    const title = def.titles.find((t) => t.key === titleKey);
    const statusText = c.req.query("status");
    const status = STATUS_FILTERS.find((s) => s === statusText);
    const unitIds = (unit ? subtreeOf(r.principal.units, unit.id) : r.principal.units).map((u) => u.id);
    return { campaign, campaigns: all, unit: unit?.code ?? "", phase: phase?.number, title: title?.key ?? "", status, unitIds };
  };

  const exportQuery = (f: Filters): PledgeExportQuery => ({
    campaignId: f.campaign.id,
    unitIds: f.unitIds,
    ...(f.phase === undefined ? {} : { phaseNumber: f.phase }),
    ...statusWhere(f.status),
    ...(f.title ? { titleKey: f.title } : {}),
  });

  const query = (f: Filters) =>
    new URLSearchParams({ campaign: f.campaign.slug, ...(f.unit ? { unit: f.unit } : {}), ...(f.phase ? { phase: String(f.phase) } : {}), ...(f.title ? { title: f.title } : {}), ...(f.status ? { status: f.status } : {}) }).toString();

  const noCampaign = (r: ConsoleRequest) => String(page(r, "pledges", r.tr("console.nav.pledges"), html`<p>${r.tr("console.noCampaign")}</p>`));

  const render = async (c: Context<HttpEnv>, r: ConsoleRequest, notice: Html = html``) => {
      const { tr, locale } = r;
      const f = await readFilters(c, r);
      if (!f) return noCampaign(r);
      const def = f.campaign.definition;
      const { rows, total } = await store.queries.pledgeList(
        { campaignId: f.campaign.id, unitIds: f.unitIds, ...(f.phase === undefined ? {} : { phaseNumber: f.phase }), ...statusWhere(f.status), ...(f.title ? { titleKey: f.title } : {}) },
        PAGE_ROWS,
      );
      const option = (value: string, label: string, selected: boolean) => html`<option value="${value}"${selected ? html` selected` : html``}>${label}</option>`;
      const q = query(f);
      // Only an officer signed in as a person decides (the history names them); never on their own registration.
      const canReview = r.principal.subscriberId !== null;
      const reviewable = (p: (typeof rows)[number]) => canReview && p.status === "active" && p.review === "pending" && p.subscriberId !== r.principal.subscriberId;
      const anyReviewable = rows.some(reviewable);
      const body = html`${notice}<form method="get" action="${CONSOLE_PATH}/pledges" class="card inline" aria-label="${tr("console.pledges.filters")}">
  ${f.campaigns.length > 1 ? html`<div><label for="f-campaign">${tr("console.pledges.campaign")}</label><select id="f-campaign" name="campaign">${join(f.campaigns.map((c2) => option(c2.slug, `${c2.definition.owner.short_name} ${c2.definition.year} (${c2.slug})`, c2.id === f.campaign.id)))}</select></div>` : html`<input type="hidden" name="campaign" value="${f.campaign.slug}">`}
  <div><label for="f-unit">${tr("console.col.unit")}</label><select id="f-unit" name="unit">${option("", tr("console.pledges.all"), f.unit === "")}${join(r.principal.units.slice(0, 2000).map((u) => option(u.code, `${u.name} (${u.code})`, u.code === f.unit)))}</select></div>
  <div><label for="f-phase">${tr("console.pledges.phase")}</label><select id="f-phase" name="phase">${option("", tr("console.pledges.all"), f.phase === undefined)}${join(phasesInOrder(def).map((p) => option(String(p.number), p.name, p.number === f.phase)))}</select></div>
  <div><label for="f-title">${tr("console.pledges.title")}</label><select id="f-title" name="title">${option("", tr("console.pledges.all"), f.title === "")}${join(def.titles.map((t) => option(t.key, locale === "en" && t.name_en ? t.name_en : t.name, t.key === f.title)))}</select></div>
  <div><label for="f-status">${tr("console.pledges.status")}</label><select id="f-status" name="status">${option("", tr("console.pledges.all"), f.status === undefined)}${join(STATUS_FILTERS.map((s) => option(s, tr(`console.pledges.status.${s}`), f.status === s)))}</select></div>
  <div><button type="submit">${tr("console.pledges.apply")}</button></div>
</form>
<section class="card">
  <form id="review" method="post" action="${CONSOLE_PATH}/pledges/review?${q}">${csrfField(r)}</form>
  <p role="status" data-testid="pledge-count">${tr("console.pledges.count", { count: num(locale, total) })}${total > rows.length ? html` ${tr("console.pledges.shown", { count: rows.length })}` : html``}</p>
  <p>${tr("console.pledges.export")}: <a class="button secondary" href="${CONSOLE_PATH}/pledges/export.xlsx?${q}" download>XLSX</a> <a class="button secondary" href="${CONSOLE_PATH}/pledges/export.csv?${q}" download>CSV</a></p>
  <div class="table-wrap"><table class="sortable">
    <thead><tr><th scope="col">${tr("console.pledges.code")}</th><th scope="col">${tr("console.officers.name")}</th><th scope="col">${tr("console.col.unit")}</th><th scope="col">${tr("console.pledges.phase")}</th><th scope="col">${tr("console.pledges.titles")}</th><th scope="col">${tr("console.pledges.status")}</th><th scope="col">${tr("console.col.when")}</th>${anyReviewable ? html`<th scope="col">${tr("console.pledges.review")}</th>` : html``}</tr></thead>
    <tbody>${join(
      rows.map(
        (p) => html`<tr data-code="${p.code}"><td>${reviewable(p) ? html`<input type="checkbox" form="review" name="${PICK}${p.code}" value="1" id="pick-${p.code}" aria-label="${tr("console.pledges.select", { code: p.code })}"> ` : html``}<a href="${CONSOLE_PATH}/pledges/${encodeURIComponent(p.code)}">${p.code}</a></td><td>${p.fullName}${p.kind === "collective" ? html` <span class="muted">(${tr("console.pledges.collective")})</span>` : html``}</td><td>${p.unitName} <span class="code">${p.unitCode}</span></td><td class="num">${p.phaseNumber}</td><td>${p.titles}</td><td>${tr(`console.pledges.status.${rowStatus(p)}`)}${p.subscriberId === r.principal.subscriberId ? html` <span class="muted">(${tr("console.pledges.ownHint")})</span>` : html``}</td><td>${dateTime(p.createdAt, r.timezone)}</td>${
          anyReviewable
            ? html`<td class="actions">${reviewable(p) ? html`<button type="submit" form="review" name="approve-one" value="${p.code}" aria-label="${tr("console.pledges.approveOne", { code: p.code })}">${tr("console.pledges.approve")}</button> <a class="button secondary" href="${CONSOLE_PATH}/pledges/${encodeURIComponent(p.code)}#approval" aria-label="${tr("console.pledges.returnOne", { code: p.code })}">${tr("console.pledges.return")}</a>` : html``}</td>`
            : html``
        }</tr>`,
      ),
    )}</tbody>
  </table></div>
  ${anyReviewable ? reviewFields(r, tr("console.pledges.selected"), html`<button type="submit" form="review" name="decision" value="approve">${tr("console.pledges.approveSelected")}</button> <button type="submit" form="review" name="decision" value="return" class="secondary">${tr("console.pledges.returnSelected")}</button>`) : html``}
</section>`;
      return String(page(r, "pledges", tr("console.nav.pledges"), body));
  };

  const list: ConsolePage = { method: "GET", path: `${CONSOLE_PATH}/pledges`, handler: (c, r) => render(c, r) };

  /**
   * Duyệt / trả lại: one row ("approve-one", or "one" from the detail page) or the selected rows ("pick-<code>"), with
   * "decision". Each code goes through decide(), which refuses what is outside the scope, the officer's own, or no
   * longer pending — so a forged code changes nothing. The page comes back with what was done and what was refused.
   */
  const review: ConsolePage = {
    method: "POST",
    path: `${CONSOLE_PATH}/pledges/review`,
    handler: async (c, r) => {
      const { tr, form } = r;
      const problem = (key: string) => render(c, r, html`<p class="error" role="alert">${tr(key, { max: RETURN_REASON_MAX })}</p>`);
      if (r.principal.subscriberId === null) return problem("console.pledges.setupCannot");
      const one = field(form, "approve-one") || field(form, "one");
      const codes = one ? [one] : Object.keys(form).filter((k) => k.startsWith(PICK) && field(form, k) === "1").map((k) => k.slice(PICK.length));
      const kind = field(form, "approve-one") ? "approve" : field(form, "decision");
      if (kind !== "approve" && kind !== "return") return problem("console.pledges.noneSelected");
      if (codes.length === 0) return problem("console.pledges.noneSelected");
      const reason = field(form, "reason").trim();
      if (kind === "return" && (reason.length < 3 || reason.length > RETURN_REASON_MAX)) return problem("console.pledges.reasonNeeded");
      const decision = kind === "approve" ? ({ kind: "approve" } as const) : ({ kind: "return", reason } as const);
      const refused: Extract<ReviewResult, { ok: false }>[] = [];
      let done = 0;
      for (const code of codes.slice(0, PAGE_ROWS)) {
        const result = await decide(store, { officer: { id: r.principal.subscriberId }, scope: r.principal.units, code, decision, now: r.now });
        if (!result.ok) {
          refused.push(result);
          continue;
        }
        done++;
        await r.audit(kind === "approve" ? "pledge-approve" : "pledge-return", { code: result.pledge.code, ...(kind === "return" ? { reason } : {}) });
      }
      const notice = html`${done > 0 ? html`<p class="notice" role="status">${tr(kind === "approve" ? "console.pledges.approvedDone" : "console.pledges.returnedDone", { count: done })}</p>` : html``}${
        refused.length > 0 ? html`<div class="error" role="alert"><ul>${join(refused.map((x) => html`<li>${tr(`approve.refused.${x.reason}`, { code: x.code.slice(0, 40) })}</li>`))}</ul></div>` : html``
      }`;
      return render(c, r, notice);
    },
  };

  const exporter = (format: "csv" | "xlsx"): ConsolePage => ({
    method: "GET",
    path: `${CONSOLE_PATH}/pledges/export.${format}`,
    handler: async (c, r) => {
      const f = await readFilters(c, r);
      if (!f) return noCampaign(r);
      const rows: PledgeExportRow[] = [];
      for await (const row of store.pledgeReports.exportRows(exportQuery(f))) rows.push(row);
      await r.audit("pledges-export", { format, campaign: f.campaign.slug, unit: f.unit || null, phase: f.phase ?? null, title: f.title || null, status: f.status ?? null, rows: rows.length });
      const content = format === "csv" ? pledgesToCsv(rows, r.locale) : await pledgesToXlsx(rows, r.locale);
      const fileName = exportFileName(f.campaign.slug, r.now, r.timezone).replace(/\.xlsx$/, `.${format}`);
      return fileResponse(content, fileName, format);
    },
  });

  const detail: ConsolePage = {
    method: "GET",
    path: `${CONSOLE_PATH}/pledges/:code`,
    handler: async (c, r) => {
      const { tr } = r;
      const pledge = await store.pledges.findByCode(decodeURIComponent(c.req.param("code") ?? ""));
      if (!pledge || !pledgeInScope(r, pledge.unitId)) {
        throw new ConsoleAnswer(htmlResponse(String(page(r, "pledges", tr("console.notFound.title"), html`<p>${tr("console.pledges.notFound")}</p><p><a href="${CONSOLE_PATH}/pledges">${tr("console.nav.pledges")}</a></p>`)), 404));
      }
      const unit = pledge.unitId === null ? null : r.principal.units.find((u) => u.id === pledge.unitId);
      const history = await store.pledges.history(pledge.id);
      const results = await store.pledges.results([pledge.id]);
      const pledgeResult = results.find((x) => x.item === "pledge");
      const names = new Map<number, string>();
      for (const e of history) if (!names.has(e.subscriberId)) names.set(e.subscriberId, (await store.subscribers.findById(e.subscriberId))?.displayName ?? `#${e.subscriberId}`);
      const body = html`<section class="card">
  <dl class="figures">
    <dt>${tr("console.officers.name")}</dt><dd>${pledge.fullName}</dd>
    <dt>${tr("console.col.unit")}</dt><dd>${unit ? `${unit.name} (${unit.code})` : "—"}</dd>
    <dt>${tr("console.pledges.phase")}</dt><dd>${pledge.phaseNumber}</dd>
    <dt>${tr("console.pledges.status")}</dt><dd>${tr(`console.pledges.status.${pledge.status}`)}</dd>
    <dt>${tr("console.pledges.position")}</dt><dd>${pledge.position ?? "—"}</dd>
  </dl>
  <p><strong>${tr("console.pledges.commitment")}:</strong> ${pledge.commitment}</p>
  <ul>${join(pledge.items.map((i) => html`<li>${tr(`console.pledges.item.${i.type}`)}: ${i.name}${i.description ? ` — ${i.description}` : ""}${i.targetDate ? ` (${i.targetDate.split("-").reverse().join("/")})` : ""}</li>`))}</ul>
</section>
<section class="card" aria-labelledby="results-h">
  <h2 id="results-h">${tr("console.pledges.results")}</h2>
  ${results.length === 0 ? html`<p class="muted">${tr("console.pledges.noResults")}</p>` : html`<p>${tr("console.evaluation.result")}: ${pledgeResult ? tr(`console.evaluation.outcome.${pledgeResult.outcome}`) : tr("console.evaluation.outcome.none")}${pledgeResult?.note ? html` — ${pledgeResult.note}` : html``}</p>${resultItems(r, pledge, results, pledge.fullName)}`}
</section>
<section class="card" id="approval" data-slot="approval" aria-labelledby="approval-h">
  <h2 id="approval-h">${tr("console.pledges.approval")}</h2>
  ${approvalSection(r, pledge, unit?.code)}
</section>
<section class="card" aria-labelledby="history-h">
  <h2 id="history-h">${tr("console.pledges.history")}</h2>
  <ol data-testid="history">${join(history.map((e) => html`<li><time datetime="${e.at.toISOString()}">${dateTime(e.at, r.timezone)}</time> — ${tr(`console.pledges.action.${e.action}`)} — ${names.get(e.subscriberId) ?? ""}${Object.keys(e.detail).length > 0 && e.action === "edited" ? html` <span class="muted">(${Object.keys((e.detail.changed as Record<string, unknown>) ?? e.detail).join(", ")})</span>` : html``}</li>`))}</ol>
</section>`;
      return String(page(r, "pledges", pledge.code, body));
    },
  };

  return [list, review, exporter("csv"), exporter("xlsx"), detail];
}

/** The reason field and the buttons that post the review form. */
function reviewFields(r: ConsoleRequest, legend: string, buttons: Html): Html {
  return html`<fieldset class="review-actions"><legend>${legend}</legend>
  <label for="review-reason">${r.tr("console.pledges.reason")}</label>
  <textarea id="review-reason" name="reason" form="review" rows="2" maxlength="${RETURN_REASON_MAX}" aria-describedby="review-reason-help"></textarea>
  <p id="review-reason-help" class="muted">${r.tr("console.pledges.reasonHelp", { max: RETURN_REASON_MAX })}</p>
  <p>${buttons}</p>
</fieldset>`;
}

/** The detail page's approval block: the buttons while it is the officer's to decide, else where it stands. */
function approvalSection(r: ConsoleRequest, pledge: { code: string; status: string; review: string; reviewNote: string | null; subscriberId: number }, unitCode: string | undefined): Html {
  const { tr } = r;
  if (pledge.status === "withdrawn") return html`<p>${tr("console.pledges.reviewState.withdrawn")}</p>`;
  if (pledge.review === "approved") return html`<p>${tr("console.pledges.reviewState.approved")}</p>`;
  if (pledge.review === "returned") return html`<p>${tr("console.pledges.reviewState.returned", { reason: pledge.reviewNote ?? "" })}</p>`;
  if (pledge.subscriberId === r.principal.subscriberId) return html`<p>${tr("console.pledges.reviewState.own")}</p>`;
  if (r.principal.subscriberId === null) return html`<p>${tr("console.pledges.status.pending")}. ${tr("console.pledges.setupCannot")}</p>`;
  return html`<form id="review" method="post" action="${CONSOLE_PATH}/pledges/review?${new URLSearchParams({ status: "pending", ...(unitCode ? { unit: unitCode } : {}) }).toString()}">${csrfField(r)}<input type="hidden" name="one" value="${pledge.code}"></form>
${reviewFields(r, tr("console.pledges.status.pending"), html`<button type="submit" form="review" name="decision" value="approve">${tr("console.pledges.approve")}</button> <button type="submit" form="review" name="decision" value="return" class="secondary">${tr("console.pledges.return")}</button>`)}`;
}
