/**
 * Building registry entries from results: plain functions of their inputs (the time is an
 * argument), used inside the store's locked read-modify-write.
 */
import type { RegistryEntry, VersionRecord } from '../core/registry-schema.js';
import { INITIAL_VERSION } from '../core/registry-schema.js';

/** The guide's `best_run`. */
export interface BestRun {
  readonly execution_time_ms: number;
  readonly memory_usage_kb?: number | null | undefined;
  readonly [key: string]: unknown;
}

/**
 * The guide's `update_rag`: store a benchmark as the tool's current performance. The entry is
 * created when missing; the previous numbers stay in `versions[]` as a `benchmark` record.
 */
export function applyBenchmark(
  entry: RegistryEntry | undefined,
  toolId: string,
  bestRun: BestRun,
  allRuns: readonly unknown[] | undefined,
  now: string,
): RegistryEntry {
  const version = entry?.version ?? INITIAL_VERSION;
  const performance = {
    ...(entry?.metadata.performance ?? {}),
    execution_time_ms: bestRun.execution_time_ms,
    memory_usage_kb: bestRun.memory_usage_kb ?? null,
    last_benchmarked: now,
    test_runs: allRuns?.length ?? 1,
    best_run: bestRun,
    ...(allRuns === undefined ? {} : { all_runs: allRuns }),
  };
  const record: VersionRecord = {
    version,
    code_sha256: latestHash(entry),
    timestamp: now,
    origin: 'update-rag',
    status: 'benchmark',
    verdict: null,
    score: null,
    metrics: {
      execution_time_ms: bestRun.execution_time_ms,
      memory_usage_kb: bestRun.memory_usage_kb ?? null,
      time_ratio: null,
      ci_low: null,
      ci_high: null,
    },
    analysis: latestAnalysis(entry),
  };
  return {
    ...(entry ?? {}),
    tool_id: toolId,
    version,
    metadata: { ...(entry?.metadata ?? {}), performance, last_updated: now },
    versions: [...(entry?.versions ?? []), record],
  };
}

/** Hash of the current version's code, from its latest record, when known. */
function latestHash(entry: RegistryEntry | undefined): string | null {
  const current = [...(entry?.versions ?? [])].reverse().find((r) => r.version === entry?.version);
  return current?.code_sha256 ?? null;
}

function latestAnalysis(entry: RegistryEntry | undefined): VersionRecord['analysis'] {
  const current = [...(entry?.versions ?? [])].reverse().find((r) => r.version === entry?.version);
  return current?.analysis ?? null;
}
