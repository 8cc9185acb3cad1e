// Nhập kế hoạch từ văn bản: a federation officer uploads the plan document (.docx/.pdf/.txt), sees the extracted
// plan beside the text with every value highlighted where it was found, corrects any field and publishes it.
//
// Nothing between the steps is trusted: the review form carries the document's text and the officer's corrections
// (multipart, so Vietnamese text is not percent-encoded to three times its size);
// on publish the draft is extracted again from that text, the corrections laid over it, and the whole plan validated
// as a YAML upload is (checkCampaign) before it is stored the way `campaign load` stores it. Only the federation
// level (a scope at the top of the unit tree) may import: checked on every request from the live grant.
import type { Context } from "hono";
import { catalogKeys, t } from "../../app/i18n.js";
import { describeCheck } from "../../app/plan-check-text.js";
import { formatPath, isIsoDate, type CampaignProblem } from "../../domain/campaign.js";
import { checkCampaign, normalizeStrings } from "../../domain/campaign-parse.js";
import { formatDateVi, localDate } from "../../domain/clock.js";
import { extractPlan, type CampaignDraft, type PlanExtraction } from "../../domain/plan-import/extract-plan.js";
import { pathKey, type CheckReason, type FieldPath } from "../../domain/plan-import/findings.js";
import type { SourceSpan } from "../../domain/plan-import/source-span.js";
import type { HttpEnv } from "../../http/server.js";
import { planDocumentKind, planTextFromBytes } from "../../plan-documents.js";
import { field, htmlResponse, redirect, type ConsoleOptions, type ConsoleRequest } from "../context.js";
import { html, join, type Html } from "../html.js";
import { CONSOLE_PATH, csrfField, isFederation, page } from "../layout.js";
import { applyForm, draftFields, formPath, getIn, isoFromForm, type AppliedForm, type DraftField, type FieldGroup } from "../plan-draft-form.js";
import type { ConsolePage } from "../routes.js";
import { CONSOLE_BODY_LIMIT } from "../routes.js";
import { markedSource, sourceMarkId, type SourceMark } from "../source-marks.js";

export const PLAN_IMPORT_PATH = `${CONSOLE_PATH}/plans/import`;
const PUBLISH_PATH = `${PLAN_IMPORT_PATH}/publish`;
/** Characters of plan text read at most: a plan is 10–40 thousand; reading 300 thousand takes ~0.1 s. */
export const PLAN_TEXT_LIMIT = 300_000;

interface Problem {
  path: FieldPath;
  message: string;
}

interface Review {
  fileName: string;
  documentDate: string;
  extraction: PlanExtraction;
  applied?: AppliedForm;
  problems?: Problem[];
}

const placeholderOf = (r: ConsoleRequest) => r.tr("planImport.placeholder");
const PLACEHOLDERS = new Set([t("vi", "planImport.placeholder"), t("en", "planImport.placeholder")]);

/** A file name to show and store: its last part, printable, at most 120 characters. */
const cleanFileName = (name: string) => (name.split(/[\\/]/).pop() ?? "").replace(/[\u0000-\u001f\u007f]/g, "").slice(0, 120);

