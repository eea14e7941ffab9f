/**
 * State carried across calls (issue 10 case 8's memo; issue 23: memos under the old fixed 5× /
 * 100× thresholds): judged by the evidence. The first calls' ratio over the pairs has an interval;
 * it must lie more than 1.25× above what the steady interval predicts for it (its work plus the
 * base's one-time first-call costs), not be an improvement itself, and the
 * second call must already be at the steady state (a JIT's warm-up is not). Then REVIEW [31, 79]
 * "state across calls"; a claimed cache changes the reason, never the band.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { measured } from '../../bench/judge-scenarios.js';
import {
  buildEvidence,
  computeBand,
  recommend,
  stateAcrossCalls,
} from '../../src/verdict/policy.js';
import type { Comparison, Evidence, InterpretedCalls } from '../../src/domain/types.js';
import { parseUntrustedReport } from '../../src/report/artifact.js';
import { renderDetails } from '../../src/report/render-details.js';
import { comparison, row } from '../render/fixtures.js';

/** Steady ratio with its interval; the first call's ratio with its interval; the second call's. */
const evidence = (
  steady: readonly [number, number, number],
  cold: readonly [number, number, number] | number | null,
  second?: number,
): Evidence =>
  measured(steady[0], steady[1], steady[2], steady[0] < 0.98 ? 'improvement' : 'unchanged', {
    ...(cold === null
      ? {}
      : typeof cold === 'number'
        ? { cold_ratio: cold }
        : { cold_ratio: cold[0], cold_ci_low: cold[1], cold_ci_high: cold[2] }),
    ...(second === undefined ? {} : { second_ratio: second }),
  });

describe('stateAcrossCalls', () => {
  it.each([
    // Caught: the head's first call does the real (slower) work, every later call is a look-up.
    ['a Python memo at 3.2× (steady unchanged)', [1, 0.99, 1.01], [3.2, 2.2, 4.6], 1, true],
    ['a JS memo at 7.8× (steady unchanged)', [1, 0.98, 1.03], [7.8, 5, 12], 1.05, true],
    ['a memo 10× slower, steady −99.98 %', [0.0002, 0.0001, 0.0003], [10, 6, 16], 0.0002, true],
    [
      'a cache the first call fills (a point, no second call)',
      [0.01, 0.008, 0.012],
      1,
      undefined,
      true,
    ],
    // Node 24, measured (js memo): its second call still 0.12 of the base's, the steady state
    // 0.0011; the first calls' interval [15, 142] lies ×10,000 beyond it.
    [
      'a JS memo whose second call is still slow: ×10,000 beyond',
      [0.0011, 0.00102, 0.00117],
      [41.7, 15.2, 141.6],
      0.117,
      true,
    ],
    // Not caught.
    [
      'an honest 3× improvement: the first call improves too',
      [0.33, 0.31, 0.35],
      [0.35, 0.28, 0.44],
      0.34,
      false,
    ],
    [
      'a noisy first call whose interval reaches the steady one',
      [1, 0.99, 1.01],
      [1.3, 0.8, 2.1],
      1.1,
      false,
    ],
    [
      'within the allowance (1.25× beyond the steady interval)',
      [1, 0.99, 1.01],
      [1.2, 1.1, 1.3],
      1,
      false,
    ],
    [
      'a first call proven faster itself (below 1 − δ)',
      [0.1, 0.09, 0.11],
      [0.5, 0.4, 0.6],
      0.1,
      false,
    ],
    // The example checksum under Node 24: the loop runs in the interpreter first, gains gradually.
    // Node 24, measured (js memo_unchanged): first calls ×105 [20, 308], second ×31: not shown.
    [
      'a JS memo under an unchanged steady state whose second call is still slow (not caught)',
      [1, 0.97, 1.02],
      [105, 20, 308],
      31,
      false,
    ],
    [
      'a JIT warm-up: the second call still far from the steady state',
      [0.2, 0.18, 0.22],
      [4.4, 3.5, 5.5],
      2.5,
      false,
    ],
    ['no first-call time: nothing to judge', [0.5, 0.45, 0.55], null, undefined, false],
  ] as const)('%s → %s', (_why, steady, cold, second, caught) => {
    expect(stateAcrossCalls(evidence(steady, cold, second), 0.02) !== null).toBe(caught);
  });

  // A tool of a few microseconds: the base's first call is 10× its steady call (one-time costs
  // both versions pay), so an honest 2× speed-up barely shows on the first call.
  it.each([
    ['an honest 2× speed-up of a microsecond tool', [0.95, 0.8, 1.1], false],
    ['a memo on it: the first call 3× the base’s', [3, 2.5, 3.6], true],
  ] as const)('%s → %s', (_why, cold, caught) => {
    const e = { ...evidence([0.5, 0.45, 0.55], cold, 0.5), base_warm_share: 0.1 };
    expect(stateAcrossCalls(e, 0.02) !== null).toBe(caught);
  });

  it('names both ratios, the interval and the second call', () => {
    expect(stateAcrossCalls(evidence([1, 0.99, 1.01], [3.2, 2.2, 4.6], 1), 0.02)).toBe(
      'state across calls: the first call in a fresh process is +220 % [+120 %, +360 %] where the steady state is +0.0 %, the second call already +0.0 % (a memo or a cache the first call fills?)',
    );
  });
});

