/**
 * The release workflow (.github/workflows/release.yml), run: every `run:` step of its job, in
 * order, in a repository made of this tree's files (as the tag's checkout has them) with a local
 * bare remote as `origin` and `gh` a recorder on PATH. The build step really builds (one ncc
 * build, the slow part) and finds the committed dist/ unchanged; the two assets it packs run; the
 * release gets both; the major tag points at the release commit and moves with the next one.
 * `npm ci` is the one step not run: node_modules is this tree's (hard-linked), from the same lock.
 * Its lint is test/integration/workflows.test.ts's.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ROOT } from '../helpers/cli.js';
import { createRepo, type TestRepo } from '../helpers/git-repo.js';
import { node24 } from '../helpers/node24.js';

interface Step {
  readonly name?: string;
  readonly uses?: string;
  readonly run?: string;
}
const WORKFLOW = parse(readFileSync(`${ROOT}.github/workflows/release.yml`, 'utf8')) as {
  on: { push: { tags: string[] } };
  permissions: Record<string, string>;
  jobs: { release: { steps: Step[] } };
};
const RUN_STEPS = WORKFLOW.jobs.release.steps.filter(
  (s): s is Step & { run: string } => s.run !== undefined,
);
const VERSION = (JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as { version: string })
  .version;
const TAG = `v${VERSION}`;
const MAJOR = `v${VERSION.split('.')[0]}`;

let repo: TestRepo;
let temp: string;
let remote: string;
let sha: string;
let ranSteps: { name: string; code: number | null; output: string }[];

/** Run one workflow step's script as the runner does (`bash -e`), with the job's environment. */
function runStep(step: Step & { run: string }, env: Record<string, string> = {}) {
  const result = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', step.run], {
    cwd: repo.dir,
    encoding: 'utf8',
    timeout: 600_000,
    env: {
      PATH: `${join(temp, 'bin')}:${dirname(node24())}:${process.env['PATH'] ?? ''}`,
      HOME: process.env['HOME'] ?? temp,
      GITHUB_REF_NAME: TAG,
      GITHUB_SHA: sha,
      RUNNER_TEMP: join(temp, 'runner-temp'),
      GH_TOKEN: 'test-token',
      GIT_CONFIG_NOSYSTEM: '1',
      ...env,
    },
  });
  return { code: result.status, output: `${result.stdout}${result.stderr}` };
}

/** This tree's files as a checkout of the tag has them (tracked and new, not ignored). */
function copyTree(to: string): void {
  const listed = execFileSync(
    'git',
    ['ls-files', '-z', '--cached', '--others', '--exclude-standard'],
    {
      cwd: ROOT,
      encoding: 'utf8',
    },
  );
  for (const path of listed.split('\0')) {
    if (path === '' || path.startsWith('node_modules/')) continue;
    try {
      mkdirSync(dirname(join(to, path)), { recursive: true });
      cpSync(join(ROOT, path), join(to, path));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error; // deleted, not staged
    }
  }
  // Hard links, not a symlink: ncc names modules by their path below the project, so
  // node_modules must lie inside the copy for the build to come out byte-identical.
  execFileSync('cp', ['-al', join(ROOT, 'node_modules'), join(to, 'node_modules')]);
}

beforeAll(() => {
  temp = mkdtempSync(join(tmpdir(), 'pv-release-'));
  mkdirSync(join(temp, 'runner-temp'));
  mkdirSync(join(temp, 'bin'));
  // `gh` records its arguments, one per line, and what it was given the assets as.
  writeFileSync(
    join(temp, 'bin', 'gh'),
    `#!/bin/sh\nprintf '%s\\n' "$@" > '${join(temp, 'gh-args')}'\necho "token=$GH_TOKEN" >> '${join(temp, 'gh-args')}'\n`,
  );
  chmodSync(join(temp, 'bin', 'gh'), 0o755);
  remote = join(temp, 'origin.git');
  execFileSync('git', ['init', '-q', '--bare', remote]);
  repo = createRepo('pv-release-repo-');
  copyTree(repo.dir);
  sha = repo.commit(`release ${TAG}`, {});
  repo.git('tag', TAG);
  repo.git('remote', 'add', 'origin', remote);
  repo.git('push', '-q', 'origin', 'main', TAG);
  ranSteps = [];
  for (const step of RUN_STEPS) {
    if (step.run.trim() === 'npm ci') continue;
    ranSteps.push({ name: step.name ?? step.run, ...runStep(step) });
  }
}, 900_000);

afterAll(() => {
  repo?.remove();
  rmSync(temp, { recursive: true, force: true });
});

const assets = (): string[] => readdirSync(join(temp, 'runner-temp', 'release')).sort();

