// Đơn vị: the unit tree with members, bot users, registered, approved and coverage (approved / members); a unit's page (its member count, edited
// here, and — for that unit's own officers only — who has not registered yet, by name); the units CSV upload with
// the CLI's validation, a preview, and nothing imported from a file with any problem.
import type { Context } from "hono";
import type { CoverageReport } from "../../app/ports.js";
import { parseUnitsCsv, checkUnitParents, type Problem } from "../../admin/units-csv.js";
import type { HttpEnv } from "../../http/server.js";
import { consoleCampaign } from "../campaign.js";
import { field, redirect, type ConsoleOptions, type ConsoleRequest } from "../context.js";
import { num, percent } from "../format.js";
import { html, join } from "../html.js";
import { CONSOLE_PATH, csrfField, page } from "../layout.js";
import type { ConsolePage } from "../routes.js";
import { subtreeOf, unitInScope } from "../scope.js";

/** PostgreSQL INTEGER, as the CSV import. */
const MAX_MEMBERS = 2_147_483_647;
/** Rows of the tree table; the rest are reached through their parent's page. */
const TREE_ROWS = 300;

interface Totals {
  members: number;
  subscribers: number;
  pledged: number;
  approved: number;
}

/** Each unit's subtree totals (own numbers plus its descendants'), from a report in tree order. */
function subtreeTotals(report: CoverageReport): Map<number, Totals> {
  const totals = new Map<number, Totals>();
  const parentOf = new Map(report.units.map((u) => [u.unitId, u.parentId]));
  for (const u of report.units) totals.set(u.unitId, { members: u.memberCount, subscribers: u.subscribers, pledged: u.pledged, approved: u.approved });
  // Children after parents in tree order: add each unit to its ancestors, deepest first.
  for (const u of [...report.units].reverse()) {
    const parent = u.parentId;
    if (parent !== null && totals.has(parent) && parentOf.has(parent)) {
      const p = totals.get(parent)!;
      const own = totals.get(u.unitId)!;
      p.members += own.members;
      p.subscribers += own.subscribers;
      p.pledged += own.pledged;
      p.approved += own.approved;
    }
  }
  return totals;
}