describe('stateAcrossCalls with the JIT off (JS/TS: interpreter-only first calls)', () => {
  /** First calls' ratio with its interval, later calls' ratio, excess with its interval. */
  const calls = (
    first: readonly [number, number, number],
    later: number,
    excess: readonly [number, number, number] | number,
  ): InterpretedCalls => ({
    pairs: typeof excess === 'number' ? 1 : 4,
    later_calls: 5,
    first_ratio: first[0],
    first_ci_low: first[1],
    first_ci_high: first[2],
    later_ratio: later,
    ...(typeof excess === 'number'
      ? { excess }
      : { excess: excess[0], excess_ci_low: excess[1], excess_ci_high: excess[2] }),
    cost_ms: 900,
  });
  // Node 24, measured (js memo_unchanged under the JIT): first calls ×105 [20, 308], second ×31.
  const jit = (steady: readonly [number, number, number]): Evidence =>
    evidence(steady, [105, 20, 308], 31);

  it.each([
    // Measured (bench/first-calls.ts shapes): a memo's first call does the work its later calls skip.
    ['a memo, 10× once, steady unchanged', [1, 0.98, 1.02], [9, 7, 12], 1, [8, 6, 11], true],
    ['a memo at 7.8×', [1, 0.98, 1.02], [5, 4, 6.5], 1, [4.5, 3.4, 6], true],
    [
      'a memo whose later calls are look-ups',
      [0.01, 0.008, 0.012],
      [6, 4, 9],
      0.12,
      [6, 4, 9],
      true,
    ],
    // Honest heads: the first call is what the later calls predict.
    ['the example checksum', [0.25, 0.23, 0.27], [0.5, 0.4, 0.6], 0.55, [0.63, 0.5, 0.8], false],
    ['an honest 3× slowdown', [3, 2.9, 3.1], [1.8, 1.5, 2.1], 2.9, [0.92, 0.8, 1.05], false],
    ['an A/A', [1, 0.99, 1.01], [1, 0.9, 1.12], 1, [1.02, 0.88, 1.18], false],
    // Measured: an honest 3× speed-up read 1.52 [1.07, 2.15] (part of a first call grows with its work).
    [
      'an honest 3× speed-up',
      [0.33, 0.32, 0.34],
      [0.56, 0.45, 0.7],
      0.32,
      [1.52, 1.07, 2.15],
      false,
    ],
    ['within the allowance (2×)', [1, 0.99, 1.01], [2.2, 1.9, 2.6], 1, [2.2, 1.95, 2.5], false],
    ['just beyond it', [1, 0.99, 1.01], [2.4, 2.1, 2.8], 1, [2.4, 2.05, 2.8], true],
    [
      'a first call proven faster itself',
      [0.05, 0.04, 0.06],
      [0.5, 0.4, 0.6],
      0.05,
      [5, 4, 7],
      false,
    ],
    ['one pair: no interval', [1, 0.98, 1.02], [9, 9, 9], 1, 8, false],
  ] as const)('%s → %s', (_why, steady, first, later, excess, caught) => {
    // The interpreter's evidence alone (no first calls under the JIT).
    const e = { ...evidence(steady, null), interpreted: calls(first, later, excess) };
    expect(stateAcrossCalls(e, 0.02) !== null).toBe(caught);
  });

  it('the JIT’s rule still stands beside it: a memo far beyond the steady state is shown', () => {
    const e = {
      ...evidence([0.0011, 0.00102, 0.00117], [41.7, 15.2, 141.6], 0.117),
      interpreted: calls([1, 0.9, 1.1], 1, [1, 0.9, 1.1]),
    };
    expect(stateAcrossCalls(e, 0.02)).toMatch(/^state across calls: the first call in a fresh/);
  });

  it('names the first and later calls and the excess with its interval; REVIEW [31, 79]', () => {
    const e = { ...jit([1, 0.98, 1.02]), interpreted: calls([9, 7, 12], 1, [8, 6, 11]) };
    expect(stateAcrossCalls(e, 0.02)).toBe(
      "state across calls: with the JIT off, the first call in a fresh process is +800 % where the later calls are +0.0 %, ×8.0 [×6.0, ×11] what they and the base's first call predict (a memo or a cache the first call fills?)",
    );
    const band = computeBand(e, {});
    expect([band.lo, band.hi, recommend(band.rule_score)]).toEqual([31, 79, 'REVIEW']);
    expect(recommend(computeBand(jit([1, 0.98, 1.02]), {}).rule_score)).toBe('ACCEPT');
  });

  it('buildEvidence carries the comparison’s interpreted calls; a report reads them back', () => {
    const interpreted = calls([9, 7, 12], 1, [8, 6, 11]);
    const c: Comparison = {
      ...comparison(1, 0.99, 1.01, 'unchanged'),
      cold: { old_ns: 1000, new_ns: 9000, ratio: 9, interpreted },
    };
    expect(buildEvidence({ comparison: c }).interpreted).toEqual(interpreted);
  });
});

