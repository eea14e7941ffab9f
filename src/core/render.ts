/**
 * Pure renderers of a GateReport: the sticky PR comment, the job summary, the check run output
 * and the terminal table of `perf-verdict gate`. Every value they print comes from the report or
 * the context argument; every untrusted string goes through escapeInline / fenced.
 */
import { code, escapeInline, plainInline } from './escape.js';
import { renderDetails } from './render-details.js';
import {
  VERDICT_ICON,
  formatComplexity,
  formatNs,
  formatChange,
  formatSecurity,
  formatTimeDelta,
} from './render-format.js';
import type { GateReport, ToolRow } from './report.js';
import { sortRows } from './report.js';

/** Hidden marker of the sticky comment (found by it and by a bot author). */
export const COMMENT_MARKER = '<!-- perf-verdict:sticky -->';
/** GitHub rejects bodies of 65,536 characters or more; stay well below. */
export const MAX_BODY = 65_000;

export interface RenderContext {
  /** Link to the workflow run, when there is one. */
  readonly runUrl?: string | null;
  /** Lines to state above the table (e.g. a publishing warning). Trusted text. */
  readonly notes?: readonly string[];
}

export const TABLE_HEADER =
  '| Tool | Base | Head | Δ time [99 % CI] | Δ memory | Complexity | Security | Score | Verdict |\n|---|---|---|---|---|---|---|---|---|';

function tableHeader(report: GateReport): string {
  const pct = Math.round(report.settings.confidence * 1000) / 10;
  return TABLE_HEADER.replace('99 % CI', `${pct} % CI`);
}

function statusLabel(row: ToolRow, esc: Escape): string {
  switch (row.status) {
    case 'modified':
      return '';
    case 'renamed':
      return ` (renamed from ${esc(row.old_path ?? '?', 120)})`;
    case 'new':
    case 'removed':
    case 'skipped':
    case 'error':
      return ` (${row.status})`;
  }
}

function verdictCell(row: ToolRow): string {
  if (row.verdict === null) return '⏳ not judged';
  return `${VERDICT_ICON[row.verdict]} ${row.verdict}`;
}

type Escape = (text: string, maxLength?: number) => string;

/** One table row; every cell escaped (for markdown by default, for a terminal on request). */
export function renderRow(row: ToolRow, esc: Escape = escapeInline): string {
  const c = row.comparison;
  const measured = c !== null && c.old.error === undefined && c.new.error === undefined;
  const base =
    row.status === 'new'
      ? 'new'
      : c !== null && c.old.error === undefined
        ? formatNs(c.old.ns_per_call)
        : '–';
  const p = row.profile ?? null;
  const head =
    row.status === 'removed'
      ? 'removed'
      : c !== null && c.new.error === undefined
        ? formatNs(c.new.ns_per_call)
        : p !== null && p.error === undefined
          ? formatNs(p.ns_per_call)
          : '–';
  let time: string;
  if (measured)
    time = `${formatTimeDelta(c)}${c.time.change === 'inconclusive' ? ' inconclusive' : ''}`;
  else if (c !== null) time = `failed: ${esc((c.new.error ?? c.old.error)?.kind ?? 'error', 40)}`;
  else if (p !== null && p.error !== undefined) time = `failed: ${esc(p.error.kind, 40)}`;
  else if (p !== null) time = `cold ${formatNs(p.cold_ns)}`;
  else if (row.status === 'skipped') time = 'skipped';
  else time = '–';
  const memory = c !== null ? formatChange(c.memory.ratio) : '–';
  const cells = [
    `**${esc(row.id, 120)}**${statusLabel(row, esc)}`,
    base,
    head,
    time,
    memory,
    formatComplexity(row.analysis_old, row.analysis_new),
    formatSecurity(row.analysis_old, row.analysis_new, row.diff),
    row.score === null ? '–' : String(Math.round(row.score)),
    verdictCell(row),
  ];
  return `| ${cells.join(' | ')} |`;
}

/** Unchanged within noise, accepted, no security change: shown collapsed. */
export function isQuiet(row: ToolRow): boolean {
  return (
    row.verdict === 'ACCEPT' &&
    row.status === 'modified' &&
    row.comparison !== null &&
    row.comparison.time.change === 'unchanged' &&
    (row.diff === null ||
      (row.diff.new_findings.length === 0 && row.diff.fixed_findings.length === 0))
  );
}

