/**
 * Small, honest stand-ins for the engines: they compute their answer from the code they are
 * given (a `# cost: N` marker is the tool's time per call), so a test can pick a verdict by
 * writing code, and they record their calls so a test can see what was measured.
 */
import type { Analyzer, Measurer, MeasureOptions } from '../../src/domain/ports.js';
import type {
  Analysis,
  Comparison,
  Json,
  Language,
  ToolVersion,
  VersionProfile,
} from '../../src/domain/types.js';
import type { BenchmarkResult } from '../../src/measure/index.js';

/** ns per call declared by the code (`# cost: 300`), default 100; `raise` makes it fail. */
function costOf(code: string): number {
  return Number(/cost:\s*(\d+)/.exec(code)?.[1] ?? 100);
}

function failure(code: string): { kind: 'exception'; message: string } | undefined {
  return /\braise\b|syntax error/.test(code)
    ? { kind: 'exception', message: 'ValueError: boom' }
    : undefined;
}

export function fakeBenchmark(calls: ToolVersion[] = []) {
  return (version: ToolVersion): Promise<BenchmarkResult> => {
    calls.push(version);
    const error = failure(version.code);
    if (error !== undefined)
      return Promise.resolve({
        success: false,
        best_run: null,
        all_runs: [],
        statistics: null,
        error,
      });
    const ms = costOf(version.code) / 1e6;
    const runs = [1, 2, 3].map((n) => ({
      execution_time_ms: ms * (1 + n / 100),
      memory_usage_kb: 0.5,
      test_run_number: n,
      timestamp: '2026-01-01T00:00:00.000Z',
    }));
    return Promise.resolve({
      success: true,
      best_run: runs[0]!,
      all_runs: runs,
      statistics: null,
    });
  };
}

export class FakeMeasurer implements Measurer {
  readonly calls: Array<{ old: string; new: string; options: MeasureOptions }> = [];
  compare(
    oldVersion: ToolVersion,
    newVersion: ToolVersion,
    options: MeasureOptions,
  ): Promise<Comparison> {
    this.calls.push({ old: oldVersion.code, new: newVersion.code, options });
    const oldNs = costOf(oldVersion.code);
    const newNs = costOf(newVersion.code);
    const ratio = newNs / oldNs;
    const change =
      ratio > 1 + options.delta
        ? 'regression'
        : ratio < 1 - options.delta
          ? 'improvement'
          : 'unchanged';
    const stats = (ns: number, code: string) => ({
      ns_per_call: ns,
      calls_per_sample: 1000,
      samples: 30,
      steady_state: true,
      memory_kb: 0.5,
      network: [],
      error: failure(code),
    });
    return Promise.resolve({
      time: {
        ratio,
        ci_low: ratio * 0.97,
        ci_high: ratio * 1.03,
        confidence_level: options.confidence,
        delta: options.delta,
        change,
        pairs: 4,
        rounds: 30,
      },
      memory: { old_kb: 0.5, new_kb: 0.5, ratio: 1 },
      steady_state: true,
      old: stats(oldNs, oldVersion.code),
      new: stats(newNs, newVersion.code),
      wall_ms: 10,
    });
  }

  /** A new tool run alone: its cost marker as its time, failing as its code says. */
  profile(version: ToolVersion, inputs: readonly Json[]): Promise<VersionProfile> {
    const error = failure(version.code);
    return Promise.resolve({
      ns_per_call: costOf(version.code),
      calls_per_sample: 1000,
      samples: 15,
      memory_kb: 0.5,
      network: [],
      ...(error === undefined ? {} : { error }),
      cold_ns: 10 * costOf(version.code),
      runs: 3,
      inputs: Math.max(1, inputs.length),
      wall_ms: 10,
    });
  }
}

/** Counts `eval(` as a security finding and `if` as a branch; `syntax error` does not parse. */
export const fakeAnalyzer: Analyzer = {
  analyze(code: string, language: Language): Promise<Analysis> {
    const findings = (code.match(/eval\(/g) ?? []).length;
    const branches = (code.match(/\bif\b/g) ?? []).length;
    return Promise.resolve({
      language,
      complexity: { available: true, average_complexity: 1 + branches, grade: 'A' },
      security: {
        available: true,
        total_issues: findings,
        severity_counts: { LOW: 0, MEDIUM: findings, HIGH: 0 },
        issues: [],
      },
      correctness: {
        syntax_valid: !code.includes('syntax error'),
        undefined_names: [],
        diagnostics: [],
      },
      code_quality: {
        available: true,
        documentation_ratio: 0,
        function_count: 1,
        class_count: 0,
        lines_of_code: code.split('\n').length,
        comment_ratio: 0,
      },
      functions: [],
    });
  },
};
