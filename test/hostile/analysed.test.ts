/**
 * The analysers never lose, and what runs is analysed (issue 23), through the bundled gate under
 * Node 24 with the sandbox on (test/hostile/repository.ts), two PR repositories:
 * - `parsers`: TS/JS that drives TypeScript's parser into exponential work (`async(async(…))`
 *   nested 32 deep, and its `async (…) =>` and `async<T>(…)` neighbours), deep generic calls and
 *   JSX, a megabyte of brackets (past the parser's stack), and a huge flat file. Every parse runs
 *   in the script worker under its deadline: the gate finishes, each row says what could not be
 *   analysed, nothing is ACCEPT (each head is also 10× slower);
 * - `helpers`: two tools whose helper module alone changes, one with a new HIGH finding, one with
 *   a benchmark-gaming line: the changed helper changes the tool, and its finding counts as the
 *   tool's, naming the helper.
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
const FAST = { ts: TS_FAST, js: JS_FAST } as const;
const slower = (code: string): string => code.replace('i < input.n', 'i < input.n * 10');
const SIDECAR = JSON.stringify({ test_input: { n: 20000 }, entry: 'tool' });
const nest = (open: string, inner: string, close: string, depth: number): string =>
  `${open.repeat(depth)}${inner}${close.repeat(depth)}`;

/** Each parser case: its head's extra code, and its kind of file. */
const PARSERS: Record<string, { readonly extra: string; readonly ext: keyof typeof FAST }> = {
  // ~2^depth work: depth 20 took 9 s (load 21), 32 would take days.
  async_32: { extra: `export const x = ${nest('async(', '1', ')', 32)};`, ext: 'ts' },
  async_arrow_30: { extra: `export const y = ${nest('async (', 'a', ') => 1', 30)};`, ext: 'ts' },
  async_generic_30: { extra: `export const z = ${nest('async<T>(', '1', ')', 30)};`, ext: 'ts' },
  // Deep nesting: past the parser's stack (a megabyte of brackets), or parsed and run (generic
  // calls, JSX: the head then fails where the base runs).
  generic_calls: { extra: `export const g = ${nest('f<', 'T', '>', 3000)}(1);`, ext: 'ts' },
  jsx_deep: { extra: `export const j = ${nest('<a>', 'x', '</a>', 5000)};`, ext: 'js' },
  huge_nesting: { extra: `export const h = ${nest('[', '1', ']', 300_000)};`, ext: 'ts' },
  // Large, and parses well within the deadline.
  huge_flat: {
    extra: Array.from({ length: 30_000 }, (_, i) => `export const a${i}: number = ${i};`).join(
      '\n',
    ),
    ext: 'ts',
  },
};
const fileOf = (name: string, ext: keyof typeof FAST): string => `tools/ts/${name}.${ext}`;

const parsers: RepositoryCase = {
  base: {
    '.perf-verdict.yml': 'fail-on: reject\n',
    ...Object.fromEntries(
      Object.entries(PARSERS).flatMap(([name, { ext }]) => [
        [fileOf(name, ext), FAST[ext]],
        [`tools/ts/${name}.perf.json`, SIDECAR],
      ]),
    ),
  },
  head: Object.fromEntries(
    Object.entries(PARSERS).map(([name, { extra, ext }]) => [
      fileOf(name, ext),
      `${slower(FAST[ext])}\n${extra}\n`,
    ]),
  ),
};

const PY_TOOL = (helper: string): string =>
  `from lib.${helper} import scale\n\n\ndef tool(n):\n    s = 0\n    for i in range(scale(n)):\n        s += i\n    return s\n`;
const HELPER = 'def scale(n):\n    return n\n';
const helpers: RepositoryCase = {
  base: {
    '.perf-verdict.yml':
      'fail-on: reject\ntools: ["code/tools/**"]\nworking-directory:\n  "code/tools/**": code\n',
    'code/tools/finding.py': PY_TOOL('shell'),
    'code/tools/finding.perf.json': SIDECAR,
    'code/tools/gaming.py': PY_TOOL('clock'),
    'code/tools/gaming.perf.json': SIDECAR,
    'code/lib/shell.py': HELPER,
    'code/lib/clock.py': HELPER,
  },
  head: {
    'code/lib/shell.py': `import os\n\n\ndef _cleanup(cmd):\n    os.system(cmd)\n\n\n${HELPER}`,
    'code/lib/clock.py': `import time\n\ntime.perf_counter = time.process_time\n\n${HELPER}`,
  },
};

/** Far above a gate that parses under its deadlines, far below one that hangs (days). */
const GATE_DEADLINE_MS = 20 * PARSE_DEADLINE_MS;
const SECONDS = PARSE_DEADLINE_MS / 1000;

const available = sandboxAvailability();

describe.skipIf(!available.ok)('what runs is analysed, through the bundled gate', () => {
  const runs = new Map<string, RepositoryRun>();
  beforeAll(async () => {
    const options = { dist: DIST, budget: 5, sandbox: 'auto', node: node24() } as const;
    const [p, h] = await Promise.all([
      runRepositoryCase(parsers, options),
      runRepositoryCase(helpers, options),
    ]);
    runs.set('parsers', p);
    runs.set('helpers', h);
  }, 600_000);
  afterAll(() => runs.clear());

  it.each(['parsers', 'helpers'])(
    '%s: the gate finishes in time, every tool a row, nothing left, no ACCEPT',
    (name) => {
      const run = runs.get(name)!;
      expect(run.exitCode, run.stderr).not.toBeNull();
      expect(run.wallMs).toBeLessThan(GATE_DEADLINE_MS);
      expect(run.processes).toBe(0);
      expect(run.report.verdict, run.stderr).not.toBe('ACCEPT');
    },
  );

  it.each(Object.keys(PARSERS))('parsers: %s is a row, never ACCEPT', (name) => {
    expect(rowText(runs.get('parsers')!, name)).toMatch(/^(REVIEW|REJECT)/);
  });

  it.each(['async_32', 'async_arrow_30', 'async_generic_30'])(
    'parsers: %s could not be analysed in the deadline, so it is not run: REVIEW, saying so',
    (name) => {
      expect(rowText(runs.get('parsers')!, name)).toMatch(
        new RegExp(`^REVIEW .*tools/ts/${name}\\.ts: could not be analysed in ${SECONDS} s`),
      );
    },
  );

  it('parsers: a megabyte of brackets is past the parser’s stack: REVIEW, saying so', () => {
    expect(rowText(runs.get('parsers')!, 'huge_nesting')).toMatch(
      /^REVIEW .*tools\/ts\/huge_nesting\.ts: could not be analysed: Maximum call stack size exceeded/,
    );
  });

  it('helpers: a changed helper changes the tool; its new HIGH finding rejects, naming the helper', () => {
    const run = runs.get('helpers')!;
    // REJECT when measured; a loaded machine may leave the interval open (REVIEW): the finding,
    // named in the helper, is what analysis proves at any load.
    expect(rowText(run, 'finding')).toMatch(/^(REJECT|REVIEW)/);
    expect(run.markdown).toMatch(/B605 \(HIGH\) code\/lib\/shell\.py line/);
  });

  it('helpers: a benchmark-gaming line in a helper caps the tool at REVIEW, naming the helper', () => {
    const run = runs.get('helpers')!;
    expect(rowText(run, 'gaming')).toMatch(/^REVIEW/);
    expect(run.markdown).toMatch(
      /benchmark-gaming: the head introduces code\/lib\/clock\.py line 3/,
    );
  });
});
