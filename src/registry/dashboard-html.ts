/**
 * The dashboard's HTML: the index (a table rendered here, sorted and filtered in the page) and
 * one page per tool (its data inline, its charts drawn in the page from that data). Every string
 * from the registry is untrusted: it reaches HTML only through `escapeHtml`, and inline JSON only
 * through `inlineJson`, which cannot close its <script> element. Scripts and the style sheet are
 * the site's own files (dashboard-client.ts), loaded by relative path; each page's
 * Content-Security-Policy allows scripts and styles from the site only, no inline script and no
 * connection, so even a missed escape could neither run a script nor send a request.
 */
import { STOP_WORDS } from './schema.js';
import { formatMs } from '../report/render-format.js';
import { ASSET } from './dashboard-client.js';
import type { IndexData, IndexRow, ToolData } from './dashboard-data.js';
import { filterWords } from './dashboard-data.js';

const ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text for an HTML element or a double-quoted attribute. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}

/** JSON for a <script type="application/json"> element: no `<`, `>` or `&` survives as such. */
export function inlineJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

const CSP =
  "default-src 'none'; style-src 'self'; script-src 'self'; img-src data:; base-uri 'none'; form-action 'none'";

/** A whole page: the site's style sheet and one of its scripts (`root`: the way up to them). */
function page(title: string, body: string, script: string, root: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)}</title>
<link rel="stylesheet" href="${root}${ASSET.style}"></head>
<body>
${body}
<script src="${root}${script}"></script>
</body></html>
`;
}

/** A small trend line of time per call: the polyline of the non-null values, on a 200×48 grid. */
function sparkline(values: readonly (number | null)[]): string {
  const known = values
    .map((v, i) => ({ v, i }))
    .filter((p): p is { v: number; i: number } => p.v !== null);
  if (known.length === 0) return '<span class="muted">—</span>';
  const low = Math.min(...known.map((p) => p.v));
  const high = Math.max(...known.map((p) => p.v));
  const span = high - low || 1;
  const last = Math.max(values.length - 1, 1);
  const points = known
    .map((p) => `${Math.round((p.i / last) * 200)},${Math.round(44 - ((p.v - low) / span) * 40)}`)
    .join(' ');
  const label = `time per call ${formatMs(known[0]!.v)} to ${formatMs(known[known.length - 1]!.v)} over ${known.length} versions`;
  return `<svg class="spark" viewBox="0 0 200 48" preserveAspectRatio="none" role="img" aria-label="${escapeHtml(label)}"><polyline points="${points}"/></svg>`;
}

function driftCell(row: IndexRow): string {
  if (row.drift_percent === null) return '<td data-v="">—</td>';
  const sign = row.drift_percent > 0 ? '+' : row.drift_percent < 0 ? '−' : '';
  const badge = row.creep
    ? ' <span class="badge creep" title="drifted past the threshold, no step judged a regression">drift</span>'
    : '';
  return `<td data-v="${row.drift_percent}">${sign}${Math.abs(row.drift_percent).toFixed(1)}&nbsp;%${badge}</td>`;
}

function lastChange(row: IndexRow): string {
  if (row.last_version === null) return '—';
  const what = row.last_verdict ?? row.last_status ?? '';
  const when = row.last_date ?? '';
  return `${escapeHtml(row.last_version)} <span class="v-${escapeHtml(String(what))}">${escapeHtml(String(what))}</span> <span class="muted">${escapeHtml(when)}</span>`;
}

function indexRowHtml(row: IndexRow): string {
  const tags = row.tags.map((t) => `<span class="tag">${escapeHtml(t)}</span>`).join(' ');
  const requirement =
    row.requirement.length > 140 ? `${row.requirement.slice(0, 139)}…` : row.requirement;
  return `<tr data-words="${escapeHtml(filterWords(row).join(' '))}" data-creep="${row.creep ? 1 : 0}">
