/**
 * The gate pipeline. Everything it touches comes in as ports, so the Action, the CLI and the
 * tests run the same code: refs → changed tools → per tool, one at a time: measure the pair,
 * analyse both versions, judge → the report. One tool's failure is that tool's row, never the
 * gate's crash.
 */
import type { Config } from './config/config.js';
import { judgePhrase } from './report/judge-run.js';
import { analysePair, judgeNew, judgePair, policyOf } from './assess.js';
import type { Analysed, Assessment, BatchAnalyzer, Failed, Measured, Skipped } from './assess.js';
import type { Clock, Judge, Log, Measurer, Progress, Repo } from './domain/ports.js';
import { estimateLeftMs } from './domain/ports.js';
import { REPORT_SCHEMA, REPORT_VERSION, worstVerdict, lowestScore } from './report/model.js';
import { SYNTHESISED_SOURCE } from './report/model.js';
import type { DefinitionRow, GateReport, Override, ReportMode, ToolRow } from './report/model.js';
import type { UntrustedReport } from './report/artifact.js';
import type { Comparison, Json, LoadedFiles, ToolVersion, VersionProfile } from './domain/types.js';
import { errorMessage, UnparsableCode } from './domain/errors.js';
import { RepositoryContext, unsupportedCommand } from './repo-context.js';
import type { Side } from './repo-context.js';
import { changedToolsSince, specOf, sharedTestCases, toolFailure } from './tools/index.js';
import type { ChangedTool, Resolution, ResolvedTool, ToolSpec } from './tools/index.js';

