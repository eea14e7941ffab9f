/**
 * Pure statistics of the measurement protocol: a seeded PRNG, robust location estimators, a
 * two-stage cluster bootstrap over process pairs, and the decision rule. No I/O.
 *
 * The unit of evidence is a *round* log ratio log(new/old) measured inside one process pair;
 * rounds of the same pair share that pair's process effects (memory layout, JIT decisions,
 * hash seeds), so they are not independent. The interval therefore resamples pairs first and
 * rounds within pairs second, and is widened for the small number of pairs (Student t over
 * pairs instead of the normal the bootstrap assumes), so that it is not overconfident.
 */
import type { Change } from './types.js';

/** A deterministic PRNG (mulberry32): same seed, same stream. Returns floats in [0, 1). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Median of a non-empty list (mean of the two middle values for even lengths). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median of an empty list');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Hodges–Lehmann location estimate: the median of all pairwise (Walsh) averages. */
export function hodgesLehmann(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('Hodges–Lehmann of an empty list');
  const walsh: number[] = [];
  for (let i = 0; i < values.length; i++)
    for (let j = i; j < values.length; j++) walsh.push((values[i]! + values[j]!) / 2);
  return median(walsh);
}

/** Empirical quantile with linear interpolation, q in [0, 1]. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) throw new RangeError('quantile of an empty list');
  const sorted = [...values].sort((a, b) => a - b);
  const pos = Math.min(Math.max(q, 0), 1) * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

// ---------------------------------------------------------------- distributions

function logGamma(x: number): number {
  const c = [
    76.18009172947146, -86.5053203294168, 24.01409824083091, -1.231739572450155,
    0.001208650973866179, -0.5395239384953e-5,
  ];
  let y = x;
  const tmp = x + 5.5 - (x + 0.5) * Math.log(x + 5.5);
  let ser = 1.00000000019001;
  for (const coefficient of c) ser += coefficient / ++y;
  return -tmp + Math.log((2.506628274631 * ser) / x);
}

/** Continued fraction of the regularised incomplete beta (Numerical Recipes betacf). */
function betaContinuedFraction(a: number, b: number, x: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 300; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-12) break;
  }
  return h;
}

function incompleteBeta(a: number, b: number, x: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(
    logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x),
  );
  return x < (a + 1) / (a + b + 2)
    ? (front * betaContinuedFraction(a, b, x)) / a
    : 1 - (front * betaContinuedFraction(b, a, 1 - x)) / b;
}

/** CDF of Student's t with `df` degrees of freedom. */
export function studentTCdf(t: number, df: number): number {
  const tail = 0.5 * incompleteBeta(df / 2, 0.5, df / (df + t * t));
  return t >= 0 ? 1 - tail : tail;
}

/** Quantile of Student's t (p in (0, 1)), by bisection on the CDF. */
export function studentTQuantile(p: number, df: number): number {
  let lo = -1e4;
  let hi = 1e4;
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    if (studentTCdf(mid, df) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** Quantile of the standard normal: the t quantile with a very large df. */
export function normalQuantile(p: number): number {
  return studentTQuantile(p, 1e7);
}

// ---------------------------------------------------------------- the ratio estimate

export interface RatioEstimate {
  /** Point estimate of new/old. */
  readonly ratio: number;
  readonly ciLow: number;
  readonly ciHigh: number;
  readonly pairs: number;
  readonly rounds: number;
}

export interface EstimateOptions {
  /** e.g. 0.99 */
  readonly confidence: number;
  readonly seed: number;
  /** Bootstrap resamples; 2000 by default. */
  readonly resamples?: number;
}

/** Point estimate in log space: each pair's median round log ratio, then Hodges–Lehmann over pairs. */
function pointLog(pairs: readonly (readonly number[])[]): number {
  return hodgesLehmann(pairs.map((rounds) => median(rounds)));
}

/**
 * Estimate new/old from per-pair round log ratios with a two-stage cluster bootstrap interval
 * (pairs resampled, then rounds within each pair), widened by t(k−1)/z · √(k/(k−1)) for k pairs:
 * the bootstrap of k clusters behaves like a normal interval with a biased variance, which is
 * too narrow when k is small. With a single pair the interval is unbounded (no between-process
 * information): ciLow 0, ciHigh Number.MAX_VALUE.
 */
export function estimateRatio(
  pairs: readonly (readonly number[])[],
  options: EstimateOptions,
): RatioEstimate {
  const usable = pairs.filter((rounds) => rounds.length > 0);
  const rounds = usable.reduce((sum, r) => sum + r.length, 0);
  if (usable.length === 0)
    return { ratio: 1, ciLow: 0, ciHigh: Number.MAX_VALUE, pairs: 0, rounds: 0 };
  const center = pointLog(usable);
  const k = usable.length;
  if (k < 2)
    return { ratio: Math.exp(center), ciLow: 0, ciHigh: Number.MAX_VALUE, pairs: k, rounds };
  const random = seededRandom(options.seed);
  const pick = (n: number): number => Math.min(n - 1, Math.floor(random() * n));
  const resamples = options.resamples ?? 2000;
  const draws: number[] = [];
  for (let b = 0; b < resamples; b++) {
    const sample: number[][] = [];
    for (let i = 0; i < k; i++) {
      const pair = usable[pick(k)]!;
      const inner: number[] = [];
      for (let j = 0; j < pair.length; j++) inner.push(pair[pick(pair.length)]!);
      sample.push(inner);
    }
    draws.push(pointLog(sample));
  }
  const alpha = 1 - options.confidence;
  const widen =
    (studentTQuantile(1 - alpha / 2, k - 1) / normalQuantile(1 - alpha / 2)) *
    Math.sqrt(k / (k - 1));
  const low = center - (center - quantile(draws, alpha / 2)) * widen;
  const high = center + (quantile(draws, 1 - alpha / 2) - center) * widen;
  return {
    ratio: Math.exp(center),
    ciLow: Math.exp(Math.min(low, center)),
    ciHigh: Math.exp(Math.max(high, center)),
    pairs: k,
    rounds,
  };
}

/**
 * The decision rule: `regression` when the whole interval lies above 1 + δ, `improvement`
 * below 1 − δ, `unchanged` inside [1 − δ, 1 + δ], else `inconclusive`.
 */
export function decide(ciLow: number, ciHigh: number, delta: number): Change {
  if (ciLow > 1 + delta) return 'regression';
  if (ciHigh < 1 - delta) return 'improvement';
  if (ciLow >= 1 - delta && ciHigh <= 1 + delta) return 'unchanged';
  return 'inconclusive';
}

/**
 * True when warm-up is over: the median of the last `window` samples is no longer falling
 * against the `window` before it (by more than `tolerance`, in log terms). Only a downward trend
 * counts: warm-up (caches, JIT) makes calls faster, while an upward blip is the machine's noise,
 * which rounds and pairs deal with.
 */
export function isSteady(samples: readonly number[], window = 5, tolerance = 0.03): boolean {
  if (samples.length < 2 * window) return false;
  const recent = median(samples.slice(-window));
  const before = median(samples.slice(-2 * window, -window));
  return Math.log(recent / before) >= -tolerance;
}
