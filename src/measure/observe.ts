/**
 * What the gate sees of a harness child from outside its process (issue 23): the harness's
 * figures come from inside the tool's process, where the tool can reach them, so the gate keeps
 * its own and checks one against the other.
 *
 * - CPU time: the sum over the harness's threads of `/proc/<pid>/task/<tid>/schedstat` (ns; the
 *   kernel's run time, the same clock the harness's process CPU time reads), and never less than
 *   `/proc/<pid>/stat`'s utime + stime (ticks, but it keeps threads that have exited).
 * - Round trip: each sample request as the gate times it, send to reply, less the time the
 *   harness's main thread waited on a run queue meanwhile and the gate's main thread ran or
 *   waited (`/proc/<pid>/schedstat`, `/proc/self/schedstat`): what is left is time the harness was
 *   awake, which its reported wall time must account for.
 * - Memory: `VmHWM` (peak resident set) against `VmRSS` when the harness greeted.
 *
 * The harness is found from the process the gate started (sudo, bwrap, or the placement prefix)
 * by following `/proc/<pid>/task/<pid>/children` to its one leaf: every program between them
 * (sudo, bwrap's two processes, prlimit, setpriv, setarch, taskset) either execs or waits on one
 * child, and when the harness greets no tool code has run that could start another. The pid is
 * the gate's namespace's, whatever namespace the harness sees itself in. Nothing here is
 * readable off Linux: every reading is null there, and no check is made.
 */
import { readFileSync, readdirSync } from 'node:fs';
import type { ObservedFigures, Tampering } from '../domain/types.js';

/** Kernel ticks per second of `/proc/<pid>/stat`'s times (USER_HZ: 100 on every Linux ABI). */
const TICK_NS = 1e7;

function read(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

/**
 * The harness under the process the gate started: the leaf of its only-child chain. (The tuning
 * knob `observe: false` skips this and every gate-side figure: bench/precision's before/after.)
 */
export function harnessPid(startedPid: number | undefined): number | null {
  if (startedPid === undefined) return null;
  let pid = startedPid;
  for (let depth = 0; depth < 16; depth++) {
    const children = read(`/proc/${pid}/task/${pid}/children`);
    if (children === null) return depth === 0 ? null : pid;
    const next = children.trim().split(/\s+/).filter(Boolean).map(Number);
    if (next.length !== 1 || !Number.isInteger(next[0])) return pid;
    pid = next[0]!;
  }
  return pid;
}

/** A thread as the scheduler accounts it (`schedstat`), ns: the time it ran and waited runnable. */
type Scheduled = { ran: number; waited: number };

/** A `schedstat` line's first two fields; null when unreadable. */
function schedstatOf(line: string | null): Scheduled | null {
  const [ran, waited] = (line ?? '').split(' ').map(Number);
  return Number.isFinite(ran) && Number.isFinite(waited) ? { ran: ran!, waited: waited! } : null;
}

/**
 * A process's CPU time (all its threads, ns) and its main thread's schedstat, in one walk of its
 * threads: the main thread's line is `task/<pid>/schedstat`, the same one `/proc/<pid>/schedstat`
 * shows, so it is not read twice. Null figures: unreadable.
 */
function processTimes(pid: number | null): { cpu: number | null; main: Scheduled | null } {
  if (pid === null) return { cpu: null, main: null };
  const stat = read(`/proc/${pid}/stat`);
  if (stat === null) return { cpu: null, main: null };
  // Fields after the command name (which may hold spaces and parentheses): utime is the 14th.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  let threads = 0;
  let main: Scheduled | null = null;
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      const line = schedstatOf(read(`/proc/${pid}/task/${tid}/schedstat`));
      if (line === null) continue;
      threads += line.ran;
      if (tid === String(pid)) main = line;
    }
  } catch {
    // gone: the ticks stand
  }
  return { cpu: Math.max(threads, Number.isFinite(ticks) ? ticks * TICK_NS : 0), main };
}

/** CPU time of a process, all its threads, ns; null when it cannot be read. */
export function processCpuNs(pid: number | null): number | null {
  return processTimes(pid).cpu;
}