export interface GatePorts {
  readonly repo: Repo;
  readonly measurer: Measurer;
  readonly analyzer: BatchAnalyzer;
  /** null in `measure` mode: measure and analyse, judge later. */
  readonly judge: Judge | null;
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

/** What the report says of a tool whatever its assessment: names, paths, requirements, code. */
type ToolFacts = Pick<
  ToolRow,
  | 'id'
  | 'status'
  | 'path'
  | 'old_path'
  | 'language'
  | 'requirement_old'
  | 'requirement_new'
  | 'old_code'
  | 'new_code'
  | 'old_loads'
  | 'new_loads'
  | 'input_source'
>;

/** What a version loads, for its row; null when it loads nothing. */
function loadsOf(spec: ToolSpec | null): LoadedFiles | null {
  if (spec === null) return null;
  return spec.loads.files.length === 0 && spec.loads.incomplete === null ? null : spec.loads;
}

/**
 * A version's code as the judge reads it: its own, then each file it loads under a header line,
 * so a change in a helper alone is a change of the code.
 */
function sourceText(code: string | null, loads: LoadedFiles | null | undefined): string {
  return [code ?? '', ...(loads?.files ?? []).map((f) => `\n--- ${f.path} ---\n${f.code}`)].join(
    '',
  );
}

/** A changed tool's facts, from its files and (once resolved) its specs at each side. */
function factsOf(
  tool: ChangedTool,
  base: ToolSpec | null = null,
  head: ToolSpec | null = null,
): ToolFacts {
  const files = tool.head ?? tool.base;
  const oldLoads = loadsOf(base);
  const newLoads = loadsOf(head);
  return {
    id: tool.id,
    status: tool.status,
    path:
      head?.path ?? base?.path ?? files?.implementation ?? files?.yaml ?? tool.paths[0] ?? tool.id,
    old_path:
      tool.base !== null && tool.head !== null && tool.base.key !== tool.head.key
        ? (tool.base.implementation ?? tool.base.yaml)
        : null,
    language: head?.language ?? base?.language ?? null,
    requirement_old: base?.requirement ?? null,
    requirement_new: head?.requirement ?? null,
    old_code: base?.code ?? null,
    new_code: head?.code ?? null,
    ...(oldLoads === null ? {} : { old_loads: oldLoads }),
    ...(newLoads === null ? {} : { new_loads: newLoads }),
    input_source: head?.inputSource ?? base?.inputSource ?? null,
  };
}

/**
 * The report's row of one tool: the one place an assessment becomes a `ToolRow`. `judging` is
 * false in `measure` mode, where nothing is decided yet (the `report` mode decides).
 */
function toolRow(facts: ToolFacts, a: Assessment, judging: boolean, note: string | null): ToolRow {
  const noted = (why: string | null): string | null =>
    why === null ? note : note === null ? why : `${why}; ${note}`;
  const none = {
    comparison: null,
    analysis_old: null,
    analysis_new: null,
    diff: null,
    evaluation: null,
  };
  const analysed = (x: Partial<Analysed>) => ({
    analysis_old: x.analysisOld ?? null,
    analysis_new: x.analysisNew ?? null,
    diff: x.diff ?? null,
  });
  switch (a.kind) {
    case 'skipped':
      return {
        ...facts,
        ...none,
        status: facts.status === 'removed' ? 'removed' : 'skipped',
        verdict: judging ? 'REVIEW' : null,
        score: null,
        note: noted(a.reason),
      };
    case 'failed':
      return {
        ...facts,
        ...none,
        ...analysed(a),
        comparison: a.comparison ?? null,
        status: a.verdict === 'REJECT' ? facts.status : 'error',
        verdict: judging ? a.verdict : null,
        score: judging ? a.score : null,
        note: noted(a.reason),
      };
    case 'measured':
      return {
        ...facts,
        ...analysed(a),
        comparison: a.comparison,
        evaluation: null,
        verdict: null,
        score: null,
        note,
        ...(a.profile === undefined ? {} : { profile: a.profile }),
      };
    case 'judged':
      return {
        ...facts,
        ...analysed(a),
        status: a.toolError === true ? 'error' : facts.status,
        comparison: a.comparison,
        evaluation: a.evaluation,
        verdict: a.evaluation.recommendation,
        score: a.evaluation.score,
        note: noted(a.note),
        ...(a.profile === undefined ? {} : { profile: a.profile }),
      };
  }
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
    ...(spec.loads.files.length === 0 ? {} : { loads: spec.loads.files }),
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

/** One changed tool before judging: its facts and what measuring it gave. */
interface MeasuredTool {
  readonly facts: ToolFacts;
  readonly assessment: Skipped | Failed | Measured;
}

const skipped = (reason: string): Skipped => ({ kind: 'skipped', reason });

/** Not judged, for a reason a human reads: REVIEW with no score, with what was analysed. */
const unjudged = (reason: string, analysed: Partial<Analysed> = {}): Failed => ({
  kind: 'failed',
  verdict: 'REVIEW',
  score: null,
  reason,
  ...analysed,
});

/** Measure and analyse one changed tool. Never throws. */
async function measureTool(
  tool: ChangedTool,
  resolution: Resolution,
  config: Config,
  ports: GatePorts,
  context: RepositoryContext,
  budgetMs = config.timeBudgetSeconds * 1000,
): Promise<MeasuredTool | Definition> {
  let facts = factsOf(tool);
  let analyses: Analysed | undefined;
  if (tool.unnamable !== undefined)
    return {
      facts: { ...facts, path: tool.id, status: 'skipped' },
      assessment: skipped(tool.unnamable),
    };
  try {
    if (resolution.error !== undefined) throw resolution.error;
    const { base: baseTool, head: headTool } = resolution;
    const definition = definitionOf(tool, baseTool, headTool);
    if (definition !== null && config.definitions !== 'review') return definition;
    const base = specOf(baseTool);
    const head = specOf(headTool);
    facts = factsOf(tool, base, head);
    if (tool.status === 'removed')
      return {
        facts,
        assessment: skipped('removed at head: callers of this tool may break; a human decides'),
      };
    if (head === null) {
      const type = headTool?.kind === 'definition' ? headTool.definition.type : null;
      return {
        facts,
        assessment: skipped(
          definition !== null
            ? `tool definition without code${type === null ? '' : ` (type: ${type})`}: not measured`
            : `no implementation file (.py/.ts/.mts/.js/.mjs) beside ${tool.head?.yaml ?? tool.id}`,
        ),
      };
    }
    const analysed = await analysePair(
      { old: facts.old_code, new: facts.new_code },
      head.language,
      ports.analyzer,
      { loads: { old: base?.loads, new: head.loads } },
    );
    analyses = analysed;
    const measured = (comparison: Comparison | null, profile?: VersionProfile | null) => ({
      facts,
      assessment: {
        kind: 'measured' as const,
        ...analysed,
        comparison,
        ...(profile === undefined ? {} : { profile }),
      },
    });
    const unsupported = unsupportedCommand(head);
    if (unsupported !== null)
      return { facts, assessment: { ...skipped(`not measured: ${unsupported}`), ...analysed } };
    if (tool.status === 'new' || base === null)
      return measured(
        null,
        await profileNewTool(facts, analysed, head, config, ports, context, budgetMs),
      );
    const shared = sharedTestCases(head, base);
    if ('missing' in shared)
      return { facts, assessment: { ...skipped(`not measured: ${shared.missing}`), ...analysed } };
    const testInput = shared.cases[0]!.input;
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
        cases: shared.cases,
        versionsAt: (input) => ({
          old: version(base, input, 'base', context),
          new: version(head, input, 'head', context),
        }),
      },
    );
    if (comparison.sandbox?.kind === 'none' && config.sandbox !== 'off')
      ports.log.warn(`${tool.id}: unsandboxed: ${comparison.sandbox.reason ?? 'unknown reason'}`);
    return measured(comparison);
  } catch (error) {
    // Code the parser cannot finish is not run; what its analyses say stays on the row.
    const unparsable = error instanceof UnparsableCode;
    const why = unparsable ? `${error.message}: not measured` : toolFailure(error);
    ports.log.warn(`${tool.id}: ${why}`);
    return {
      facts,
      assessment: unjudged(why, unparsable ? analyses : {}),
    };
  }
}

