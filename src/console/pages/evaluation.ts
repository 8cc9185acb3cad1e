// Bình xét (year-end evaluation): per unit, the people with an approved registration, their results, the proposal per
// person (a title of the plan, or none with a reason) and, at the level above, the decision with who decided — all
// through the app layer (../../app/cycle/evaluation.ts), which refuses a person without an approved registration, a
// unit outside the scope, one's own unit's decisions. The decision list exports as XLSX and DOCX; the commendation
// drafted from the decisions is edited here and goes to the broadcasts page's preview (recipient count, send once,
// quiet hours, live delivery report) — one sending path for every announcement.
import type { Context } from "hono";
import { BROADCAST_MAX_TEXT } from "../../app/broadcast-dispatch.js";
import { commendationDraft, decideEvaluation, decisionList, decisionsToDocx, decisionsToXlsx, evaluationCandidates, proposeTitle, type Candidate } from "../../app/cycle/evaluation.js";
import type { StoredCampaign } from "../../app/ports.js";
import { titleName } from "../../app/pledge-text.js";
import type { HttpEnv } from "../../http/server.js";
import { consoleCampaign } from "../campaign.js";
import { field, fileResponse, type ConsoleOptions, type ConsoleRequest } from "../context.js";
import { dateTime } from "../format.js";
import { html, join, type Html } from "../html.js";
import { CONSOLE_PATH, csrfField, page } from "../layout.js";
import type { ConsolePage } from "../routes.js";
import { subtreeOf } from "../scope.js";
import { resultItems } from "../photos.js";

/** The longest "no title" reason (one line in the decision list). */
const REASON_MAX = 300;
/** People shown at once; a unit filter narrows a federation's list. */
const PEOPLE_SHOWN = 200;