describe('state carried across calls in the band', () => {
  it('is REVIEW [31, 79] with the reason, not ACCEPT, whatever the steady change', () => {
    for (const steady of [
      [1, 0.99, 1.01],
      [0.5, 0.45, 0.55],
    ] as const) {
      const band = computeBand(evidence(steady, [3.2, 2.2, 4.6], steady[0]), {});
      expect([band.lo, band.hi]).toEqual([31, 79]);
      expect(recommend(band.rule_score)).toBe('REVIEW');
      expect(band.reasons.join('\n')).toMatch(/^state across calls: .*: REVIEW at most$/m);
    }
  });

  it('a claimed cache is still REVIEW: the reason says the reviewer decides', () => {
    const cached = evidence([0.01, 0.008, 0.012], 1);
    const band = computeBand(cached, { pr_title: 'perf: memoise the lookup' });
    expect(recommend(band.rule_score)).toBe('REVIEW');
    expect(band.reasons.join('\n')).toMatch(/the claims name a cache \(untrusted\)/);
    const plain = computeBand(cached, { pr_title: 'perf: faster lookup' });
    expect([plain.lo, plain.hi, plain.rule_score]).toEqual([band.lo, band.hi, band.rule_score]);
  });

  it('an improvement the first call shares stays ACCEPT, and so does a JIT warm-up', () => {
    expect(
      recommend(computeBand(evidence([0.5, 0.45, 0.55], [0.4, 0.3, 0.5], 0.5), {}).rule_score),
    ).toBe('ACCEPT');
    expect(
      recommend(computeBand(evidence([0.2, 0.18, 0.22], [4.4, 3.5, 5.5], 2.5), {}).rule_score),
    ).toBe('ACCEPT');
  });

  it('buildEvidence carries the comparison’s cold ratio, its interval and the second call', () => {
    const c: Comparison = {
      ...comparison(1, 0.99, 1.01, 'unchanged'),
      cold: { old_ns: 1000, new_ns: 3200, ratio: 3.2, ci_low: 2.2, ci_high: 4.6, second_ratio: 1 },
    };
    const e = buildEvidence({ comparison: c });
    expect([e.cold_ratio, e.cold_ci_low, e.cold_ci_high, e.second_ratio]).toEqual([
      3.2, 2.2, 4.6, 1,
    ]);
    expect(recommend(computeBand(e, {}).rule_score)).toBe('REVIEW');
  });
});

describe("the base's warm share", () => {
  it('is taken under Python only: under a JIT the prediction is the steady ratio', () => {
    // The base's steady call 1 µs, its first call 10 µs: a tenth of a first call is work.
    const c = {
      ...comparison(0.5, 0.45, 0.55, 'improvement', 1000),
      cold: { old_ns: 10_000, new_ns: 9000, ratio: 0.9 },
    };
    const on = (runtime: string): Comparison => ({ ...c, old: { ...c.old, runtime } });
    expect(buildEvidence({ comparison: on('Python 3.11.7') }).base_warm_share).toBe(0.1);
    expect(buildEvidence({ comparison: on('Node v24.11.1') }).base_warm_share).toBeUndefined();
    expect(buildEvidence({ comparison: c }).base_warm_share).toBeUndefined();
  });
});

