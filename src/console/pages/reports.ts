// Báo cáo (sơ kết): per phase, each grassroots union's list (chưa gửi / chờ duyệt / trả lại / đã duyệt) and phase
// report (sent or not); a unit's page with its list's history and its report; the level above accepts or returns a
// list (with a reason) through the app layer's decideList (scope strictly below the officer's unit, the phase running
// today, the unit's officers told through the outbox); the consolidated report as XLSX and DOCX.
import type { Context } from "hono";
import { RETURN_REASON_MAX } from "../../app/cycle/review.js";
import { decideList, filingStatuses, FIGURE_KEYS, type FilingDeps, type PhaseFigures } from "../../app/cycle/filings.js";
import { consolidatedReport, consolidatedReportToDocx, consolidatedReportToXlsx } from "../../app/cycle/report-export.js";
import type { StoredCampaign, Unit } from "../../app/ports.js";
import { localDate } from "../../domain/clock.js";
import { listPhase, reportPhase } from "../../domain/cycle.js";
import { phasesInOrder } from "../../domain/calendar.js";
import type { HttpEnv } from "../../http/server.js";
import { consoleCampaign } from "../campaign.js";
import { field, fileResponse, type ConsoleOptions, type ConsoleRequest } from "../context.js";
import { dateTime, num } from "../format.js";
import { html, join, type Html } from "../html.js";
import { CONSOLE_PATH, csrfField, page } from "../layout.js";
import type { ConsolePage } from "../routes.js";
import { unitInScope } from "../scope.js";

interface Selection {
  campaign: StoredCampaign;
  campaigns: StoredCampaign[];
  phaseNumber: number;
  /** The phase whose lists are decided today (decideList's), if any. */
  listPhaseNumber: number | null;
}

