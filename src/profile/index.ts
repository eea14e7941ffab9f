/**
 * The guide's comprehensive profiler: benchmark, static analysis, regression evaluation against
 * the old version measured *now, side by side*, and the registry update — with an honest status.
 * Every outside effect comes in through `ProfilePorts`, so tests pass real or fake engines.
 */
import { createHash } from 'node:crypto';
import { detectLanguage } from '../core/language.js';
import { buildEvidence } from '../core/policy.js';
import type { Analyzer, Clock, Judge, MeasureOptions, Measurer } from '../core/ports.js';
import type { ChangeType } from '../core/registry-schema.js';
import type {
  Analysis,
  Claims,
  Comparison,
  Evaluation,
  Json,
  Language,
  RunMode,
  ToolVersion,
} from '../core/types.js';
import type { BenchmarkResult } from '../measure/index.js';
import type { RegistryStore } from '../registry/store.js';
import type { OldSide, ProfileOutcome, ProfileStatus } from './record.js';
import {
  applyProfile,
  comparisonSummary,
  documentationOf,
  evaluationSummary,
  performanceOf,
  staticAnalysisOf,
} from './record.js';

export type { ProfileStatus } from './record.js';

export interface ProfilePorts {
  benchmark(version: ToolVersion, options: { budgetMs: number }): Promise<BenchmarkResult>;
  readonly measurer: Measurer;
  readonly analyzer: Analyzer;
  readonly judge: Judge;
  readonly registry: RegistryStore;
  readonly clock: Clock;
  /** The guide's standalone `test_script`; optional. */
  testScript?(version: ToolVersion, toolId: string): string;
}

/** The guide's profiler input (validated by the CLI), with our extensions. */
export interface ProfileInput {
  readonly tool_id: string;
  readonly tool_code: string;
  readonly test_input: Json;
  readonly requirement?: string | undefined;
  readonly language?: Language | undefined;
  readonly entry?: string | undefined;
  readonly mode?: RunMode | undefined;
  readonly change_type?: ChangeType | undefined;
  readonly requirement_change?: Claims | undefined;
  readonly old_version_data?:
    | {
        readonly code?: string | undefined;
        readonly version?: string | undefined;
        readonly requirement?: string | undefined;
        readonly metadata?: Readonly<Record<string, unknown>> | undefined;
      }
    | undefined;
}

export interface ProfileOptions {
  /** Benchmark budget and side-by-side comparison budget, each, ms. */
  readonly budgetMs: number;
  readonly confidence: number;
  readonly delta: number;
}

export type StepName = 'benchmark' | 'static_analysis' | 'regression_evaluation' | 'rag_update';

export interface WorkflowStep {
  readonly step: StepName;
  readonly status: 'completed' | 'failed' | 'skipped';
  readonly data?: unknown;
  /** Why the step was skipped or failed. */
  readonly reason?: string;
}

export interface ProfileResult {
  readonly tool_id: string;
  readonly status: ProfileStatus;
  /** The version number this profile assigned (also for review/rejected records). */
  readonly version: string | null;
  readonly workflow_steps: readonly WorkflowStep[];
  readonly metadata: Record<string, unknown>;
  readonly registry: string;
}

/** Exit codes of the guide: 0 completed, 2 review required, 1 rejected or failed. */
export const PROFILE_EXIT: Readonly<Record<ProfileStatus, 0 | 1 | 2>> = {
  completed: 0,
  review_required: 2,
  rejected: 1,
  failed: 1,
};

const STATUS_OF_VERDICT = {
  ACCEPT: 'completed',
  REVIEW: 'review_required',
  REJECT: 'rejected',
} as const;

