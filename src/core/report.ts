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
  SandboxInfo,
  SandboxMode,
  Verdict,
  VersionProfile,
} from './types.js';
import { CHANGES, LANGUAGES, SANDBOX_MODES, TOOL_ERROR_KINDS } from './types.js';

export const REPORT_SCHEMA = 'perf-verdict/report';
export const REPORT_VERSION = 1;

/** How a tool changed, or why it was not judged on measurements. */
const ROW_STATUSES = ['modified', 'new', 'removed', 'renamed', 'skipped', 'error'] as const;
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
interface ReportSubject {
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
  verdict: GateVerdict | null,
  failOn: ReportSettings['fail_on'],
  override: Override | null,
): CheckConclusion {
  if (override !== null && verdict === 'REJECT') return 'success';
  if (reachesFailOn(verdict, failOn)) return 'failure';
  if (verdict === 'REVIEW' || verdict === 'REJECT' || verdict === null) return 'neutral';
  return 'success';
}

// ---------------------------------------------------------------- untrusted reports

/**
 * A report read back from an artifact (the `report` mode) came from a job that ran PR code: it is
 * untrusted data. Only what the report mode uses is kept — identity, paths, both versions' code
 * and the measured comparison — each bounded and typed; verdicts, scores, analyses and
 * evaluations in it are dropped and recomputed.
 */
export interface UntrustedReport extends ReportSubject {
  readonly measure_ms: number;
  /** null: the report covers every changed tool. */
  readonly shard: ReportShard | null;
  readonly tools: readonly ToolRow[];
  readonly definitions?: readonly DefinitionRow[] | undefined;
}

export class ReportValidationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReportValidationError';
  }
}

type Obj = Record<string, unknown>;

function at(path: string, message: string): never {
  throw new ReportValidationError(`report artifact: '${path}' ${message}`);
}

function obj(value: unknown, path: string): Obj {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    at(path, 'must be an object');
  return value as Obj;
}

function str(value: unknown, path: string, max: number, pattern?: RegExp): string {
  if (typeof value !== 'string') at(path, 'must be a string');
  if (value.length > max) at(path, `must be at most ${max} characters`);
  if (pattern !== undefined && !pattern.test(value)) at(path, `must match ${String(pattern)}`);
  return value;
}

function nullableStr(value: unknown, path: string, max: number): string | null {
  return value === null || value === undefined ? null : str(value, path, max);
}

function num(value: unknown, path: string, min = -Infinity, max = Infinity): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) at(path, 'must be a finite number');
  if (value < min || value > max) at(path, `must be between ${min} and ${max}`);
  return value;
}

function nullableNum(value: unknown, path: string, min = -Infinity, max = Infinity): number | null {
  return value === null || value === undefined ? null : num(value, path, min, max);
}

function bool(value: unknown, path: string): boolean {
  if (typeof value !== 'boolean') at(path, 'must be true or false');
  return value;
}

function oneOf<T extends string>(value: unknown, path: string, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value))
    at(path, `must be one of ${allowed.join(', ')}`);
  return value as T;
}

const SHA = /^[0-9a-f]{40}([0-9a-f]{24})?$/;
const MAX_CODE = 1024 * 1024;

function versionStats(value: unknown, path: string): Comparison['old'] {
  const v = obj(value, path);
  const network = v['network'] ?? [];
  if (!Array.isArray(network) || network.length > 100)
    at(`${path}.network`, 'must be a list of at most 100 events');
  const error = v['error'];
  return {
    ns_per_call: num(v['ns_per_call'], `${path}.ns_per_call`, 0),
    calls_per_sample: num(v['calls_per_sample'], `${path}.calls_per_sample`, 0),
    samples: num(v['samples'], `${path}.samples`, 0),
    steady_state: bool(v['steady_state'], `${path}.steady_state`),
    memory_kb: nullableNum(v['memory_kb'], `${path}.memory_kb`, 0),
    network: network.map((e, i) => {
      const event = obj(e, `${path}.network[${i}]`);
      return {
        kind: oneOf(event['kind'], `${path}.network[${i}].kind`, ['blocked', 'mocked'] as const),
        target: str(event['target'], `${path}.network[${i}].target`, 300),
      };
    }),
    ...(error === undefined || error === null
      ? {}
      : {
          error: {
            kind: oneOf(
              obj(error, `${path}.error`)['kind'],
              `${path}.error.kind`,
              TOOL_ERROR_KINDS,
            ),
            message: str((error as Obj)['message'], `${path}.error.message`, 4000),
            traceback:
              nullableStr((error as Obj)['traceback'], `${path}.error.traceback`, 8000) ??
              undefined,
          },
        }),
  };
}