export function unitPages(options: ConsoleOptions): ConsolePage[] {
  const { store } = options;

  const problemText = (r: ConsoleRequest, p: Problem) => r.tr("console.units.line", { line: p.line, problem: p.kind ? r.tr(`unitsCsv.${p.kind}`, p.params ?? {}) : p.message });

  /** The file's problems (the CLI's checks) plus the scope's: a unit or parent outside the officer's units. */
  const validate = async (r: ConsoleRequest, text: string) => {
    const parsed = parseUnitsCsv(text);
    if (parsed.fatalProblem) return { rows: [], problems: [parsed.fatalProblem] };
    const stored = await store.queries.parentCodes();
    const problems = [...parsed.problems, ...checkUnitParents(parsed.rows, parsed.codes, stored)];
    if (!r.principal.wholeTree) {
      const inScope = new Set(r.principal.units.map((u) => u.code));
      const rootCodes = new Set(r.principal.roots.map((u) => u.code));
      for (const row of parsed.rows) {
        if (stored.has(row.code) && !inScope.has(row.code)) problems.push({ line: row.line, message: "", kind: "outOfScope", params: { code: row.code } });
        else if (rootCodes.has(row.code) && row.parentCode !== (stored.get(row.code) ?? null)) problems.push({ line: row.line, message: "", kind: "rootParent", params: { code: row.code } });
        else if (!rootCodes.has(row.code) && (row.parentCode === null || (stored.has(row.parentCode) && !inScope.has(row.parentCode)))) {
          problems.push({ line: row.line, message: "", kind: "parentOutOfScope", params: { code: row.code, parent: row.parentCode ?? "—" } });
        }
      }
    }
    problems.sort((a, b) => a.line - b.line);
    return { rows: parsed.rows, problems, stored };
  };

  const uploadForm = (r: ConsoleRequest) => html`<form method="post" action="${CONSOLE_PATH}/units/upload" enctype="multipart/form-data" class="card">
  <h2>${r.tr("console.units.upload")}</h2>
  <p class="muted">${r.tr("console.units.uploadHelp")}</p>
  ${csrfField(r)}
  <label for="csv">${r.tr("console.units.file")}</label>
  <input type="file" id="csv" name="file" accept=".csv,text/csv" required>
  <p><button type="submit">${r.tr("console.units.check")}</button></p>
</form>`;

  const list: ConsolePage = {
    method: "GET",
    path: `${CONSOLE_PATH}/units`,
    handler: async (c: Context<HttpEnv>, r) => {
      const { tr, locale, principal } = r;
      const { campaign } = await consoleCampaign(store.campaigns, r.now, r.timezone);
      const report = campaign ? await store.pledgeReports.coverage({ campaignId: campaign.id, unitIds: principal.units.map((u) => u.id), titles: false }) : null;
      const totals = report ? subtreeTotals(report) : new Map<number, Totals>();
      const depthOf = new Map(report?.units.map((u) => [u.unitId, u.depth]) ?? []);
      const imported = c.req.query("imported");
      const rows = principal.units.slice(0, TREE_ROWS).map((u) => {
        const t = totals.get(u.id) ?? { members: u.memberCount, subscribers: 0, pledged: 0, approved: 0 };
        const d = depthOf.get(u.id) ?? 0;
        return html`<tr><td class="depth-${Math.min(d, 6)}"><a href="${CONSOLE_PATH}/units/${encodeURIComponent(u.code)}">${u.name}</a> <span class="code">${u.code}</span></td><td class="num">${num(locale, u.memberCount)}</td><td class="num">${num(locale, t.members)}</td><td class="num">${num(locale, t.subscribers)}</td><td class="num">${num(locale, t.pledged)}</td><td class="num">${num(locale, t.approved)}</td><td class="num" data-sort="${t.members > 0 ? t.approved / t.members : -1}">${percent(t.approved, t.members)}</td></tr>`;
      });
      const body = html`${imported ? html`<p class="notice" role="status">${tr("console.units.imported", { summary: imported })}</p>` : html``}
<section class="card">
  <h2>${tr("console.units.tree")}</h2>
  <p class="muted">${tr("console.units.membersMeaning")}</p>
  <div class="table-wrap"><table class="sortable">
    <thead><tr><th scope="col">${tr("console.col.unit")}</th><th scope="col" class="num">${tr("console.units.ownMembers")}</th><th scope="col" class="num">${tr("console.units.subtreeMembers")}</th><th scope="col" class="num">${tr("console.col.subscribers")}</th><th scope="col" class="num">${tr("console.col.registered")}</th><th scope="col" class="num">${tr("console.col.approved")}</th><th scope="col" class="num">${tr("console.col.coverage")}</th></tr></thead>
    <tbody>${join(rows)}</tbody>
  </table></div>
  ${principal.units.length > TREE_ROWS ? html`<p class="muted">${tr("console.units.treeCut", { shown: TREE_ROWS, count: principal.units.length })}</p>` : html``}
</section>
${uploadForm(r)}`;
      return String(page(r, "units", tr("console.nav.units"), body));
    },
  };

  const upload: ConsolePage = {
    method: "POST",
    path: `${CONSOLE_PATH}/units/upload`,
    handler: async (_c, r) => {
      const { tr, locale } = r;
      const file = r.form.file;
      const fileName = file instanceof File ? file.name : "units.csv";
      const text = file instanceof File ? await file.text() : field(r.form, "csv");
      const { rows, problems, stored } = await validate(r, text);
      if (problems.length > 0) {
        const body = html`<div class="error" role="alert"><p><strong>${tr("console.units.refused", { file: fileName, count: problems.length })}</strong></p><ul>${join(problems.map((p) => html`<li>${problemText(r, p)}</li>`))}</ul></div>${uploadForm(r)}`;
        return String(page(r, "units", tr("console.units.upload"), body));
      }
      const preview = rows.map((row) => {
        const exists = stored!.has(row.code);
        return html`<tr><td>${exists ? tr("console.units.update") : tr("console.units.create")}</td><td>${row.code}</td><td>${row.name}</td><td>${row.parentCode ?? "—"}</td><td class="num">${num(locale, row.memberCount)}</td></tr>`;
      });
      const created = rows.filter((row) => !stored!.has(row.code)).length;
      const body = html`<p class="notice" role="status">${tr("console.units.valid", { file: fileName, count: rows.length, created, updated: rows.length - created })}</p>
<form method="post" action="${CONSOLE_PATH}/units/apply" class="card">
  ${csrfField(r)}
  <input type="hidden" name="file" value="${fileName}">
  <textarea name="csv" hidden aria-hidden="true">${text}</textarea>
  <div class="table-wrap"><table>
    <caption>${tr("console.units.preview")}</caption>
    <thead><tr><th scope="col"></th><th scope="col">${tr("console.col.code")}</th><th scope="col">${tr("console.col.unit")}</th><th scope="col">${tr("console.units.parent")}</th><th scope="col" class="num">${tr("console.units.ownMembers")}</th></tr></thead>
    <tbody>${join(preview)}</tbody>
  </table></div>
  <p><button type="submit">${tr("console.units.apply")}</button> <a href="${CONSOLE_PATH}/units">${tr("console.cancel")}</a></p>
</form>`;
      return String(page(r, "units", tr("console.units.preview"), body));
    },
  };

  const apply: ConsolePage = {
    method: "POST",
    path: `${CONSOLE_PATH}/units/apply`,
    handler: async (_c, r) => {
      const text = field(r.form, "csv");
      const { rows, problems } = await validate(r, text);
      // Checked again: the database may have changed since the preview.
      if (problems.length > 0 || rows.length === 0) {
        const body = html`<div class="error" role="alert"><ul>${join(problems.map((p) => html`<li>${problemText(r, p)}</li>`))}</ul></div>${uploadForm(r)}`;
        return String(page(r, "units", r.tr("console.units.upload"), body));
      }
      const result = await store.units.importAll(rows.map(({ code, name, parentCode, memberCount }) => ({ code, name, parentCode, memberCount })));
      await r.audit("units-import", { file: field(r.form, "file"), rows: rows.length, ...result });
      return redirect(`${CONSOLE_PATH}/units?imported=${encodeURIComponent(r.tr("console.units.importedSummary", { created: result.created, updated: result.updated }))}`);
    },
  };

  const detail: ConsolePage = {
    method: "GET",
    path: `${CONSOLE_PATH}/units/:code`,
    handler: async (c, r) => {
      const { tr, locale, principal } = r;
      const unit = unitInScope(r, decodeURIComponent(c.req.param("code") ?? ""));
      const subtree = subtreeOf(principal.units, unit.id);
      const children = principal.units.filter((u) => u.parentId === unit.id);
      const { campaign } = await consoleCampaign(store.campaigns, r.now, r.timezone);
      const report = campaign ? await store.pledgeReports.coverage({ campaignId: campaign.id, unitIds: subtree.map((u) => u.id), titles: false }) : null;
      const own = report?.units.find((u) => u.unitId === unit.id);
      // Names of people who have not registered: for the officers of this very unit only (not the levels above).
      const ownOfficer = principal.roots.length === 1 && principal.roots[0]!.id === unit.id;
      const missing = ownOfficer && campaign ? await store.queries.unregistered(unit.id, campaign.id) : null;
      const saved = c.req.query("saved");
      const body = html`${saved ? html`<p class="notice" role="status">${tr("console.units.saved")}</p>` : html``}
<section class="card">
  <dl class="figures">
    <dt>${tr("console.col.code")}</dt><dd>${unit.code}</dd>
    <dt>${tr("console.units.ownMembers")}</dt><dd data-field="own-members">${num(locale, unit.memberCount)}</dd>
    <dt>${tr("console.units.subtreeMembers")}</dt><dd data-field="subtree-members">${num(locale, report?.total.memberCount ?? subtree.reduce((s, u) => s + u.memberCount, 0))}</dd>
    <dt>${tr("console.col.subscribers")}</dt><dd>${num(locale, own?.subscribers ?? 0)}</dd>
    <dt>${tr("console.col.registered")}</dt><dd data-field="pledged">${num(locale, own?.pledged ?? 0)}</dd>
    <dt>${tr("console.col.approved")}</dt><dd data-field="approved">${num(locale, own?.approved ?? 0)}</dd>
    <dt>${tr("console.col.coverage")}</dt><dd data-field="percent">${percent(own?.approved ?? 0, unit.memberCount)}</dd>
  </dl>
</section>
<form method="post" action="${CONSOLE_PATH}/units/${encodeURIComponent(unit.code)}/members" class="card">
  <h2>${tr("console.units.editMembers")}</h2>
  ${csrfField(r)}
  <label for="members">${tr("console.units.ownMembersLabel")}</label>
  <input type="number" id="members" name="members" min="0" max="${MAX_MEMBERS}" step="1" value="${unit.memberCount}" required aria-describedby="members-help">
  <p id="members-help" class="muted">${tr("console.units.ownMembersHelp", { children: children.length })}</p>
  <p><button type="submit">${tr("console.save")}</button></p>
</form>
${children.length > 0 ? html`<section class="card"><h2>${tr("console.units.children")}</h2><ul>${join(children.map((u) => html`<li><a href="${CONSOLE_PATH}/units/${encodeURIComponent(u.code)}">${u.name}</a> <span class="code">${u.code}</span> — ${num(locale, u.memberCount)}</li>`))}</ul></section>` : html``}
<section class="card">
  <h2>${tr("console.units.unregistered")}</h2>
  ${missing === null ? html`<p class="muted">${tr("console.units.unregisteredOwnOnly")}</p>` : missing.length === 0 ? html`<p>${tr("console.units.unregisteredNone")}</p>` : html`<p>${tr("console.units.unregisteredCount", { count: missing.length })}</p><ul class="columns" data-testid="unregistered">${join(missing.map((p) => html`<li>${p.name}</li>`))}</ul>`}
</section>`;
      return String(page(r, "units", unit.name, body));
    },
  };

  const editMembers: ConsolePage = {
    method: "POST",
    path: `${CONSOLE_PATH}/units/:code/members`,
    handler: async (c, r) => {
      const unit = unitInScope(r, decodeURIComponent(c.req.param("code") ?? ""));
      const typed = field(r.form, "members").trim();
      if (!/^\d{1,10}$/.test(typed) || Number(typed) > MAX_MEMBERS) {
        const body = html`<div class="error" role="alert"><p>${r.tr("console.units.badMembers", { value: typed })}</p></div><p><a href="${CONSOLE_PATH}/units/${encodeURIComponent(unit.code)}">${r.tr("console.back")}</a></p>`;
        return new Response(String(page(r, "units", unit.name, body)), { status: 400, headers: { "content-type": "text/html; charset=utf-8" } });
      }
      await store.queries.setMemberCount(unit.id, Number(typed));
      await r.audit("unit-members", { unit: unit.code, from: unit.memberCount, to: Number(typed) });
      return redirect(`${CONSOLE_PATH}/units/${encodeURIComponent(unit.code)}?saved=1`);
    },
  };

  return [list, upload, apply, detail, editMembers];
}
