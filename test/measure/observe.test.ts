/**
 * The gate's own view of a harness child (src/measure/observe.ts): the harness found at the end
 * of the chain of processes the gate started, its CPU time and resident set read from /proc, and
 * the rule that compares them with what the harness reported. Real processes; nothing timed.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import {
  harnessPid,
  newTally,
  processCpuNs,
  readings,
  residentKb,
  scheduled,
  tamperings,
} from '../../src/measure/observe.js';

const linux = process.platform === 'linux';
const started: ChildProcess[] = [];
// Each chain runs in its own process group, killed whole: killing `sh` alone left its busy child
// running for the rest of the machine's life (two CPU-bound orphans per test run).
afterEach(() => {
  for (const child of started.splice(0)) {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});

async function startChain(): Promise<ChildProcess> {
  // sh waits on its one child (as sudo and bwrap do), which execs into the "harness".
  const child = spawn('sh', ['-c', `${process.execPath} -e "for(;;){}"; :`], {
    stdio: 'ignore',
    detached: true,
  });
  started.push(child);
  for (let i = 0; i < 100 && harnessPid(child.pid) === child.pid; i++)
    await new Promise((resolve) => setTimeout(resolve, 20));
  return child;
}

describe.skipIf(!linux)('the harness seen from outside', () => {
  it('is the leaf of the only-child chain the gate started, not the process it started', async () => {
    const child = await startChain();
    const pid = harnessPid(child.pid);
    expect(pid).not.toBe(child.pid);
    expect(pid).not.toBeNull();
    const { readFileSync } = await import('node:fs');
    expect(readFileSync(`/proc/${pid}/status`, 'utf8')).toMatch(
      new RegExp(`PPid:\\s+${child.pid}\\b`),
    );
  });

  it('reads a busy process CPU time growing, and its resident set', async () => {
    const child = await startChain();
    const pid = harnessPid(child.pid);
    const before = processCpuNs(pid)!;
    const deadline = Date.now() + 5000;
    let after = before;
    while (after <= before && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      after = processCpuNs(pid)!;
    }
    expect(after).toBeGreaterThan(before);
    const memory = residentKb(pid)!;
    expect(memory.rss).toBeGreaterThan(0);
    expect(memory.peak).toBeGreaterThanOrEqual(memory.rss);
  });

  it('reads how the scheduler accounts a busy process, and the gate itself', async () => {
    const child = await startChain();
    const pid = harnessPid(child.pid);
    const deadline = Date.now() + 5000;
    let seen = scheduled(pid)!;
    while (seen.ran === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      seen = scheduled(pid)!;
    }
    expect(seen.ran).toBeGreaterThan(0);
    expect(seen.waited).toBeGreaterThanOrEqual(0);
    expect(scheduled('self')!.ran).toBeGreaterThan(0);
    expect(scheduled(null)).toBeNull();
    expect(scheduled(2 ** 22 + 1)).toBeNull();
  });

  it("reads a pair's harnesses in one pass: the main thread from the same walk as the CPU time", async () => {
    const child = await startChain();
    const pid = harnessPid(child.pid);
    const [seen, unobserved] = readings([pid, null]);
    // The main thread is one of the threads summed into the CPU time, read in the same walk.
    expect(seen!.harness).not.toBeNull();
    expect(seen!.cpu!).toBeGreaterThanOrEqual(seen!.harness!.ran);
    expect(seen!.gate!.ran).toBeGreaterThan(0);
    expect(unobserved).toEqual({ cpu: null, harness: null, gate: null });
    expect(readings([null, null])).toEqual([
      { cpu: null, harness: null, gate: null },
      { cpu: null, harness: null, gate: null },
    ]);
  });

  it('reads nothing of a process that is gone, and nothing off /proc', () => {
    expect(harnessPid(undefined)).toBeNull();
    expect(processCpuNs(null)).toBeNull();
    expect(residentKb(null)).toBeNull();
    expect(processCpuNs(2 ** 22 + 1)).toBeNull();
  });
});

describe('tamperings', () => {
  const tally = (patch: Partial<ReturnType<typeof newTally>>) => ({ ...newTally(), ...patch });
  it.each([
    [
      'an honest Python report (0.93 of the gate CPU time)',
      { reportedCpuNs: 93e6, observedCpuNs: 100e6 },
      null,
      [],
    ],
    ['an honest JS report (0.75)', { reportedCpuNs: 75e6, observedCpuNs: 100e6 }, null, []],
    [
      'CPU time ÷ 10',
      { reportedCpuNs: 10.87e6, observedCpuNs: 109.58e6 },
      null,
      ['cpu 10.87 109.58'],
    ],
    ['too little CPU time to judge', { reportedCpuNs: 1e6, observedCpuNs: 19e6 }, null, []],
    [
      'an honest wall report (0.9 of the time the harness was awake)',
      { wallReportedNs: 90e6, wallAwakeNs: 100e6 },
      null,
      [],
    ],
    [
      'preemption inside samples, taken off twice: more than the time awake',
      { wallReportedNs: 150e6, wallAwakeNs: 100e6 },
      null,
      [],
    ],
    ['wall time ÷ 10', { wallReportedNs: 9.5e6, wallAwakeNs: 95.02e6 }, null, ['wall 9.5 95.02']],
    ['too little time awake to judge', { wallReportedNs: 1e6, wallAwakeNs: 19e6 }, null, []],
    [
      'another number of calls than asked',
      { calls: [42, 4] as [number, number] },
      null,
      ['calls 4 42'],
    ],
    ['memory grown within the slack', { memoryGrowthKb: 8000 }, 6.3, []],
    [
      '200 MB resident for a reported 0.37 KB',
      { memoryGrowthKb: 204728 },
      0.37,
      ['memory 0.37 204728'],
    ],
    ['a large reported peak covers its growth', { memoryGrowthKb: 400_000 }, 100_000, []],
    ['no memory reported: nothing to hold it to', { memoryGrowthKb: 400_000 }, null, []],
  ] as const)('%s', (_what, patch, memoryKb, expected) => {
    const found = tamperings('new', tally(patch), memoryKb).map(
      (t) => `${t.figure} ${t.reported} ${t.observed}`,
    );
    expect(found).toEqual(expected);
  });
});
