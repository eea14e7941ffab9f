/**
 * `perf-verdict` as a required check, through the bundle (dist/index.js under Node 24, as the
 * runner runs it, real webhook payloads, the fake GitHub): the workflow has no `paths:` filter, so
 * it runs on every pull request, and a PR that changes no tool gets a success check at once —
 * the check never waits forever. On a merge queue's `merge_group` event the queued merge is
 * measured against its base and the check lands on the group's head commit; the configuration
 * is the base's, not the queued PR's.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mergeGroupPayload, runAction, startPullRequest } from './action-helpers.js';
import type { PullRequestFixture } from './action-helpers.js';

const FAST = 'def scale(values):\n    return [v * 2 for v in values]\n';
// Eight times the work: a regression at any load.
const SLOW =
  'def scale(values):\n    out = []\n    for _ in range(8):\n        out = [v * 2 for v in values]\n    return out\n';
const SIDE = `{"test_input": {"values": [${Array.from({ length: 64 }, (_, i) => i).join(', ')}]}}`;
const INPUTS = { 'time-budget-seconds': '5', 'fail-on': 'reject', comment: 'on-change' };

let pr: PullRequestFixture;
beforeAll(async () => {
  pr = await startPullRequest({
    base: { 'tools/math/scale.py': FAST, 'tools/math/scale.perf.json': SIDE, 'README.md': 'x\n' },
    head: { 'README.md': 'docs only\n' },
  });
}, 180_000);
afterAll(() => pr.close());

describe('a required perf-verdict check', () => {
  it('a pull request that changes no tool: NONE and a success check at once, no comment', async () => {
    const run = await pr.run(INPUTS);
    expect(run.code, run.stdout).toBe(0);
    expect(run.outputs['verdict']).toBe('NONE');
    expect(pr.github.checkRuns).toHaveLength(1);
    expect(pr.github.checkRuns[0]).toMatchObject({
      name: 'perf-verdict',
      head_sha: pr.head,
      status: 'completed',
      conclusion: 'success',
    });
    expect(pr.github.comments).toHaveLength(0);
  }, 180_000);

  it('merge_group: the queued merge against its base, the check on the group head, the base’s config', async () => {
    // The queued PR slows the tool down and tries to switch its own gate off (its config would
    // match no tool: NONE).
    pr.push('slow', {
      'tools/math/scale.py': SLOW,
      '.perf-verdict.yml': 'tools:\n  - nothing/**\n',
    });
    const main = pr.repo.git('rev-parse', 'main');
    const tree = pr.repo.git('merge-tree', '--write-tree', main, pr.head).split('\n')[0]!;
    const group = pr.repo.git('commit-tree', tree, '-p', main, '-p', pr.head, '-m', 'Merge #1');
    // GitHub keeps the group on its queue branch.
    pr.repo.git('update-ref', `refs/heads/gh-readonly-queue/main/pr-1-${main}`, group);
    const checks = pr.github.checkRuns.length;
    const run = await runAction({
      repo: pr.repo.dir,
      event: 'merge_group',
      payload: mergeGroupPayload(pr.number, group, main),
      inputs: { ...INPUTS, 'fail-on': 'review' },
      apiUrl: pr.github.url,
    });
    // An 8× slowdown is REJECT, or REVIEW where the load voids the evidence: never ACCEPT or NONE.
    expect(run.outputs['verdict'], run.stdout).toMatch(/^(REJECT|REVIEW)$/);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      `merge queue: refs/heads/gh-readonly-queue/main/pr-1-${main} (${group.slice(0, 12)}) onto refs/heads/main (${main.slice(0, 12)})`,
    );
    expect(run.stdout).toContain(
      `config: no .perf-verdict.yml at the merge queue base ${main.slice(0, 12)}`,
    );
    expect(pr.github.checkRuns).toHaveLength(checks + 1);
    expect(pr.github.checkRuns.at(-1)).toMatchObject({
      name: 'perf-verdict',
      head_sha: group,
      conclusion: 'failure',
    });
    expect(pr.github.comments).toHaveLength(0);
    const report = JSON.parse(readFileSync(run.outputs['report']!, 'utf8'));
    expect(report).toMatchObject({ head_sha: group, merge_base: main, pull_request: null });
    expect(report.tools.map((t: { id: string }) => t.id)).toEqual(['scale']);
    expect(run.summary).toMatch(/perf-verdict: (❌ REJECT|🟡 REVIEW)/);
    expect(pr.github.violations()).toEqual([]);
  }, 240_000);
});
