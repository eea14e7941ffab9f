import type { GateReport, ToolRow } from '../../src/report/model.js';
import type {
  Analysis,
  AnalysisDiff,
  Comparison,
  Evaluation,
  SecurityIssue,
} from '../../src/domain/types.js';

export function comparison(
  ratio: number,
  lo: number,
  hi: number,
  change: Comparison['time']['change'],
  oldNs = 1_000_000,
): Comparison {
  const stats = (ns: number): Comparison['old'] => ({
    ns_per_call: ns,
    calls_per_sample: 10,
    samples: 40,
    steady_state: true,
    memory_kb: 12,
    network: [],
  });
  return {
    time: {
      ratio,
      ci_low: lo,
      ci_high: hi,
      confidence_level: 0.99,
      delta: 0.02,
      change,
      pairs: 4,
      rounds: 40,
    },
    memory: { old_kb: 12, new_kb: 12 * ratio, ratio },
    steady_state: true,
    old: stats(oldNs),
    new: stats(oldNs * ratio),
    wall_ms: 5_000,
  };
}

export function analysis(complexity: number, issues: readonly SecurityIssue[] = []): Analysis {
  return {
    language: 'python',
    complexity: { available: true, average_complexity: complexity, grade: 'A' },
    security: {
      available: true,
      total_issues: issues.length,
      severity_counts: {
        LOW: issues.filter((i) => i.severity === 'LOW').length,
        MEDIUM: issues.filter((i) => i.severity === 'MEDIUM').length,
        HIGH: issues.filter((i) => i.severity === 'HIGH').length,
      },
      issues,
    },
    correctness: { syntax_valid: true, undefined_names: [], diagnostics: [] },
    code_quality: {
      available: true,
      documentation_ratio: 0,
      function_count: 1,
      class_count: 0,
      lines_of_code: 5,
      comment_ratio: 0,
    },
    functions: [],
  };
}

const EVAL_ISSUE: SecurityIssue = {
  rule: 'B307',
  severity: 'HIGH',
  confidence: 'HIGH',
  line: 3,
  message: 'Use of possibly insecure function - consider using safer ast.literal_eval.',
};

export function diff(
  oldIssues: readonly SecurityIssue[],
  newIssues: readonly SecurityIssue[],
): AnalysisDiff {
  return {
    new_findings: newIssues.filter((i) => !oldIssues.includes(i)),
    fixed_findings: oldIssues.filter((i) => !newIssues.includes(i)),
    security_old: oldIssues.length,
    security_new: newIssues.length,
    complexity_old: 2,
    complexity_new: 2,
    functions: [],
    syntax_valid_old: true,
    syntax_valid_new: true,
  };
}

export function evaluation(
  score: number,
  recommendation: Evaluation['recommendation'],
  reasoning: string,
): Evaluation {
  return {
    score,
    reasoning,
    recommendation,
    confidence: 'high',
    llm_model: null,
    judge: 'rules',
    band: { lo: 0, hi: 100, rule_score: score, reasons: ['fixture band'] },
    injection: [],
    timestamp: '2026-01-01T00:00:00.000Z',
  };
}

export function row(partial: Partial<ToolRow> & Pick<ToolRow, 'id'>): ToolRow {
  return {
    status: 'modified',
    path: `tools/${partial.id}.py`,
    old_path: null,
    language: 'python',
    requirement_old: null,
    requirement_new: null,
    verdict: 'ACCEPT',
    score: 90,
    comparison: null,
    analysis_old: analysis(2),
    analysis_new: analysis(2),
    diff: diff([], []),
    evaluation: null,
    note: null,
    old_code: 'def f():\n    return 1\n',
    new_code: 'def f():\n    return 2\n',
    ...partial,
  };
}

export function report(tools: readonly ToolRow[], partial: Partial<GateReport> = {}): GateReport {
  const verdicts = tools.map((t) => t.verdict ?? 'REVIEW');
  const verdict =
    tools.length === 0
      ? 'NONE'
      : verdicts.includes('REJECT')
        ? 'REJECT'
        : verdicts.includes('REVIEW')
          ? 'REVIEW'
          : 'ACCEPT';
  return {
    schema: 'perf-verdict/report',
    version: 1,
    created_at: '2026-01-01T00:00:00.000Z',
    mode: 'full',
    repository: 'octo/tools',
    pull_request: 7,
    base_ref: 'main',
    base_sha: 'a'.repeat(40),
    head_sha: 'b'.repeat(40),
    merge_base: 'c'.repeat(40),
    verdict,
    score: tools.reduce<number | null>(
      (m, t) => (t.score === null ? m : m === null ? t.score : Math.min(m, t.score)),
      null,
    ),
    judge: 'rules',
    override: null,
    settings: { time_budget_seconds: 20, confidence: 0.99, delta: 0.02, fail_on: 'reject' },
    tools,
    wall_ms: 30_000,
    measure_ms: 25_000,
    ...partial,
  };
}

