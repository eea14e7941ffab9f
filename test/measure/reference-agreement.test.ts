/**
 * `compare` agrees with a plain loop (issue 28). Before, the bundled compare read a +5 % JS loop
 * as 1.00–1.03 (and once, with one call per sample on the base side, as an `improvement` at
 * 0.58) where a plain loop said 1.05: the batch was sized on the cold first calls, so warm
 * samples were 10–200× shorter than 2 ms and their fixed cost per sample diluted and shifted the
 * per-call times (docs/measurement.md, "Agreement with a plain loop").
 *
 * Two cells of bench/agreement's grid, a loop and a string builder at +5 %, through the bundled
 * compare under Node 24. The reference is measured here, in this run, on this machine, at its
 * load: fresh Node 24 processes with compare's child flags (`--no-maglev`) that import the tool
 * and call it in a plain loop (bench/reference/plain-loop.mjs: the input a run-time value, the
 * young generation pinned — without either the plain loop read the string builder's +5 % as
 * ~1.03, issue 28's two causes), 5 pairs, each pair's two processes side by side on one CPU and
 * starting their timed loops together (a barrier: else the machine's episodes fall on one of them
 * only, issue 28's third cause), CPU time. The assertion: the reference lies inside compare's 99 % interval, with one
 * tolerance — the reference's own spread, the range of its 5 pair ratios (what the reference
 * itself cannot resolve; it widens as load degrades both measurements, and it is the only slack:
 * the interval's own width is compare's). Both are CPU-time measurements on one CPU, so
 * preemption by other processes is not in either; what load does to them (cache pollution,
 * longer intervals) widens one or the other, and never moves compare's estimate away from the
 * reference alone. The interval must also be informative, or any reference would lie inside it:
 * top/bottom ≤ 1.25, or ≤ 3× the reference's own spread where load has made that wide.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cell } from '../../bench/reference/grid.js';
import { referenceRatio, writeCell } from '../../bench/reference/reference.js';
import { runBuiltCli } from '../helpers/cli.js';
import { node24 } from '../helpers/node24.js';

const dir = mkdtempSync(join(tmpdir(), 'pv-reference-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function agreement(workload: string) {
  const c = cell('javascript', workload, '5');
  const reference = await referenceRatio(writeCell(c, dir, workload), {
    node: node24(),
    flags: ['--no-maglev'],
    processes: 5,
    warmMs: 400,
    timedMs: 250,
  });
  const pairRatios = reference.pairRatios;
  const run = runBuiltCli(
    ['compare'],
    JSON.stringify({
      old_code: c.oldCode,
      new_code: c.newCode,
      language: c.language,
      test_input: c.input,
      // The default budget: under heavy load (1-minute load 20–30 on this 2-CPU VM) 15 s gave
      // compare 3 pairs, one short of an interval.
      budget_ms: 20000,
    }),
    { node: node24() },
  );
  expect(run.json?.success, run.stderr).toBe(true);
  const time = run.json.time as { ratio: number; ci_low: number; ci_high: number };
  return {
    reference: reference.ratio,
    referenceRange: [Math.min(...pairRatios), Math.max(...pairRatios)] as const,
    time,
  };
}

describe('compare agrees with a plain loop (bundled CLI, Node 24)', () => {
  for (const workload of ['loop10us', 'str'])
    it(`${workload} +5 %: the plain loop's ratio lies inside compare's 99 % interval`, async () => {
      const { reference, referenceRange, time } = await agreement(workload);
      const seen = JSON.stringify({ reference, referenceRange, time });
      // Informative: an interval at all (≥ 4 pairs; else it is infinite), no wider than 1.25×,
      // or, when the machine makes the reference itself that uncertain (its range 0.92–1.07 for
      // the string builder at load 30), than 3× the reference's own spread (in log).
      const spread = Math.log(referenceRange[1] / referenceRange[0]);
      expect(Math.log(time.ci_high / time.ci_low), seen).toBeLessThanOrEqual(
        Math.max(Math.log(1.25), 3 * spread),
      );
      // Inside, up to the reference's own spread: the two intervals meet.
      expect(Math.max(reference, referenceRange[1]), seen).toBeGreaterThanOrEqual(time.ci_low);
      expect(Math.min(reference, referenceRange[0]), seen).toBeLessThanOrEqual(time.ci_high);
    }, 180_000);
});
