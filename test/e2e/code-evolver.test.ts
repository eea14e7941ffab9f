/**
 * Issue 17's fixtures end to end: the code_evolver-shaped repository (test/fixtures/code-evolver,
 * docs/code-evolver.md's `.perf-verdict.yml` committed at its base) through the bundled `gate` CLI and through
 * the Action (dist/index.js under Node 24, checked out as the runner does, against the fake
 * GitHub API). One run of each; every row's verdict, whether it was measured or why not, the
 * collapsed definitions line and the headline counts are checked on both reports.
 *
 * What the fixture holds (test/fixtures/code-evolver/README.md): definitions without code of
 * every type; new tools with examples of every shape, with only an input_schema, with neither;
 * executable scripts that import the repository's own package from their working directory; a
 * tool needing a third-party package its requirements list (a wheel built by the test: nothing
 * leaves loopback); a modified tool made ~15x slower and one changed without a speed change.
 * Budgets are small; the assertions hold on a loaded runner (a 15x slowdown is REJECT at any
 * load; a same-speed change is never asserted ACCEPT, only not REJECT).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GateReport, ToolRow } from '../../src/report/model.js';
import { sandboxStatus } from '../../src/measure/sandbox.js';
import { codeEvolverRepo } from '../helpers/code-evolver.js';
import { startFakeGitHub } from '../helpers/fake-github.js';
import type { FakeGitHub } from '../helpers/fake-github.js';
import type { TestRepo } from '../helpers/git-repo.js';
import { node24 } from '../helpers/node24.js';
import { runToEnd } from '../helpers/run-to-end.js';
import type { Finished } from '../helpers/run-to-end.js';
import { DIST, pullRequestPayload, pullRequestState, runAction } from './action-helpers.js';
import type { RunnerRun } from './action-helpers.js';

/**
 * Appended to docs/code-evolver.md's config: small budgets, so the two runs fit CI. The PR-wide
 * budget counts wall time (setup and analysis too), so it leaves room for every tool at any load:
 * the 10 s per tool is what bounds the measuring. (6 s left `dedupe_lines`, 2.7× slower, with 3
 * pairs and no interval in a CI run at load 6–7: a sandboxed Python pair took ~700 ms to start.)
 */
const BUDGETS = 'time-budget-seconds: 10\ntotal-budget-seconds: 600\n';

function gate(cwd: string, env: NodeJS.ProcessEnv): Promise<Finished> {
  const args = ['gate', '--base', 'main', '--head', 'pr'];
  args.push('--json', 'report.json', '--markdown', 'comment.md');
  return runToEnd(node24(), [join(DIST, 'cli/index.js'), ...args], { cwd, env });
}

type Measured = 'compared' | 'run alone' | 'not run';

/** What each changed code tool must come out as, on any load. */
const EXPECTED: Record<
  string,
  { status: ToolRow['status']; measured: Measured; verdict: RegExp; why?: RegExp }
> = {
  // modified: ~15x slower (a set became a list), REJECT
  dedupe_lines: {
    status: 'modified',
    measured: 'compared',
    verdict: /^REJECT$/,
    why: /severe slowdown/,
  },
  // modified: a docstring added, same speed: never REJECT (ACCEPT or REVIEW by load)
  title_case: { status: 'modified', measured: 'compared', verdict: /^(ACCEPT|REVIEW)$/ },
  // modified, imports the repository's own package from code_evolver/: runs in its checkout
  word_stats: { status: 'modified', measured: 'compared', verdict: /^(ACCEPT|REVIEW|REJECT)$/ },
  kv_store: { status: 'new', measured: 'run alone', verdict: /^ACCEPT$/ },
  prompt_echo: { status: 'new', measured: 'run alone', verdict: /^ACCEPT$/ },
  batch_sum: { status: 'new', measured: 'run alone', verdict: /^ACCEPT$/ },
  slugify_title: { status: 'new', measured: 'run alone', verdict: /^ACCEPT$/ },
  cron_next: { status: 'new', measured: 'run alone', verdict: /^ACCEPT$/ },
  run_command: {
    status: 'new',
    measured: 'run alone',
    verdict: /^ACCEPT$/,
    why: /below security-fail-on \(listed\): B\d+ \(LOW\)/,
  },
  bad_parser: {
    status: 'new',
    measured: 'run alone',
    verdict: /^REJECT$/,
    why: /fails on its own example/,
  },
  needs_example: {
    status: 'new',
    measured: 'run alone',
    verdict: /^REVIEW$/,
    why: /needs an example: the tool rejects the input synthesised from input_schema/,
  },
  no_input: { status: 'new', measured: 'not run', verdict: /^REVIEW$/, why: /no test input/ },
  uses_missing: {
    status: 'error',
    measured: 'run alone',
    verdict: /^REVIEW$/,
    why: /imports 'padderly', which is not installed: list it in code_evolver\/requirements\.txt/,
  },
};

