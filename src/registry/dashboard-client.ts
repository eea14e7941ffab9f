/**
 * What runs and styles the dashboard's pages: three files at the site's root, written beside
 * the pages (nothing is loaded from anywhere else). Plain ES2017 for any browser; the scripts
 * build the DOM with textContent and setAttribute only (never innerHTML), so registry text stays
 * text. The charts are SVG drawn here: smaller than any chart library (the three files are
 * ~14 KB) and accessible the same way — each point is focusable and has a <title>, and the
 * table below holds every number.
 */

/** The site's own files, by role. */
export const ASSET = {
  style: 'dashboard.css',
  indexScript: 'dashboard-index.js',
  toolScript: 'dashboard-tool.js',
} as const;

const STYLE = String.raw`
:root{color-scheme:light dark;--fg:#1f2328;--muted:#59636e;--line:#d0d7de;--accent:#0969da;--review:#9a6700;--reject:#cf222e;--bench:#6e7781;--bg:#fff}
@media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--muted:#9198a1;--line:#3d444d;--accent:#4493f8;--review:#d29922;--reject:#f85149;--bench:#9198a1;--bg:#0d1117}}
body{margin:0 auto;max-width:1200px;padding:12px;font:14px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;color:var(--fg);background:var(--bg)}
h1{font-size:1.4em;margin:.2em 0;overflow-wrap:anywhere}
header{margin-bottom:12px}
a{color:var(--accent)}
.muted{color:var(--muted)}
.req{color:var(--muted);overflow-wrap:anywhere;max-width:70ch;margin:0}
.scroll{overflow-x:auto;max-width:100%}
table{border-collapse:collapse;width:100%}
th,td{border-bottom:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:top}
td{white-space:nowrap}
td:first-child{white-space:normal;overflow-wrap:anywhere;min-width:9em}
th button{font:inherit;font-weight:600;background:none;border:0;padding:0;color:inherit;cursor:pointer}
th[aria-sort=ascending] button::after{content:" ▲"}
th[aria-sort=descending] button::after{content:" ▼"}
.spark{width:100px;height:24px}
.spark polyline{fill:none;stroke:var(--accent);stroke-width:1.5;vector-effect:non-scaling-stroke}
.tag{display:inline-block;border:1px solid var(--line);border-radius:9px;padding:0 6px;font-size:12px}
.badge{display:inline-block;border-radius:4px;padding:0 5px;font-size:12px;background:#fff8c5;color:#633c01;border:1px solid #d4a72c}
.filters{display:flex;flex-wrap:wrap;gap:8px 16px;align-items:center}
input[type=search]{font:inherit;padding:4px 6px;width:20em;max-width:100%;box-sizing:border-box}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(280px,1fr));gap:8px 16px}
.charts .wide{grid-column:1/-1}
figure{margin:0;min-width:0}
figcaption{font-weight:600}
svg.chart{width:100%;height:auto;display:block;font-size:11px}
svg.chart text{fill:var(--muted)}
.axis{stroke:var(--line)}
.pt{cursor:pointer;outline:none}
.pt:focus .m,.pt:hover .m{stroke-width:3}
.m{stroke-width:1.5}
.current .m,.k.current{fill:var(--accent);stroke:var(--accent);color:var(--accent)}
.review_required .m,.k.review_required{fill:var(--review);stroke:var(--review);color:var(--review)}
.rejected .m,.k.rejected{fill:none;stroke:var(--reject);color:var(--reject)}
.benchmark .m,.k.benchmark{fill:var(--bench);stroke:var(--bench);color:var(--bench)}
.nointerval .m{fill:var(--bg)}
.whisker{stroke:var(--fg);stroke-width:1.2}
.line{fill:none;stroke:var(--accent);stroke-width:1.5}
.ref{stroke:var(--muted);stroke-dasharray:4 3}
.detail{min-height:3em;border-left:3px solid var(--line);padding-left:8px;overflow-wrap:anywhere}
.v-REJECT,.v-rejected{color:var(--reject)}
.v-REVIEW,.v-review_required{color:var(--review)}
caption{text-align:left;font-weight:600;padding:4px 0}
#versions{font-size:13px}
#versions th{white-space:normal}
@media (max-width:600px){.opt{display:none}.spark{width:60px}}
`;

