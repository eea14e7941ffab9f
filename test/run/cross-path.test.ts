/**
 * The same pair of versions gets the same verdict and score on every path (issue 25): the gate
 * (`full` mode), the Action's `measure` → `report` modes (the artifact judged back), `record`
 * (through the profiler), the guide's `profile`, `evaluate`, and `record` through the bundled
 * Action under Node 24. A new tool (no base) is judged by one rule on every path (assess.ts
 * `judgeNew`): on whether it runs on its example and on its findings.
 *
 * Every path that takes ports is fed the same measured evidence: one scripted measurer whose
 * ratio is the ratio of the code's `# cost: N` markers (a `# fails` marker makes that version
 * fail), so no verdict hinges on this machine's noise. The analyser and the rules judge are the
 * real ones. `evaluate` takes no comparison: it gets the same ratio as the guide's point times
 * (`execution_time_ms`), so the scripted interval has zero width — a point — for the two kinds of
 * evidence to be the same; `evaluate` is then held to the same verdict and score. The judge's
 * reasoning is compared where a path shows it (gate, report, profile).
 *
 * The bundled Action measures for real (no scripted measurer can reach it), so it runs the pairs
 * whose verdict and score the policy fixes whatever the timing: a new finding that caps the score
 * (REVIEW 50 at most, REJECT 25 at most: a same-speed pair stays at the cap unless noise reads a
 * slowdown of more than 10 %), a head that fails (REJECT 0), both failing (REVIEW, no score), and
 * the new tools (their rule reads no time). Their tools change in the push it records (`after`);
 * the pairs whose score depends on the measured ratio change in a later commit it does not see.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRepo } from '../../src/adapters/git.js';
import { policyOf } from '../../src/assess.js';
import { createAnalyzer } from '../../src/analyze/index.js';
import { evaluateCommand } from '../../src/cli/commands/evaluate.js';
import { parseConfig } from '../../src/config/config.js';
import type { Analyzer, Log, Measurer } from '../../src/domain/ports.js';
import type {
  Analysis,
  Comparison,
  Json,
  Language,
  ToolVersion,
  VersionProfile,
} from '../../src/domain/types.js';
import { createRulesJudge } from '../../src/judge/index.js';
import type { BenchmarkResult } from '../../src/measure/index.js';
import { profileFigures, profileTool } from '../../src/profile/index.js';
import type { ProfilePorts } from '../../src/profile/index.js';
import { recordPush } from '../../src/record/index.js';
import { FileRegistryStore } from '../../src/registry/store.js';
import { parseUntrustedReport } from '../../src/report/artifact.js';
import { judgeArtifact, run } from '../../src/run.js';
import type { GatePorts } from '../../src/run.js';
import { comparison } from '../render/fixtures.js';
import { createRepo } from '../helpers/git-repo.js';
import type { TestRepo } from '../helpers/git-repo.js';
import { payload, runAction } from '../e2e/action-helpers.js';

interface Pair {
  readonly id: string;
  /** null: a new tool, added by the head. */
  readonly base: string | null;
  readonly head: string;
  readonly requirementOld: string;
  readonly requirementNew: string;
  /** What the pair must get, on every path. */
  readonly verdict: 'ACCEPT' | 'REVIEW' | 'REJECT';
  /** Set when the score itself is the pair's point (a failure's), else any, but the same everywhere. */
  readonly score?: number | null;
  /** Recorded through the bundled Action too (see the file's comment for which). */
  readonly action?: true;
}

const plus = (cost: number, ...lines: string[]): string =>
  ['def tool(x):', `    # cost: ${cost}`, ...lines, '    return x + 1', ''].join('\n');
const SAME = 'Add one to a number';
/** The real failure behind a `# fails` marker, for the paths that run the code (the Action). */
const RAISE = "    raise ValueError('boom')";