export function planImportPages(options: ConsoleOptions): ConsolePage[] {
  const { store } = options;

  const refused = (r: ConsoleRequest) =>
    htmlResponse(String(page(r, "planImport", r.tr("console.planImport.title"), html`<section class="card"><p>${r.tr("console.planImport.refused")}</p><p><a href="${CONSOLE_PATH}">${r.tr("console.backHome")}</a></p></section>`)), 403);

  const uploadPage = (r: ConsoleRequest, extra: { errors?: string[]; notice?: Html; documentDate?: string } = {}) => {
    const { tr } = r;
    const documentDate = extra.documentDate ?? localDate(r.now, r.timezone);
    return String(
      page(
        r,
        "planImport",
        tr("console.planImport.title"),
        html`${extra.notice ?? html``}${extra.errors?.length ? errorBox(tr("console.planImport.uploadRefused"), extra.errors.map((e) => html`${e}`)) : html``}
<p>${tr("console.planImport.intro")}</p>
<form class="card" method="post" action="${PLAN_IMPORT_PATH}" enctype="multipart/form-data">
  ${csrfField(r)}
  <label for="plan-file">${tr("console.planImport.file")}</label>
  <input type="file" id="plan-file" name="file" accept=".docx,.pdf,.txt,.md" required aria-describedby="plan-file-hint">
  <p id="plan-file-hint" class="muted">${tr("console.planImport.fileHint", { mb: CONSOLE_BODY_LIMIT / 1024 / 1024 })}</p>
  <label for="document-date">${tr("console.planImport.documentDate")} <span class="muted small">(${tr("console.planImport.dateFormat")})</span></label>
  <input type="text" class="date" inputmode="numeric" autocomplete="off" id="document-date" name="document_date" value="${documentDate && isIsoDate(documentDate) ? formatDateVi(documentDate) : documentDate}" required aria-describedby="document-date-hint">
  <p id="document-date-hint" class="muted">${tr("console.planImport.documentDateHint")}</p>
  <p><button type="submit">${tr("console.planImport.read")}</button></p>
</form>`,
      ),
    );
  };

  const show = async (c: Context<HttpEnv>, r: ConsoleRequest) => {
    if (!isFederation(r.principal)) return refused(r);
    const slug = c.req.query("published");
    const published = slug ? await store.campaigns.findBySlug(slug) : null;
    const notice = published
      ? html`<div class="notice" role="status"><p>${r.tr("console.planImport.published", { title: published.definition.title, slug: published.slug, phases: published.definition.phases.length, anniversaries: published.definition.anniversaries.length })}</p></div>`
      : undefined;
    return uploadPage(r, notice ? { notice } : {});
  };

  const upload = async (_c: Context<HttpEnv>, r: ConsoleRequest) => {
    if (!isFederation(r.principal)) return refused(r);
    const { tr } = r;
    const documentDate = isoFromForm(field(r.form, "document_date").trim());
    const file = r.form.file;
    const errors: string[] = [];
    if (!isIsoDate(documentDate)) errors.push(tr("console.planImport.badDocumentDate"));
    if (!(file instanceof File) || file.size === 0) errors.push(tr("console.planImport.noFile"));
    const fileName = file instanceof File ? cleanFileName(file.name) : "";
    const kind = planDocumentKind(fileName);
    if (file instanceof File && file.size > 0 && !kind) errors.push(tr("console.planImport.badKind", { file: fileName }));
    if (errors.length > 0 || !(file instanceof File) || !kind) return htmlResponse(uploadPage(r, { errors, documentDate: isIsoDate(documentDate) ? documentDate : "" }));
    const text = await planTextFromBytes(new Uint8Array(await file.arrayBuffer()), kind);
    if (!text.ok) return htmlResponse(uploadPage(r, { errors: [tr("console.planImport.unreadable", { file: fileName })], documentDate }));
    if (text.text.length > PLAN_TEXT_LIMIT) return htmlResponse(uploadPage(r, { errors: [tr("console.planImport.tooLong", { file: fileName, max: PLAN_TEXT_LIMIT.toLocaleString(r.locale === "vi" ? "vi-VN" : "en-US") })], documentDate }));
    const extraction = extractPlan(text.text, { documentDate, placeholder: placeholderOf(r) });
    return reviewPage(r, { fileName, documentDate, extraction });
  };

  const publish = async (_c: Context<HttpEnv>, r: ConsoleRequest) => {
    if (!isFederation(r.principal)) return refused(r);
    const { tr } = r;
    const source = field(r.form, "source");
    const documentDate = field(r.form, "document_date");
    const fileName = cleanFileName(field(r.form, "file_name"));
    if (source.trim() === "" || source.replace(/\r\n?/g, "\n").length > PLAN_TEXT_LIMIT || !isIsoDate(documentDate)) return htmlResponse(uploadPage(r, { errors: [tr("console.planImport.expired")] }));
    // The same extraction as the review showed; the form only replaces the fields it lists.
    const extraction = extractPlan(source, { documentDate, placeholder: placeholderOf(r) });
    const applied = applyForm(extraction.draft, (name) => (typeof r.form[name] === "string" ? (r.form[name] as string) : undefined));
    const raw = normalizeStrings(applied.campaign);
    const { campaign, problems } = checkCampaign(raw);
    const found: Problem[] = problems.map((p) => ({ path: formPath(p.path, applied.kept), message: problemText(r, p) }));
    // A value the importer could not find and nobody filled in is still the placeholder text: not a plan yet.
    for (const p of placeholdersIn(raw)) found.push({ path: formPath(p, applied.kept), message: tr("console.planImport.placeholderLeft") });
    const existing = campaign ? await store.campaigns.findBySlug(campaign.slug) : null;
    if (existing) found.push({ path: ["slug"], message: tr("console.planImport.slugTaken", { slug: existing.slug, title: existing.definition.title }) });
    if (found.length > 0 || !campaign) return htmlResponse(reviewPage(r, { fileName, documentDate, extraction, applied, problems: found }));
    const { id } = await store.campaigns.upsert(campaign, fileName || undefined);
    await r.audit("plan-import", { slug: campaign.slug, campaignId: id, file: fileName, phases: campaign.phases.length, anniversaries: campaign.anniversaries.length });
    return redirect(`${PLAN_IMPORT_PATH}?published=${encodeURIComponent(campaign.slug)}`);
  };

  return [
    { method: "GET", path: PLAN_IMPORT_PATH, handler: show },
    { method: "POST", path: PLAN_IMPORT_PATH, handler: upload },
    { method: "POST", path: PUBLISH_PATH, handler: publish },
  ];
}

