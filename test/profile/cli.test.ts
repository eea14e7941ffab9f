/**
 * The guide's Quick Start through the built CLI (dist/cli/index.js, `npm run build` first) and
 * the other answers from the CLI router in-process, with the real engines: real python3
 * children for the benchmark and the side-by-side comparison, the real analyser and the rules
 * judge. Inputs are chosen so the verdict does not depend on the machine: 3× the work or none.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLI, runBuiltCli } from '../helpers/cli.js';
import { runCliInProcess } from '../helpers/cli-in-process.js';

const QUICK_START_1 = `{
  "tool_code": "def add(a, b):\\n    return a + b",
  "test_input": {"a": 5, "b": 3},
  "requirement": "Add two numbers together"
}`;

const QUICK_START_2 = `{
  "tool_code": "def add(a, b):\\n    # Added validation\\n    if not isinstance(a, (int, float)) or not isinstance(b, (int, float)):\\n        raise TypeError(\\"Arguments must be numbers\\")\\n    return a + b",
  "test_input": {"a": 5, "b": 3},
  "requirement": "Add two numbers with type validation",
  "old_version_data": {
    "code": "def add(a, b):\\n    return a + b",
    "version": "1.0.0",
    "requirement": "Add two numbers together",
    "metadata": {
      "performance": {
        "execution_time_ms": 0.005,
        "memory_usage_kb": 0.1
      },
      "static_analysis": {
        "security": {"total_issues": 0}
      }
    }
  }
}`;

const ONCE = 'def total(n):\n    return sum(range(n))';
const ASSERTED = 'def total(n):\n    assert n >= 0\n    return sum(range(n))';
const TENFOLD =
  'def total(n):\n    s = 0\n    for _ in range(10):\n        s = sum(range(n))\n    return s';
const THRICE =
  'def total(n):\n    s = 0\n    for _ in range(3):\n        s = sum(range(n))\n    return s';

let cwd: string;
function cli(args: string[], stdin = '') {
  return runBuiltCli(args, stdin, {
    cwd,
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: process.env['HOME'] ?? '/tmp' },
    timeoutMs: 180_000,
  });
}
/** The same, in-process: for the answers, where the spawn of the bundle is not what is tested. */
function inProcess(args: string[], stdin = '') {
  return runCliInProcess(args, stdin, {
    cwd,
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: process.env['HOME'] ?? '/tmp' },
  });
}
const steps = (json: any) =>
  Object.fromEntries(json.workflow_steps.map((s: any): [string, string] => [s.step, s.status]));

