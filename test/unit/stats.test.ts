import { describe, expect, it } from 'vitest';
import {
  decide,
  estimateRatio,
  hodgesLehmann,
  isSteady,
  median,
  normalQuantile,
  quantile,
  seededRandom,
  studentTQuantile,
} from '../../src/core/stats.js';

/** Box–Muller normal draws from the seeded PRNG. */
function normals(seed: number, n: number, mean: number, sd: number): number[] {
  const random = seededRandom(seed);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const u = Math.max(random(), 1e-12);
    out.push(mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random()));
  }
  return out;
}

describe('location estimators', () => {
  it.each([
    [[3], 3],
    [[1, 2, 3, 4], 2.5],
    [[5, 1, 3], 3],
    [[-1, -1, 10], -1],
  ])('median(%j) = %d', (values, expected) => {
    expect(median(values)).toBe(expected);
  });

  it.each([
    [[1, 2, 3], 2],
    [[0, 0, 0, 100], 0],
    [[1, 2, 3, 4], 2.5],
  ])('hodgesLehmann(%j) = %d', (values, expected) => {
    expect(hodgesLehmann(values)).toBe(expected);
  });

  it('quantile interpolates', () => {
    expect(quantile([0, 10], 0.25)).toBe(2.5);
    expect(quantile([1, 2, 3, 4, 5], 1)).toBe(5);
  });

  it('refuses empty input', () => {
    expect(() => median([])).toThrow(RangeError);
  });
});

describe('distributions', () => {
  it.each([
    [0.995, 1, 63.657],
    [0.995, 3, 5.841],
    [0.995, 9, 3.25],
    [0.975, 4, 2.776],
    [0.975, 30, 2.042],
  ])('t quantile p=%d df=%d ≈ %d', (p, df, expected) => {
    expect(studentTQuantile(p, df)).toBeCloseTo(expected, 2);
  });

  it.each([
    [0.995, 2.5758],
    [0.975, 1.96],
    [0.5, 0],
  ])('normal quantile p=%d ≈ %d', (p, expected) => {
    expect(normalQuantile(p)).toBeCloseTo(expected, 3);
  });
});

describe('seededRandom', () => {
  it('repeats for a seed and differs across seeds', () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const c = seededRandom(43);
    const xs = [a(), a(), a()];
    expect([b(), b(), b()]).toEqual(xs);
    expect(c()).not.toBe(xs[0]);
    for (const x of xs) expect(x >= 0 && x < 1).toBe(true);
  });
});

describe('decide', () => {
  it.each([
    [1.03, 1.2, 0.02, 'regression'],
    [0.8, 0.97, 0.02, 'improvement'],
    [0.99, 1.01, 0.02, 'unchanged'],
    [0.98, 1.02, 0.02, 'unchanged'],
    [1.01, 1.05, 0.02, 'inconclusive'],
    [0, Number.MAX_VALUE, 0.02, 'inconclusive'],
  ] as const)('[%d, %d] ±%d → %s', (lo, hi, delta, expected) => {
    expect(decide(lo, hi, delta)).toBe(expected);
  });
});

describe('estimateRatio', () => {
  it('is unbounded with fewer than two pairs, and JSON-safe', () => {
    const none = estimateRatio([], { confidence: 0.99, seed: 1 });
    expect(none).toEqual({ ratio: 1, ciLow: 0, ciHigh: Number.MAX_VALUE, pairs: 0, rounds: 0 });
    const one = estimateRatio([[0.1, 0.1]], { confidence: 0.99, seed: 1 });
    expect(one.ratio).toBeCloseTo(Math.exp(0.1));
    expect(JSON.parse(JSON.stringify(one)).ciHigh).toBe(Number.MAX_VALUE);
  });

  it('is deterministic for a seed', () => {
    const pairs = [
      normals(1, 20, 0.05, 0.01),
      normals(2, 20, 0.06, 0.01),
      normals(3, 20, 0.04, 0.01),
    ];
    expect(estimateRatio(pairs, { confidence: 0.99, seed: 7 })).toEqual(
      estimateRatio(pairs, { confidence: 0.99, seed: 7 }),
    );
  });

  it.each([
    // [true log ratio, between-pair sd, within-pair sd, pairs, expected change]
    [Math.log(2), 0.01, 0.02, 4, 'regression'],
    [Math.log(1.1), 0.005, 0.01, 6, 'regression'],
    [Math.log(0.8), 0.005, 0.01, 6, 'improvement'],
    [0, 0.002, 0.005, 8, 'unchanged'],
  ] as const)(
    'log ratio %d (between %d, within %d, %d pairs) → %s',
    (mu, between, within, k, expected) => {
      const effects = normals(11, k, mu, between);
      const pairs = effects.map((e, i) => normals(100 + i, 30, e, within));
      const estimate = estimateRatio(pairs, { confidence: 0.99, seed: 3 });
      expect(decide(estimate.ciLow, estimate.ciHigh, 0.02)).toBe(expected);
      expect(estimate.ciLow).toBeLessThanOrEqual(estimate.ratio);
      expect(estimate.ciHigh).toBeGreaterThanOrEqual(estimate.ratio);
    },
  );

  it('includes between-process variance: A/A with 3 % process effects rarely claims a regression', () => {
    // Each pair's own process effect (sd 3 %) is invisible to its rounds; a within-pair-only
    // interval would call many of these regressions. Ours must stay at or below 1 %.
    let false_regressions = 0;
    const trials = 200;
    for (let t = 0; t < trials; t++) {
      const effects = normals(1000 + t, 6, 0, 0.03);
      const pairs = effects.map((e, i) => normals(5000 + t * 10 + i, 20, e, 0.01));
      const estimate = estimateRatio(pairs, { confidence: 0.99, seed: t, resamples: 500 });
      if (decide(estimate.ciLow, estimate.ciHigh, 0.02) === 'regression') false_regressions++;
    }
    expect(false_regressions / trials).toBeLessThanOrEqual(0.01);
  });
});

describe('isSteady', () => {
  it.each([
    [[10, 10, 10, 10, 10, 10], true],
    [[20, 18, 16, 14, 12, 10], false],
    [[10, 10, 10], false],
    [[10, 10, 10, 14, 13, 15], true],
  ])('%j → %s', (samples, expected) => {
    expect(isSteady(samples, 3, 0.03)).toBe(expected);
  });
});