/** A validation problem in the officer's language (dates as the plan writes them), else as the validator words it. */
function problemText(r: ConsoleRequest, problem: CampaignProblem): string {
  const key = `campaign.problem.${problem.code}`;
  if (!PROBLEM_KEYS.has(key)) return problem.message;
  const params = Object.fromEntries(Object.entries(problem.params).map(([k, v]) => [k, typeof v === "string" ? v.replace(/^(\d{4})-(\d{2})-(\d{2})$/, "$3/$2/$1") : v]));
  return r.tr(key, params);
}
const PROBLEM_KEYS = new Set(catalogKeys("vi").filter((k) => k.startsWith("campaign.problem.")));

function placeholdersIn(value: unknown, path: FieldPath = []): FieldPath[] {
  if (typeof value === "string") return PLACEHOLDERS.has(value) ? [path] : [];
  if (Array.isArray(value)) return value.flatMap((v, i) => placeholdersIn(v, [...path, i]));
  if (typeof value === "object" && value !== null) return Object.entries(value).flatMap(([k, v]) => placeholdersIn(v, [...path, k]));
  return [];
}

const errorBox = (title: string, lines: Html[]) => html`<div class="error" role="alert" tabindex="-1" id="problems"><p><strong>${title}</strong></p><ul>${join(lines.map((l) => html`<li>${l}</li>`))}</ul></div>`;

/** Where a field's value was read and why to check it: the finding on its path (a title's on its name). */
function findingsByField(extraction: PlanExtraction): Map<string, { span?: SourceSpan; checks: CheckReason[] }> {
  const out = new Map<string, { span?: SourceSpan; checks: CheckReason[] }>();
  const note = (path: FieldPath, span: SourceSpan | undefined, checks: CheckReason[]) => {
    const key = pathKey(path[0] === "titles" && path.length === 3 ? ["titles", path[1]!, "keep"] : path);
    const entry = out.get(key) ?? { checks: [] };
    if (!entry.span && span) entry.span = span;
    for (const c of checks) if (!entry.checks.some((known) => JSON.stringify(known) === JSON.stringify(c))) entry.checks.push(c);
    out.set(key, entry);
  };
  for (const f of extraction.findings) note(f.path, f.span, f.checks);
  for (const w of extraction.warnings) if (w.path) note(w.path, w.span, [w.reason]);
  return out;
}

function groupLabel(r: ConsoleRequest, group: FieldGroup): string {
  switch (group.kind) {
    case "phase":
      return group.name || r.tr("console.planImport.phase", { number: group.index + 1 });
    case "anniversary":
      return r.tr("console.planImport.anniversary", { number: group.index + 1 });
    case "movement":
      return r.tr("console.planImport.movement", { number: group.index + 1 });
    default:
      return r.tr(`console.planImport.group.${group.kind}`);
  }
}