const PAIRS: readonly Pair[] = [
  {
    // bandit B311 (LOW), below security-fail-on high: listed, not weighed down.
    id: 'finding_low',
    base: plus(100),
    head: `import random\n${plus(100, '    if x < 0:', '        return random.random()')}`,
    requirementOld: SAME,
    requirementNew: SAME,
    verdict: 'ACCEPT',
  },
  {
    id: 'finding_medium',
    base: plus(100),
    head: plus(100, '    if x < 0:', '        return eval(str(x))'),
    requirementOld: SAME,
    requirementNew: SAME,
    verdict: 'REVIEW',
    action: true,
  },
  {
    id: 'finding_high',
    base: plus(100),
    head: `import hashlib\n${plus(100, '    if x < 0:', "        return hashlib.md5(b'x').hexdigest()")}`,
    requirementOld: SAME,
    requirementNew: SAME,
    verdict: 'REJECT',
    action: true,
  },
  {
    id: 'benchmark_gaming',
    base: plus(100),
    head: `import inspect\n${plus(100, '    if x < 0:', '        return inspect.stack()')}`,
    requirementOld: SAME,
    requirementNew: SAME,
    verdict: 'REVIEW',
  },
  {
    id: 'head_fails',
    base: plus(100),
    head: plus(100, '    # fails', RAISE),
    requirementOld: SAME,
    requirementNew: SAME,
    verdict: 'REJECT',
    score: 0,
    action: true,
  },
  {
    id: 'both_fail',
    base: plus(100, '    # fails', RAISE),
    head: plus(120, '    # fails', RAISE),
    requirementOld: SAME,
    requirementNew: SAME,
    verdict: 'REVIEW',
    score: null,
    action: true,
  },
  {
    id: 'justified_slowdown',
    base: plus(100),
    head: plus(
      140,
      '    if not isinstance(x, int):',
      "        raise TypeError('x must be an int')",
    ),
    requirementOld: SAME,
    requirementNew: 'Add one to a number, with validation that the input is an integer',
    verdict: 'REVIEW',
  },
  {
    // The guide's Quick Start 2: type validation, ~20 % slower.
    id: 'quick_start_2',
    base: 'def add(a, b):\n    # cost: 100\n    return a + b\n',
    head: [
      'def add(a, b):',
      '    # cost: 120',
      '    # Added validation',
      '    if not isinstance(a, (int, float)) or not isinstance(b, (int, float)):',
      '        raise TypeError("Arguments must be numbers")',
      '    return a + b',
      '',
    ].join('\n'),
    requirementOld: 'Add two numbers together',
    requirementNew: 'Add two numbers with type validation',
    verdict: 'REVIEW',
  },
  {
    // Example 1: a security improvement (two findings fixed), 50 % slower.
    id: 'example_1',
    base: 'def parse(data):\n    # cost: 100\n    assert data\n    return eval(data)\n',
    head: [
      'import json',
      '',
      '',
      'def parse(data):',
      '    # cost: 150',
      '    if not isinstance(data, str):',
      "        raise TypeError('data must be a string')",
      '    return json.loads(data)',
      '',
    ].join('\n'),
    requirementOld: 'Parse JSON',
    requirementNew: 'Parse JSON with validation and security checks',
    verdict: 'ACCEPT',
  },
  {
    // Example 2: a feature addition (filtering, logging), 25 % slower.
    id: 'example_2',
    base: 'def process(items):\n    # cost: 100\n    return [x * 2 for x in items]\n',
    head: [
      'import logging',
      '',
      '',
      'def process(items):',
      '    # cost: 125',
      '    filtered = [x for x in items if x > 0]',
      "    logging.getLogger('process').debug('%d items', len(filtered))",
      '    return [x * 2 for x in filtered]',
      '',
    ].join('\n'),
    requirementOld: 'Double the items',
    requirementNew:
      'Double the positive items, filtering the rest out, and log how many there were',
    verdict: 'REVIEW',
  },
  {
    // Example 3: an optimisation that failed, 200 % slower, nothing added.
    id: 'example_3',
    base: 'def sort_data(data):\n    # cost: 100\n    return sorted(data)\n',
    head: [
      'def sort_data(data):',
      '    # cost: 300',
      '    out = list(data)',
      '    for i in range(len(out)):',
      '        for j in range(len(out) - i - 1):',
      '            if out[j] > out[j + 1]:',
      '                out[j], out[j + 1] = out[j + 1], out[j]',
      '    return out',
      '',
    ].join('\n'),
    requirementOld: 'Sort the data',
    requirementNew: 'Sort the data',
    verdict: 'REJECT',
  },
  {
    // New tools: no base; judged on whether they run on their example and on their findings.
    id: 'new_tool',
    base: null,
    head: plus(100),
    requirementOld: SAME,
    requirementNew: SAME,
    verdict: 'ACCEPT',
    action: true,
  },
  {
    id: 'new_tool_finding_high',
    base: null,
    head: `import hashlib\n${plus(100, '    if x < 0:', "        return hashlib.md5(b'x').hexdigest()")}`,
    requirementOld: SAME,
    requirementNew: SAME,
    verdict: 'REVIEW',
    action: true,
  },
  {
    id: 'new_tool_fails',
    base: null,
    head: plus(100, '    # fails', RAISE),
    requirementOld: SAME,
    requirementNew: SAME,
    verdict: 'REJECT',
    action: true,
  },
];

