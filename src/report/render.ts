/**
 * Pure renderers of a GateReport: the sticky PR comment, the job summary, the check run output
 * and the terminal table of `perf-verdict gate`. Every value they print comes from the report or
 * the context argument (links are built from the server URL, repository and run id passed in;
 * nothing here reads the environment); every untrusted string goes through escapeInline / fenced.
 */
import { code, escapeInline, plainInline } from './escape.js';
import { ACCEPT_AT, NEGLIGIBLE_SLOWDOWN, REJECT_AT } from '../verdict/policy.js';
import { renderDetails, verdictText } from './render-details.js';
import {
  NBSP,
  VERDICT_ICON,
  failureText,
  formatChange,
  formatNs,
  formatFindings,
  formatTimeDelta,
  hasInterval,
  plural,
} from './render-format.js';
import type { GateReport, ToolRow, UnmatchedTools } from './model.js';
import { awaitsAccept, sortRows } from './model.js';
import type { Comparison } from '../domain/types.js';

/** Hidden marker of the sticky comment (found by it and by a bot author). */
export const COMMENT_MARKER = '<!-- perf-verdict:sticky -->';

/**
 * The marker of a named configuration's comment (`name`): its own, so that two configurations
 * in one repository each keep one comment. Without a name, COMMENT_MARKER.
 */
export function commentMarker(name: string | null | undefined): string {
  return name === null || name === undefined
    ? COMMENT_MARKER
    : `<!-- perf-verdict:sticky:${name} -->`;
}
/** GitHub rejects bodies of 65,536 characters or more; stay well below. */
export const MAX_BODY = 65_000;
/** The `/perf-verdict accept` comment command. */
/** The words the comment, the check and the summary use for numbers a fork's own job measured. */
const UNVERIFIED = "measured by the PR's own job: unverified";
const ACCEPT_COMMAND_TEXT = '/perf-verdict accept';

/** Where the run lives: the values of GITHUB_SERVER_URL, GITHUB_REPOSITORY and GITHUB_RUN_ID. */
export interface RenderLinks {
  readonly serverUrl: string;
  readonly repository: string;
  readonly runId?: string | null;
  /** The perf-verdict that ran (GITHUB_ACTION_REPOSITORY, GITHUB_ACTION_REF): what npx fetches. */
  readonly action?: { readonly repository: string; readonly ref: string } | null;
}

export interface RenderContext {
  /** Link to the workflow run, when there is one (else built from `links`). */
  readonly runUrl?: string | null;
  /** Server and repository for links to commits and files, and run id for the run's log. */
  readonly links?: RenderLinks | null;
  /** The label that accepts a REJECT (`accept-label`). */
  readonly acceptLabel?: string;
  /** Lines to state above the table (e.g. a publishing warning). Trusted text. */
  readonly notes?: readonly string[];
  /** The configuration's `name`, when a repository runs several: its comment's marker. */
  readonly name?: string | null;
}

const DEFAULT_ACCEPT_LABEL = 'perf-verdict:accept';

const TABLE_HEADER =
  '| Tool | Base | Head | Δ time (99 % CI) | Δ\u00a0memory | Findings | Verdict |\n|---|--:|--:|---|---|---|---|';

function tableHeader(report: GateReport): string {
  const pct = Math.round(report.settings.confidence * 1000) / 10;
  return TABLE_HEADER.replace('99 % CI', `${pct}${NBSP}%${NBSP}CI`);
}

type Escape = (text: string, maxLength?: number) => string;

