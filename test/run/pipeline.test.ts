import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRepo } from '../../src/adapters/git.js';
import { parseConfig } from '../../src/config/config.js';
import type { Analyzer, Log, Measurer } from '../../src/domain/ports.js';
import type { Comparison, ToolVersion } from '../../src/domain/types.js';
import { createRulesJudge } from '../../src/judge/rules.js';
import { run } from '../../src/run.js';
import type { GatePorts } from '../../src/run.js';
import { analysis, comparison } from '../render/fixtures.js';
import { createRepo } from '../helpers/git-repo.js';
import type { TestRepo } from '../helpers/git-repo.js';

/** A measurer that reads the time a version "takes" from a `# ns=` comment in its code. */
function scriptedMeasurer(calls: [string, string][]): Measurer {
  const ns = (v: ToolVersion): number => Number(/# ns=(\d+)/.exec(v.code)?.[1] ?? NaN);
  return {
    compare(oldVersion, newVersion) {
      calls.push([oldVersion.code, newVersion.code]);
      if (newVersion.code.includes('# hostile-measurer'))
        return Promise.reject(new Error('harness exploded'));
      const ratio = ns(newVersion) / ns(oldVersion);
      const c = comparison(
        ratio,
        ratio * 0.97,
        ratio * 1.03,
        ratio > 1.05 ? 'regression' : ratio < 0.95 ? 'improvement' : 'unchanged',
        ns(oldVersion),
      );
      if (newVersion.code.includes('raise')) {
        return Promise.resolve<Comparison>({
          ...c,
          new: { ...c.new, error: { kind: 'exception', message: 'ValueError: boom' } },
        });
      }
      return Promise.resolve(c);
    },
  };
}

const analyzer: Analyzer = {
  analyze(code) {
    if (code.includes('# hostile-analyzer')) return Promise.reject(new Error('analyser crashed'));
    return Promise.resolve(
      analysis(
        2,
        code.includes('eval(')
          ? [{ rule: 'B307', severity: 'MEDIUM', confidence: 'HIGH', line: 2, message: 'eval' }]
          : [],
      ),
    );
  },
};

const quiet: Log = { debug() {}, info() {}, warn() {}, error() {} };

function ports(repoDir: string, calls: [string, string][]): GatePorts {
  let t = 0;
  return {
    repo: openRepo(repoDir),
    measurer: scriptedMeasurer(calls),
    analyzer,
    judge: createRulesJudge({ now: () => new Date('2026-01-01T00:00:00Z') }),
    clock: { now: () => new Date('2026-01-01T00:00:00Z') },
    log: quiet,
    monotonicMs: () => (t += 10),
  };
}

const tool = (ns: number, body = 'return x'): string => `def f(x):\n    # ns=${ns}\n    ${body}\n`;
const sidecar = '{"test_input": {"x": 1}}';

describe('run(config, ports) on a real repository', () => {
  let repo: TestRepo;
  beforeAll(() => {
    repo = createRepo();
    repo.commit('base', {
      'tools/slow.py': tool(1000),
      'tools/slow.perf.json': sidecar,
      'tools/fast.py': tool(3000),
      'tools/fast.perf.json': sidecar,
      'tools/broken.py': tool(1000),
      'tools/broken.perf.json': sidecar,
      'tools/hostile.py': tool(1000),
      'tools/hostile.perf.json': sidecar,
      'tools/crashy.py': tool(1000),
      'tools/crashy.perf.json': sidecar,
      'tools/noinput.py': tool(1000),
      'tools/same.py': tool(1000),
      'tools/same.perf.json': sidecar,
      'tools/badspec.py': tool(1000),
      'tools/badspec.perf.json': sidecar,
    });
    repo.git('checkout', '-q', '-b', 'pr');
    repo.commit('head', {
      'tools/slow.py': tool(3000),
      'tools/fast.py': tool(1000),
      'tools/broken.py': tool(1000, 'raise ValueError("boom")'),
      'tools/hostile.py': tool(1000, 'return x  # hostile-measurer'),
      'tools/crashy.py': tool(1000, 'return x  # hostile-analyzer'),
      'tools/noinput.py': tool(1000, 'return x + 0'),
      'tools/badspec.perf.json': '{"test_input": {"x": 1}, "mode": "turbo"}',
      // Different enough from the removed tool that git does not call it a rename.
      'tools/fresh.py':
        'import math\n\n\ndef fresh(x):\n    # ns=500\n    return [math.sqrt(abs(v)) for v in range(x)]\n',
      'tools/fresh.perf.json': sidecar,
      'tools/same.py': null,
      'tools/same.perf.json': null,
    });
  });
  afterAll(() => repo.remove());

  it('judges each changed tool, one failure per row, never the whole gate', async () => {
    const calls: [string, string][] = [];
    const config = parseConfig({});
    const report = await run(
      config,
      { mode: 'gate', baseRef: 'main', headRef: 'pr', repository: null, pullRequest: null },
      ports(repo.dir, calls),
    );
    const rows = Object.fromEntries(report.tools.map((r) => [r.id, r]));
    expect(Object.keys(rows).sort()).toEqual([
      'badspec',
      'broken',
      'crashy',
      'fast',
      'fresh',
      'hostile',
      'noinput',
      'same',
      'slow',
    ]);
    expect(rows['fresh']).toMatchObject({ status: 'new', comparison: null, old_code: null });
    expect(rows['fresh']!.analysis_new).not.toBeNull();
    // A new tool is judged by the new-tool rules; this measurer cannot run one alone: REVIEW.
    expect(rows['fresh']!.evaluation?.judge).toBe('rules (new tool)');
    expect(rows['fresh']).toMatchObject({ verdict: 'REVIEW', profile: null });
    expect(rows['same']).toMatchObject({ status: 'removed', verdict: 'REVIEW', new_code: null });
    expect(rows['same']!.note).toMatch(/^removed at head/);
    expect(rows['badspec']).toMatchObject({ status: 'error', verdict: 'REVIEW' });
    expect(rows['badspec']!.note).toBe(
      "tools/badspec.perf.json: 'mode' must be one of function, executable",
    );
    expect(rows['slow']).toMatchObject({ status: 'modified', verdict: 'REJECT' });
    expect(rows['fast']).toMatchObject({ status: 'modified', verdict: 'ACCEPT' });
    expect(rows['broken']).toMatchObject({ verdict: 'REJECT', score: 0 });
    expect(rows['broken']!.note).toMatch(
      /head version fails on the test input .*exception: ValueError: boom/,
    );
    expect(rows['hostile']).toMatchObject({ status: 'error', verdict: 'REVIEW' });
    expect(rows['hostile']!.note).toContain('harness exploded');
    expect(rows['crashy']).toMatchObject({ status: 'error', verdict: 'REVIEW' });
    expect(rows['noinput']).toMatchObject({ status: 'skipped', verdict: 'REVIEW' });
    expect(rows['noinput']!.note).toMatch(/^not measured: no test input/);
    expect(report.verdict).toBe('REJECT');
    expect(report.score).toBe(0);
    expect(report.merge_base).toBe(repo.git('merge-base', 'main', 'pr'));
    // Measured one pair per measurable tool, base first.
    expect(calls).toHaveLength(4);
    expect(calls.find(([, n]) => n.includes('ns=3000'))?.[0]).toContain('ns=1000');
  });

  it('measure mode (no judge) measures and analyses but leaves verdicts open', async () => {
    const report = await run(
      parseConfig({}),
      { mode: 'measure', baseRef: 'main', headRef: 'pr', repository: null, pullRequest: null },
      { ...ports(repo.dir, []), judge: null },
    );
    expect(report.verdict).toBeNull();
    expect(report.tools.every((r) => r.verdict === null)).toBe(true);
    expect(report.tools.find((r) => r.id === 'slow')?.comparison?.time.ratio).toBe(3);
  });

  it('total-budget-seconds: each tool gets at most its share of what is left; a cut is noted', async () => {
    // A measurer that always spends its whole budget without settling.
    const budgets: number[] = [];
    const spender: Measurer = {
      compare(_old, _new, options) {
        budgets.push(options.budgetMs);
        const c = comparison(1.01, 0.9, 1.12, 'inconclusive');
        return Promise.resolve<Comparison>({
          ...c,
          wall_ms: options.budgetMs,
          diagnostics: {
            stopped: 'budget',
            timer: 'cpu',
            sample_sd: 0.01,
            round_sd: 0.01,
            pair_sd: 0.01,
            personality_sd: 0.005,
            boot_ms: 50,
            warmup_ms: 20,
            rounds_per_pair: 8,
            pair_ms: 200,
            sample_ms: 2,
            busy: false,
            load_average: 0.5,
            cpus: 2,
          },
        });
      },
    };
    const request = {
      mode: 'gate' as const,
      baseRef: 'main',
      headRef: 'pr',
      repository: null,
      pullRequest: null,
    };
    const pooled = await run(parseConfig({ file: { 'total-budget-seconds': 12 } }), request, {
      ...ports(repo.dir, []),
      measurer: spender,
    });
    // 9 changed tools, 4 measured: no share exceeds what was left over the tools still to come.
    expect(budgets).toHaveLength(4);
    expect(budgets.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(12_000);
    for (const b of budgets) expect(b).toBeLessThanOrEqual(20_000);
    const measured = pooled.tools.filter((r) => r.comparison !== null);
    expect(measured).toHaveLength(4);
    for (const row of measured)
      expect(row.note ?? '').toMatch(/cut by the PR's total-budget-seconds \(\d+\.\d s of 20 s/);

    budgets.length = 0;
    const alone = await run(parseConfig({}), request, {
      ...ports(repo.dir, []),
      measurer: spender,
    });
    expect(budgets).toEqual([20_000, 20_000, 20_000, 20_000]);
    expect(alone.tools.some((r) => (r.note ?? '').includes('total-budget-seconds'))).toBe(false);
  });

  it('tells the progress port each tool’s turn: k of n, elapsed, what is left', async () => {
    const events: string[] = [];
    const report = await run(
      parseConfig({ inputs: { 'time-budget-seconds': '5' } }),
      { mode: 'gate', baseRef: 'main', headRef: 'pr', repository: null, pullRequest: null },
      {
        ...ports(repo.dir, []),
        progress: {
          startTool: (p) => events.push(`start ${p.index}/${p.total} ${p.id} left ${p.leftMs}`),
          endTool: (p) => events.push(`end ${p.index}/${p.total} ${p.id} ${p.outcome}`),
        },
      },
    );
    const n = report.tools.length;
    expect(events).toHaveLength(2 * n);
    // Nothing finished yet: every tool is estimated at the budget (5 s).
    expect(events[0]).toMatch(new RegExp(`^start 1/${n} \\S+ left ${n * 5000}$`));
    expect(events.filter((e) => e.startsWith('end')).map((e) => e.split(' ')[1])).toEqual(
      Array.from({ length: n }, (_, i) => `${i + 1}/${n}`),
    );
  });

  it('shards the changed tools', async () => {
    const config = parseConfig({ inputs: { shard: '2/3' } });
    const report = await run(
      config,
      { mode: 'gate', baseRef: 'main', headRef: 'pr', repository: null, pullRequest: null },
      ports(repo.dir, []),
    );
    expect(report.tools.map((r) => r.id)).toEqual(['broken', 'fresh', 'same']);
  });

  it('no tool changed → NONE', async () => {
    const other = createRepo();
    try {
      other.commit('base', { 'tools/a.py': tool(1), 'README.md': 'a' });
      other.git('checkout', '-q', '-b', 'docs');
      other.commit('docs only', { 'README.md': 'b' });
      const report = await run(
        parseConfig({}),
        { mode: 'gate', baseRef: 'main', headRef: 'docs', repository: null, pullRequest: null },
        ports(other.dir, []),
      );
      expect(report.verdict).toBe('NONE');
      expect(report.tools).toEqual([]);
      expect(report.score).toBeNull();
    } finally {
      other.remove();
    }
  });
});

describe('bounded by default: the PR-wide budget and the tool cap (issue 23)', () => {
  let repo: TestRepo;
  const request = {
    mode: 'gate' as const,
    baseRef: 'main',
    headRef: 'pr',
    repository: null,
    pullRequest: null,
  };
  const ids = ['t1', 't2', 't3', 't4', 't5'];
  beforeAll(() => {
    repo = createRepo();
    repo.commit(
      'base',
      Object.fromEntries(
        ids.flatMap((id) => [
          [`tools/${id}.py`, tool(1000)],
          [`tools/${id}.perf.json`, sidecar],
        ]),
      ),
    );
    repo.git('checkout', '-q', '-b', 'pr');
    // Every tool three times slower: each one measured would be REJECT.
    repo.commit('head', Object.fromEntries(ids.map((id) => [`tools/${id}.py`, tool(3000)])));
  });
  afterAll(() => repo.remove());

  it('defaults: 1200 s for the whole PR and at most 50 tools', () => {
    const config = parseConfig({});
    expect(config.totalBudgetSeconds).toBe(1200);
    expect(config.maxTools).toBe(50);
    expect(() => parseConfig({ file: { 'max-tools': 2.5 } })).toThrow(/max-tools/);
  });

  it('max-tools: exactly that many tools are measured, the rest are rows marked cut, never ACCEPT', async () => {
    const calls: [string, string][] = [];
    const report = await run(parseConfig({ file: { 'max-tools': 2 } }), request, {
      ...ports(repo.dir, calls),
    });
    expect(calls).toHaveLength(2);
    expect(report.tools.map((r) => r.id)).toEqual(ids);
    const cut = report.tools.filter((r) => r.comparison === null);
    expect(cut.map((r) => r.id)).toEqual(['t3', 't4', 't5']);
    for (const row of cut) {
      expect(row).toMatchObject({
        status: 'skipped',
        verdict: 'REVIEW',
        note: 'not measured: the PR-wide cap of 2 tools was reached (max-tools)',
      });
    }
    expect(report.tools.filter((r) => r.comparison !== null).map((r) => r.verdict)).toEqual([
      'REJECT',
      'REJECT',
    ]);
    expect(report.verdict).toBe('REJECT');
  });

  it('total-budget-seconds counts wall time: after tools that hang, the rest are cut', async () => {
    // Each tool "hangs" for 30 s of the gate's clock, whatever share it was given.
    let now = 0;
    const shares: number[] = [];
    const hanging: Measurer = {
      compare(_old, _new, options) {
        shares.push(options.budgetMs);
        now += 30_000;
        return Promise.resolve(comparison(3, 2.9, 3.1, 'regression', 1000));
      },
    };
    const report = await run(parseConfig({ file: { 'total-budget-seconds': 45 } }), request, {
      ...ports(repo.dir, []),
      measurer: hanging,
      monotonicMs: () => now,
    });
    // 45 s: the first tool's 30 s leave 15 s, the second's spend them; the other three are cut.
    expect(shares).toHaveLength(2);
    expect(shares[0]).toBe(9000);
    expect(shares[1]).toBe(3750);
    const cut = report.tools.filter((r) => r.comparison === null);
    expect(cut.map((r) => r.id)).toEqual(['t3', 't4', 't5']);
    for (const row of cut) {
      expect(row.verdict).toBe('REVIEW');
      expect(row.note).toBe(
        'not measured: the PR-wide budget of 45 s was reached (total-budget-seconds)',
      );
    }
  });
});
