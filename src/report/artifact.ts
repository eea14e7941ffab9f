/**
 * A report read back from an artifact (the `report` mode) came from a job that ran PR code: it is
 * untrusted data. Only what the report mode uses is kept — identity, paths, both versions' code
 * and the files each loads, the measured comparison — each bounded and typed by the zod schema
 * below; verdicts, scores, analyses and evaluations in it are dropped and recomputed. A bad field
 * is a ReportValidationError naming it: `report artifact: 'tools[1].comparison.time.ratio' must be
 * a finite number`.
 */
import { z } from 'zod';
import { fieldPath } from '../domain/errors.js';
import type {
  ReportShard,
  ReportSubject,
  DefinitionRow,
  ToolRow,
  UnmatchedTools,
} from './model.js';
import { REPORT_SCHEMA, REPORT_VERSION, ROW_STATUSES } from './model.js';
import type { Comparison, Growth, SandboxInfo, VersionProfile } from '../domain/types.js';
import { CHANGES, LANGUAGES, SANDBOX_MODES, TOOL_ERROR_KINDS } from '../domain/types.js';

export interface UntrustedReport extends ReportSubject {
  readonly measure_ms: number;
  /** null: the report covers every changed tool. */
  readonly shard: ReportShard | null;
  readonly tools: readonly ToolRow[];
  readonly definitions?: readonly DefinitionRow[] | undefined;
  readonly unmatched?: UnmatchedTools | undefined;
}

export class ReportValidationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReportValidationError';
  }
}

const SHA = /^[0-9a-f]{40}([0-9a-f]{24})?$/;
const ONE_LINE = /^[^\0\r\n]+$/;
const MAX_CODE = 1024 * 1024;

// ------------------------------------------------------------ pieces, with the errors they say

const object = <T extends z.ZodRawShape>(shape: T) =>
  z.object(shape, { error: 'must be an object' });

function str(max: number, pattern?: RegExp) {
  const s = z.string({ error: 'must be a string' }).max(max, `must be at most ${max} characters`);
  return pattern === undefined ? s : s.regex(pattern, `must match ${String(pattern)}`);
}

/** A string, or null when null or absent. */
const nullableStr = (max: number) =>
  str(max)
    .nullish()
    .transform((v) => v ?? null);

function num(min = -Infinity, max = Infinity) {
  const between = `must be between ${min} and ${max}`;
  let n = z.number({ error: 'must be a finite number' });
  if (min > -Infinity) n = n.min(min, between);
  if (max < Infinity) n = n.max(max, between);
  return n;
}

/** A number, or null when null or absent. */
const nullableNum = (min = -Infinity, max = Infinity) =>
  num(min, max)
    .nullish()
    .transform((v) => v ?? null);

/** A number, or absent when null or absent. */
const optionalNum = (min = -Infinity, max = Infinity) =>
  num(min, max)
    .nullish()
    .transform((v) => v ?? undefined);

const bool = z.boolean({ error: 'must be true or false' });

const oneOf = <const T extends readonly [string, ...string[]]>(allowed: T) =>
  z.enum(allowed, { error: `must be one of ${allowed.join(', ')}` });

/** A list of at most `max`; `what` names its items in the error. */
const list = <T extends z.ZodType>(item: T, max: number, what: string) =>
  z
    .array(item, { error: `must be a list of at most ${max} ${what}` })
    .max(max, `must be a list of at most ${max} ${what}`);

// ------------------------------------------------------------ the report's parts

const toolError = object({
  kind: oneOf(TOOL_ERROR_KINDS),
  message: str(4000),
  traceback: nullableStr(8000),
}).transform((e) => ({ kind: e.kind, message: e.message, traceback: e.traceback ?? undefined }));

const statsFields = {
  ns_per_call: num(0),
  calls_per_sample: num(0),
  samples: num(0),
  memory_kb: nullableNum(0),
  network: list(object({ kind: oneOf(['blocked', 'mocked']), target: str(300) }), 100, 'events')
    .nullish()
    .transform((v) => v ?? []),
  error: toolError.nullish(),
  runtime: str(40, /^(Python|Node) v?\d{1,3}(\.\d{1,4}){1,3}$/)
    .nullish()
    .transform((v) => v ?? undefined),
};

const versionStats = object({ ...statsFields, steady_state: bool }).transform(
  ({ error, ...v }): Comparison['old'] => ({ ...v, ...(error == null ? {} : { error }) }),
);

