/**
 * State carried across calls, measured (issue 23): the first and the second call of each fresh
 * process pair, the first calls' interval over the pairs, judged by policy.ts's rule on real
 * Python children. A memo under an unchanged steady state is shown; an honest 3× speed-up, whose
 * first call improves as much, is not. Calls of 5–50 ms, so that preemption on a loaded runner
 * moves a first call by a fraction, not by the tenfold the memo's first call costs.
 *
 * JavaScript: the same through real Node children, where the first calls of interpreter-only
 * pairs (src/measure/first-calls.ts) judge it. Memos whose first call is 10× and 7.8× the base's
 * under an unchanged steady state are shown; the example checksum (a loop replacing
 * split/map/reduce: 4–9× slower than the base on its first call under the JIT, 4× faster warm)
 * and an honest 3× slowdown and speed-up are not.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Comparison, Json } from '../../src/domain/types.js';
import { createMeasurer } from '../../src/measure/index.js';
import {
  buildEvidence,
  computeBand,
  recommend,
  stateAcrossCalls,
} from '../../src/verdict/policy.js';
import { ROOT } from '../helpers/cli.js';

const HELPER =
  'def _work(n, times):\n    s = 0\n    for _ in range(times):\n        for i in range(n):\n            s += i * i\n    return s\n\n\n';
const PLAIN = (times: number): string => `${HELPER}def work(n):\n    return _work(n, ${times})\n`;
// Ten times the work on the first call of a process, then the base's own work and a look-up.
const MEMO = `${HELPER}_cache = {}\n\n\ndef work(n):\n    if n not in _cache:\n        _cache[n] = _work(n, 10) // 10\n    return _cache[n] + 0 * _work(n, 1)\n`;

async function compare(oldCode: string, newCode: string): Promise<Comparison> {
  const version = (code: string) =>
    ({ code, language: 'python', mode: 'function', testInput: { n: 50_000 } }) as const;
  const c = await createMeasurer().compare(version(oldCode), version(newCode), {
    budgetMs: 20_000,
    confidence: 0.99,
    delta: 0.02,
  });
  expect(c.new.error).toBeUndefined();
  expect(c.old.error).toBeUndefined();
  return c;
}

const state = (c: Comparison): string | null =>
  stateAcrossCalls(buildEvidence({ comparison: c }), 0.02);

describe('state carried across calls, measured', () => {
  it('a memo under an unchanged steady state is shown: its first calls do ten times the work', async () => {
    const c = await compare(PLAIN(1), MEMO);
    expect(state(c), JSON.stringify({ cold: c.cold, time: c.time })).toMatch(
      /^state across calls: the first call in a fresh process is \+\d+ %/,
    );
  }, 120_000);

  it('an honest 3× speed-up is not: its first call is 3× faster too', async () => {
    const c = await compare(PLAIN(3), PLAIN(1));
    expect(state(c), JSON.stringify({ cold: c.cold, time: c.time })).toBeNull();
  }, 120_000);
});

const JS_HELPER =
  'function work(n, times) {\n  let s = 0;\n  for (let t = 0; t < times; t++) for (let i = 0; i < n; i++) s += i * i;\n  return s;\n}\n\n';
const JS_PLAIN = (times: number): string =>
  `${JS_HELPER}export default function tool({ n }) {\n  return work(n, ${times});\n}\n`;
/** A memo: `first` times the base's work on the first call of a process, then a look-up and the base's work. */
const JS_MEMO = (first: number): string =>
  `${JS_HELPER}const cache = new Map();\n\nexport default function tool({ n }) {\n  if (!cache.has(n)) cache.set(n, work(Math.round(n * ${first - 1}), 1));\n  return cache.get(n) * 0 + work(n, 1);\n}\n`;

async function compareJs(
  oldCode: string,
  newCode: string,
  input: Json,
  language: 'javascript' | 'typescript' = 'javascript',
): Promise<Comparison> {
  const version = (code: string) =>
    ({ code, language, mode: 'function', testInput: input }) as const;
  const c = await createMeasurer().compare(version(oldCode), version(newCode), {
    budgetMs: 10_000,
    confidence: 0.99,
    delta: 0.02,
  });
  expect(c.new.error).toBeUndefined();
  expect(c.old.error).toBeUndefined();
  return c;
}

const shown = (c: Comparison): string =>
  JSON.stringify({ cold: c.cold, time: c.time, load: c.diagnostics?.load_average });

describe('state carried across calls, measured: JavaScript (the JIT off for the first calls)', () => {
  it.each([
    ['10×', 10],
    ['7.8×', 7.8],
  ])(
    'a memo whose first call is %s the base’s, under an unchanged steady state, is shown: REVIEW',
    async (_name, first) => {
      const c = await compareJs(JS_PLAIN(1), JS_MEMO(first), { n: 20_000 });
      expect(c.cold?.interpreted?.pairs, shown(c)).toBeGreaterThanOrEqual(2);
      expect(state(c) ?? 'not shown', shown(c)).toMatch(
        /^state across calls: with the JIT off, the first call/,
      );
      const band = computeBand(buildEvidence({ comparison: c }), {});
      expect(recommend(band.rule_score)).not.toBe('ACCEPT');
      expect(band.hi).toBeLessThan(80);
    },
    120_000,
  );

  it('the example checksum (a loop for split/map/reduce, TypeScript) is not', async () => {
    const read = (path: string): string => readFileSync(`${ROOT}/examples/${path}`, 'utf8');
    const input = JSON.parse(read('tools/math/checksum.perf.json')) as { test_input: Json };
    const c = await compareJs(
      read('tools/math/checksum.ts'),
      read('head/tools/math/checksum.ts'),
      input.test_input,
      'typescript',
    );
    expect(c.cold?.interpreted?.pairs, shown(c)).toBeGreaterThanOrEqual(2);
    expect(state(c), shown(c)).toBeNull();
  }, 120_000);

  it.each([
    ['slowdown', 1, 3],
    ['speed-up', 3, 1],
  ])(
    'an honest 3× %s is not',
    async (_name, base, head) => {
      const c = await compareJs(JS_PLAIN(base), JS_PLAIN(head), { n: 20_000 });
      expect(c.cold?.interpreted?.pairs, shown(c)).toBeGreaterThanOrEqual(2);
      expect(state(c), shown(c)).toBeNull();
    },
    120_000,
  );
});
