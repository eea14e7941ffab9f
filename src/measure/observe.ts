/**
 * What the gate sees of a harness child from outside its process (issue 23): the harness's
 * figures come from inside the tool's process, where the tool can reach them, so the gate keeps
 * its own and checks one against the other.
 *
 * - CPU time: the sum over the harness's threads of `/proc/<pid>/task/<tid>/schedstat` (ns; the
 *   kernel's run time, the same clock the harness's process CPU time reads), and never less than
 *   `/proc/<pid>/stat`'s utime + stime (ticks, but it keeps threads that have exited).
 * - Round trip: each sample request as the gate times it, send to reply.
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

/** CPU time of a process, all its threads, ns; null when it cannot be read. */
export function processCpuNs(pid: number | null): number | null {
  if (pid === null) return null;
  const stat = read(`/proc/${pid}/stat`);
  if (stat === null) return null;
  // Fields after the command name (which may hold spaces and parentheses): utime is the 14th.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  let threads = 0;
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      const line = read(`/proc/${pid}/task/${tid}/schedstat`);
      if (line !== null) threads += Number(line.split(' ')[0]) || 0;
    }
  } catch {
    // gone: the ticks stand
  }
  return Math.max(threads, Number.isFinite(ticks) ? ticks * TICK_NS : 0);
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
  reportedWallNs: number;
  roundTripNs: number;
  /** Calls the samples of the CPU figures ran (the gate's own per-call figure). */
  cpuCalls: number;
  /** The peak resident set's growth from the harness's greeting to after the memory pass, KiB. */
  memoryGrowthKb: number | null;
  /** A run reply whose call count is not the one requested: [requested, replied]. */
  calls: [number, number] | null;
}

export function newTally(): Tally {
  return {
    reportedCpuNs: 0,
    observedCpuNs: 0,
    reportedWallNs: 0,
    roundTripNs: 0,
    cpuCalls: 0,
    memoryGrowthKb: null,
    calls: null,
  };
}

/**
 * How far an honest report may fall below what the gate sees. The harness's CPU figure covers
 * its samples only; the gate's also covers what the harness does around each sample (reading the
 * request, the collection before it, writing the reply). Measured on honest compares under a load
 * of ~21 on this 2-vCPU machine (bench/hostile prints them): reported over observed CPU 0.93–0.96
 * (Python), 0.75–0.90 (JS); the peak resident set grew by ≤ 4 KB (Python) and ≤ 8 MB (JS) beyond
 * a reported peak of a few KB. Preemption does not enter CPU time, so the share holds at any load.
 * Wall time is not checked: the round trip also holds both ends' wake-ups, and an honest reported
 * share fell to 0.19 under that load. A forged wall figure reaches the ratio only where the
 * comparison uses wall time, which takes samples ≥ 20 % off the CPU: a busy tool must forge its
 * CPU figure too to get there, and that is caught; a tool that really waits is not covered.
 */
const TOLERANCE = {
  /** Reported CPU time over the gate's: below this share, tampered. */
  cpuShare: 0.5,
  /** CPU: only over at least this much of the gate's time (ms), less is noise. */
  minCpuMs: 20,
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
  const { observedCpuNs, reportedCpuNs } = tally;
  if (
    observedCpuNs >= TOLERANCE.minCpuMs * 1e6 &&
    reportedCpuNs < observedCpuNs * TOLERANCE.cpuShare
  )
    out.push({ version, figure: 'cpu', reported: ms(reportedCpuNs), observed: ms(observedCpuNs) });
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
    wall_share: share(tally.reportedWallNs, tally.roundTripNs),
    memory_growth_kb: tally.memoryGrowthKb,
  };
}
