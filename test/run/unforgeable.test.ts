/**
 * Evidence the tool cannot forge (issue 10), end to end through the gate pipeline with the real
 * analysers, the real analysis diff and the rules judge. The measurer is scripted: the time is
 * not what is tested here.
 *
 * Case 7: the base uses eval; the head keeps eval, is 80 % slower and adds one 20,000-term line.
 * That line once made the analyser's security part hit RecursionError, and the head read as
 * "0 findings, a security fix" (ACCEPT 85). The analyser's walks are iterative now (issue 23:
 * what the interpreter compiles, the analyser analyses): the head's eval is found, nothing is a
 * fix, and the time decides (REJECT).
 *
 * Case 8: a head that is slow except when its path says it is benchmarked (`__file__`), and the
 * same in TS (`__filename`): measured unchanged, it was ACCEPT 80; the finding caps it at REVIEW.
 * And the memo: a head whose work is 10× slower but cached across calls (`_cache[n]`) was ACCEPT
 * 95 at a steady-state ratio of 0.002; measured for real here, its first call in a fresh process
 * shows the slowdown and it is not ACCEPT.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRepo } from '../../src/adapters/git.js';
import { createAnalyzer } from '../../src/analyze/index.js';
import { parseConfig } from '../../src/config/config.js';
import type { Log, Measurer } from '../../src/domain/ports.js';
import type { GateReport } from '../../src/report/model.js';
import type { Comparison } from '../../src/domain/types.js';
import { createRulesJudge } from '../../src/judge/rules.js';
import { createMeasurer } from '../../src/measure/index.js';
import { run } from '../../src/run.js';
import { comparison } from '../render/fixtures.js';
import { createRepo } from '../helpers/git-repo.js';
import type { TestRepo } from '../helpers/git-repo.js';

const quiet: Log = { debug() {}, info() {}, warn() {}, error() {} };
/** A fixed time ratio, whatever the code: the analysis is under test here, not the measurement. */
const scripted = (ratio: number, change: Comparison['time']['change']): Measurer => ({
  compare: () => Promise.resolve(comparison(ratio, ratio * 0.97, ratio * 1.03, change)),
});

async function gate(
  dir: string,
  measurer: Measurer,
  config = parseConfig({}),
): Promise<GateReport> {
  let t = 0;
  return run(
    config,
    { mode: 'gate', baseRef: 'main', headRef: 'pr', repository: null, pullRequest: null },
    {
      repo: openRepo(dir),
      measurer,
      analyzer: createAnalyzer(),
      judge: createRulesJudge({ now: () => new Date('2026-01-01T00:00:00Z') }),
      clock: { now: () => new Date('2026-01-01T00:00:00Z') },
      log: quiet,
      monotonicMs: () => (t += 10),
    },
  );
}

const BASE = 'def work(n):\n    x = eval(str(n))\n    return x\n';
const HEAD = `def work(n):\n    x = eval(str(n))\n    x = ${Array.from({ length: 20_000 }, () => 'x').join('+')}\n    return x\n`;

describe('case 7: a head whose one line nests 20,000 terms deep', () => {
  let repo: TestRepo;
  beforeAll(() => {
    repo = createRepo();
    repo.commit('base', { 'tools/t.py': BASE, 'tools/t.perf.json': '{"test_input": {"n": 2}}' });
    repo.git('checkout', '-q', '-b', 'pr');
    repo.commit('head', { 'tools/t.py': HEAD });
  });
  afterAll(() => repo.remove());

  it('is analysed whole (its eval is found) and judged on time (REJECT), never as a security fix', async () => {
    const report = await gate(repo.dir, scripted(1.8, 'regression'));
    const row = report.tools.find((r) => r.id === 't')!;
    // The real analyser, iterative: both versions' eval is found, deep line or not.
    expect(row.analysis_old?.security).toMatchObject({ available: true, total_issues: 1 });
    expect(row.analysis_new?.security).toMatchObject({ available: true, total_issues: 1 });
    expect(row.analysis_new?.correctness.syntax_valid).toBe(true);
    expect(row.diff).toMatchObject({ security_old: 1, security_new: 1, fixed_findings: [] });
    expect(row.verdict).toBe('REJECT');
    const reasons = row.evaluation!.band.reasons.join('\n');
    expect(reasons).not.toMatch(/security fix/);
    expect(reasons).not.toMatch(/analysis could not run/);
  }, 60_000);
});