/**
 * A tool past the PR-wide budget or cap: a definition without code is still listed as it would
 * be; any other tool is a row marked cut (`why`), skipped, never measured nor silently dropped.
 */
function cutTool(
  tool: ChangedTool,
  resolution: Resolution,
  config: Config,
  why: string,
): MeasuredTool | Definition {
  const listed = listedDefinition(tool, resolution, config);
  if (listed !== null) return listed;
  const facts =
    tool.unnamable !== undefined || resolution.error !== undefined
      ? factsOf(tool)
      : factsOf(tool, specOf(resolution.base), specOf(resolution.head));
  return { facts, assessment: skipped(why) };
}

/** A changed definition without code that is listed, not measured (unless `definitions: review`). */
function listedDefinition(
  tool: ChangedTool,
  resolution: Resolution,
  config: Config,
): Definition | null {
  if (tool.unnamable !== undefined || resolution.error !== undefined) return null;
  if (config.definitions === 'review') return null;
  return definitionOf(tool, resolution.base, resolution.head);
}

/** A new tool runs on its example(s) alone: its absolute figures are its baseline. */
async function profileNewTool(
  facts: ToolFacts,
  analysed: Analysed,
  head: ToolSpec,
  config: Config,
  ports: GatePorts,
  context: RepositoryContext,
  budgetMs: number,
): Promise<VersionProfile | null> {
  if (head.testInput === undefined || ports.measurer.profile === undefined) return null;
  if (analysed.analysisNew !== null && !analysed.analysisNew.correctness.syntax_valid) return null;
  ports.log.info(
    `running new tool ${facts.id} (${head.path}, input from ${head.inputSource ?? '?'})`,
  );
  const profile = await ports.measurer.profile(
    version(head, head.testInput, 'head', context),
    head.testInputs,
    { budgetMs, sandbox: config.sandbox },
  );
  if (profile.sandbox?.kind === 'none' && config.sandbox !== 'off')
    ports.log.warn(`${facts.id}: unsandboxed: ${profile.sandbox.reason ?? 'unknown reason'}`);
  return profile;
}

