/**
 * The gate's versioned JSON report: what every renderer, the `report` output and the
 * measure → report artifact are made of. Plain data, and the one aggregation rule: the gate's
 * verdict is its worst tool's.
 */
import type {
  Analysis,
  AnalysisDiff,
  Comparison,
  Evaluation,
  GateVerdict,
  JudgeRun,
  Language,
  LoadedFiles,
  SandboxMode,
  Verdict,
  VersionProfile,
} from '../domain/types.js';

export const REPORT_SCHEMA = 'perf-verdict/report';
export const REPORT_VERSION = 1;

/** How a tool changed, or why it was not judged on measurements. */
export const ROW_STATUSES = ['modified', 'new', 'removed', 'renamed', 'skipped', 'error'] as const;
type RowStatus = (typeof ROW_STATUSES)[number];

export type ReportMode = 'full' | 'measure' | 'report' | 'gate';

export interface ToolRow {
  readonly id: string;
  readonly status: RowStatus;
  /** Path at head (at base for a removed tool). */
  readonly path: string;
  /** Path at base when it differs (renames). */
  readonly old_path: string | null;
  readonly language: Language | null;
  readonly requirement_old: string | null;
  readonly requirement_new: string | null;
  /** null until judged (`measure` mode). */
  readonly verdict: Verdict | null;
  readonly score: number | null;
  readonly comparison: Comparison | null;
  readonly analysis_old: Analysis | null;
  readonly analysis_new: Analysis | null;
  readonly diff: AnalysisDiff | null;
  readonly evaluation: Evaluation | null;
  /** Why a tool was skipped, failed, or judged by a pipeline rule rather than the judge. */
  readonly note: string | null;
  /** The two versions' code, carried so the `report` mode can analyse and judge without a checkout. */
  readonly old_code: string | null;
  readonly new_code: string | null;
  /**
   * The repository files each version loads with itself (its helper modules), carried for the
   * `report` mode's analysis; absent when it loads none.
   */
  readonly old_loads?: LoadedFiles | null;
  readonly new_loads?: LoadedFiles | null;
  /** A new tool measured alone: its absolute figures (cold and warm), its baseline. */
  readonly profile?: VersionProfile | null;
  /** Where the test input came from (`… examples[0]`, `input synthesised from input_schema`). */
  readonly input_source?: string | null;
}

/** Said when a tool's input was synthesised from its YAML's input_schema. */
export const SYNTHESISED_SOURCE = 'input synthesised from input_schema';

/** A changed tool definition without code (an llm, openapi, mcp, workflow … YAML): not run. */
export interface DefinitionRow {
  readonly id: string;
  readonly path: string;
  readonly status: 'modified' | 'new' | 'removed' | 'renamed';
  /** The YAML's `type`; null when it has none (no implementation found). */
  readonly type: string | null;
}

export interface Override {
  readonly by: string;
  readonly via: 'label' | 'comment';
  readonly detail: string;
}

export interface ReportSettings {
  readonly time_budget_seconds: number;
  readonly confidence: number;
  readonly delta: number;
  readonly fail_on: 'reject' | 'review' | 'never';
  /** The `sandbox` setting (absent in reports from before issue 10). */
  readonly sandbox?: SandboxMode | undefined;
}

/** `shard: i/n`: this report covers only every n-th changed tool, from the i-th. */
export interface ReportShard {
  readonly index: number;
  readonly total: number;
}

/** What a report is about: the repository, the PR and the commits compared. */
export interface ReportSubject {
  readonly repository: string | null;
  readonly pull_request: number | null;
  readonly base_ref: string;
  readonly base_sha: string;
  readonly head_sha: string;
  readonly merge_base: string;
}

export interface GateReport extends ReportSubject {
  readonly schema: typeof REPORT_SCHEMA;
  readonly version: typeof REPORT_VERSION;
  readonly created_at: string;
  readonly mode: ReportMode;
  /** null: measured but not judged yet (`measure` mode). */
  readonly verdict: GateVerdict | null;
  /** Lowest tool score, null when no tool was scored. */
  readonly score: number | null;
  /** Which judge decided, said once (see judgePhrase): `rules`, `ollama <model>@<digest>`, or a fallback. */
  readonly judge: string | null;
  /** The judge's once-per-gate facts: model, digest, pull and load times, why it was unavailable. */
  readonly judge_run?: JudgeRun | null;
  readonly override: Override | null;
  readonly settings: ReportSettings;
  readonly tools: readonly ToolRow[];
  /** Wall time of the whole run and of measurement alone, ms. */
  readonly wall_ms: number;
  readonly measure_ms: number;
  /** Present on a sharded `measure` report; the `report` job merges the shards. */
  readonly shard?: ReportShard;
  /**
   * Changed definitions without code (`definitions: list`): one collapsed line, no verdict of
   * their own (a PR that changes only definitions is NONE).
   */
  readonly definitions?: readonly DefinitionRow[];
  /**
   * When the tool globs matched no changed file: changed files that look like tools all the same
   * (code beside a tool spec YAML) and the glob that would find them; the headline says so.
   */
  readonly unmatched?: UnmatchedTools;
  /**
   * Set when the numbers were measured by the pull request's own job (a fork's `measure` run,
   * which runs the workflow file as the PR has it): this run judged them but cannot vouch for
   * them. Absent when this run measured, or the measuring job is the base repository's.
   */
  readonly unverified?: Unverified;
  /**
   * Why no accept applies to this head and verdict though one was given: an accept for an
   * earlier head or verdict (stale), a label or comment by a user without write access. Set only
   * while the report awaits an accept; sentences for the reader.
   */
  readonly accept_notes?: readonly string[];
}