const sandboxInfo = object({
  mode: oneOf(SANDBOX_MODES),
  kind: oneOf(['bwrap', 'none']),
  via: oneOf(['sudo']).nullish(),
  reason: nullableStr(500),
}).transform(({ reason, via, ...s }): SandboxInfo => ({
  ...s,
  ...(via == null ? {} : { via }),
  ...(reason === null ? {} : { reason }),
}));

/** Both versions' answers compared (src/measure/outputs.ts). */
const outputComparison = object({
  inputs: num(0, 1000),
  grown: num(0, 1000)
    .nullish()
    .transform((v) => v ?? undefined),
  differing: num(0, 1000),
  diff: nullableStr(500),
  nondeterministic: list(oneOf(['old', 'new']), 2, 'versions'),
  varying: list(str(200), 5, 'paths')
    .nullish()
    .transform((v) => v ?? undefined),
  tolerance: num(0, 1),
  expected: object({
    checked: num(0, 1000),
    old_matches: num(0, 1000),
    new_matches: num(0, 1000),
    new_diff: nullableStr(500).transform((v) => v ?? undefined),
  })
    .nullish()
    .transform((v) => v ?? undefined),
});

const growthFit = object({ exponent: num(-100, 100), low: num(-100, 100), high: num(-100, 100) });

/** How the cost grows (src/measure/growth.ts). */
const growth = object({
  part: nullableStr(300),
  reason: nullableStr(300).transform((v) => v ?? undefined),
  factors: list(num(1, 1e9), 20, 'sizes')
    .nullish()
    .transform((v) => v ?? undefined),
  old: growthFit.nullish().transform((v) => v ?? undefined),
  new: growthFit.nullish().transform((v) => v ?? undefined),
  rises: bool.nullish().transform((v) => v ?? undefined),
  largest_factor: num(1, 1e9)
    .nullish()
    .transform((v) => v ?? undefined),
  ratio_at_largest: num(0)
    .nullish()
    .transform((v) => v ?? undefined),
  wall_ms: num(0)
    .nullish()
    .transform((v) => v ?? undefined),
}).transform((g): Growth => g);

const comparison = object({
  time: object({
    ratio: num(0),
    ci_low: num(0),
    ci_high: num(0),
    confidence_level: num(0, 1),
    delta: num(0, 1),
    change: oneOf(CHANGES),
    pairs: num(0),
    rounds: num(0),
    pair_ratios: list(num(0), 1000, 'numbers')
      .nullish()
      .transform((v) => v ?? undefined),
  }),
  memory: object({ old_kb: nullableNum(0), new_kb: nullableNum(0), ratio: nullableNum(0) }),
  steady_state: bool,
  old: versionStats,
  new: versionStats,
  wall_ms: num(0),
  sandbox: sandboxInfo.nullish(),
  cold: object({
    old_ns: num(0),
    new_ns: num(0),
    ratio: nullableNum(0),
    ci_low: optionalNum(0),
    ci_high: optionalNum(0),
    second_ratio: optionalNum(0),
    interpreted: object({
      pairs: num(0, 1000),
      later_calls: num(0, 1000),
      first_ratio: num(0),
      first_ci_low: optionalNum(0),
      first_ci_high: optionalNum(0),
      later_ratio: num(0),
      excess: num(0),
      excess_ci_low: optionalNum(0),
      excess_ci_high: optionalNum(0),
      cost_ms: num(0),
      cut: str(300)
        .nullish()
        .transform((v) => v ?? undefined),
    })
      .nullish()
      .transform((v) => v ?? undefined),
  }).nullish(),
  tampered: list(
    object({
      version: oneOf(['old', 'new']),
      figure: oneOf(['cpu', 'wall', 'memory', 'calls']),
      reported: num(),
      observed: num(),
    }),
    6,
    'entries',
  ).nullish(),
  outputs: outputComparison.nullish(),
  growth: growth.nullish(),
  input: object({ index: num(0, 1000), of: num(1, 1000), tried: num(1, 1000) }).nullish(),
}).transform(({ sandbox, cold, tampered, outputs, growth, input, ...c }): Comparison => ({
  ...c,
  ...(sandbox == null ? {} : { sandbox }),
  ...(cold == null ? {} : { cold }),
  ...(tampered == null ? {} : { tampered }),
  ...(outputs == null ? {} : { outputs }),
  ...(growth == null ? {} : { growth }),
  ...(input == null ? {} : { input }),
}));

