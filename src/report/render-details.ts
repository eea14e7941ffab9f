/**
 * The collapsed per-tool section of the comment: why the verdict, the measurement (with its
 * picture), and the analysis — the diff for a changed tool, the head alone for a new one.
 */
import { escapeInline, fenced } from './escape.js';
import { fallbackReason } from './judge-run.js';
import { profileSummary } from '../verdict/new-tool.js';
import { renderPairChart } from './render-chart.js';
import {
  NBSP,
  VERDICT_ICON,
  complexityOf,
  failureText,
  formatChange,
  formatKb,
  formatNs,
  formatRatio,
  formatTimeChange,
  hasInterval,
  plural,
  unifyMinus,
} from './render-format.js';
import type { ToolRow } from './model.js';
import { MIN_PAIRS } from '../domain/types.js';
import type {
  Analysis,
  AnalysisDiff,
  Comparison,
  Evaluation,
  SecurityIssue,
  ToolError,
  VersionStats,
} from '../domain/types.js';

/**
 * `rule (severity) line n: message` — every field of a finding the maintainer needs; in a file
 * the tool loads, `rule (severity) path line n: message`.
 */
function formatFinding(issue: SecurityIssue): string {
  const file = issue.file === undefined ? '' : `${escapeInline(issue.file, 200)} `;
  return `${escapeInline(issue.rule, 30)} (${issue.severity}) ${file}line${NBSP}${issue.line}: ${escapeInline(issue.message, 200)}`;
}

/** The verdict as shown everywhere: `❌ REJECT 12`, with no-break spaces. */
export function verdictText(row: Pick<ToolRow, 'verdict' | 'score'>): string {
  if (row.verdict === null) return `⏳${NBSP}not${NBSP}judged`;
  const score = row.score === null ? '' : `${NBSP}${Math.round(row.score)}`;
  return `${VERDICT_ICON[row.verdict]}${NBSP}${row.verdict}${score}`;
}

/**
 * A tool's error text with the gate's temporary paths read as repository paths: the copy the
 * tool ran from (`<tmp>/tmp.ab12Cd/tool.py`) is its file in the repository, a checkout's root
 * (`<tmp>/tmp.ab12Cd/repo/`) the repository's root. The names are neutral (the tool sees them:
 * src/adapters/exec.ts `neutralTempDir`).
 */
