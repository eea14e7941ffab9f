/**
 * Placement of a pair's children (src/measure/placement.ts): one CPU for both, ASLR off. Checked
 * from inside real python3 children, sandboxed and not: the personality flag and the CPU
 * affinity must survive bwrap, prlimit and setpriv.
 */
import type { ChildProcess } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { pythonExecutable } from '../../src/measure/launch.js';
import { allowedCpus, placementHere, placementPrefix } from '../../src/measure/placement.js';
import { DEFAULT_TUNING } from '../../src/measure/tuning.js';
import { sandboxAvailability, spawnSandboxed } from '../../src/measure/sandbox.js';
import type { SandboxMode } from '../../src/measure/sandbox.js';

/** ADDR_NO_RANDOMIZE in personality(2). */
const ADDR_NO_RANDOMIZE = 0x0040000;

const INSIDE = [
  'import re',
  'status = open("/proc/self/status").read()',
  'cpus = re.search(r"Cpus_allowed_list:\\s*(\\S+)", status).group(1)',
  'personality = int(open("/proc/self/personality").read(), 16)',
  'print(cpus, personality)',
].join('\n');

function output(child: ChildProcess): Promise<string> {
  let out = '';
  child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
  return new Promise((resolve) => child.on('close', () => resolve(out.trim())));
}

describe('allowedCpus', () => {
  it('reads ranges and lists from /proc/self/status', () => {
    expect(allowedCpus('Name:\tx\nCpus_allowed_list:\t0-2,5\n')).toEqual([0, 1, 2, 5]);
    expect(allowedCpus('Cpus_allowed_list:\t3\n')).toEqual([3]);
    expect(allowedCpus('Name:\tx\n')).toEqual([]);
  });
});

describe('placementPrefix', () => {
  it('is empty when nothing is to be done', () => {
    expect(placementPrefix({ pinned: false, aslr: 'on' }, 1)).toEqual([]);
    expect(placementPrefix({ pinned: true, aslr: 'on' }, null)).toEqual([]);
  });
});

describe('placementHere', () => {
  it('places nothing when the tuning turns pinning and ASLR-off off (bench comparisons)', () => {
    expect(placementHere({ pin: false, aslr: 'on' })).toEqual({ pinned: false, aslr: 'on' });
  });
});

const linuxWithTools =
  process.platform === 'linux' &&
  placementHere(DEFAULT_TUNING).pinned &&
  placementHere(DEFAULT_TUNING).aslr === 'off';

describe.skipIf(!linuxWithTools)('a placed child, seen from the inside', () => {
  const cpu = allowedCpus().at(-1)!;
  const modes: SandboxMode[] = sandboxAvailability().ok ? ['off', 'required'] : ['off'];
  it.each(modes)('sandbox %s: one CPU and ASLR off', async (mode) => {
    const { child } = spawnSandboxed(
      {
        command: pythonExecutable(),
        args: ['-c', INSIDE],
        prefix: placementPrefix({ pinned: true, aslr: 'off' }, cpu),
      },
      mode,
      ['ignore', 'pipe', 'pipe'],
    );
    const [cpus, personality] = (await output(child)).split(' ');
    expect(cpus).toBe(String(cpu));
    expect(Number(personality) & ADDR_NO_RANDOMIZE).toBe(ADDR_NO_RANDOMIZE);
  });

  it('without a prefix the child keeps ASLR', async () => {
    const { child } = spawnSandboxed({ command: pythonExecutable(), args: ['-c', INSIDE] }, 'off', [
      'ignore',
      'pipe',
      'pipe',
    ]);
    const [, personality] = (await output(child)).split(' ');
    expect(Number(personality) & ADDR_NO_RANDOMIZE).toBe(0);
  });
});
