/**
 * Fork-safe modes end to end: `measure` on pull_request (read-only: no API call at all) writes
 * the report artifact; `report` on workflow_run validates it as untrusted data, checks the PR's
 * head sha, judges and publishes. Two separate processes, as two jobs would be.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeGitHub } from '../helpers/fake-github.js';
import { startPullRequest } from './action-helpers.js';
import type { PullRequestFixture } from './action-helpers.js';

const SCALE = 'def scale(values):\n    return [v * 2 for v in values]\n';
const SIDE = '{"test_input": {"values": [1, 2, 3, 4, 5, 6, 7, 8]}}';
const INPUTS = {
  'time-budget-seconds': '4',
  'fail-on': 'reject',
  comment: 'always',
  reviewers: 'perf-lead, octo-org/perf-team',
};

describe('measure (pull_request) then report (workflow_run)', () => {
  let pr: PullRequestFixture;
  let github: FakeGitHub;
  let head: string;
  let artifact: string;

  beforeAll(async () => {
    pr = await startPullRequest({
      number: 7,
      base: {
        'tools/scale.py': SCALE,
        'tools/scale.perf.json': SIDE,
        'tools/bare.py': 'def bare(x):\n    return x\n',
      },
      message: 'touch both',
      head: {
        'tools/scale.py': `# doubled values\n${SCALE}`,
        'tools/bare.py': 'def bare(x):\n    return x + 0\n',
      },
    });
    github = pr.github;
    head = pr.head;
  }, 180_000);
  afterAll(() => pr.close());

  it('measure: writes the report artifact and the summary, makes no API call', async () => {
    const run = await pr.run({ ...INPUTS, mode: 'measure' });
    expect(run.stdout).not.toContain('::error::');
    expect(run.code).toBe(0);
    expect(github.requests).toEqual([]);
    artifact = run.outputs['report']!;
    // Every output is set, each with its one meaning: nothing judged, published or recorded.
    expect(run.outputs).toEqual({
      verdict: 'UNJUDGED',
      score: '',
      report: artifact,
      'comment-id': '',
      'check-run-id': '',
      registry: '',
    });
    const report = JSON.parse(readFileSync(artifact, 'utf8'));
    expect(report).toMatchObject({
      schema: 'perf-verdict/report',
      version: 1,
      mode: 'measure',
      head_sha: head,
      pull_request: 7,
      verdict: null,
    });
    expect(report.tools.map((t: { id: string; status: string }) => [t.id, t.status])).toEqual([
      ['bare', 'skipped'],
      ['scale', 'modified'],
    ]);
    expect(report.tools[1].comparison.time.pairs).toBeGreaterThan(0);
    expect(run.summary).toContain('measured, not judged');
  }, 180_000);

  it('report: judges the artifact and publishes; REVIEW requests reviewers and a review comment', async () => {
    const run = await pr.run(
      { ...INPUTS, mode: 'report', artifact },
      {
        event: 'workflow_run',
        payload: pr.workflowRun(head),
      },
    );
    expect(run.stdout).not.toContain('::error::');
    expect(run.code).toBe(0);
    expect(run.outputs['verdict']).toBe('REVIEW');
    expect(github.comments).toHaveLength(1);
    expect(github.comments[0]!.body).toMatch(
      /\*\*bare\*\*(\]\([^)]+\))? \(skipped\) .*🟡\sREVIEW \|/,
    );
    expect(github.checkRuns).toHaveLength(1);
    expect(github.checkRuns[0]).toMatchObject({ head_sha: head, conclusion: 'neutral' });
    expect(github.reviewerRequests).toEqual([
      { reviewers: ['perf-lead'], team_reviewers: ['perf-team'] },
    ]);
    expect(github.reviews).toHaveLength(1);
    expect(github.reviews[0]).toMatchObject({ event: 'COMMENT', commit_id: head });
    expect(github.reviews[0].body).toMatch(
      /a human decision is needed for:\n\n- \*\*bare\*\* \(REVIEW\): not measured: no test input/,
    );
    expect(github.violations()).toEqual([]);
  }, 120_000);

  it('report: a tampered artifact is rejected and nothing is published', async () => {
    const tampered = JSON.parse(readFileSync(artifact, 'utf8'));
    tampered.tools[1].comparison.time.ratio = '0.5; <script>';
    const path = `${artifact}.tampered.json`;
    writeFileSync(path, JSON.stringify(tampered));
    const before = github.requests.length;
    const run = await pr.run(
      { ...INPUTS, mode: 'report', artifact: path },
      {
        event: 'workflow_run',
        payload: pr.workflowRun(head),
      },
    );
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      "::error::the report artifact is not a valid measure report, refusing to publish it: report artifact: 'tools[1].comparison.time.ratio' must be a finite number",
    );
    expect(github.requests.length).toBe(before);
  }, 120_000);

  it('report: an artifact for another head sha than the PR has now is refused', async () => {
    const stale = JSON.parse(readFileSync(artifact, 'utf8'));
    stale.head_sha = 'f'.repeat(40);
    const path = `${artifact}.stale.json`;
    writeFileSync(path, JSON.stringify(stale));
    const checksBefore = github.checkRuns.length;
    const run = await pr.run(
      { ...INPUTS, mode: 'report', artifact: path },
      { event: 'workflow_run', payload: pr.workflowRun('f'.repeat(40)) },
    );
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      /::error::pull request #7 is now at [0-9a-f]{12}, the report artifact is for ffffffffffff: stale or forged, not published/,
    );
    expect(github.checkRuns.length).toBe(checksBefore);
    expect(github.comments).toHaveLength(1);
  }, 120_000);
});
