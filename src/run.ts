/**
 * The gate pipeline. Everything it touches comes in as ports, so the Action, the CLI and the
 * tests run the same code: refs → changed tools → per tool, one at a time: measure the pair,
 * analyse both versions, judge → the report. One tool's failure is that tool's row, never the
 * gate's crash.
 */
import type { Config } from './config/config.js';
import { judgeNewTool } from './verdict/new-tool.js';
import { judgePhrase } from './report/judge-run.js';
import { buildEvidence } from './verdict/policy.js';
import type { Analyzer, Clock, Judge, Log, Measurer, Progress, Repo } from './domain/ports.js';
import { estimateLeftMs } from './domain/ports.js';
import {
  awaitsAccept,
  REPORT_SCHEMA,
  REPORT_VERSION,
  worstVerdict,
  lowestScore,
} from './report/model.js';
import { SYNTHESISED_SOURCE } from './report/model.js';
import type { DefinitionRow, GateReport, Override, ReportMode, ToolRow } from './report/model.js';
import type { UntrustedReport } from './report/artifact.js';
import type {
  Analysis,
  AnalysisDiff,
  Json,
  Language,
  ToolError,
  ToolVersion,
} from './domain/types.js';
import { describeOutputs } from './measure/index.js';
import { errorMessage } from './domain/errors.js';
import { RepositoryContext, unsupportedCommand } from './repo-context.js';
import type { Side } from './repo-context.js';
import { changedToolsSince, specOf, sharedTestInput, toolFailure } from './tools/index.js';
import type { ChangedTool, Resolution, ResolvedTool, ToolSpec } from './tools/index.js';

/** The Analyzer port, optionally able to analyse a batch in one go. */
interface GateAnalyzer extends Analyzer {
  analyzeMany?(inputs: readonly { code: string; language: Language }[]): Promise<Analysis[]>;
}

export interface GatePorts {
  readonly repo: Repo;
  readonly measurer: Measurer;
  readonly analyzer: GateAnalyzer;
  /** null in `measure` mode: measure and analyse, judge later. */
  readonly judge: Judge | null;
  readonly diffAnalyses: (oldAnalysis: Analysis, newAnalysis: Analysis) => AnalysisDiff;
  readonly clock: Clock;
  readonly log: Log;
  /** Monotonic milliseconds, for durations. */
  readonly monotonicMs: () => number;
  /** Told when each tool starts and ends (log groups, a progress line). */
  readonly progress?: Progress | undefined;
}

export interface GateRequest {
  readonly mode: ReportMode;
  readonly baseRef: string;
  readonly headRef: string;
  readonly repository: string | null;
  readonly pullRequest: number | null;
  /** The PR's own words — claims for every changed tool (untrusted, sanitised, bounded). */
  readonly prTitle?: string | undefined;
  readonly prBody?: string | undefined;
}

/** The author's words about one tool: the PR's title and body, the commits that touch it. */
interface PrWords {
  readonly title?: string | undefined;
  readonly body?: string | undefined;
  readonly commits?: readonly string[] | undefined;
}

function emptyRow(tool: ChangedTool): ToolRow {
  const files = tool.head ?? tool.base;
  return {
    id: tool.id,
    status: tool.status,
    path: files?.implementation ?? files?.yaml ?? tool.paths[0] ?? tool.id,
    old_path:
      tool.base !== null && tool.head !== null && tool.base.key !== tool.head.key
        ? (tool.base.implementation ?? tool.base.yaml)
        : null,
    language: null,
    requirement_old: null,
    requirement_new: null,
    verdict: null,
    score: null,
    comparison: null,
    analysis_old: null,
    analysis_new: null,
    diff: null,
    evaluation: null,
    note: null,
    old_code: null,
    new_code: null,
  };
}