function pairRatios(value: unknown, path: string): number[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.length > 1000)
    at(path, 'must be a list of at most 1000 numbers');
  return value.map((v, i) => num(v, `${path}[${i}]`, 0));
}

function comparison(value: unknown, path: string): Comparison | null {
  if (value === null || value === undefined) return null;
  const c = obj(value, path);
  const t = obj(c['time'], `${path}.time`);
  const m = obj(c['memory'], `${path}.memory`);
  return {
    time: {
      ratio: num(t['ratio'], `${path}.time.ratio`, 0),
      ci_low: num(t['ci_low'], `${path}.time.ci_low`, 0),
      ci_high: num(t['ci_high'], `${path}.time.ci_high`, 0),
      confidence_level: num(t['confidence_level'], `${path}.time.confidence_level`, 0, 1),
      delta: num(t['delta'], `${path}.time.delta`, 0, 1),
      change: oneOf(t['change'], `${path}.time.change`, CHANGES),
      pairs: num(t['pairs'], `${path}.time.pairs`, 0),
      rounds: num(t['rounds'], `${path}.time.rounds`, 0),
      pair_ratios: pairRatios(t['pair_ratios'], `${path}.time.pair_ratios`),
    },
    memory: {
      old_kb: nullableNum(m['old_kb'], `${path}.memory.old_kb`, 0),
      new_kb: nullableNum(m['new_kb'], `${path}.memory.new_kb`, 0),
      ratio: nullableNum(m['ratio'], `${path}.memory.ratio`, 0),
    },
    steady_state: bool(c['steady_state'], `${path}.steady_state`),
    old: versionStats(c['old'], `${path}.old`),
    new: versionStats(c['new'], `${path}.new`),
    wall_ms: num(c['wall_ms'], `${path}.wall_ms`, 0),
    ...(c['sandbox'] === undefined || c['sandbox'] === null
      ? {}
      : { sandbox: sandboxInfo(c['sandbox'], `${path}.sandbox`) }),
    ...(c['cold'] === undefined || c['cold'] === null
      ? {}
      : { cold: coldComparison(c['cold'], `${path}.cold`) }),
  };
}

function sandboxInfo(value: unknown, path: string): SandboxInfo {
  const s = obj(value, path);
  const kind = oneOf(s['kind'], `${path}.kind`, ['bwrap', 'none'] as const);
  const reason = nullableStr(s['reason'], `${path}.reason`, 500);
  return {
    mode: oneOf(s['mode'], `${path}.mode`, SANDBOX_MODES),
    kind,
    ...(reason === null ? {} : { reason }),
  };
}

function coldComparison(value: unknown, path: string): NonNullable<Comparison['cold']> {
  const k = obj(value, path);
  return {
    old_ns: num(k['old_ns'], `${path}.old_ns`, 0),
    new_ns: num(k['new_ns'], `${path}.new_ns`, 0),
    ratio: nullableNum(k['ratio'], `${path}.ratio`, 0),
  };
}

function row(value: unknown, path: string): ToolRow {
  const r = obj(value, path);
  return {
    id: str(r['id'], `${path}.id`, 300, /^[^\0\r\n]+$/),
    status: oneOf(r['status'], `${path}.status`, ROW_STATUSES),
    path: str(r['path'], `${path}.path`, 1000, /^[^\0\r\n]+$/),
    old_path: nullableStr(r['old_path'], `${path}.old_path`, 1000),
    language: r['language'] === null ? null : oneOf(r['language'], `${path}.language`, LANGUAGES),
    requirement_old: nullableStr(r['requirement_old'], `${path}.requirement_old`, 20_000),
    requirement_new: nullableStr(r['requirement_new'], `${path}.requirement_new`, 20_000),
    verdict: null,
    score: null,
    comparison: comparison(r['comparison'], `${path}.comparison`),
    analysis_old: null,
    analysis_new: null,
    diff: null,
    evaluation: null,
    note: nullableStr(r['note'], `${path}.note`, 4000),
    old_code: nullableStr(r['old_code'], `${path}.old_code`, MAX_CODE),
    new_code: nullableStr(r['new_code'], `${path}.new_code`, MAX_CODE),
    profile: profileOf(r['profile'], `${path}.profile`),
    input_source: nullableStr(r['input_source'], `${path}.input_source`, 1000),
  };
}

