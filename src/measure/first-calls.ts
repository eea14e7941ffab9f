/**
 * First calls in interpreter-only fresh process pairs (JS/TS; docs/measurement.md, Protocol step
 * 2). Under Node's JIT a first call runs in the interpreter and later calls compiled, so an honest
 * head's first-call ratio wanders far from its steady ratio (the example checksum: 4–9× slower
 * cold, 4× faster warm) and tells nothing about state carried across calls. With V8's optimising
 * and baseline tiers off (launch.ts INTERPRETER_FLAGS) every call runs in the same tier: a first
 * call is its work plus one-time costs, as in Python, and a memo's first call does the work its
 * later calls skip.
 */
import { ToolFailure } from './child.js';
import type { HarnessChild } from './child.js';
import { startChild } from './launch.js';
import type { Deadline, Side } from './protocol.js';
import { median, tInterval } from './stats.js';
import type { InterpretedCalls } from '../domain/types.js';

/**
 * Interpreter-only pairs per comparison: four give an interval (Student's t, 3 df). Measured
 * with these flags (10 pairs per cell, two runs, load 7): a memo at 7.8× read an excess of
 * 4.1–4.3, an A/A 1.01–1.03, the example checksum 0.55–0.64; the sd of its log over pairs
 * 0.18–0.26.
 */
const INTERPRETED_PAIRS = 4;
/** Calls timed after the first in each process: their median is the process's later calls. */
const LATER_CALLS = 5;
/**
 * The pairs' time cap, ms. A pair costs a start-up of both children on one CPU (bubblewrap and
 * Node: 170–290 ms at load 10, ~450 ms beside two busy loops at load 11) and twelve interpreted
 * calls, so the cap fits four pairs of a small tool on a busy machine; what they took is
 * `cost_ms` (bench/first-calls.ts, the pairs booted one after another: 0.9–1.4 s at load 9,
 * 1.2–2.2 s at load 11–20; booted at once, loop1us A/A quiet: 504–571 ms against 751–872 ms
 * one after another). Not taken from
 * the budget (the steady-state pairs keep all of it); a tool whose interpreted calls do not fit
 * has fewer pairs, or none (then the JIT's first calls are the only evidence).
 */
const CAP_MS = 3000;

/** The probe's deadline from now. */
export const interpretedDeadlineMs = (): number => Date.now() + CAP_MS;

/** One call as the harness timed it: wall ns, and the process's CPU ns (null: not measured). */
interface TimedCall {
  readonly wall: number;
  readonly cpu: number | null;
}

/** One interpreter-only pair: each side's first call and its later calls, [old, new]. */
interface InterpretedPair {
  readonly first: readonly [TimedCall, TimedCall];
  readonly later: readonly [readonly TimedCall[], readonly TimedCall[]];
}

/** What the pairs gave: the pairs, their wall time, and why they stopped short (if they did). */
export interface InterpretedRun {
  readonly pairs: readonly InterpretedPair[];
  readonly costMs: number;
  readonly cut: string | undefined;
}

/** How the pairs run: where (a prefix per pair, placement.ts), the order coin, the time cap. */
interface InterpretedPlan {
  readonly prefix: (pair: number) => readonly string[];
  readonly random: () => number;
  readonly deadline: Deadline;
}

/**
 * Up to INTERPRETED_PAIRS interpreter-only fresh process pairs. Every pair's two children start
 * at once, each pair on its own CPU (`prefix`), so that their start-ups — most of the pairs'
 * cost — run side by side; no pair is timed before all have booted. Then one pair at a time:
 * each side's first call (the order a coin), then LATER_CALLS more calls on each side,
 * alternating (a coin per turn), while the other pairs' children wait idle. A failure here is
 * not the side's failure (the steady-state pairs judged the tool): the pairs stop and `cut` says
 * why.
 */
export async function runInterpretedPairs(
  sides: readonly [Side, Side],
  plan: InterpretedPlan,
): Promise<InterpretedRun> {
  const started = Date.now();
  const pairs: InterpretedPair[] = [];
  let cut: string | undefined;
  let lastMs = 0;
  const booted = Array.from({ length: INTERPRETED_PAIRS }, (_, index) =>
    bootPair(sides, plan, index),
  );
  try {
    // No pair is timed while another boots: a start-up beside a first call would be in it.
    await Promise.all(booted.map((pair) => pair.ready));
    for (const pair of booted) {
      if (pairs.length > 0 && plan.deadline.left() < lastMs * 1.1) {
        cut = `the time cap (${pairs.length} of ${INTERPRETED_PAIRS} pairs)`;
        break;
      }
      const pairStart = Date.now();
      try {
        const failed = await pair.ready;
        if (failed !== null) throw failed;
        pairs.push(await timePair(pair.children, plan));
      } catch (error) {
        if (!(error instanceof ToolFailure)) throw error;
        // The kind only: the message is the tool's own text.
        cut = `a call failed (${String(error.toolError.kind).slice(0, 40)})`;
        break;
      } finally {
        for (const child of pair.children) child.close();
      }
      lastMs = Date.now() - pairStart;
    }
  } finally {
    for (const pair of booted) for (const child of pair.children) child.close();
  }
  return { pairs, costMs: Date.now() - started, cut };
}