beforeAll(() => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run 'npm run build' first`);
  cwd = mkdtempSync(join(tmpdir(), 'pv-profile-cli-'));
});

describe('the guide Quick Start, through the built CLI', () => {
  it('profiles a new tool, then an update measured side by side, and keeps both versions', () => {
    const first = cli(['profile', 'simple_adder'], QUICK_START_1);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.json).toMatchObject({
      tool_id: 'simple_adder',
      status: 'completed',
      version: '1.0.0',
    });
    expect(steps(first.json)).toEqual({
      benchmark: 'completed',
      static_analysis: 'completed',
      regression_evaluation: 'completed',
      rag_update: 'completed',
    });
    expect(first.json.workflow_steps[0].data.all_runs).toHaveLength(3);
    expect(first.json.metadata).toMatchObject({
      source: 'def add(a, b):\n    return a + b',
      requirement: 'Add two numbers together',
      static_analysis: { complexity: { grade: 'A' }, security: { total_issues: 0 } },
    });
    // The default registry, relative to the cwd, created with its folder.
    const file = join(cwd, 'tools', 'index.json');
    expect(JSON.parse(readFileSync(file, 'utf8')).simple_adder.version).toBe('1.0.0');

    const second = cli(['profile', 'simple_adder'], QUICK_START_2);
    expect(second.stderr).toBe('');
    const evaluation = second.json.workflow_steps.find(
      (s: any) => s.step === 'regression_evaluation',
    );
    expect(evaluation.status).toBe('completed');
    // Measured now, interleaved: a real interval from fresh process pairs, not the stored 0.005 ms.
    expect(evaluation.data.comparison.pairs).toBeGreaterThanOrEqual(1);
    expect(evaluation.data.comparison.ci_low).toBeGreaterThan(1);
    expect(evaluation.data.comparison.old_ms_per_call).toBeLessThan(0.005);
    expect(evaluation.data.old_version_reported).toEqual({
      execution_time_ms: 0.005,
      memory_usage_kb: 0.1,
    });
    // A measured slowdown whose new requirement names the added behaviour (type validation): a
    // claimed purpose, so a human decides up to +50 %, beyond it the rules REJECT (the guide's
    // decision table; docs/judge.md). Which side of 50 % the type checks land on depends on the
    // machine, so the expectation follows the ratio.
    const ratio: number = evaluation.data.comparison.time_ratio;
    const rejected = ratio - 1 > 0.5 + 1e-9;
    expect(evaluation.data.evaluation.recommendation).toBe(rejected ? 'REJECT' : 'REVIEW');
    expect(second.json.status).toBe(rejected ? 'rejected' : 'review_required');
    expect(second.code).toBe(rejected ? 1 : 2);
    expect(second.json.version).toBe('1.0.1');

    const history = cli(['registry', 'history', 'simple_adder']);
    expect(history.code).toBe(0);
    expect(history.stdout).toMatch(/^1\.0\.0 .* current$/m);
    expect(history.stdout).toMatch(
      rejected
        ? /^1\.0\.1 .*×\d\.\d\d \[\d\.\d\d, \d\.\d\d\].*REJECT \(\d+\)\s+rejected$/m
        : /^1\.0\.1 .*×\d\.\d\d \[\d\.\d\d, \d\.\d\d\].*REVIEW \(\d+\)\s+review_required$/m,
    );
    expect(history.stdout).toMatch(/^trend: time .* over 2 versions/m);
    const json = cli(['registry', 'history', 'simple_adder', '--json']);
    expect(json.json.versions.map((v: any) => String(v.version))).toEqual(['1.0.0', '1.0.1']);
  });
});

describe('profile exit codes', () => {
  const profile = (id: string, body: Record<string, unknown>) =>
    inProcess(
      ['profile', id, '--registry', 'exit/index.json'],
      JSON.stringify({ test_input: { n: 3000 }, budget_ms: 8000, ...body }),
    );

  it('ACCEPT → completed, exit 0: the new version does a third of the work', async () => {
    const run = await profile('faster', {
      tool_code: ONCE,
      requirement: 'Sum a range',
      old_version_data: { code: THRICE, version: '1.0.0', requirement: 'Sum a range' },
    });
    expect(run.json?.workflow_steps?.[2]?.data?.evaluation?.recommendation).toBe('ACCEPT');
    expect([run.json.status, run.code]).toEqual(['completed', 0]);
  });

  it('REVIEW → review_required, exit 2: a measured security fix (assert removed) that is 10× slower', async () => {
    // Above 2× even a measured security fix needs a human: REVIEW whether the interval settles
    // (65) or not (79), so the verdict does not depend on the machine's load. (A feature list
    // no longer lifts a slowdown proven above 1.5 out of REJECT.)
    const run = await profile('featured', {
      tool_code: TENFOLD,
      requirement: 'Sum a range',
      requirement_change: { feature_additions: ['Triple-checked result'] },
      old_version_data: { code: ASSERTED, version: '1.0.0', requirement: 'Sum a range' },
    });
    expect(run.json?.workflow_steps?.[2]?.data?.evaluation?.recommendation).toBe('REVIEW');
    expect([run.json.status, run.code]).toEqual(['review_required', 2]);
  });

  it('REJECT → rejected, exit 1: 3× slower for nothing; not made current', async () => {
    const run = await profile('slower', {
      tool_code: THRICE,
      requirement: 'Sum a range',
      old_version_data: { code: ONCE, version: '1.0.0', requirement: 'Sum a range' },
    });
    expect(run.json?.workflow_steps?.[2]?.data?.evaluation?.recommendation).toBe('REJECT');
    expect([run.json.status, run.code]).toEqual(['rejected', 1]);
    const show = await inProcess([
      'registry',
      'show',
      'slower',
      '--registry',
      'exit/index.json',
      '--json',
    ]);
    expect(show.json.version).toBe('1.0.0');
    expect(show.json.metadata.source).toBe(ONCE);
    expect(show.json.versions.map((v: any): [string, string] => [v.version, v.status])).toEqual([
      ['1.0.0', 'current'],
      ['1.0.1', 'rejected'],
    ]);
  });

  it('a new tool that does not parse → rejected (as the gate), exit 1; nothing recorded', async () => {
    const run = await profile('broken', { tool_code: 'def total(n):\n    return sum(range(n)' });
    expect(run.json.status).toBe('rejected');
    expect(run.code).toBe(1);
    expect(steps(run.json)).toMatchObject({ benchmark: 'failed', rag_update: 'skipped' });
    const show = await inProcess(['registry', 'show', 'broken', '--registry', 'exit/index.json']);
    expect(show.code).toBe(1);
    expect(show.json.error.message).toMatch(/'broken' is not in registry/);
  });

  it('a new tool that raises on its example → rejected (as the gate), exit 1', async () => {
    const run = await profile('raises', { tool_code: 'def total(n):\n    raise ValueError("no")' });
    expect([run.json.status, run.code]).toEqual(['rejected', 1]);
    expect(run.json.workflow_steps[0].reason).toMatch(/ValueError/);
  });
});

describe('update-rag, registry and errors', () => {
  it('update-rag (and update_rag) create then update an entry; search finds it', async () => {
    const env = ['--registry', 'rag/index.json'];
    const made = await inProcess(
      ['update_rag', ...env],
      JSON.stringify({
        tool_id: 'json_parser',
        best_run: { execution_time_ms: 0.5, memory_usage_kb: 12 },
      }),
    );
    expect(made.code).toBe(0);
    expect(made.json).toMatchObject({ success: true, tool_id: 'json_parser', version: '1.0.0' });
    const again = await inProcess(
      ['update-rag', ...env],
      JSON.stringify({
        tool_id: 'json_parser',
        best_run: { execution_time_ms: 0.4 },
        all_runs: [{}, {}, {}],
      }),
    );
    expect(again.code).toBe(0);
    const show = await inProcess(['registry', 'show', 'json_parser', ...env, '--json']);
    expect(show.json.metadata.performance).toMatchObject({ execution_time_ms: 0.4, test_runs: 3 });
    expect(show.json.versions.map((v: any) => Number(v.metrics.execution_time_ms))).toEqual([
      0.5, 0.4,
    ]);
    const search = await inProcess(['registry', 'search', 'parse JSON', ...env]);
    expect(search.code).toBe(0);
    expect(search.stdout).toMatch(/json_parser\s+1\.0\.0\s+400 µs\s+-/);
  });

  it('a corrupt registry is an error naming the file and position, and stays untouched', async () => {
    const file = join(cwd, 'corrupt.json');
    writeFileSync(file, '{\n  "t": {,\n}\n');
    const before = readFileSync(file);
    const run = await inProcess(
      ['update-rag', '--registry', 'corrupt.json'],
      JSON.stringify({ tool_id: 't', best_run: { execution_time_ms: 1 } }),
    );
    expect(run.code).toBe(1);
    expect(run.json.error.kind).toBe('registry');
    expect(run.json.error.message).toContain(file);
    expect(run.json.error.message).toMatch(/line 2, column 9/);
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  it('rejects a tool id that could be a path, before any work', async () => {
    const run = await inProcess(['profile', '../evil'], QUICK_START_1);
    expect(run.code).toBe(1);
    expect(run.json.error).toMatchObject({ kind: 'invalid_input', field: 'tool_id' });
    const rag = await inProcess(
      ['update-rag'],
      JSON.stringify({ tool_id: 'a"b', best_run: { execution_time_ms: 1 } }),
    );
    expect(rag.json.error).toMatchObject({ kind: 'invalid_input', field: 'tool_id' });
  });

  it('reads the registry path from PERF_VERDICT_REGISTRY', () => {
    const run = runBuiltCli(
      ['update-rag'],
      JSON.stringify({ tool_id: 'env_tool', best_run: { execution_time_ms: 1 } }),
      {
        cwd,
        env: { PATH: process.env['PATH'] ?? '/usr/bin', PERF_VERDICT_REGISTRY: 'by-env/reg.json' },
      },
    );
    expect(run.code).toBe(0);
    expect(JSON.parse(readFileSync(join(cwd, 'by-env', 'reg.json'), 'utf8'))).toHaveProperty(
      'env_tool',
    );
  });
});
