/**
 * The measurement protocol (DESIGN.md, "Measurement protocol"): fresh process pairs, calibrated
 * batches, warm-up until steady, interleaved rounds in shuffled A B B A / B A A B order,
 * per-round log ratios, a cluster-bootstrap interval over pairs and an adaptive stop. Memory is
 * a separate pass in fresh children, never while timing.
 */
import type { MeasureOptions } from '../core/ports.js';
import { decide, estimateRatio, isSteady, median, seededRandom } from '../core/stats.js';
import type { Comparison, NetworkEvent, ToolError, ToolVersion } from '../core/types.js';
import type { HarnessChild } from './child.js';
import { ToolFailure } from './child.js';
import { cleanup, prepareVersion, startChild } from './launch.js';
import type { LaunchOptions, PreparedVersion } from './launch.js';
import { errorMessage } from '../core/errors.js';

/** Time a tool may overrun the budget before we give up on it (the bound is budget + 5 s). */
export const GRACE_MS = 3000;
const MIN_SAMPLE_NS = 1e6;
const MIN_PAIRS = 4;
const MAX_PAIRS = 40;
/** Stop early only when ci_high / ci_low is at most this. */
const MAX_SPREAD = 1.25;
/** Seed of the bootstrap: results are reproducible from the same samples. */
const SEED = 0x5eed;

/** Everything known about one side (old or new) while measuring. */
export interface Side {
  readonly label: 'old' | 'new';
  readonly prepared: PreparedVersion;
  /** Executable mode: a whole process per call. */
  readonly executable: boolean;
  callsPerSample: number;
  /** Latest known ns per call: sizes request deadlines. */
  perCallEstimate: number;
  readonly perCallNs: number[];
  steadyPairs: number;
  pairs: number;
  timerNs: number;
  error: ToolError | undefined;
  readonly network: Map<string, NetworkEvent>;
  memoryKb: number | null;
}

export function newSide(
  label: 'old' | 'new',
  version: ToolVersion,
  launch: LaunchOptions = {},
): Side {
  return {
    label,
    prepared: prepareVersion(version, label, launch),
    executable: version.mode === 'executable',
    callsPerSample: 0,
    perCallEstimate: 1e6,
    perCallNs: [],
    steadyPairs: 0,
    pairs: 0,
    timerNs: 0,
    error: undefined,
    network: new Map(),
    memoryKb: null,
  };
}

/** Runs `work` on a side's child; a tool failure is stored on the side and yields undefined. */
export async function guarded<T>(side: Side, work: () => Promise<T>): Promise<T | undefined> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ToolFailure) side.error ??= error.toolError;
    else side.error ??= { kind: 'crashed', message: `harness failure: ${String(error)}` };
    return undefined;
  }
}

export class Deadline {
  constructor(readonly at: number) {}
  left(): number {
    return this.at - Date.now();
  }
  /** Timeout for one request: generous for the work expected, never past the budget + grace. */
  timeout(expectedMs: number): number {
    return Math.max(50, Math.min(this.left() + GRACE_MS, Math.max(2000, expectedMs * 20)));
  }
  /** Timeout for a request whose duration is unknown (start-up, the first call). */
  open(): number {
    return Math.max(50, this.left() + GRACE_MS);
  }
}

/** Start a child and read its greeting. */
export async function boot(side: Side, deadline: Deadline): Promise<HarnessChild | undefined> {
  const child = startChild(side.prepared);
  const ok = await guarded(side, async () => {
    const hello = await child.request(undefined, deadline.open());
    side.timerNs = hello.timer_ns ?? side.timerNs;
    return true;
  });
  if (ok === undefined) {
    child.close();
    return undefined;
  }
  return child;
}

/** One timed sample: ns per call. */
export async function sample(side: Side, child: HarnessChild, deadline: Deadline): Promise<number> {
  const n = side.callsPerSample;
  const expectedMs = (side.perCallEstimate * n) / 1e6;
  const reply = await child.request({ op: 'run', n }, deadline.timeout(expectedMs));
  side.perCallEstimate = (reply.ns ?? 0) / n;
  return side.perCallEstimate;
}

/** Double the batch until one sample lasts ≥ 1 ms and ≥ 1000 timer costs. */
export async function calibrate(
  side: Side,
  child: HarnessChild,
  deadline: Deadline,
): Promise<void> {
  const target = Math.max(MIN_SAMPLE_NS, 1000 * side.timerNs);
  let n = 1;
  for (;;) {
    const timeout = n === 1 ? deadline.open() : deadline.timeout((n * side.perCallEstimate) / 1e6);
    const reply = await child.request({ op: 'run', n }, timeout);
    const ns = reply.ns ?? 0;
    side.perCallEstimate = ns / n;
    if (ns >= target || n >= 1e8) break;
    n = Math.min(1e8, n * Math.max(2, Math.min(100, Math.ceil((target / Math.max(ns, 1)) * 1.2))));
  }
  side.callsPerSample = n;
}

