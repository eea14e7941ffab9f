/**
 * docs/judge.md's band table against src/verdict/policy.ts: every row has an example here, every example a
 * row, and each row's band and rule score are what computeBand gives for its example.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { measured, point } from '../../bench/judge-scenarios.js';
import { capBandAtReview, computeBand, DEFAULT_POLICY } from '../../src/verdict/policy.js';
import type { PolicyOptions } from '../../src/verdict/policy.js';
import type { Band, Claims, Evidence } from '../../src/domain/types.js';
import { resolveIntent } from '../../src/judge/intent.js';

const JUDGE_PAGE = readFileSync(new URL('../../docs/judge.md', import.meta.url), 'utf8');

function tableRows(): Array<{ evidence: string; band: string; rule: string }> {
  const start = JUDGE_PAGE.indexOf('<!-- bands:start -->');
  const end = JUDGE_PAGE.indexOf('<!-- bands:end -->');
  expect(start).toBeGreaterThan(0);
  expect(end).toBeGreaterThan(start);
  return JUDGE_PAGE.slice(start, end)
    .split('\n')
    .filter((line) => line.startsWith('| ') && !line.startsWith('| evidence |'))
    .map((line) => {
      const [evidence, band, rule] = line
        .slice(2, -2)
        .split(' | ')
        .map((cell) => cell.trim());
      return { evidence: evidence!, band: band!, rule: rule! };
    });
}

const features: Claims = { feature_additions: ['Logging'] };
const finding = (severity: 'LOW' | 'MEDIUM' | 'HIGH'): Partial<Evidence> => ({
  security_old: 0,
  security_new: 1,
  new_findings: [{ rule: 'B000', severity, confidence: 'HIGH', line: 1 }],
});
const opts = (extra: Partial<PolicyOptions>): PolicyOptions => ({ ...DEFAULT_POLICY, ...extra });
const intent = (title: string): PolicyOptions =>
  opts({ intent: resolveIntent('auto', { pr_title: title }) });

/** One example per row: the evidence, claims and options that put a case on that row. */
const EXAMPLES: Record<string, () => Band> = {
  'new version does not parse': () => computeBand(point(1, { syntax_valid_new: false }), {}),
  'measured improvement': () => computeBand(measured(0.9, 0.88, 0.92, 'improvement'), {}),
  'no measurable change': () => computeBand(measured(1, 0.99, 1.01, 'unchanged'), {}),
  'slowdown p ≤ 10 %': () => computeBand(measured(1.08, 1.06, 1.1, 'regression'), features),
  'slowdown 10 % < p ≤ 30 %': () => computeBand(measured(1.2, 1.17, 1.23, 'regression'), {}),
  'slowdown 30 % < p ≤ 50 %, features': () =>
    computeBand(measured(1.4, 1.35, 1.45, 'regression'), features),
  'slowdown 30 % < p ≤ 50 %, no features': () =>
    computeBand(measured(1.4, 1.35, 1.45, 'regression'), {}),
  'slowdown p > 50 %, no features, or proven above 1.5': () => computeBand(point(1.51), {}),
  'slowdown p > 50 %, features, not proven above 1.5 (a point measurement, or an interval reaching 1.5)':
    () => computeBand(measured(1.8, 1.45, 2.1, 'regression'), features),
  '+ security fix, p ≤ 100 %': () =>
    computeBand(point(1.5, { security_old: 2, security_new: 0 }), {}),
  '+ security fix, p > 100 %': () =>
    computeBand(point(2.5, { security_old: 2, security_new: 0 }), {}),
  '+ complexity ≤ 0.8× old, p ≤ 10 %': () =>
    computeBand(
      measured(1.05, 1.03, 1.07, 'regression', { complexity_old: 10, complexity_new: 8 }),
      {},
    ),
  '+ complexity ≤ 0.8× old, p ≤ 30 %': () =>
    computeBand(
      measured(1.2, 1.17, 1.23, 'regression', { complexity_old: 10, complexity_new: 8 }),
      {},
    ),
  'inconclusive interval whose upper bound is ≤ 1.05 (no slowdown worth reviewing)': () =>
    computeBand(measured(1, 0.9, 1.05, 'inconclusive'), {}),
  'any other inconclusive interval': () => computeBand(measured(1.2, 0.9, 1.4, 'inconclusive'), {}),
  'time not measured': () => computeBand(point(1, { time_ratio: null }), {}),
  'a new security finding weighed at or above `security-fail-on` (default `high`), or more findings of unknown severity (counts only)':
    () =>
      computeBand(measured(1, 0.99, 1.01, 'unchanged', { security_old: 0, security_new: 1 }), {}),
  'a new security finding weighed one level below `security-fail-on`': () =>
    computeBand(measured(1, 0.99, 1.01, 'unchanged', finding('MEDIUM')), {}),
  'new security findings weighed further below (listed in the reasons)': () =>
    computeBand(measured(1, 0.99, 1.01, 'unchanged', finding('LOW')), {}),
  'memory ≥ 2× (not an improvement, no security fix)': () =>
    computeBand(measured(1, 0.99, 1.01, 'unchanged', { memory_ratio: 3 }), {}),
  '*max-slowdown* X: a slowdown whose interval lies above 1 + X (a point ratio above it), no trusted justification':
    () =>
      computeBand(measured(1.2, 1.17, 1.23, 'regression'), features, opts({ maxSlowdown: 0.1 })),
  '*intent* optimization, measured slower, no trusted justification ("optimization failure")': () =>
    computeBand(measured(1.15, 1.12, 1.18, 'regression'), {}, intent('perf: faster')),
  '*intent* optimization, measured slower, with a trusted justification': () =>
    computeBand(
      measured(1.3, 1.27, 1.33, 'regression', { security_old: 2, security_new: 0 }),
      {},
      intent('perf: faster'),
    ),
  '*intent* optimization, no measurable change, inconclusive, or not measured': () =>
    computeBand(measured(1, 0.99, 1.01, 'unchanged'), {}, intent('Speed up lookups')),
  '*intent* optimization (configured), less than 5 % faster ("marginal")': () =>
    computeBand(
      measured(0.97, 0.96, 0.975, 'improvement'),
      {},
      opts({ intent: resolveIntent('optimization', {}) }),
    ),
  '*intent* bug fix, slowdown p ≤ 30 %, no trusted justification': () =>
    computeBand(measured(1.15, 1.12, 1.18, 'regression'), {}, intent('fix: crash')),
  'code identical but slower ("investigate the environment")': () =>
    computeBand(point(1.2, { code_changed: false }), {}),
  'state carried across calls: the first call in a fresh process does not share the steady ratio — the interval of its ratio over the pairs lies more than 1.25× above what the steady interval predicts for it (its work, plus the one-time costs the base’s first call shows) and is not itself an improvement — and the second call is already at the steady state, or the first calls lie more than 100× beyond it (a memo or a cache the first call fills; "state across calls"; a claimed cache only changes the reason)':
    () =>
      computeBand(
        measured(1, 0.99, 1.01, 'unchanged', {
          cold_ratio: 3.2,
          cold_ci_low: 2.2,
          cold_ci_high: 4.6,
          second_ratio: 1,
        }),
        {},
      ),
  'JS/TS, state carried across calls with the JIT off: in interpreter-only fresh process pairs the head\'s first call lies more than 2× above what its later calls and the base\'s one-time costs predict (the interval over the pairs), and the first calls are not themselves an improvement ("state across calls", docs/measurement.md)':
    () =>
      computeBand(
        measured(1, 0.99, 1.01, 'unchanged', {
          interpreted: {
            pairs: 4,
            later_calls: 5,
            first_ratio: 6,
            first_ci_low: 4.5,
            first_ci_high: 8,
            later_ratio: 1,
            excess: 6.2,
            excess_ci_low: 4.7,
            excess_ci_high: 8.1,
            cost_ms: 900,
          },
        }),
        {},
      ),
  "the head introduces a `benchmark-gaming` finding (its own path or source, the stack, argv, a replaced timer, the harness's modules or file descriptors; not weighed by `security-fail-on`)":
    () =>
      computeBand(
        measured(0.9, 0.88, 0.92, 'improvement', {
          security_old: 0,
          security_new: 1,
          new_findings: [
            { rule: 'benchmark-gaming', severity: 'HIGH', confidence: 'HIGH', line: 2 },
          ],
        }),
        {},
      ),
  'an analysis part (security, complexity or syntax) of either version could not run: unknown, not "nothing found", never a security fix':
    () =>
      computeBand(
        measured(0.9, 0.88, 0.92, 'improvement', {
          security_new: null,
          unanalysed: [{ version: 'new', part: 'security', reason: 'code nests too deeply' }],
        }),
        {},
      ),
  'suspected prompt injection': () =>
    capBandAtReview(computeBand(measured(0.9, 0.88, 0.92, 'improvement'), {}), 'injection'),
};