function version(
  spec: ToolSpec,
  testInput: Json,
  side: Side,
  context: RepositoryContext,
): ToolVersion {
  const run = context.contextFor(side, spec, testInput);
  return {
    code: spec.code,
    language: spec.language,
    entry: spec.entry,
    mode: spec.mode,
    testInput,
    path: spec.path,
    ...(run === undefined ? {} : { context: run }),
  };
}

/** A changed tool that is a definition without code: listed, not measured. */
interface Definition {
  readonly definition: DefinitionRow;
}

function definitionOf(
  tool: ChangedTool,
  base: ResolvedTool | null,
  head: ResolvedTool | null,
): Definition | null {
  const side = head ?? base;
  if (side === null || side.kind !== 'definition') return null;
  // Code at base, a definition at head: the implementation went away, a human looks.
  if (head !== null && base !== null && base.kind === 'code') return null;
  return {
    definition: {
      id: tool.id,
      path: side.definition.path,
      status: tool.status,
      type: side.definition.type,
    },
  };
}

/** Measure and analyse one changed tool. Never throws. */
async function measureTool(
  tool: ChangedTool,
  resolution: Resolution,
  config: Config,
  ports: GatePorts,
  context: RepositoryContext,
  budgetMs = config.timeBudgetSeconds * 1000,
): Promise<ToolRow | Definition> {
  let row = emptyRow(tool);
  if (tool.unnamable !== undefined)
    return { ...row, path: tool.id, status: 'skipped', note: tool.unnamable };
  try {
    if (resolution.error !== undefined) throw resolution.error;
    const { base: baseTool, head: headTool } = resolution;
    const definition = definitionOf(tool, baseTool, headTool);
    if (definition !== null && config.definitions !== 'review') return definition;
    const base = specOf(baseTool);
    const head = specOf(headTool);
    row = {
      ...row,
      path: head?.path ?? base?.path ?? row.path,
      language: head?.language ?? base?.language ?? null,
      requirement_old: base?.requirement ?? null,
      requirement_new: head?.requirement ?? null,
      old_code: base?.code ?? null,
      new_code: head?.code ?? null,
      input_source: head?.inputSource ?? base?.inputSource ?? null,
    };
    if (tool.status === 'removed') {
      return { ...row, note: 'removed at head: callers of this tool may break; a human decides' };
    }
    if (head === null) {
      const type = headTool?.kind === 'definition' ? headTool.definition.type : null;
      return {
        ...row,
        status: 'skipped',
        note:
          definition !== null
            ? `tool definition without code${type === null ? '' : ` (type: ${type})`}: not measured`
            : `no implementation file (.py/.ts/.mts/.js/.mjs) beside ${tool.head?.yaml ?? tool.id}`,
      };
    }
    row = await analyseRow(row, ports);
    const unsupported = unsupportedCommand(head);
    if (unsupported !== null)
      return { ...row, status: 'skipped', note: `not measured: ${unsupported}` };
    if (tool.status === 'new' || base === null)
      return await profileNewTool(row, head, config, ports, context, budgetMs);
    const shared = sharedTestInput(head, base);
    if ('missing' in shared)
      return { ...row, status: 'skipped', note: `not measured: ${shared.missing}` };
    const testInput = shared.input;
    ports.log.info(
      `measuring ${tool.id} (${base.path} → ${head.path}, input from ${head.inputSource ?? base.inputSource ?? '?'})`,
    );
    const comparison = await ports.measurer.compare(
      version(base, testInput, 'base', context),
      version(head, testInput, 'head', context),
      {
        budgetMs,
        confidence: config.confidence,
        delta: config.delta,
        sandbox: config.sandbox,
        expected: shared.expected,
      },
    );
    if (comparison.sandbox?.kind === 'none' && config.sandbox !== 'off')
      ports.log.warn(`${tool.id}: unsandboxed: ${comparison.sandbox.reason ?? 'unknown reason'}`);
    return { ...row, comparison };
  } catch (error) {
    const why = toolFailure(error);
    ports.log.warn(`${tool.id}: ${why}`);
    return { ...row, status: 'error', note: why };
  }
}

