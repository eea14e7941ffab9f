/**
 * The guide's comprehensive profiler: benchmark, static analysis, regression evaluation against
 * the old version measured *now, side by side*, and the registry update — with an honest status.
 * Every outside effect comes in through `ProfilePorts`, so tests pass real or fake engines.
 */
import { detectLanguage } from '../domain/language.js';
import type { Analysis, ToolVersion } from '../domain/types.js';
import type { BenchmarkResult } from '../measure/index.js';
import type { ProfileOutcome, ProfileStatus } from './registry-entry.js';
import {
  applyProfile,
  documentationOf,
  performanceOf,
  staticAnalysisOf,
} from './registry-entry.js';
import { describeToolError, engineFailure, evaluateRegression, sha256 } from './regression.js';
import { decisionOf } from '../assess.js';
import { withFiles } from './types.js';
import type {
  ProfileInput,
  ProfileOptions,
  ProfilePorts,
  ProfileResult,
  WorkflowStep,
} from './types.js';
import { errorMessage } from '../domain/errors.js';

export type { ProfileStatus } from './registry-entry.js';
export type * from './types.js';
export { profileInput } from './types.js';
export { profileFigures, registryNote } from './output.js';
export type { ProfileFigures } from './output.js';
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
    ...(options.contexts?.new === undefined ? {} : { context: options.contexts.new }),
    ...withFiles(options.loads?.new),
  };
  const steps: WorkflowStep[] = [];

  // 1. benchmark
  let benchmark: BenchmarkResult | undefined;
  try {
    benchmark = await ports.benchmark(version, {
      budgetMs: options.budgetMs,
      sandbox: options.sandbox,
    });
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

  // 3. regression evaluation against the old version, measured now, side by side
  const regression = await evaluateRegression(input, version, analysis, ports, options);
  steps.push(regression.step);
  const { old, assessment } = regression;
  const decision = assessment === undefined ? null : decisionOf(assessment);
  const judged = assessment?.kind === 'judged' ? assessment : undefined;
  const comparison = judged?.comparison ?? undefined;
  const evaluation = judged?.evaluation;

  // A new version that breaks where the old one runs is rejected, as in the gate, whatever else
  // failed; otherwise any failed step fails the profile.
  let status: ProfileStatus =
    decision?.verdict === 'REJECT'
      ? 'rejected'
      : steps.some((s) => s.status === 'failed')
        ? 'failed'
        : decision !== null
          ? STATUS_OF_VERDICT[decision.verdict]
          : 'completed';

  // 4. registry
  let assigned: string | null = null;
  if (
    status === 'failed' ||
    benchmarked === undefined ||
    analysis === undefined ||
    (assessment !== undefined && judged === undefined)
  ) {
    steps.push({
      step: 'rag_update',
      status: 'skipped',
      reason:
        status === 'rejected'
          ? `rejected (${decision?.reason.split('. ')[0] ?? 'REJECT'}): the version is not recorded`
          : 'a step failed: the version is not recorded',
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
      // None for code that cannot be parsed in time: its analysis step already says so.
      testScript: await ports.testScript?.(version, input.tool_id).catch(() => undefined),
      old,
      previousVersion: regression.previousVersion,
      comparison,
      evaluation,
      status,
    };
    // A tool with no entry and no old version (a new tool) gets one holding this version, whatever
    // its verdict: there is no other version to keep.
    let first = false;
    try {
      await ports.registry.updateEntry(input.tool_id, (entry) => {
        first = entry === undefined && old === undefined;
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
            : {
                note: first
                  ? `recorded as ${status}: the tool had no version, so its entry holds this one`
                  : `recorded in versions[] as ${status}; the current version is unchanged`,
              }),
        },
      });
    } catch (error) {
      steps.push({
        step: 'rag_update',
        status: 'failed',
        reason: `registry write failed: ${errorMessage(error)}`,
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
