/**
 * A fork's pull request runs `mode: measure` with the workflow file as the fork has it, so the
 * report artifact says whatever the fork wants. Here the fork forges it: a head 3× slower than
 * its base claims to be 3× faster. The trusted `report` job (workflow_run) judges the forgery as
 * ACCEPT — it cannot tell — but says the numbers are unverified and never makes the check green
 * by itself: `neutral` until a writer accepts that head. The same artifact from the base
 * repository's own run (the control) and the honest artifact from the fork are judged as usual.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { githubTime } from '../helpers/fake-github.js';
import { commentAs, payload, startPullRequest } from './action-helpers.js';
import type { PullRequestFixture } from './action-helpers.js';

const BASE = 'def total(values):\n    return sum(values)\n';
// Three passes where one does: about 3× the time, the same answer, the same complexity.
const HEAD = 'def total(values):\n    return sum(values) + 0 * sum(values) + 0 * sum(values)\n';
const SIDE = JSON.stringify({ test_input: { values: Array.from({ length: 400 }, (_, i) => i) } });
const INPUTS = { 'time-budget-seconds': '6', 'fail-on': 'reject', comment: 'always' };
const FORK = 'octo-fork/Hello-World';
const BASE_REPOSITORY = 'Codertocat/Hello-World';

/**
 * The measure report with every figure of the two versions swapped: the slower head claims to be
 * faster. Swapping only the steady-state time would leave the first-call times saying the
 * opposite, which the judge may (or, the first call being one noisy sample, may not) notice.
 */
function forge(honest: string): string {
  const report = JSON.parse(readFileSync(honest, 'utf8'));
  for (const tool of report.tools) {
    const c = tool.comparison;
    if (c === null) continue;
    [c.old, c.new] = [c.new, c.old];
    const t = c.time;
    [t.ratio, t.ci_low, t.ci_high] = [1 / t.ratio, 1 / t.ci_high, 1 / t.ci_low];
    t.change = 'improvement';
    if (Array.isArray(t.pair_ratios)) t.pair_ratios = t.pair_ratios.map((r: number) => 1 / r);
    // A careful forger swaps every figure that could give the swap away: the first call in a
    // fresh process, memory, and how the cost grows.
    if (c.cold) {
      [c.cold.old_ns, c.cold.new_ns] = [c.cold.new_ns, c.cold.old_ns];
      if (c.cold.ratio) c.cold.ratio = 1 / c.cold.ratio;
      if (c.cold.ci_low && c.cold.ci_high)
        [c.cold.ci_low, c.cold.ci_high] = [1 / c.cold.ci_high, 1 / c.cold.ci_low];
      if (c.cold.second_ratio) c.cold.second_ratio = 1 / c.cold.second_ratio;
    }
    const m = c.memory;
    [m.old_kb, m.new_kb] = [m.new_kb, m.old_kb];
    if (m.ratio) m.ratio = 1 / m.ratio;
    if (c.growth) {
      [c.growth.old, c.growth.new] = [c.growth.new, c.growth.old];
      if (c.growth.ratio_at_largest) c.growth.ratio_at_largest = 1 / c.growth.ratio_at_largest;
    }
  }
  const path = `${honest}.forged.json`;
  writeFileSync(path, JSON.stringify(report));
  return path;
}