function reviewPage(r: ConsoleRequest, review: Review): string {
  const { tr } = r;
  const { extraction } = review;
  const draft: CampaignDraft = review.applied?.edited ?? extraction.draft;
  const ticked = review.applied?.ticked;
  const fields = draftFields(extraction.draft);
  const byName = new Map(fields.map((f) => [f.name, f]));
  const found = findingsByField(extraction);
  const problems = review.problems ?? [];
  const problemsAt = new Map<string, string[]>();
  for (const p of problems) {
    const key = pathKey(p.path);
    problemsAt.set(key, [...(problemsAt.get(key) ?? []), p.message]);
  }

  // The marks in the text: every field with a place, the standard titles' sentence, and warnings tied to no field.
  const marks: SourceMark[] = [];
  for (const f of fields) {
    const at = found.get(f.name);
    if (at?.span) marks.push({ id: f.id, span: at.span, flagged: at.checks.length > 0 });
  }
  const titlesFinding = found.get("titles");
  if (titlesFinding?.span) marks.push({ id: "f-titles", span: titlesFinding.span, flagged: titlesFinding.checks.length > 0 });
  const looseWarnings = extraction.warnings.filter((w) => !w.path);
  looseWarnings.forEach((w, i) => w.span && marks.push({ id: `w-${i}`, span: w.span, flagged: true }));

  const describe = (c: CheckReason) => describeCheck(c, tr);
  const labelOf = (path: FieldPath): { text: string; id?: string } => {
    // A problem on a field of the form names that field; one inside a field (a list item) names its nearest field.
    for (let n = path.length; n > 0; n--) {
      const f = byName.get(pathKey(path.slice(0, n)));
      if (f) return { text: f.group.kind === "general" || f.group.kind === "reporting" ? tr(`console.planImport.field.${f.label}`) : `${groupLabel(r, f.group)} — ${tr(`console.planImport.field.${f.label}`)}`, id: f.id };
    }
    return { text: formatPath(path) || tr("console.planImport.wholePlan") };
  };

  const control = (f: DraftField): Html => {
    const at = found.get(f.name);
    const checks = at?.checks ?? [];
    const errors = problemsAt.get(f.name) ?? [];
    const describedBy = [checks.length ? `${f.id}-check` : "", errors.length ? `${f.id}-error` : ""].filter(Boolean).join(" ");
    const aria = html`${describedBy ? html` aria-describedby="${describedBy}"` : html``}${errors.length ? html` aria-invalid="true"` : html``}${at?.span ? html` data-mark="${f.id}"` : html``}`;
    const value = getIn(draft, f.path);
    const label = tr(`console.planImport.field.${f.label}`);
    let input: Html;
    if (f.kind === "remove" || f.kind === "keep") {
      const checked = ticked ? ticked.has(f.name) : f.kind === "keep";
      const title = f.kind === "keep" ? draft.titles[f.path[1] as number] : undefined;
      const text = title ? `${title.name} (${tr(`console.planImport.scope.${title.scope}`)})` : label;
      input = html`<label class="tick" for="${f.id}"><input type="checkbox" id="${f.id}" name="${f.name}" value="1"${checked ? html` checked` : html``}${aria}> ${text}</label>`;
    } else if (f.kind === "textarea") {
      input = html`<label for="${f.id}">${label}</label><textarea id="${f.id}" name="${f.name}" rows="${Math.min(6, Math.max(2, Math.ceil(String(value ?? "").length / 30)))}"${aria}>${String(value ?? "")}</textarea>`;
    } else {
      const shown = f.kind === "date" && typeof value === "string" && isIsoDate(value) ? formatDateVi(value) : String(value ?? "");
      input = html`<label for="${f.id}">${label}${f.kind === "date" ? html` <span class="muted small">(${tr("console.planImport.dateFormat")})</span>` : html``}</label><input type="text" id="${f.id}" name="${f.name}" value="${shown}"${f.kind === "number" || f.kind === "date" ? html` inputmode="numeric"` : html``}${f.kind === "date" ? html` class="date" autocomplete="off"` : html``}${aria}>`;
    }
    const where = at?.span
      ? html`<a class="to-source" href="#${sourceMarkId(f.id)}" data-mark="${f.id}">${tr("console.planImport.seeInText")}</a>`
      : f.kind === "remove" || f.kind === "keep"
        ? html``
        : html`<span class="muted small">${tr("console.planImport.notInText")}</span>`;
    return html`<div class="pf${checks.length ? " flagged" : ""}${errors.length ? " invalid" : ""}" id="${f.id}-wrap">
${input}
${checks.length ? html`<p class="check" id="${f.id}-check"><strong>${tr("console.planImport.toCheck")}</strong> ${checks.map(describe).join("; ")}</p>` : html``}
${errors.length ? html`<p class="field-error" id="${f.id}-error">${errors.join("; ")}</p>` : html``}
${where}
</div>`;
  };

  // Fields grouped as in the plan: general, each phase, each anniversary, each movement, titles, works and reporting.
  const groups: { key: string; legend: string; fields: DraftField[]; note?: Html; id?: string }[] = [];
  for (const f of fields) {
    const key = f.group.kind === "phase" || f.group.kind === "anniversary" || f.group.kind === "movement" ? `${f.group.kind}-${f.group.index}` : f.group.kind;
    let g = groups.find((x) => x.key === key);
    if (!g) {
      g = { key, legend: groupLabel(r, f.group), fields: [] };
      groups.push(g);
    }
    g.fields.push(f);
  }
  const titles = groups.find((g) => g.key === "titles");
  if (titles) {
    titles.id = "f-titles";
    if (titlesFinding?.checks.length) titles.note = html`<p class="check"><strong>${tr("console.planImport.toCheck")}</strong> ${titlesFinding.checks.map(describe).join("; ")}${titlesFinding.span ? html` <a class="to-source" href="#${sourceMarkId("f-titles")}" data-mark="f-titles">${tr("console.planImport.seeInText")}</a>` : html``}</p>`;
  }
  const section = (title: string, kinds: string[]) => {
    const inside = groups.filter((g) => kinds.some((k) => g.key === k || g.key.startsWith(`${k}-`)));
    if (inside.length === 0) return html``;
    // A section of one group (general, titles, reporting) is headed by its fieldset's legend alone.
    const heading = inside.length === 1 && inside[0]!.legend === title ? html`` : html`<h2>${title}</h2>`;
    return html`${heading}${join(inside.map((g) => html`<fieldset${g.id ? html` id="${g.id}" data-mark="${g.id}" tabindex="-1"` : html``}${inside.length === 1 && g.legend === title ? html` class="section"` : html``}><legend>${g.legend}</legend>${g.note ?? html``}${join(g.fields.map(control))}</fieldset>`))}`;
  };

  const problemList = problems.map((p) => {
    const label = labelOf(p.path);
    return label.id ? html`<a href="#${label.id}">${label.text}</a>: ${p.message}` : html`${label.text}: ${p.message}`;
  });
  const warningList = looseWarnings.map((w, i) => html`${describe(w.reason)}${w.span ? html` — <a href="#${sourceMarkId(`w-${i}`)}" data-mark="w-${i}">${tr("console.planImport.seeInText")}</a>` : html``}`);
  const flaggedCount = fields.filter((f) => (found.get(f.name)?.checks.length ?? 0) > 0).length + (titlesFinding?.checks.length ? 1 : 0);

  const body = html`
${problems.length ? errorBox(tr("console.planImport.notPublished", { count: problems.length }), problemList) : html``}
<p>${tr("console.planImport.reviewIntro", { file: review.fileName || "–", count: flaggedCount })}</p>
${warningList.length ? html`<div class="warn" role="note"><p><strong>${tr("console.planImport.warnings")}</strong></p><ul>${join(warningList.map((l) => html`<li>${l}</li>`))}</ul></div>` : html``}
<div class="plan-review">
  <section class="card plan-source" aria-labelledby="plan-source-h">
    <h2 id="plan-source-h">${tr("console.planImport.sourceTitle")}</h2>
    <p class="muted small"><mark>${tr("console.planImport.legendFound")}</mark> <mark class="check">${tr("console.planImport.legendCheck")}</mark></p>
    <pre class="source plan-text" id="plan-text" tabindex="0" aria-label="${tr("console.planImport.sourceTitle")}">${markedSource(extraction.source, marks)}</pre>
  </section>
  <form class="card plan-form" method="post" action="${PUBLISH_PATH}" enctype="multipart/form-data" novalidate>
    ${csrfField(r)}
    <input type="hidden" name="source" value="${extraction.source}">
    <input type="hidden" name="document_date" value="${review.documentDate}">
    <input type="hidden" name="file_name" value="${review.fileName}">
    ${section(tr("console.planImport.group.general"), ["general"])}
    ${section(tr("console.planImport.group.phases"), ["phase"])}
    ${section(tr("console.planImport.group.anniversaries"), ["anniversary"])}
    ${section(tr("console.planImport.group.movements"), ["movement"])}
    ${section(tr("console.planImport.group.titles"), ["titles"])}
    ${section(tr("console.planImport.group.reporting"), ["reporting"])}
    <p class="muted">${tr("console.planImport.publishHint")}</p>
    <p><button type="submit">${tr("console.planImport.publish")}</button> <a href="${PLAN_IMPORT_PATH}">${tr("console.planImport.startOver")}</a></p>
  </form>
</div>`;
  return String(page(r, "planImport", tr("console.planImport.reviewTitle"), body));
}
