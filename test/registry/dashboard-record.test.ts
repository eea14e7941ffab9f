/**
 * Record mode's dashboard step on a real registry file and real git: the recorded versions are
 * stamped with their provenance, the summary gets their trend charts, and with a branch the site
 * is pushed to the workspace's `origin` (a bare repository) — or a warning says why not.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Log } from '../../src/domain/ports.js';
import type { RecordResult, RecordRow } from '../../src/record/index.js';
import { pageName } from '../../src/registry/dashboard-data.js';
import { recordDashboard } from '../../src/registry/dashboard-record.js';
import type { DashboardRecordRequest } from '../../src/registry/dashboard-record.js';
import { FileRegistryStore } from '../../src/registry/store.js';
import { dashboardRegistry } from './fixtures/dashboard.js';

const HEAD = 'f'.repeat(40);
const quiet: Log = { debug() {}, info() {}, warn() {}, error() {} };

/** The registry as a record run left it: csvParser got a REJECT version 1.2.0, not yet stamped. */
function afterRecordRun(): Record<string, unknown> {
  const registry = dashboardRegistry() as Record<string, { versions: Record<string, unknown>[] }>;
  const csv = registry['csvParser']!;
  const last = csv.versions[csv.versions.length - 1]!;
  const { commit: _, pull_request: __, ...unstamped } = last;
  csv.versions.push({
    ...unstamped,
    version: '1.2.0',
    status: 'rejected',
    verdict: 'REJECT',
    metrics: {
      ...(last['metrics'] as object),
      execution_time_ms: 1.9,
      time_ratio: 1.6,
      ci_low: 1.5,
      ci_high: 1.7,
    },
  });
  return registry;
}

function result(rows: Partial<RecordRow>[]): RecordResult {
  return {
    schema: 'perf-verdict/record',
    version: 1,
    created_at: '2026-12-07T02:00:00Z',
    mode: 'record',
    repository: 'octo/tools',
    ref: 'refs/heads/main',
    base_sha: 'e'.repeat(40),
    base: 'before',
    head_sha: HEAD,
    registry: 'tools/index.json',
    verdict: 'REJECT',
    score: 10,
    tools: rows as RecordRow[],
    wall_ms: 1,
  };
}

describe('record mode’s dashboard step', () => {
  let root: string;
  let bare: string;
  let workspace: string;
  let store: FileRegistryStore;
  const git = (cwd: string, ...args: string[]): string =>
    execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();
  const request = (branch: string | null): DashboardRecordRequest => ({
    branch,
    pushedRef: 'refs/heads/main',
    cwd: workspace,
    links: { serverUrl: 'https://github.com', repository: 'octo/tools' },
    provenance: {
      message: 'Merge pull request #77 from octo/quotes\n\nParse quoted fields',
      pushedBy: 'octo-merger',
    },
  });

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'pv-dashboard-record-'));
    bare = join(root, 'origin.git');
    git(root, 'init', '-q', '--bare', bare);
    workspace = join(root, 'workspace');
    git(root, 'init', '-q', workspace);
    git(workspace, 'remote', 'add', 'origin', `file://${bare}`);
    const file = join(workspace, 'tools', 'index.json');
    execFileSync('mkdir', ['-p', join(workspace, 'tools')]);
    writeFileSync(file, JSON.stringify(afterRecordRun()));
    store = new FileRegistryStore(file);
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('stamps what the run recorded, charts it, and publishes the site to the branch', async () => {
    const out = await recordDashboard(
      store,
      result([
        { id: 'csvParser', version: '1.2.0' },
        { id: 'simple_adder', version: null },
      ]),
      request('gh-pages'),
      quiet,
    );
    expect(out.warning).toBeNull();
    const csv = (await store.read())['csvParser']!;
    expect(csv.versions!.at(-1)).toMatchObject({
      version: '1.2.0',
      commit: HEAD,
      pull_request: { number: 77, title: 'Parse quoted fields' },
      accepted_by: 'octo-merger',
    });
    // Records from earlier runs keep their own provenance.
    expect(csv.versions![0]!.commit).not.toBe(HEAD);
    expect(out.summary).toContain('title "csvParser: time per call (ms)"');
    expect(out.summary).not.toContain('simple_adder');
    const commit = git(bare, 'rev-parse', 'gh-pages');
    expect(out.summary).toContain(
      `Dashboard: published to \`gh-pages\` at ${commit.slice(0, 12)}.`,
    );
    const page = JSON.parse(git(bare, 'show', `gh-pages:tools/${pageName('csvParser')}.json`)) as {
      points: { accepted_by: (string | null)[]; pull_request: (number | null)[] };
      links: unknown;
    };
    expect(page.points.accepted_by.at(-1)).toBe('octo-merger');
    expect(page.points.pull_request.at(-1)).toBe(77);
    expect(page.links).toEqual({ serverUrl: 'https://github.com', repository: 'octo/tools' });
    expect(git(bare, 'log', '-1', '--format=%an%n%s', 'gh-pages')).toBe(
      `github-actions[bot]\nperf-verdict: registry dashboard at ${HEAD.slice(0, 12)}`,
    );
  });

  it('without a branch it stamps and charts only; onto the recorded branch it refuses', async () => {
    const off = await recordDashboard(
      store,
      result([{ id: 'csvParser', version: '1.2.0' }]),
      request(null),
      quiet,
    );
    expect(off).toMatchObject({ warning: null });
    expect(git(bare, 'for-each-ref')).toBe('');
    const onto = await recordDashboard(store, result([]), request('main'), quiet);
    expect(onto.warning).toMatch(/dashboard-branch 'main' is the branch this push recorded/);
    expect(git(bare, 'for-each-ref')).toBe('');
  });

  it('a push that cannot succeed is a warning naming the branch, and the registry is kept', async () => {
    git(workspace, 'remote', 'set-url', 'origin', `file://${join(root, 'missing.git')}`);
    const out = await recordDashboard(
      store,
      result([{ id: 'csvParser', version: '1.2.0' }]),
      request('gh-pages'),
      quiet,
    );
    expect(out.warning).toMatch(
      /^the dashboard was not published to gh-pages: dashboard-branch: ls-remote failed/,
    );
    expect(out.summary).toContain('⚠️ the dashboard was not published');
    expect((await store.read())['csvParser']!.versions!.at(-1)!.commit).toBe(HEAD);
  });
});
