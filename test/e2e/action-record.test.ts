/**
 * The Action's `record` mode end to end: dist/index.js under Node 24 on a real git repository
 * with real push payloads. Each push profiles the changed tools into tools/index.json, measuring
 * the version before the push side by side with the new one; the test commits the registry back
 * between pushes, as the example workflow does. No request reaches the GitHub API.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pageName } from '../../src/registry/dashboard-data.js';
import type { FakeGitHub } from '../helpers/fake-github.js';
import type { TestRepo } from '../helpers/git-repo.js';
import { payload, runAction, startRepoAndGitHub, stopRepoAndGitHub } from './action-helpers.js';
import type { RunnerRun } from './action-helpers.js';

const FAST = 'def scale(values):\n    return [v * 2 for v in values]\n';
// Five times the work of FAST.
const MEDIUM =
  'def scale(values):\n    out = []\n    for _ in range(5):\n        out = [v * 2 for v in values]\n    return out\n';
// Twenty-five times the work of FAST: a clear regression.
const SLOW =
  'def scale(values):\n    out = []\n    for _ in range(25):\n        out = [v * 2 for v in values]\n    return out\n';
const SIDE =
  '{"requirement": "Double every value", "test_input": {"values": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32]}}';
const UPPER = 'def upper(text):\n    return text.upper()\n';
const UPPER_SIDE = '{"requirement": "Upper-case a text", "test_input": {"text": "hello world"}}';
const ZEROS = '0000000000000000000000000000000000000000';
// A budget that gives the 5× and 25× changes their four pairs (a conclusive verdict) on a loaded
// runner too; on a quiet one the measurement stops as soon as it is conclusive.
// Every run also publishes the registry dashboard to the gh-pages branch of its `origin`.
const INPUTS = {
  mode: 'record',
  'time-budget-seconds': '8',
  'fail-on': 'reject',
  'dashboard-branch': 'gh-pages',
};

interface Entry {
  version: string;
  metadata: { source: string };
  versions: {
    version: string;
    status: string;
    code_sha256: string;
    metrics: { time_ratio: number | null; ci_low: number | null; ci_high: number | null };
  }[];
}

/**
 * The Action in record mode on one push of main from `before` to `after`, then the workflow's
 * commit of the registry: the tools/index.json the run wrote in its workspace is committed to
 * main (as the example workflow's push does), when it wrote one.
 */
async function pushAndCommitBack(
  repo: TestRepo,
  github: FakeGitHub,
  before: string,
  after: string,
): Promise<RunnerRun> {
  const run = await runAction({
    repo: repo.dir,
    event: 'push',
    payload: payload('push', undefined as unknown as string, (p) => {
      p.before = before;
      p.after = after;
      p.ref = 'refs/heads/main';
      p.deleted = false;
    }),
    inputs: INPUTS,
    apiUrl: github.url,
  });
  const written = join(run.workspace, 'tools/index.json');
  if (existsSync(written))
    repo.commit('perf-verdict: record tools/index.json', {
      'tools/index.json': readFileSync(written, 'utf8'),
    });
  return run;
}

