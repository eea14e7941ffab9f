/**
 * The Actions runtime is Node 24, and a JS tool's children run on the gate's own Node. There V8's
 * Maglev tier left a hot loop's steady state to chance: after ~400 calls its optimised code was
 * dropped and it ran 3–6× slower for the rest of the process, or did not — so one fresh process
 * pair read a 2× slowdown as 2.0 and the next as 0.4 (three compares before the fix: inconclusive
 * at the 20 s budget, "improvement" at 0.51, regression at 1.92; an A/A read 4.7×). The children
 * now run without Maglev (src/measure/launch.ts). Every pair must see the slowdown.
 */
import { describe, expect, it } from 'vitest';
import { runBuiltCli } from '../helpers/cli.js';
import { node24 } from '../helpers/node24.js';

const JS = (factor: number) =>
  `export default function work({ n }) {\n  let total = 0;\n  for (let i = 0; i < n * ${factor}; i++) total += Math.sqrt(i) * 1.0001;\n  return total;\n}\n`;

function compareUnderNode24(oldCode: string, newCode: string) {
  const run = runBuiltCli(
    ['compare'],
    JSON.stringify({
      old_code: oldCode,
      new_code: newCode,
      language: 'javascript',
      test_input: { n: 20000 },
      budget_ms: 20000,
    }),
    { node: node24() },
  );
  expect(run.json?.success, run.stderr).toBe(true);
  // One batch for both sides (protocol.ts oneBatch): sizes within 4× become the larger. Sized per
  // side, an allocating tool's A/A read 0.946–1.072 (docs/measurement.md, "The fourth cause").
  const batches = [run.json.old.calls_per_sample, run.json.new.calls_per_sample] as number[];
  expect(batches[0], JSON.stringify(batches)).toBe(batches[1]);
  return run.json.time as { change: string; ratio: number; pair_ratios: number[] };
}

describe('JS tools under Node 24 (the Actions runtime)', () => {
  it('every fresh process pair sees a 2× slowdown as about 2×, and it is never an improvement', () => {
    const time = compareUnderNode24(JS(1), JS(2));
    expect(['regression', 'inconclusive'], JSON.stringify(time)).toContain(time.change);
    expect(time.pair_ratios.length).toBeGreaterThan(0);
    for (const ratio of time.pair_ratios) {
      expect(ratio, JSON.stringify(time)).toBeGreaterThan(1.4);
      expect(ratio, JSON.stringify(time)).toBeLessThan(2.9);
    }
  }, 60_000);

  it('every pair of the same code reads about 1×, and it is never a regression', () => {
    const time = compareUnderNode24(JS(1), JS(1));
    expect(time.change, JSON.stringify(time)).not.toBe('regression');
    for (const ratio of time.pair_ratios) {
      expect(ratio, JSON.stringify(time)).toBeGreaterThan(0.7);
      expect(ratio, JSON.stringify(time)).toBeLessThan(1.4);
    }
  }, 60_000);
});