const DEFINITIONS = [
  ['fetch_page', 'mcp', 'new'],
  ['fix_imports', 'llm', 'new'],
  ['git_status', 'custom', 'new'],
  ['release_notes', 'workflow', 'new'],
  ['summarise', 'llm', 'modified'],
  ['weather', 'openapi', 'modified'],
];
const DEFINITIONS_LINE =
  '<details><summary>6 tool definitions changed without code: not measured</summary>';

function measuredAs(row: ToolRow): Measured {
  if (row.comparison !== null) return 'compared';
  if (row.profile !== null && row.profile !== undefined) return 'run alone';
  return 'not run';
}

/** Every row as EXPECTED says, the definitions collapsed, the headline counting the rows. */
function checkReport(report: GateReport, headline: string): void {
  expect(report.definitions?.map((d) => [d.id, d.type, d.status])).toEqual(DEFINITIONS);
  const rows = Object.fromEntries(report.tools.map((r) => [r.id, r]));
  expect(Object.keys(rows).sort()).toEqual(Object.keys(EXPECTED).sort());
  for (const [id, want] of Object.entries(EXPECTED)) {
    const row = rows[id]!;
    const why = `${row.note ?? ''} ${row.evaluation?.reasoning ?? ''}`;
    const context = `${id}: ${row.verdict} ${why} ${JSON.stringify(row.comparison?.time ?? row.profile?.error ?? null)}`;
    expect(row.status, context).toBe(want.status);
    expect(measuredAs(row), context).toBe(want.measured);
    expect(row.verdict ?? 'null', context).toMatch(want.verdict);
    if (want.why !== undefined) expect(why, context).toMatch(want.why);
  }
  // The two versions of each modified tool ran from their commits' checkouts without failing:
  // outside code_evolver/ word_stats fails at once with "No module named 'src'".
  for (const id of ['dedupe_lines', 'title_case', 'word_stats']) {
    const c = rows[id]!.comparison!;
    expect(c.old.error, id).toBeUndefined();
    expect(c.new.error, id).toBeUndefined();
  }
  const slower = rows['dedupe_lines']!.comparison!.time;
  expect(slower.change).toBe('regression');
  expect(slower.ci_low).toBeGreaterThan(1.5);
  // New tools that ran have their figures; every example shape and the synthesised input.
  for (const id of ['kv_store', 'prompt_echo', 'batch_sum', 'slugify_title', 'cron_next']) {
    const p = rows[id]!.profile!;
    expect(p.error, `${id}: ${JSON.stringify(p.error)}`).toBeUndefined();
    expect(p.ns_per_call, id).toBeGreaterThan(0);
    expect(p.cold_ns, id).toBeGreaterThan(0);
  }
  expect(rows['kv_store']!.path).toBe('code_evolver/tools/executable/kv_store_manager.py');
  expect(rows['kv_store']!.profile!.inputs).toBe(2); // operation + params, two entries
  expect(rows['prompt_echo']!.profile!.inputs).toBe(2); // a prompt entry, a plain string
  expect(rows['batch_sum']!.input_source).toBe(
    'code_evolver/tools/executable/batch_sum.yaml examples[0]',
  ); // `inputs:`
  expect(rows['word_stats']!.input_source).toBe(
    'code_evolver/tools/executable/word_stats.yaml examples (2 inputs, each run)',
  ); // an `input` mapping and a JSON string
  expect(rows['slugify_title']!.input_source).toBe('input synthesised from input_schema');
  // In the OS sandbox wherever the platform has one (the checkout and the venv bound read-only).
  expect(rows['cron_next']!.profile!.sandbox?.kind).toBe(sandboxStatus('auto').kind);
  // The headline counts the rows of the report it heads.
  const n = (v: string): number => report.tools.filter((r) => r.verdict === v).length;
  expect(n('REJECT')).toBeGreaterThanOrEqual(2);
  const parts = [
    `${n('REJECT')} rejected`,
    ...(n('REVIEW') > 0 ? [`${n('REVIEW')} to review`] : []),
    ...(n('ACCEPT') > 0 ? [`${n('ACCEPT')} accepted`] : []),
  ];
  expect(headline).toBe(`perf-verdict: ❌ REJECT — ${parts.join(', ')} (13 changed tools)`);
}

