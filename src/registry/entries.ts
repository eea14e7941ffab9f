/**
 * Building registry entries from results: plain functions of their inputs (the time is an
 * argument), used inside the store's locked read-modify-write.
 */
import type { RegistryEntry, VersionEntry } from './schema.js';
import { INITIAL_VERSION, nextVersion } from './schema.js';

/** The guide's `best_run`. */
export interface BestRun {
  readonly execution_time_ms: number;
  readonly memory_usage_kb?: number | null | undefined;
  readonly [key: string]: unknown;
}

/** What the caller said about the code benchmarked, when anything. */
export interface BenchmarkIdentity {
  /** sha256 of the benchmarked code (`tool_code`), when given. */
  readonly codeSha256?: string | undefined;
  /** The version label the caller gave (`version`), when given. */
  readonly version?: string | undefined;
}

/**
 * The version a benchmark is recorded under: the caller's, else the next patch version when
 * the code is known to differ from the current version's, else the current one (the same code,
 * or code we were not shown, is re-benchmarked under its number).
 */
function benchmarkVersion(entry: RegistryEntry | undefined, identity: BenchmarkIdentity): string {
  if (identity.version !== undefined) return identity.version;
  if (entry === undefined) return INITIAL_VERSION;
  const current = latestHash(entry);
  if (identity.codeSha256 !== undefined && current !== null && current !== identity.codeSha256) {
    const known = [entry.version, ...(entry.versions ?? []).map((r) => r.version)];
    return nextVersion(known, 'patch');
  }
  return entry.version;
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
  identity: BenchmarkIdentity = {},
): RegistryEntry {
  const version = benchmarkVersion(entry, identity);
  const sameVersion = version === entry?.version;
  const performance = {
    ...(entry?.metadata.performance ?? {}),
    execution_time_ms: bestRun.execution_time_ms,
    memory_usage_kb: bestRun.memory_usage_kb ?? null,
    last_benchmarked: now,
    test_runs: allRuns?.length ?? 1,
    best_run: bestRun,
    ...(allRuns === undefined ? {} : { all_runs: allRuns }),
  };
  const record: VersionEntry = {
    version,
    code_sha256: identity.codeSha256 ?? (sameVersion ? latestHash(entry) : null),
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
    analysis: sameVersion ? latestAnalysis(entry) : null,
  };
  return {
    ...(entry ?? {}),
    tool_id: toolId,
    version,
    metadata: { ...(entry?.metadata ?? {}), performance, last_updated: now },
    versions: [...(entry?.versions ?? []), record],
  };
}

/** Hash of the current version's code, from its latest record that knows it. */
function latestHash(entry: RegistryEntry | undefined): string | null {
  const current = [...(entry?.versions ?? [])]
    .reverse()
    .find((r) => r.version === entry?.version && r.code_sha256 !== null);
  return current?.code_sha256 ?? null;
}

function latestAnalysis(entry: RegistryEntry | undefined): VersionEntry['analysis'] {
  const current = [...(entry?.versions ?? [])].reverse().find((r) => r.version === entry?.version);
  return current?.analysis ?? null;
}
