/**
 * Read-only checkouts of one commit (`git worktree add --detach`), so a tool runs inside its own
 * repository as the repository runs it: its package imports, its data files, its working
 * directory. One per version (base, head), created once per gate, removed at the end. The
 * directories are made read-only for everyone (the sandbox mounts them read-only too) and
 * readable by the sandbox's unprivileged user.
 */
import { execFile } from 'node:child_process';
import { chmod, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Checkout } from '../domain/ports.js';
import { minimalEnv, neutralTempDir } from './exec.js';

const run = promisify(execFile);

export type { Checkout } from '../domain/ports.js';

async function git(repoDir: string, args: readonly string[]): Promise<string> {
  const { stdout } = await run('git', ['-C', repoDir, ...args], {
    env: minimalEnv({ GIT_TERMINAL_PROMPT: '0' }),
    maxBuffer: 16 * 1024 * 1024,
    timeout: 300_000,
  });
  return stdout;
}

/** Files r--, directories r-x, for everyone: readable by the sandbox's uid, writable by none. */
async function makeReadOnly(dir: string): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true });
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isSymbolicLink()) continue;
    if (entry.isDirectory()) {
      if (entry.name === '.git') continue;
      await makeReadOnly(path);
    } else {
      const mode = (await stat(path)).mode;
      await chmod(path, mode & 0o111 ? 0o555 : 0o444);
    }
  }
  await chmod(dir, 0o555);
}

async function makeWritable(dir: string): Promise<void> {
  await chmod(dir, 0o755).catch(() => undefined);
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const entry of entries)
    if (entry.isDirectory() && !entry.isSymbolicLink()) await makeWritable(join(dir, entry.name));
}

/**
 * Check out `sha` of the repository at `repoDir` into a fresh temporary directory, named the
 * same way for base and head (`<tmp>/tmp.XXXXXX/repo`): the tool runs in it and sees its path.
 */
export async function checkoutCommit(repoDir: string, sha: string): Promise<Checkout> {
  if (!/^[0-9a-f]{40}([0-9a-f]{24})?$/.test(sha)) throw new Error(`not a commit sha: ${sha}`);
  const parent = neutralTempDir();
  await chmod(parent, 0o755);
  const dir = join(parent, 'repo');
  await git(repoDir, ['worktree', 'add', '--detach', '--force', dir, sha]);
  await makeReadOnly(dir);
  let removed = false;
  return {
    dir,
    sha,
    async remove() {
      if (removed) return;
      removed = true;
      await makeWritable(dir);
      await git(repoDir, ['worktree', 'remove', '--force', dir]).catch(() => undefined);
      await rm(parent, { recursive: true, force: true });
      await git(repoDir, ['worktree', 'prune']).catch(() => undefined);
    },
  };
}
