// The console's page shell: skip link, header with the officer and sign-out forms, navigation, main. Mobile first
// (one column at 360 px, the nav wraps), no script needed to use any page.
import { t } from "../app/i18n.js";
import type { Locale } from "../app/ports.js";
import { CSRF_FIELD } from "./csrf.js";
import { html, join, type Html } from "./html.js";
import type { ConsolePrincipal } from "./principal.js";

export const CONSOLE_PATH = "/console";

export interface ConsoleView {
  principal: ConsolePrincipal;
  locale: Locale;
  csrf: string;
  now: Date;
  timezone: string;
  tr: (key: string, params?: Record<string, string | number>) => string;
}

export type NavKey = "overview" | "units" | "officers" | "pledges" | "reports" | "evaluation" | "broadcasts" | "plans" | "planImport" | "log" | "audit";

const NAV: { key: NavKey; path: string }[] = [
  { key: "overview", path: "" },
  { key: "units", path: "/units" },
  { key: "officers", path: "/officers" },
  { key: "pledges", path: "/pledges" },
  { key: "reports", path: "/reports" },
  { key: "evaluation", path: "/evaluation" },
  { key: "broadcasts", path: "/broadcasts" },
  { key: "plans", path: "/plans" },
  { key: "planImport", path: "/plans/import" },
  { key: "log", path: "/log" },
  { key: "audit", path: "/audit" },
];

/** The federation level (the audit log's readers): a scope that starts at a top-level unit. */
export const isFederation = (p: ConsolePrincipal) => p.roots.every((r) => r.parentId === null);

export const csrfField = (view: ConsoleView) => html`<input type="hidden" name="${CSRF_FIELD}" value="${view.csrf}">`;

export function shell(locale: Locale, title: string, body: Html, head: Html = html``): Html {
  return html`<!doctype html>
<html lang="${locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="same-origin">
<title>${title} · ${t(locale, "console.brand")}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${CONSOLE_PATH}/static/console.css">
<script src="${CONSOLE_PATH}/static/console.js" defer></script>
${head}
</head>
${body}
</html>`;
}

export function page(view: ConsoleView, active: NavKey, title: string, content: Html): Html {
  const { tr, principal } = view;
  // The audit log and the plan import are the federation level's.
  const nav = NAV.filter((n) => (n.key !== "audit" && n.key !== "planImport") || isFederation(principal)).map(
    (n) => html`<li><a href="${CONSOLE_PATH}${n.path}"${n.key === active ? html` aria-current="page"` : html``}>${tr(`console.nav.${n.key}`)}</a></li>`,
  );
  const scope = principal.roots.length === 1 ? `${principal.roots[0]!.name} (${principal.roots[0]!.code})` : tr("console.scope.wholeTree");
  const other: Locale = view.locale === "vi" ? "en" : "vi";
  return shell(
    view.locale,
    title,
    html`<body>
<a class="skip" href="#main">${tr("console.skip")}</a>
<header class="top">
  <div class="brand"><a href="${CONSOLE_PATH}">${tr("console.brand")}</a></div>
  <div class="who"><span>${principal.name}</span> · <span class="scope">${scope}</span></div>
  <div class="account">
    <a href="${CONSOLE_PATH}/lang?to=${other}&amp;back=${CONSOLE_PATH}${NAV.find((n) => n.key === active)?.path ?? ""}" lang="${other}">${t(other, "console.lang.switch")}</a>
    <form method="post" action="${CONSOLE_PATH}/logout">${csrfField(view)}<button type="submit">${tr("console.logout")}</button></form>
    <form method="post" action="${CONSOLE_PATH}/logout-all">${csrfField(view)}<button type="submit" class="secondary">${tr("console.logoutAll")}</button></form>
  </div>
</header>
<nav aria-label="${tr("console.nav.label")}"><ul>${join(nav)}</ul></nav>
<main id="main" tabindex="-1">
<h1>${title}</h1>
${content}
</main>
</body>`,
  );
}

/** A page for someone without a session (login, refusals): no navigation, one message, one way forward. */
export function messagePage(locale: Locale, title: string, message: string, extra: Html = html``): Html {
  return shell(
    locale,
    title,
    html`<body class="message">
<main id="main" class="card">
<h1>${title}</h1>
<p>${message}</p>
${extra}
</main>
</body>`,
  );
}