/** Changed files that look like tools the globs miss, and the glob to add (tools/unmatched.ts). */
export interface UnmatchedTools {
  readonly paths: readonly string[];
  readonly glob: string;
}

/** Who measured an unverified report's numbers, and whether the base config trusts them anyway. */
interface Unverified {
  /** The measuring job, for the reader: `the pull_request job of the fork octo-org/octo-repo`. */
  readonly source: string;
  /** The base config's `trust-fork-measurements`: the check then follows the verdict as usual. */
  readonly trusted: boolean;
}

/**
 * Whether a report's check waits for a writer's accept: a REJECT, or any judged verdict whose
 * numbers are unverified and not trusted (a forged report must not make a green check alone).
 */
export function awaitsAccept(report: Pick<GateReport, 'verdict' | 'unverified'>): boolean {
  return report.verdict === 'REJECT' || (report.verdict !== null && gatedUnverified(report));
}

function gatedUnverified(report: Pick<GateReport, 'unverified'>): boolean {
  return report.unverified !== undefined && !report.unverified.trusted;
}

const SEVERITY: Readonly<Record<Verdict, number>> = { ACCEPT: 0, REVIEW: 1, REJECT: 2 };

/** Severity of a row for ordering: an unjudged row sorts with the REVIEW rows. */
function rowSeverity(row: { readonly verdict: Verdict | null }): number {
  return row.verdict === null ? SEVERITY.REVIEW : SEVERITY[row.verdict];
}

/**
 * The verdict of a run (gate or record): the worst verdict among its rows. A row whose verdict
 * is null was not judged (the record of a removed tool: nothing to decide) and does not count;
 * NONE when no row was judged. The gate judges every row it reports — skipped, removed and failed
 * tools carry REVIEW — so nothing a PR touches passes unseen.
 */
export function worstVerdict(rows: readonly { readonly verdict: Verdict | null }[]): GateVerdict {
  let worst: GateVerdict = 'NONE';
  for (const row of rows) {
    if (row.verdict === null) continue;
    if (worst === 'NONE' || SEVERITY[row.verdict] > SEVERITY[worst]) worst = row.verdict;
  }
  return worst;
}

/** Lowest score among the rows that have one (gate and record alike); null when none has. */
export function lowestScore(rows: readonly { readonly score: number | null }[]): number | null {
  let lowest: number | null = null;
  for (const row of rows)
    if (row.score !== null && (lowest === null || row.score < lowest)) lowest = row.score;
  return lowest;
}

/** Rows worst first, then by id: the order of every rendering. */
export function sortRows<T extends Pick<ToolRow, 'verdict' | 'id'>>(rows: readonly T[]): T[] {
  return [...rows].sort((a, b) => rowSeverity(b) - rowSeverity(a) || a.id.localeCompare(b.id));
}

/** Does this verdict reach the `fail-on` threshold? */
export function reachesFailOn(
  verdict: GateVerdict | null,
  failOn: ReportSettings['fail_on'],
): boolean {
  switch (failOn) {
    case 'never':
      return false;
    case 'review':
      return verdict === 'REVIEW' || verdict === 'REJECT';
    case 'reject':
      return verdict === 'REJECT';
  }
}

export type CheckConclusion = 'success' | 'neutral' | 'failure';

/** REJECT → failure, REVIEW → neutral, ACCEPT / NONE → success; `fail-on` and an override move it. */
export function checkConclusion(
  report: Pick<GateReport, 'verdict' | 'override' | 'unverified'> & {
    readonly settings: Pick<ReportSettings, 'fail_on'>;
  },
): CheckConclusion {
  const { verdict, override } = report;
  if (override !== null && awaitsAccept(report)) return 'success';
  if (reachesFailOn(verdict, report.settings.fail_on)) return 'failure';
  if (gatedUnverified(report)) return 'neutral';
  if (verdict === 'REVIEW' || verdict === 'REJECT' || verdict === null) return 'neutral';
  return 'success';
}
