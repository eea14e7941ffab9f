/**
 * State carried across calls (issue 10, case 8's memo): an improvement is taken only when the
 * first call in a fresh process (cold) shows it too — cold ratio ≤ max(interval's upper edge,
 * 1 − δ). Otherwise REVIEW [31, 79], "steady-state improvement not seen in the first call
 * (cache?)"; a claimed cache changes the reason, never the band.
 */
import { describe, expect, it } from 'vitest';
import { measured } from '../../bench/judge-scenarios.js';
import {
  buildEvidence,
  coldAgrees,
  computeBand,
  recommend,
  WARMUP_GAIN_LIMIT,
} from '../../src/verdict/policy.js';
import type { Comparison } from '../../src/domain/types.js';
import { renderDetails } from '../../src/report/render-details.js';
import { comparison, row } from '../render/fixtures.js';

const improvement = (cold: number | null | undefined) =>
  measured(0.5, 0.45, 0.55, 'improvement', cold === undefined ? {} : { cold_ratio: cold });

describe('coldAgrees', () => {
  // Steady state −50 % (interval 0.45–0.55), δ 2 %: the first call agrees at or below 0.98, or
  // when it is at most the language's limit (Python 5×) from the steady ratio.
  it.each([
    [0.3, true, 'cold faster than the interval'],
    [0.55, true, "cold at the interval's upper edge"],
    [0.97, true, 'cold below the noise zone (1 − δ = 0.98)'],
    [2.4, true, 'not faster, but only 4.8× from the steady state (noise, a lazy import)'],
    [2.6, false, '5.2× from the steady state'],
    [27, false, 'the memo: the first call does the work 10× slower'],
    [null, true, 'no cold time: nothing to disagree'],
    [undefined, true, 'a report from before the cold time'],
  ] as const)('cold %s → %s (%s)', (cold, agrees, _why) => {
    expect(coldAgrees(improvement(cold), 0.02)).toBe(agrees);
  });

  it('JS/TS allow 100× (the first call runs before the JIT): 54× agrees, 120× does not', () => {
    const js = (cold: number) => ({
      ...improvement(cold),
      warmup_gain_limit: WARMUP_GAIN_LIMIT.javascript,
    });
    expect(coldAgrees(js(27), 0.02)).toBe(true);
    expect(coldAgrees(js(60), 0.02)).toBe(false);
  });

  it('buildEvidence takes the limit from the language', () => {
    const c: Comparison = {
      ...comparison(0.2, 0.15, 0.3, 'improvement'),
      cold: { old_ns: 1000, new_ns: 4400, ratio: 4.4 },
    };
    // The example checksum under Node 24: cold ×4.4 against a steady −80 %: 22× apart.
    const ts = buildEvidence({ comparison: c, language: 'typescript' });
    expect(ts.warmup_gain_limit).toBe(100);
    expect(recommend(computeBand(ts, {}).rule_score)).toBe('ACCEPT');
    const py = buildEvidence({ comparison: c, language: 'python' });
    expect(recommend(computeBand(py, {}).rule_score)).toBe('REVIEW');
  });
});

describe('an improvement the first call does not show', () => {
  it('is REVIEW [31, 79] with the reason, not ACCEPT', () => {
    const band = computeBand(improvement(27), {});
    expect([band.lo, band.hi]).toEqual([31, 79]);
    expect(recommend(band.rule_score)).toBe('REVIEW');
    expect(band.reasons.join('\n')).toContain(
      'steady-state improvement not seen in the first call (cache?): the first call in a fresh process is +2600 % where the steady state is -50 % (more than 5× apart)',
    );
  });

  it('a claimed cache is still REVIEW: the reason says the reviewer decides', () => {
    // A cache the first call fills: the first call as slow as the base's, the rest 100× faster.
    const cached = measured(0.01, 0.008, 0.012, 'improvement', { cold_ratio: 1 });
    const band = computeBand(cached, { pr_title: 'perf: memoise the lookup' });
    expect(recommend(band.rule_score)).toBe('REVIEW');
    expect(band.reasons.join('\n')).toMatch(/the claims name a cache \(untrusted\)/);
    const plain = computeBand(cached, { pr_title: 'perf: faster lookup' });
    expect([plain.lo, plain.hi, plain.rule_score]).toEqual([band.lo, band.hi, band.rule_score]);
  });

  it('an improvement the first call shows stays ACCEPT', () => {
    expect(recommend(computeBand(improvement(0.4), {}).rule_score)).toBe('ACCEPT');
  });

  it('buildEvidence carries the comparison’s cold ratio', () => {
    const c: Comparison = {
      ...comparison(0.01, 0.005, 0.02, 'improvement'),
      cold: { old_ns: 1000, new_ns: 10_000, ratio: 10 },
    };
    const evidence = buildEvidence({ comparison: c });
    expect(evidence.cold_ratio).toBe(10);
    expect(recommend(computeBand(evidence, {}).rule_score)).toBe('REVIEW');
  });
});

describe('the details show cold beside warm', () => {
  it('one line for the first call in a fresh process, base → head and the ratio', () => {
    const c: Comparison = {
      ...comparison(0.01, 0.005, 0.02, 'improvement'),
      cold: { old_ns: 1_000_000, new_ns: 10_000_000, ratio: 10 },
    };
    const text = renderDetails(row({ id: 'memo', comparison: c }), false);
    const flat = text.replace(/\u00a0/g, ' ');
    expect(flat).toContain('- time per call: base 1.00 ms → head 10.0 µs');
    expect(flat).toContain(
      '- first call in a fresh process (cold): base 1.00 ms → head 10.0 ms (10.000, +900 %)',
    );
  });
});