function counts(report: GateReport): string {
  const n = { REJECT: 0, REVIEW: 0, ACCEPT: 0, pending: 0 };
  for (const row of report.tools) {
    if (row.verdict === null) n.pending++;
    else n[row.verdict]++;
  }
  const parts: string[] = [];
  if (n.REJECT > 0) parts.push(`${n.REJECT} rejected`);
  if (n.REVIEW > 0) parts.push(`${n.REVIEW} to review`);
  if (n.ACCEPT > 0) parts.push(`${n.ACCEPT} accepted`);
  if (n.pending > 0) parts.push(`${n.pending} measured, not judged yet`);
  const total = report.tools.length;
  return `${parts.join(', ')} (${total} changed tool${total === 1 ? '' : 's'})`;
}

/** Why tool code ran without the OS sandbox, when some did (`sandbox: auto` where it is missing). */
export function unsandboxedReason(report: GateReport): string | null {
  for (const row of report.tools) {
    const sandbox = row.comparison?.sandbox ?? row.profile?.sandbox;
    if (sandbox?.kind === 'none') return sandbox.reason ?? 'unknown reason';
  }
  return null;
}

/** The headline: the gate verdict and the row counts it comes from. */
export function renderHeadline(report: GateReport): string {
  const why = unsandboxedReason(report);
  const loud = why === null ? '' : ` · ⚠️ unsandboxed: ${escapeInline(why, 160)}`;
  if (report.verdict === null)
    return `perf-verdict: ⏳ measured, not judged — ${counts(report)}${loud}`;
  if (report.verdict === 'NONE') {
    const n = report.definitions?.length ?? 0;
    return n > 0
      ? `perf-verdict: ⚪ NONE — no code tool changed; ${definitionsLine(report)}`
      : 'perf-verdict: ⚪ NONE — no tool changed in this pull request';
  }
  const head = `perf-verdict: ${VERDICT_ICON[report.verdict]} ${report.verdict} — ${counts(report)}`;
  if (report.override !== null && report.verdict === 'REJECT')
    return `${head} · accepted by ${code(report.override.by)} (${report.override.via})${loud}`;
  return `${head}${loud}`;
}

function subline(report: GateReport, context: RenderContext, judge = false): string {
  const parts = [
    `base ${code(report.merge_base.slice(0, 7))} (merge-base with ${/^[0-9a-f]{40}$/.test(report.base_ref) ? code(report.base_ref.slice(0, 7)) : escapeInline(report.base_ref, 80)}) → head ${code(report.head_sha.slice(0, 7))}`,
  ];
  if (judge && report.judge !== null) parts.push(`judge: ${escapeInline(report.judge, 240)}`);
  parts.push(
    `budget ${report.settings.time_budget_seconds} s/tool, ±${(report.settings.delta * 100).toFixed(1)} % noise zone`,
  );
  if (context.runUrl) parts.push(`[run](${context.runUrl})`);
  return `<sub>${parts.join(' · ')}</sub>`;
}

/** `12 tool definitions changed without code: not measured` */
export function definitionsLine(report: GateReport): string {
  const n = report.definitions?.length ?? 0;
  return `${n} tool definition${n === 1 ? '' : 's'} changed without code: not measured`;
}

/** The changed definitions without code, one collapsed line (empty when there are none). */
export function renderDefinitions(report: GateReport): string {
  const defs = report.definitions ?? [];
  if (defs.length === 0) return '';
  const items = defs
    .slice(0, 200)
    .map(
      (d) =>
        `${code(d.path.slice(0, 200))}${d.type === null ? '' : ` (${escapeInline(d.type, 30)})`}${d.status === 'modified' ? '' : ` ${d.status}`}`,
    );
  const more = defs.length > 200 ? `, and ${defs.length - 200} more` : '';
  return `<details><summary>${definitionsLine(report)}</summary>\n\n${items.join(', ')}${more}\n\n</details>`;
}

/** The table: loud rows in the open, quiet ones collapsed beneath. */
export function renderTable(report: GateReport): string {
  const rows = sortRows(report.tools);
  const loud = rows.filter((r) => !isQuiet(r));
  const quiet = rows.filter(isQuiet);
  const out: string[] = [];
  if (loud.length > 0) out.push(tableHeader(report), ...loud.map((r) => renderRow(r)));
  if (quiet.length > 0) {
    const table = [tableHeader(report), ...quiet.map((r) => renderRow(r))].join('\n');
    out.push(
      '',
      `<details><summary>${quiet.length} tool${quiet.length === 1 ? '' : 's'} unchanged within noise</summary>\n\n${table}\n\n</details>`,
    );
  }
  return out.join('\n');
}

