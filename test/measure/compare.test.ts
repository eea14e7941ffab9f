import { describe, expect, it } from 'vitest';
import type { Language } from '../../src/domain/types.js';
import { createMeasurer, DEFAULT_TUNING } from '../../src/measure/index.js';
import { placementHere } from '../../src/measure/placement.js';
import { chooseTimer } from '../../src/measure/protocol.js';

function version(code: string, language: Language, n: number) {
  return { code, language, mode: 'function' as const, testInput: { n } };
}

const PY = (factor: number) =>
  `def work(n):\n    total = 0\n    for i in range(n * ${factor}):\n        total += i * i\n    return total\n`;
const JS = (factor: number) =>
  `export default function work({ n }) {\n  let total = 0;\n  for (let i = 0; i < n * ${factor}; i++) total += Math.sqrt(i) * 1.0001;\n  return total;\n}\n`;

/** Old against new code of one language, at the suite's settings (99 %, δ = 2 %). */
function compareCode(language: Language, oldCode: string, newCode: string, n: number) {
  // Generous budget: on a loaded machine a process pair can take 2 s, and the always-valid
  // interval needs at least 4 pairs.
  return createMeasurer().compare(version(oldCode, language, n), version(newCode, language, n), {
    budgetMs: 20_000,
    confidence: 0.99,
    delta: 0.02,
  });
}