/** A new tool runs on its example(s) alone: its absolute figures are its baseline. */
async function profileNewTool(
  row: ToolRow,
  head: ToolSpec,
  config: Config,
  ports: GatePorts,
  context: RepositoryContext,
  budgetMs: number,
): Promise<ToolRow> {
  if (head.testInput === undefined || ports.measurer.profile === undefined)
    return { ...row, profile: null };
  if (row.analysis_new !== null && !row.analysis_new.correctness.syntax_valid)
    return { ...row, profile: null };
  ports.log.info(
    `running new tool ${row.id} (${head.path}, input from ${head.inputSource ?? '?'})`,
  );
  const profile = await ports.measurer.profile(
    version(head, head.testInput, 'head', context),
    head.testInputs,
    { budgetMs, sandbox: config.sandbox },
  );
  if (profile.sandbox?.kind === 'none' && config.sandbox !== 'off')
    ports.log.warn(`${row.id}: unsandboxed: ${profile.sandbox.reason ?? 'unknown reason'}`);
  return { ...row, profile };
}

/** Static analysis of both versions and their diff, from the code the row carries. */
async function analyseRow(
  row: ToolRow,
  ports: Pick<GatePorts, 'analyzer' | 'diffAnalyses'>,
): Promise<ToolRow> {
  const language = row.language;
  if (language === null) return row;
  const codes = [row.old_code, row.new_code].filter((c): c is string => c !== null);
  // One batch: one python3 start / one TypeScript program for both versions.
  const analyses =
    ports.analyzer.analyzeMany !== undefined
      ? await ports.analyzer.analyzeMany(codes.map((code) => ({ code, language })))
      : await Promise.all(codes.map((code) => ports.analyzer.analyze(code, language)));
  const analysis_old = row.old_code === null ? null : (analyses[0] ?? null);
  const analysis_new =
    row.new_code === null ? null : (analyses[row.old_code === null ? 0 : 1] ?? null);
  const diff =
    analysis_old !== null && analysis_new !== null
      ? ports.diffAnalyses(analysis_old, analysis_new)
      : null;
  return { ...row, analysis_old, analysis_new, diff };
}

/** Where a tool's missing package should be listed, for the row's note. */
function requirementsHint(config: Config): string {
  return config.requirements.length > 0
    ? config.requirements.join(' or ')
    : 'a requirements file named in the `requirements` setting of .perf-verdict.yml';
}