function repositoryPaths(text: string, toolPath: string): string {
  return text
    .replace(/(?:\/[^\s"'/]+)*\/tmp\.[A-Za-z0-9]{6}\/repo\//g, '')
    .replace(/(?:\/[^\s"'/]+)*\/tmp\.[A-Za-z0-9]{6}\/tool\.(?:py|cjs|mjs)/g, toolPath);
}

/** The last lines of a traceback: where it failed, and how. */
function lastLines(text: string, count: number): string {
  return text.trimEnd().split('\n').slice(-count).join('\n');
}

/**
 * A failed version: what failed, its message, and the last lines of its traceback (where it
 * failed) with repository paths, in a block.
 */
function failureLines(label: 'base' | 'head', error: ToolError, toolPath: string): string {
  const failed = `- ${label}: **${escapeInline(failureText(label, error), 80)}** — ${escapeInline(repositoryPaths(error.message, toolPath), 300)}`;
  const trace = repositoryPaths(error.traceback ?? '', toolPath)
    .replace(/^(\s*\n)+/, '')
    .trimEnd();
  return trace === '' ? failed : `${failed}\n\n${fenced(lastLines(trace, 8), 1500)}\n`;
}

function versionLine(
  label: 'base' | 'head',
  s: VersionStats,
  toolPath: string,
  other: VersionStats,
): string {
  if (s.error !== undefined) return failureLines(label, s.error, toolPath);
  if (s.samples === 0)
    return `- ${label}: ran, not timed: ${other.error === undefined ? 'no sample was taken' : 'the measurement stopped when the other version failed'}`;
  const parts = [
    `${formatNs(s.ns_per_call)} per call`,
    `${plural(s.samples, 'sample')} of ${plural(s.calls_per_sample, 'call')}`,
    s.steady_state ? 'steady' : 'never steady',
    `memory ${formatKb(s.memory_kb)}`,
  ];
  const blocked = s.network.filter((e) => e.kind === 'blocked');
  if (blocked.length > 0)
    parts.push(`blocked connections: ${blocked.map((e) => escapeInline(e.target, 80)).join(', ')}`);
  return `- ${label}: ${parts.join(', ')}`;
}

/**
 * For an inconclusive interval: the smallest change this run could have told from noise (a true
 * change whose interval, as wide as this one, clears the noise zone), and the budget that would
 * settle a change of the measured size (the interval narrows as 1/√pairs, and pairs grow with
 * the budget). Null when there is nothing to say.
 */
function settleLine(c: Comparison, budgetSeconds: number | null): string | null {
  const t = c.time;
  if (t.change !== 'inconclusive' || !hasInterval(c)) return null;
  const half = (Math.log(t.ci_high) - Math.log(t.ci_low)) / 2;
  const zone = Math.log(1 + t.delta);
  const smallest = `±${((Math.exp(zone + half) - 1) * 100).toFixed(1)}${NBSP}%`;
  const room = Math.abs(Math.abs(Math.log(t.ratio)) - zone);
  const times = room > 0 ? (half / room) ** 2 : Infinity;
  const size = formatChange(t.ratio);
  let settle: string;
  if (budgetSeconds === null) settle = '';
  else if (times > 20)
    settle = `; a change of ${size} sits on the noise zone's edge: more than 20× this budget (${budgetSeconds}${NBSP}s) would not settle it`;
  else
    settle = `; a budget of about ${Math.max(budgetSeconds + 1, Math.ceil(budgetSeconds * times))}${NBSP}s per tool (\`time-budget-seconds\`, \`--budget\`; this run had ${budgetSeconds}${NBSP}s) would settle a change of ${size}`;
  return `- inconclusive: the smallest change this run could tell from noise was ${smallest}${settle}`;
}

function measurement(
  row: ToolRow,
  c: Comparison,
  pictures: boolean,
  budgetSeconds: number | null,
): string {
  const t = c.time;
  const level = Math.round(t.confidence_level * 1000) / 10;
  const lines = ['**Measurement**'];
  if (c.old.error === undefined && c.new.error === undefined) {
    lines.push(
      `- time per call: base ${formatNs(c.old.ns_per_call)} → head ${formatNs(c.new.ns_per_call)}`,
    );
    if (c.cold !== undefined) {
      const { ratio, ci_low: low, ci_high: high, second_ratio: second } = c.cold;
      const interval =
        low === undefined || high === undefined
          ? ''
          : `, interval ${formatRatio(low)}–${formatRatio(high)}`;
      lines.push(
        `- first call in a fresh process (cold): base ${formatNs(c.cold.old_ns)} → head ${formatNs(c.cold.new_ns)}${ratio === null ? '' : ` (${formatRatio(ratio)}, ${formatChange(ratio)}${interval})`}${second === undefined ? '' : `; second call ${formatRatio(second)}`}`,
      );
      const i = c.cold.interpreted;
      if (i !== undefined)
        lines.push(
          `- with the JIT off (${plural(i.pairs, 'process pair')}): first call ${formatRatio(i.first_ratio)}, later calls ${formatRatio(i.later_ratio)}; the head's first call ${formatRatio(i.excess)}${i.excess_ci_low === undefined || i.excess_ci_high === undefined ? '' : ` (interval ${formatRatio(i.excess_ci_low)}–${formatRatio(i.excess_ci_high)})`} of what its later calls and the base's first call predict${i.cut === undefined ? '' : `; cut short: ${escapeInline(i.cut)}`}`,
        );
    }
    lines.push(
      hasInterval(c)
        ? `- time ratio head/base ${formatRatio(t.ratio)} (${formatTimeChange(t.ratio)}), ${level}${NBSP}% interval ${formatRatio(t.ci_low)}–${formatRatio(t.ci_high)} → **${t.change}** (noise zone ±${(t.delta * 100).toFixed(1)}${NBSP}%)`
        : `- ${t.pairs} of ${MIN_PAIRS} process pairs: too few to say (no interval)`,
    );
    const settle = settleLine(c, budgetSeconds);
    if (settle !== null) lines.push(settle);
    const d = c.diagnostics;
    // A busy machine (load above its CPUs, or noisy samples) widens intervals: say so.
    const busy =
      d?.busy === true
        ? `, measured on a busy machine (load ${d.load_average.toFixed(1)} on ${plural(d.cpus, 'CPU')})`
        : '';
    lines.push(
      `- ${plural(t.pairs, 'process pair')}, ${plural(t.rounds, 'round')}, ${c.steady_state ? 'steady state reached' : 'steady state NOT reached'}, ${(c.wall_ms / 1000).toFixed(1)}${NBSP}s${busy}`,
    );
  }
  const basePath = row.old_path ?? row.path;
  lines.push(
    versionLine('base', c.old, basePath, c.new),
    versionLine('head', c.new, row.path, c.old),
  );
  const ran = runtimeLine(c);
  if (ran !== null) lines.push(ran);
  if (c.memory.old_kb !== null || c.memory.new_kb !== null)
    lines.push(
      `- memory: ${formatKb(c.memory.old_kb)} → ${formatKb(c.memory.new_kb)}${c.memory.ratio === null ? '' : ` (${formatChange(c.memory.ratio)})`}`,
    );
  const chart = pictures ? renderPairChart(row.id, c) : null;
  if (chart !== null) lines.push('', chart);
  return lines.join('\n');
}

/** `- ran on Python 3.11.7`, or each side's runtime where they differ; null when neither said. */
function runtimeLine(c: Comparison): string | null {
  const base = c.old.runtime;
  const head = c.new.runtime;
  if (base === undefined && head === undefined) return null;
  if (base === head) return `- ran on ${escapeInline(base ?? '', 40)}`;
  return `- ran on: base ${escapeInline(base ?? 'unknown', 40)}, head ${escapeInline(head ?? 'unknown', 40)}`;
}

function findingLines(title: string, issues: readonly SecurityIssue[]): string[] {
  if (issues.length === 0) return [];
  const shown = issues.slice(0, 20).map((f) => `  - ${formatFinding(f)}`);
  const more = issues.length > 20 ? [`  - … and ${issues.length - 20} more`] : [];
  return [`- ${title}:`, ...shown, ...more];
}

function analysisDiff(d: AnalysisDiff): string {
  const lines = ['**Analysis: base → head**'];
  lines.push(
    `- security findings ${d.security_old ?? 'unknown'} → ${d.security_new ?? 'unknown'}; complexity ${d.complexity_old?.toFixed(1) ?? '—'} → ${d.complexity_new?.toFixed(1) ?? '—'}; syntax ${d.syntax_valid_old ? 'valid' : 'INVALID'} → ${d.syntax_valid_new ? 'valid' : 'INVALID'}`,
  );
  for (const u of (d.unanalysed ?? []).slice(0, 6))
    lines.push(
      `- not analysed: ${u.part} of the ${u.version === 'old' ? 'base' : 'head'} (${escapeInline(u.reason, 160)}): unknown`,
    );
  lines.push(...findingLines('new findings', d.new_findings));
  lines.push(...findingLines('fixed findings', d.fixed_findings));
  const changed = d.functions.filter((f) => f.old !== f.new).slice(0, 20);
  if (changed.length > 0)
    lines.push(
      `- function complexity: ${changed.map((f) => `${escapeInline(f.name, 60)} ${f.old ?? 'new'} → ${f.new ?? 'removed'}`).join('; ')}`,
    );
  return lines.join('\n');
}

/** A new tool has no base: its analysis is the head's alone, every finding listed. */
function headAnalysis(a: Analysis): string {
  const lines = ['**Analysis of the new tool**'];
  const complexity = complexityOf(a);
  lines.push(
    `- complexity ${complexity === null ? '—' : complexity.toFixed(1)}; syntax ${a.correctness.syntax_valid ? 'valid' : 'INVALID'}`,
  );
  if (!a.security.available)
    lines.push(`- security: not analysed (${escapeInline(a.security.reason, 200)})`);
  else if (a.security.issues.length === 0) lines.push('- security findings: none');
  else
    lines.push(
      ...findingLines(`security findings (${a.security.issues.length})`, a.security.issues),
    );
  return lines.join('\n');
}

/**
 * Who judged this tool. A model that was unavailable for the whole gate made no call for it (no
 * latency): its reason is in the headline, said once. A call that failed for this tool says why.
 */
function judgeText(e: Evaluation): string {
  const reason = fallbackReason(e);
  if (reason !== null && e.latency_ms === undefined) return 'rules (model unavailable: see above)';
  const call =
    e.latency_ms === undefined
      ? ''
      : ` in ${(e.latency_ms / 1000).toFixed(1)}${NBSP}s${e.prompt_tokens === undefined ? '' : ` (${e.prompt_tokens} prompt + ${e.reply_tokens ?? '?'} reply tokens)`}`;
  return `${escapeInline(e.judge, 200)}${call}`;
}

/** The model's own words, without the evidence tail the bullets already show. */
function modelReasoning(reasoning: string): string {
  const cut = reasoning.lastIndexOf(' Evidence: ');
  return (cut === -1 ? reasoning : reasoning.slice(0, cut)).trim();
}

/** One `<details>` section; its summary line is plain and escaped. */
export function renderDetails(
  row: ToolRow,
  pictures = true,
  budgetSeconds: number | null = null,
): string {
  const parts: string[] = [];
  if (row.note !== null) parts.push(`**Note:** ${unifyMinus(escapeInline(row.note, 600))}`);
  if (row.status === 'removed')
    parts.push('Removed at head: there is nothing to measure or analyse; a human decides.');
  const e = row.evaluation;
  if (e !== null) {
    const why = [
      `**Why** (judge ${judgeText(e)}, confidence ${e.confidence}; allowed scores ${e.band.lo}–${e.band.hi}, rule score ${e.band.rule_score})`,
      ...e.band.reasons.map((r) => `- ${unifyMinus(escapeInline(r, 200))}`),
    ];
    if (e.injection.length > 0)
      why.push(
        `- suspected prompt injection: ${e.injection.map((i) => escapeInline(i, 120)).join('; ')}`,
      );
    if (e.llm_model !== null) {
      const words = modelReasoning(e.reasoning);
      if (words !== '') why.push(`- the model says: ${escapeInline(words, 1000)}`);
    }
    parts.push(why.join('\n'));
  }
  if (row.requirement_new !== null && row.requirement_new !== row.requirement_old) {
    parts.push(`**Requirement (author's claim)**\n${fenced(row.requirement_new, 800)}`);
  }
  if (row.input_source !== undefined && row.input_source !== null)
    parts.push(`**Input:** ${escapeInline(row.input_source, 300)}`);
  if (row.comparison !== null)
    parts.push(measurement(row, row.comparison, pictures, budgetSeconds));
  const p = row.profile ?? null;
  if (p !== null) {
    parts.push(
      p.error !== undefined
        ? `**Run on its example**\n${failureLines('head', p.error, row.path).replace('- head: ', '- ')}`
        : `**Run on its example (baseline)**\n- ${escapeInline(profileSummary(p), 400)}`,
    );
  }
  if (row.diff !== null) parts.push(analysisDiff(row.diff));
  else if (row.analysis_old === null && row.analysis_new !== null)
    parts.push(headAnalysis(row.analysis_new));
  const body = parts.length === 0 ? 'Nothing more to show.' : parts.join('\n\n');
  return `<details><summary>${escapeInline(row.id, 120)} — ${verdictText(row)}</summary>\n\n${body}\n\n</details>\n`;
}
