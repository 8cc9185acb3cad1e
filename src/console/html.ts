// Server-rendered HTML with Hono's html helper: every interpolated value is escaped unless it is itself html``.
import { html as honoHtml, raw } from "hono/html";
import type { HtmlEscapedString } from "hono/utils/html";

export type Html = HtmlEscapedString;
/** Synchronous (no promise is ever interpolated here), so the result is a plain escaped string. */
export const html = honoHtml as (strings: TemplateStringsArray, ...values: unknown[]) => Html;
export { raw };

export const join = (parts: readonly Html[]): Html => raw(parts.map(String).join(""));