/** A URL path segment that cannot end or break a markdown link. */
function segment(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

interface Links {
  readonly run: string | null;
  commit(sha: string): string | null;
  file(path: string, sha: string): string | null;
}

const REPOSITORY = /^[\w.-]+\/[\w.-]+$/;
const SERVER = /^https?:\/\/[^\s()<>]+$/;

function linksOf(report: GateReport, context: RenderContext): Links {
  const l = context.links ?? null;
  const repository = l?.repository ?? report.repository ?? null;
  const base =
    l !== null && SERVER.test(l.serverUrl) && repository !== null && REPOSITORY.test(repository)
      ? `${l.serverUrl.replace(/\/+$/, '')}/${repository}`
      : null;
  const runId = l?.runId ?? null;
  const run =
    context.runUrl ??
    (base !== null && runId !== null && /^\d+$/.test(runId)
      ? `${base}/actions/runs/${runId}`
      : null);
  const sha = (s: string): boolean => /^[0-9a-f]{7,64}$/.test(s);
  return {
    run: run !== null && SERVER.test(run) ? run : null,
    commit: (s) => (base !== null && sha(s) ? `${base}/commit/${s}` : null),
    file: (path, s) =>
      base !== null && sha(s)
        ? `${base}/blob/${s}/${path.split('/').map(segment).join('/')}`
        : null,
  };
}

function link(text: string, url: string | null): string {
  return url === null ? text : `[${text}](${url})`;
}

function shortSha(sha: string, links: Links): string {
  return link(code(sha.slice(0, 7)), links.commit(sha));
}

const STATUS_WORD: Readonly<Record<ToolRow['status'], string>> = {
  modified: '',
  renamed: 'renamed',
  new: 'new',
  removed: 'removed',
  skipped: 'skipped',
  error: 'error',
};

/**
 * Where a long id may wrap in the narrow Tool cell: after each `/` and `_`, in markdown only and
 * only past 24 characters (a short id never wraps, and stays as written).
 */
function breakable(id: string, esc: Escape): string {
  return esc === escapeInline && id.length > 24 ? id.replace(/([/_])/g, '$1<wbr>') : id;
}

function toolCell(row: ToolRow, esc: Escape, links: Links | null, headSha: string): string {
  const name = `**${breakable(esc(row.id, 60), esc)}**`;
  const path = row.status === 'removed' ? null : row.path;
  const url = links !== null && path !== null ? links.file(path, headSha) : null;
  const status = STATUS_WORD[row.status];
  return `${link(name, url)}${status === '' ? '' : ` (${status})`}`;
}

/** The Base and Head cells: each version's time per call, where it ran. */
function timeCells(row: ToolRow): [string, string] {
  const c = row.comparison;
  const time = (s: { ns_per_call: number; error?: unknown }): string =>
    s.error === undefined ? formatNs(s.ns_per_call) : '—';
  if (c !== null) return [time(c.old), time(c.new)];
  const p = row.profile ?? null;
  return ['—', p === null ? '—' : time(p)];
}

/**
 * `inconclusive` and, beside an ACCEPT, why that is no contradiction: the interval rules out a
 * slowdown worth reviewing (the policy's negligible edge, or the noise zone), or the verdict
 * rests on something else the details give.
 */
function inconclusiveText(row: ToolRow, c: Comparison): string {
  if (row.verdict !== 'ACCEPT') return 'inconclusive';
  const edge = Math.max(NEGLIGIBLE_SLOWDOWN, 1 + c.time.delta);
  const level = `${Math.round(c.time.confidence_level * 1000) / 10}${NBSP}%`;
  return c.time.ci_high <= edge
    ? `inconclusive: no slowdown above ${formatChange(edge).replace('+', '')} possible at ${level}`
    : 'inconclusive (accepted: see why below)';
}

/** The Δ time cell: the interval, a failure named, or why there is no figure. */
function timeCell(row: ToolRow, esc: Escape): string {
  const c = row.comparison;
  if (c !== null) {
    if (c.new.error !== undefined) return esc(failureText('head', c.new.error), 60);
    if (c.old.error !== undefined) return esc(failureText('base', c.old.error), 60);
    const text = formatTimeDelta(c);
    return hasInterval(c) && c.time.change === 'inconclusive'
      ? `${text} ${inconclusiveText(row, c)}`
      : text;
  }
  const p = row.profile ?? null;
  if (p !== null) {
    if (p.error !== undefined) return esc(failureText('head', p.error), 60);
    return 'new: run alone';
  }
  switch (row.status) {
    case 'new':
      return row.note !== null && /test input|not measured|not run/.test(row.note)
        ? 'not measured: no test input'
        : 'new: not run';
    case 'removed':
      return '—';
    case 'skipped':
      return row.note !== null && /test input/.test(row.note)
        ? 'not measured: no test input'
        : 'skipped';
    case 'error':
      return 'error (see details)';
    case 'modified':
    case 'renamed':
      return '—';
  }
}

function memoryCell(row: ToolRow): string {
  const c = row.comparison;
  if (c === null || c.old.error !== undefined || c.new.error !== undefined) return '—';
  return formatChange(c.memory.ratio);
}

/** One table row; every cell escaped (for markdown by default, for a terminal on request). */
export function renderRow(
  row: ToolRow,
  esc: Escape = escapeInline,
  links: Links | null = null,
  headSha = '',
): string {
  const cells = [
    toolCell(row, esc, links, headSha),
    ...timeCells(row),
    timeCell(row, esc),
    memoryCell(row),
    row.status === 'removed' ? '—' : formatFindings(row.analysis_old, row.analysis_new, row.diff),
    verdictText(row),
  ];
  return `| ${cells.join(' | ')} |`;
}

/**
 * Unchanged within noise, accepted, no security change: shown collapsed. An ACCEPT whose
 * interval stays inside the negligible zone counts as unchanged too.
 */
function isQuiet(row: ToolRow): boolean {
  const c = row.comparison;
  if (row.verdict !== 'ACCEPT' || row.status !== 'modified' || c === null || !hasInterval(c))
    return false;
  const negligible =
    c.time.ci_high <= NEGLIGIBLE_SLOWDOWN && c.time.ci_low >= 1 / NEGLIGIBLE_SLOWDOWN;
  return (
    (c.time.change === 'unchanged' || negligible) &&
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
function unsandboxedReason(report: GateReport): string | null {
  for (const row of report.tools) {
    const sandbox = row.comparison?.sandbox ?? row.profile?.sandbox;
    if (sandbox?.kind === 'none') return sandbox.reason ?? 'unknown reason';
  }
  return null;
}

/** The headline: the gate verdict and the row counts it comes from. */
export function renderHeadline(report: GateReport): string {
  const why = unsandboxedReason(report);
  const loud =
    (why === null ? '' : ` · ⚠️ unsandboxed: ${escapeInline(why, 160)}`) +
    (report.unverified === undefined ? '' : ` · ⚠️ ${UNVERIFIED}`);
  if (report.verdict === null)
    return `perf-verdict: ⏳ measured, not judged — ${counts(report)}${loud}`;
  if (report.verdict === 'NONE') {
    const n = report.definitions?.length ?? 0;
    if (n > 0)
      return `perf-verdict: ⚪ NONE — no code tool changed; ${definitionsLine(report)}${loud}`;
    if (report.unmatched !== undefined)
      return `perf-verdict: ⚪ NONE — ${unmatchedLine(report.unmatched)}${loud}`;
    return `perf-verdict: ⚪ NONE — no tool changed in this pull request${loud}`;
  }
  const head = `perf-verdict: ${VERDICT_ICON[report.verdict]} ${report.verdict} — ${counts(report)}`;
  if (report.override !== null && awaitsAccept(report))
    return `${head} · accepted by ${code(report.override.by)} (${report.override.via})${loud}`;
  return `${head}${loud}`;
}

/**
 * `no tools glob matches tools/agents/x.py, which looks like a tool: add "lib/tools/**" to tools`
 * (the config line to add, in the words of .perf-verdict.yml and the Action input).
 */
function unmatchedLine(unmatched: UnmatchedTools): string {
  const [first, ...rest] = unmatched.paths;
  const more = rest.length === 0 ? '' : ` and ${plural(rest.length, 'other file')}`;
  return `no tools glob matches ${code((first ?? '').slice(0, 200))}${more}, which look${rest.length === 0 ? 's' : ''} like a tool (code beside a YAML with \`executable:\` or \`type:\`): add ${code(`- "${unmatched.glob.slice(0, 200)}"`)} under \`tools:\` in .perf-verdict.yml (or the \`tools\` input), beside the globs you keep`;
}

/** `12 tool definitions changed without code: not measured` */
function definitionsLine(report: GateReport): string {
  const n = report.definitions?.length ?? 0;
  return `${n} tool definition${n === 1 ? '' : 's'} changed without code: not measured`;
}

/** The changed definitions without code, one collapsed line (empty when there are none). */
function renderDefinitions(report: GateReport): string {
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

/** The line under the headline; the check run's (which has no linked headline) adds judge and run. */
function subline(report: GateReport, links: Links, forCheck = false): string {
  const baseRef = /^[0-9a-f]{40}$/.test(report.base_ref)
    ? shortSha(report.base_ref, links)
    : escapeInline(report.base_ref, 80);
  const parts = [
    `base ${shortSha(report.merge_base, links)} (merge-base with ${baseRef}) → head ${shortSha(report.head_sha, links)}`,
  ];
  if (forCheck && report.judge !== null) parts.push(`judge: ${escapeInline(report.judge, 240)}`);
  parts.push(`budget ${report.settings.time_budget_seconds}${NBSP}s per tool`);
  if (forCheck && links.run !== null) parts.push(`[run log](${links.run})`);
  return `<sub>${parts.join(' · ')}</sub>`;
}

/** One line under the table: what Δ, the interval, the noise zone and the score mean. */
function renderLegend(report: GateReport): string {
  const pct = Math.round(report.settings.confidence * 1000) / 10;
  const delta = (report.settings.delta * 100).toFixed(1);
  return `<sub>Δ: head vs base time per call, the median over fresh process pairs with its ${pct}${NBSP}% interval; within ±${delta}${NBSP}% is noise. Verdict score 0–100: ≥${NBSP}${ACCEPT_AT} ACCEPT, ≤${NBSP}${REJECT_AT} REJECT, REVIEW between.</sub>`;
}

function quietSummary(quiet: readonly ToolRow[]): string {
  const names = quiet.map((r) => escapeInline(r.id, 60));
  const shown = names.length <= 5 ? names.join(', ') : `${names.slice(0, 5).join(', ')}, …`;
  return `${plural(quiet.length, 'tool')} unchanged within noise: ${shown}`;
}

/** The table: loud rows in the open, quiet ones collapsed under one line. */
function renderTable(report: GateReport, context: RenderContext = {}): string {
  const links = linksOf(report, context);
  const rows = sortRows(report.tools);
  const loud = rows.filter((r) => !isQuiet(r));
  const quiet = rows.filter(isQuiet);
  const line = (r: ToolRow): string => renderRow(r, escapeInline, links, report.head_sha);
  const out: string[] = [];
  if (loud.length > 0) out.push(tableHeader(report), ...loud.map(line));
  if (quiet.length > 0) {
    const table = [tableHeader(report), ...quiet.map(line)].join('\n');
    out.push('', `<details><summary>${quietSummary(quiet)}</summary>\n\n${table}\n\n</details>`);
  }
  out.push('', renderLegend(report));
  return out.join('\n');
}

/**
 * What to do next, on REJECT and REVIEW: who may accept and how, and the command that
 * reproduces the run locally with the real shas.
 */
function renderNextSteps(report: GateReport, context: RenderContext = {}): string {
  const unverified = report.unverified !== undefined && !report.unverified.trusted;
  if (
    report.verdict !== 'REJECT' &&
    report.verdict !== 'REVIEW' &&
    report.verdict !== null &&
    !(unverified && report.override === null)
  )
    return '';
  const label = code(context.acceptLabel ?? DEFAULT_ACCEPT_LABEL);
  const lines = ['**What to do next**'];
  for (const note of report.accept_notes ?? []) lines.push(`- ⚠️ ${escapeInline(note, 400)}`);
  if (unverified && report.override === null)
    lines.push(
      `- ⚠️ ${UNVERIFIED}: ${escapeInline(report.unverified?.source ?? '', 160)} ran the workflow file as the pull request has it, so this run cannot vouch for the numbers, and the check is neutral. Someone with write access who has read the change adds the label ${label} or comments ${code(ACCEPT_COMMAND_TEXT)} to pass it for this head; a repository that accepts the risk sets ${code('trust-fork-measurements: true')} in its base config.`,
    );
  if (report.verdict === 'REJECT' && report.override === null)
    lines.push(
      `- To merge anyway, someone with write access adds the label ${label} or comments ${code(ACCEPT_COMMAND_TEXT)}: the check then passes for this head and this comment says who accepted (a new push needs a new accept).`,
    );
  if (report.tools.some((r) => r.verdict === 'REVIEW' || r.verdict === null)) {
    const blocks = report.settings.fail_on === 'review';
    lines.push(
      `- 🟡 rows need a human: read their details below, then approve or request changes on the pull request.${blocks ? ` The check fails on REVIEW here (${code('fail-on: review')}).` : ' REVIEW alone does not fail the check.'}`,
    );
  }
  const budget = `--budget ${report.settings.time_budget_seconds}`;
  lines.push(
    `- Reproduce locally, in a clone that has both commits: ${code(`${cliCommand(context.links?.action ?? null)} gate --base ${report.merge_base} --head ${report.head_sha} ${budget}`)}`,
  );
  return lines.join('\n');
}

/** A git ref as npx takes it after `#`: a tag, branch or sha, nothing a shell reads. */
const GIT_REF = /^[\w.][\w./-]{0,99}$/;

/**
 * The command that runs the perf-verdict that ran: npx fetches it from its GitHub repository at
 * the ref the workflow used (never a name on the npm registry, which someone else may own);
 * without one, the CLI installed from a clone (README, CLI).
 */
function cliCommand(action: RenderLinks['action']): string {
  if (action === null || action === undefined || !REPOSITORY.test(action.repository))
    return 'perf-verdict';
  const ref = GIT_REF.test(action.ref) && !action.ref.includes('..') ? `#${action.ref}` : '';
  return `npx --yes github:${action.repository}${ref}`;
}

const CUT_NOTE = (what: string): string =>
  `> ✂️ ${what} cut to stay under GitHub's 65,536-character limit; the full report is in the job summary and the JSON report.`;

/**
 * Fit a body under a limit: first drop the pictures, then per-tool details from the least severe
 * end, and say so.
 */
function fit(
  head: string,
  rows: readonly ToolRow[],
  limit: number,
  pictures: boolean,
  budget: number | null = null,
): string {
  const build = (withPictures: boolean, keep: number): string => {
    const details = rows.slice(0, keep).map((r) => renderDetails(r, withPictures, budget));
    const notes: string[] = [];
    if (pictures && !withPictures) notes.push(CUT_NOTE('Pictures'));
    const cut = rows.length - keep;
    if (cut > 0) notes.push(CUT_NOTE(`Details of ${plural(cut, 'tool')}`));
    return [
      head,
      ...(details.length > 0 ? ['', '### Details', '', ...details] : []),
      ...notes.map((n) => `\n${n}`),
    ].join('\n');
  };
  let body = build(pictures, rows.length);
  if (body.length <= limit) return body;
  body = build(false, rows.length);
  let keep = rows.length;
  while (body.length > limit && keep > 0) {
    keep--;
    body = build(false, keep);
  }
  if (body.length > limit) {
    const note = `\n\n${CUT_NOTE('Table')}`;
    body = `${body.slice(0, limit - note.length)}${note}`;
  }
  return body;
}

function renderBody(
  report: GateReport,
  context: RenderContext,
  prefix: string,
  limit: number,
): string {
  const links = linksOf(report, context);
  const next = renderNextSteps(report, context);
  const head = [
    prefix,
    `## ${link(renderHeadline(report), links.run)}${report.judge === null ? '' : ` · judge: ${escapeInline(report.judge, 240)}`}`,
    subline(report, links),
    ...(context.notes ?? []).map((n) => `\n> ${n}`),
    '',
    report.tools.length === 0
      ? (report.definitions?.length ?? 0) > 0
        ? 'Nothing to measure: only tool definitions without code changed.'
        : 'Nothing to measure: no file matching the tool globs changed.'
      : renderTable(report, context),
    ...((report.definitions?.length ?? 0) > 0 ? ['', renderDefinitions(report)] : []),
    ...(next === '' ? [] : ['', next]),
  ]
    .filter((line, i) => i !== 0 || line !== '')
    .join('\n');
  return fit(head, sortRows(report.tools), limit, true, report.settings.time_budget_seconds);
}

/** The sticky PR comment. `digest` goes into a hidden marker for the `on-change` policy. */
export function renderComment(report: GateReport, context: RenderContext, digest: string): string {
  return renderBody(
    report,
    context,
    `${commentMarker(context.name)}\n<!-- perf-verdict:digest=${digest} -->`,
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

/** The check run's output: headline as title, table as summary, details (no pictures) as text. */
export function renderCheck(report: GateReport, context: RenderContext): CheckOutput {
  const links = linksOf(report, context);
  const title = renderHeadline(report)
    .replace(/^perf-verdict: /, '')
    .slice(0, 250);
  const next = renderNextSteps(report, context);
  const summary = fit(
    [
      subline(report, links, true),
      '',
      report.tools.length === 0 ? 'No tool changed.' : renderTable(report, context),
      ...(next === '' ? [] : ['', next]),
    ].join('\n'),
    [],
    MAX_BODY,
    false,
  );
  const text = fit(
    '',
    sortRows(report.tools),
    MAX_BODY,
    false,
    report.settings.time_budget_seconds,
  );
  return { title, summary, text };
}

/** The terminal output of `perf-verdict gate`: headline, table, notes. */
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
      lines.push(`  ${plainInline(row.id, 120)}: ${plainInline(row.note, 300)}`);
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
    report.accept_notes ?? [],
    sortRows(report.tools).map((r) => [
      r.id,
      r.status,
      r.verdict,
      r.comparison?.time.change ?? null,
    ]),
  ]);
}