/** Both children of a pair, started; `ready` resolves when both said hello (or to why not). */
interface BootedPair {
  readonly children: readonly HarnessChild[];
  readonly ready: Promise<Error | null>;
}

function bootPair(sides: readonly [Side, Side], plan: InterpretedPlan, index: number): BootedPair {
  const children: HarnessChild[] = [];
  try {
    for (const side of sides) children.push(startChild(side.prepared, plan.prefix(index), true));
  } catch (error) {
    return { children, ready: Promise.resolve(asError(error)) };
  }
  const ready = Promise.all(
    children.map((c) => c.request(undefined, requestTimeout(plan.deadline))),
  ).then(
    () => null,
    // Held until this pair's turn, so that a later pair's failure is not unhandled meanwhile.
    asError,
  );
  return { children, ready };
}

const asError = (error: unknown): Error =>
  error instanceof Error ? error : new Error(String(error));

/** Every request ends at the cap (a timeout here cuts the pairs short, it is no failure). */
const requestTimeout = (deadline: Deadline): number => Math.max(50, deadline.left());

async function timePair(
  children: readonly HarnessChild[],
  plan: InterpretedPlan,
): Promise<InterpretedPair> {
  const call = async (which: 0 | 1): Promise<TimedCall> => {
    const reply = await children[which]!.request(
      { op: 'run', n: 1 },
      requestTimeout(plan.deadline),
    );
    return { wall: reply.ns ?? 0, cpu: typeof reply.cpu_ns === 'number' ? reply.cpu_ns : null };
  };
  const order = (): readonly (0 | 1)[] => (plan.random() < 0.5 ? [0, 1] : [1, 0]);
  const first: TimedCall[] = [];
  for (const which of order()) first[which] = await call(which);
  const later: [TimedCall[], TimedCall[]] = [[], []];
  for (let i = 0; i < LATER_CALLS; i++)
    for (const which of order()) later[which].push(await call(which));
  return { first: [first[0]!, first[1]!], later };
}

/**
 * A call's time by the comparison's clock. Under CPU time the lesser of wall and CPU time: each
 * bounds the call's own work from above (wall time holds preemption by other processes, the
 * process's CPU time V8's other threads), and a first call is one call, with no batch to
 * average either away. A comparison timed by the wall clock (the tool waits) keeps wall time.
 */
function timeOf(call: TimedCall, timer: 'cpu' | 'wall'): number {
  return timer === 'wall' || call.cpu === null ? call.wall : Math.min(call.wall, call.cpu);
}

/**
 * The evidence of the pairs (undefined without a pair whose calls were all timed). Per pair: the
 * first calls' ratio new/old, the later calls' ratio (their medians), and the head's first call
 * over its prediction, its later calls plus the base's one-time costs (the base's first call
 * beyond its later calls): `excess`, about 1 for an honest head however far its first-call
 * ratio is from its later calls' (a tool of a few microseconds is mostly one-time costs).
 * Geometric means over the pairs, intervals at `confidence` (each pair one observation).
 */
export function interpretedEvidence(
  run: InterpretedRun,
  timer: 'cpu' | 'wall',
  confidence: number,
): InterpretedCalls | undefined {
  const rows = run.pairs.flatMap((pair) => {
    const [fo, fn] = pair.first.map((c) => timeOf(c, timer)) as [number, number];
    const [so, sn] = pair.later.map((calls) => median(calls.map((c) => timeOf(c, timer)))) as [
      number,
      number,
    ];
    if (!(fo > 0 && fn > 0 && so > 0 && sn > 0)) return [];
    const predicted = sn + Math.max(0, fo - so);
    return [{ first: Math.log(fn / fo), later: sn / so, excess: Math.log(fn / predicted) }];
  });
  if (rows.length === 0) return undefined;
  const mean = (xs: readonly number[]): number => xs.reduce((t, x) => t + x, 0) / xs.length;
  const first = tInterval(
    rows.map((r) => r.first),
    confidence,
  );
  const excess = tInterval(
    rows.map((r) => r.excess),
    confidence,
  );
  return {
    pairs: rows.length,
    later_calls: LATER_CALLS,
    first_ratio: Math.exp(mean(rows.map((r) => r.first))),
    ...(first === null ? {} : { first_ci_low: first.low, first_ci_high: first.high }),
    later_ratio: median(rows.map((r) => r.later)),
    excess: Math.exp(mean(rows.map((r) => r.excess))),
    ...(excess === null ? {} : { excess_ci_low: excess.low, excess_ci_high: excess.high }),
    cost_ms: run.costMs,
    ...(run.cut === undefined ? {} : { cut: run.cut }),
  };
}
