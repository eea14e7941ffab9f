/**
 * State carried across calls, measured (issue 23): the first and the second call of each fresh
 * process pair, the first calls' interval over the pairs, judged by policy.ts's rule on real
 * Python children. A memo under an unchanged steady state is shown; an honest 3× speed-up, whose
 * first call improves as much, is not. Calls of 5–50 ms, so that preemption on a loaded runner
 * moves a first call by a fraction, not by the tenfold the memo's first call costs.
 */
import { describe, expect, it } from 'vitest';
import type { Comparison } from '../../src/domain/types.js';
import { createMeasurer } from '../../src/measure/index.js';
import { buildEvidence, stateAcrossCalls } from '../../src/verdict/policy.js';

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
