/**
 * Text views of the registry for `perf-verdict registry ...`: plain functions of the data, so
 * the tables are tested with plain objects.
 */
import type { Registry, RegistryEntry, SearchHit, VersionEntry } from './schema.js';
import { describeTrend } from './schema.js';
import { formatKb, formatMs, NBSP } from '../report/render-format.js';

/** Left-aligned text table with a header rule. */
function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** A time in the unit that reads (`258 ns`, `3.43 µs`, `12.1 ms`), plain spaces for a terminal. */
function ms(value: number | null | undefined): string {
  if (value === null || value === undefined) return '-';
  return formatMs(value).replaceAll(NBSP, ' ');
}

function kb(value: number | null | undefined): string {
  return value === null || value === undefined ? '-' : formatKb(value).replaceAll(NBSP, ' ');
}

/** `×1.62 [1.55, 1.70]`: the side-by-side ratio against the previous version, with its interval. */
function interval(record: VersionEntry): string {
  const { time_ratio: ratio, ci_low: lo, ci_high: hi } = record.metrics;
  if (ratio === null) return '-';
  const f = (v: number): string => v.toFixed(2);
  return lo === null || hi === null ? `×${f(ratio)}` : `×${f(ratio)} [${f(lo)}, ${f(hi)}]`;
}

function analysisOf(entry: RegistryEntry): { grade: string; security: string } {
  const sa = entry.metadata.static_analysis as
    | {
        complexity?: { grade?: unknown };
        security?: { total_issues?: unknown };
      }
    | undefined;
  const grade = sa?.complexity?.grade;
  const security = sa?.security?.total_issues;
  return {
    grade: typeof grade === 'string' ? grade : '-',
    security: typeof security === 'number' ? String(security) : '-',
  };
}

export function renderList(registry: Registry): string {
  const ids = Object.keys(registry).sort();
  if (ids.length === 0) return 'The registry is empty.\n';
  const rows = ids.map((id) => {
    const entry = registry[id]!;
    const perf = entry.metadata.performance;
    const { grade, security } = analysisOf(entry);
    return [
      id,
      entry.version,
      ms(perf.execution_time_ms),
      kb(perf.memory_usage_kb),
      grade,
      security,
      String(entry.versions?.length ?? 0),
      entry.metadata.last_updated ?? '-',
    ];
  });
  return `${table(['tool', 'version', 'time', 'memory', 'grade', 'security', 'versions', 'last updated'], rows)}\n`;
}

export function renderShow(entry: RegistryEntry): string {
  const perf = entry.metadata.performance;
  const { grade, security } = analysisOf(entry);
  const lines = [
    `tool:         ${entry.tool_id}`,
    `version:      ${entry.version}`,
    `time:         ${ms(perf.execution_time_ms)} per call`,
    `memory:       ${kb(perf.memory_usage_kb)}`,
    `grade:        ${grade}`,
    `security:     ${security} finding(s)`,
    `requirement:  ${entry.metadata.requirement ?? '-'}`,
    `updated:      ${entry.metadata.last_updated ?? '-'}`,
    `versions:     ${entry.versions?.length ?? 0} recorded (perf-verdict registry history ${entry.tool_id})`,
  ];
  if (entry.metadata.documentation !== undefined)
    lines.push('', entry.metadata.documentation.trim());
  if (entry.metadata.source !== undefined)
    lines.push('', 'source:', entry.metadata.source.trimEnd());
  return `${lines.join('\n')}\n`;
}

export function renderHistory(entry: RegistryEntry): string {
  const records = entry.versions ?? [];
  if (records.length === 0) return `${entry.tool_id}: no recorded versions.\n`;
  const rows = records.map((r) => [
    r.version,
    r.timestamp,
    ms(r.metrics.execution_time_ms),
    interval(r),
    kb(r.metrics.memory_usage_kb),
    r.analysis?.grade ?? '-',
    r.analysis?.security_issues === null || r.analysis === null
      ? '-'
      : String(r.analysis.security_issues),
    r.verdict === null ? '-' : `${r.verdict}${r.score === null ? '' : ` (${r.score})`}`,
    r.status === 'current' && r.version === entry.version ? 'current' : r.status,
  ]);
  return `${entry.tool_id} (current ${entry.version})\n${table(
    [
      'version',
      'recorded',
      'time',
      'vs previous (interval)',
      'memory',
      'grade',
      'security',
      'verdict',
      'status',
    ],
    rows,
  )}\n${describeTrend(records)}\n`;
}

export function renderSearch(
  registry: Registry,
  hits: readonly SearchHit[],
  query: string,
): string {
  if (hits.length === 0) return `No tool matches '${query}'.\n`;
  const rows = hits.map((hit) => {
    const entry = registry[hit.tool_id]!;
    const perf = entry.metadata.performance;
    const { grade, security } = analysisOf(entry);
    const requirement = (entry.metadata.requirement ?? '').replace(/\s+/g, ' ');
    return [
      hit.score.toFixed(2),
      hit.tool_id,
      entry.version,
      ms(perf.execution_time_ms),
      kb(perf.memory_usage_kb),
      grade,
      security,
      requirement.length > 60 ? `${requirement.slice(0, 57)}...` : requirement,
    ];
  });
  return `${table(['score', 'tool', 'version', 'time', 'memory', 'grade', 'security', 'requirement'], rows)}\n`;
}