/** index.html: sort by a column, filter by words of id, tag and requirement, drifting only. */
const INDEX_SCRIPT = String.raw`(function () {
  'use strict';
  var table = document.getElementById('tools');
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var q = document.getElementById('q');
  var creep = document.getElementById('creep');
  var count = document.getElementById('count');
  var stop = (table.getAttribute('data-stop') || '').split(' ');
  function words(text) {
    return text.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase().split(/[^a-z0-9]+/)
      .filter(function (w) { return w.length > 1 && stop.indexOf(w) < 0; });
  }
  function matches(row, terms, raw) {
    if (row.cells[0].getAttribute('data-v').toLowerCase().indexOf(raw) >= 0) return true;
    if (terms.length === 0) return false;
    var have = row.getAttribute('data-words').split(' ');
    return terms.every(function (t) {
      return have.some(function (h) { return h.indexOf(t) === 0 || (h.length >= 3 && t.indexOf(h) === 0); });
    });
  }
  function filter() {
    var raw = q.value.trim().toLowerCase();
    var terms = words(q.value);
    var shown = 0;
    rows.forEach(function (row) {
      var ok = (raw === '' || matches(row, terms, raw)) && (!creep.checked || row.getAttribute('data-creep') === '1');
      row.hidden = !ok;
      if (ok) shown++;
    });
    count.textContent = shown + ' of ' + rows.length + ' tools';
  }
  function value(row, col) { return row.cells[col].getAttribute('data-v') || ''; }
  function sortBy(col, th) {
    var down = th.getAttribute('aria-sort') === 'ascending';
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (c) { if (c.hasAttribute('aria-sort')) c.setAttribute('aria-sort', 'none'); });
    th.setAttribute('aria-sort', down ? 'descending' : 'ascending');
    rows.sort(function (a, b) {
      var x = value(a, col), y = value(b, col);
      var nx = parseFloat(x), ny = parseFloat(y);
      var c = x === '' ? (y === '' ? 0 : 1) : y === '' ? -1 : !isNaN(nx) && !isNaN(ny) && String(nx) === x && String(ny) === y ? nx - ny : x.localeCompare(y, undefined, { numeric: true });
      return down && x !== '' && y !== '' ? -c : c;
    });
    rows.forEach(function (row) { body.appendChild(row); });
  }
  table.tHead.addEventListener('click', function (event) {
    var button = event.target.closest('button[data-col]');
    if (button) sortBy(Number(button.getAttribute('data-col')), button.parentNode);
  });
  q.form.addEventListener('submit', function (event) { event.preventDefault(); });
  q.addEventListener('input', filter);
  creep.addEventListener('change', filter);
  filter();
})();`;