/** Fit a body under GitHub's limit: drop per-tool details from the least severe end, say so. */
function fit(head: string, details: readonly string[], tail: string, limit: number): string {
  const kept = [...details];
  let cut = 0;
  const build = (): string => {
    const note =
      cut === 0
        ? ''
        : `\n\n> ✂️ Details of ${cut} tool${cut === 1 ? '' : 's'} cut to stay under GitHub's 65,536-character limit; the full report is in the job summary and the JSON report.`;
    return [head, ...(kept.length > 0 ? ['', '### Details', '', ...kept] : []), note, tail].join(
      '\n',
    );
  };
  let body = build();
  while (body.length > limit && kept.length > 0) {
    kept.pop();
    cut++;
    body = build();
  }
  if (body.length > limit) {
    const note =
      "\n\n> ✂️ Table cut to stay under GitHub's 65,536-character limit; the full report is in the job summary and the JSON report.";
    body = `${body.slice(0, limit - note.length - tail.length)}${note}${tail}`;
  }
  return body;
}

function renderBody(
  report: GateReport,
  context: RenderContext,
  prefix: string,
  limit: number,
): string {
  const head = [
    prefix,
    `## ${renderHeadline(report)}${report.judge === null ? '' : ` · judge: ${escapeInline(report.judge, 240)}`}`,
    subline(report, context),
    ...(context.notes ?? []).map((n) => `\n> ${n}`),
    '',
    report.tools.length === 0
      ? (report.definitions?.length ?? 0) > 0
        ? 'Nothing to measure: only tool definitions without code changed.'
        : 'Nothing to measure: no file matching the tool globs changed.'
      : renderTable(report),
    ...((report.definitions?.length ?? 0) > 0 ? ['', renderDefinitions(report)] : []),
  ]
    .filter((line, i) => i !== 0 || line !== '')
    .join('\n');
  const details = sortRows(report.tools).map(renderDetails);
  return fit(head, details, '', limit);
}

/** The sticky PR comment. `digest` goes into a hidden marker for the `on-change` policy. */
export function renderComment(report: GateReport, context: RenderContext, digest: string): string {
  return renderBody(
    report,
    context,
    `${COMMENT_MARKER}\n<!-- perf-verdict:digest=${digest} -->`,
    MAX_BODY,
  );
}

/** The job summary: the same content, no marker. Always written; it is the fork fallback. */
export function renderSummary(report: GateReport, context: RenderContext): string {
  return renderBody(report, context, '', 1_000_000);
}

export interface CheckOutput {
  readonly title: string;
  readonly summary: string;
  readonly text: string;
}

/** The check run's output: headline as title, table as summary, details as text. */
export function renderCheck(report: GateReport, context: RenderContext): CheckOutput {
  const title = renderHeadline(report)
    .replace(/^perf-verdict: /, '')
    .slice(0, 250);
  const summary = fit(
    [
      subline(report, context, true),
      '',
      report.tools.length === 0 ? 'No tool changed.' : renderTable(report),
    ].join('\n'),
    [],
    '',
    MAX_BODY,
  );
  const text = fit('', sortRows(report.tools).map(renderDetails), '', MAX_BODY);
  return { title, summary, text };
}

/** The terminal output of `perf-verdict gate`: headline and table. */
export function renderTerminal(report: GateReport): string {
  const lines = [renderHeadline(report), ''];
  if (report.tools.length === 0)
    lines.push(
      (report.definitions?.length ?? 0) > 0 ? 'No code tool changed.' : 'No tool changed.',
    );
  else
    lines.push(
      tableHeader(report),
      ...sortRows(report.tools).map((r) => renderRow(r, plainInline)),
    );
  for (const row of sortRows(report.tools)) {
    if (row.note !== null)
      lines.push(`  ${row.id}: ${row.note.replace(/\s+/g, ' ').slice(0, 300)}`);
  }
  if ((report.definitions?.length ?? 0) > 0 && report.tools.length > 0)
    lines.push('', definitionsLine(report));
  return `${lines.join('\n')}\n`;
}

/** What the `on-change` policy compares: verdicts per tool, not noisy numbers. */
export function commentDigestInput(report: GateReport): string {
  return JSON.stringify([
    report.verdict,
    report.override?.by ?? null,
    sortRows(report.tools).map((r) => [
      r.id,
      r.status,
      r.verdict,
      r.comparison?.time.change ?? null,
    ]),
  ]);
}
