/**
 * Publishing the dashboard to a branch with real git: a bare repository as the remote, the
 * workspace a clone of it (as actions/checkout leaves it), and a second clone that pushes to the
 * branch between our fetch and our push — the concurrent record run the retry exists for.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dashboardFiles } from '../../src/registry/dashboard.js';
import type { GitRunner, PublishRequest } from '../../src/registry/dashboard-publish.js';
import { gitIn, publishDashboard } from '../../src/registry/dashboard-publish.js';
import { pageName } from '../../src/registry/dashboard-data.js';
import type { Registry } from '../../src/registry/schema.js';
import { createRepo } from '../helpers/git-repo.js';
import type { TestRepo } from '../helpers/git-repo.js';
import { dashboardRegistry } from './fixtures/dashboard.js';

const OPTIONS = { alert: { percent: 10, versions: 5 }, links: null };

function request(registry: Registry, message = 'perf-verdict: dashboard'): PublishRequest {
  return {
    remote: 'origin',
    branch: 'gh-pages',
    files: dashboardFiles(registry, OPTIONS),
    message,
    author: { name: 'github-actions[bot]', email: 'bot@example.com' },
    attempts: 3,
  };
}

describe('publishing the dashboard to a branch', () => {
  let root: string;
  let bare: string;
  let origin: TestRepo;
  let workspace: string;
  const git = (cwd: string, ...args: string[]): string =>
    execFileSync('git', args, {
      cwd,
      encoding: 'utf8',
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: 'T',
        GIT_AUTHOR_EMAIL: 't@example.com',
        GIT_COMMITTER_NAME: 'T',
        GIT_COMMITTER_EMAIL: 't@example.com',
      },
    }).trim();
  const onBranch = (...args: string[]): string => git(bare, ...args);

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'pv-publish-'));
    bare = join(root, 'remote.git');
    execFileSync('git', ['init', '-q', '--bare', '-b', 'main', bare]);
    origin = createRepo('pv-publish-src-');
    origin.commit('tools', { 'tools/adder.py': 'def add(a, b):\n    return a + b\n' });
    origin.git('push', '-q', bare, 'main');
    workspace = join(root, 'workspace');
    git(root, 'clone', '-q', bare, workspace);
  });
  afterEach(() => {
    origin.remove();
    rmSync(root, { recursive: true, force: true });
  });

  it('creates the branch with one commit, then adds one commit per run on top of it', async () => {
    const registry = dashboardRegistry();
    const first = await publishDashboard(gitIn(workspace), request(registry, 'first'));
    expect(first.attempts).toBe(1);
    expect(onBranch('rev-parse', 'gh-pages')).toBe(first.commit);
    expect(onBranch('rev-list', '--count', 'gh-pages')).toBe('1');
    expect(onBranch('ls-tree', '-r', '--name-only', 'gh-pages').split('\n')).toContain(
      `tools/${pageName('simple_adder')}.html`,
    );
    expect(onBranch('show', 'gh-pages:index.html')).toBe(
      dashboardFiles(registry, OPTIONS).get('index.html')!.trim(),
    );

    // A tool left the registry: its page goes; the project's own file on the branch stays.
    const { guide_only: _, ...rest } = registry;
    const keeper = join(root, 'keeper');
    git(root, 'clone', '-q', '-b', 'gh-pages', bare, keeper);
    git(keeper, 'commit', '-q', '--allow-empty', '-m', 'noop');
    execFileSync(
      'sh',
      [
        '-c',
        'echo perf.example.org > CNAME && git add CNAME && git commit -q -m cname && git push -q origin gh-pages',
      ],
      {
        cwd: keeper,
        env: {
          ...process.env,
          GIT_AUTHOR_NAME: 'T',
          GIT_AUTHOR_EMAIL: 't@e',
          GIT_COMMITTER_NAME: 'T',
          GIT_COMMITTER_EMAIL: 't@e',
        },
      },
    );
    const second = await publishDashboard(gitIn(workspace), request(rest, 'second'));
    expect(onBranch('rev-parse', 'gh-pages^')).toBe(git(keeper, 'rev-parse', 'HEAD'));
    expect(onBranch('rev-parse', 'gh-pages')).toBe(second.commit);
    const files = onBranch('ls-tree', '-r', '--name-only', 'gh-pages').split('\n');
    expect(files).toContain('CNAME');
    expect(files).not.toContain(`tools/${pageName('guide_only')}.html`);
    expect(files).not.toContain(`tools/${pageName('guide_only')}.json`);
    expect(onBranch('log', '-1', '--format=%an <%ae>%n%s', 'gh-pages')).toBe(
      'github-actions[bot] <bot@example.com>\nsecond',
    );

    // The same site again: nothing to commit.
    expect(await publishDashboard(gitIn(workspace), request(rest))).toEqual({
      commit: null,
      attempts: 1,
    });
    expect(onBranch('rev-parse', 'gh-pages')).toBe(second.commit);
    // The workspace's branch, index and files are as they were.
    expect(git(workspace, 'status', '--porcelain')).toBe('');
    expect(git(workspace, 'rev-parse', '--abbrev-ref', 'HEAD')).toBe('main');
  });

  it('rebuilds on the new tip and pushes again when another run pushed in between', async () => {
    await publishDashboard(gitIn(workspace), request(dashboardRegistry(), 'first'));
    const other = join(root, 'other');
    git(root, 'clone', '-q', '-b', 'gh-pages', bare, other);
    // Between our fetch and our push, a concurrent run pushes its own commit to the branch.
    const real = gitIn(workspace);
    let raced = false;
    const racing: GitRunner = async (args, options) => {
      const result = await real(args, options);
      if (args[0] === 'fetch' && !raced) {
        raced = true;
        execFileSync(
          'sh',
          [
            '-c',
            'echo other > other-run.txt && git add other-run.txt && git commit -q -m "other run" && git push -q origin gh-pages',
          ],
          {
            cwd: other,
            env: {
              ...process.env,
              GIT_AUTHOR_NAME: 'O',
              GIT_AUTHOR_EMAIL: 'o@e',
              GIT_COMMITTER_NAME: 'O',
              GIT_COMMITTER_EMAIL: 'o@e',
            },
          },
        );
      }
      return result;
    };
    const { slow_creep: _, ...changed } = dashboardRegistry();
    const outcome = await publishDashboard(racing, request(changed, 'ours'));
    expect(raced).toBe(true);
    expect(outcome.attempts).toBe(2);
    // One commit of ours, on top of the other run's, with both runs' content.
    expect(onBranch('log', '--format=%s', 'gh-pages').split('\n')).toEqual([
      'ours',
      'other run',
      'first',
    ]);
    expect(onBranch('rev-parse', 'gh-pages')).toBe(outcome.commit);
    const files = onBranch('ls-tree', '-r', '--name-only', 'gh-pages').split('\n');
    expect(files).toContain('other-run.txt');
    expect(files).not.toContain(`tools/${pageName('slow_creep')}.html`);
  });

  it('gives up after the attempts allowed, naming the push, when the branch keeps moving', async () => {
    await publishDashboard(gitIn(workspace), request(dashboardRegistry(), 'first'));
    const other = join(root, 'other');
    git(root, 'clone', '-q', '-b', 'gh-pages', bare, other);
    const real = gitIn(workspace);
    let runs = 0;
    const racing: GitRunner = async (args, options) => {
      const result = await real(args, options);
      if (args[0] === 'fetch') {
        runs += 1;
        execFileSync(
          'sh',
          ['-c', `git commit -q --allow-empty -m "other ${runs}" && git push -q origin gh-pages`],
          {
            cwd: other,
            env: {
              ...process.env,
              GIT_AUTHOR_NAME: 'O',
              GIT_AUTHOR_EMAIL: 'o@e',
              GIT_COMMITTER_NAME: 'O',
              GIT_COMMITTER_EMAIL: 'o@e',
            },
          },
        );
      }
      return result;
    };
    const { slow_creep: _, ...changed } = dashboardRegistry();
    await expect(publishDashboard(racing, request(changed))).rejects.toThrow(
      /dashboard-branch: push to gh-pages \(attempt 3 of 3\) failed: .*rejected/,
    );
    expect(runs).toBe(3);
    expect(onBranch('log', '-1', '--format=%s', 'gh-pages')).toBe('other 3');
  });
});