/** Sample until the last samples show no trend, within a time cap. True when steady. */
export async function warmUp(
  side: Side,
  child: HarnessChild,
  deadline: Deadline,
  capMs: number,
): Promise<boolean> {
  // A process per call is cold by design: there is nothing to warm, one call primes the caches.
  if (side.executable) {
    await sample(side, child, deadline);
    return true;
  }
  const start = Date.now();
  const seen: number[] = [];
  // Six samples to judge a trend, unless samples are so long that the cap buys fewer.
  const minSamples = side.perCallEstimate * side.callsPerSample > 50e6 ? 2 : 6;
  while (Date.now() - start < capMs || seen.length < minSamples) {
    seen.push(await sample(side, child, deadline));
    if (isSteady(seen, minSamples === 2 ? 1 : 3, 0.03)) return true;
    if (seen.length > 200) break;
  }
  return false;
}

async function collectEvents(side: Side, child: HarnessChild, deadline: Deadline): Promise<void> {
  await guarded(side, async () => {
    const reply = await child.request({ op: 'events' }, deadline.timeout(100));
    for (const event of reply.network ?? [])
      side.network.set(`${event.kind} ${event.target}`, event);
  });
}

/**
 * Memory: the median tracemalloc peak (Python) / heap growth (JS) of three single calls, after
 * the timing of a pair is over. Best effort: a failure here leaves `null`, not an error (the
 * version's timing stands).
 */
async function measureMemory(side: Side, child: HarnessChild, deadline: Deadline): Promise<void> {
  try {
    const peaks: number[] = [];
    // Two calls, not more: tracemalloc slows allocation-heavy Python several-fold.
    for (let i = 0; i < 2; i++) {
      const reply = await child.request(
        { op: 'mem' },
        deadline.timeout((side.perCallEstimate * 10) / 1e6),
      );
      peaks.push(reply.kb ?? 0);
    }
    side.memoryKb = Math.round(median(peaks) * 100) / 100;
  } catch (error) {
    if (!(error instanceof ToolFailure)) throw error;
  }
}

/** Interleave rounds of one fresh process pair; returns its round log ratios. */
async function runPair(
  sides: readonly [Side, Side],
  deadline: Deadline,
  first: boolean,
  pairMs: number,
  random: () => number,
): Promise<{ ratios: number[]; extraMs: number } | undefined> {
  const children: HarnessChild[] = [];
  // Time spent on first-pair-only work (check, calibration, memory): not part of a pair's cost.
  let extraMs = 0;
  try {
    // Both start at once: start-up is most of a pair's overhead.
    const booted = await Promise.all(sides.map((side) => boot(side, deadline)));
    for (const child of booted) if (child !== undefined) children.push(child);
    if (children.length < 2) return undefined;
    const [a, b] = children as [HarnessChild, HarnessChild];
    const [oldSide, newSide] = sides;
    if (first) {
      const extraStart = Date.now();
      for (const [side, child] of [
        [oldSide, a],
        [newSide, b],
      ] as const) {
        const checked = await guarded(side, async () => {
          await child.request({ op: 'check' }, deadline.open());
          await calibrate(side, child, deadline);
          return true;
        });
        if (checked === undefined) return undefined;
      }
      extraMs += Date.now() - extraStart;
    }
    // Warm-up is capped: a tool that never settles is reported (steady_state false), not
    // allowed to eat the budget.
    const warmCap = first ? Math.min(1000, pairMs * 3) : Math.min(300, pairMs / 2);
    for (const [side, child] of [
      [oldSide, a],
      [newSide, b],
    ] as const) {
      const steady = await guarded(side, () => warmUp(side, child, deadline, warmCap));
      if (steady === undefined) return undefined;
      side.pairs++;
      if (steady) side.steadyPairs++;
    }
    const sampleMs =
      Math.max(
        oldSide.callsPerSample * oldSide.perCallEstimate,
        newSide.callsPerSample * newSide.perCallEstimate,
      ) / 1e6;
    // Few rounds per pair, many pairs: between-process variance dominates, so the interval
    // narrows with pairs, not with rounds.
    const minRounds = sampleMs > 50 ? 2 : 4;
    const rounds = Math.max(
      minRounds,
      Math.min(24, Math.floor(pairMs / (4 * Math.max(sampleMs, 0.5)))),
    );
    const ratios: number[] = [];
    for (let r = 0; r < rounds; r++) {
      // A B B A or B A A B: a linear drift inside the round cancels either way.
      const order = random() < 0.5 ? [0, 1, 1, 0] : [1, 0, 0, 1];
      const totals = [0, 0];
      for (const which of order) {
        const side = sides[which as 0 | 1];
        const child = children[which]!;
        const perCall = await guarded(side, () => sample(side, child, deadline));
        if (perCall === undefined) return undefined;
        side.perCallNs.push(perCall);
        totals[which]! += perCall;
      }
      ratios.push(Math.log(totals[1]! / totals[0]!));
    }
    // Memory once, in the first pair after its timing is done (a separate pass: tracemalloc
    // and heap probes never run while a sample is being timed).
    if (first) {
      const extraStart = Date.now();
      await measureMemory(oldSide, a, deadline);
      await measureMemory(newSide, b, deadline);
      extraMs += Date.now() - extraStart;
    }
    await collectEvents(oldSide, a, deadline);
    await collectEvents(newSide, b, deadline);
    return { ratios, extraMs };
  } finally {
    for (const child of children) child.close();
  }
}