export function reportPages(options: ConsoleOptions): ConsolePage[] {
  const { store } = options;
  const deps: FilingDeps = { ...store, timezone: options.timezone };

  /** The campaign and phase from the query; by default the phase whose list or report is open today. */
  const select = async (c: Context<HttpEnv>, r: ConsoleRequest): Promise<Selection | null> => {
    const { campaign, all } = await consoleCampaign(store.campaigns, r.now, r.timezone, c.req.query("campaign"));
    if (!campaign) return null;
    const today = localDate(r.now, r.timezone);
    const open = listPhase(campaign.definition, today);
    const asked = campaign.definition.phases.find((p) => p.number === Number(c.req.query("phase")));
    const phase = asked ?? open ?? reportPhase(campaign.definition, today) ?? [...phasesInOrder(campaign.definition)].reverse().find((p) => p.start <= today) ?? phasesInOrder(campaign.definition)[0]!;
    return { campaign, campaigns: all, phaseNumber: phase.number, listPhaseNumber: open?.number ?? null };
  };
  const query = (s: Selection) => new URLSearchParams({ campaign: s.campaign.slug, phase: String(s.phaseNumber) }).toString();
  const noCampaign = (r: ConsoleRequest) => String(page(r, "reports", r.tr("console.nav.reports"), html`<p>${r.tr("console.noCampaign")}</p>`));
  const phaseName = (s: Selection, r: ConsoleRequest) => {
    const p = s.campaign.definition.phases.find((x) => x.number === s.phaseNumber)!;
    return r.locale === "en" && p.name_en ? p.name_en : p.name;
  };
  const statusLabel = (r: ConsoleRequest, status: string) => r.tr(`console.reports.list.${status}`);

  const overview: ConsolePage = {
    method: "GET",
    path: `${CONSOLE_PATH}/reports`,
    handler: async (c, r) => {
      const { tr, locale } = r;
      const s = await select(c, r);
      if (!s) return noCampaign(r);
      const scope = r.principal.units;
      const [lists, reports] = await Promise.all(
        (["list", "report"] as const).map((kind) => filingStatuses(store, { campaignId: s.campaign.id, phaseNumber: s.phaseNumber, kind, scope })),
      );
      const reportOf = new Map(reports!.map((x) => [x.unit.id, x]));
      const sent = reports!.filter((x) => x.filing !== null).length;
      const q = query(s);
      const option = (value: string, label: string, selected: boolean) => html`<option value="${value}"${selected ? html` selected` : html``}>${label}</option>`;
      const body = html`<form method="get" action="${CONSOLE_PATH}/reports" class="card inline" aria-label="${tr("console.reports.choose")}">
  ${s.campaigns.length > 1 ? html`<div><label for="r-campaign">${tr("console.pledges.campaign")}</label><select id="r-campaign" name="campaign">${join(s.campaigns.map((x) => option(x.slug, `${x.definition.owner.short_name} ${x.definition.year} (${x.slug})`, x.id === s.campaign.id)))}</select></div>` : html`<input type="hidden" name="campaign" value="${s.campaign.slug}">`}
  <div><label for="r-phase">${tr("console.pledges.phase")}</label><select id="r-phase" name="phase">${join(phasesInOrder(s.campaign.definition).map((p) => option(String(p.number), locale === "en" && p.name_en ? p.name_en : p.name, p.number === s.phaseNumber)))}</select></div>
  <div><button type="submit">${tr("console.pledges.apply")}</button></div>
</form>
<section class="card" aria-labelledby="units-h">
  <h2 id="units-h">${tr("console.reports.units", { phase: phaseName(s, r) })}</h2>
  <p role="status" data-testid="reported">${tr("console.reports.reported", { done: num(locale, sent), total: num(locale, reports!.length) })}</p>
  <p>${tr("console.reports.download")}: <a class="button secondary" href="${CONSOLE_PATH}/reports/export.xlsx?${q}" download>XLSX</a> <a class="button secondary" href="${CONSOLE_PATH}/reports/export.docx?${q}" download>DOCX</a></p>
  ${lists!.length === 0 ? html`<p>${tr("console.reports.noUnits")}</p>` : html``}
  <div class="table-wrap"><table class="sortable">
    <thead><tr><th scope="col">${tr("console.col.unit")}</th><th scope="col">${tr("console.reports.listCol")}</th><th scope="col">${tr("console.reports.reportCol")}</th></tr></thead>
    <tbody>${join(
      lists!.map((l) => {
        const rep = reportOf.get(l.unit.id);
        return html`<tr data-unit="${l.unit.code}"><td><a href="${CONSOLE_PATH}/reports/unit/${encodeURIComponent(l.unit.code)}?${q}">${l.unit.name}</a> <span class="code">${l.unit.code}</span></td><td data-testid="list-status">${statusLabel(r, l.status)}${l.filing ? html` <span class="muted">(${dateTime(l.filing.submittedAt, r.timezone)})</span>` : html``}</td><td data-testid="report-status">${rep?.filing ? html`${tr("console.reports.sent")} <span class="muted">(${dateTime(rep.filing.submittedAt, r.timezone)})</span>` : tr("console.reports.notSent")}</td></tr>`;
      }),
    )}</tbody>
  </table></div>
</section>`;
      return String(page(r, "reports", tr("console.nav.reports"), body));
    },
  };

  const unitPage = async (c: Context<HttpEnv>, r: ConsoleRequest, notice: Html = html``) => {
    const { tr, locale } = r;
    const s = await select(c, r);
    if (!s) return noCampaign(r);
    const unit = unitInScope(r, decodeURIComponent(c.req.param("code") ?? ""));
    const [list] = await store.unitFilings.list({ campaignId: s.campaign.id, phaseNumber: s.phaseNumber, kind: "list", unitIds: [unit.id] });
    const [report] = await store.unitFilings.list({ campaignId: s.campaign.id, phaseNumber: s.phaseNumber, kind: "report", unitIds: [unit.id] });
    const history = list ? await store.unitFilings.history(list.id) : [];
    const names = new Map<number, string>();
    for (const e of history) if (!names.has(e.subscriberId)) names.set(e.subscriberId, (await store.subscribers.findById(e.subscriberId))?.displayName ?? `#${e.subscriberId}`);
    // Only the level above decides (never the officer's own unit), only on the phase running today, only as a person.
    const canDecide = list?.status === "submitted" && r.principal.subscriberId !== null && unit.id !== r.principal.roots[0]?.id && s.listPhaseNumber === s.phaseNumber;
    const returnedReason = list?.status === "returned" ? list.note : null;
    const figures = report ? (report.data.figures as PhaseFigures | undefined) : undefined;
    const text = (key: "highlights" | "exemplary" | "proposals") => (report && typeof report.data[key] === "string" && report.data[key] ? String(report.data[key]) : tr("report.none"));
    const body = html`${notice}<p><a href="${CONSOLE_PATH}/reports?${query(s)}">← ${tr("console.nav.reports")}</a></p>
<section class="card" id="list" aria-labelledby="list-h">
  <h2 id="list-h">${tr("console.reports.listOf", { phase: phaseName(s, r) })}</h2>
  <p data-testid="list-status">${statusLabel(r, list?.status ?? "none")}${list && typeof list.data.approved === "number" ? html` — ${tr("console.reports.approvedPeople", { count: num(locale, list.data.approved) })}` : html``}${typeof returnedReason === "string" ? html` — ${returnedReason}` : html``}</p>
  ${history.length > 0 ? html`<ol data-testid="list-history">${join(history.map((e) => html`<li><time datetime="${e.at.toISOString()}">${dateTime(e.at, r.timezone)}</time> — ${tr(`console.reports.event.${e.action}`)} — ${names.get(e.subscriberId) ?? ""}</li>`))}</ol>` : html``}
  ${
    canDecide
      ? html`<form method="post" action="${CONSOLE_PATH}/reports/unit/${encodeURIComponent(unit.code)}/list?${query(s)}">${csrfField(r)}
  <p><button type="submit" name="decision" value="accept">${tr("console.reports.accept")}</button></p>
  <fieldset><legend>${tr("console.reports.returnLegend")}</legend>
  <label for="list-reason">${tr("console.reports.reason")}</label>
  <textarea id="list-reason" name="reason" rows="2" maxlength="${RETURN_REASON_MAX}"></textarea>
  <p><button type="submit" name="decision" value="return" class="secondary">${tr("console.reports.return")}</button></p>
  </fieldset>
</form>`
      : html``
  }
</section>
<section class="card" id="report" aria-labelledby="report-h">
  <h2 id="report-h">${tr("console.reports.reportOf", { phase: phaseName(s, r) })}</h2>
  ${
    report
      ? html`<p>${tr("console.reports.sent")} ${dateTime(report.submittedAt, r.timezone)}${report.data.corrected ? html` — ${tr("reportExport.reportedCorrected")}` : html``}</p>
  ${figures ? html`<dl class="figures">${join(FIGURE_KEYS.map((k) => html`<dt>${tr(`reportExport.col.${k}`)}</dt><dd>${num(locale, Number(figures[k]) || 0)}</dd>`))}</dl>` : html``}
  <h3>${tr("reportExport.col.highlights")}</h3><p class="pre">${text("highlights")}</p>
  <h3>${tr("reportExport.col.exemplary")}</h3><p class="pre">${text("exemplary")}</p>
  <h3>${tr("reportExport.col.proposals")}</h3><p class="pre">${text("proposals")}</p>`
      : html`<p>${tr("console.reports.notSent")}</p>`
  }
</section>`;
    return String(page(r, "reports", `${unit.name} (${unit.code})`, body));
  };

  const unitView: ConsolePage = { method: "GET", path: `${CONSOLE_PATH}/reports/unit/:code`, handler: (c, r) => unitPage(c, r) };

  /** Accept or return a unit's list: decideList checks the scope (strictly below), the phase and the state. */
  const decideUnitList: ConsolePage = {
    method: "POST",
    path: `${CONSOLE_PATH}/reports/unit/:code/list`,
    handler: async (c, r) => {
      const { tr, form } = r;
      const alert = (text: string) => unitPage(c, r, html`<p class="error" role="alert">${text}</p>`);
      const code = decodeURIComponent(c.req.param("code") ?? "");
      const s = await select(c, r);
      if (!s) return noCampaign(r);
      if (r.principal.subscriberId === null) return alert(tr("console.reports.setupCannot"));
      const kind = field(form, "decision");
      const reason = field(form, "reason").trim();
      if (kind !== "accept" && kind !== "return") return alert(tr("console.reports.chooseDecision"));
      if (kind === "return" && (reason.length < 3 || reason.length > RETURN_REASON_MAX)) return alert(tr("console.pledges.reasonNeeded", { max: RETURN_REASON_MAX }));
      const result = await decideList(deps, {
        officer: { id: r.principal.subscriberId },
        scope: r.principal.units,
        campaign: s.campaign,
        unitCode: code,
        decision: kind === "accept" ? { kind: "accept" } : { kind: "return", reason },
        now: r.now,
      });
      if (!result.ok) return alert(tr(`filing.refused.${result.reason}`, { unit: result.code.slice(0, 40) }));
      await r.audit(kind === "accept" ? "unit-list-accept" : "unit-list-return", { unit: result.unit.code, phase: result.filing.phaseNumber, ...(kind === "return" ? { reason } : {}) });
      return unitPage(c, r, html`<p class="notice" role="status">${tr(kind === "accept" ? "console.reports.accepted" : "console.reports.returned", { unit: result.unit.name })}</p>`);
    },
  };

  const exporter = (format: "xlsx" | "docx"): ConsolePage => ({
    method: "GET",
    path: `${CONSOLE_PATH}/reports/export.${format}`,
    handler: async (c, r) => {
      const s = await select(c, r);
      if (!s) return noCampaign(r);
      const report = await consolidatedReport(store, { campaign: s.campaign, phaseNumber: s.phaseNumber, scope: r.principal.units as Unit[] });
      await r.audit("report-export", { format, campaign: s.campaign.slug, phase: s.phaseNumber });
      const content = format === "xlsx" ? await consolidatedReportToXlsx(report, r.locale) : await consolidatedReportToDocx(report, r.locale);
      return fileResponse(content, `so-ket-${s.campaign.slug}-dot-${s.phaseNumber}.${format}`, format);
    },
  });

  return [overview, exporter("xlsx"), exporter("docx"), unitView, decideUnitList];
}