describe('the details show cold beside warm', () => {
  it('one line for the first call in a fresh process: base → head, the ratio, its interval, the second call', () => {
    const c: Comparison = {
      ...comparison(0.01, 0.005, 0.02, 'improvement'),
      cold: {
        old_ns: 1_000_000,
        new_ns: 10_000_000,
        ratio: 10,
        ci_low: 6,
        ci_high: 16,
        second_ratio: 0.01,
      },
    };
    const text = renderDetails(row({ id: 'memo', comparison: c }), false);
    const flat = text.replace(/\u00a0/g, ' ');
    expect(flat).toContain('- time per call: base 1.00 ms → head 10.0 µs');
    expect(flat).toContain(
      '- first call in a fresh process (cold): base 1.00 ms → head 10.0 ms (10.000, +900 %, interval 6.000–16.000); second call 0.010',
    );
  });
});

describe('the details show the first calls with the JIT off', () => {
  it('one line: pairs, the first and later calls, the excess with its interval, why cut short', () => {
    const c: Comparison = {
      ...comparison(1, 0.99, 1.01, 'unchanged'),
      cold: {
        old_ns: 1000,
        new_ns: 9000,
        ratio: 9,
        interpreted: {
          pairs: 3,
          later_calls: 5,
          first_ratio: 9,
          later_ratio: 1,
          excess: 8,
          excess_ci_low: 6,
          excess_ci_high: 11,
          cost_ms: 900,
          cut: 'the time cap (3 of 4 pairs)',
        },
      },
    };
    const flat = renderDetails(row({ id: 'memo', comparison: c }), false).replace(/\u00a0/g, ' ');
    expect(flat).toContain(
      "- with the JIT off (3 process pairs): first call 9.000, later calls 1.000; the head's first call 8.000 (interval 6.000–11.000) of what its later calls and the base's first call predict; cut short: the time cap (3 of 4 pairs)",
    );
  });
});

describe('the first calls in a report read back', () => {
  const EXAMPLE = JSON.parse(
    readFileSync(new URL('../render/example-report.json', import.meta.url), 'utf8'),
  ) as { mode: string; tools: { comparison: Record<string, unknown> | null }[] };
  const withCold = (cold: unknown): unknown => {
    const report = { ...structuredClone(EXAMPLE), mode: 'measure' };
    const row = report.tools.find((t) => t.comparison !== null)!;
    row.comparison = { ...row.comparison, cold };
    return report;
  };
  const colds = (report: unknown) =>
    parseUntrustedReport(report)
      .tools.map((t) => t.comparison?.cold)
      .filter(Boolean);

  it('keeps the interval and the second call, and reads an older report without them', () => {
    const cold = {
      old_ns: 1000,
      new_ns: 3200,
      ratio: 3.2,
      ci_low: 2.2,
      ci_high: 4.6,
      second_ratio: 1,
    };
    expect(colds(withCold(cold))).toEqual([cold]);
    expect(colds(withCold({ old_ns: 1000, new_ns: 3200, ratio: 3.2 }))).toEqual([
      { old_ns: 1000, new_ns: 3200, ratio: 3.2 },
    ]);
  });

  it('keeps the interpreter-only first calls', () => {
    const interpreted = {
      pairs: 4,
      later_calls: 5,
      first_ratio: 9,
      first_ci_low: 7,
      first_ci_high: 12,
      later_ratio: 1,
      excess: 8,
      excess_ci_low: 6,
      excess_ci_high: 11,
      cost_ms: 900,
      cut: 'the time cap (4 of 4 pairs)',
    };
    const cold = { old_ns: 1000, new_ns: 9000, ratio: 9, interpreted };
    expect(colds(withCold(cold))).toEqual([cold]);
    expect(() =>
      parseUntrustedReport(withCold({ ...cold, interpreted: { ...interpreted, excess: 'x' } })),
    ).toThrow(/excess/);
  });

  it('refuses an interval that is not a number, naming the field', () => {
    expect(() =>
      parseUntrustedReport(withCold({ old_ns: 1, new_ns: 1, ratio: 1, ci_low: 'x' })),
    ).toThrow(/cold/);
  });
});
