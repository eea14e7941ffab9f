/**
 * Users a root test makes to run the gate as someone else: a hosted runner's `runner` (passwordless
 * sudo) or a user with no sudo rights. Needs root, `useradd`, `visudo` and `setpriv`.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { node24 } from './node24.js';

export interface TestUser {
  readonly uid: number;
  readonly gid: number;
}

/** The user's uid and gid, made (a system user, no home, no login) if it does not exist. */
export function ensureUser(name: string): TestUser {
  if (spawnSync('id', ['-u', name], { stdio: 'ignore' }).status !== 0)
    execFileSync('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', name]);
  const id = (flag: string): number =>
    Number(execFileSync('id', [flag, name], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}

/**
 * `command args` as `user` (its uid and gid, no supplementary groups), as the command and
 * arguments to start: `setpriv`, switching before it runs the command.
 */
export function runAsUser(
  user: TestUser,
  command: string,
  args: readonly string[],
): { readonly command: string; readonly args: string[] } {
  return {
    command: 'setpriv',
    args: [
      '--reuid',
      String(user.uid),
      '--regid',
      String(user.gid),
      '--clear-groups',
      '--',
      command,
      ...args,
    ],
  };
}

/**
 * Passwordless sudo for `name`, as a hosted runner's image gives `runner` (NOPASSWD), under
 * Ubuntu's `use_pty`; checked by visudo. Returns the undo.
 */
export function grantSudo(name: string): () => void {
  const file = `/etc/sudoers.d/${name}`;
  writeFileSync(file, `Defaults:${name} use_pty\n${name} ALL=(ALL) NOPASSWD:ALL\n`, {
    mode: 0o440,
  });
  execFileSync('visudo', ['-c', '-q', '-f', file]);
  return () => rmSync(file, { force: true });
}

/** A copy of Node 24 the test users can run, at `<dir>/bin/node` (root's npx cache is 0700). */
export function nodeForUsers(dir: string): string {
  const bin = join(dir, 'bin');
  mkdirSync(bin, { recursive: true });
  const node = join(bin, 'node');
  copyFileSync(node24(), node);
  for (const path of [dir, bin, node]) chmodSync(path, 0o755);
  return node;
}