/** Judge one row. Rows the judge cannot speak for get REVIEW with the reason. Never throws. */
async function judgeRow(
  row: ToolRow,
  judge: Judge,
  log: Log,
  config: Config,
  now: Date,
  words: PrWords = {},
): Promise<ToolRow> {
  if (row.status === 'removed' || row.status === 'skipped' || row.status === 'error') {
    return { ...row, verdict: 'REVIEW' };
  }
  if (row.status === 'new') {
    const { evaluation, error } = judgeNewTool(
      {
        analysis: row.analysis_new,
        profile: row.profile ?? null,
        synthesised: row.input_source?.startsWith(SYNTHESISED_SOURCE) === true,
        failOn: config.securityFailOn,
        code: row.new_code ?? '',
        requirementsHint: requirementsHint(config),
        notRunReason: 'no test input: add examples[0].input (or an input_schema) to its YAML',
      },
      now,
    );
    return {
      ...row,
      ...(error ? { status: 'error' as const, note: evaluation.band.reasons[0] ?? null } : {}),
      evaluation,
      verdict: evaluation.recommendation,
      score: evaluation.score,
    };
  }
  const c = row.comparison;
  if (c !== null && c.new.error !== undefined) {
    if (c.old.error === undefined) {
      return {
        ...row,
        verdict: 'REJECT',
        score: 0,
        note: `the head version fails on the test input where the base version runs (${c.new.error.kind}: ${c.new.error.message})`,
      };
    }
    return {
      ...row,
      status: 'error',
      verdict: 'REVIEW',
      note: noWorkingInput(c.old.error, c.new.error),
    };
  }
  try {
    const evidence = buildEvidence({
      language: row.language ?? undefined,
      comparison: c !== null && c.old.error === undefined ? c : undefined,
      old: { analysis: row.analysis_old ?? undefined, code: row.old_code ?? '' },
      new: { analysis: row.analysis_new ?? undefined, code: row.new_code ?? '' },
      analysisDiff: row.diff ?? undefined,
      securityFailOn: config.securityFailOn,
    });
    const evaluation = await judge.evaluate({
      evidence,
      claims: {
        previous_requirement: row.requirement_old ?? undefined,
        new_requirement: row.requirement_new ?? undefined,
        pr_title: words.title,
        pr_body: words.body,
        commit_messages: words.commits,
      },
      old_code: row.old_code ?? '',
      new_code: row.new_code ?? '',
      policy: { maxSlowdown: config.maxSlowdown, noiseZone: config.delta, intent: config.intent },
    });
    const note =
      c !== null && c.old.error !== undefined
        ? `the base version fails on the test input (${c.old.error.kind}); judged without a time comparison`
        : ((c?.outputs === undefined ? null : describeOutputs(c.outputs)) ?? row.note);
    return {
      ...row,
      evaluation,
      verdict: evaluation.recommendation,
      score: evaluation.score,
      note,
    };
  } catch (error) {
    log.warn(`${row.id}: the judge failed: ${errorMessage(error)}`);
    return {
      ...row,
      status: 'error',
      verdict: 'REVIEW',
      note: `the judge failed: ${errorMessage(error)}`,
    };
  }
}

/** Both versions fail on the input: no verdict on either, each side's message. */
function noWorkingInput(base: ToolError, head: ToolError): string {
  const said = (e: ToolError): string => `${e.kind}: ${e.message.split('\n')[0]!.slice(0, 200)}`;
  return `no working input: both versions fail on it (base ${said(base)}; head ${said(head)})`;
}

function assemble(
  base: Omit<
    GateReport,
    'schema' | 'version' | 'verdict' | 'score' | 'judge' | 'judge_run' | 'override'
  >,
  judge: Judge | null,
  override: Override | null,
): GateReport {
  const run = judge?.run?.() ?? null;
  const evaluations = base.tools.flatMap((t) => (t.evaluation === null ? [] : [t.evaluation]));
  return {
    schema: REPORT_SCHEMA,
    version: REPORT_VERSION,
    ...base,
    verdict: judge !== null ? worstVerdict(base.tools) : null,
    score: lowestScore(base.tools),
    judge: judgePhrase(run, evaluations),
    ...(run === null ? {} : { judge_run: run }),
    override,
  };
}

function settings(config: Config): GateReport['settings'] {
  return {
    time_budget_seconds: config.timeBudgetSeconds,
    confidence: config.confidence,
    delta: config.delta,
    fail_on: config.failOn,
    sandbox: config.sandbox,
  };
}

/** Which changed tools this shard measures (`shard: i/n`): every n-th, from the i-th. */
function inShard<T>(tools: readonly T[], config: Config): T[] {
  if (config.shard === null) return [...tools];
  const { index, total } = config.shard;
  return tools.filter((_, i) => i % total === index - 1);
}

/**
 * `total-budget-seconds`: the PR's measurement time, shared as the tools come. Each tool gets at
 * most `time-budget-seconds` and at most an equal share of what is left among the tools still to
 * come, so no tool can starve the rest; a tool that settles early leaves its time to the others.
 * A tool that ran out of a share smaller than its own budget is marked as cut by the PR's budget.
 */