describe('the Action on push (record mode)', () => {
  let repo: TestRepo;
  let github: FakeGitHub;
  let pushed: string;
  const registryFile = (): Record<string, Entry> =>
    JSON.parse(readFileSync(join(repo.dir, 'tools/index.json'), 'utf8')) as Record<string, Entry>;

  /** One push from `pushed` to `after`, then the workflow's commit of the registry. */
  async function push(after: string, before = pushed) {
    const run = await pushAndCommitBack(repo, github, before, after);
    pushed = repo.git('rev-parse', 'HEAD');
    return run;
  }

  beforeAll(async () => {
    ({ repo, github } = await startRepoAndGitHub());
    pushed = repo.commit('readme', { 'README.md': 'x\n' });
  }, 180_000);
  afterAll(() => stopRepoAndGitHub({ repo, github }));

  it('a new branch (before = zeros): the tools of the pushed commit are recorded as new', async () => {
    const after = repo.commit('add tools', {
      'tools/math/scale.py': MEDIUM,
      'tools/math/scale.perf.json': SIDE,
      'tools/text/upper.py': UPPER,
      'tools/text/upper.perf.json': UPPER_SIDE,
    });
    const run = await push(after, ZEROS);
    expect(run.stdout).not.toMatch(/::error::/);
    expect(run.code).toBe(0);
    expect(run.outputs['registry']).toBe(join(run.workspace, 'tools/index.json'));
    expect(run.outputs['verdict']).toBe('ACCEPT');
    const registry = registryFile();
    expect(Object.keys(registry).sort()).toEqual(['scale', 'upper']);
    expect(registry['scale']!.version).toBe('1.0.0');
    expect(registry['scale']!.metadata.source).toBe(MEDIUM);
    expect(registry['scale']!.versions.map((v) => v.status)).toEqual(['current']);
    const report = JSON.parse(readFileSync(run.outputs['report']!, 'utf8'));
    expect(report).toMatchObject({ schema: 'perf-verdict/record', mode: 'record', base: 'parent' });
    expect(report.head_sha).toBe(after);
    expect(report.tools.map((t: { id: string; change: string }) => [t.id, t.change])).toEqual([
      ['scale', 'new'],
      ['upper', 'new'],
    ]);
    expect(run.summary).toContain('perf-verdict record: ✅ ACCEPT');
    expect(run.summary).toMatch(/\| \*\*scale\*\* \| new \| 1\.0\.0 \| .* \| current \|/);
    expect(github.requests).toEqual([]);
  }, 180_000);

  it('a faster mutation is measured side by side with the old code and becomes current', async () => {
    const after = repo.commit('faster scale', { 'tools/math/scale.py': FAST });
    const run = await push(after);
    expect(run.code).toBe(0);
    expect(run.outputs['verdict']).toBe('ACCEPT');
    const registry = registryFile();
    const scale = registry['scale']!;
    expect(scale.version).toBe('1.0.1');
    expect(scale.metadata.source).toBe(FAST);
    expect(scale.versions.map((v) => [v.version, v.status])).toEqual([
      ['1.0.0', 'current'],
      ['1.0.1', 'current'],
    ]);
    // Both versions measured now: the ratio new/old and its interval are well below 1.
    const measured = scale.versions[1]!.metrics;
    expect(measured.time_ratio).toBeLessThan(0.8);
    expect(measured.ci_high).toBeLessThan(1);
    // Untouched by this push.
    expect(registry['upper']!.versions).toHaveLength(1);
    const report = JSON.parse(readFileSync(run.outputs['report']!, 'utf8'));
    expect(report.tools).toHaveLength(1);
    expect(report.tools[0]).toMatchObject({ id: 'scale', change: 'modified', current: true });
    expect(report.tools[0].time_ratio).toBeLessThan(0.8);
    expect(github.requests).toEqual([]);
  }, 180_000);

  it('a REJECTed mutation is kept in versions[] but not made current; the step does not fail', async () => {
    const after = repo.commit('slower scale', { 'tools/math/scale.py': SLOW });
    const run = await push(after);
    expect(run.code).toBe(0);
    expect(run.outputs['verdict']).toBe('REJECT');
    expect(run.stdout).toMatch(/::warning::scale: REJECT: recorded in versions\[\] as rejected/);
    const scale = registryFile()['scale']!;
    expect(scale.version).toBe('1.0.1');
    expect(scale.metadata.source).toBe(FAST);
    expect(scale.versions.map((v) => [v.version, v.status])).toEqual([
      ['1.0.0', 'current'],
      ['1.0.1', 'current'],
      ['1.0.2', 'rejected'],
    ]);
    expect(scale.versions[2]!.metrics.ci_low).toBeGreaterThan(1.5);
    expect(run.summary).toContain('perf-verdict record: ❌ REJECT');
    expect(run.summary).toContain('history only (rejected)');
    // The rejected version is stamped with the pushed commit and who pushed it anyway.
    expect(scale.versions[2]).toMatchObject({ commit: after, accepted_by: expect.any(String) });
    // The dashboard: the summary charts scale's versions; origin's gh-pages holds the site.
    expect(run.summary).toMatch(/title "scale: time per call \((ns|µs|ms)\)"/);
    expect(run.summary).toMatch(/Dashboard: published to `gh-pages` at [0-9a-f]{12}\./);
    expect(run.stdout).not.toMatch(/::warning::the dashboard/);
    const origin = fileURLToPath(repo.git('-C', run.workspace, 'remote', 'get-url', 'origin'));
    const page = JSON.parse(
      repo.git('-C', origin, 'show', `gh-pages:tools/${pageName('scale')}.json`),
    ) as { points: { version: string[]; status: string[]; commit: (string | null)[] } };
    expect(page.points.version).toEqual(['1.0.0', '1.0.1', '1.0.2']);
    expect(page.points.status.at(-1)).toBe('rejected');
    expect(page.points.commit.at(-1)).toBe(after.slice(0, 12));
    expect(repo.git('-C', origin, 'show', 'gh-pages:index.html')).toContain('>scale</a>');
    expect(github.requests).toEqual([]);
  }, 180_000);

  it('a removed tool is left in the registry; a tool without test input is not recorded (REVIEW); a pull_request event is refused', async () => {
    const after = repo.commit('remove upper, add bare', {
      'tools/text/upper.py': null,
      'tools/text/upper.perf.json': null,
      'tools/text/bare.py': 'def bare(x):\n    return x\n',
    });
    const run = await push(after);
    expect(run.code).toBe(0);
    expect(run.outputs['verdict']).toBe('REVIEW');
    const registry = registryFile();
    expect(registry['upper']!.versions).toHaveLength(1);
    expect(registry['bare']).toBeUndefined();
    expect(run.summary).toMatch(/\| \*\*upper\*\* \| removed \| .* \| — \| left as is \|/);
    expect(run.summary).toMatch(
      /\| \*\*bare\*\* \| new \| — \| .* \| 🟡 REVIEW \| not recorded \|/,
    );
    expect(run.summary).toContain('2 changed tools');
    expect(run.summary).toContain('0 recorded in');
    expect(run.stdout).toMatch(/::warning::bare: REVIEW: not recorded: no test input/);

    const wrong = await runAction({
      repo: repo.dir,
      event: 'pull_request',
      payload: payload('pull_request', 'opened', (p) => {
        p.pull_request.head.sha = repo.git('rev-parse', 'HEAD');
        p.pull_request.base.sha = repo.git('rev-parse', 'HEAD~1');
        p.pull_request.base.ref = 'main';
      }),
      inputs: INPUTS,
      apiUrl: github.url,
    });
    expect(wrong.code).toBe(1);
    expect(wrong.stdout).toMatch(/::error::mode record runs on push events/);
    expect(github.requests).toEqual([]);
  }, 180_000);
});

