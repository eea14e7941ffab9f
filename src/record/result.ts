/**
 * The record run's JSON result (`RecordResult`) and its job-summary table. Plain data and pure functions: the
 * pipeline (index.ts) fills the rows, the Action writes them out.
 */
import { escapeInline } from '../report/escape.js';
import { formatChange, formatKb, VERDICT_ICON } from '../report/render-format.js';
import type { GateVerdict, Verdict } from '../domain/types.js';
import type { ProfileFigures } from '../profile/index.js';
import type { ChangeStatus } from '../tools/index.js';

export const RECORD_SCHEMA = 'perf-verdict/record';
export const RECORD_VERSION = 1;

/** What the profiler concluded for a tool, or why it was not profiled. */
export type RecordStatus =
  'completed' | 'review_required' | 'rejected' | 'failed' | 'skipped' | 'removed';

/** One tool of the record run: what was done, and the profile's figures (null: none). */
export interface RecordRow extends ProfileFigures {
  readonly id: string;
  /** How the push changed the tool. */
  readonly change: ChangeStatus;
  readonly status: RecordStatus;
  readonly path: string;
  /** The version number the profile assigned; null when nothing was recorded. */
  readonly version: string | null;
  /** True when this version became the tool's current version in the registry. */
  readonly current: boolean;
  /** null for a removed tool: it is left in the registry and nothing is decided. */
  readonly verdict: Verdict | null;
  readonly note: string | null;
}

/** How the base of the push was chosen. */
export type BaseChoice = 'before' | 'parent' | 'none';

export interface RecordResult {
  readonly schema: typeof RECORD_SCHEMA;
  readonly version: typeof RECORD_VERSION;
  readonly created_at: string;
  readonly mode: 'record';
  readonly repository: string | null;
  readonly ref: string | null;
  /** The commit the tools were compared against; null when `after` has no parent. */
  readonly base_sha: string | null;
  readonly base: BaseChoice;
  readonly head_sha: string;
  /** The registry file, relative to the workspace. */
  readonly registry: string;
  readonly verdict: GateVerdict;
  readonly score: number | null;
  readonly tools: readonly RecordRow[];
  readonly wall_ms: number;
}

function ms(value: number | null): string {
  if (value === null || !Number.isFinite(value)) return 'n/a';
  return value >= 1 ? `${value.toFixed(2)} ms` : `${(value * 1000).toFixed(2)} µs`;
}

const STATUS_TEXT: Readonly<Record<RecordStatus, string>> = {
  completed: 'current',
  review_required: 'history only (review)',
  rejected: 'history only (rejected)',
  failed: 'not recorded',
  skipped: 'not recorded',
  removed: 'left as is',
};

/** The job summary of a record run: headline, one row per tool, notes. */
export function renderRecordSummary(result: RecordResult, runUrl: string | null): string {
  const icon = VERDICT_ICON[result.verdict];
  const recorded = result.tools.filter((r) => r.version !== null).length;
  const changed = result.tools.length;
  const lines = [
    `## perf-verdict record: ${icon} ${result.verdict}`,
    '',
    `${changed} changed tool${changed === 1 ? '' : 's'} at ${result.head_sha.slice(0, 12)}` +
      (result.base_sha === null
        ? ' (first commit: every tool is new)'
        : ` (compared with ${result.base_sha.slice(0, 12)}${result.base === 'parent' ? ', the parent commit' : ''})`) +
      `; ${recorded} recorded in \`${escapeInline(result.registry)}\`` +
      (recorded > 0 ? ' — commit the file back to keep it.' : '.'),
    '',
  ];
  if (result.tools.length === 0) {
    lines.push('No tool changed: the registry is unchanged.', '');
  } else {
    lines.push(
      '| Tool | Change | Version | Time | Memory | vs previous (interval) | Verdict | Registry |',
      '|---|---|---|---|---|---|---|---|',
    );
    for (const row of result.tools) {
      const ratio =
        row.time_ratio === null
          ? '—'
          : `${formatChange(row.time_ratio)} [${formatChange(row.ci_low)}, ${formatChange(row.ci_high)}]`;
      const verdict =
        row.verdict === null
          ? '—'
          : `${VERDICT_ICON[row.verdict]} ${row.verdict}${row.score === null ? '' : ` (${Math.round(row.score)})`}`;
      lines.push(
        `| **${escapeInline(row.id, 120)}** | ${row.change} | ${row.version ?? '—'} | ${ms(row.time_ms)} | ${formatKb(row.memory_kb)} | ${ratio} | ${verdict} | ${STATUS_TEXT[row.status]} |`,
      );
    }
    lines.push('');
    const notes = result.tools.filter((r) => r.note !== null);
    for (const row of notes)
      lines.push(`- **${escapeInline(row.id, 120)}**: ${escapeInline(row.note ?? '', 600)}`);
    if (notes.length > 0) lines.push('');
  }
  if (runUrl !== null) lines.push(`[Run](${runUrl}) · ${(result.wall_ms / 1000).toFixed(1)} s`, '');
  return lines.join('\n');
}
