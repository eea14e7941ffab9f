/**
 * The measurement protocol (docs/measurement.md): fresh process pairs, a cold first call in each,
 * calibrated batches, warm-up until steady, interleaved rounds in shuffled A B B A / B A A B
 * order, per-round log ratios, a confidence sequence over pairs (valid at any stopping time) and
 * a stop as soon as the interval lies between two decision edges. Memory is a separate pass,
 * never while timing.
 */
import { randomInt } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { NEGLIGIBLE_SLOWDOWN, decisionEdges } from '../verdict/policy.js';
import type { MeasureOptions } from '../domain/ports.js';
import {
  decide,
  estimateRatio,
  isSteady,
  median,
  optimalRounds,
  seededRandom,
  settledBetweenEdges,
  atResolution,
  holdsDelta,
  tInterval,
  varianceBudget,
} from './stats.js';
import type { PairRecord } from './stats.js';
import type {
  ColdComparison,
  Comparison,
  MeasurementDiagnostics,
  NetworkEvent,
  StopReason,
  TestCase,
  ToolError,
  ToolVersion,
} from '../domain/types.js';
import { MIN_PAIRS } from '../domain/types.js';
import type { HarnessChild, Reply } from './child.js';
import { compareOutputs, reportedFailure } from './outputs.js';
import type { InputAnswers } from './outputs.js';
import { ToolFailure } from './child.js';
import { cleanup, prepareVersion, runnableOf, startChild } from './launch.js';
import type { RunnableScript } from '../analyze/transpile.js';
import { allowedCpus, placementHere, placementPrefix } from './placement.js';
import type { Placement } from './placement.js';
import type { LaunchOptions, PreparedVersion } from './launch.js';
import { DEFAULT_TUNING } from './tuning.js';
import type { MeasureTuning } from './tuning.js';
import {
  newTally,
  observedFigures,
  readings,
  residentKb,
  tallyRounds,
  tamperings,
} from './observe.js';
import type { RoundsReport, Tally } from './observe.js';
import { errorMessage } from '../domain/errors.js';
import { interpretedDeadlineMs, interpretedEvidence, runInterpretedPairs } from './first-calls.js';
import type { InterpretedRun } from './first-calls.js';

/** Refining an interval that holds 1 ± δ: at most this share of the budget, and this long. */
const REFINE = { share: 0.3, maxMs: 6000 } as const;
/** Sample-to-sample sd (log) above which the machine is called busy. */
const BUSY_SAMPLE_SD = 0.1;
/** Time a tool may overrun the budget before we give up on it (the bound is budget + 5 s). */
const GRACE_MS = 3000;
/** A timed sample lasts at least this long (and ≥ 1000 timer costs). */
const MIN_SAMPLE_NS = 2e6;
const MAX_PAIRS = 80;
/**
 * Rounds per pair: the first (pilot) pair runs `pilot`; later pairs run the variance budget's
 * optimum kept in [min, max], chosen from the pilot pair alone with the personality sd assumed at
 * `personalityPrior` (this VM's floor: ±1 %).
 */
const ROUNDS = { pilot: 12, min: 4, max: 64, personalityPrior: 0.005 } as const;

/** Everything known about one side (old or new) while measuring. */
export interface Side {
  readonly label: 'old' | 'new';
  readonly prepared: PreparedVersion;
  /**
   * A whole process per call: JS/TS executable-mode tools. (Python executable-mode tools run
   * their script in the harness's own process, once per call: see harness/python.py.)
   */
  readonly processPerCall: boolean;
  callsPerSample: number;
  /** Latest known ns per call: sizes request deadlines. */
  perCallEstimate: number;
  readonly perCallNs: number[];
  steadyPairs: number;
  pairs: number;
  timerNs: number;
  /** The runtime the harness greeted with (`Python 3.11.7`, `Node v24.11.1`); null: not said. */
  runtime: string | null;
  /** First call in each fresh process, ns. */
  readonly coldNs: number[];
  error: ToolError | undefined;
  readonly network: Map<string, NetworkEvent>;
  memoryKb: number | null;
  /** Its harness's figures beside the gate's own (src/measure/observe.ts). */
  readonly tally: Tally;
  /** The answer of each fresh process's first call (outputs.ts compares them). */
  readonly outputs: string[];
}

/**
 * A side for each (label, version). Every TS/JS version is parsed first (`runnableOf`), so one that
 * cannot be parsed in time rejects before any side has a directory to clean up.
 */
export async function newSides(
  versions: readonly (readonly ['old' | 'new', ToolVersion])[],
  launch: LaunchOptions = {},
): Promise<Side[]> {
  const scripts = await Promise.all(versions.map(([, version]) => runnableOf(version)));
  return versions.map(([label, version], i) => newSide(label, version, scripts[i]!, launch));
}

