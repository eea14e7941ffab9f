/**
 * Bounded by default (issue 23): a pull request that changes more tools than `max-tools` gets
 * exactly that many measured; the others are rows marked cut, REVIEW — so a slowdown in a tool
 * past the cap is never waved through as a green check. The bundle under Node 24, a fake GitHub.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GateReport } from '../../src/report/model.js';
import { startPullRequest } from './action-helpers.js';
import type { PullRequestFixture } from './action-helpers.js';

const code = (name: string, passes: number): string =>
  `def ${name}(values):\n    return sum(values)${' + 0 * sum(values)'.repeat(passes - 1)}\n`;
const SIDE = JSON.stringify({ test_input: { values: Array.from({ length: 400 }, (_, i) => i) } });
const INPUTS = {
  'time-budget-seconds': '4',
  'fail-on': 'reject',
  comment: 'always',
  'max-tools': '2',
};

describe('max-tools: a pull request with more tools than the cap', () => {
  let pr: PullRequestFixture;
  beforeAll(async () => {
    const tools = ['alpha', 'beta', 'gamma'];
    pr = await startPullRequest({
      base: Object.fromEntries(
        tools.flatMap((t) => [
          [`tools/${t}.py`, code(t, 1)],
          [`tools/${t}.perf.json`, SIDE],
        ]),
      ),
      // alpha and beta change a comment only; gamma, past the cap, becomes three times slower.
      head: {
        'tools/alpha.py': `# tidied\n${code('alpha', 1)}`,
        'tools/beta.py': `# tidied\n${code('beta', 1)}`,
        'tools/gamma.py': code('gamma', 3),
      },
    });
  }, 60_000);
  afterAll(() => pr.close());

  it('measures exactly the cap; the rest are rows marked cut, REVIEW; the check is not success', async () => {
    const run = await pr.run(INPUTS);
    const report = JSON.parse(readFileSync(run.outputs['report']!, 'utf8')) as GateReport;
    const measured = report.tools.filter((t) => t.comparison !== null);
    expect(measured.map((t) => t.id)).toEqual(['alpha', 'beta']);
    const gamma = report.tools.find((t) => t.id === 'gamma');
    const why = 'not measured: the PR-wide cap of 2 tools was reached (max-tools)';
    expect(gamma).toMatchObject({ status: 'skipped', verdict: 'REVIEW', note: why });
    expect(run.outputs['verdict']).not.toBe('ACCEPT');
    const check = pr.github.checkRuns.at(-1);
    expect(check.head_sha).toBe(pr.head);
    expect(check.conclusion).not.toBe('success');
    expect(pr.github.comments.find((c) => c.user.type === 'Bot')!.body).toContain(why);
    expect(run.stdout).toContain(`gamma: REVIEW in`);
    expect(pr.github.violations()).toEqual([]);
  }, 180_000);
});
