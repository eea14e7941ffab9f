/**
 * A sharded matrix end to end: two `measure` runs (`shard: 1/2`, `shard: 2/2`) each measure part
 * of the changed tools and write a partial report; one `report` run reads both (a folder of
 * downloaded artifacts), merges them, judges and publishes once. A missing shard publishes nothing.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPullRequest } from './action-helpers.js';
import type { PullRequestFixture } from './action-helpers.js';

const SIDE = '{"test_input": {"values": [1, 2, 3, 4, 5, 6, 7, 8]}}';
const tool = (name: string, body: string): string => `def ${name}(values):\n    ${body}\n`;
// A budget that gives the 40× regression its four pairs (a conclusive REJECT) on a loaded
// runner too; on a quiet one the measurement stops as soon as it is conclusive.
const INPUTS = { 'time-budget-seconds': '8', 'fail-on': 'reject', comment: 'always' };

describe('sharded measure, merged report', () => {
  let pr: PullRequestFixture;
  let downloads: string;
  const shards: Record<string, { id: string }[]> = {};

  beforeAll(async () => {
    const base: Record<string, string> = {};
    for (const name of ['alpha', 'beta', 'gamma']) {
      base[`tools/${name}.py`] = tool(name, 'return sum(values)');
      base[`tools/${name}.perf.json`] = SIDE;
    }
    pr = await startPullRequest({
      base,
      message: 'touch all three',
      head: {
        // A clear regression: forty times the work.
        'tools/alpha.py': tool('alpha', 'return [sum(values) for _ in range(40)][-1]'),
        'tools/beta.py': `# beta\n${tool('beta', 'return sum(values)')}`,
        'tools/gamma.py': `# gamma\n${tool('gamma', 'return sum(values)')}`,
      },
      number: 7,
    });
    downloads = mkdtempSync(join(tmpdir(), 'pv-artifacts-'));
  }, 180_000);
  afterAll(async () => {
    await pr.close();
    rmSync(downloads, { recursive: true, force: true });
  });

  it.each(['1/2', '2/2'])(
    'measure shard %s: a partial report, no API call',
    async (shard) => {
      const run = await pr.run({ ...INPUTS, mode: 'measure', shard });
      expect(run.stdout).not.toContain('::error::');
      expect(run.code).toBe(0);
      expect(pr.github.requests).toEqual([]);
      const report = JSON.parse(readFileSync(run.outputs['report']!, 'utf8'));
      const [index, total] = shard.split('/').map(Number);
      expect(report.shard).toEqual({ index, total });
      expect(report.tools.length).toBeGreaterThan(0);
      shards[shard] = report.tools;
      expect(run.summary).toContain(
        `Shard ${shard}: this job measured ${report.tools.length} of the changed tools`,
      );
      // As actions/download-artifact lays out one folder per artifact.
      const folder = join(downloads, `perf-verdict-report-${index}`);
      mkdirSync(folder);
      cpSync(run.outputs['report']!, join(folder, 'report.json'));
    },
    180_000,
  );

  it('the shards split the tools between them, without overlap', () => {
    const ids = [...shards['1/2']!, ...shards['2/2']!].map((t) => t.id).sort();
    expect(ids).toEqual(['alpha', 'beta', 'gamma']);
  });

  it('full mode refuses a shard of more than one: it would publish a partial verdict', async () => {
    const run = await pr.run({ ...INPUTS, mode: 'full', shard: '1/2' });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("::error::shard '1/2' needs mode: measure");
    expect(pr.github.requests).toEqual([]);
  }, 120_000);

  it('report with one shard missing: refused, names the shard, publishes nothing', async () => {
    const run = await pr.run(
      {
        ...INPUTS,
        mode: 'report',
        artifact: join(downloads, 'perf-verdict-report-1', 'report.json'),
      },
      { event: 'workflow_run', payload: pr.workflowRun() },
    );
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      '::error::the report artifacts cannot be merged, refusing to publish: shard 2/2 is missing',
    );
    expect(pr.github.requests).toEqual([]);
  }, 120_000);

  it('report on the folder of both shards: merged, judged and published once (REJECT from shard 1)', async () => {
    const run = await pr.run(
      { ...INPUTS, mode: 'report', artifact: downloads },
      { event: 'workflow_run', payload: pr.workflowRun() },
    );
    expect(run.stdout).toContain("::error::perf-verdict: REJECT reaches fail-on 'reject'");
    expect(run.code).toBe(1);
    expect(run.outputs['verdict']).toBe('REJECT');
    const report = JSON.parse(readFileSync(run.outputs['report']!, 'utf8'));
    expect(report.mode).toBe('report');
    expect(report.tools[0]).toMatchObject({ id: 'alpha', verdict: 'REJECT' });
    expect(report.shard).toBeUndefined();
    expect(report.tools.map((t: { id: string }) => t.id)).toEqual(['alpha', 'beta', 'gamma']);
    for (const row of report.tools) expect(row.verdict).not.toBeNull();
    expect(pr.github.comments).toHaveLength(1);
    for (const name of ['alpha', 'beta', 'gamma'])
      expect(pr.github.comments[0]!.body).toContain(`**${name}**`);
    expect(pr.github.checkRuns).toHaveLength(1);
    expect(pr.github.checkRuns[0]).toMatchObject({ head_sha: pr.head, conclusion: 'failure' });
    expect(pr.github.violations()).toEqual([]);
  }, 120_000);
});