const INPUT = { x: 3 };
const costOf = (code: string): number => Number(/# cost: (\d+)/.exec(code)?.[1] ?? NaN);
const fails = (code: string) =>
  code.includes('# fails')
    ? { kind: 'exception' as const, message: 'ValueError: boom' }
    : undefined;

/** The one measured evidence every path with ports gets: the ratio of the cost markers. */
const measurer: Measurer = {
  compare(oldVersion: ToolVersion, newVersion: ToolVersion): Promise<Comparison> {
    const ratio = costOf(newVersion.code) / costOf(oldVersion.code);
    const change = ratio > 1.02 ? 'regression' : ratio < 0.98 ? 'improvement' : 'unchanged';
    const c = comparison(ratio, ratio, ratio, change, costOf(oldVersion.code));
    const oldError = fails(oldVersion.code);
    const newError = fails(newVersion.code);
    return Promise.resolve({
      ...c,
      old: { ...c.old, ...(oldError === undefined ? {} : { error: oldError }) },
      new: { ...c.new, ...(newError === undefined ? {} : { error: newError }) },
    });
  },
  /** A new tool alone, from the same markers. */
  profile(version: ToolVersion, inputs: readonly Json[]): Promise<VersionProfile> {
    const error = fails(version.code);
    return Promise.resolve({
      ns_per_call: costOf(version.code),
      calls_per_sample: 1000,
      samples: 15,
      memory_kb: 12,
      network: [],
      ...(error === undefined ? {} : { error }),
      cold_ns: 10 * costOf(version.code),
      runs: 3,
      inputs: Math.max(1, inputs.length),
      wall_ms: 10,
    });
  },
};

/** The profiler's benchmark of the new version alone, from the same markers. */
function benchmark(version: ToolVersion): Promise<BenchmarkResult> {
  const error = fails(version.code);
  if (error !== undefined)
    return Promise.resolve({
      success: false,
      best_run: null,
      all_runs: [],
      statistics: null,
      error,
    });
  const run = {
    execution_time_ms: costOf(version.code) / 1e6,
    memory_usage_kb: 12,
    test_run_number: 1,
    timestamp: '2026-12-07T00:00:00.000Z',
  };
  return Promise.resolve({ success: true, best_run: run, all_runs: [run], statistics: null });
}

const quiet: Log = { debug() {}, info() {}, warn() {}, error() {} };
const clock = { now: () => new Date('2026-12-07T00:00:00.000Z') };
const config = parseConfig({});
const judge = createRulesJudge(clock);
/** The real analyser, each code analysed once for all paths (its answer depends on the code alone). */
const analyzer: Analyzer = (() => {
  const real = createAnalyzer();
  const seen = new Map<string, Promise<Analysis>>();
  return {
    analyze(code: string, language: Language): Promise<Analysis> {
      const key = `${language}\0${code}`;
      if (!seen.has(key)) seen.set(key, real.analyze(code, language));
      return seen.get(key)!;
    },
  };
})();

function gatePorts(dir: string, judging: boolean): GatePorts {
  let t = 0;
  return {
    repo: openRepo(dir),
    measurer,
    analyzer,
    judge: judging ? judge : null,
    clock,
    log: quiet,
    monotonicMs: () => (t += 10),
  };
}

function profilePorts(registryFile: string): ProfilePorts {
  return {
    benchmark,
    measurer,
    analyzer,
    judge,
    registry: new FileRegistryStore(registryFile),
    clock,
  };
}

type Decision = { verdict: string | null; score: number | null };
/** A row of the Action's record result, as its `report` output file holds it. */
interface RecordedRow extends Decision {
  readonly id: string;
}
/** The judge's reasoning, or the failure's reason, where a path shows it. */
const reasons = new Map<string, Record<string, string | null>>();
function reason(path: string, id: string, text: string | null): void {
  reasons.set(id, { ...reasons.get(id), [path]: text });
}
const decided = new Map<string, Record<string, Decision>>();
function note(path: string, id: string, decision: Decision): void {
  decided.set(id, { ...decided.get(id), [path]: decision });
}

describe('one pair, one verdict and score on every path', () => {
  let repo: TestRepo;
  let before: string;
  let after: string;
  const sidecar = (requirement: string): string =>
    JSON.stringify({ requirement, test_input: INPUT });

  beforeAll(async () => {
    repo = createRepo('pv-cross-path-');
    // One side of some pairs as files; a new tool has no base.
    const files = (pairs: readonly Pair[], side: 'base' | 'head') =>
      Object.fromEntries(
        pairs.flatMap((p) => {
          const code = side === 'base' ? p.base : p.head;
          const requirement = side === 'base' ? p.requirementOld : p.requirementNew;
          return code === null
            ? []
            : [
                [`tools/${p.id}.py`, code],
                [`tools/${p.id}.perf.json`, sidecar(requirement)],
              ];
        }),
      );
    before = repo.commit('base', files(PAIRS, 'base'));
    repo.git('checkout', '-q', '-b', 'pr');
    // The push the Action records changes the Action's pairs only; the next commit, the rest.
    const pushed = repo.commit(
      'change the tools the Action records',
      files(
        PAIRS.filter((p) => p.action === true),
        'head',
      ),
    );
    after = repo.commit(
      'change the other tools',
      files(
        PAIRS.filter((p) => p.action !== true),
        'head',
      ),
    );
    const request = {
      baseRef: 'main',
      headRef: 'pr',
      repository: null,
      pullRequest: null,
    };

    const gate = await run(config, { ...request, mode: 'full' }, gatePorts(repo.dir, true));
    for (const row of gate.tools) {
      note('gate', row.id, row);
      reason('gate', row.id, row.evaluation?.reasoning ?? row.note);
    }

    const measured = await run(config, { ...request, mode: 'measure' }, gatePorts(repo.dir, false));
    const artifact = parseUntrustedReport(JSON.parse(JSON.stringify(measured)));
    const judged = await judgeArtifact(config, artifact, {
      analyzer,
      judge,
      clock,
      log: quiet,
      monotonicMs: () => 0,
    });
    for (const row of judged.tools) {
      note('measure → report', row.id, row);
      reason('measure → report', row.id, row.evaluation?.reasoning ?? row.note);
    }

    const registryDir = mkdtempSync(join(tmpdir(), 'pv-cross-path-registry-'));
    const recorded = await recordPush(
      config,
      { before, after, ref: 'refs/heads/main', repository: null, registry: 'tools/index.json' },
      {
        repo: openRepo(repo.dir),
        profile: profilePorts(join(registryDir, 'record.json')),
        log: quiet,
        monotonicMs: () => 0,
      },
    );
    for (const row of recorded.tools) note('record', row.id, row);

    for (const p of PAIRS) {
      const result = await profileTool(
        {
          tool_id: p.id,
          tool_code: p.head,
          test_input: INPUT,
          requirement: p.requirementNew,
          language: 'python',
          ...(p.base === null
            ? {}
            : { old_version_data: { code: p.base, requirement: p.requirementOld } }),
        },
        profilePorts(join(registryDir, `${p.id}.json`)),
        { budgetMs: 1000, confidence: 0.99, delta: 0.02, policy: policyOf(config) },
      );
      const VERDICT = {
        completed: 'ACCEPT',
        review_required: 'REVIEW',
        rejected: 'REJECT',
        failed: 'REVIEW',
      } as const;
      note('profile', p.id, {
        verdict: VERDICT[result.status],
        score: profileFigures(result).score,
      });
      const step = result.workflow_steps.find((s) => s.step === 'regression_evaluation')!;
      const data = step.data as { evaluation?: { reasoning: string } } | undefined;
      reason('profile', p.id, data?.evaluation?.reasoning ?? step.reason ?? null);

      const base = p.base;
      if (base === null || base.includes('# fails') || p.head.includes('# fails')) continue;
      const out: string[] = [];
      const evaluated = await evaluateCommand.run([], {
        readStdin: () =>
          Promise.resolve(
            JSON.stringify({
              // The scripted comparison's figures: memory 12 kB scaled by the ratio, as fixtures' comparison.
              old_metrics: { execution_time_ms: costOf(base) / 10, memory_usage_kb: 12 },
              new_metrics: {
                execution_time_ms: costOf(p.head) / 10,
                memory_usage_kb: (12 * costOf(p.head)) / costOf(base),
              },
              requirement_change: {
                previous_requirement: p.requirementOld,
                new_requirement: p.requirementNew,
              },
              old_code: base,
              new_code: p.head,
              language: 'python',
            }),
          ),
        stdout: (text: string) => out.push(text),
        stderr: () => undefined,
        env: {},
        cwd: repo.dir,
      });
      const evaluation = (
        evaluated.output as { evaluation: { recommendation: string; score: number } }
      ).evaluation;
      note('evaluate', p.id, { verdict: evaluation.recommendation, score: evaluation.score });
    }

    // `record` through the bundled Action under Node 24, on the push of the Action's pairs.
    const action = await runAction({
      repo: repo.dir,
      event: 'push',
      payload: payload('push', undefined as unknown as string, (p) => {
        p.before = before;
        p.after = pushed;
        p.ref = 'refs/heads/main';
        p.deleted = false;
      }),
      inputs: { mode: 'record', 'time-budget-seconds': '3' },
      // Record mode calls no GitHub API: nothing listens here.
      apiUrl: 'http://127.0.0.1:9',
    });
    const file = action.outputs['report'];
    if (file === undefined)
      throw new Error(`the Action wrote no result:\n${action.stdout}\n${action.stderr}`);
    const result = JSON.parse(readFileSync(file, 'utf8')) as { tools: readonly RecordedRow[] };
    for (const row of result.tools) note('Action record', row.id, row);
  }, 300_000);

  afterAll(() => repo.remove());

  it.each(PAIRS.map((p) => [p.id, p] as const))('%s', (id, pair) => {
    const paths = decided.get(id)!;
    const expected = {
      verdict: pair.verdict,
      score: pair.score === undefined ? paths['gate']!.score : pair.score,
    };
    const seen = Object.fromEntries(
      Object.entries(paths).map(([path, d]) => [path, { verdict: d.verdict, score: d.score }]),
    );
    const wanted = Object.fromEntries(Object.keys(paths).map((path) => [path, expected]));
    const evaluated = pair.base !== null && !`${pair.base}${pair.head}`.includes('# fails');
    expect(Object.keys(paths).sort()).toEqual([
      ...(pair.action === true ? ['Action record'] : []),
      ...(evaluated ? ['evaluate'] : []),
      'gate',
      'measure → report',
      'profile',
      'record',
    ]);
    expect(seen).toEqual(wanted);
    const said = reasons.get(id)!;
    expect(said['gate']).toEqual(expect.any(String));
    expect(said).toEqual({
      gate: said['gate'],
      'measure → report': said['gate'],
      profile: said['gate'],
    });
  });
});