describe('a fork forges its measure report', () => {
  let pr: PullRequestFixture;
  let honest: string;
  let forged: string;

  /** The report job on workflow_run, for a measuring run whose commit came from `headRepository`. */
  const report = (artifact: string, headRepository: string, inputs: Record<string, string> = {}) =>
    pr.run(
      { ...INPUTS, ...inputs, mode: 'report', artifact },
      {
        event: 'workflow_run',
        payload: payload('workflow_run', 'completed', (p) => {
          p.workflow_run.head_sha = pr.head;
          p.workflow_run.pull_requests = [];
          p.workflow_run.head_repository.full_name = headRepository;
          p.repository.full_name = BASE_REPOSITORY;
        }),
      },
    );

  beforeAll(async () => {
    pr = await startPullRequest({
      number: 9,
      base: { 'tools/total.py': BASE, 'tools/total.perf.json': SIDE },
      head: { 'tools/total.py': HEAD },
      message: 'make total faster',
    });
    const measured = await pr.run({ ...INPUTS, mode: 'measure' });
    expect(measured.code, measured.stderr).toBe(0);
    honest = measured.outputs['report']!;
    forged = forge(honest);
  }, 240_000);
  afterAll(() => pr.close());

  it('control: the base repository’s own measure run is judged as usual (REJECT, failure)', async () => {
    const run = await report(honest, BASE_REPOSITORY);
    expect(run.code).toBe(1);
    expect(run.outputs['verdict']).toBe('REJECT');
    expect(pr.github.checkRuns.at(-1)).toMatchObject({ head_sha: pr.head, conclusion: 'failure' });
    expect(pr.github.checkRuns.at(-1).output.title).not.toContain('unverified');
  }, 120_000);

  it('the forged ACCEPT from a fork: neutral, never success, and every surface says unverified', async () => {
    const run = await report(forged, FORK);
    expect(run.outputs['verdict']).toBe('ACCEPT'); // the trusted job cannot tell: it judges what it got
    expect(run.code).toBe(0);
    const check = pr.github.checkRuns.at(-1);
    expect(check).toMatchObject({ head_sha: pr.head, conclusion: 'neutral' });
    expect(check.output.title).toContain("measured by the PR's own job: unverified");
    const comment = pr.github.comments.find((c) => c.user.type === 'Bot')!.body;
    expect(comment).toContain("⚠️ measured by the PR's own job: unverified");
    expect(comment).toContain(`the pull request job of the fork ${FORK}`);
    expect(comment).toContain('trust-fork-measurements: true');
    expect(run.summary).toContain("measured by the PR's own job: unverified");
    expect(run.stdout).toContain(
      `the numbers were measured by the pull request job of the fork ${FORK}: unverified`,
    );
    expect(pr.github.violations()).toEqual([]);
  }, 120_000);

  it('the honest REJECT from a fork stays a failure: a fork cannot forge its way to a worse verdict in its favour', async () => {
    const run = await report(honest, FORK);
    expect(run.outputs['verdict']).toBe('REJECT');
    expect(run.code).toBe(1);
    expect(pr.github.checkRuns.at(-1)).toMatchObject({ conclusion: 'failure' });
  }, 120_000);

  it('a base config that trusts fork measurements lets the forged ACCEPT pass (the risk it accepts)', async () => {
    const run = await report(forged, FORK, { 'trust-fork-measurements': 'true' });
    expect(run.code).toBe(0);
    const check = pr.github.checkRuns.at(-1);
    expect(check).toMatchObject({ conclusion: 'success' });
    expect(check.output.title).toContain('unverified'); // trusted, still said
  }, 120_000);

  it('a writer’s /perf-verdict accept on that head turns the unverified result green', async () => {
    await report(forged, FORK);
    expect(pr.github.checkRuns.at(-1)).toMatchObject({ conclusion: 'neutral' });
    commentAs(pr.github, { id: 90, login: 'drive-by', permission: 'read' });
    const byReader = await pr.run(INPUTS, {
      event: 'issue_comment',
      payload: acceptBy('drive-by'),
    });
    expect(byReader.code).toBe(0);
    expect(pr.github.checkRuns.at(-1)).toMatchObject({ conclusion: 'neutral' });
    commentAs(pr.github, { id: 91, login: 'owner-sam', permission: 'admin' });
    const byWriter = await pr.run(INPUTS, {
      event: 'issue_comment',
      payload: acceptBy('owner-sam'),
    });
    expect(byWriter.stdout).toContain('re-judging the override without measuring');
    expect(byWriter.code).toBe(0);
    const check = pr.github.checkRuns.at(-1);
    expect(check).toMatchObject({ head_sha: pr.head, conclusion: 'success' });
    expect(check.output.title).toContain('accepted by `owner-sam` (comment)');
    expect(pr.github.violations()).toEqual([]);
  }, 180_000);

  it('an accept is for the verdict it was given for: the same head judged anew needs a new one', async () => {
    const ours = (): string => pr.github.comments.find((c) => c.user.type === 'Bot')!.body;
    const earlier = (id: number): void => {
      // Given before the next verdict is published (GitHub's times are to the second).
      pr.github.comments.find((c) => c.id === id)!.created_at = githubTime(
        new Date(Date.now() - 5_000),
      );
    };
    const h7 = pr.head.slice(0, 7);
    // owner-sam accepted the forged ACCEPT above; the honest report of the same head is REJECT.
    earlier(91);
    const honestRun = await report(honest, FORK);
    expect(honestRun.outputs['verdict']).toBe('REJECT');
    expect(honestRun.code).toBe(1);
    expect(pr.github.checkRuns.at(-1)).toMatchObject({ head_sha: pr.head, conclusion: 'failure' });
    expect(ours()).toContain(
      `accepted for ${h7} at ACCEPT, the verdict is now REJECT: a new accept is needed (the last was by owner-sam, comment)`,
    );

    // A writer accepts the REJECT; then the fork's job sends its forged ACCEPT for the same head.
    commentAs(pr.github, { id: 92, login: 'owner-sam', permission: 'admin' });
    const byWriter = await pr.run(INPUTS, {
      event: 'issue_comment',
      payload: acceptBy('owner-sam'),
    });
    expect(byWriter.code).toBe(0);
    expect(pr.github.checkRuns.at(-1)).toMatchObject({ head_sha: pr.head, conclusion: 'success' });
    earlier(92);
    const forgedRun = await report(forged, FORK);
    expect(forgedRun.outputs['verdict']).toBe('ACCEPT');
    expect(pr.github.checkRuns.at(-1)).toMatchObject({ head_sha: pr.head, conclusion: 'neutral' });
    expect(ours()).toContain(
      `accepted for ${h7} at REJECT, the verdict is now ACCEPT: a new accept is needed`,
    );
    expect(pr.github.violations()).toEqual([]);
  }, 240_000);

  const acceptBy = (login: string): unknown =>
    payload('issue_comment', 'created', (p) => {
      p.issue.number = 9;
      p.issue.pull_request = { url: `https://api.github.com/repos/${BASE_REPOSITORY}/pulls/9` };
      p.comment.body = '/perf-verdict accept';
      p.comment.user.login = login;
    });
});