/** Measure old and new side by side. Never throws for a tool's misbehaviour. */
export async function comparePair(
  oldVersion: ToolVersion,
  newVersion: ToolVersion,
  options: MeasureOptions,
): Promise<Comparison> {
  try {
    return await measurePair(oldVersion, newVersion, options);
  } catch (error) {
    // Our own failure (no python3, an unwritable temp dir): still a Comparison, never a throw.
    const toolError: ToolError = {
      kind: 'crashed',
      message: `the measurement could not run: ${errorMessage(error)}`,
    };
    const empty = {
      ns_per_call: 0,
      calls_per_sample: 0,
      samples: 0,
      steady_state: false,
      memory_kb: null,
      network: [],
      error: toolError,
    };
    return {
      time: {
        ratio: 1,
        ci_low: 0,
        ci_high: Number.MAX_VALUE,
        confidence_level: options.confidence,
        delta: options.delta,
        change: 'inconclusive',
        pairs: 0,
        rounds: 0,
      },
      memory: { old_kb: null, new_kb: null, ratio: null },
      steady_state: false,
      old: empty,
      new: empty,
      wall_ms: 0,
    };
  }
}

async function measurePair(
  oldVersion: ToolVersion,
  newVersion: ToolVersion,
  options: MeasureOptions,
): Promise<Comparison> {
  const started = Date.now();
  const deadline = new Deadline(started + options.budgetMs);
  const launch = { sandbox: options.sandbox };
  const sides: [Side, Side] = [
    newSide('old', oldVersion, launch),
    newSide('new', newVersion, launch),
  ];
  const random = seededRandom(SEED ^ 0x9e3779b9);
  const pairMs = Math.max(100, Math.min(600, options.budgetMs / 30));
  const pairs: number[][] = [];
  let estimate = estimateRatio([], { confidence: options.confidence, seed: SEED });
  let change = decide(estimate.ciLow, estimate.ciHigh, options.delta);
  try {
    let lastPairMs = 0;
    while (pairs.length < MAX_PAIRS) {
      // Keep room for the memory pass and never start a pair that cannot finish in time.
      if (pairs.length > 0 && deadline.left() < lastPairMs * 1.2 + 100) break;
      const pairStart = Date.now();
      const pair = await runPair(sides, deadline, pairs.length === 0, pairMs, random);
      if (pair === undefined || sides.some((s) => s.error !== undefined)) break;
      lastPairMs = Date.now() - pairStart - pair.extraMs;
      pairs.push(pair.ratios);
      estimate = estimateRatio(pairs, { confidence: options.confidence, seed: SEED });
      change = decide(estimate.ciLow, estimate.ciHigh, options.delta);
      // Settled, and the interval is tight enough to quote (a 2× regression whose interval
      // reaches down to 1.1 is settled but says little about how large it is).
      const tight = estimate.ciHigh / estimate.ciLow <= MAX_SPREAD;
      if (pairs.length >= MIN_PAIRS && change !== 'inconclusive' && tight) break;
    }
  } finally {
    for (const side of sides) cleanup(side.prepared);
  }
  const failed = sides.some((s) => s.error !== undefined);
  if (failed || pairs.length < MIN_PAIRS) change = 'inconclusive';
  const [oldSide, newSideStats] = sides;
  const memoryRatio =
    oldSide.memoryKb !== null && newSideStats.memoryKb !== null && oldSide.memoryKb > 0
      ? newSideStats.memoryKb / oldSide.memoryKb
      : null;
  return {
    time: {
      ratio: failed ? 1 : estimate.ratio,
      ci_low: failed ? 0 : estimate.ciLow,
      ci_high: failed ? Number.MAX_VALUE : estimate.ciHigh,
      confidence_level: options.confidence,
      delta: options.delta,
      change,
      pairs: estimate.pairs,
      rounds: estimate.rounds,
    },
    memory: { old_kb: oldSide.memoryKb, new_kb: newSideStats.memoryKb, ratio: memoryRatio },
    steady_state: sides.every((s) => s.pairs > 0 && s.steadyPairs * 2 >= s.pairs),
    old: versionStats(oldSide),
    new: versionStats(newSideStats),
    wall_ms: Date.now() - started,
    sandbox: oldSide.prepared.sandbox,
  };
}

export function versionStats(side: Side): Comparison['old'] {
  return {
    ns_per_call: side.perCallNs.length > 0 ? median(side.perCallNs) : 0,
    calls_per_sample: side.callsPerSample,
    samples: side.perCallNs.length,
    steady_state: side.pairs > 0 && side.steadyPairs * 2 >= side.pairs,
    memory_kb: side.memoryKb,
    network: [...side.network.values()],
    ...(side.error === undefined ? {} : { error: side.error }),
  };
}