/**
 * A process's main thread as the scheduler accounts it (`/proc/<pid>/schedstat`), ns: the time it
 * ran and the time it waited on a run queue (runnable, not running); null when it cannot be read.
 * `self`: the gate's own.
 */
export function scheduled(pid: number | 'self' | null): Scheduled | null {
  return pid === null ? null : schedstatOf(read(`/proc/${pid}/schedstat`));
}

/** Resident set now and at its peak, KiB; null when it cannot be read. */
export function residentKb(pid: number | null): { rss: number; peak: number } | null {
  if (pid === null) return null;
  const status = read(`/proc/${pid}/status`);
  if (status === null) return null;
  const rss = Number(/^VmRSS:\s*(\d+)/m.exec(status)?.[1]);
  const peak = Number(/^VmHWM:\s*(\d+)/m.exec(status)?.[1]);
  return Number.isFinite(rss) && Number.isFinite(peak) ? { rss, peak } : null;
}

/**
 * One version's figures over its timed rounds: what its harness reported and what the gate saw
 * itself (CPU only over rounds where both ends were read).
 */
export interface Tally {
  reportedCpuNs: number;
  observedCpuNs: number;
  /** Calls the samples of the CPU figures ran (the gate's own per-call figure). */
  cpuCalls: number;
  /**
   * Over rounds where both schedstats were read: the reported wall time, and the round trips
   * less the harness's run-queue waits and the gate's own time (the harness awake).
   */
  wallReportedNs: number;
  wallAwakeNs: number;
  /** The peak resident set's growth from the harness's greeting to after the memory pass, KiB. */
  memoryGrowthKb: number | null;
  /** A run reply whose call count is not the one requested: [requested, replied]. */
  calls: [number, number] | null;
}

export function newTally(): Tally {
  return {
    reportedCpuNs: 0,
    observedCpuNs: 0,
    cpuCalls: 0,
    wallReportedNs: 0,
    wallAwakeNs: 0,
    memoryGrowthKb: null,
    calls: null,
  };
}

/** What the gate reads of a harness, and of itself, around a pair's rounds (null: unreadable). */
interface Readings {
  /** The harness's CPU time, ns. */
  readonly cpu: number | null;
  /** The harness's main thread and the gate's, as the scheduler accounts them. */
  readonly harness: Scheduled | null;
  readonly gate: Scheduled | null;
}

/**
 * The readings of each harness of a pair at one moment (a pid null: not observed, nothing read).
 * The gate's own schedstat is read once for all of them: its time between one harness's reading
 * and the next is a few /proc reads, and each side's round trips lose all the gate's time anyway.
 */
export function readings(pids: readonly (number | null)[]): Readings[] {
  const gate = pids.some((pid) => pid !== null) ? scheduled('self') : null;
  return pids.map((pid) => {
    const { cpu, main } = processTimes(pid);
    return { cpu, harness: main, gate: pid === null ? null : gate };
  });
}

/** A pair's rounds as one harness reported them (CPU null: not measured). */
export interface RoundsReport {
  readonly cpuNs: number | null;
  readonly calls: number;
  readonly wallNs: number;
  /** The samples' round trips as the gate timed them. */
  readonly roundTripNs: number;
}

/**
 * Add a pair's rounds to a version's tally: the CPU time read around them against the reported,
 * and the round trips less the harness's run-queue waits and the gate's own time (ran or waited:
 * each side's round trips lose all of it, the lenient reading) against the reported wall time.
 */
export function tallyRounds(
  tally: Tally,
  reported: RoundsReport,
  before: Readings,
  after: Readings,
): void {
  if (before.cpu !== null && after.cpu !== null && reported.cpuNs !== null) {
    tally.observedCpuNs += after.cpu - before.cpu;
    tally.reportedCpuNs += reported.cpuNs;
    tally.cpuCalls += reported.calls;
  }
  const [h0, h1, g0, g1] = [before.harness, after.harness, before.gate, after.gate];
  if (h0 === null || h1 === null || g0 === null || g1 === null) return;
  const taken = h1.waited - h0.waited + (g1.ran - g0.ran) + (g1.waited - g0.waited);
  tally.wallReportedNs += reported.wallNs;
  tally.wallAwakeNs += Math.max(0, reported.roundTripNs - taken);
}

