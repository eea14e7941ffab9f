/** The collapsed per-tool section of the comment: judge reasoning, measurement, analysis diff. */
import { escapeInline, fenced } from './escape.js';
import { VERDICT_ICON, formatChange, formatKb, formatNs } from './render-format.js';
import { profileSummary } from './new-tool.js';
import { fallbackReason } from './judge-run.js';
import type { ToolRow } from './report.js';
import type { AnalysisDiff, Comparison, Evaluation, SecurityIssue, VersionStats } from './types.js';

function finding(issue: SecurityIssue): string {
  return `- ${escapeInline(issue.rule, 30)} (${issue.severity}) line ${issue.line}: ${escapeInline(issue.message, 200)}`;
}

function stats(label: string, s: VersionStats): string {
  const parts = [
    `${formatNs(s.ns_per_call)}/call`,
    `${s.samples} samples × ${s.calls_per_sample} calls`,
    s.steady_state ? 'steady' : 'never steady',
    `memory ${formatKb(s.memory_kb)}`,
  ];
  const blocked = s.network.filter((e) => e.kind === 'blocked');
  if (blocked.length > 0)
    parts.push(`blocked connections: ${blocked.map((e) => escapeInline(e.target, 80)).join(', ')}`);
  let line = `- ${label}: ${parts.join(', ')}`;
  if (s.error !== undefined)
    line = `- ${label}: **${escapeInline(s.error.kind, 30)}**: ${escapeInline(s.error.message, 300)}`;
  return line;
}

function measurement(c: Comparison): string {
  const t = c.time;
  const level = Math.round(t.confidence_level * 1000) / 10;
  return [
    '**Measurement**',
    `- time ratio new/old ${t.ratio.toFixed(3)} (${formatChange(t.ratio)}), ${level} % CI [${t.ci_low.toFixed(3)}, ${t.ci_high.toFixed(3)}] → **${t.change}** (noise zone ±${(t.delta * 100).toFixed(1)} %)`,
    `- ${t.pairs} process pairs, ${t.rounds} rounds, ${c.steady_state ? 'steady state reached' : 'steady state NOT reached'}, ${(c.wall_ms / 1000).toFixed(1)} s`,
    stats('base', c.old),
    stats('head', c.new),
    `- memory: ${formatKb(c.memory.old_kb)} → ${formatKb(c.memory.new_kb)} (${formatChange(c.memory.ratio)})`,
  ].join('\n');
}

function analysisDiff(d: AnalysisDiff): string {
  const lines = ['**Analysis diff**'];
  lines.push(
    `- security findings ${d.security_old} → ${d.security_new}; complexity ${d.complexity_old?.toFixed(1) ?? '–'} → ${d.complexity_new?.toFixed(1) ?? '–'}; syntax ${d.syntax_valid_old ? 'valid' : 'INVALID'} → ${d.syntax_valid_new ? 'valid' : 'INVALID'}`,
  );
  if (d.new_findings.length > 0)
    lines.push('- new findings:', ...d.new_findings.slice(0, 20).map((f) => `  ${finding(f)}`));
  if (d.fixed_findings.length > 0)
    lines.push('- fixed findings:', ...d.fixed_findings.slice(0, 20).map((f) => `  ${finding(f)}`));
  const changed = d.functions.filter((f) => f.old !== f.new).slice(0, 20);
  if (changed.length > 0)
    lines.push(
      `- function complexity: ${changed.map((f) => `${escapeInline(f.name, 60)} ${f.old ?? 'new'} → ${f.new ?? 'removed'}`).join('; ')}`,
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
      : ` in ${(e.latency_ms / 1000).toFixed(1)} s${e.prompt_tokens === undefined ? '' : ` (${e.prompt_tokens} prompt + ${e.reply_tokens ?? '?'} reply tokens)`}`;
  return `${escapeInline(e.judge, 200)}${call}`;
}

/** One `<details>` section; its summary line is plain and escaped. */
export function renderDetails(row: ToolRow): string {
  const verdict =
    row.verdict === null ? '⏳ not judged' : `${VERDICT_ICON[row.verdict]} ${row.verdict}`;
  const score = row.score === null ? '' : ` (${Math.round(row.score)})`;
  const parts: string[] = [];
  if (row.note !== null) parts.push(`**Note:** ${escapeInline(row.note, 600)}`);
  const e = row.evaluation;
  if (e !== null) {
    parts.push(
      `**Judge** ${judgeText(e)}, confidence ${e.confidence}, allowed band [${e.band.lo}, ${e.band.hi}], rule score ${e.band.rule_score}`,
    );
    if (e.band.reasons.length > 0)
      parts.push(e.band.reasons.map((r) => `- ${escapeInline(r, 200)}`).join('\n'));
    if (e.injection.length > 0)
      parts.push(
        `Suspected prompt injection: ${e.injection.map((i) => escapeInline(i, 120)).join('; ')}`,
      );
    parts.push(fenced(e.reasoning, 3000));
  }
  if (row.requirement_new !== null && row.requirement_new !== row.requirement_old) {
    parts.push(`**Requirement (author's claim)**\n${fenced(row.requirement_new, 800)}`);
  }
  if (row.input_source !== undefined && row.input_source !== null)
    parts.push(`**Input:** ${escapeInline(row.input_source, 300)}`);
  if (row.comparison !== null) parts.push(measurement(row.comparison));
  const p = row.profile ?? null;
  if (p !== null) {
    parts.push(
      p.error !== undefined
        ? `**Run on its example**\n- **${escapeInline(p.error.kind, 30)}**: ${escapeInline(p.error.message, 300)}`
        : `**Run on its example (baseline)**\n- ${escapeInline(profileSummary(p), 400)}`,
    );
  }
  if (row.diff !== null) parts.push(analysisDiff(row.diff));
  return `<details><summary>${escapeInline(row.id, 120)} — ${verdict}${score}</summary>\n\n${parts.join('\n\n')}\n\n</details>\n`;
}