const profile = object({
  ...statsFields,
  cold_ns: num(0),
  runs: num(0, 1000),
  inputs: num(0, 1000),
  wall_ms: num(0),
  sandbox: sandboxInfo.nullish(),
}).transform(({ error, sandbox, ...p }): VersionProfile => ({
  ...p,
  ...(error == null ? {} : { error }),
  ...(sandbox == null ? {} : { sandbox }),
}));

/** The files a version loads (src/tools/imports.ts's bounds: 64 files of at most 1 MiB). */
const loads = object({
  files: list(object({ path: str(1000, ONE_LINE), code: str(MAX_CODE) }), 64, 'files'),
  incomplete: nullableStr(1000),
}).nullish();

const row = object({
  id: str(300, ONE_LINE),
  status: oneOf(ROW_STATUSES),
  path: str(1000, ONE_LINE),
  old_path: nullableStr(1000),
  language: oneOf(LANGUAGES).nullable(),
  requirement_old: nullableStr(20_000),
  requirement_new: nullableStr(20_000),
  comparison: comparison.nullish().transform((v) => v ?? null),
  note: nullableStr(4000),
  old_code: nullableStr(MAX_CODE),
  new_code: nullableStr(MAX_CODE),
  old_loads: loads,
  new_loads: loads,
  profile: profile.nullish().transform((v) => v ?? null),
  input_source: nullableStr(1000),
}).transform(({ old_loads, new_loads, ...r }): ToolRow => ({
  ...r,
  ...(old_loads == null ? {} : { old_loads }),
  ...(new_loads == null ? {} : { new_loads }),
  // Judged again by the report mode: nothing of the artifact's judgement is kept.
  verdict: null,
  score: null,
  analysis_old: null,
  analysis_new: null,
  diff: null,
  evaluation: null,
}));

const definition = object({
  id: str(300, ONE_LINE),
  path: str(1000, ONE_LINE),
  status: oneOf(['modified', 'new', 'removed', 'renamed']),
  type: str(60, /^[\w.-]+$/)
    .nullish()
    .transform((v) => v ?? null),
});

const shard = object({ total: num(), index: num() }).superRefine((s, ctx) => {
  const fail = (message: string, path: string[] = []): void =>
    ctx.addIssue({ code: 'custom', message, path });
  if (s.total < 1 || s.total > 1000) fail('must be between 1 and 1000', ['total']);
  else if (s.index < 1 || s.index > s.total) fail(`must be between 1 and ${s.total}`, ['index']);
  else if (!Number.isInteger(s.total) || !Number.isInteger(s.index))
    fail('must have whole-number index and total');
});

const artifact = object({
  schema: z.literal(REPORT_SCHEMA, { error: `must be '${REPORT_SCHEMA}'` }),
  version: z.literal(REPORT_VERSION, { error: `must be ${REPORT_VERSION}` }),
  mode: z.literal('measure', {
    error: "must be 'measure' (only a measure-mode report is an artifact)",
  }),
  repository: str(200)
    .regex(/^[\w.-]+\/[\w.-]+$/, 'must be owner/name')
    .nullish()
    .transform((v) => v ?? null),
  pull_request: nullableNum(1, 1e9),
  base_ref: str(300, ONE_LINE),
  base_sha: str(64, SHA),
  head_sha: str(64, SHA),
  merge_base: str(64, SHA),
  measure_ms: nullableNum(0).transform((v) => v ?? 0),
  shard: shard.nullish().transform((v) => v ?? null),
  tools: list(row, 500, 'tools'),
  definitions: list(definition, 5000, 'definitions')
    .nullish()
    .transform((v) => v ?? undefined),
  unmatched: object({
    paths: list(str(1000, ONE_LINE), 20, 'unmatched.paths'),
    glob: str(1000, ONE_LINE),
  })
    .nullish()
    .transform((v) => v ?? undefined),
});

/** Validate a report artifact as untrusted data. Throws ReportValidationError naming the field. */
export function parseUntrustedReport(value: unknown): UntrustedReport {
  const result = artifact.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new ReportValidationError(`report artifact: '${fieldPath(issue.path)}' ${issue.message}`);
  }
  const { schema: _schema, version: _version, mode: _mode, ...report } = result.data;
  return report;
}