describe('the release workflow', () => {
  it('runs on a vX.Y.Z tag, may write contents, and its steps all pass', () => {
    expect(WORKFLOW.on.push.tags).toEqual(['v[0-9]+.[0-9]+.[0-9]+']);
    expect(WORKFLOW.permissions).toEqual({ contents: 'write' });
    expect(ranSteps.map((s) => s.name)).toEqual([
      'Build, check dist/, pack',
      'GitHub release with the bundle and the npm tarball',
      'Move the major tag',
    ]);
    for (const step of ranSteps) expect(step.code, `${step.name}:\n${step.output}`).toBe(0);
  });

  it('builds dist/ as committed and packs the Action bundle and the npm tarball', () => {
    expect(assets()).toEqual([`perf-verdict-${VERSION}.tgz`, `perf-verdict-action-${TAG}.tar.gz`]);
    const built = ranSteps[0]!.output.trim().split('\n').slice(-2);
    expect(built).toEqual(
      assets()
        .reverse()
        .map((a) => join(temp, 'runner-temp', 'release', a)),
    );
  });

  it('the npm tarball is a CLI that runs: `perf-verdict --version`', () => {
    const dir = join(temp, 'npm');
    mkdirSync(dir);
    execFileSync(
      'tar',
      ['-xzf', join(temp, 'runner-temp', 'release', `perf-verdict-${VERSION}.tgz`)],
      {
        cwd: dir,
      },
    );
    const run = spawnSync(
      node24(),
      [join(dir, 'package', 'dist', 'cli', 'index.js'), '--version'],
      {
        encoding: 'utf8',
        cwd: dir,
      },
    );
    expect(run.stdout).toBe(`perf-verdict ${VERSION}\n`);
  });

  it('the Action bundle runs as a workflow step: a bad input named by the Action', () => {
    const dir = join(temp, 'action');
    mkdirSync(dir);
    execFileSync(
      'tar',
      ['-xzf', join(temp, 'runner-temp', 'release', `perf-verdict-action-${TAG}.tar.gz`)],
      {
        cwd: dir,
      },
    );
    expect(parse(readFileSync(join(dir, 'action.yml'), 'utf8')).runs).toEqual({
      using: 'node24',
      main: 'dist/index.js',
    });
    const run = spawnSync(node24(), [join(dir, 'dist', 'index.js')], {
      encoding: 'utf8',
      env: { PATH: process.env['PATH'] ?? '', 'INPUT_FAIL-ON': 'sometimes' },
    });
    expect(run.stdout.trim()).toBe(
      "::error::'fail-on' must be one of reject, review, never but got 'sometimes'",
    );
  });

  it('creates the GitHub release of the tag with both assets', () => {
    const args = readFileSync(join(temp, 'gh-args'), 'utf8').trim().split('\n');
    expect(args).toEqual([
      'release',
      'create',
      TAG,
      '--verify-tag',
      '--title',
      TAG,
      '--generate-notes',
      ...assets().map((a) => join(temp, 'runner-temp', 'release', a)),
      'token=test-token',
    ]);
  });

  it(`points ${MAJOR} at the release commit, and moves it with the next release`, () => {
    const tagOf = (name: string): string =>
      execFileSync('git', ['rev-parse', `refs/tags/${name}^{commit}`], {
        cwd: remote,
        encoding: 'utf8',
      }).trim();
    expect(tagOf(MAJOR)).toBe(sha);
    const next = repo.commit('the next release', { 'NEXT.md': 'next\n' });
    const move = RUN_STEPS.find((s) => s.name === 'Move the major tag')!;
    const [major, minor, patch] = VERSION.split('.').map(Number);
    const moved = runStep(move, {
      GITHUB_REF_NAME: `v${major}.${minor}.${patch! + 1}`,
      GITHUB_SHA: next,
    });
    expect(moved.code, moved.output).toBe(0);
    expect(tagOf(MAJOR)).toBe(next);
  });

  it('refuses a tag that is not package.json’s version before it builds anything', () => {
    const step = RUN_STEPS.find((s) => s.name === 'Build, check dist/, pack')!;
    const wrong = runStep(step, { GITHUB_REF_NAME: 'v99.0.0' });
    expect(wrong.code).toBe(1);
    expect(wrong.output).toBe(
      `release: tag v99.0.0 is not package.json's version ${VERSION}: set "version": "99.0.0" in package.json, commit, and tag that commit\n`,
    );
    const malformed = runStep(step, { GITHUB_REF_NAME: 'v1.2' });
    expect(malformed.output).toBe(`release: tag 'v1.2' is not of the form vX.Y.Z (e.g. v1.2.3)\n`);
  });
});