describe('issue 17 fixtures: a code_evolver repository end to end', () => {
  let repo: TestRepo;
  let venvs: string;
  let env: NodeJS.ProcessEnv;
  let github: FakeGitHub;
  let gateRun: Finished;
  let actionRun: RunnerRun;

  beforeAll(async () => {
    repo = codeEvolverRepo(BUDGETS);
    venvs = mkdtempSync(join(tmpdir(), 'pv-e2e-venvs-'));
    env = { ...process.env, PERF_VERDICT_VENV_CACHE: venvs };
    gateRun = await gate(repo.dir, env);
    github = await startFakeGitHub();
    const head = repo.git('rev-parse', 'pr');
    const base = repo.git('rev-parse', 'main');
    github.pr = pullRequestState(7, head, base);
    actionRun = await runAction({
      repo: repo.dir,
      event: 'pull_request',
      payload: pullRequestPayload(7, head, base),
      inputs: { comment: 'always' },
      apiUrl: github.url,
      env: { PERF_VERDICT_VENV_CACHE: venvs },
    });
  }, 900_000);

  afterAll(async () => {
    await github?.close();
    repo?.remove();
    if (venvs !== undefined) rmSync(venvs, { recursive: true, force: true });
  });

  it('gate (the bundled CLI): every row, the definitions line, the headline; exit 1 on REJECT', () => {
    expect(gateRun.code, gateRun.stderr.slice(-3000)).toBe(1);
    const report = JSON.parse(readFileSync(join(repo.dir, 'report.json'), 'utf8')) as GateReport;
    const headline = gateRun.stdout.split('\n')[0]!;
    checkReport(report, headline);
    expect(readFileSync(join(repo.dir, 'comment.md'), 'utf8')).toContain(DEFINITIONS_LINE);
    // The listed wheel is installed once per side (base and head list different requirements)
    // into a venv outside the sandbox, before any tool runs.
    expect(gateRun.stderr.match(/(base|head): dependencies installed into venv \w+/g)).toHaveLength(
      2,
    );
  });

  it('the Action (dist/index.js, Node 24, pull_request): the same rows, the comment, the check', () => {
    expect(actionRun.code, actionRun.stderr.slice(-3000)).toBe(1);
    expect(actionRun.outputs['verdict']).toBe('REJECT');
    const report = JSON.parse(readFileSync(actionRun.outputs['report']!, 'utf8')) as GateReport;
    expect(report.pull_request).toBe(7);
    const check = github.checkRuns.at(-1);
    expect(check).toMatchObject({ status: 'completed', conclusion: 'failure' });
    // The check's title is the headline (without its "perf-verdict: " prefix).
    checkReport(report, `perf-verdict: ${check.output.title}`);
    expect(github.comments).toHaveLength(1);
    expect(github.comments[0]!.body).toContain(DEFINITIONS_LINE);
    expect(actionRun.summary).toContain(DEFINITIONS_LINE);
    // Same requirements as the gate's run: both venvs come from the cache it left.
    expect(
      actionRun.stdout.match(/(base|head): dependencies from the cached venv \w+/g),
    ).toHaveLength(2);
    expect(github.violations()).toEqual([]);
  });
});
