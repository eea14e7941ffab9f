/**
 * Pure statistics of the measurement protocol: a seeded PRNG, robust location estimators, an
 * always-valid confidence sequence over process pairs, the variance budget, the stop rule and
 * the decision rule. No I/O.
 *
 * The unit of evidence is a *round* log ratio log(new/old) measured inside one process pair;
 * rounds of the same pair share that pair's process effects (memory layout, JIT decisions,
 * hash seeds), so they are not independent. Each pair is therefore one observation (the median
 * of its rounds), and the interval is a confidence sequence over pairs: it may be looked at
 * after every pair and stopped on at will without inflating false alarms.
 */
import type { Change, VarianceBudget } from '../domain/types.js';

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
function studentTCdf(t: number, df: number): number {
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

/**
 * Student's t interval for the mean of log ratios at `confidence`, as ratios (exp of the edges);
 * null for fewer than two values. A fixed-n interval: it is looked at once, after the pairs.
 */
export function tInterval(
  logs: readonly number[],
  confidence: number,
): { low: number; high: number } | null {
  const n = logs.length;
  if (n < 2) return null;
  const mean = logs.reduce((sum, v) => sum + v, 0) / n;
  const sd = Math.sqrt(logs.reduce((sum, v) => sum + (v - mean) ** 2, 0) / (n - 1));
  const half = studentTQuantile(1 - (1 - confidence) / 2, n - 1) * (sd / Math.sqrt(n));
  return { low: Math.exp(mean - half), high: Math.min(Math.exp(mean + half), Number.MAX_VALUE) };
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
  /** e.g. 0.99: the interval covers the true ratio at every look at once with this probability. */
  readonly confidence: number;
}

/**
 * Prior scale τ² of the mixture over the standardised effect μ/σ. 10 makes the sequence finite
 * from 4 pairs and tightest around 5–12 pairs, where a same-speed change settles.
 */
const SEQUENCE_TAU2 = 10;

/** Mean and half-width (log space) of the always-valid interval; Infinity when unbounded. */
export interface SequenceInterval {
  readonly center: number;
  readonly halfWidth: number;
}

/**
 * Lai's t confidence sequence for the mean of i.i.d. normal values with unknown variance
 * (Lai 1976; Wang & Ramdas 2023, "Anytime-valid t-tests and confidence sequences for Gaussian
 * means with unknown variance"). Under μ, the scale-invariant likelihood ratio mixed over
 * θ = μ/σ ~ N(0, τ²),
 *
 *   M_n(μ) = (1 + nτ²)^(−1/2) · (1 − τ²/(1 + nτ²) · (Σ(x−μ))² / Σ(x−μ)²)^(−n/2),
 *
 * is a non-negative martingale with M_1 = 1, so by Ville's inequality P(∃n: M_n(μ) ≥ 1/α) ≤ α.
 * The set {μ : M_n(μ) < 1/α} is the interval mean ± √(R·SS / (n(n − R))) with
 * R = (1 − (α²/(1 + nτ²))^(1/n)) · (1 + nτ²)/τ²: it covers μ at *every* n simultaneously with
 * probability ≥ 1 − α, so stopping whenever it looks decided does not inflate false alarms.
 */
export function tConfidenceSequence(
  values: readonly number[],
  alpha: number,
  tau2 = SEQUENCE_TAU2,
): SequenceInterval {
  const n = values.length;
  if (n === 0) return { center: 0, halfWidth: Infinity };
  const center = values.reduce((sum, v) => sum + v, 0) / n;
  if (n < 2) return { center, halfWidth: Infinity };
  const ss = values.reduce((sum, v) => sum + (v - center) ** 2, 0);
  const r = ((1 - Math.pow((alpha * alpha) / (1 + n * tau2), 1 / n)) * (1 + n * tau2)) / tau2;
  if (r >= n) return { center, halfWidth: Infinity };
  return { center, halfWidth: Math.sqrt((r * ss) / (n * (n - r))) };
}

/** Each pair's summary: the median of its round log ratios (robust to a round hit by a neighbour). */
function pairSummaries(pairs: readonly (readonly number[])[]): number[] {
  return pairs.filter((rounds) => rounds.length > 0).map((rounds) => median(rounds));
}

/**
 * Estimate new/old from per-pair round log ratios: each pair is one observation (its median
 * round), the pairs' process "personalities" (layout, hash seed, JIT) are part of its noise,
 * and the interval is the t confidence sequence over pairs, valid at any stopping time. Until
 * it is bounded (fewer than 4 pairs at τ² = 10) the interval is 0 … Number.MAX_VALUE (JSON-safe).
 */
export function estimateRatio(
  pairs: readonly (readonly number[])[],
  options: EstimateOptions,
): RatioEstimate {
  const summaries = pairSummaries(pairs);
  const rounds = pairs.reduce((sum, r) => sum + r.length, 0);
  if (summaries.length === 0)
    return { ratio: 1, ciLow: 0, ciHigh: Number.MAX_VALUE, pairs: 0, rounds: 0 };
  const { center, halfWidth } = tConfidenceSequence(summaries, 1 - options.confidence);
  const unbounded = !Number.isFinite(halfWidth);
  return {
    ratio: Math.exp(center),
    ciLow: unbounded ? 0 : Math.exp(center - halfWidth),
    ciHigh: unbounded ? Number.MAX_VALUE : Math.exp(center + halfWidth),
    pairs: summaries.length,
    rounds,
  };
}

// ---------------------------------------------------------------- the variance budget

/** What one pair contributes to the variance budget. */
export interface PairRecord {
  /** Round log ratios log(new/old). */
  readonly rounds: readonly number[];
  /** Same-version log ratios inside rounds: log(second/first) sample of each version. */
  readonly repeats: readonly number[];
}

const variance = (xs: readonly number[]): number => {
  if (xs.length < 2) return 0;
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  return xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1);
};