describe('case 8: a head that detects the benchmark from its own path', () => {
  let repo: TestRepo;
  beforeAll(() => {
    repo = createRepo();
    repo.commit('base', {
      'tools/py.py': 'def work(n):\n    return sum(range(n))\n',
      'tools/py.perf.json': '{"test_input": {"n": 2}}',
      'tools/js.js': 'export function work(n) {\n  return n * 2;\n}\n',
      'tools/js.perf.json': '{"test_input": {"n": 2}}',
    });
    repo.git('checkout', '-q', '-b', 'pr');
    repo.commit('head', {
      'tools/py.py':
        "_N = 1 if 'perf-verdict' in __file__ else 10\n\n\ndef work(n):\n    return sum(range(n * _N)) // _N\n",
      'tools/js.js':
        "const N = __filename.includes('perf-verdict') ? 1 : 10;\nexport function work(n) {\n  let s = 0;\n  for (let i = 0; i < N; i++) s += n * 2;\n  return s / N;\n}\n",
    });
  });
  afterAll(() => repo.remove());

  it('measured unchanged, both languages are REVIEW with benchmark-gaming and the line', async () => {
    const report = await gate(repo.dir, scripted(1, 'unchanged'));
    const rows = Object.fromEntries(report.tools.map((r) => [r.id, r]));
    for (const [id, what] of [
      ['py', 'line 1 (reads its own path or loader (__file__))'],
      ['js', 'line 1 (reads its own path (__filename))'],
    ] as const) {
      const row = rows[id]!;
      expect(row.diff?.new_findings.map((f) => f.rule)).toEqual(['benchmark-gaming']);
      expect(row.verdict).toBe('REVIEW');
      expect(row.evaluation!.band.reasons.join('\n')).toContain(
        `benchmark-gaming: the head introduces ${what}`,
      );
    }
  }, 60_000);
});

describe('the memo: 10× slower work, cached across calls', () => {
  let repo: TestRepo;
  const work = (rounds: number): string =>
    `    s = 0\n    for _ in range(${rounds}):\n        s = 0\n        for i in range(n):\n            s += i * i\n`;
  beforeAll(() => {
    repo = createRepo();
    repo.commit('base', {
      'tools/memo.py': `def work(n):\n${work(1)}    return s\n`,
      'tools/memo.perf.json': '{"test_input": {"n": 20000}}',
    });
    repo.git('checkout', '-q', '-b', 'pr');
    repo.commit('head', {
      'tools/memo.py': `_cache = {}\n\n\ndef work(n):\n    if n in _cache:\n        return _cache[n]\n${work(10)}    _cache[n] = s\n    return s\n`,
    });
  });
  afterAll(() => repo.remove());

  it('is not ACCEPT; measured as an improvement, the reason is state across calls', async () => {
    const config = parseConfig({ inputs: { 'time-budget-seconds': '6' } });
    const report = await gate(repo.dir, createMeasurer(), config);
    const row = report.tools.find((r) => r.id === 'memo')!;
    const c = row.comparison!;
    // The first call does the work 10× over; whatever the load, it is not faster than the base's.
    expect(c.cold?.ratio).toBeGreaterThan(1);
    expect(row.verdict).not.toBe('ACCEPT');
    if (c.time.change === 'improvement')
      expect(row.evaluation!.band.reasons.join('\n')).toContain(
        'state across calls: the first call in a fresh process is',
      );
  }, 120_000);
});
