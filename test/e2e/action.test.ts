/**
 * The Action end to end: dist/index.js under Node 24, as the runner runs it, on a real git
 * repository, against a fake GitHub API that validates request bodies against @octokit/openapi.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeGitHub, validateRequest, validateResponse } from '../helpers/fake-github.js';
import type { FakeGitHub } from '../helpers/fake-github.js';
import type { TestRepo } from '../helpers/git-repo.js';
import {
  commentAs,
  labelAs,
  pullRequestState,
  runOnPullRequest,
  startRepoAndGitHub,
  stopRepoAndGitHub,
} from './action-helpers.js';
import type { RunnerRun } from './action-helpers.js';

const FAST = 'def scale(values):\n    return [v * 2 for v in values]\n';
// Five times the work: a clear regression.
const SLOW =
  'def scale(values):\n    out = []\n    for _ in range(5):\n        out = [v * 2 for v in values]\n    return out\n';
const SIDE =
  '{"requirement": "Double every value", "test_input": {"values": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32]}}';
const PROBE = [
  'import os',
  '',
  'def envprobe(values):',
  "    leaked = [k for k in os.environ if k.startswith(('GITHUB_', 'INPUT_', 'ACTIONS_', 'RUNNER_'))]",
  '    if leaked:',
  "        raise RuntimeError('leaked: ' + ','.join(sorted(leaked)))",
  '    return len(values)',
  '',
].join('\n');
const INPUTS = {
  'time-budget-seconds': '6',
  'fail-on': 'reject',
  comment: 'always',
  reviewers: 'perf-lead',
};

/**
 * The Action on pull_request `action` for PR #1 of `repo` from its main to `head`, against
 * `github`, with INPUTS and `more`; `patch` changes the payload.
 */
function runPr(
  repo: TestRepo,
  github: FakeGitHub,
  action: string,
  head: string,
  options: { patch?: (p: any) => void; more?: Record<string, string> } = {},
): Promise<RunnerRun> {
  return runOnPullRequest({
    repo,
    github,
    number: 1,
    head,
    base: repo.git('rev-parse', 'main'),
    action,
    patch: options.patch,
    inputs: { ...INPUTS, ...options.more },
  });
}