describe('record mode: where the base of a push comes from', () => {
  let repo: TestRepo;
  let github: FakeGitHub;
  beforeAll(async () => {
    ({ repo, github } = await startRepoAndGitHub());
  }, 180_000);
  afterAll(() => stopRepoAndGitHub({ repo, github }));

  const run = (before: string, after: string) => pushAndCommitBack(repo, github, before, after);

  it('a root commit has no parent: every tool in it is new', async () => {
    const root = repo.commit('root', {
      'tools/text/upper.py': UPPER,
      'tools/text/upper.perf.json': UPPER_SIDE,
    });
    const result = await run(ZEROS, root);
    expect(result.code).toBe(0);
    const report = JSON.parse(readFileSync(result.outputs['report']!, 'utf8'));
    expect(report).toMatchObject({ base: 'none', base_sha: null, verdict: 'ACCEPT' });
    expect(report.tools).toEqual([
      expect.objectContaining({ id: 'upper', change: 'new', version: '1.0.0', current: true }),
    ]);
    expect(result.summary).toContain('first commit: every tool is new');
  }, 120_000);

  it("a 'before' the clone lacks (force push) falls back to the parent, with a warning", async () => {
    const after = repo.commit('tweak upper', {
      'tools/text/upper.py': `# upper-case\n${UPPER}`,
    });
    const result = await run('f'.repeat(40), after);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /::warning::the push's 'before' ffffffffffff is not in the clone/,
    );
    const report = JSON.parse(readFileSync(result.outputs['report']!, 'utf8'));
    expect(report).toMatchObject({ base: 'parent', base_sha: repo.git('rev-parse', `${after}^`) });
    expect(report.tools.map((t: { id: string }) => t.id)).toEqual(['upper']);
    // Measured side by side against the root commit's code, recorded as the next version.
    const entry = JSON.parse(readFileSync(join(result.workspace, 'tools/index.json'), 'utf8'))[
      'upper'
    ];
    expect(entry.versions).toHaveLength(2);
    expect(entry.versions[1].version).toBe('1.0.1');
    expect(entry.versions[1].metrics.time_ratio).toBeGreaterThan(0);
    expect(github.requests).toEqual([]);
  }, 120_000);
});
