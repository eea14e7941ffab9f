/**
 * Tools that import repository helpers are measured with them: the bundled `gate` CLI on a real
 * repository, real node and python children, the sandbox where the machine has one. TS/JS: the
 * helpers transpiled and placed beside the tool (src/analyze/transpile.ts); a lone Python tool:
 * its Python helpers beside its copy, their folders its import roots. The PR changes only the
 * helpers, each now far slower: every tool is a changed tool (it loads a changed file), runs with
 * its own commit's helpers on each side, and its time ratio shows the helper's slowdown. Before,
 * the tool's code was written alone into its temporary directory and every row was "Cannot find
 * module …/helper" (Python: "No module named 'helper'").
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandboxAvailability } from '../../src/measure/sandbox.js';
import { createRepo } from '../helpers/git-repo.js';
import type { TestRepo } from '../helpers/git-repo.js';
import { DIST } from './action-helpers.js';

const INPUT = JSON.stringify({
  requirement: 'Sum of the values',
  test_input: { values: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] },
  mode: 'function',
});

/**
 * What the head's helpers do beyond the base's: 5,000 steps of a hash no compiler folds away (its
 * value decides an addition), the same answer (the hash is never 42).
 */
const SLOWER =
  'let h = 0;\n  for (let i = 0; i < 5000; i++) h = (h * 31 + i) | 0;\n  if (h === 42) s += 1;';

/** The same in Python. */
const PY_SLOWER =
  '    h = 0\n    for i in range(5000):\n        h = (h * 31 + i) & 0xFFFFFFFF\n    if h == 42:\n        s += 1\n';

/** The repository's files; with `slow`, each helper also runs SLOWER. */
function files(slow: boolean): Record<string, string> {
  const extra = slow ? SLOWER : '';
  return {
    // The plain tool runs inside its repository (a checkout of its commit as its working
    // directory); the others alone.
    '.perf-verdict.yml':
      'tools:\n  - "tools/*/total.*"\nworking-directory:\n  "tools/plain/**": tools\n',
    // TypeScript: an extensionless specifier into a lib folder, and a `.js` one naming a `.ts`.
    'tools/typed/total.ts': [
      "import { sum } from './lib/helper';",
      "import { scale } from './scale.js';",
      'export default function total(input: { values: number[] }): number {',
      '  return scale(sum(input.values));',
      '}',
      '',
    ].join('\n'),
    'tools/typed/total.perf.json': INPUT,
    'tools/typed/lib/helper.ts': `export function sum(xs: readonly number[]): number {\n  let s = 0;\n  for (const x of xs) s += x;\n  ${extra}\n  return s;\n}\n`,
    'tools/typed/scale.ts': 'export const scale = (n: number): number => n * 2;\n',
    // JavaScript, an ES module: a sibling helper by its full name; it reads a file from its
    // working directory, there only inside its repository.
    'tools/plain/total.js': [
      "import { readFileSync } from 'node:fs';",
      "import { sum } from './helper.js';",
      "const factor = Number(readFileSync('plain/factor.txt', 'utf8'));",
      'export default function total(input) {',
      '  return factor * sum(input.values);',
      '}',
      '',
    ].join('\n'),
    'tools/plain/factor.txt': '3\n',
    'tools/plain/total.perf.json': INPUT,
    'tools/plain/helper.js': `export function sum(xs) {\n  let s = 0;\n  for (const x of xs) s += x;\n  ${extra}\n  return s;\n}\n`,
    // JavaScript, CommonJS: `require` without an extension.
    'tools/common/total.js': [
      "const { sum } = require('./helper');",
      'module.exports = function total(input) {',
      '  return sum(input.values);',
      '};',
      '',
    ].join('\n'),
    'tools/common/total.perf.json': INPUT,
    'tools/common/helper.js': `exports.sum = function sum(xs) {\n  let s = 0;\n  for (const x of xs) s += x;\n  ${extra}\n  return s;\n};\n`,
    // Python, alone (no working-directory for it): a sibling module.
    'tools/snake/total.py':
      'from helper import add_all\n\n\ndef total(values):\n    return add_all(values)\n',
    'tools/snake/total.perf.json': INPUT,
    'tools/snake/helper.py': `def add_all(xs):\n    s = 0\n    for x in xs:\n        s += x\n${slow ? PY_SLOWER : ''}    return s\n`,
  };
}

interface Row {
  id: string;
  status: string;
  verdict: string;
  note?: string;
  new_loads?: { files: { path: string }[] };
  comparison?: {
    time: { ratio: number; pair_ratios: number[]; change: string };
    sandbox: { kind: string };
  };
}

describe('gate: tools run with the helpers they import', () => {
  let repo: TestRepo;
  let rows: Row[] = [];
  let output = '';

  beforeAll(() => {
    repo = createRepo('pv-script-helpers-');
    repo.commit('base', files(false));
    repo.git('checkout', '-q', '-b', 'pr');
    const head = files(true);
    repo.commit(
      'slower helpers',
      Object.fromEntries(Object.entries(head).filter(([path]) => /helper\.(js|ts|py)$/.test(path))),
    );
    const gate = 'gate --base main --head pr --json report.json --budget 6'.split(' ');
    const run = spawnSync(process.execPath, [join(DIST, 'cli/index.js'), ...gate], {
      cwd: repo.dir,
      encoding: 'utf8',
      timeout: 300_000,
    });
    output = `${run.stdout}\n${run.stderr}`;
    rows = (JSON.parse(readFileSync(join(repo.dir, 'report.json'), 'utf8')) as { tools: Row[] })
      .tools;
  }, 320_000);
  afterAll(() => repo.remove());

  it('measures each tool whose helper changed', () => {
    expect(rows.map((r) => r.id).sort(), output).toEqual([
      'common/total',
      'plain/total',
      'snake/total',
      'typed/total',
    ]);
    expect(rows.find((r) => r.id === 'typed/total')?.new_loads?.files.map((f) => f.path)).toEqual([
      'tools/typed/lib/helper.ts',
      'tools/typed/scale.ts',
    ]);
  });

  it.each(['typed/total', 'plain/total', 'common/total', 'snake/total'])(
    '%s: a ratio, not an error, and the head helper’s slowdown is in it',
    (id) => {
      const row = rows.find((r) => r.id === id);
      expect(row?.status, `${row?.note ?? ''}\n${output}`).not.toBe('error');
      const time = row?.comparison?.time;
      expect(time, output).toBeDefined();
      // The head's helper runs 5,000 steps the base's does not, ~100× its work: every pair of
      // processes finds the head far slower at any load (whether the interval is decided within
      // the budget depends on the load: not asserted, but never an ACCEPT).
      const why = JSON.stringify({ time, note: row!.note });
      expect(time!.ratio, why).toBeGreaterThan(3);
      expect(Math.min(...time!.pair_ratios), why).toBeGreaterThan(3);
      expect(time!.change, why).not.toBe('improvement');
      expect(row!.verdict).not.toBe('ACCEPT');
      if (sandboxAvailability().ok) expect(row!.comparison!.sandbox.kind).toBe('bwrap');
    },
  );
});