describe('the Action on pull_request (full mode)', () => {
  let repo: TestRepo;
  let github: FakeGitHub;
  beforeAll(async () => {
    ({ repo, github } = await startRepoAndGitHub());
    repo.commit('base', {
      'tools/math/scale.py': FAST,
      'tools/math/scale.perf.json': SIDE,
      'tools/probe/envprobe.py': 'def envprobe(values):\n    return len(values)\n',
      'tools/probe/envprobe.perf.json': SIDE,
      'README.md': 'x\n',
    });
    repo.git('checkout', '-q', '-b', 'pr');
  }, 180_000);
  afterAll(() => stopRepoAndGitHub({ repo, github }));

  it('first push: a REJECT creates the comment and a failure check, and fails the step', async () => {
    const head = repo.commit('slow down', {
      'tools/math/scale.py': SLOW,
      // Fails if the runner's secrets or inputs reached the tool's process.
      'tools/probe/envprobe.py': PROBE,
      // The PR tries to configure its own gate away: the config is read from the PR's base, so
      // this must have no effect (were it read, no tool would match and the verdict be NONE).
      '.perf-verdict.yml': 'tools:\n  - nothing/**\nfail-on: never\n',
    });
    github.pr = pullRequestState(1, head, repo.git('rev-parse', 'main'));
    const run = await runPr(repo, github, 'opened', head);
    expect(run.stdout).toMatch(/::error::perf-verdict: REJECT reaches fail-on 'reject'/);
    expect(run.code).toBe(1);
    expect(run.outputs['verdict']).toBe('REJECT');
    expect(github.comments).toHaveLength(1);
    expect(github.comments[0]!.body).toContain('<!-- perf-verdict:sticky -->');
    expect(github.comments[0]!.body).toMatch(/\*\*scale\*\*.*❌\sREJECT\s\d+ \|/);
    // The perf-verdict that ran, from GITHUB_ACTION_REPOSITORY and GITHUB_ACTION_REF.
    expect(github.comments[0]!.body).toContain(
      `\`npx --yes github:perf-verdict/perf-verdict#v1 gate --base ${repo.git('rev-parse', 'main')} --head ${head} --budget `,
    );
    expect(run.outputs['comment-id']).toBe(String(github.comments[0]!.id));
    expect(github.checkRuns).toHaveLength(1);
    expect(github.checkRuns[0]).toMatchObject({
      name: 'perf-verdict',
      head_sha: head,
      status: 'completed',
      conclusion: 'failure',
    });
    expect(run.outputs['check-run-id']).toBe(String(github.checkRuns[0].id));
    expect(run.summary).toContain('perf-verdict: ❌ REJECT');
    const report = JSON.parse(readFileSync(run.outputs['report']!, 'utf8'));
    const probe = report.tools.find((t: { id: string }) => t.id === 'envprobe');
    expect(probe.comparison.new.error).toBeUndefined();
    expect(probe.comparison.new.samples).toBeGreaterThan(0);
    // The note may state the growth probe's finding (issue 24); never an error of the probe.
    expect(probe.note ?? '').not.toMatch(/leaked|error|crash/i);
    expect(github.violations()).toEqual([]);
  }, 180_000);

  it('second push: updates the same comment in place', async () => {
    const head = repo.commit('slow down more', {
      'tools/math/scale.py': SLOW.replace('range(5)', 'range(6)'),
    });
    github.pr = { ...github.pr, head };
    const run = await runPr(repo, github, 'synchronize', head);
    expect(run.code).toBe(1);
    expect(github.comments).toHaveLength(1);
    expect(
      github.requests
        .filter((r) => r.operation.startsWith('PATCH /repos/{owner}/{repo}/issues/comments'))
        .map((r) => r.path),
    ).toEqual([`/repos/Codertocat/Hello-World/issues/comments/${github.comments[0]!.id}`]);
    expect(github.comments[0]!.body).toContain(head.slice(0, 7));
    expect(github.checkRuns.at(-1)).toMatchObject({ head_sha: head, conclusion: 'failure' });
    expect(github.violations()).toEqual([]);
  }, 180_000);

  it('the accept label turns the check green and records who accepted', async () => {
    labelAs(github, { login: 'maintainer-jane', permission: 'maintain' });
    const run = await runPr(repo, github, 'labeled', github.pr.head, {
      patch: (p) => {
        p.label = { name: 'perf-verdict:accept' };
        p.sender.login = 'maintainer-jane';
        p.pull_request.labels = [{ name: 'perf-verdict:accept' }];
      },
    });
    expect(run.code).toBe(0);
    expect(run.outputs['verdict']).toBe('REJECT');
    expect(github.checkRuns.at(-1)).toMatchObject({ conclusion: 'success' });
    expect(github.checkRuns.at(-1).output.title).toContain('accepted by `maintainer-jane` (label)');
    expect(github.comments).toHaveLength(1);
    expect(github.comments[0]!.body).toContain('accepted by `maintainer-jane`');
    expect(github.violations()).toEqual([]);
  }, 180_000);

  it('a /perf-verdict accept comment counts only from a user with write access', async () => {
    github.pr = { ...github.pr, labels: [] };
    commentAs(github, { id: 1, login: 'drive-by', permission: 'read' });
    const denied = await runPr(repo, github, 'synchronize', github.pr.head);
    expect(denied.code).toBe(1);
    expect(github.checkRuns.at(-1)).toMatchObject({ conclusion: 'failure' });
    commentAs(github, {
      id: 2,
      login: 'owner-sam',
      permission: 'admin',
      body: 'Looked at it.\n/perf-verdict accept',
    });
    const accepted = await runPr(repo, github, 'synchronize', github.pr.head);
    expect(accepted.code).toBe(0);
    expect(github.checkRuns.at(-1)).toMatchObject({ conclusion: 'success' });
    expect(github.checkRuns.at(-1).output.title).toContain('accepted by `owner-sam` (comment)');
    expect(github.violations()).toEqual([]);
  }, 240_000);

  it('a 403 on comment creation degrades to a warning naming the permissions, plus the summary', async () => {
    const other = await startFakeGitHub();
    try {
      other.pr = { ...github.pr, labels: [] };
      other.forbidden.add('POST /repos/{owner}/{repo}/issues/{issue_number}/comments');
      const run = await runPr(repo, other, 'synchronize', github.pr.head);
      const warning = run.stdout.split('\n').find((l) => l.startsWith('::warning::'));
      expect(warning).toContain('could not create a comment on #1 (403');
      expect(warning).toContain(
        'permissions:%0A  contents: read%0A  pull-requests: write%0A  checks: write',
      );
      expect(run.summary).toMatch(/\*\*scale\*\*.*❌\sREJECT\s\d+ \|/);
      expect(run.summary).toContain(
        'permissions: · contents: read · pull-requests: write · checks: write',
      );
      expect(other.comments).toHaveLength(0);
      expect(other.checkRuns).toHaveLength(1);
      expect(run.code).toBe(1); // the verdict still gates the job
      expect(run.stdout).not.toMatch(/\n\s+at /);
      expect(other.violations()).toEqual([]);
    } finally {
      await other.close();
    }
  }, 180_000);
});

