/**
 * Accepting is a decision about one head (issue 23): the accept label counts only from a user
 * with write access, as a comment does, and an accept applies to the head (and verdict) it was
 * given for. After a new push the Action shows the last accept as stale and fails a REJECT again;
 * the label left on the pull request is ignored until it is added anew. The bundle under Node 24,
 * real webhook payloads, a fake GitHub speaking the API's schemas strictly.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commentAs, labelAs, payload, startPullRequest } from './action-helpers.js';
import type { PullRequestFixture } from './action-helpers.js';

/** The tool summing its input `passes` times: the same answer, about `passes` times the time. */
const total = (passes: number): string =>
  `def total(values):\n    return sum(values)${' + 0 * sum(values)'.repeat(passes - 1)}\n`;
// Heads ten times slower and more: REJECT at any load.
const BASE = total(1);
const SIDE = JSON.stringify({ test_input: { values: Array.from({ length: 400 }, (_, i) => i) } });
const INPUTS = { 'time-budget-seconds': '6', 'fail-on': 'reject', comment: 'always' };
const LABEL = 'perf-verdict:accept';

describe('who may accept, and for which head', () => {
  let pr: PullRequestFixture;

  /** The `labeled` event of the accept label, sent by `login`, for the PR as it is now. */
  const labeled = (login: string): unknown =>
    pr.payload('labeled', (p) => {
      p.label = { ...p.label, name: LABEL };
      p.sender.login = login;
      p.pull_request.labels = [{ ...p.label, name: LABEL }];
    });
  const ours = (): string => pr.github.comments.find((c) => c.user.type === 'Bot')!.body;

  beforeAll(async () => {
    pr = await startPullRequest({
      number: 5,
      base: { 'tools/total.py': BASE, 'tools/total.perf.json': SIDE },
      head: { 'tools/total.py': total(10) },
    });
  }, 60_000);
  afterAll(() => pr.close());

  it('the accept label added by a triage user is not honoured, and the comment says why', async () => {
    const first = await pr.run(INPUTS);
    expect(first.outputs['verdict']).toBe('REJECT');
    expect(first.code).toBe(1);

    labelAs(pr.github, { login: 'triage-tim', permission: 'triage' });
    const run = await pr.run(INPUTS, { payload: labeled('triage-tim') });
    expect(run.stdout).toContain('re-judging the override without measuring');
    expect(run.code).toBe(1);
    expect(pr.github.checkRuns.at(-1)).toMatchObject({ head_sha: pr.head, conclusion: 'failure' });
    const why = `the label ${LABEL} was added by triage-tim, not honoured: permission 'triage', write access is needed`;
    expect(ours()).toContain(why);
    expect(run.summary).toContain(why);
    expect(pr.github.violations()).toEqual([]);
  }, 180_000);

  it('the label added by a writer is honoured for that head', async () => {
    labelAs(pr.github, { login: 'maintainer-jane', permission: 'write' });
    const run = await pr.run(INPUTS, { payload: labeled('maintainer-jane') });
    expect(run.code).toBe(0);
    expect(run.outputs['verdict']).toBe('REJECT');
    const check = pr.github.checkRuns.at(-1);
    expect(check).toMatchObject({ head_sha: pr.head, conclusion: 'success' });
    expect(check.output.title).toContain('accepted by `maintainer-jane` (label)');
    expect(ours()).toContain('accepted by `maintainer-jane`');
    expect(pr.github.violations()).toEqual([]);
  }, 120_000);

  it('a new push that is REJECT fails again: the label is ignored and the accept is shown as stale', async () => {
    const accepted = pr.head;
    const head = pr.push('twelve passes', { 'tools/total.py': total(12) });
    // The label stays on the pull request, as GitHub keeps it across pushes.
    expect(pr.github.pr.labels).toContain(LABEL);
    const run = await pr.run(INPUTS, { payload: pr.payload('synchronize') });
    expect(run.outputs['verdict']).toBe('REJECT');
    expect(run.code).toBe(1);
    expect(pr.github.checkRuns.at(-1)).toMatchObject({ head_sha: head, conclusion: 'failure' });
    const body = ours();
    expect(body).not.toContain('accepted by `maintainer-jane`');
    expect(body).toContain(
      `accepted for ${accepted.slice(0, 7)}, the head is now ${head.slice(0, 7)}: a new accept is needed`,
    );
    expect(body).toContain(
      `the label ${LABEL} was added by maintainer-jane before the verdict for ${head.slice(0, 7)} was published: remove it and add it again`,
    );
    expect(run.stdout).toContain('no accept applies: accepted for');
    expect(pr.github.violations()).toEqual([]);
  }, 180_000);

  it('a writer’s comment before the new head’s verdict does not count; one after it does', async () => {
    // The label goes; a writer comments on the new head (the issue_comment run re-judges).
    pr.github.pr = { ...pr.github.pr, labels: [] };
    commentAs(pr.github, { id: 31, login: 'owner-sam', permission: 'admin' });
    const run = await pr.run(INPUTS, {
      event: 'issue_comment',
      payload: payload('issue_comment', 'created', (p) => {
        p.issue.number = 5;
        p.issue.pull_request = {
          url: 'https://api.github.com/repos/Codertocat/Hello-World/pulls/5',
        };
        p.comment.body = '/perf-verdict accept';
        p.comment.user.login = 'owner-sam';
      }),
    });
    expect(run.code).toBe(0);
    const check = pr.github.checkRuns.at(-1);
    expect(check).toMatchObject({ head_sha: pr.head, conclusion: 'success' });
    expect(check.output.title).toContain('accepted by `owner-sam` (comment)');

    // Another push: the comment was given for the head before it.
    const before = pr.head;
    const head = pr.push('fourteen passes', { 'tools/total.py': total(14) });
    const again = await pr.run(INPUTS, { payload: pr.payload('synchronize') });
    expect(again.code).toBe(1);
    expect(pr.github.checkRuns.at(-1)).toMatchObject({ head_sha: head, conclusion: 'failure' });
    expect(ours()).toContain(
      `accepted for ${before.slice(0, 7)}, the head is now ${head.slice(0, 7)}: a new accept is needed (the last was by owner-sam, comment)`,
    );
    expect(pr.github.violations()).toEqual([]);
  }, 240_000);
});