describe('compare', () => {
  it.each([
    ['python', PY(1), PY(2), 2000],
    ['javascript', JS(1), JS(2), 20000],
  ] as const)(
    'sees a 2× slowdown in %s: never improvement or same speed; decided, it is a regression',
    async (language, oldCode, newCode, n) => {
      const result = await compareCode(language, oldCode, newCode, n);
      // Properties that hold on a loaded runner too (old and new share the load, pair by pair).
      // How often a 2× slowdown is decided within the budget (detection power) and how tight
      // the interval gets are bench/precision figures. (Under Node 24 with V8's Maglev tier on,
      // this JS case stayed inconclusive for the whole 20 s: test/measure/node24-jit.test.ts.)
      const { change, ci_low, ci_high, ratio, pairs } = result.time;
      expect(['regression', 'inconclusive'], JSON.stringify(result.time)).toContain(change);
      if (pairs < 4) expect(change).toBe('inconclusive');
      if (change === 'regression') expect(ci_low).toBeGreaterThan(1.02);
      expect(ci_low).toBeLessThanOrEqual(ratio);
      expect(ci_high).toBeGreaterThanOrEqual(ratio);
      expect(result.time.ratio).toBeGreaterThan(1.5);
      expect(result.time.ratio).toBeLessThan(2.7);
      expect(result.old.error).toBeUndefined();
      expect(result.new.error).toBeUndefined();
    },
  );

  // A head that divides the clocks it can reach by 10 at import, and does 2× the work: the harness
  // binds its clocks before tool code loads, so the slowdown is still seen (before, the Python head
  // read faster). The static check names the line too (benchmark-gaming, test/analyze). The Node
  // harness binds its clocks the same way; a JS case is not here because the same patch did not
  // fool the old Node harness either, so it could not fail.
  it('a Python head that patches the clocks at import cannot read faster: the harness kept its own', async () => {
    const patched =
      'import time\n_p, _c = time.perf_counter_ns, time.process_time_ns\ntime.perf_counter_ns = lambda: _p() // 10\ntime.process_time_ns = lambda: _c() // 10\n';
    const result = await compareCode('python', PY(1), patched + PY(2), 2000);
    expect(result.new.error).toBeUndefined();
    expect(result.time.ratio).toBeGreaterThan(1.5);
    expect(result.time.change).not.toBe('improvement');
  });

  it('awaits async tools in every pair (not only the first): a 2× async slowdown is seen', async () => {
    const asyncJs = (factor: number) =>
      `export default async function work({ n }) {\n  await null;\n  let total = 0;\n  for (let i = 0; i < n * ${factor}; i++) total += Math.sqrt(i);\n  return total;\n}\n`;
    const result = await createMeasurer().compare(
      version(asyncJs(1), 'javascript', 20000),
      version(asyncJs(2), 'javascript', 20000),
      { budgetMs: 20_000, confidence: 0.99, delta: 0.02 },
    );
    // Were later pairs timing un-awaited promises, their ratios would sit near 1.
    expect(result.time.ratio).toBeGreaterThan(1.5);
    expect(result.time.pairs).toBeGreaterThanOrEqual(2);
    if (result.time.pairs >= 4) {
      expect(result.time.change).toBe('regression');
      expect(result.time.ci_low).toBeGreaterThan(1.2);
    }
  });

  it('a version that waits longer is slower: sleeping tools are timed by the wall clock', async () => {
    // CPU time would call these equal (a sleep uses no CPU): the pilot sees the waiting and
    // picks wall time for the whole comparison.
    const sleeper = (ms: number) =>
      `import time\n\ndef work(n):\n    time.sleep(${ms / 1000})\n    return n\n`;
    const result = await createMeasurer().compare(
      version(sleeper(2), 'python', 1),
      version(sleeper(6), 'python', 1),
      { budgetMs: 10_000, confidence: 0.99, delta: 0.02 },
    );
    expect(result.new.error).toBeUndefined();
    expect(result.diagnostics?.timer).toBe('wall');
    expect(result.time.ratio).toBeGreaterThan(1.5);
    if (result.time.pairs >= 4) expect(result.time.change).toBe('regression');
  }, 60_000);

  it('a JS tool that awaits a timer is timed by the wall clock (its event loop sat idle)', async () => {
    // The Node harness counts a sample's voluntary switches only when its event loop went idle:
    // V8's own threads switch in every sample of an allocating tool, and are not waiting.
    const napper = (ms: number) =>
      `export default async function work({ n }) {\n  await new Promise((r) => setTimeout(r, ${ms}));\n  return n;\n}\n`;
    const result = await createMeasurer().compare(
      version(napper(2), 'javascript', 1),
      version(napper(6), 'javascript', 1),
      { budgetMs: 10_000, confidence: 0.99, delta: 0.02 },
    );
    expect(result.new.error).toBeUndefined();
    expect(result.diagnostics?.timer).toBe('wall');
    expect(result.time.ratio).toBeGreaterThan(1.5);
  }, 60_000);

  it('preemption is not waiting: off-CPU samples without a voluntary switch keep the CPU clock', () => {
    // Two busy loops beside a pair on one CPU put every sample ~50 % off the CPU; a tool that
    // sleeps is off the CPU *and* switches voluntarily in every sample.
    const preempted = Array.from({ length: 8 }, () => ({ wall: 2e6, cpu: 1e6, waits: 0 }));
    const sleeping = Array.from({ length: 8 }, () => ({ wall: 2e6, cpu: 1e5, waits: 3 }));
    const quiet = Array.from({ length: 8 }, () => ({ wall: 1.02e6, cpu: 1e6, waits: 0 }));
    expect(chooseTimer([preempted, preempted])).toBe('cpu');
    expect(chooseTimer([quiet, sleeping])).toBe('wall');
    // Harnesses that do not count switches: off-CPU time alone decides, as before.
    const unknown = preempted.map((s) => ({ ...s, waits: null }));
    expect(chooseTimer([unknown, quiet])).toBe('wall');
    expect(chooseTimer([quiet, quiet])).toBe('cpu');
  });

  it('reports the cold first call beside the steady state: a memoising version is cold-slow', async () => {
    // The new version caches its result across calls: steady state is almost free, but the
    // first call in a fresh process still does all the work. Only orders of magnitude are
    // asserted (a cold call is one wall-timed call; under load it moves, not by 100×).
    const plain = PY(1);
    const memo = `CACHE = {}\n\ndef work(n):\n    if n in CACHE:\n        return CACHE[n]\n    total = 0\n    for i in range(n):\n        total += i * i\n    CACHE[n] = total\n    return total\n`;
    const result = await createMeasurer().compare(
      version(plain, 'python', 200_000),
      version(memo, 'python', 200_000),
      { budgetMs: 6000, confidence: 0.99, delta: 0.02 },
    );
    expect(result.new.error).toBeUndefined();
    const cold = result.cold!;
    expect(cold.old_ns).toBeGreaterThan(0);
    expect(cold.new_ns).toBeGreaterThan(100 * result.new.ns_per_call);
    expect(result.old.ns_per_call).toBeGreaterThan(100 * result.new.ns_per_call);
    // The second call in each fresh process is already a look-up; from two pairs on the first
    // calls' ratio has an interval (policy.ts: state across calls). A loaded runner may fit one.
    expect(cold.second_ratio).toBeLessThan(0.1);
    if (result.time.pairs >= 2) expect(cold.ci_low).toBeLessThanOrEqual(cold.ci_high!);
    else expect(cold.ci_low).toBeUndefined();
    expect(result.diagnostics?.stopped).toBeDefined();
    // Where the children ran (placement.ts): what this machine allows, and the order seed.
    const here = placementHere(DEFAULT_TUNING);
    expect(result.diagnostics).toMatchObject({ pinned: here.pinned, aslr: here.aslr });
    expect(Number.isInteger(result.diagnostics?.seed)).toBe(true);
  }, 60_000);

  it('never calls identical code (different text) a regression, and reports an interval', async () => {
    // Same work, different source text: the A/A case the gate must never flag. A property that
    // holds at any load: a busy machine widens the interval, it does not move it off 1. How often
    // A/A is flagged over many runs (the false-alarm rate) is a statistical figure: see
    // bench/precision (docs/measurement.md) and the seeded A/A test in test/unit/stats.test.ts.
    const oldCode = PY(1);
    const newCode = `# reformatted\n${PY(1).replace('total = 0', 'total  =  0')}`;
    for (let run = 0; run < 3; run++) {
      const result = await createMeasurer().compare(
        version(oldCode, 'python', 300),
        version(newCode, 'python', 300),
        { budgetMs: 6000, confidence: 0.99, delta: 0.02 },
      );
      expect(result.old.error).toBeUndefined();
      expect(result.new.error).toBeUndefined();
      expect(result.time.change).not.toBe('regression');
      // At least the pilot pair (on a loaded machine a pair can take 2 s); the always-valid
      // interval is unbounded until 4 pairs, and still contains the estimate.
      expect(result.time.pairs).toBeGreaterThanOrEqual(1);
      expect(result.time.ci_low).toBeLessThanOrEqual(result.time.ratio);
      expect(result.time.ci_high).toBeGreaterThanOrEqual(result.time.ratio);
    }
  }, 60_000);
});