export function evaluationPages(options: ConsoleOptions): ConsolePage[] {
  const { store } = options;

  const campaignOf = async (c: Context<HttpEnv>, r: ConsoleRequest): Promise<{ campaign: StoredCampaign; all: StoredCampaign[] } | null> => {
    const { campaign, all } = await consoleCampaign(store.campaigns, r.now, r.timezone, c.req.query("campaign"));
    return campaign ? { campaign, all } : null;
  };
  const noCampaign = (r: ConsoleRequest) => String(page(r, "evaluation", r.tr("console.nav.evaluation"), html`<p>${r.tr("console.noCampaign")}</p>`));

  const render = async (c: Context<HttpEnv>, r: ConsoleRequest, notice: Html = html``) => {
    const { tr, locale, principal } = r;
    const chosen = await campaignOf(c, r);
    if (!chosen) return noCampaign(r);
    const { campaign } = chosen;
    const def = campaign.definition;
    const scope = principal.units;
    const chosenUnit = scope.find((u) => u.code === c.req.query("unit"));
    const all = await evaluationCandidates(store, { campaign, scope: chosenUnit ? subtreeOf(scope, chosenUnit.id) : scope });
    const candidates = all.slice(0, PEOPLE_SHOWN);
    const decisions = await decisionList(store, { campaign, scope, locale: "vi" });
    const names = new Map<number, string>();
    const nameOf = async (id: number) => {
      if (!names.has(id)) names.set(id, (await store.subscribers.findById(id))?.displayName ?? `#${id}`);
      return names.get(id)!;
    };
    const title = (key: string) => titleName(def, key, locale);
    const q = new URLSearchParams({ campaign: campaign.slug, ...(chosenUnit ? { unit: chosenUnit.code } : {}) }).toString();
    const canAct = principal.subscriberId !== null;
    const rootId = principal.roots[0]?.id;
    const titleOptions = (selected: string | null, withNone: boolean) =>
      html`${withNone ? html`<option value=""${selected === null ? html` selected` : html``}>${tr("evaluation.noTitle")}</option>` : html``}${join(def.titles.map((x) => html`<option value="${x.key}"${x.key === selected ? html` selected` : html``}>${title(x.key)}</option>`))}`;

    const person = async (p: Candidate) => {
      const e = p.evaluation;
      const code = p.pledges[0]!.code;
      const pledgeResult = p.results.find((x) => x.item === "pledge");
      const decided = e?.decision != null;
      const proposal = e
        ? html`<p data-testid="proposal">${tr("console.evaluation.proposed")}: <strong>${e.titleKey ? title(e.titleKey) : tr("evaluation.noTitle")}</strong>${e.reason ? html` — ${e.reason}` : html``} <span class="muted">(${await nameOf(e.proposedById)}, ${dateTime(e.proposedAt, r.timezone)})</span></p>`
        : html`<p data-testid="proposal" class="muted">${tr("console.evaluation.noProposal")}</p>`;
      const decision =
        e && decided
          ? html`<p data-testid="decision">${tr("evaluation.col.decision")}: <strong>${tr(`evaluation.decision.${e.decision}`)}${e.decidedTitle ? ` — ${title(e.decidedTitle)}` : ""}</strong> <span class="muted">(${e.decidedById === null ? "" : await nameOf(e.decidedById)}${e.decidedAt ? `, ${dateTime(e.decidedAt, r.timezone)}` : ""})</span></p>`
          : html``;
      const proposeForm =
        canAct && !decided
          ? html`<form method="post" action="${CONSOLE_PATH}/evaluation/propose?${q}" class="inline">${csrfField(r)}<input type="hidden" name="code" value="${code}">
  <div><label for="t-${p.subscriberId}">${tr("console.evaluation.proposeTitle", { name: p.fullName })}</label><select id="t-${p.subscriberId}" name="title">${titleOptions(e ? e.titleKey : (p.pledges[0]!.items.find((i) => i.type === "title")?.key ?? null), true)}</select></div>
  <div><label for="r-${p.subscriberId}">${tr("console.evaluation.reason")}</label><input type="text" id="r-${p.subscriberId}" name="reason" maxlength="${REASON_MAX}" value="${e?.reason ?? ""}"></div>
  <div><button type="submit">${tr("console.evaluation.propose")}</button></div>
</form>`
          : html``;
      const decideForm =
        canAct && e && !decided && p.unit.id !== rootId
          ? html`<form method="post" action="${CONSOLE_PATH}/evaluation/decide?${q}" class="inline">${csrfField(r)}<input type="hidden" name="code" value="${code}">
  <div><label for="d-${p.subscriberId}">${tr("console.evaluation.decideTitle", { name: p.fullName })}</label><select id="d-${p.subscriberId}" name="title">${titleOptions(e.titleKey ?? def.titles[0]?.key ?? null, false)}</select></div>
  <div><button type="submit" name="award" value="yes">${tr("evaluation.decision.awarded")}</button> <button type="submit" name="award" value="no" class="secondary">${tr("evaluation.decision.not-awarded")}</button></div>
</form>`
          : html``;
      return html`<article class="card person" id="person-${p.subscriberId}" data-person="${p.fullName}" aria-labelledby="pn-${p.subscriberId}">
  <h3 id="pn-${p.subscriberId}">${p.fullName}</h3>
  <ul>${join(p.pledges.map((x) => html`<li><a href="${CONSOLE_PATH}/pledges/${encodeURIComponent(x.code)}">${x.code}</a> — ${x.items.filter((i) => i.type === "title").map((i) => title(i.key ?? "")).join(", ") || tr("console.evaluation.noTitles")}</li>`))}</ul>
  <p>${tr("console.evaluation.result")}: ${pledgeResult ? tr(`console.evaluation.outcome.${pledgeResult.outcome}`) : tr("console.evaluation.outcome.none")}${pledgeResult?.note ? html` — ${pledgeResult.note}` : html``}</p>
  ${join(p.pledges.map((x) => resultItems(r, x, p.results, p.fullName)))}
  ${proposal}${decision}${proposeForm}${decideForm}
</article>`;
    };

    const units = [...new Set(candidates.map((p) => p.unit.id))].map((id) => candidates.filter((p) => p.unit.id === id));
    const sections: Html[] = [];
    for (const people of units) {
      const unit = people[0]!.unit;
      sections.push(html`<section aria-labelledby="u-${unit.code}" data-unit="${unit.code}"><h2 id="u-${unit.code}">${unit.name} <span class="code">${unit.code}</span></h2>${join(await Promise.all(people.map(person)))}</section>`);
    }
    const awarded = decisions.filter((d) => d.decision === "awarded").length;
    const body = html`${notice}<p class="muted">${tr("console.evaluation.intro")}</p>
<form method="get" action="${CONSOLE_PATH}/evaluation" class="card inline" aria-label="${tr("console.evaluation.filter")}"><input type="hidden" name="campaign" value="${campaign.slug}">
  <div><label for="e-unit">${tr("console.col.unit")}</label><select id="e-unit" name="unit"><option value="">${tr("console.pledges.all")}</option>${join(scope.slice(0, 2000).map((u) => html`<option value="${u.code}"${u.id === chosenUnit?.id ? html` selected` : html``}>${u.name} (${u.code})</option>`))}</select></div>
  <div><button type="submit">${tr("console.pledges.apply")}</button></div>
</form>
${all.length > candidates.length ? html`<p class="notice" role="status">${tr("console.evaluation.shown", { shown: candidates.length, total: all.length })}</p>` : html``}
${
  canAct
    ? html`<form method="post" action="${CONSOLE_PATH}/evaluation/propose?${q}" class="card inline" aria-label="${tr("console.evaluation.byCode")}">${csrfField(r)}
  <div><label for="by-code">${tr("console.evaluation.code")}</label><input type="text" id="by-code" name="code" required maxlength="40" autocomplete="off"></div>
  <div><label for="by-code-title">${tr("console.evaluation.titleLabel")}</label><select id="by-code-title" name="title">${titleOptions(def.titles[0]?.key ?? null, true)}</select></div>
  <div><label for="by-code-reason">${tr("console.evaluation.reason")}</label><input type="text" id="by-code-reason" name="reason" maxlength="${REASON_MAX}"></div>
  <div><button type="submit">${tr("console.evaluation.propose")}</button></div>
</form>`
    : html`<p class="notice">${tr("console.evaluation.setupCannot")}</p>`
}
${candidates.length === 0 ? html`<p class="card">${tr("console.evaluation.none")}</p>` : join(sections)}
<section class="card" aria-labelledby="decisions-h">
  <h2 id="decisions-h">${tr("console.evaluation.decisions")}</h2>
  <p data-testid="decision-count">${tr("console.evaluation.decisionCount", { proposals: decisions.length, decided: decisions.filter((d) => d.decision !== null).length, awarded })}</p>
  <p>${tr("console.evaluation.export")}: <a class="button secondary" href="${CONSOLE_PATH}/evaluation/export.xlsx?${q}" download>XLSX</a> <a class="button secondary" href="${CONSOLE_PATH}/evaluation/export.docx?${q}" download>DOCX</a></p>
  ${
    awarded > 0 && canAct
      ? html`<form method="post" action="${CONSOLE_PATH}/broadcasts/preview">${csrfField(r)}<input type="hidden" name="audience" value="subtree"><input type="hidden" name="when" value="now">
  <label for="commendation">${tr("console.evaluation.commendation")}</label>
  <textarea id="commendation" name="text" rows="8" maxlength="${BROADCAST_MAX_TEXT}" required aria-describedby="commendation-help">${commendationDraft(campaign, decisions, "vi")}</textarea>
  <p id="commendation-help" class="muted">${tr("console.evaluation.commendationHelp")}</p>
  <p><button type="submit">${tr("console.evaluation.preview")}</button></p>
</form>`
      : html`<p class="muted">${tr("console.evaluation.noAwards")}</p>`
  }
</section>`;
    return String(page(r, "evaluation", tr("console.nav.evaluation"), body));
  };

  const view: ConsolePage = { method: "GET", path: `${CONSOLE_PATH}/evaluation`, handler: (c, r) => render(c, r) };

  const alert = (c: Context<HttpEnv>, r: ConsoleRequest, text: string) => render(c, r, html`<p class="error" role="alert">${text}</p>`);

  /** A POST on one person's evaluation: by an officer (not the setup link), in the chosen campaign, on the pledge `code`. */
  const onePledge = (action: string, act: (c: Context<HttpEnv>, r: ConsoleRequest, officer: { id: number }, campaign: StoredCampaign, code: string) => Promise<string>): ConsolePage => ({
    method: "POST",
    path: `${CONSOLE_PATH}/evaluation/${action}`,
    handler: async (c, r) => {
      const chosen = await campaignOf(c, r);
      if (!chosen) return noCampaign(r);
      if (r.principal.subscriberId === null) return alert(c, r, r.tr("console.evaluation.setupCannot"));
      return act(c, r, { id: r.principal.subscriberId }, chosen.campaign, field(r.form, "code").trim().slice(0, 40));
    },
  });

  const propose = onePledge("propose", async (c, r, officer, campaign, code) => {
    const { tr, form, principal } = r;
    const titleKey = field(form, "title") || null;
    const reason = field(form, "reason").trim();
    if (reason.length > REASON_MAX) return alert(c, r, tr("console.evaluation.reasonTooLong", { max: REASON_MAX }));
    const result = await proposeTitle(store, { officer, scope: principal.units, campaign, pledgeCode: code, titleKey, reason, now: r.now });
    if (!result.ok) return alert(c, r, tr(`console.evaluation.refused.${result.reason}`, { code }));
    await r.audit("evaluation-propose", { code: code.toUpperCase(), title: titleKey, ...(reason ? { reason } : {}) });
    return render(c, r, html`<p class="notice" role="status">${tr("console.evaluation.proposedDone", { name: result.evaluation.fullName })}</p>`);
  });

  const decide = onePledge("decide", async (c, r, officer, campaign, code) => {
    const { tr, form, principal } = r;
    const award = field(form, "award");
    if (award !== "yes" && award !== "no") return alert(c, r, tr("console.evaluation.chooseDecision"));
    const titleKey = field(form, "title");
    const result = await decideEvaluation(store, { officer, scope: principal.units, campaign, pledgeCode: code, award: award === "yes", ...(titleKey ? { titleKey } : {}), now: r.now });
    if (!result.ok) return alert(c, r, tr(`console.evaluation.refusedDecision.${result.reason}`, { code }));
    await r.audit("evaluation-decide", { code: code.toUpperCase(), decision: result.evaluation.decision, title: result.evaluation.decidedTitle });
    return render(c, r, html`<p class="notice" role="status">${tr("console.evaluation.decidedDone", { name: result.evaluation.fullName })}</p>`);
  });

  const exporter = (format: "xlsx" | "docx"): ConsolePage => ({
    method: "GET",
    path: `${CONSOLE_PATH}/evaluation/export.${format}`,
    handler: async (c, r) => {
      const chosen = await campaignOf(c, r);
      if (!chosen) return noCampaign(r);
      const rows = await decisionList(store, { campaign: chosen.campaign, scope: r.principal.units, locale: r.locale });
      await r.audit("evaluation-export", { format, campaign: chosen.campaign.slug, rows: rows.length });
      const content = format === "xlsx" ? await decisionsToXlsx(chosen.campaign, rows, r.locale) : await decisionsToDocx(chosen.campaign, rows, r.locale);
      return fileResponse(content, `binh-xet-${chosen.campaign.slug}.${format}`, format);
    },
  });

  return [view, propose, decide, exporter("xlsx"), exporter("docx")];
}