function profileOf(value: unknown, path: string): VersionProfile | null {
  if (value === null || value === undefined) return null;
  const p = obj(value, path);
  const stats = versionStats({ ...p, steady_state: true }, path);
  return {
    ns_per_call: stats.ns_per_call,
    cold_ns: num(p['cold_ns'], `${path}.cold_ns`, 0),
    memory_kb: stats.memory_kb,
    samples: stats.samples,
    calls_per_sample: stats.calls_per_sample,
    runs: num(p['runs'], `${path}.runs`, 0, 1000),
    inputs: num(p['inputs'], `${path}.inputs`, 0, 1000),
    network: stats.network,
    wall_ms: num(p['wall_ms'], `${path}.wall_ms`, 0),
    ...(stats.error === undefined ? {} : { error: stats.error }),
    ...(p['sandbox'] === undefined || p['sandbox'] === null
      ? {}
      : { sandbox: sandboxInfo(p['sandbox'], `${path}.sandbox`) }),
  };
}

function definitionRows(value: unknown): DefinitionRow[] | undefined {
  if (value === null || value === undefined) return undefined;
  if (!Array.isArray(value) || value.length > 5000)
    at('definitions', 'must be a list of at most 5000 definitions');
  return value.map((d, i) => {
    const o = obj(d, `definitions[${i}]`);
    return {
      id: str(o['id'], `definitions[${i}].id`, 300, /^[^\0\r\n]+$/),
      path: str(o['path'], `definitions[${i}].path`, 1000, /^[^\0\r\n]+$/),
      status: oneOf(o['status'], `definitions[${i}].status`, [
        'modified',
        'new',
        'removed',
        'renamed',
      ] as const),
      type:
        o['type'] === null || o['type'] === undefined
          ? null
          : str(o['type'], `definitions[${i}].type`, 60, /^[\w.-]+$/),
    };
  });
}

function shardOf(value: unknown): ReportShard | null {
  if (value === null || value === undefined) return null;
  const s = obj(value, 'shard');
  const total = num(s['total'], 'shard.total', 1, 1000);
  const index = num(s['index'], 'shard.index', 1, total);
  if (!Number.isInteger(total) || !Number.isInteger(index))
    at('shard', 'must have whole-number index and total');
  return { index, total };
}

/** Validate a report artifact as untrusted data. Throws ReportValidationError naming the field. */
export function parseUntrustedReport(value: unknown): UntrustedReport {
  const r = obj(value, '$');
  if (r['schema'] !== REPORT_SCHEMA) at('schema', `must be '${REPORT_SCHEMA}'`);
  if (r['version'] !== REPORT_VERSION) at('version', `must be ${REPORT_VERSION}`);
  if (r['mode'] !== 'measure')
    at('mode', "must be 'measure' (only a measure-mode report is an artifact)");
  const tools = r['tools'];
  if (!Array.isArray(tools) || tools.length > 500)
    at('tools', 'must be a list of at most 500 tools');
  const repository = nullableStr(r['repository'], 'repository', 200);
  if (repository !== null && !/^[\w.-]+\/[\w.-]+$/.test(repository))
    at('repository', 'must be owner/name');
  const pr = r['pull_request'];
  return {
    repository,
    pull_request: pr === null || pr === undefined ? null : num(pr, 'pull_request', 1, 1e9),
    base_ref: str(r['base_ref'], 'base_ref', 300, /^[^\0\r\n]+$/),
    base_sha: str(r['base_sha'], 'base_sha', 64, SHA),
    head_sha: str(r['head_sha'], 'head_sha', 64, SHA),
    merge_base: str(r['merge_base'], 'merge_base', 64, SHA),
    measure_ms: num(r['measure_ms'] ?? 0, 'measure_ms', 0),
    shard: shardOf(r['shard']),
    tools: tools.map((t, i) => row(t, `tools[${i}]`)),
    definitions: definitionRows(r['definitions']),
  };
}
