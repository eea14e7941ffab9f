/**
 * The analysers never lose, and what runs is analysed (issue 23), through the bundled gate under
 * Node 24 with the sandbox on (test/hostile/repository.ts):
 * - TS/JS whose parse TypeScript drives into exponential work or deep recursion (`async(async(…))`
 *   nested 32 deep, deep generic calls, deep JSX, a megabyte of nesting) is parsed in the script
 *   worker under its deadline: the gate finishes, the row says what could not be analysed, and
 *   nothing is ACCEPT;
 * - a helper module the tool imports is analysed with it: a new HIGH finding or a benchmark-gaming
 *   line in it counts as the tool's, naming the helper, and changing only the helper changes the
 *   tool.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandboxAvailability } from '../../src/measure/sandbox.js';
import { PARSE_DEADLINE_MS } from '../../src/analyze/script-worker.js';
import { DIST } from '../e2e/action-helpers.js';
import { node24 } from '../helpers/node24.js';
import { runRepositoryCase, rowText } from './repository.js';
import type { RepositoryCase, RepositoryRun } from './repository.js';

const TS_FAST =
  'export function tool(input: { n: number }): number {\n  let s = 0;\n  for (let i = 0; i < input.n; i++) s += i;\n  return s;\n}\n';
const JS_FAST = TS_FAST.replace('input: { n: number }): number', 'input)');
const slower = (code: string): string => code.replace('i < input.n', 'i < input.n * 10');
const SIDECAR = JSON.stringify({ test_input: { n: 20000 }, entry: 'tool' });
const nest = (open: string, inner: string, close: string, depth: number): string =>
  `${open.repeat(depth)}${inner}${close.repeat(depth)}`;

/** A TS (or JS) tool whose head is slower and carries `extra`: never ACCEPT, honestly judged. */
const script = (name: string, extra: string, ext: 'ts' | 'js' = 'ts'): RepositoryCase => {
  const fast = ext === 'ts' ? TS_FAST : JS_FAST;
  return {
    base: {
      '.perf-verdict.yml': 'fail-on: reject\n',
      [`tools/ts/${name}.${ext}`]: fast,
      [`tools/ts/${name}.perf.json`]: SIDECAR,
    },
    head: { [`tools/ts/${name}.${ext}`]: `${slower(fast)}\n${extra}\n` },
  };
};

const PY_FAST = 'from lib.helper import scale\n\n\ndef tool(n):\n    s = 0\n    for i in range(scale(n)):\n        s += i\n    return s\n';
const HELPER = 'def scale(n):\n    return n\n';
const IN_REPO = {
  '.perf-verdict.yml':
    'fail-on: reject\ntools: ["code/tools/**"]\nworking-directory:\n  "code/tools/**": code\n',
  'code/tools/t.py': PY_FAST,
  'code/tools/t.perf.json': JSON.stringify({ test_input: { n: 20000 }, entry: 'tool' }),
  'code/lib/helper.py': HELPER,
};

const CASES: Record<string, RepositoryCase> = {
  // ~2^depth work in TypeScript's parser: depth 22 took ~10 s, 32 would take days.
  async_32: script('async_32', `export const x = ${nest('async(', '1', ')', 32)};`),
  // Neighbours: other speculative parses and deep recursion in the parser.
  arrows_deep: script('arrows_deep', `export const y = ${nest('(a) => (', 'a', ')', 3000)};`),
  generic_calls: script('generic_calls', `export const z = ${nest('f<', 'T', '>', 3000)}(1);`),
  jsx_deep: script('jsx_deep', `export const j = ${nest('<a>', 'x', '</a>', 5000)};`, 'js'),
  huge_nesting: script('huge_nesting', `export const h = ${nest('[', '1', ']', 300_000)};`),
  huge_flat: script(
    'huge_flat',
    Array.from({ length: 30_000 }, (_, i) => `export const a${i}: number = ${i};`).join('\n'),
  ),
  // A helper module the tool imports (`from lib.helper import scale`): only it changes.
  helper_finding: {
    base: IN_REPO,
    head: {
      'code/lib/helper.py': `import os\n\n\ndef _cleanup(cmd):\n    os.system(cmd)\n\n\n${HELPER}`,
    },
  },
  helper_gaming: {
    base: IN_REPO,
    head: { 'code/lib/helper.py': `import time\n\ntime.perf_counter = time.process_time\n\n${HELPER}` },
  },
};

const PARSE_CASES = [
  'async_32',
  'arrows_deep',
  'generic_calls',
  'jsx_deep',
  'huge_nesting',
  'huge_flat',
];
/** Far above a gate that parses under its deadline, far below one that hangs (days). */
const GATE_DEADLINE_MS = 20 * PARSE_DEADLINE_MS;

const available = sandboxAvailability();

describe.skipIf(!available.ok)('what runs is analysed, through the bundled gate', () => {
  const runs = new Map<string, RepositoryRun>();
  beforeAll(async () => {
    const entries = await Promise.all(
      Object.entries(CASES).map(
        async ([name, c]) =>
          [
            name,
            await runRepositoryCase(c, { dist: DIST, budget: 5, sandbox: 'auto', node: node24() }),
          ] as const,
      ),
    );
    for (const [name, run] of entries) runs.set(name, run);
  }, 600_000);
  afterAll(() => runs.clear());

  it.each(Object.keys(CASES))('%s: the gate finishes in time, nothing left, no ACCEPT', (name) => {
    const run = runs.get(name)!;
    expect(run.exitCode, run.stderr).not.toBeNull();
    expect(run.wallMs).toBeLessThan(GATE_DEADLINE_MS);
    expect(run.report.tools?.length, run.stderr).toBeGreaterThan(0);
    expect(run.processes).toBe(0);
    expect(run.report.verdict, run.stderr).not.toBe('ACCEPT');
  });

  it('async_32: the head could not be analysed in the deadline, so it is not run: REVIEW', () => {
    const seconds = PARSE_DEADLINE_MS / 1000;
    expect(rowText(runs.get('async_32')!, 'async_32')).toMatch(
      new RegExp(`^REVIEW .*tools/ts/async_32\\.ts: could not be analysed in ${seconds} s`),
    );
  });

  it.each(PARSE_CASES)('%s: its row is never ACCEPT', (name) => {
    expect(rowText(runs.get(name)!, name)).toMatch(/^(REVIEW|REJECT)/);
  });

  it('helper_finding: a changed helper changes the tool; its new HIGH finding rejects, naming the helper', () => {
    const run = runs.get('helper_finding')!;
    // REJECT when measured; a loaded machine may leave the interval open (REVIEW): the finding,
    // named in the helper, is what analysis proves at any load.
    expect(rowText(run, 't')).toMatch(/^(REJECT|REVIEW)/);
    expect(run.markdown).toMatch(/B605 \(HIGH\) code\/lib\/helper\.py line/);
  });

  it('helper_gaming: a benchmark-gaming line in a helper caps the tool at REVIEW, naming the helper', () => {
    const run = runs.get('helper_gaming')!;
    expect(rowText(run, 't')).toMatch(/^REVIEW/);
    expect(run.markdown).toMatch(/benchmark-gaming: the head introduces code\/lib\/helper\.py line 3/);
  });
});