/**
 * Split the variance: sample noise (same version, same round), round noise (pooled within
 * pairs), and between pairs. The median of R round ratios has variance ≈ (π/2)·σ²_round/R, so
 * the personality part is what pair_sd has beyond that. 0 where there is too little data.
 */
export function varianceBudget(records: readonly PairRecord[]): VarianceBudget {
  const repeats = records.flatMap((r) => [...r.repeats]);
  // log(x2/x1) of two samples has twice one sample's variance.
  const sampleVar = repeats.reduce((a, b) => a + b * b, 0) / Math.max(1, repeats.length) / 2;
  let pooled = 0;
  let dof = 0;
  for (const r of records) {
    if (r.rounds.length < 2) continue;
    pooled += variance(r.rounds) * (r.rounds.length - 1);
    dof += r.rounds.length - 1;
  }
  const roundVar = dof > 0 ? pooled / dof : 0;
  const summaries = pairSummaries(records.map((r) => r.rounds));
  const pairVar = variance(summaries);
  const meanRounds =
    records.length > 0 ? records.reduce((a, r) => a + r.rounds.length, 0) / records.length : 1;
  const explained = ((Math.PI / 2) * roundVar) / Math.max(1, meanRounds);
  return {
    sample_sd: Math.sqrt(sampleVar),
    round_sd: Math.sqrt(roundVar),
    pair_sd: Math.sqrt(pairVar),
    personality_sd: Math.sqrt(Math.max(0, pairVar - explained)),
  };
}

/**
 * Rounds per pair that minimise the interval's width per second: a pair summary has variance
 * σ²_p + (π/2)σ²_r/R and costs fixed + R·roundCost, so R* = √((π/2)σ²_r·fixed / (σ²_p·roundCost)).
 * σ_p is floored at 0.2 % (the personality is never truly zero) and R kept in [min, max].
 */
export function optimalRounds(
  budget: Pick<VarianceBudget, 'round_sd' | 'personality_sd'>,
  fixedMs: number,
  roundMs: number,
  { min, max }: { readonly min: number; readonly max: number },
): number {
  const personality = Math.max(budget.personality_sd, 0.002);
  const r = Math.sqrt(
    ((Math.PI / 2) * budget.round_sd ** 2 * Math.max(fixedMs, 1)) /
      (personality ** 2 * Math.max(roundMs, 0.01)),
  );
  return Math.round(Math.min(max, Math.max(min, Number.isFinite(r) ? r : min)));
}

/**
 * The stop rule: the interval [low, high] lies inside one region between consecutive decision
 * edges (no edge strictly inside it), or inside the "no slowdown worth reviewing" region
 * (high ≤ `negligible`). More pairs cannot then change the verdict.
 */
export function settledBetweenEdges(
  low: number,
  high: number,
  edges: readonly number[],
  negligible: number,
): boolean {
  if (!(high < Number.MAX_VALUE) || !(low > 0)) return false;
  if (high <= negligible) return true;
  return !edges.some((edge) => edge > low && edge < high);
}

/** ci_high / ci_low at which an interval is narrow enough whichever edge lies inside it (±2 %). */
const RESOLUTION = 1.04;
/** The same while 1 ± δ lies inside (±1 %): the edge between `regression` and not is worth more pairs. */
const FINE_RESOLUTION = 1.02;

/**
 * The interval is as narrow as it is worth making: an edge within ±2 % of the estimate (the
 * policy's 1.05, 1.1, …) is not chased further; 1 ± δ, where `regression` / `improvement`
 * begins, is chased down to ±1 % (a +3 % change needs its lower end above 1.02 to be called).
 */
export function atResolution(low: number, high: number, delta: number): boolean {
  if (!(high < Number.MAX_VALUE) || !(low > 0)) return false;
  return high / low <= (holdsDelta(low, high, delta) ? FINE_RESOLUTION : RESOLUTION);
}

/** 1 − δ or 1 + δ (where `improvement` / `regression` begin) lies strictly inside the interval. */
export function holdsDelta(low: number, high: number, delta: number): boolean {
  return [1 - delta, 1 + delta].some((edge) => edge > low && edge < high);
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
