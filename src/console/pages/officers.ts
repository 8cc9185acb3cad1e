// Cán bộ: the officers of the scope (live grants), invitations (the code shown once, with a Telegram deep link that
// redeems it on tap and a QR code drawn on the server as SVG), and revoking an officer (told through the outbox).
import { generateInviteCode, hashInviteCode, INVITE_VALID_DAYS } from "../../app/invite-codes.js";
import { revokeOfficer } from "../../app/officer-revocation.js";
import { invitePayload } from "../../app/handlers/start-invite.js";
import { field, redirect, type ConsoleOptions } from "../context.js";
import { dateTime } from "../format.js";
import { html, join, raw } from "../html.js";
import { CONSOLE_PATH, csrfField, page } from "../layout.js";
import type { ConsolePage } from "../routes.js";

const DAY_MS = 24 * 3_600_000;

export function officerPages(options: ConsoleOptions): ConsolePage[] {
  const { store } = options;

  const list: ConsolePage = {
    method: "GET",
    path: `${CONSOLE_PATH}/officers`,
    handler: async (c, r) => {
      const { tr, principal } = r;
      const officers = await store.queries.officers(principal.units.map((u) => u.id));
      const done = c.req.query("revoked");
      const body = html`${done ? html`<p class="notice" role="status">${tr("console.officers.revokedDone")}</p>` : html``}
<section class="card">
  <h2>${tr("console.officers.list", { count: officers.length })}</h2>
  ${officers.length === 0 ? html`<p>${tr("console.officers.none")}</p>` : html`<div class="table-wrap"><table>
    <thead><tr><th scope="col">${tr("console.officers.name")}</th><th scope="col">${tr("console.col.unit")}</th><th scope="col">${tr("console.officers.channel")}</th><th scope="col">${tr("console.officers.since")}</th><th scope="col"><span class="visually-hidden">${tr("console.officers.actions")}</span></th></tr></thead>
    <tbody>${join(
      officers.map(
        (o) => html`<tr><td>${o.name}</td><td>${o.unitName} <span class="code">${o.unitCode}</span></td><td>${o.channel}</td><td>${dateTime(o.grantedAt, r.timezone)}</td><td>${
          o.subscriberId === principal.subscriberId
            ? html`<span class="muted">${tr("console.officers.you")}</span>`
            : html`<form method="post" action="${CONSOLE_PATH}/officers/revoke" data-confirm="${tr("console.officers.confirmRevoke", { name: o.name })}">${csrfField(r)}<input type="hidden" name="subscriber" value="${o.subscriberId}"><button type="submit" class="danger" aria-label="${tr("console.officers.revokeWho", { name: o.name })}">${tr("console.officers.revoke")}</button></form>`
        }</td></tr>`,
      ),
    )}</tbody></table></div>`}
</section>
<form method="post" action="${CONSOLE_PATH}/officers/invite" class="card">
  <h2>${tr("console.officers.invite")}</h2>
  ${csrfField(r)}
  <label for="unit">${tr("console.col.unit")}</label>
  <select id="unit" name="unit" required>${join(principal.units.slice(0, 2000).map((u) => html`<option value="${u.code}">${u.name} (${u.code})</option>`))}</select>
  <label for="days">${tr("console.officers.days")}</label>
  <input type="number" id="days" name="days" min="1" max="${INVITE_VALID_DAYS}" value="${INVITE_VALID_DAYS}" required>
  <p><button type="submit">${tr("console.officers.create")}</button></p>
</form>`;
      return String(page(r, "officers", tr("console.nav.officers"), body));
    },
  };

  const invite: ConsolePage = {
    method: "POST",
    path: `${CONSOLE_PATH}/officers/invite`,
    handler: async (_c, r) => {
      const { tr } = r;
      const unit = r.principal.units.find((u) => u.code === field(r.form, "unit"));
      const days = Number(field(r.form, "days"));
      if (!unit || !Number.isInteger(days) || days < 1 || days > INVITE_VALID_DAYS) {
        const body = html`<div class="error" role="alert"><p>${tr("console.officers.badInvite", { max: INVITE_VALID_DAYS })}</p></div><p><a href="${CONSOLE_PATH}/officers">${tr("console.back")}</a></p>`;
        return new Response(String(page(r, "officers", tr("console.officers.invite"), body)), { status: 400, headers: { "content-type": "text/html; charset=utf-8" } });
      }
      const code = generateInviteCode();
      const expiresAt = new Date(r.now.getTime() + days * DAY_MS);
      await store.invites.create({ codeHash: hashInviteCode(code), role: "officer", unitId: unit.id, expiresAt });
      await r.audit("invite-create", { unit: unit.code, days });
      const username = await options.botUsername?.();
      const deepLink = username ? `https://t.me/${username}?start=${invitePayload(code)}` : null;
      const qr = deepLink ? await (await import("qrcode")).default.toString(deepLink, { type: "svg", errorCorrectionLevel: "M", margin: 2 }) : null;
      const body = html`<section class="card">
  <p class="notice" role="status">${tr("console.officers.created", { unit: `${unit.name} (${unit.code})`, until: dateTime(expiresAt, r.timezone) })}</p>
  <p>${tr("console.officers.shownOnce")}</p>
  <p>${tr("console.officers.codeLabel")}: <strong class="secret" data-testid="invite-code">${code}</strong></p>
  <p>${tr("console.officers.howTo", { command: `/canbo ${code}` })}</p>
  ${deepLink ? html`<p>${tr("console.officers.deepLink")}: <a class="secret" data-testid="invite-link" href="${deepLink}" rel="noreferrer">${deepLink}</a></p><figure class="qr">${raw(qr!.replace("<svg ", `<svg role="img" aria-label="${tr("console.officers.qr")}" `))}<figcaption>${tr("console.officers.qr")}</figcaption></figure>` : html`<p class="muted">${tr("console.officers.noDeepLink")}</p>`}
  <p><a href="${CONSOLE_PATH}/officers">${tr("console.back")}</a></p>
</section>`;
      return new Response(String(page(r, "officers", tr("console.officers.invite"), body)), { status: 200, headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" } });
    },
  };

  const revoke: ConsolePage = {
    method: "POST",
    path: `${CONSOLE_PATH}/officers/revoke`,
    handler: async (_c, r) => {
      const subscriberId = Number(field(r.form, "subscriber"));
      // Only a person all of whose live grants lie in this scope: revoking is per person.
      const grants = (await store.officerGrants.list()).filter((g) => g.subscriberId === subscriberId);
      const person = Number.isInteger(subscriberId) ? await store.subscribers.findById(subscriberId) : null;
      if (!person || grants.length === 0 || grants.some((g) => !r.principal.unitIds.has(g.unitId)) || subscriberId === r.principal.subscriberId) {
        const body = html`<div class="error" role="alert"><p>${r.tr("console.officers.cannotRevoke")}</p></div><p><a href="${CONSOLE_PATH}/officers">${r.tr("console.back")}</a></p>`;
        return new Response(String(page(r, "officers", r.tr("console.nav.officers"), body)), { status: 403, headers: { "content-type": "text/html; charset=utf-8" } });
      }
      const result = await revokeOfficer(store, { subscriberId }, `console:${r.principal.subject}`, r.now);
      await r.audit("officer-revoke", { subscriber: subscriberId, grants: result.revoked.map((g) => g.id) });
      return redirect(`${CONSOLE_PATH}/officers?revoked=1`);
    },
  };

  return [list, invite, revoke];
}