function budgetPool(
  config: Config,
  toolCount: number,
): { share(): number; skip(): void; spent(row: ToolRow, budgetMs: number): ToolRow } {
  const perToolMs = config.timeBudgetSeconds * 1000;
  let leftMs = config.totalBudgetSeconds === null ? Infinity : config.totalBudgetSeconds * 1000;
  let toolsLeft = toolCount;
  return {
    share: () => Math.max(1000, Math.min(perToolMs, Math.floor(leftMs / Math.max(1, toolsLeft)))),
    skip: () => {
      toolsLeft--;
    },
    spent(row, budgetMs) {
      toolsLeft--;
      leftMs -= row.comparison?.wall_ms ?? row.profile?.wall_ms ?? 0;
      const c = row.comparison;
      if (c === null) return row;
      if (budgetMs >= perToolMs || c.diagnostics?.stopped !== 'budget') return row;
      const note = `measurement cut by the PR's total-budget-seconds (${(budgetMs / 1000).toFixed(1)} s of ${config.timeBudgetSeconds} s for this tool): the interval may be wider than the tool's own budget would give`;
      return { ...row, note: row.note === null ? note : `${row.note}; ${note}` };
    },
  };
}

/** The gate: find the changed tools between merge-base(base, head) and head, measure, analyse, judge. */
export async function run(
  config: Config,
  request: GateRequest,
  ports: GatePorts,
): Promise<GateReport> {
  const started = ports.monotonicMs();
  const changed = await changedToolsSince(
    ports.repo,
    {
      headRef: request.headRef,
      baseOf: async (head) => {
        const baseSha = await ports.repo.resolve(request.baseRef);
        return { sha: await ports.repo.mergeBase(baseSha, head), baseSha };
      },
      describeBase: (base) => `${base.sha.slice(0, 12)} (merge-base with ${request.baseRef})`,
    },
    config,
    ports.log,
  );
  const { headSha, resolutions } = changed;
  const { sha: mergeBase, baseSha } = changed.base;
  const tools = inShard(changed.tools, config);
  if (config.shard !== null)
    ports.log.info(`shard ${config.shard.index}/${config.shard.total}: ${tools.length} of them`);

  // Which versions run inside their repository decides the checkouts and the dependency
  // installs, done once, before any tool code runs.
  const context = await RepositoryContext.forRepo(
    tools.flatMap((tool) => {
      const r = resolutions.get(tool)!;
      return [
        { side: 'base' as const, spec: tool.status === 'new' ? null : specOf(r.base) },
        { side: 'head' as const, spec: specOf(r.head) },
      ];
    }),
    { base: mergeBase, head: headSha },
    config,
    ports,
  );

  const rows: ToolRow[] = [];
  const definitions: DefinitionRow[] = [];
  let measureMs = 0;
  const pool = budgetPool(config, tools.length);
  // One tool at a time: two measurements side by side would be each other's noise.
  const toolMs: number[] = [];
  const perToolMs = config.timeBudgetSeconds * 1000;
  try {
    for (const [i, tool] of tools.entries()) {
      const t0 = ports.monotonicMs();
      const at = { id: tool.id, index: i + 1, total: tools.length, elapsedMs: t0 - started };
      ports.progress?.startTool({
        ...at,
        leftMs: estimateLeftMs(toolMs, tools.length - i, perToolMs),
      });
      const budgetMs = pool.share();
      const measured = await measureTool(
        tool,
        resolutions.get(tool)!,
        config,
        ports,
        context,
        budgetMs,
      );
      if ('definition' in measured) {
        pool.skip();
        if (config.definitions === 'list') definitions.push(measured.definition);
        ports.progress?.endTool({
          ...at,
          elapsedMs: ports.monotonicMs() - started,
          leftMs: estimateLeftMs(toolMs, tools.length - i - 1, perToolMs),
          outcome: 'definition without code: not measured',
          toolMs: ports.monotonicMs() - t0,
        });
        continue;
      }
      let row = measured;
      measureMs += row.comparison?.wall_ms ?? row.profile?.wall_ms ?? 0;
      row = pool.spent(row, budgetMs);
      if (ports.judge !== null) {
        const commits = await (
          ports.repo.messages?.(mergeBase, headSha, tool.paths) ?? Promise.resolve([])
        ).catch((error: unknown) => {
          ports.log.warn(`${tool.id}: commit messages not read: ${errorMessage(error)}`);
          return [];
        });
        row = await judgeRow(row, ports.judge, ports.log, config, ports.clock.now(), {
          title: request.prTitle,
          body: request.prBody,
          commits,
        });
      }
      rows.push(row);
      const took = ports.monotonicMs() - t0;
      toolMs.push(took);
      ports.log.info(`${tool.id}: ${row.verdict ?? 'measured'} in ${(took / 1000).toFixed(1)} s`);
      ports.progress?.endTool({
        ...at,
        elapsedMs: ports.monotonicMs() - started,
        leftMs: estimateLeftMs(toolMs, tools.length - i - 1, perToolMs),
        outcome: row.verdict ?? 'measured',
        toolMs: took,
      });
    }
  } finally {
    await context.close();
  }

  return assemble(
    {
      created_at: ports.clock.now().toISOString(),
      mode: request.mode,
      repository: request.repository,
      pull_request: request.pullRequest,
      base_ref: request.baseRef,
      base_sha: baseSha,
      head_sha: headSha,
      merge_base: mergeBase,
      settings: settings(config),
      tools: rows,
      wall_ms: Math.round(ports.monotonicMs() - started),
      measure_ms: Math.round(measureMs),
      ...(config.shard === null ? {} : { shard: { ...config.shard } }),
      ...(definitions.length > 0 ? { definitions } : {}),
      ...(changed.unmatched === null ? {} : { unmatched: changed.unmatched }),
    },
    ports.judge,
    null,
  );
}

