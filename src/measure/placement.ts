/**
 * Where a pair's children run: both on ONE CPU, in alternation, with address-space layout
 * randomisation off (docs/measurement.md, "Placement").
 *
 * Measured on the 2-vCPU VM (bench/floor.py): each vCPU has slow episodes of 1–2 s in which the
 * same loop runs 1.5–2× slower, independently of the other vCPU. With the two children on
 * different CPUs, an episode slows one side only, for two or three consecutive pairs: pairs are
 * then correlated and one-sided (the cause of the A/A false alarms). On one CPU an episode slows
 * both sides alike and cancels in the ratio. And each Python process under ASLR has a layout
 * "personality": one process in five to ten ran 20–40 % slower than its twin for its whole life
 * (pair sd of log ratios 0.10–0.28 with ASLR, 0.005–0.009 without). Turning ASLR off for the
 * children gives every process of a version the same layout.
 *
 * `setarch -R` and `taskset` (util-linux) do it from outside the child, so it works for any
 * interpreter and inside the sandbox (personality and affinity survive exec). Where either is
 * missing (not Linux, no util-linux) the child starts as before and the diagnostics say so.
 * The tuning knobs `pin: false` and `aslr: 'on'` (MeasureTuning, tuning.ts) restore the old placement
 * (bench comparisons: PERF_VERDICT_PIN=off, PERF_VERDICT_ASLR=on).
 */
import { existsSync, readFileSync } from 'node:fs';
import { machine } from 'node:os';
import type { MeasureTuning } from './tuning.js';

/** How the children of a comparison were placed (diagnostics). */
export interface Placement {
  /** Both children of each pair on one CPU (which one rotates by pair). */
  readonly pinned: boolean;
  /** Address-space layout randomisation of the children. */
  readonly aslr: 'on' | 'off';
}

const BIN_DIRS = ['/usr/bin', '/bin', '/usr/sbin', '/sbin'];

function systemBinary(name: string): string | undefined {
  if (process.platform !== 'linux') return undefined;
  return BIN_DIRS.map((dir) => `${dir}/${name}`).find((path) => existsSync(path));
}

/** The CPUs this process may run on (its affinity), from /proc/self/status; [] when unknown. */
export function allowedCpus(status?: string): number[] {
  let text = status;
  if (text === undefined) {
    try {
      text = readFileSync('/proc/self/status', 'utf8');
    } catch {
      return [];
    }
  }
  const line = /^Cpus_allowed_list:\s*(\S+)/m.exec(text)?.[1];
  if (line === undefined) return [];
  const cpus: number[] = [];
  for (const part of line.split(',')) {
    const [from, to] = part.split('-').map(Number);
    if (from === undefined || !Number.isInteger(from)) continue;
    const last = to === undefined || !Number.isInteger(to) ? from : to;
    for (let cpu = from; cpu <= last && cpus.length < 4096; cpu++) cpus.push(cpu);
  }
  return cpus;
}

/** The placement `tuning` asks for, as far as this machine allows it. */
export function placementHere(tuning: Pick<MeasureTuning, 'pin' | 'aslr'>): Placement {
  const pin = tuning.pin && systemBinary('taskset') !== undefined;
  const aslrOff = tuning.aslr === 'off' && systemBinary('setarch') !== undefined;
  return { pinned: pin && allowedCpus().length > 0, aslr: aslrOff ? 'off' : 'on' };
}

/**
 * The command prefix that starts a child with `placement` on `cpu` (null: anywhere):
 * `setarch <machine> -R` and/or `taskset -c <cpu>`; [] when there is nothing to do.
 */
export function placementPrefix(placement: Placement, cpu: number | null): string[] {
  const prefix: string[] = [];
  const setarch = systemBinary('setarch');
  if (placement.aslr === 'off' && setarch !== undefined) prefix.push(setarch, machine(), '-R');
  const taskset = systemBinary('taskset');
  if (placement.pinned && cpu !== null && taskset !== undefined)
    prefix.push(taskset, '-c', String(cpu));
  return prefix;
}