/** For rows that only modify: the same example without the modifier, to show what changed. */
const UNMODIFIED: Record<string, () => Band> = {
  'new security findings weighed further below (listed in the reasons)': () =>
    computeBand(measured(1, 0.99, 1.01, 'unchanged'), {}),
};

describe("docs/judge.md's band table matches policy.ts", () => {
  const rows = tableRows();

  it('has one example per row and one row per example', () => {
    expect(rows.map((r) => r.evidence).sort()).toEqual(Object.keys(EXAMPLES).sort());
  });

  it.each(rows.map((r) => [r.evidence, r] as const))('%s', (label, row) => {
    const band = EXAMPLES[label]!();
    const exact = /\[(\d+), (\d+)\]/.exec(row.band);
    const capped = /hi ≤ (\d+)/.exec(row.band);
    if (row.band.startsWith('unchanged')) {
      const before = UNMODIFIED[label]!();
      expect([band.lo, band.hi, band.rule_score]).toEqual([
        before.lo,
        before.hi,
        before.rule_score,
      ]);
    } else if (row.band.startsWith('[31, min(')) {
      // [31, min(90, hi of the slowdown row …)]: the example is a 20 % point estimate.
      expect([band.lo, band.hi]).toEqual([31, 85]);
    } else if (exact !== null) {
      expect([band.lo, band.hi]).toEqual([Number(exact[1]), Number(exact[2])]);
    } else if (capped !== null) {
      expect(band.hi).toBe(Number(capped[1]));
      if (row.band.startsWith('lo 0')) expect(band.lo).toBe(0);
    } else {
      throw new Error(`band cell not understood: ${row.band}`);
    }
    // The rule score cell names the example's rule score (or its cap / range).
    const numbers = [...row.rule.matchAll(/\d+/g)].map((m) => Number(m[0]));
    if (row.rule.startsWith('≤')) expect(band.rule_score).toBeLessThanOrEqual(numbers[0]!);
    else if (row.rule.startsWith('−')) expect(band.rule_score).toBe(80 - numbers[0]!);
    else if (/^\d+–\d+/.test(row.rule)) {
      expect(band.rule_score).toBeGreaterThanOrEqual(numbers[0]!);
      expect(band.rule_score).toBeLessThanOrEqual(numbers[1]!);
    } else if (!row.rule.startsWith('unchanged')) expect(numbers).toContain(band.rule_score);
  });
});