describe('a pull request that touches no tool', () => {
  it('one short comment and a success check with verdict NONE; none with comment: never', async () => {
    const { repo, github } = await startRepoAndGitHub();
    try {
      repo.commit('base', { 'tools/a.py': FAST, 'README.md': 'a\n' });
      repo.git('checkout', '-q', '-b', 'docs');
      const head = repo.commit('docs', { 'README.md': 'b\n' });
      github.pr = pullRequestState(1, head, repo.git('rev-parse', 'main'));
      const run = await runPr(repo, github, 'opened', head);
      expect(run.code).toBe(0);
      expect(run.outputs['verdict']).toBe('NONE');
      expect(github.comments).toHaveLength(1);
      expect(github.comments[0]!.body).toContain('no tool changed');
      expect(github.comments[0]!.body.length).toBeLessThan(700);
      expect(github.checkRuns[0]).toMatchObject({ conclusion: 'success' });
      expect(github.checkRuns[0].output.title).toContain('NONE');

      const quiet = await startFakeGitHub();
      quiet.pr = github.pr;
      const never = await runPr(repo, quiet, 'opened', head, { more: { comment: 'never' } });
      expect(never.code).toBe(0);
      expect(quiet.comments).toHaveLength(0);
      expect(quiet.checkRuns[0]).toMatchObject({ conclusion: 'success' });
      await quiet.close();
      expect([...github.violations(), ...quiet.violations()]).toEqual([]);
    } finally {
      await stopRepoAndGitHub({ repo, github });
    }
  }, 120_000);
});

describe('the fake GitHub API checks requests strictly against @octokit/openapi', () => {
  it('catches a missing required property, bad enum values and misspelled optional fields', () => {
    const checks = 'POST /repos/{owner}/{repo}/check-runs';
    expect(
      validateRequest(checks, {
        name: 'x',
        head_sha: 'a',
        status: 'completed',
        conclusion: 'success',
        output: { title: 't', summary: 's' },
      }),
    ).toEqual([]);
    expect(validateRequest(checks, { name: 'x' }).join()).toMatch(/head_sha/);
    expect(
      validateRequest(checks, { name: 'x', head_sha: 'a', conclusion: 'green' }).join(),
    ).toMatch(/conclusion: must be equal to one of the allowed values/);
    // GitHub's schemas are open: a typo would pass them. The fake closes them.
    expect(
      validateRequest(checks, {
        name: 'x',
        head_sha: 'a',
        status: 'completed',
        conclusoin: 'success',
      }).join(),
    ).toMatch(/'conclusoin'/);
    expect(
      validateRequest(checks, {
        name: 'x',
        head_sha: 'a',
        output: { titel: 't', summary: 's' },
      }).join(),
    ).toMatch(/'titel'/);
    // oneOf/anyOf branches are checked together with their siblings' required properties.
    expect(
      validateRequest(checks, { head_sha: 'a', status: 'completed', conclusion: 'success' }).join(),
    ).toMatch(/name/);
    const review = 'POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews';
    expect(validateRequest(review, { event: 'LGTM' }).join()).toMatch(/event/);
    expect(validateRequest(review, { body: 'x', evnet: 'COMMENT' }).join()).toMatch(/'evnet'/);
  });

  it("checks the fake's own responses against the response schemas", () => {
    const pull = 'GET /repos/{owner}/{repo}/pulls/{pull_number}';
    expect(validateResponse(pull, 200, { number: 1 }).length).toBeGreaterThan(0);
    expect(validateResponse(pull, 404, { message: 'Not Found' })).toEqual([]);
  });
});