/** A tool's page: the time, memory, complexity and drift charts and the version table. */
const TOOL_SCRIPT = String.raw`(function () {
  'use strict';
  var D = JSON.parse(document.getElementById('data').textContent);
  var P = D.points;
  var n = P.version.length;
  var NS = 'http://www.w3.org/2000/svg';
  var detail = document.getElementById('detail');
  function node(tag, attrs, parent, text) {
    var e = tag.charAt(0) === '$' ? document.createElement(tag.slice(1)) : document.createElementNS(NS, tag);
    for (var k in attrs) e.setAttribute(k, String(attrs[k]));
    if (text !== undefined && text !== null) e.textContent = text;
    if (parent) parent.appendChild(e);
    return e;
  }
  function fixed(x) { return x.toFixed(x < 10 ? 2 : x < 100 ? 1 : 0); }
  function ms(v) {
    if (v === null || !(v > 0)) return '—';
    var ns = v * 1e6;
    if (ns < 999.5) return ns.toFixed(0) + ' ns';
    if (ns < 999500) return fixed(ns / 1e3) + ' µs';
    if (ns < 999500000) return fixed(ns / 1e6) + ' ms';
    return fixed(ns / 1e9) + ' s';
  }
  function pct(r) { var p = (r - 1) * 100; return (p > 0 ? '+' : p < 0 ? '−' : '±') + Math.abs(p).toFixed(1) + ' %'; }
  function num(v) { return v === null ? '—' : String(v); }
  function interval(i) {
    var r = P.ratio[i], lo = P.ratio_low[i], hi = P.ratio_high[i], t = P.time_ms[i];
    if (r === null || lo === null || hi === null || t === null || !(r > 0)) return null;
    return [t * lo / r, t * hi / r];
  }
  function ratioText(i) {
    if (P.ratio[i] === null) return '—';
    var s = '×' + P.ratio[i].toFixed(2);
    return P.ratio_low[i] === null || P.ratio_high[i] === null ? s : s + ' [' + P.ratio_low[i].toFixed(2) + ', ' + P.ratio_high[i].toFixed(2) + ']';
  }
  function verdictText(i) { return P.verdict[i] === null ? '—' : P.verdict[i] + (P.score[i] === null ? '' : ' (' + P.score[i] + ')'); }
  function annotation(i) {
    var iv = interval(i);
    var parts = [P.version[i], ms(P.time_ms[i]) + (iv ? ' [' + ms(iv[0]) + ', ' + ms(iv[1]) + ']' : ' (no interval)'), 'vs previous ' + ratioText(i), verdictText(i) + ', ' + P.status[i]];
    if (P.pull_request[i] !== null) parts.push('PR #' + P.pull_request[i] + (P.pr_title[i] ? ' ' + P.pr_title[i] : ''));
    if (P.commit[i] !== null) parts.push('commit ' + P.commit[i]);
    if (P.accepted_by[i] !== null) parts.push('accepted by ' + P.accepted_by[i]);
    return parts.join(' · ');
  }
  function show(i) { detail.textContent = annotation(i); }
  function chart(hostId, h, lows, highs, fmt, label) {
    var host = document.getElementById(hostId);
    host.textContent = '';
    var w = Math.max(280, Math.round(host.getBoundingClientRect().width) || 720);
    var m = { l: 62, r: 24, t: 10, b: 30 };
    var root = node('svg', { class: 'chart', viewBox: '0 0 ' + w + ' ' + h, role: 'img', 'aria-label': label }, host);
    var all = lows.concat(highs).filter(function (v) { return v !== null && isFinite(v); });
    var lo = all.length ? Math.min.apply(null, all) : 0, hi = all.length ? Math.max.apply(null, all) : 1;
    var pad = (hi - lo) * 0.08 || Math.abs(hi) * 0.1 || 1;
    lo -= pad; hi += pad;
    function x(i) { return m.l + (n < 2 ? (w - m.l - m.r) / 2 : i * (w - m.l - m.r) / (n - 1)); }
    function y(v) { return m.t + (hi - v) / (hi - lo) * (h - m.t - m.b); }
    node('line', { class: 'axis', x1: m.l, x2: m.l, y1: m.t, y2: h - m.b }, root);
    node('line', { class: 'axis', x1: m.l, x2: w - m.r, y1: h - m.b, y2: h - m.b }, root);
    for (var k = 0; k <= 3; k++) {
      var v = lo + (hi - lo) * k / 3;
      node('text', { x: m.l - 4, y: y(v) + 4, 'text-anchor': 'end' }, root, fmt(v));
    }
    var every = Math.max(1, Math.ceil(n / ((w - m.l) / 56)));
    for (var i = 0; i < n; i += every) node('text', { x: x(i), y: h - m.b + 14, 'text-anchor': n > 1 && i === n - 1 ? 'end' : 'middle' }, root, P.version[i]);
    return { root: root, x: x, y: y, w: w };
  }
  function point(c, i, cls, value, v, attrs) {
    var g = node('g', Object.assign({ class: 'pt ' + cls, tabindex: 0, 'data-i': i, 'data-value': value }, attrs || {}), c.root);
    node('title', {}, g, annotation(i));
    g.addEventListener('focus', function () { show(i); });
    g.addEventListener('mouseenter', function () { show(i); });
    return g;
  }
  function marker(g, status, cx, cy) {
    if (status === 'review_required') node('path', { class: 'm', d: 'M' + cx + ' ' + (cy - 5) + 'l5 5l-5 5l-5 -5z' }, g);
    else if (status === 'rejected') node('path', { class: 'm', d: 'M' + (cx - 4) + ' ' + (cy - 4) + 'l8 8m0 -8l-8 8' }, g);
    else if (status === 'benchmark') node('rect', { class: 'm', x: cx - 4, y: cy - 4, width: 8, height: 8 }, g);
    else node('circle', { class: 'm', cx: cx, cy: cy, r: 4 }, g);
  }
  function timeChart() {
    var ivs = P.time_ms.map(function (_, i) { return interval(i); });
    var c = chart('time-chart', 250, P.time_ms.concat(ivs.map(function (v) { return v && v[0]; })), ivs.map(function (v) { return v && v[1]; }), ms, 'Time per call of ' + n + ' versions of ' + D.tool_id);
    P.time_ms.forEach(function (t, i) {
      if (t === null) return;
      var iv = ivs[i];
      var g = point(c, i, P.status[i] + (iv ? '' : ' nointerval'), t, iv, iv ? { 'data-low': iv[0], 'data-high': iv[1] } : {});
      if (iv) node('line', { class: 'whisker', x1: c.x(i), x2: c.x(i), y1: c.y(iv[0]), y2: c.y(iv[1]) }, g);
      marker(g, P.status[i], c.x(i), c.y(t));
    });
  }
  function lineChart(hostId, values, fmt, label, extra) {
    var c = chart(hostId, 170, values.concat(extra || []), [], fmt, label);
    var pts = [];
    values.forEach(function (v, i) { if (v !== null) pts.push(c.x(i) + ',' + c.y(v)); });
    node('polyline', { class: 'line', points: pts.join(' ') }, c.root);
    values.forEach(function (v, i) {
      if (v === null) return;
      var g = point(c, i, P.status[i], v);
      marker(g, P.status[i], c.x(i), c.y(v));
    });
    return c;
  }
  var line = [];
  P.drift.forEach(function (d, i) { if (d !== null) line.push(i); });
  var base = document.getElementById('base');
  line.forEach(function (i) { node('$option', { value: i }, base, P.version[i]); });
  function driftChart() {
    var from = Number(base.value);
    var values = P.drift.map(function (d, i) { return d === null || i < from ? null : d / P.drift[from]; });
    var c = lineChart('drift-chart', values, pct, 'Cumulative time ratio since ' + P.version[from], [1]);
    node('line', { class: 'ref', x1: 62, x2: c.w - 24, y1: c.y(1), y2: c.y(1) }, c.root);
  }
  function cell(row, text) { return node('$td', {}, row, text); }
  function link(row, text, href) {
    var td = cell(row, D.links && text !== '—' ? null : text);
    if (D.links && text !== '—') node('$a', { href: D.links.serverUrl + '/' + D.links.repository + href, rel: 'noopener noreferrer' }, td, text);
  }
  function versionTable() {
    var table = document.getElementById('versions');
    var head = node('$tr', {}, node('$thead', {}, table));
    ['version', 'recorded', 'time / call [interval]', 'vs previous', 'memory', 'complexity', 'security', 'verdict', 'status', 'PR', 'commit', 'accepted by'].forEach(function (h) { node('$th', { scope: 'col' }, head, h); });
    var body = node('$tbody', {}, table);
    for (var i = n - 1; i >= 0; i--) {
      var row = node('$tr', {}, body);
      var iv = interval(i);
      cell(row, P.version[i]);
      cell(row, P.date[i]);
      cell(row, ms(P.time_ms[i]) + (iv ? ' [' + ms(iv[0]) + ', ' + ms(iv[1]) + ']' : ''));
      cell(row, ratioText(i));
      cell(row, P.memory_kb[i] === null ? '—' : P.memory_kb[i] + ' KiB');
      cell(row, (P.grade[i] || '—') + (P.complexity[i] === null ? '' : ' (' + P.complexity[i] + ')'));
      cell(row, num(P.security[i]));
      node('$span', { class: 'v-' + P.verdict[i] }, cell(row, null), verdictText(i));
      node('$span', { class: 'v-' + P.status[i] }, cell(row, null), P.status[i]);
      link(row, P.pull_request[i] === null ? '—' : '#' + P.pull_request[i], '/pull/' + P.pull_request[i]);
      link(row, P.commit[i] === null ? '—' : P.commit[i], '/commit/' + P.commit[i]);
      cell(row, P.accepted_by[i] === null ? '—' : P.accepted_by[i]);
      if (P.pr_title[i]) row.cells[9].setAttribute('title', P.pr_title[i]);
    }
  }
  timeChart();
  lineChart('memory-chart', P.memory_kb, function (v) { return v.toFixed(1) + ' KiB'; }, 'Peak memory per version');
  lineChart('complexity-chart', P.complexity, function (v) { return v.toFixed(1); }, 'Average cyclomatic complexity per version');
  if (line.length) driftChart();
  base.addEventListener('change', driftChart);
  versionTable();
})();`;

/** The site's own files: name → content. */
export const ASSET_FILES: ReadonlyMap<string, string> = new Map([
  [ASSET.style, STYLE],
  [ASSET.indexScript, INDEX_SCRIPT],
  [ASSET.toolScript, TOOL_SCRIPT],
]);