/**
 * The `report` mode: judge a measure-mode artifact. Its measurements are taken as reported (they
 * are bounded and typed by parseUntrustedReport); the analyses and the verdicts are recomputed
 * here from the code it carries.
 */
export async function judgeArtifact(
  config: Config,
  artifact: UntrustedReport,
  ports: Pick<GatePorts, 'analyzer' | 'diffAnalyses' | 'clock' | 'log' | 'monotonicMs'> & {
    readonly judge: Judge;
  },
): Promise<GateReport> {
  const started = ports.monotonicMs();
  const rows: ToolRow[] = [];
  for (const untrusted of artifact.tools) {
    let row = untrusted;
    try {
      row = await analyseRow(row, ports);
    } catch (error) {
      row = { ...row, status: 'error', note: `analysis failed: ${errorMessage(error)}` };
    }
    rows.push(await judgeRow(row, ports.judge, ports.log, config, ports.clock.now()));
  }
  return assemble(
    {
      created_at: ports.clock.now().toISOString(),
      mode: 'report',
      repository: artifact.repository,
      pull_request: artifact.pull_request,
      base_ref: artifact.base_ref,
      base_sha: artifact.base_sha,
      head_sha: artifact.head_sha,
      merge_base: artifact.merge_base,
      settings: settings(config),
      tools: rows,
      wall_ms: Math.round(ports.monotonicMs() - started),
      measure_ms: artifact.measure_ms,
      ...(artifact.definitions !== undefined && artifact.definitions.length > 0
        ? { definitions: artifact.definitions }
        : {}),
      ...(artifact.unmatched === undefined ? {} : { unmatched: artifact.unmatched }),
    },
    ports.judge,
    null,
  );
}

/** Record an override on a report: a REJECT (or unverified numbers) accepted by a human. */
export function withOverride(report: GateReport, override: Override | null): GateReport {
  return override === null || !awaitsAccept(report) ? report : { ...report, override };
}
