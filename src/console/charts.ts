// Charts as server-rendered SVG: no script, no library, presentation attributes only (the CSP allows no inline
// style). Each chart has a title and a text alternative; the numbers are also in a table beside it.
import { html, join, type Html } from "./html.js";

export interface Bar {
  label: string;
  /** 0..1 (clamped for drawing; the label shows the real value). */
  value: number | null;
  text: string;
}

const pct = (v: number | null) => Math.max(0, Math.min(1, v ?? 0));

/** One bar per row, the 100% target as a line at the right end. */
export function barChart(title: string, bars: readonly Bar[]): Html {
  const rowH = 26;
  const labelW = 150;
  const barW = 170;
  const width = labelW + barW + 60;
  const height = bars.length * rowH + 8;
  const rows = bars.map((b, i) => {
    const y = i * rowH + 4;
    const w = Math.round(pct(b.value) * barW);
    const label = b.label.length > 22 ? `${b.label.slice(0, 21)}…` : b.label;
    return html`<g><text x="0" y="${y + 17}" font-size="13" fill="#1a1a1a">${label}</text><rect x="${labelW}" y="${y + 4}" width="${barW}" height="16" fill="#e4e8ee"></rect><rect x="${labelW}" y="${y + 4}" width="${w}" height="16" fill="${(b.value ?? 0) >= 1 ? "#1b7f3b" : (b.value ?? 0) === 0 ? "#b3261e" : "#1f5fa8"}"></rect><text x="${labelW + barW + 6}" y="${y + 17}" font-size="13" fill="#1a1a1a">${b.text}</text></g>`;
  });
  return html`<svg class="chart" role="img" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" aria-label="${title}"><title>${title}</title>${join(rows)}<line x1="${labelW + barW}" y1="0" x2="${labelW + barW}" y2="${height}" stroke="#1a1a1a" stroke-dasharray="3 3"></line></svg>`;
}

/** A ring showing one share (the total coverage). */
export function ring(title: string, value: number | null, centre: string): Html {
  const r = 52;
  const c = 2 * Math.PI * r;
  const filled = pct(value) * c;
  return html`<svg class="ring" role="img" viewBox="0 0 140 140" width="140" height="140" aria-label="${title}"><title>${title}</title><circle cx="70" cy="70" r="${r}" fill="none" stroke="#e4e8ee" stroke-width="16"></circle><circle cx="70" cy="70" r="${r}" fill="none" stroke="${(value ?? 0) >= 1 ? "#1b7f3b" : "#1f5fa8"}" stroke-width="16" stroke-dasharray="${filled.toFixed(1)} ${c.toFixed(1)}" transform="rotate(-90 70 70)"></circle><text x="70" y="78" text-anchor="middle" font-size="24" font-weight="bold" fill="#1a1a1a">${centre}</text></svg>`;
}

/** Columns per day (registrations per day over the phase). */
export function dayColumns(title: string, days: readonly { date: string; count: number }[]): Html {
  const max = Math.max(1, ...days.map((d) => d.count));
  const colW = Math.max(2, Math.min(24, Math.floor(600 / Math.max(1, days.length))));
  const height = 120;
  const width = Math.max(320, days.length * colW + 40);
  const cols = days.map((d, i) => {
    const h = Math.round((d.count / max) * (height - 24));
    return html`<rect x="${34 + i * colW}" y="${height - 16 - h}" width="${Math.max(1, colW - 1)}" height="${h}" fill="#1f5fa8"><title>${d.date}: ${d.count}</title></rect>`;
  });
  const first = days[0]?.date ?? "";
  const last = days.at(-1)?.date ?? "";
  return html`<svg class="chart" role="img" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" aria-label="${title}"><title>${title}</title><text x="0" y="12" font-size="11" fill="#1a1a1a">${max}</text><text x="0" y="${height - 16}" font-size="11" fill="#1a1a1a">0</text><line x1="32" y1="${height - 16}" x2="${width}" y2="${height - 16}" stroke="#555"></line>${join(cols)}<text x="34" y="${height - 2}" font-size="11" fill="#1a1a1a">${first}</text><text x="${width}" y="${height - 2}" font-size="11" text-anchor="end" fill="#1a1a1a">${last}</text></svg>`;
}