/**
 * How far an honest report may fall below what the gate sees. The harness's CPU figure covers
 * its samples only; the gate's also covers what the harness does around each sample (reading the
 * request, the collection before it, writing the reply). Measured on honest compares under a load
 * of ~21 on this 2-vCPU machine (bench/hostile prints them): reported over observed CPU 0.93–0.96
 * (Python), 0.75–0.90 (JS); the peak resident set grew by ≤ 4 KB (Python) and ≤ 8 MB (JS) beyond
 * a reported peak of a few KB. Preemption does not enter CPU time, so the share holds at any load.
 *
 * Wall time: the raw round trip also holds both ends' wake-ups (an honest reported share of it
 * fell to 0.19 under that load), so the gate takes off the time the harness's main thread waited
 * on a run queue and its own main thread ran or waited. What is left, the harness awake or
 * asleep in its own sample, is covered by an honest wall figure but for the work around each
 * sample: at most the collection before it (Python's full collection only while it takes ≤ 1 ms,
 * against samples of ≥ 2 ms), the request's parsing and the reply. A run-queue wait inside a
 * sample is in both the reported figure and the one taken off, so under load the check only
 * grows more lenient: a tool that divides its clock by ten is caught while less than 40 % of its
 * samples' time was spent preempted.
 */
const TOLERANCE = {
  /** Reported CPU time over the gate's: below this share, tampered. */
  cpuShare: 0.5,
  /** CPU: only over at least this much of the gate's time (ms), less is noise. */
  minCpuMs: 20,
  /** Reported wall time over the time the harness was awake in the round trips: below, tampered. */
  wallShare: 0.5,
  /** Wall: only over at least this much awake time (ms). */
  minWallMs: 20,
  /** Resident growth may exceed the reported peak by this factor plus `memorySlackKb`. */
  memoryFactor: 4,
  memorySlackKb: 64 * 1024,
} as const;

const ms = (ns: number): number => Math.round(ns / 1e4) / 100;

/** What in `tally` the gate's own figures rule out (empty: the report stands). */
export function tamperings(
  version: 'old' | 'new',
  tally: Tally,
  reportedMemoryKb: number | null,
): Tampering[] {
  const out: Tampering[] = [];
  if (tally.calls !== null)
    out.push({ version, figure: 'calls', reported: tally.calls[1], observed: tally.calls[0] });
  const { observedCpuNs, reportedCpuNs, wallAwakeNs, wallReportedNs } = tally;
  if (
    observedCpuNs >= TOLERANCE.minCpuMs * 1e6 &&
    reportedCpuNs < observedCpuNs * TOLERANCE.cpuShare
  )
    out.push({ version, figure: 'cpu', reported: ms(reportedCpuNs), observed: ms(observedCpuNs) });
  if (
    wallAwakeNs >= TOLERANCE.minWallMs * 1e6 &&
    wallReportedNs < wallAwakeNs * TOLERANCE.wallShare
  )
    out.push({ version, figure: 'wall', reported: ms(wallReportedNs), observed: ms(wallAwakeNs) });
  const grown = tally.memoryGrowthKb;
  if (
    grown !== null &&
    reportedMemoryKb !== null &&
    grown > reportedMemoryKb * TOLERANCE.memoryFactor + TOLERANCE.memorySlackKb
  )
    out.push({ version, figure: 'memory', reported: reportedMemoryKb, observed: grown });
  return out;
}

/** The shares the report keeps (ObservedFigures): what bench/hostile prints for honest runs. */
export function observedFigures(tally: Tally): ObservedFigures {
  const share = (reported: number, seen: number): number | null =>
    seen > 0 ? Math.round((reported / seen) * 1000) / 1000 : null;
  return {
    cpu_share: share(tally.reportedCpuNs, tally.observedCpuNs),
    wall_share: share(tally.wallReportedNs, tally.wallAwakeNs),
    memory_growth_kb: tally.memoryGrowthKb,
  };
}
