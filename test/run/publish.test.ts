import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createGitHub } from '../../src/adapters/github.js';
import { annotationsOf, publish } from '../../src/action/publish.js';
import type { Log } from '../../src/domain/ports.js';
import type { SecurityIssue } from '../../src/domain/types.js';
import { startFakeGitHub } from '../helpers/fake-github.js';
import type { FakeGitHub } from '../helpers/fake-github.js';
import { casesReport, comparison, demoReport, diff, report, row } from '../render/fixtures.js';

const log: Log = { debug() {}, info() {}, warn() {}, error() {} };
const context = {
  pullRequest: 1,
  headSha: 'b'.repeat(40),
  comment: 'always' as const,
  reviewers: [],
  runUrl: null,
};

describe('publishing through the octokit adapter to a fake GitHub', () => {
  let github: FakeGitHub;
  beforeEach(async () => {
    github = await startFakeGitHub();
  });
  afterEach(async () => {
    await github.close();
  });
  const port = () =>
    createGitHub({
      token: 'test-token',
      baseUrl: github.url,
      repository: 'octo/tools',
      spaceWrites: false,
    });

  it('on-change leaves an unchanged comment alone and updates a changed one', async () => {
    await publish(demoReport(), context, port(), log);
    expect(github.comments).toHaveLength(1);
    const patches = () =>
      github.requests.filter((r) => r.method === 'PATCH' && r.path.includes('/issues/comments/'))
        .length;
    await publish(demoReport(), { ...context, comment: 'on-change' }, port(), log);
    expect(patches()).toBe(0);
    const changed = report(
      demoReport().tools.map((t) =>
        t.id === 'slow_sort' ? { ...t, verdict: 'REVIEW' as const } : t,
      ),
    );
    await publish(changed, { ...context, comment: 'on-change' }, port(), log);
    expect(patches()).toBe(1);
    expect(github.comments).toHaveLength(1);
    expect(github.violations()).toEqual([]);
  });

  it('never adopts a comment carrying the marker from a human', async () => {
    github.comments.push({
      id: 5,
      body: '<!-- perf-verdict:sticky --> fake verdict: ACCEPT',
      user: { login: 'mallory', type: 'User' },
    });
    await publish(demoReport(), context, port(), log);
    expect(github.comments).toHaveLength(2);
    expect(github.comments[0]!.body).toBe('<!-- perf-verdict:sticky --> fake verdict: ACCEPT');
  });

  it('sends annotations for new security findings 50 per request', async () => {
    const issues: SecurityIssue[] = Array.from({ length: 120 }, (_, i) => ({
      rule: 'B307',
      severity: i % 2 ? 'HIGH' : 'MEDIUM',
      confidence: 'HIGH',
      line: i + 1,
      message: `eval ${i}`,
    }));
    const r = report([
      row({
        id: 'bad',
        verdict: 'REVIEW',
        score: 40,
        comparison: comparison(1, 0.99, 1.01, 'unchanged'),
        diff: diff([], issues),
      }),
    ]);
    expect(annotationsOf(r)).toHaveLength(120);
    await publish(
      r,
      { ...context, comment: 'never', reviewers: ['alice', 'org/perf'] },
      port(),
      log,
    );
    expect(github.checkRuns).toHaveLength(1);
    const run = github.checkRuns[0];
    expect(run.output.annotations).toHaveLength(50);
    expect(
      run.updates.map((u: { output: { annotations: unknown[] } }) => u.output.annotations.length),
    ).toEqual([50, 20]);
    expect(run.output.annotations[1]).toMatchObject({
      path: 'tools/bad.py',
      start_line: 2,
      annotation_level: 'failure',
    });
    expect(run.conclusion).toBe('neutral');
    expect(github.reviewerRequests).toEqual([{ reviewers: ['alice'], team_reviewers: ['perf'] }]);
    expect(github.comments).toHaveLength(0);
    expect(github.violations()).toEqual([]);
  });

  it('a new tool’s findings are annotations too (it has no diff, only the head’s analysis)', () => {
    expect(annotationsOf(casesReport())).toEqual([
      {
        path: 'tools/new_noinput_shell.py',
        start_line: 4,
        end_line: 4,
        annotation_level: 'failure',
        title: 'perf-verdict: new security finding B602 (HIGH)',
        message: 'subprocess call with shell=True identified, security issue.',
      },
    ]);
  });

  describe('one review per decision', () => {
    const reviewers = { ...context, comment: 'never' as const, reviewers: ['alice', 'org/perf'] };
    const needs = (ids: string[]) =>
      report(
        ['a', 'b', 'c'].map((id) =>
          row({
            id,
            verdict: ids.includes(id) ? 'REVIEW' : 'ACCEPT',
            score: ids.includes(id) ? 50 : 90,
          }),
        ),
      );
    /** A review of the PR's head by `login`, there before the run. */
    const reviewedBy = (login: string, review: { id: number; body: string; state: string }) =>
      github.reviews.push({
        ...review,
        user: { login, type: 'User' },
        commit_id: context.headSha,
      });

    it('ten pushes with the same tools to review: one review, updated; reviewers requested once', async () => {
      for (let push = 0; push < 10; push++) await publish(needs(['a']), reviewers, port(), log);
      expect(github.reviews).toHaveLength(1);
      expect(github.reviews[0].updates).toBe(9);
      expect(github.reviewerRequests).toEqual([{ reviewers: ['alice'], team_reviewers: ['perf'] }]);
      expect(github.violations()).toEqual([]);
    });

    it('a new review only when the set of tools changed, saying what changed', async () => {
      await publish(needs(['a']), reviewers, port(), log);
      await publish(needs(['a', 'b']), reviewers, port(), log);
      expect(github.reviews).toHaveLength(2);
      expect(github.reviews[1].body).toContain(
        'Changed since the previous perf-verdict review:\n- now also needs a human: **b**',
      );
      await publish(needs(['b']), reviewers, port(), log);
      expect(github.reviews).toHaveLength(3);
      expect(github.reviews[2].body).toContain('- no longer needs one: **a**');
    });

    it('does not re-request a reviewer who already reviewed this head', async () => {
      reviewedBy('alice', { id: 1, body: 'looks fine', state: 'APPROVED' });
      await publish(needs(['a']), reviewers, port(), log);
      expect(github.reviewerRequests).toEqual([{ reviewers: [], team_reviewers: ['perf'] }]);
    });

    it('a later ACCEPT says so in the same review and withdraws the pending request', async () => {
      await publish(needs(['a']), reviewers, port(), log);
      expect([...github.requested.users]).toEqual(['alice']);
      await publish(needs([]), reviewers, port(), log);
      expect(github.reviews).toHaveLength(1);
      expect(github.reviews[0].body).toContain(
        '**perf-verdict: resolved** — a later run (head `bbbbbbb`) is ACCEPT',
      );
      expect([...github.requested.users]).toEqual([]);
      expect([...github.requested.teams]).toEqual([]);
      // Resolved stays resolved: no further edits on more ACCEPT runs.
      await publish(needs([]), reviewers, port(), log);
      expect(github.reviews[0].updates).toBe(1);
      expect(github.violations()).toEqual([]);
    });

    it('a human quoting the marker cannot take over the review', async () => {
      reviewedBy('mallory', {
        id: 2,
        body: '<!-- perf-verdict:review --> fake',
        state: 'COMMENTED',
      });
      await publish(needs(['a']), reviewers, port(), log);
      expect(github.reviews).toHaveLength(2);
      expect(github.reviews[0].body).toBe('<!-- perf-verdict:review --> fake');
    });
  });
});