export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Run the whole profile. Never throws for a tool's or an engine's failure: it is in the steps. */
export async function profileTool(
  input: ProfileInput,
  ports: ProfilePorts,
  options: ProfileOptions,
): Promise<ProfileResult> {
  const now = ports.clock.now().toISOString();
  const language = input.language ?? detectLanguage(input.tool_code);
  const version: ToolVersion = {
    code: input.tool_code,
    language,
    entry: input.entry,
    mode: input.mode ?? 'function',
    testInput: input.test_input,
  };
  const steps: WorkflowStep[] = [];

  // 1. benchmark
  let benchmark: BenchmarkResult | undefined;
  try {
    benchmark = await ports.benchmark(version, { budgetMs: options.budgetMs });
    steps.push(
      benchmark.success
        ? { step: 'benchmark', status: 'completed', data: benchmark }
        : {
            step: 'benchmark',
            status: 'failed',
            reason: describeToolError('the new version', benchmark.error),
            data: benchmark,
          },
    );
  } catch (error) {
    steps.push({ step: 'benchmark', status: 'failed', reason: engineFailure('benchmark', error) });
  }
  const benchmarked = benchmark?.success === true ? benchmark : undefined;

  // 2. static analysis
  let analysis: Analysis | undefined;
  try {
    analysis = await ports.analyzer.analyze(input.tool_code, language);
    steps.push({ step: 'static_analysis', status: 'completed', data: staticAnalysisOf(analysis) });
  } catch (error) {
    steps.push({
      step: 'static_analysis',
      status: 'failed',
      reason: engineFailure('analyzer', error),
    });
  }

  // 3. regression evaluation: old and new measured now, on this machine, interleaved.
  // Without old_version_data the registry's current version is the baseline: a changed tool
  // never replaces it unjudged just because the caller left the old version out.
  const oldData = input.old_version_data ?? (await registryBaseline(ports, input));
  const baseline = input.old_version_data === undefined ? 'registry' : 'old_version_data';
  const reported = oldData?.metadata?.['performance'];
  let old: OldSide | undefined;
  let comparison: Comparison | undefined;
  let evaluation: Evaluation | undefined;
  if (oldData?.code === undefined || oldData.code.trim() === '') {
    steps.push({
      step: 'regression_evaluation',
      status: 'skipped',
      reason:
        oldData === undefined
          ? 'no old version'
          : 'old_version_data has no code: stored numbers from another run are not a baseline, so nothing was compared',
      ...(reported === undefined ? {} : { data: { old_version_reported: reported } }),
    });
  } else if (benchmarked === undefined || analysis === undefined) {
    steps.push({
      step: 'regression_evaluation',
      status: 'skipped',
      reason: 'the new version could not be benchmarked and analysed',
    });
  } else {
    try {
      const oldLanguage = input.language ?? detectLanguage(oldData.code);
      const oldVersion: ToolVersion = { ...version, code: oldData.code, language: oldLanguage };
      const measure: MeasureOptions = {
        budgetMs: options.budgetMs,
        confidence: options.confidence,
        delta: options.delta,
      };
      const oldAnalysis = await ports.analyzer.analyze(oldData.code, oldLanguage);
      comparison = await ports.measurer.compare(oldVersion, version, measure);
      old = {
        code: oldData.code,
        sha256: sha256(oldData.code),
        language: oldLanguage,
        version: oldData.version,
        requirement: oldData.requirement,
        analysis: oldAnalysis,
      };
      const broken = comparison.new.error ?? comparison.old.error;
      if (broken !== undefined) {
        const which = comparison.new.error !== undefined ? 'the new version' : 'the old version';
        steps.push({
          step: 'regression_evaluation',
          status: 'failed',
          reason: `side-by-side measurement failed: ${describeToolError(which, broken)}`,
          data: { comparison: comparisonSummary(comparison, oldData.version) },
        });
        comparison = undefined;
      } else {
        const change = input.requirement_change ?? {};
        evaluation = await ports.judge.evaluate({
          evidence: buildEvidence({
            comparison,
            oldAnalysis,
            newAnalysis: analysis,
            oldCode: oldData.code,
            newCode: input.tool_code,
          }),
          claims: {
            ...change,
            previous_requirement: change.previous_requirement ?? oldData.requirement,
            new_requirement: change.new_requirement ?? input.requirement,
          },
          old_code: oldData.code,
          new_code: input.tool_code,
        });
        steps.push({
          step: 'regression_evaluation',
          status: 'completed',
          data: {
            baseline,
            comparison: comparisonSummary(comparison, oldData.version),
            evaluation: evaluationSummary(evaluation),
            // Shown for the record only: numbers from another run, not the baseline.
            ...(reported === undefined ? {} : { old_version_reported: reported }),
          },
        });
      }
    } catch (error) {
      comparison = undefined;
      evaluation = undefined;
      steps.push({
        step: 'regression_evaluation',
        status: 'failed',
        reason: engineFailure('regression evaluation', error),
      });
    }
  }

  let status: ProfileStatus = steps.some((s) => s.status === 'failed')
    ? 'failed'
    : evaluation !== undefined
      ? STATUS_OF_VERDICT[evaluation.recommendation]
      : 'completed';

  // 4. registry
  let assigned: string | null = null;
  if (status === 'failed' || benchmarked === undefined || analysis === undefined) {
    steps.push({
      step: 'rag_update',
      status: 'skipped',
      reason: 'a step failed: the version is not recorded',
    });
  } else {
    const outcome: ProfileOutcome = {
      toolId: input.tool_id,
      now,
      code: input.tool_code,
      sha256: sha256(input.tool_code),
      language,
      requirement: input.requirement,
      changeType: input.change_type ?? 'patch',
      benchmark: benchmarked,
      analysis,
      testScript: ports.testScript?.(version, input.tool_id),
      old,
      previousVersion: oldData?.version,
      comparison,
      evaluation,
      status,
    };
    try {
      await ports.registry.updateEntry(input.tool_id, (entry) => {
        const applied = applyProfile(entry, outcome);
        assigned = applied.version;
        return applied.entry;
      });
      steps.push({
        step: 'rag_update',
        status: 'completed',
        data: {
          registry: ports.registry.path,
          version: assigned,
          current: status === 'completed',
          ...(status === 'completed'
            ? {}
            : { note: `recorded in versions[] as ${status}; the current version is unchanged` }),
        },
      });
    } catch (error) {
      steps.push({
        step: 'rag_update',
        status: 'failed',
        reason: `registry write failed: ${(error as Error).message}`,
      });
      status = 'failed';
    }
  }

  const best = benchmarked?.best_run ?? null;
  const performance =
    benchmarked !== undefined
      ? performanceOf({
          now,
          benchmark: benchmarked,
          testScript: undefined,
          old,
          comparison,
          evaluation,
        })
      : { execution_time_ms: null, memory_usage_kb: null };
  return {
    tool_id: input.tool_id,
    status,
    version: assigned,
    workflow_steps: steps,
    metadata: {
      version: assigned,
      performance,
      static_analysis: analysis === undefined ? null : staticAnalysisOf(analysis),
      source: input.tool_code,
      requirement: input.requirement ?? '',
      language,
      documentation: documentationOf(
        input.tool_id,
        input.requirement,
        input.tool_code,
        language,
        best?.execution_time_ms ?? null,
        best?.memory_usage_kb ?? null,
      ),
      last_updated: now,
    },
    registry: ports.registry.path,
  };
}

/** The registry's current version of the tool when its code differs from the new code. */
async function registryBaseline(
  ports: ProfilePorts,
  input: ProfileInput,
): Promise<ProfileInput['old_version_data']> {
  // An unreadable registry gives no baseline here; the registry step reports it and fails.
  const entry = await ports.registry.read().then(
    (registry) => registry[input.tool_id],
    () => undefined,
  );
  const source = entry?.metadata.source;
  if (entry === undefined || source === undefined || source.trim() === '') return undefined;
  if (sha256(source) === sha256(input.tool_code)) return undefined;
  return {
    code: source,
    version: entry.version,
    requirement: entry.metadata.requirement,
    metadata: { performance: entry.metadata.performance },
  };
}

function describeToolError(
  which: string,
  error: { kind: string; message: string } | undefined,
): string {
  if (error === undefined) return `${which} failed without an error report`;
  return `${which} failed (${error.kind}): ${error.message}`;
}

/** An engine threw (it should not): report it as the step's failure, never as a pass. */
function engineFailure(engine: string, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return `${engine} failed: ${message}`;
}