/** Judge one measured tool. Skips and failures stand as they are. Never throws. */
async function judgeTool(
  { facts, assessment }: MeasuredTool,
  judge: Judge,
  config: Config,
  now: Date,
  words: PrWords = {},
): Promise<Assessment> {
  if (assessment.kind !== 'measured') return assessment;
  if (facts.status === 'new')
    return judgeNew(
      assessment,
      {
        code: facts.new_code ?? '',
        synthesised: facts.input_source?.startsWith(SYNTHESISED_SOURCE) === true,
        notRunReason: 'no test input: add examples[0].input (or an input_schema) to its YAML',
      },
      policyOf(config),
      now,
    );
  return judgePair(
    assessment,
    {
      language: facts.language,
      oldCode: sourceText(facts.old_code, facts.old_loads),
      newCode: sourceText(facts.new_code, facts.new_loads),
      claims: {
        previous_requirement: facts.requirement_old ?? undefined,
        new_requirement: facts.requirement_new ?? undefined,
        pr_title: words.title,
        pr_body: words.body,
        commit_messages: words.commits,
      },
    },
    judge,
    policyOf(config),
  );
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

/** The least time worth starting a tool with; below it the PR-wide budget counts as spent. */
const MIN_SHARE_MS = 1000;

/**
 * The PR-wide bounds, on by default: `total-budget-seconds` and `max-tools`. The budget is shared
 * as the tools come: each tool gets at most `time-budget-seconds` and at most an equal share of
 * what is left among the tools still to come, so no tool can starve the rest, and a tool that
 * settles early leaves its time to the others. What a tool costs is the wall time it took (setup,
 * analysis, judging and a tool that hangs until its deadline included) or its measurement's own,
 * whichever is more. Once the budget is spent or `max-tools` tools were taken, every tool left is
 * cut: a row that says so, never silence. A tool that ran out of a share smaller than its own
 * budget is marked as cut short by the PR's budget.
 */
function budgetPool(config: Config, toolCount: number) {
  const perToolMs = config.timeBudgetSeconds * 1000;
  let leftMs = config.totalBudgetSeconds * 1000;
  let toolsLeft = toolCount;
  let taken = 0;
  return {
    /** Why the next tool is not measured, or null when it may start. */
    cut(): string | null {
      if (taken >= config.maxTools)
        return `not measured: the PR-wide cap of ${config.maxTools} tools was reached (max-tools)`;
      if (leftMs < MIN_SHARE_MS)
        return `not measured: the PR-wide budget of ${config.totalBudgetSeconds} s was reached (total-budget-seconds)`;
      return null;
    },
    share: () =>
      Math.max(MIN_SHARE_MS, Math.min(perToolMs, Math.floor(leftMs / Math.max(1, toolsLeft)))),
    skip: () => {
      toolsLeft--;
    },
    spent(a: Assessment, budgetMs: number, tookMs: number): string | null {
      toolsLeft--;
      taken++;
      leftMs -= Math.max(measuredMs(a), tookMs);
      const c = a.kind === 'measured' ? a.comparison : null;
      if (c === null) return null;
      if (budgetMs >= perToolMs || c.diagnostics?.stopped !== 'budget') return null;
      return `measurement cut by the PR's total-budget-seconds (${(budgetMs / 1000).toFixed(1)} s of ${config.timeBudgetSeconds} s for this tool): the interval may be wider than the tool's own budget would give`;
    },
  };
}

/** The measurement time an assessment spent. */
function measuredMs(a: Assessment): number {
  return a.kind === 'measured' || a.kind === 'judged'
    ? (a.comparison?.wall_ms ?? a.profile?.wall_ms ?? 0)
    : 0;
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
  // installs, done once, before any tool code runs: for the tools `max-tools` lets through.
  const measurable = tools
    .filter((tool) => listedDefinition(tool, resolutions.get(tool)!, config) === null)
    .slice(0, config.maxTools);
  const context = await RepositoryContext.forRepo(
    measurable.flatMap((tool) => {
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
      const resolution = resolutions.get(tool)!;
      const cut = pool.cut();
      const measured =
        cut === null
          ? await measureTool(tool, resolution, config, ports, context, budgetMs)
          : cutTool(tool, resolution, config, cut);
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
      measureMs += measuredMs(measured.assessment);
      let assessment: Assessment = measured.assessment;
      if (ports.judge !== null && assessment.kind === 'measured') {
        const commits = await (
          ports.repo.messages?.(mergeBase, headSha, tool.paths) ?? Promise.resolve([])
        ).catch((error: unknown) => {
          ports.log.warn(`${tool.id}: commit messages not read: ${errorMessage(error)}`);
          return [];
        });
        assessment = await judgeTool(measured, ports.judge, config, ports.clock.now(), {
          title: request.prTitle,
          body: request.prBody,
          commits,
        });
      }
      const took = ports.monotonicMs() - t0;
      const cutShort = cut === null ? pool.spent(measured.assessment, budgetMs, took) : null;
      const row = toolRow(measured.facts, assessment, ports.judge !== null, cutShort);
      rows.push(row);
      toolMs.push(took);
      ports.log.info(
        `${tool.id}: ${row.verdict ?? 'measured'} in ${(took / 1000).toFixed(1)} s${cut === null ? '' : ` (${cut})`}`,
      );
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
  ports: Pick<GatePorts, 'analyzer' | 'clock' | 'log' | 'monotonicMs'> & {
    readonly judge: Judge;
  },
): Promise<GateReport> {
  const started = ports.monotonicMs();
  const rows: ToolRow[] = [];
  for (const untrusted of artifact.tools) {
    const measured = await remeasured(untrusted, ports.analyzer);
    const judged = await judgeTool(measured, ports.judge, config, ports.clock.now());
    rows.push(toolRow(measured.facts, judged, true, null));
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

/**
 * An artifact's row as the `report` mode reads it: its facts, its measurements as reported, and
 * analyses recomputed from the code it carries. A skipped or failed row stays so.
 */
async function remeasured(row: ToolRow, analyzer: BatchAnalyzer): Promise<MeasuredTool> {
  const facts: ToolFacts = {
    id: row.id,
    status: row.status,
    path: row.path,
    old_path: row.old_path,
    language: row.language,
    requirement_old: row.requirement_old,
    requirement_new: row.requirement_new,
    old_code: row.old_code,
    new_code: row.new_code,
    ...(row.old_loads == null ? {} : { old_loads: row.old_loads }),
    ...(row.new_loads == null ? {} : { new_loads: row.new_loads }),
    input_source: row.input_source ?? null,
  };
  const reason = row.note ?? row.status;
  if (row.status === 'skipped' || row.status === 'removed')
    return { facts, assessment: skipped(reason) };
  if (row.status === 'error') return { facts, assessment: unjudged(reason) };
  try {
    const analysed =
      row.language === null
        ? { analysisOld: null, analysisNew: null, diff: null }
        : await analysePair({ old: row.old_code, new: row.new_code }, row.language, analyzer, {
            loads: { old: facts.old_loads ?? undefined, new: facts.new_loads ?? undefined },
          });
    return {
      facts,
      assessment: {
        kind: 'measured',
        ...analysed,
        comparison: row.comparison,
        ...(row.profile === undefined ? {} : { profile: row.profile }),
      },
    };
  } catch (error) {
    return { facts, assessment: unjudged(`analysis failed: ${errorMessage(error)}`) };
  }
}
