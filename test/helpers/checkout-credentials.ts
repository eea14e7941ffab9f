/**
 * What actions/checkout leaves behind with `persist-credentials` (its default), planted the way
 * each major version writes it, so that hostile tests find the token where a runner has it:
 *
 * - v4 and earlier: `http.https://github.com/.extraheader = AUTHORIZATION: basic <base64>` in the
 *   workspace's `.git/config`;
 * - v6: that line in a file of its own, `$RUNNER_TEMP/git-credentials-<uuid>.config`, which the
 *   workspace's `.git/config` includes through `includeIf "gitdir:<workspace>/.git"` and
 *   `includeIf "gitdir:<workspace>/.git/worktrees/*"` entries, plus the same two for the
 *   container paths `/github/workspace/.git` → `/github/runner_temp/<file>` (actions/checkout
 *   src/git-auth-helper.ts, `configureToken` and `getCredentialsConfigPath`).
 *
 * The fixture checks itself: git, reading the workspace's config with its includes, must see the
 * v6 value, so a wrong layout fails here and not silently in the test that relies on it.
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const HEADER_KEY = 'http.https://github.com/.extraheader';

/** `AUTHORIZATION: basic <base64 of x-access-token:token>`, as actions/checkout writes it. */
export function basicCredential(token: string): string {
  return Buffer.from(`x-access-token:${token}`, 'utf8').toString('base64');
}

function git(dir: string, ...args: string[]): string {
  return execFileSync('git', ['-C', dir, ...args], {
    encoding: 'utf8',
    env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1' },
  }).trim();
}

/**
 * Plant checkout's credentials for `workspace`: `v4` (a base64 credential) into its .git/config,
 * `v6` into `runnerTemp/git-credentials-<uuid>.config` with the includeIf entries. Returns the
 * v6 file's path (null when no `v6` was given).
 */
export function persistCredentials(
  workspace: string,
  credentials: { readonly v4?: string; readonly v6?: string; readonly runnerTemp?: string },
): string | null {
  if (credentials.v4 !== undefined)
    git(workspace, 'config', '--local', HEADER_KEY, `AUTHORIZATION: basic ${credentials.v4}`);
  if (credentials.v6 === undefined || credentials.runnerTemp === undefined) return null;
  const file = join(credentials.runnerTemp, `git-credentials-${randomUUID()}.config`);
  // checkout writes a placeholder with `git config --file`, then swaps the credential in.
  writeFileSync(
    file,
    `[http "https://github.com/"]\n\textraheader = AUTHORIZATION: basic ${credentials.v6}\n`,
  );
  const gitDir = join(realpathSync(workspace), '.git');
  const container = `/github/runner_temp/${file.split('/').pop() ?? ''}`;
  for (const [key, path] of [
    [`includeIf.gitdir:${gitDir}.path`, file],
    [`includeIf.gitdir:${gitDir}/worktrees/*.path`, file],
    ['includeIf.gitdir:/github/workspace/.git.path', container],
    ['includeIf.gitdir:/github/workspace/.git/worktrees/*.path', container],
  ] as const)
    git(workspace, 'config', '--local', key, path);
  const seen = git(workspace, 'config', '--get-all', HEADER_KEY);
  if (!seen.includes(credentials.v6))
    throw new Error(`checkout v6 fixture: git does not see the included credential (${file})`);
  return file;
}
