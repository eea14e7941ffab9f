/**
 * The guide's `benchmark` view of one version: three runs, each in a fresh process (calibrated
 * batches after a warm-up, then a separate memory call), projected to `best_run` / `all_runs`.
 */
import { median } from './stats.js';
import type {
  NetworkEvent,
  SandboxInfo,
  SandboxMode,
  ToolError,
  ToolVersion,
} from '../domain/types.js';
import { freshRun } from './fresh-run.js';
import { Deadline, newSides } from './protocol.js';
import { cleanup } from './launch.js';
import type { MeasureTuning } from './tuning.js';

interface RunMetrics {
  readonly execution_time_ms: number;
  readonly memory_usage_kb: number | null;
  readonly test_run_number: number;
  readonly timestamp: string;
}

interface BenchmarkStatistics {
  readonly runs: number;
  readonly mean_ms: number;
  readonly median_ms: number;
  readonly min_ms: number;
  readonly max_ms: number;
  /** Relative spread of the per-sample times of all runs (stdev / mean). */
  readonly cv: number;
  readonly ns_per_call: number;
  readonly calls_per_sample: number;
  readonly samples: number;
  readonly steady_state: boolean;
  readonly network: readonly NetworkEvent[];
}

export interface BenchmarkResult {
  readonly success: boolean;
  readonly best_run: RunMetrics | null;
  readonly all_runs: readonly RunMetrics[];
  readonly statistics: BenchmarkStatistics | null;
  readonly error?: ToolError | undefined;
  /** Which sandbox the runs' children ran in. */
  readonly sandbox?: SandboxInfo | undefined;
}

const RUNS = 3;
const SAMPLES_PER_RUN = 7;

/** Benchmark one version. Never throws for the tool's misbehaviour: `success: false` + `error`. */
export async function benchmarkTool(
  version: ToolVersion,
  options: {
    budgetMs?: number;
    sandbox?: SandboxMode | undefined;
    tuning?: MeasureTuning | undefined;
  } = {},
): Promise<BenchmarkResult> {
  const deadline = new Deadline(Date.now() + (options.budgetMs ?? 20_000));
  const side = (
    await newSides([['new', version]], { sandbox: options.sandbox, tuning: options.tuning })
  )[0]!;
  const sandbox = side.prepared.sandbox;
  const runs: RunMetrics[] = [];
  try {
    for (let run = 1; run <= RUNS; run++) {
      const result = await freshRun(side, deadline, {
        first: run === 1,
        samples: side.processPerCall ? 3 : SAMPLES_PER_RUN,
        memory: true,
      });
      if (result === undefined) break;
      runs.push({
        execution_time_ms: median(result.warmNs) / 1e6,
        memory_usage_kb: result.memoryKb,
        test_run_number: run,
        timestamp: new Date().toISOString(),
      });
    }
  } finally {
    cleanup(side.prepared);
  }
  if (side.error !== undefined || runs.length === 0)
    return {
      success: false,
      best_run: null,
      all_runs: runs,
      statistics: null,
      error: side.error ?? { kind: 'crashed', message: 'no run completed' },
      sandbox,
    };
  const times = runs.map((r) => r.execution_time_ms);
  const perCall = side.perCallNs;
  const mean = perCall.reduce((s, v) => s + v, 0) / perCall.length;
  const sd = Math.sqrt(
    perCall.reduce((s, v) => s + (v - mean) ** 2, 0) / Math.max(1, perCall.length - 1),
  );
  const best = runs.reduce((a, b) => (b.execution_time_ms < a.execution_time_ms ? b : a));
  return {
    success: true,
    best_run: best,
    all_runs: runs,
    statistics: {
      runs: runs.length,
      mean_ms: times.reduce((s, v) => s + v, 0) / times.length,
      median_ms: median(times),
      min_ms: Math.min(...times),
      max_ms: Math.max(...times),
      cv: mean > 0 ? sd / mean : 0,
      ns_per_call: median(perCall),
      calls_per_sample: side.callsPerSample,
      samples: perCall.length,
      steady_state: side.steadyPairs * 2 >= side.pairs,
      network: [...side.network.values()],
    },
    sandbox,
  };
}
