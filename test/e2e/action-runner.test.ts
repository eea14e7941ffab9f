/**
 * The Action as a real runner runs it (test/e2e/action-helpers.ts: INPUT_* for every action.yml
 * default, a depth-1 checkout of the PR's merge commit): config precedence, history before
 * config, label and comment events that re-judge without measuring, a head that moved on, and
 * an API that fails transiently. Tools here fail or are not measured, so no outcome depends on
 * timing; budgets are small.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeGitHub } from '../helpers/fake-github.js';
import type { FakeGitHub } from '../helpers/fake-github.js';
import type { TestRepo } from '../helpers/git-repo.js';
import {
  commentAs,
  payload,
  pullRequestPayload,
  pullRequestState,
  runAction,
  runOnPullRequest,
  startRepoAndGitHub,
  stopRepoAndGitHub,
} from './action-helpers.js';
import type { RunnerRun } from './action-helpers.js';

const MARKER = join(tmpdir(), `pv-tool-ran-${process.pid}`);
// Appends to MARKER whenever the tool's module is loaded: proof that a tool child ran.
const TOOL = (body: string): string =>
  [
    `open(${JSON.stringify(MARKER)}, 'a').write('x')`,
    '',
    'def crash(values):',
    `    ${body}`,
    '',
  ].join('\n');
const SIDE = '{"test_input": {"values": [1, 2, 3]}}';
const COMMENTS = 'POST /repos/{owner}/{repo}/issues/{issue_number}/comments';
const CHECKS = 'POST /repos/{owner}/{repo}/check-runs';
/** The HTTP statuses the fake answered to each request for `operation`, in order. */
const statuses = (github: FakeGitHub, operation: string): number[] =>
  github.requests.filter((r) => r.operation === operation).map((r) => r.status);