<td data-v="${escapeHtml(row.tool_id)}"><a href="${escapeHtml(row.page)}">${escapeHtml(row.tool_id)}</a><div class="req">${escapeHtml(requirement)}</div>${tags === '' ? '' : `<div>${tags}</div>`}</td>
<td data-v="${escapeHtml(row.current)}">${escapeHtml(row.current)}</td>
<td data-v="${row.time_ms ?? ''}">${escapeHtml(formatMs(row.time_ms))}</td>
<td class="opt" data-v="${escapeHtml(row.last_date ?? '')}">${lastChange(row)}</td>
<td class="opt" data-v="${row.versions}">${row.versions}</td>
<td>${sparkline(row.trend)}</td>
${driftCell(row)}
</tr>`;
}

/** index.html: every tool, sortable and filterable in the page. */
export function renderIndexPage(data: IndexData, title = 'perf-verdict registry'): string {
  const creeping = data.tools.filter((t) => t.creep).length;
  const header = ['tool', 'version', 'time / call', 'last change', 'versions', 'trend', 'drift']
    .map((h, i) => {
      const opt = h === 'last change' || h === 'versions' ? ' class="opt"' : '';
      return h === 'trend'
        ? `<th scope="col">${h}</th>`
        : `<th scope="col"${opt} aria-sort="none"><button type="button" data-col="${i}">${h}</button></th>`;
    })
    .join('');
  const body = `<header><h1>${escapeHtml(title)}</h1>
<p>${data.tools.length} tools. <span class="badge creep">drift</span> marks a tool whose time grew more than ${data.alert.percent}&nbsp;% across its last ${data.alert.versions} versions though no step was judged a regression (${creeping} now).</p>
<form class="filters" role="search">
<label>Find <input id="q" type="search" placeholder="id, tag or requirement words" autocomplete="off"></label>
<label><input id="creep" type="checkbox"> drifting only</label>
<output id="count" aria-live="polite"></output>
</form></header>
<main><div class="scroll"><table id="tools" data-stop="${[...STOP_WORDS].join(' ')}"><thead><tr>${header}</tr></thead><tbody>
${data.tools.map(indexRowHtml).join('\n')}
</tbody></table></div>
<p class="muted">Data: <a href="index.json">index.json</a>. Each tool's page has its own JSON beside it.</p></main>`;
  return page(title, body, ASSET.indexScript, '');
}

/** One tool's page: header here, charts and the version table drawn from the inline data. */
export function renderToolPage(data: ToolData, jsonName: string): string {
  const tags = data.tags.map((t) => `<span class="tag">${escapeHtml(t)}</span>`).join(' ');
  const alert = data.alert.creep
    ? `<p class="badge creep">drift: +${data.alert.drift_percent?.toFixed(1) ?? ''}&nbsp;% across the last ${data.alert.versions} versions, no step judged a regression</p>`
    : '';
  const body = `<header><p><a href="../index.html">← all tools</a></p>
<h1>${escapeHtml(data.tool_id)}</h1>
<p>current ${escapeHtml(data.current)}${data.language === null ? '' : ` · ${escapeHtml(data.language)}`} ${tags}</p>
<p class="req">${escapeHtml(data.requirement)}</p>${alert}</header>
<main>
<div class="charts">
<figure class="wide"><figcaption>Time per call across versions, each with its interval</figcaption><div id="time-chart"></div>
<p class="legend"><span class="k current">●</span> accepted <span class="k review_required">◆</span> review <span class="k rejected">✕</span> rejected <span class="k benchmark">■</span> benchmark · whisker: the side-by-side interval against the version before · hollow: no interval</p></figure>
<figure><figcaption>Memory (peak KiB)</figcaption><div id="memory-chart"></div></figure>
<figure><figcaption>Complexity (average cyclomatic)</figcaption><div id="complexity-chart"></div></figure>
<figure class="wide"><figcaption>Drift: cumulative time ratio since <select id="base" aria-label="drift since version"></select></figcaption><div id="drift-chart"></div></figure>
</div>
<p id="detail" aria-live="polite" class="detail">Select a point for its details.</p>
<div class="scroll"><table id="versions"><caption>Every recorded version</caption></table></div>
<p class="muted">Data: <a href="${escapeHtml(jsonName)}">${escapeHtml(jsonName)}</a></p>
<noscript><p>The charts and the table are drawn by the page's script; the data is in ${escapeHtml(jsonName)}.</p></noscript>
</main>
<script type="application/json" id="data">${inlineJson(data)}</script>`;
  return page(`${data.tool_id} · perf-verdict`, body, ASSET.toolScript, '../');
}