/** The demo's three tools: slowed down, sped up, a security fix; plus a quiet one. */
export function demoReport(): GateReport {
  return report([
    row({
      id: 'fast_sum',
      verdict: 'ACCEPT',
      score: 88,
      comparison: comparison(0.33, 0.31, 0.35, 'improvement'),
      evaluation: evaluation(88, 'ACCEPT', 'Clear improvement.'),
    }),
    row({
      id: 'slow_sort',
      verdict: 'REJECT',
      score: 12,
      comparison: comparison(3.02, 2.9, 3.1, 'regression'),
      evaluation: evaluation(12, 'REJECT', 'A 3x regression with no stated reason.'),
    }),
    row({
      id: 'safe_eval',
      verdict: 'ACCEPT',
      score: 85,
      comparison: comparison(1.01, 0.99, 1.03, 'unchanged'),
      analysis_old: analysis(2, [EVAL_ISSUE]),
      analysis_new: analysis(2),
      diff: diff([EVAL_ISSUE], []),
      evaluation: evaluation(85, 'ACCEPT', 'Security fix at no cost.'),
    }),
    row({
      id: 'quiet',
      verdict: 'ACCEPT',
      score: 80,
      comparison: comparison(1.0, 0.99, 1.01, 'unchanged'),
      evaluation: evaluation(80, 'ACCEPT', 'No change.'),
    }),
  ]);
}

/** A comparison in which one side failed, as the measurer returns it (0 ns, an unbounded interval). */
function failedComparison(
  side: 'old' | 'new',
  error: NonNullable<Comparison['old']['error']>,
  pairs = 0,
): Comparison {
  const good = comparison(1, 1, 1, 'inconclusive');
  const failed: Comparison['old'] = {
    ns_per_call: 0,
    calls_per_sample: 1,
    samples: 0,
    steady_state: false,
    memory_kb: null,
    network: [],
    error,
  };
  return {
    ...good,
    time: {
      ...good.time,
      ratio: 1,
      ci_low: 0,
      ci_high: Number.MAX_VALUE,
      pairs,
      rounds: 0,
      pair_ratios: [],
    },
    memory: { old_kb: null, new_kb: null, ratio: null },
    steady_state: false,
    old: side === 'old' ? failed : good.old,
    new: side === 'new' ? failed : good.new,
  };
}

const SHELL_ISSUE: SecurityIssue = {
  rule: 'B602',
  severity: 'HIGH',
  confidence: 'HIGH',
  line: 4,
  message: 'subprocess call with shell=True identified, security issue.',
};

/** One row of every case the comment must show right: failures, too few pairs, new tools. */
export function casesReport(): GateReport {
  const fewPairs = comparison(1.033, 0.01, 855_761.54, 'inconclusive');
  return report([
    row({
      id: 'new_noinput_shell',
      status: 'new',
      path: 'tools/new_noinput_shell.py',
      verdict: 'REJECT',
      score: 25,
      analysis_old: null,
      analysis_new: analysis(3, [SHELL_ISSUE]),
      diff: null,
      old_code: null,
      evaluation: evaluation(25, 'REJECT', 'Rules: more security findings (0 → 1).'),
    }),
    row({
      id: 'divide',
      verdict: 'REJECT',
      score: 0,
      comparison: failedComparison('new', {
        kind: 'exception',
        message: 'ZeroDivisionError: division by zero',
      }),
      note: 'the head version fails on the test input where the base version runs (exception: ZeroDivisionError: division by zero)',
    }),
    row({
      id: 'slow_sort',
      verdict: 'REJECT',
      score: 12,
      comparison: {
        ...comparison(3.02, 2.9, 3.1, 'regression'),
        time: {
          ...comparison(3.02, 2.9, 3.1, 'regression').time,
          pair_ratios: [2.95, 3.08, 3.01, 3.04],
        },
      },
      evaluation: evaluation(12, 'REJECT', 'A 3x regression with no stated reason.'),
    }),
    row({
      id: 'base_broken',
      verdict: 'REVIEW',
      score: 60,
      comparison: failedComparison('old', { kind: 'timeout', message: 'no answer within 10 s' }),
      note: 'the base version fails on the test input (timeout); judged without a time comparison',
    }),
    row({
      id: 'few_pairs',
      verdict: 'REVIEW',
      score: 60,
      comparison: { ...fewPairs, time: { ...fewPairs.time, pairs: 2, pair_ratios: [0.9, 1.2] } },
      evaluation: evaluation(60, 'REVIEW', 'Inconclusive.'),
    }),
    row({
      id: 'text/normalize_unicode_whitespace_v2',
      status: 'new',
      path: 'tools/text/normalize_unicode_whitespace_v2.py',
      verdict: 'REVIEW',
      score: 60,
      analysis_old: null,
      diff: null,
      old_code: null,
      note: 'not measured: no test input: add examples[0].input to normalize_unicode_whitespace_v2.yaml, test_input to normalize_unicode_whitespace_v2.perf.json, or defaults.test_input to .perf-verdict.yml',
    }),
    row({
      id: 'legacy_tool',
      status: 'removed',
      verdict: 'REVIEW',
      score: null,
      analysis_new: null,
      diff: null,
      new_code: null,
      note: 'removed at head: callers of this tool may break; a human decides',
    }),
    row({
      id: 'steady',
      verdict: 'ACCEPT',
      score: 85,
      comparison: comparison(1.01, 0.97, 1.045, 'inconclusive'),
      evaluation: evaluation(85, 'ACCEPT', 'No slowdown worth reviewing.'),
    }),
  ]);
}
