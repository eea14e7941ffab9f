/**
 * What a profile writes into the registry: the guide's metadata for the profiled version and
 * one `versions[]` record. Plain functions of their inputs; the store calls `applyProfile`
 * inside its lock so the version bump sees the latest history.
 */
import type { ChangeType, RegistryEntry, VersionEntry } from '../registry/schema.js';
import { INITIAL_VERSION, isVersion, nextVersion, sourceIdentifiers } from '../registry/schema.js';
import type { Analysis, Comparison, Evaluation, Language } from '../domain/types.js';
import type { BenchmarkResult } from '../measure/index.js';

export type ProfileStatus = 'completed' | 'review_required' | 'rejected' | 'failed';

/** The old version as the caller described it and as we measured it now. */
export interface OldSide {
  readonly code: string;
  readonly sha256: string;
  readonly language: Language;
  readonly version: string | undefined;
  readonly requirement: string | undefined;
  readonly analysis: Analysis;
}

export interface ProfileOutcome {
  readonly toolId: string;
  readonly now: string;
  readonly code: string;
  readonly sha256: string;
  readonly language: Language;
  readonly requirement: string | undefined;
  readonly changeType: ChangeType;
  readonly benchmark: BenchmarkResult;
  readonly analysis: Analysis;
  readonly testScript: string | undefined;
  readonly old: OldSide | undefined;
  /** The version the caller says it replaces (old_version_data.version), with or without code. */
  readonly previousVersion: string | undefined;
  readonly comparison: Comparison | undefined;
  readonly evaluation: Evaluation | undefined;
  /** Not `failed`: failed profiles are not recorded. */
  readonly status: Exclude<ProfileStatus, 'failed'>;
}

/** The guide's `static_analysis` block. */
export function staticAnalysisOf(analysis: Analysis): Record<string, unknown> {
  return {
    complexity: analysis.complexity,
    security: analysis.security,
    correctness: analysis.correctness,
    code_quality: analysis.code_quality,
  };
}

/** Compact analysis summary kept in each history record. */
function analysisSummary(analysis: Analysis): NonNullable<VersionEntry['analysis']> {
  return {
    grade: analysis.complexity.available ? analysis.complexity.grade : null,
    average_complexity: analysis.complexity.available
      ? analysis.complexity.average_complexity
      : null,
    security_issues: analysis.security.available ? analysis.security.total_issues : null,
    syntax_valid: analysis.correctness.syntax_valid,
  };
}

/** The side-by-side measurement as the registry and the output show it. */
export function comparisonSummary(
  comparison: Comparison,
  oldVersion: string | undefined,
): Record<string, unknown> {
  return {
    against_version: oldVersion ?? null,
    time_ratio: comparison.time.ratio,
    ci_low: comparison.time.ci_low,
    ci_high: comparison.time.ci_high,
    confidence_level: comparison.time.confidence_level,
    change: comparison.time.change,
    pairs: comparison.time.pairs,
    old_ms_per_call: comparison.old.ns_per_call / 1e6,
    new_ms_per_call: comparison.new.ns_per_call / 1e6,
    memory_ratio: comparison.memory.ratio,
    steady_state: comparison.steady_state,
  };
}

export function evaluationSummary(evaluation: Evaluation): Record<string, unknown> {
  return {
    score: evaluation.score,
    recommendation: evaluation.recommendation,
    reasoning: evaluation.reasoning,
    confidence: evaluation.confidence,
    judge: evaluation.judge,
    llm_model: evaluation.llm_model,
    band: evaluation.band,
  };
}

/** The guide's `metadata.performance` for the profiled version. */
export function performanceOf(
  outcome: Pick<
    ProfileOutcome,
    'now' | 'benchmark' | 'testScript' | 'comparison' | 'old' | 'evaluation'
  >,
): Record<string, unknown> {
  const best = outcome.benchmark.best_run;
  return {
    execution_time_ms: best?.execution_time_ms ?? null,
    memory_usage_kb: best?.memory_usage_kb ?? null,
    last_benchmarked: outcome.now,
    test_runs: outcome.benchmark.all_runs.length,
    best_run: best,
    all_runs: outcome.benchmark.all_runs,
    statistics: outcome.benchmark.statistics,
    ...(outcome.testScript === undefined ? {} : { test_script: outcome.testScript }),
    ...(outcome.comparison === undefined
      ? {}
      : { comparison: comparisonSummary(outcome.comparison, outcome.old?.version) }),
    ...(outcome.evaluation === undefined
      ? {}
      : { regression_evaluation: evaluationSummary(outcome.evaluation) }),
  };
}

/** The guide's "auto-generated docs": what the tool is for, how to call it, what it costs. */
export function documentationOf(
  toolId: string,
  requirement: string | undefined,
  code: string,
  language: Language,
  timeMs: number | null,
  memoryKb: number | null,
): string {
  const names = sourceIdentifiers(code);
  const lines = [`${toolId} (${language})`];
  if (requirement !== undefined && requirement.trim() !== '') lines.push(requirement.trim());
  if (names.length > 0) lines.push(`Defines: ${names.join(', ')}.`);
  if (timeMs !== null) {
    const memory = memoryKb === null ? '' : `, ${memoryKb} KiB peak`;
    lines.push(`Measured: ${Number(timeMs.toPrecision(3))} ms per call${memory}.`);
  }
  return lines.join('\n');
}

