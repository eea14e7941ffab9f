/**
 * What the interpreter compiles, the Python analyser analyses (issue 23): code nested as deep as
 * CPython compiles it — operator, boolean, comparison, conditional-expression, attribute, call,
 * subscript, unary and lambda chains, elif ladders, nested functions and brackets — is analysed
 * in full. Each case is first compiled by the python3 the analyser runs on, with the recursion
 * limit the harness runs tools under (3000, measure/harness/python.py), so the test holds the
 * analyser to the interpreter that runs the tool, whatever its version's limits; then a HIGH
 * finding beside the deep code must be listed, with security and complexity available.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { createAnalyzer } from '../../src/analyze/index.js';

const analyzer = createAnalyzer();
const FINDING = 'import os\n\n\ndef _cleanup(cmd):\n    os.system(cmd)\n';
const chain = (n: number, item: string, sep: string): string =>
  Array.from({ length: n }, () => item).join(sep);

const nestedDefs = (depth: number): string =>
  Array.from({ length: depth }, (_, i) => `${' '.repeat(i)}def f${i}():`).join('\n') +
  `\n${' '.repeat(depth)}return 1`;

const elifLadder = (n: number): string =>
  `def pick(x):\n    if x == 0:\n        return 0\n${Array.from(
    { length: n },
    (_, i) => `    elif x == ${i + 1}:\n        return ${i + 1}\n`,
  ).join('')}    return -1`;

const CASES: readonly (readonly [string, string])[] = [
  ['a 5,200-term string concatenation', `S = ${chain(5200, '"a"', ' + ')}`],
  ['a 5,000-term boolean chain', `B = ${chain(5000, 'x', ' and ')}`],
  ['a 5,000-term comparison chain', `C = ${chain(5000, 'x', ' < ')}`],
  ['a 3,000-branch elif ladder', elifLadder(3000)],
  ['a 1,000-deep conditional expression', `T = ${chain(1000, '1 if x else', ' ')} 0`],
  ['a 5,000-long attribute chain', `A = x${'.y'.repeat(5000)}`],
  ['a 3,000-long call chain', `F = f${'()'.repeat(3000)}`],
  ['a 3,000-long subscript chain', `G = g${'[0]'.repeat(3000)}`],
  ['a 1,000-deep unary chain', `N = ${'- '.repeat(1000)}1`],
  ['a 1,000-deep lambda chain', `L = ${'lambda: '.repeat(1000)}0`],
  ['functions nested 99 deep', nestedDefs(99)],
  ['brackets nested 190 deep', `P = ${'['.repeat(190)}${']'.repeat(190)}`],
];

function compiles(code: string): string | null {
  const result = spawnSync(
    'python3',
    [
      '-I',
      '-c',
      'import sys; sys.setrecursionlimit(3000); compile(sys.stdin.read(), "tool.py", "exec")',
    ],
    { input: code, encoding: 'utf8', timeout: 60_000 },
  );
  return result.status === 0 ? null : (result.stderr.trim().split('\n').pop() ?? 'no output');
}

describe('the Python analyser never loses to the interpreter', () => {
  it.each(CASES)(
    '%s: compiled by python3, analysed in full, the finding beside it listed',
    async (_, deep) => {
      const code = `${FINDING}\n\n${deep}\n`;
      expect(compiles(code)).toBeNull();
      const analysis = await analyzer.analyze(code, 'python');
      expect(analysis.correctness.not_checked).toBeUndefined();
      expect(analysis.complexity.available).toBe(true);
      expect(analysis.security.available && analysis.security.issues.map((i) => i.rule)).toContain(
        'B605',
      );
    },
  );
});
