/**
 * Record mode's `dashboard-branch`: commit the dashboard to a branch (gh-pages) and push it, one
 * commit per run, as github-action-benchmark publishes its charts — fetch the branch, build the
 * commit on its tip, push; when the push is rejected because someone pushed in between, fetch
 * again and rebuild on the new tip, up to `attempts` times.
 *
 * The workspace is never touched: the branch is fetched into a private ref, the commit is built
 * with a private index file (`GIT_INDEX_FILE`) and git's plumbing, so the checked-out branch,
 * its index and its files stay as they were. Files in the branch that are not the dashboard's
 * (a CNAME, the project's own pages) are kept; pages of tools no longer in the registry go.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { minimalEnv, runProcess } from '../adapters/exec.js';
import { PerfVerdictError } from '../domain/errors.js';
import { OUR_PAGE } from './dashboard.js';

interface GitResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs git in the repository; `env` is added to git's environment. */
export type GitRunner = (
  args: readonly string[],
  options?: { readonly input?: string; readonly env?: Readonly<Record<string, string>> },
) => Promise<GitResult>;

/** Real git in `dir`, through the exec adapter (explicit environment, deadline, capped output). */
export function gitIn(dir: string): GitRunner {
  return async (args, options = {}) => {
    const result = await runProcess({
      command: 'git',
      args,
      cwd: dir,
      env: minimalEnv({ GIT_TERMINAL_PROMPT: '0', ...options.env }),
      input: options.input,
      timeoutMs: 120_000,
      maxOutputBytes: 16 * 1024 * 1024,
    });
    return {
      code: result.timedOut ? null : result.exitCode,
      stdout: result.stdout,
      stderr: result.stderr,
    };
  };
}

export interface PublishRequest {
  readonly remote: string;
  readonly branch: string;
  /** The site: path inside the branch → content. */
  readonly files: ReadonlyMap<string, string>;
  readonly message: string;
  readonly author: { readonly name: string; readonly email: string };
  /** Pushes tried before giving up; each after the first rebuilds on the remote's new tip. */
  readonly attempts: number;
}

export interface PublishOutcome {
  /** The commit pushed; null when the branch already held exactly this site. */
  readonly commit: string | null;
  readonly attempts: number;
}

/** The private ref the branch is fetched into. */
const FETCHED = 'refs/perf-verdict/dashboard';

function failure(what: string, result: GitResult): PerfVerdictError {
  const why = `${result.stderr}\n${result.stdout}`
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('hint:'))
    .slice(0, 3)
    .join(' | ');
  return new PerfVerdictError('git', `dashboard-branch: ${what} failed: ${why.slice(0, 400)}`);
}

async function must(
  git: GitRunner,
  what: string,
  args: readonly string[],
  options?: Parameters<GitRunner>[1],
): Promise<string> {
  const result = await git(args, options);
  if (result.code !== 0) throw failure(what, result);
  return result.stdout.trim();
}

/** A push refused because the branch moved on: the case to fetch again and retry. */
function rejectedAsStale(result: GitResult): boolean {
  return /\[rejected\]|non-fast-forward|fetch first|cannot lock ref/.test(
    `${result.stdout}\n${result.stderr}`,
  );
}

/** Fetch the branch's tip into the private ref; null when the branch does not exist yet. */
async function fetchTip(git: GitRunner, request: PublishRequest): Promise<string | null> {
  const listed = await must(git, 'ls-remote', [
    'ls-remote',
    '--heads',
    request.remote,
    `refs/heads/${request.branch}`,
  ]);
  if (listed === '') return null;
  await must(git, `fetch of ${request.branch}`, [
    'fetch',
    '--no-tags',
    '--depth=1',
    request.remote,
    `+refs/heads/${request.branch}:${FETCHED}`,
  ]);
  return must(git, 'rev-parse', ['rev-parse', `${FETCHED}^{commit}`]);
}

/** The tree of `parent` with the site written over it and stale tool pages removed. */
async function buildTree(
  git: GitRunner,
  request: PublishRequest,
  parent: string | null,
  scratch: string,
): Promise<string> {
  const env = { GIT_INDEX_FILE: join(scratch, 'index') };
  await must(git, 'read-tree', parent === null ? ['read-tree', '--empty'] : ['read-tree', parent], {
    env,
  });
  const listed = await must(git, 'ls-files', ['ls-files', '-z', '--', 'tools'], { env });
  const stale = listed
    .split('\0')
    .filter(
      (path) =>
        path !== '' && OUR_PAGE.test(path.slice('tools/'.length)) && !request.files.has(path),
    );
  const paths = [...request.files.keys()];
  const blobs = await Promise.all(
    paths.map(async (path, i) => {
      const file = join(scratch, `blob-${i}`);
      await writeFile(file, request.files.get(path)!);
      return file;
    }),
  );
  const shas = (
    await must(git, 'hash-object', ['hash-object', '-w', '--stdin-paths'], {
      input: `${blobs.join('\n')}\n`,
    })
  ).split('\n');
  const lines = [
    ...stale.map((path) => `0 ${'0'.repeat(40)}\t${path}`),
    ...paths.map((path, i) => `100644 ${shas[i]!}\t${path}`),
  ];
  await must(git, 'update-index', ['update-index', '-z', '--index-info'], {
    env,
    input: lines.map((l) => `${l}\0`).join(''),
  });
  return must(git, 'write-tree', ['write-tree'], { env });
}

/**
 * Commit the site onto the branch and push it; on a rejected push (the branch moved on), start
 * again from a fresh fetch. Throws PerfVerdictError('git') naming the step that failed.
 */
export async function publishDashboard(
  git: GitRunner,
  request: PublishRequest,
): Promise<PublishOutcome> {
  const scratch = await mkdtemp(join(tmpdir(), 'pv-dashboard-publish-'));
  try {
    for (let attempt = 1; ; attempt++) {
      const parent = await fetchTip(git, request);
      const tree = await buildTree(git, request, parent, scratch);
      if (
        parent !== null &&
        (await must(git, 'rev-parse', ['rev-parse', `${parent}^{tree}`])) === tree
      )
        return { commit: null, attempts: attempt };
      const commit = await must(
        git,
        'commit-tree',
        ['commit-tree', tree, ...(parent === null ? [] : ['-p', parent]), '-m', request.message],
        {
          env: {
            GIT_AUTHOR_NAME: request.author.name,
            GIT_AUTHOR_EMAIL: request.author.email,
            GIT_COMMITTER_NAME: request.author.name,
            GIT_COMMITTER_EMAIL: request.author.email,
          },
        },
      );
      const pushed = await git(['push', request.remote, `${commit}:refs/heads/${request.branch}`]);
      if (pushed.code === 0) return { commit, attempts: attempt };
      if (!rejectedAsStale(pushed) || attempt >= request.attempts)
        throw failure(
          `push to ${request.branch} (attempt ${attempt} of ${request.attempts})`,
          pushed,
        );
    }
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