describe('the Action on a runner-faithful checkout', () => {
  let repo: TestRepo;
  let base: string;
  let reviewHead: string;
  let rejectHead: string;
  let github: FakeGitHub;

  const pr = (number: number, head: string, labels: string[] = []) =>
    pullRequestState(number, head, base, labels);
  /** The Action on pull_request (default opened) for PR `number` at `head`, against `on`. */
  const runPr = (
    on: FakeGitHub,
    number: number,
    head: string,
    more: { action?: string; patch?: (p: any) => void; inputs?: Record<string, string> } = {},
  ): Promise<RunnerRun> =>
    runOnPullRequest({ repo, github: on, number, head, base, ...more, inputs: more.inputs ?? {} });
  /**
   * The Action on PR `number` at `head` against a fake GitHub of its own, which `prepare` sets up
   * (the PR's state, failures to inject) and which is closed after; `check` sees the run and
   * that fake, and every request the run made must have been valid.
   */
  async function onOwnGitHub(
    number: number,
    head: string,
    inputs: Record<string, string>,
    prepare: (own: FakeGitHub) => void,
    check: (run: RunnerRun, own: FakeGitHub) => void,
  ): Promise<void> {
    const own = await startFakeGitHub();
    try {
      own.pr = pr(number, head);
      prepare(own);
      check(await runPr(own, number, head, { inputs }), own);
      expect(own.violations()).toEqual([]);
    } finally {
      await own.close();
    }
  }

  beforeAll(async () => {
    ({ repo, github } = await startRepoAndGitHub());
    base = repo.commit('base', {
      // Precedence: no workflow input sets these, so the file's values must win over the
      // built-in defaults (fail-on: reject, time-budget-seconds: 20).
      // sandbox: off — the tool's marker file must land in the real /tmp, where the test looks
      // for it (the sandbox gives each tool child a private /tmp).
      '.perf-verdict.yml': 'fail-on: review\ntime-budget-seconds: 3\nsandbox: off\n',
      'tools/crash.py': TOOL('return sum(values)'),
      'tools/crash.perf.json': SIDE,
      'tools/bare.py': 'def bare(x):\n    return x\n',
    });
    repo.git('checkout', '-q', '-b', 'review');
    reviewHead = repo.commit('touch bare; try to switch the gate off', {
      'tools/bare.py': 'def bare(x):\n    return x + 0\n',
      '.perf-verdict.yml': 'fail-on: never\n',
    });
    repo.git('checkout', '-q', 'main');
    repo.git('checkout', '-q', '-b', 'reject');
    rejectHead = repo.commit('the head fails on the test input', {
      'tools/crash.py': TOOL("raise ValueError('broken')"),
    });
    repo.git('checkout', '-q', 'main');
  }, 180_000);
  afterAll(async () => {
    await stopRepoAndGitHub({ repo, github });
    rmSync(MARKER, { force: true });
  });

  it("the base's .perf-verdict.yml, read from a depth-1 checkout, sets fail-on and the budget", async () => {
    github.pr = pr(1, reviewHead);
    const run = await runPr(github, 1, reviewHead);
    expect(run.stdout).toMatch(
      /config: \.perf-verdict\.yml at the PR base [0-9a-f]{12}; from the file: time-budget-seconds, fail-on, sandbox;/,
    );
    expect(run.outputs['verdict']).toBe('REVIEW');
    expect(run.stdout).toContain("::error::perf-verdict: REVIEW reaches fail-on 'review'");
    expect(run.code).toBe(1);
    const report = JSON.parse(readFileSync(run.outputs['report']!, 'utf8'));
    expect(report.settings).toMatchObject({ fail_on: 'review', time_budget_seconds: 3 });
    // The checkout really was shallow; the Action deepened it before reading the config.
    expect(
      execFileSync('git', ['rev-parse', '--is-shallow-repository'], {
        cwd: run.workspace,
        encoding: 'utf8',
      }).trim(),
    ).toBe('false');
    expect(github.violations()).toEqual([]);
  }, 120_000);

  it('an explicit input still wins over the file', async () => {
    await onOwnGitHub(
      1,
      reviewHead,
      { 'fail-on': 'reject', comment: 'never' },
      () => {},
      (run, quiet) => {
        expect(run.outputs['verdict']).toBe('REVIEW');
        expect(run.code).toBe(0);
        expect(quiet.comments).toHaveLength(0);
      },
    );
  }, 120_000);

  it('a base that cannot be fetched is an error naming fetch-depth: 0, not a silent default', async () => {
    const run = await runAction({
      repo: repo.dir,
      event: 'pull_request',
      payload: pullRequestPayload(1, reviewHead, base),
      inputs: {},
      apiUrl: github.url,
      afterCheckout: (dir) =>
        execFileSync('git', ['remote', 'set-url', 'origin', 'file:///nonexistent/origin.git'], {
          cwd: dir,
        }),
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/::error::.*fetch-depth: 0/);
  }, 120_000);

  it('labeled: a published REJECT for the same head is accepted without measuring', async () => {
    github.pr = pr(2, rejectHead);
    const first = await runPr(github, 2, rejectHead);
    expect(first.outputs['verdict']).toBe('REJECT');
    expect(first.code).toBe(1);
    expect(existsSync(MARKER)).toBe(true);
    const comments = github.comments.length;

    rmSync(MARKER, { force: true });
    github.pr = pr(2, rejectHead, ['perf-verdict:accept']);
    github.permissions['maintainer-jane'] = 'write';
    const labeled = await runPr(github, 2, rejectHead, {
      action: 'labeled',
      patch: (p) => {
        p.label = { ...p.label, name: 'perf-verdict:accept' };
        p.sender.login = 'maintainer-jane';
        p.pull_request.labels = [{ ...p.label, name: 'perf-verdict:accept' }];
      },
    });
    expect(labeled.stdout).toContain('re-judging the override without measuring');
    expect(existsSync(MARKER), 'no tool child ran').toBe(false);
    expect(labeled.code).toBe(0);
    expect(labeled.outputs['verdict']).toBe('REJECT');
    expect(github.checkRuns.at(-1)).toMatchObject({ head_sha: rejectHead, conclusion: 'success' });
    expect(github.checkRuns.at(-1).output.title).toContain('accepted by `maintainer-jane` (label)');
    expect(github.comments).toHaveLength(comments);
    expect(github.comments.at(-1)!.body).toContain('accepted by `maintainer-jane`');

    github.pr = pr(2, rejectHead, []);
    const unlabeled = await runPr(github, 2, rejectHead, {
      action: 'unlabeled',
      patch: (p) => {
        p.label = { ...p.label, name: 'perf-verdict:accept' };
      },
    });
    expect(existsSync(MARKER), 'no tool child ran').toBe(false);
    expect(unlabeled.code).toBe(1);
    expect(github.checkRuns.at(-1)).toMatchObject({ conclusion: 'failure' });
    expect(github.violations()).toEqual([]);
  }, 180_000);

  it('issue_comment: /perf-verdict accept by a writer re-judges the published report without measuring', async () => {
    commentAs(github, { id: 7, login: 'owner-sam', permission: 'admin' });
    const run = await runAction({
      repo: repo.dir,
      event: 'issue_comment',
      payload: payload('issue_comment', 'created', (p) => {
        p.issue.number = 2;
        p.issue.pull_request = {
          url: 'https://api.github.com/repos/Codertocat/Hello-World/pulls/2',
        };
        p.comment.body = '/perf-verdict accept';
        p.comment.user.login = 'owner-sam';
      }),
      inputs: {},
      apiUrl: github.url,
    });
    expect(run.stdout).toContain('re-judging the override without measuring');
    expect(existsSync(MARKER), 'no tool child ran').toBe(false);
    expect(run.code).toBe(0);
    expect(github.checkRuns.at(-1)).toMatchObject({ head_sha: rejectHead, conclusion: 'success' });
    expect(github.checkRuns.at(-1).output.title).toContain('accepted by `owner-sam` (comment)');
    expect(github.violations()).toEqual([]);
  }, 120_000);

  it('a run whose PR head moved on publishes nothing but the log line and the job summary', async () => {
    await onOwnGitHub(
      2,
      rejectHead,
      {},
      (moved) => {
        moved.pr = pr(2, 'a'.repeat(40));
      },
      (run, moved) => {
        expect(run.stdout).toMatch(
          /pull request #2 moved on to aaaaaaaaaaaa .*: nothing published/,
        );
        expect(run.summary).toContain('nothing published');
        expect(run.summary).toContain('REJECT');
        expect(moved.comments).toHaveLength(0);
        expect(moved.checkRuns).toHaveLength(0);
        expect(moved.requests.map((r) => r.method)).toEqual(['GET']);
      },
    );
  }, 120_000);

  it('a 502 then a 201 on comment creation posts exactly one comment; a reset connection is retried too', async () => {
    await onOwnGitHub(
      2,
      rejectHead,
      {},
      (flaky) => {
        flaky.inject(COMMENTS, { status: 502, message: 'Bad Gateway' });
        flaky.inject('GET /repos/{owner}/{repo}/pulls/{pull_number}', { reset: true });
      },
      (run, flaky) => {
        expect(run.stdout).not.toContain('could not');
        expect(flaky.comments).toHaveLength(1);
        expect(statuses(flaky, COMMENTS)).toEqual([502, 201]);
        expect(flaky.checkRuns).toHaveLength(1);
        expect(run.code).toBe(1);
      },
    );
  }, 120_000);

  it('a secondary rate limit with retry-after: 1 is waited out', async () => {
    await onOwnGitHub(
      2,
      rejectHead,
      {},
      (limited) => {
        limited.inject(CHECKS, {
          status: 403,
          message:
            'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
          headers: { 'retry-after': '1' },
        });
      },
      (run, limited) => {
        expect(run.stdout).toMatch(
          /::warning::GitHub secondary rate limit on POST .*retrying in 1 s/,
        );
        expect(statuses(limited, CHECKS)).toEqual([403, 201]);
        const attempts = limited.requests.filter((r) => r.operation === CHECKS);
        // A lower bound only: load can make the wait longer, never shorter.
        expect(attempts[1]!.at - attempts[0]!.at).toBeGreaterThanOrEqual(900);
        expect(limited.checkRuns).toHaveLength(1);
        expect(run.stdout).not.toContain('could not');
      },
    );
  }, 120_000);
});