function newSide(
  label: 'old' | 'new',
  version: ToolVersion,
  script: RunnableScript | null,
  launch: LaunchOptions,
): Side {
  return {
    label,
    prepared: prepareVersion(version, script, launch),
    processPerCall: version.mode === 'executable' && version.language !== 'python',
    callsPerSample: 0,
    perCallEstimate: 1e6,
    perCallNs: [],
    steadyPairs: 0,
    pairs: 0,
    timerNs: 0,
    runtime: null,
    coldNs: [],
    error: undefined,
    network: new Map(),
    memoryKb: null,
    tally: newTally(),
    outputs: [],
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

/** What a runtime name may look like: the harness's words, checked before they reach a report. */
const RUNTIME = /^(Python|Node) v?\d{1,3}(\.\d{1,4}){1,3}$/;

/** Start a child and read its greeting. */
export async function boot(
  side: Side,
  deadline: Deadline,
  prefix: readonly string[] = [],
): Promise<HarnessChild | undefined> {
  const child = startChild(side.prepared, prefix);
  const ok = await guarded(side, async () => {
    const hello = await child.request(undefined, deadline.open());
    side.timerNs = hello.timer_ns ?? side.timerNs;
    if (typeof hello.runtime === 'string' && RUNTIME.test(hello.runtime))
      side.runtime = hello.runtime;
    if (side.prepared.tuning.observe) child.observe();
    return true;
  });
  if (ok === undefined) {
    child.close();
    return undefined;
  }
  return child;
}

/**
 * One `run` request of `n` calls, and its round trip as the gate timed it (ns). A reply for
 * another number of calls than requested (the request was rewritten inside the tool's process)
 * is noted on the side's tally.
 */
async function run(
  side: Side,
  child: HarnessChild,
  n: number,
  timeoutMs: number,
): Promise<{ reply: Reply; roundTripNs: number }> {
  const start = process.hrtime.bigint();
  const reply = await child.request({ op: 'run', n }, timeoutMs);
  const roundTripNs = Number(process.hrtime.bigint() - start);
  if (reply.n !== n) side.tally.calls ??= [n, typeof reply.n === 'number' ? reply.n : -1];
  return { reply, roundTripNs };
}

/**
 * The first call in a fresh process, timed alone: its answer is kept, and an answer that says the
 * tool failed (`{"success": false}`) is that side's failure.
 */
export async function checkCall(
  side: Side,
  child: HarnessChild,
  deadline: Deadline,
): Promise<Reply> {
  const reply = await child.request({ op: 'check' }, deadline.open());
  if (reply.output !== undefined) {
    side.outputs.push(reply.output);
    const failed = reportedFailure(reply.output);
    if (failed !== null) throw new ToolFailure(failed);
  }
  return reply;
}

/** One timed sample: ns per call. */
export async function sample(side: Side, child: HarnessChild, deadline: Deadline): Promise<number> {
  const n = side.callsPerSample;
  const expectedMs = (side.perCallEstimate * n) / 1e6;
  const { reply } = await run(side, child, n, deadline.timeout(expectedMs));
  side.perCallEstimate = (reply.ns ?? 0) / n;
  return side.perCallEstimate;
}

/** One timed sample of the rounds: wall and CPU ns per call (CPU null when not measured). */
async function timedSample(
  side: Side,
  child: HarnessChild,
  deadline: Deadline,
): Promise<TimedSample> {
  const n = side.callsPerSample;
  const { reply, roundTripNs } = await run(
    side,
    child,
    n,
    deadline.timeout((side.perCallEstimate * n) / 1e6),
  );
  side.perCallEstimate = (reply.ns ?? 0) / n;
  const cpu = typeof reply.cpu_ns === 'number' ? reply.cpu_ns / n : null;
  return {
    wall: side.perCallEstimate,
    cpu,
    waits: reply.waits ?? null,
    reportedNs: reply.ns ?? 0,
    roundTripNs,
  };
}

/**
 * Per call: wall and CPU ns (CPU null when not measured); the sample's voluntary switches; the
 * whole sample's reported wall time and its round trip as the gate timed it, ns.
 */
interface TimedSample {
  readonly wall: number;
  readonly cpu: number | null;
  readonly waits: number | null;
  readonly reportedNs: number;
  readonly roundTripNs: number;
}

/** Which clock the rounds compare: chosen once, from the pilot pair. */
type Timer = 'cpu' | 'wall';

/** A tool whose samples always spend more than this share off the CPU waits: wall time. */
const WAIT_SHARE = 0.2;

/**
 * The clock for the whole comparison, from the pilot pair's samples. CPU time (the process's,
 * all threads) leaves out the time the scheduler gave to other processes, the main noise on a
 * shared machine. But a tool that waits (sleep, I/O, a timer) spends that time off the CPU, and
 * a version that waits longer must still look slower: when any sample of either side never
 * gets below WAIT_SHARE off-CPU (its least wall − CPU over wall) *and* every such sample waited
 * (a voluntary context switch: sleep, I/O, a join), the comparison uses wall time. Off-CPU time
 * without a single voluntary switch is preemption by other processes (a busy machine: with two
 * busy loops beside a pair on one CPU every sample is ~50 % off the CPU), which must not force
 * the wall clock: under it, one A/A run of 20 read 1.54× (issue 12, --noisy 2).
 * Executable mode (no CPU times) uses wall time; so does every pair under the tuning knob
 * `timer: 'wall'` (bench comparisons), which never asks.
 */
export function chooseTimer(
  sides: readonly (readonly Pick<TimedSample, 'wall' | 'cpu' | 'waits'>[])[],
): Timer {
  for (const samples of sides) {
    if (samples.length === 0 || samples.some((s) => s.cpu === null)) return 'wall';
    const waited = samples.every(
      (s) => (s.wall - (s.cpu ?? 0)) / s.wall > WAIT_SHARE && (s.waits === null || s.waits >= 1),
    );
    if (waited) return 'wall';
  }
  return 'cpu';
}

/** The least CPU time of one timed sample: ≥ MIN_SAMPLE_NS and ≥ 1000 timer costs. */
const sampleTarget = (side: Side): number => Math.max(MIN_SAMPLE_NS, 1000 * side.timerNs);

/** Double the batch until one sample lasts ≥ 2 ms and ≥ 1000 timer costs (a first, cold size). */
export async function calibrate(
  side: Side,
  child: HarnessChild,
  deadline: Deadline,
): Promise<void> {
  const target = sampleTarget(side);
  let n = 1;
  for (;;) {
    const timeout = n === 1 ? deadline.open() : deadline.timeout((n * side.perCallEstimate) / 1e6);
    const { reply } = await run(side, child, n, timeout);
    const wall = reply.ns ?? 0;
    side.perCallEstimate = wall / n;
    // Size by CPU time when there is one (on a busy machine wall time would over-size samples),
    // but never below a quarter of wall time: a tool that sleeps uses almost no CPU.
    const ns = typeof reply.cpu_ns === 'number' ? Math.max(reply.cpu_ns, wall / 4) : wall;
    if (ns >= target || n >= 1e8) break;
    n = Math.min(1e8, n * Math.max(2, Math.min(100, Math.ceil((target / Math.max(ns, 1)) * 1.2))));
  }
  side.callsPerSample = n;
}

/** Warm samples that size the batch again (their median cost per call). */
const RESIZE_SAMPLES = 3;

/**
 * Size the batch again once the side is warm: calibrate() sizes it on the first calls, which run
 * in the interpreter (10–30× the warm cost per call under Node) or are stretched by preemption
 * on a busy machine (a quarter of wall time), so warm samples came out 10–200× shorter than
 * 2 ms, down to one call per sample. Each sample also carries a fixed cost of ~2–3 µs CPU (the
 * clock and rusage calls, the collector's threads after the minor GC), so per-call times were
 * diluted and, with different batches on the two sides, shifted: issue 28's +5 % loop read 1.00
 * (docs/measurement.md, "Agreement with a plain loop"). Here: the median of RESIZE_SAMPLES
 * warm samples, by CPU time unless the sample waited (a voluntary switch: then never below a
 * quarter of wall time, as a sleeping tool needs), with a fifth to spare.
 */
async function resize(side: Side, child: HarnessChild, deadline: Deadline): Promise<void> {
  if (side.processPerCall) return;
  const costs: number[] = [];
  for (let i = 0; i < RESIZE_SAMPLES; i++) {
    const s = await timedSample(side, child, deadline);
    const waited = s.waits === null || s.waits >= 1;
    costs.push(s.cpu === null ? s.wall : waited ? Math.max(s.cpu, s.wall / 4) : s.cpu);
  }
  const perCall = Math.max(median(costs), 1);
  side.callsPerSample = Math.min(1e8, Math.max(1, Math.ceil((sampleTarget(side) / perCall) * 1.2)));
}

/**
 * Sizes within this factor of each other become one: both sides' larger. Beyond it the two
 * versions differ so much in speed that a batch per side changes no decision, and one batch
 * would stretch the slower side's samples past the factor.
 */
const ONE_BATCH_WITHIN = 4;

/**
 * Both sides time the same number of calls per sample (the larger of their sizes), unless the
 * sizes are more than ONE_BATCH_WITHIN apart. An allocating tool's time per call depends on the
 * batch: whether a sample holds a scavenge, and how many, is the batch's allocation against the
 * young generation, and the rounds' median weighs samples with and without one by that. Sized
 * per side from three warm samples each, the two sides' batches came out up to 2× apart at
 * random, and the array builder's A/A read 0.946 (`improvement`) at 536 calls per sample
 * against 259, 1.072 at 256 against 280 (issue 28; docs/measurement.md).
 */
function oneBatch(...sides: readonly [Side, Side]): void {
  if (sides.some((side) => side.processPerCall)) return;
  const sizes = sides.map((side) => side.callsPerSample);
  const [low, high] = [Math.min(...sizes), Math.max(...sizes)];
  if (high > ONE_BATCH_WITHIN * low) return;
  for (const side of sides) side.callsPerSample = high;
}

/** Sample until the last samples show no trend, within a time cap. True when steady. */
export async function warmUp(
  side: Side,
  child: HarnessChild,
  deadline: Deadline,
  capMs: number,
): Promise<boolean> {
  // A process per call is cold by design: there is nothing to warm, one call primes the caches.
  if (side.processPerCall) {
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

/** What one pair measured and what it cost. */
interface PairResult extends PairRecord {
  /** First-pair-only work (check, calibration, memory): not part of a pair's cost. */
  readonly extraMs: number;
  readonly bootMs: number;
  readonly warmMs: number;
  /** Wall time of the timed rounds. */
  readonly roundsMs: number;
  readonly timer: Timer;
  /** The first and the second call in each fresh process, ns: [old, new]. */
  readonly firstCalls: readonly [number, number];
  readonly secondCalls: readonly [number, number];
}

/** How one pair is run: its rounds, the order coin, the clock, where its children run. */
interface PairPlan {
  readonly first: boolean;
  readonly rounds: number;
  readonly random: () => number;
  readonly timer: Timer | undefined;
  /** The command prefix placing both children (one CPU, ASLR off): placement.ts. */
  readonly prefix: readonly string[];
}

/** `work` on both sides in turn; false as soon as one fails (the failure is on the side). */
async function onEachSide(
  withChild: readonly (readonly [Side, HarnessChild])[],
  work: (side: Side, child: HarnessChild) => Promise<void>,
): Promise<boolean> {
  for (const [side, child] of withChild) {
    const ok = await guarded(side, async () => {
      await work(side, child);
      return true;
    });
    if (ok === undefined) return false;
  }
  return true;
}

/** A pair's rounds as the harness reported them, summed over one side's samples. */
function reportedRounds(side: Side, samples: readonly TimedSample[]): RoundsReport {
  const sum = (f: (s: TimedSample) => number): number => samples.reduce((t, s) => t + f(s), 0);
  const calls = samples.length * side.callsPerSample;
  return {
    cpuNs: samples.every((s) => s.cpu !== null)
      ? sum((s) => s.cpu ?? 0) * side.callsPerSample
      : null,
    calls,
    wallNs: sum((s) => s.reportedNs),
    roundTripNs: sum((s) => s.roundTripNs),
  };
}

/** The peak resident set's growth since the harness greeted, read after the memory pass. */
function tallyMemory(side: Side, child: HarnessChild): void {
  const now = residentKb(child.harnessPid);
  if (now !== null && child.greetedRssKb !== null)
    side.tally.memoryGrowthKb = Math.max(0, now.peak - child.greetedRssKb);
}

/** Interleave `rounds` rounds of one fresh process pair. */
async function runPair(
  sides: readonly [Side, Side],
  deadline: Deadline,
  plan: PairPlan,
): Promise<PairResult | undefined> {
  const { first, rounds, random, timer } = plan;
  const children: HarnessChild[] = [];
  let extraMs = 0;
  try {
    // Both start at once: start-up is most of a pair's overhead. The order in which they are
    // started is a coin too: nothing about a side may depend on its being `old`.
    const bootStart = Date.now();
    const bootOrder = random() < 0.5 ? [0, 1] : [1, 0];
    const starting: Promise<HarnessChild | undefined>[] = [];
    for (const which of bootOrder)
      starting[which] = boot(sides[which as 0 | 1], deadline, plan.prefix);
    const booted = await Promise.all(starting);
    for (const child of booted) if (child !== undefined) children.push(child);
    if (children.length < 2) return undefined;
    const bootMs = Date.now() - bootStart;
    const [a, b] = children as [HarnessChild, HarnessChild];
    const [oldSide, newSide] = sides;
    const withChild = [
      [oldSide, a],
      [newSide, b],
    ] as const;
    // The first and the second call in a fresh process, each timed alone (policy.ts weighs them
    // against the steady state: state carried across calls). In the first pair the first call is
    // also the check that the result is JSON, and the second answer the check for
    // nondeterminism (outputs.ts). Order alternates so neither side always goes first. Where one
    // side fails, the other still answers: both failing is "no working input", with each side's
    // message.
    const coldOrder = random() < 0.5 ? [0, 1] : [1, 0];
    const calls: [[number, number], [number, number]] = [
      [0, 0],
      [0, 0],
    ];
    let callFailed = false;
    for (const nth of calls)
      for (const which of coldOrder) {
        const [side, child] = withChild[which as 0 | 1];
        if (side.error !== undefined) continue;
        const reply = await guarded(side, () => checkCall(side, child, deadline));
        if (reply === undefined) callFailed = true;
        else nth[which as 0 | 1] = reply.ns ?? 0;
      }
    if (callFailed) return undefined;
    oldSide.coldNs.push(calls[0][0]);
    newSide.coldNs.push(calls[0][1]);
    if (first) {
      const extraStart = Date.now();
      const sized = await onEachSide(withChild, (side, child) => calibrate(side, child, deadline));
      if (!sized) return undefined;
      extraMs += Date.now() - extraStart;
    }
    // Warm-up is capped: a tool that never settles is reported (steady_state false), not
    // allowed to eat the budget.
    const warmStart = Date.now();
    const warmCap = first ? Math.min(1000, Math.max(300, deadline.left() / 10)) : 300;
    // Warm-up order is a coin as well: the side warmed last starts the rounds with a hot cache.
    const warmOrder = random() < 0.5 ? [withChild[0], withChild[1]] : [withChild[1], withChild[0]];
    for (const [side, child] of warmOrder) {
      const steady = await guarded(side, () => warmUp(side, child, deadline, warmCap));
      if (steady === undefined) return undefined;
      side.pairs++;
      if (steady) side.steadyPairs++;
    }
    const warmMs = Date.now() - warmStart;
    if (first) {
      const extraStart = Date.now();
      if (!(await onEachSide(withChild, (side, child) => resize(side, child, deadline))))
        return undefined;
      oneBatch(oldSide, newSide);
      extraMs += Date.now() - extraStart;
    }
    const roundsStart = Date.now();
    // Samples in time order per side; each round adds two to each.
    const samples: [TimedSample[], TimedSample[]] = [[], []];
    const before = readings([a.harnessPid, b.harnessPid]);
    for (let r = 0; r < rounds; r++) {
      // Never run past the budget mid-pair; a pair with ≥ 2 rounds still counts.
      if (r >= 2 && deadline.left() <= 0) break;
      // A B B A or B A A B: a linear drift inside the round cancels either way.
      const order = random() < 0.5 ? [0, 1, 1, 0] : [1, 0, 0, 1];
      for (const which of order) {
        const [side, child] = withChild[which as 0 | 1];
        const timed = await guarded(side, () => timedSample(side, child, deadline));
        if (timed === undefined) return undefined;
        side.perCallNs.push(timed.wall);
        samples[which as 0 | 1].push(timed);
      }
    }
    const roundsMs = Date.now() - roundsStart;
    const after = readings([a.harnessPid, b.harnessPid]);
    tallyRounds(oldSide.tally, reportedRounds(oldSide, samples[0]), before[0]!, after[0]!);
    tallyRounds(newSide.tally, reportedRounds(newSide, samples[1]), before[1]!, after[1]!);
    const chosen = timer ?? chooseTimer(samples);
    const pick = (s: TimedSample): number => (chosen === 'cpu' && s.cpu !== null ? s.cpu : s.wall);
    const [ta, tb] = [samples[0].map(pick), samples[1].map(pick)];
    const ratios: number[] = [];
    const repeats: number[] = [];
    for (let r = 0; 2 * r + 1 < ta.length; r++) {
      const [a1, a2, b1, b2] = [ta[2 * r]!, ta[2 * r + 1]!, tb[2 * r]!, tb[2 * r + 1]!];
      ratios.push(Math.log((b1 + b2) / (a1 + a2)));
      repeats.push(Math.log(a2 / a1), Math.log(b2 / b1));
    }
    // Memory once, in the first pair after its timing is done (a separate pass: tracemalloc
    // and heap probes never run while a sample is being timed).
    if (first) {
      const extraStart = Date.now();
      // One more answer after the timed calls: a version that answers right only on the first
      // calls of a process (where answers used to be checked) and cheaply after varies here.
      const checked = await onEachSide(withChild, async (side, child) => {
        await checkCall(side, child, deadline);
      });
      if (!checked) return undefined;
      await measureMemory(oldSide, a, deadline);
      await measureMemory(newSide, b, deadline);
      tallyMemory(oldSide, a);
      tallyMemory(newSide, b);
      extraMs += Date.now() - extraStart;
    }
    await collectEvents(oldSide, a, deadline);
    await collectEvents(newSide, b, deadline);
    return {
      rounds: ratios,
      repeats,
      extraMs,
      bootMs,
      warmMs,
      roundsMs,
      timer: chosen,
      firstCalls: calls[0],
      secondCalls: calls[1],
    };
  } finally {
    for (const child of children) child.close();
  }
}

/** Measure old and new side by side. Never throws for a tool's misbehaviour. */
export async function comparePair(
  oldVersion: ToolVersion,
  newVersion: ToolVersion,
  options: MeasureOptions,
  tuning: MeasureTuning = DEFAULT_TUNING,
): Promise<Comparison> {
  return (await measureOnInput(oldVersion, newVersion, options, tuning)).comparison;
}

/**
 * comparePair, and both versions' answers to the input (src/measure/compare.ts compares them
 * with their answers to the tool's other inputs). Never throws for a tool's misbehaviour.
 */
export async function measureOnInput(
  oldVersion: ToolVersion,
  newVersion: ToolVersion,
  options: MeasureOptions,
  tuning: MeasureTuning = DEFAULT_TUNING,
): Promise<{ readonly comparison: Comparison; readonly answers: InputAnswers }> {
  try {
    return await measurePair(oldVersion, newVersion, options, tuning);
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
    const comparison: Comparison = {
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
    return { comparison, answers: { old: [], new: [] } };
  }
}

/** Duration of one timed sample of the slower side, ms. */
function sampleMs(sides: readonly [Side, Side]): number {
  return Math.max(...sides.map((s) => (s.callsPerSample * s.perCallEstimate) / 1e6), 0.01);
}

async function measurePair(
  oldVersion: ToolVersion,
  newVersion: ToolVersion,
  options: MeasureOptions,
  tuning: MeasureTuning,
): Promise<{ readonly comparison: Comparison; readonly answers: InputAnswers }> {
  const started = Date.now();
  const load = loadavg()[0] ?? 0;
  const deadline = new Deadline(started + options.budgetMs);
  const launch = { sandbox: options.sandbox, tuning };
  const [older, newer] = await newSides(
    [
      ['old', oldVersion],
      ['new', newVersion],
    ],
    launch,
  );
  const sides: [Side, Side] = [older!, newer!];
  // A fresh seed per comparison (recorded in the diagnostics): a fixed one gave every comparison
  // the same order of cold calls and rounds, so an order effect repeated in every run.
  const seed = randomInt(0, 2 ** 31);
  const random = seededRandom(seed);
  const placement = placementHere(tuning);
  // The clock is chosen once, from the pilot pair's samples, unless the tuning fixes it.
  const fixedTimer = tuning.timer === 'wall' ? 'wall' : undefined;
  const cpuList = allowedCpus();
  const firstCpu = cpuList.length > 0 ? randomInt(0, cpuList.length) : 0;
  const edges = decisionEdges(options.delta, options.maxSlowdown ?? null);
  // One pair takes at most a tenth of the budget and ~1.2 s: the interval narrows with pairs
  // (its multiplier falls from 13.8 at 4 pairs to 5.3 at 10), so pairs must come quickly.
  const pairCapMs = Math.max(300, Math.min(options.budgetMs / 10, 1200));
  const refineMs = Math.min(REFINE.maxMs, options.budgetMs * REFINE.share);
  const records: PairResult[] = [];
  let estimate = estimateRatio([], { confidence: options.confidence });
  let change = decide(estimate.ciLow, estimate.ciHigh, options.delta);
  let stopped: StopReason = 'max_pairs';
  let rounds: number = ROUNDS.pilot;
  let interpreted: InterpretedRun | undefined;
  try {
    let lastPairMs = 0;
    while (records.length < MAX_PAIRS) {
      // Never start a pair that cannot finish in time.
      if (records.length > 0 && deadline.left() < lastPairMs * 1.1 + 50) {
        stopped = 'budget';
        break;
      }
      const first = records.length === 0;
      const roundMs = 4 * sampleMs(sides) + 1;
      // A pair's rounds fit its share of the time left: the interval needs MIN_PAIRS pairs, so
      // until then the pairs still to come split what is left (on a busy machine a start-up
      // alone can take 0.5 s).
      const shareMs = Math.min(
        pairCapMs,
        deadline.left() / Math.max(1, MIN_PAIRS + 1 - records.length),
      );
      const roundsByTime = first
        ? ROUNDS.pilot
        : Math.floor((shareMs - median(records.map((r) => r.bootMs + r.warmMs))) / roundMs);
      const pairRounds = Math.max(2, Math.min(rounds, roundsByTime));
      const pairStart = Date.now();
      // Both children of a pair on one CPU; the CPU rotates from pair to pair.
      const cpu =
        cpuList.length > 0 ? cpuList[(firstCpu + records.length) % cpuList.length]! : null;
      const pair = await runPair(sides, deadline, {
        first,
        rounds: pairRounds,
        random,
        timer: records[0]?.timer ?? fixedTimer,
        prefix: placementPrefix(placement, cpu),
      });
      if (pair === undefined || sides.some((s) => s.error !== undefined)) {
        stopped = 'failed';
        break;
      }
      lastPairMs = Date.now() - pairStart - pair.extraMs;
      records.push(pair);
      if (first) {
        // Rounds per pair from the pilot: round noise and pair cost measured, personality
        // assumed at this VM's floor until pairs show it. Fixed from here on, so that pairs
        // stay identically distributed (the confidence sequence assumes it).
        const budget = varianceBudget([pair]);
        rounds = optimalRounds(
          { round_sd: budget.round_sd, personality_sd: ROUNDS.personalityPrior },
          pair.bootMs + pair.warmMs,
          pair.roundsMs / Math.max(1, pair.rounds.length),
          ROUNDS,
        );
      }
      estimate = estimateRatio(
        records.map((r) => r.rounds),
        { confidence: options.confidence },
      );
      change = decide(estimate.ciLow, estimate.ciHigh, options.delta);
      // Stop on the decision: the interval lies between two decision edges (no further pair can
      // change the verdict), or it is as narrow as it is worth making (atResolution: ±2 %, or
      // ±1 % while it still holds 1 ± δ, the edge of `regression` itself). Inside the "no
      // slowdown worth reviewing" region an interval that still holds 1 ± δ is refined while it
      // is cheap (the first REFINE share of the budget, at most 6 s): a same-speed change then
      // ends `unchanged` at ±1 % and a +3 % change `regression`, instead of both `inconclusive`.
      const { ciLow, ciHigh } = estimate;
      const refining = holdsDelta(ciLow, ciHigh, options.delta) && Date.now() - started < refineMs;
      if (
        records.length >= MIN_PAIRS &&
        ((!refining && settledBetweenEdges(ciLow, ciHigh, edges, NEGLIGIBLE_SLOWDOWN)) ||
          atResolution(ciLow, ciHigh, options.delta))
      ) {
        stopped = 'decided';
        break;
      }
    }
    // JS/TS: the first calls again, in interpreter-only pairs (first-calls.ts), under their own
    // time cap once the steady-state pairs are done.
    if (records.length > 0 && sides.every((s) => s.error === undefined && interpretable(s)))
      interpreted = await runInterpretedPairs(sides, {
        prefix: (pair) =>
          placementPrefix(
            placement,
            cpuList.length > 0 ? cpuList[(firstCpu + pair) % cpuList.length]! : null,
          ),
        random,
        deadline: new Deadline(interpretedDeadlineMs()),
      });
  } finally {
    for (const side of sides) cleanup(side.prepared);
  }
  const failed = sides.some((s) => s.error !== undefined);
  if (failed) stopped = 'failed';
  // What the gate saw itself rules a reported figure out: the measurement is void.
  const tampered = sides.flatMap((s) => tamperings(s.label, s.tally, s.memoryKb));
  if (failed || records.length < MIN_PAIRS) change = 'inconclusive';
  const [oldSide, newSideStats] = sides;
  const memoryRatio =
    oldSide.memoryKb !== null && newSideStats.memoryKb !== null && oldSide.memoryKb > 0
      ? newSideStats.memoryKb / oldSide.memoryKb
      : null;
  const cold = coldOf(oldSide, newSideStats, records, options.confidence, interpreted);
  const answers = answersOf(oldSide, newSideStats, options.cases?.[0]?.expected);
  const outputs = compareOutputs([answers]);
  const comparison: Comparison = {
    time: {
      ratio: failed ? 1 : estimate.ratio,
      ci_low: failed ? 0 : estimate.ciLow,
      ci_high: failed ? Number.MAX_VALUE : estimate.ciHigh,
      confidence_level: options.confidence,
      delta: options.delta,
      change,
      pairs: estimate.pairs,
      rounds: estimate.rounds,
      pair_ratios: failed ? [] : records.map((r) => Math.exp(median(r.rounds))),
    },
    memory: { old_kb: oldSide.memoryKb, new_kb: newSideStats.memoryKb, ratio: memoryRatio },
    steady_state: sides.every((s) => s.pairs > 0 && s.steadyPairs * 2 >= s.pairs),
    old: versionStats(oldSide),
    new: versionStats(newSideStats),
    wall_ms: Date.now() - started,
    sandbox: oldSide.prepared.sandbox,
    ...(cold === undefined ? {} : { cold }),
    diagnostics: diagnostics(records, stopped, sampleMs(sides), load, placement, seed),
    ...(tampered.length === 0 ? {} : { tampered }),
    ...(outputs === null ? {} : { outputs }),
  };
  return { comparison, answers };
}

/**
 * The first call of each version in a fresh process (its median), and beside the steady state
 * what policy.ts needs to judge state carried across calls: the interval of the first calls'
 * ratio new/old over the pairs (each pair's log ratio one observation, at the comparison's
 * confidence) and the median ratio of the second calls.
 */
function coldOf(
  base: Side,
  head: Side,
  records: readonly PairResult[],
  confidence: number,
  run: InterpretedRun | undefined,
): ColdComparison | undefined {
  if (base.coldNs.length === 0 || head.coldNs.length === 0) return undefined;
  const [oldNs, newNs] = [median(base.coldNs), median(head.coldNs)];
  const timed = (calls: readonly [number, number]): boolean => calls[0] > 0 && calls[1] > 0;
  const firsts = records.map((r) => r.firstCalls).filter(timed);
  const seconds = records.map((r) => r.secondCalls).filter(timed);
  const interval = tInterval(
    firsts.map(([o, n]) => Math.log(n / o)),
    confidence,
  );
  const interpreted =
    run === undefined
      ? undefined
      : interpretedEvidence(run, records[0]?.timer ?? 'wall', confidence);
  return {
    old_ns: Math.round(oldNs),
    new_ns: Math.round(newNs),
    ratio: oldNs > 0 ? newNs / oldNs : null,
    ...(interval === null ? {} : { ci_low: interval.low, ci_high: interval.high }),
    ...(seconds.length === 0 ? {} : { second_ratio: median(seconds.map(([o, n]) => n / o)) }),
    ...(interpreted === undefined ? {} : { interpreted }),
  };
}

/** A side whose first calls interpreter-only pairs can time: JS/TS, a process per harness. */
const interpretable = (side: Side): boolean =>
  side.prepared.interpreterArgs !== null && !side.processPerCall;

/** What both sides answered to their input: a side that failed has no answer, only its error. */
export function answersOf(
  oldSide: Side,
  newSide: Side,
  expected: TestCase['expected'],
): InputAnswers {
  const answered = (s: Side): readonly string[] => (s.error === undefined ? s.outputs : []);
  return {
    old: answered(oldSide),
    new: answered(newSide),
    ...(oldSide.error === undefined ? {} : { oldError: oldSide.error }),
    ...(newSide.error === undefined ? {} : { newError: newSide.error }),
    ...(expected === undefined ? {} : { expected }),
  };
}

const round4 = (x: number): number => Math.round(x * 1e4) / 1e4;

function diagnostics(
  records: readonly PairResult[],
  stopped: StopReason,
  sampleLength: number,
  load: number,
  placement: Placement,
  seed: number,
): MeasurementDiagnostics {
  const budget = varianceBudget(records);
  const med = (xs: number[]): number => (xs.length > 0 ? median(xs) : 0);
  const cpuCount = cpus().length;
  return {
    stopped,
    timer: records[0]?.timer ?? 'wall',
    sample_sd: round4(budget.sample_sd),
    round_sd: round4(budget.round_sd),
    pair_sd: round4(budget.pair_sd),
    personality_sd: round4(budget.personality_sd),
    boot_ms: med(records.map((r) => r.bootMs)),
    warmup_ms: med(records.map((r) => r.warmMs)),
    rounds_per_pair: med(records.map((r) => r.rounds.length)),
    pair_ms: med(records.map((r) => r.bootMs + r.warmMs + r.roundsMs)),
    sample_ms: Math.round(sampleLength * 1000) / 1000,
    // A machine with more runnable work than CPUs, or samples noisier than ±10 %, is busy (the
    // quiet 2-vCPU VM's 2 ms samples already vary by 2–7 %: ±5 % flagged most quiet runs).
    busy: load > cpuCount || budget.sample_sd > BUSY_SAMPLE_SD,
    load_average: Math.round(load * 100) / 100,
    cpus: cpuCount,
    pinned: placement.pinned,
    aslr: placement.aslr,
    seed,
  };
}

function versionStats(side: Side): Comparison['old'] {
  return {
    ns_per_call: side.perCallNs.length > 0 ? median(side.perCallNs) : 0,
    calls_per_sample: side.callsPerSample,
    samples: side.perCallNs.length,
    steady_state: side.pairs > 0 && side.steadyPairs * 2 >= side.pairs,
    memory_kb: side.memoryKb,
    network: [...side.network.values()],
    ...(side.error === undefined ? {} : { error: side.error }),
    observed: observedFigures(side.tally),
    ...(side.runtime === null ? {} : { runtime: side.runtime }),
  };
}