function currentHash(entry: RegistryEntry): string | null {
  const records = entry.versions ?? [];
  for (let i = records.length - 1; i >= 0; i--) {
    const r = records[i]!;
    if (r.version === entry.version && r.origin === 'profile') return r.code_sha256;
  }
  return null;
}

/** Every version number the tool already used, so the bump never reuses one. */
function knownVersions(entry: RegistryEntry | undefined, oldVersion?: string): string[] {
  const known = (entry?.versions ?? []).map((r) => r.version);
  if (entry !== undefined) known.push(entry.version);
  if (oldVersion !== undefined) known.push(oldVersion);
  return known;
}

/**
 * Apply one profile to the tool's entry. ACCEPTed (or first) versions become current; REVIEW
 * and REJECT are recorded in `versions[]` only, so the current version stays the last accepted
 * one until a human profiles again. When the tool is not in the registry yet but the caller
 * gave its old code, the old version is recorded first so the history holds both.
 */
export function applyProfile(
  entry: RegistryEntry | undefined,
  outcome: ProfileOutcome,
): { entry: RegistryEntry; version: string } {
  let base = entry;
  if (base === undefined && outcome.old !== undefined && outcome.comparison !== undefined) {
    base = oldVersionEntry(outcome.toolId, outcome.old, outcome.comparison, outcome.now);
  }
  // Re-profiling the current code refreshes its numbers under the same version number.
  const unchanged =
    base !== undefined &&
    outcome.status === 'completed' &&
    outcome.old === undefined &&
    currentHash(base) === outcome.sha256;
  const version = unchanged
    ? base!.version
    : nextVersion(knownVersions(base, outcome.previousVersion), outcome.changeType);
  const best = outcome.benchmark.best_run;
  const record: VersionEntry = {
    version,
    code_sha256: outcome.sha256,
    timestamp: outcome.now,
    origin: 'profile',
    status: outcome.status === 'completed' ? 'current' : outcome.status,
    verdict: outcome.evaluation?.recommendation ?? null,
    score: outcome.evaluation?.score ?? null,
    metrics: {
      execution_time_ms: best?.execution_time_ms ?? null,
      memory_usage_kb: best?.memory_usage_kb ?? null,
      time_ratio: outcome.comparison?.time.ratio ?? null,
      ci_low: outcome.comparison?.time.ci_low ?? null,
      ci_high: outcome.comparison?.time.ci_high ?? null,
    },
    analysis: analysisSummary(outcome.analysis),
  };
  const versions = [...(base?.versions ?? []), record];
  if (outcome.status !== 'completed' && base !== undefined) {
    return { entry: { ...base, versions }, version };
  }
  const performance = performanceOf(outcome);
  return {
    version,
    entry: {
      ...(base ?? {}),
      tool_id: outcome.toolId,
      version,
      metadata: {
        ...(base?.metadata ?? {}),
        performance,
        static_analysis: staticAnalysisOf(outcome.analysis),
        source: outcome.code,
        language: outcome.language,
        requirement: outcome.requirement ?? base?.metadata.requirement ?? '',
        documentation: documentationOf(
          outcome.toolId,
          outcome.requirement,
          outcome.code,
          outcome.language,
          best?.execution_time_ms ?? null,
          best?.memory_usage_kb ?? null,
        ),
        last_updated: outcome.now,
      },
      versions,
    },
  };
}

/** The caller's old version, with the numbers measured now beside the new one. */
function oldVersionEntry(
  toolId: string,
  old: OldSide,
  comparison: Comparison,
  now: string,
): RegistryEntry {
  // The caller's label is data: one that is not a semantic version is not stored as one.
  const version = isVersion(old.version) ? old.version : INITIAL_VERSION;
  const timeMs = comparison.old.ns_per_call / 1e6;
  const memoryKb = comparison.old.memory_kb;
  const record: VersionEntry = {
    version,
    code_sha256: old.sha256,
    timestamp: now,
    origin: 'profile',
    status: 'current',
    verdict: null,
    score: null,
    metrics: {
      execution_time_ms: timeMs,
      memory_usage_kb: memoryKb,
      time_ratio: null,
      ci_low: null,
      ci_high: null,
    },
    analysis: analysisSummary(old.analysis),
  };
  return {
    tool_id: toolId,
    version,
    metadata: {
      performance: {
        execution_time_ms: timeMs,
        memory_usage_kb: memoryKb,
        last_benchmarked: now,
        test_runs: comparison.time.pairs,
      },
      static_analysis: staticAnalysisOf(old.analysis),
      source: old.code,
      language: old.language,
      requirement: old.requirement ?? '',
      documentation: documentationOf(
        toolId,
        old.requirement,
        old.code,
        old.language,
        timeMs,
        memoryKb,
      ),
      last_updated: now,
    },
    versions: [record],
  };
}
