/**
 * The sandbox where the gate is not root (issue 10): GitHub-hosted runners run the job as
 * `runner` with passwordless sudo, and the gate starts bwrap through `sudo -n`. Here a user made
 * for the test, with a NOPASSWD sudoers.d entry and `Defaults use_pty` (as Ubuntu's sudoers has;
 * the runner image adds `runner ALL=(ALL) NOPASSWD:ALL`), runs the bundled `gate` under Node 24
 * with `--sandbox required` over the hostile cases that matter most for this path: the
 * tool's own environment, `$HOME`'s credentials, the parent's and every visible process's
 * `/proc/<pid>/environ` (the gate's planted tokens), the workspace's and the other
 * version's files, a double-fork + setsid daemon, a tool that ignores SIGTERM and never returns
 * (killed at the budget: the gate cannot signal root's bwrap, it kills its own sudo and bwrap's
 * --die-with-parent does the rest). A second user with no sudo rights gets `auto`'s loud
 * "unsandboxed: … sudo …" and `required`'s `sandbox` error.
 *
 * Needs root (to make the users), Linux, bwrap and sudo (.ci/run installs both); skips and says
 * why elsewhere.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIST } from '../e2e/action-helpers.js';
import { ensureUser, grantSudo, nodeForUsers, runAsUser } from '../helpers/users.js';
import type { TestUser } from '../helpers/users.js';
import { expectContained } from './contained.js';
import { CASES, runCorpus } from './corpus.js';
import type { CorpusRun } from './corpus.js';

const SUDO_USER = 'pv-sudo-test';
const PLAIN_USER = 'pv-nosudo-test';

/** The cases run through sudo, by language. */
const THROUGH_SUDO = {
  python: [
    'py_env_self',
    'py_home_files',
    'py_environ_ppid',
    'py_environ_all',
    'py_write_workspace',
    'py_rewrite_other',
    'py_daemon_fork',
    'py_sigterm',
  ],
  javascript: ['js_env_self', 'js_environ_ppid', 'js_write_workspace', 'js_daemon', 'js_sigterm'],
} as const;

function has(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

function whyNot(): string | null {
  if (process.platform !== 'linux') return 'not Linux';
  if (process.getuid?.() !== 0) return 'not root (the test makes users)';
  for (const command of ['bwrap', 'sudo', 'useradd', 'setpriv', 'visudo'])
    if (!has(command)) return `${command} is not installed`;
  return null;
}

/** `sudo -n true` as `user`: whether it has passwordless sudo, and sudo's word. */
function sudoAs(user: TestUser): { ok: boolean; stderr: string } {
  const { command, args } = runAsUser(user, 'sudo', ['-n', 'true']);
  const done = spawnSync(command, args, { encoding: 'utf8', env: { PATH: '/usr/bin:/bin' } });
  return { ok: done.status === 0, stderr: done.stderr.trim() };
}

const skip = whyNot();

describe.skipIf(skip !== null)(
  `the sandbox through sudo -n, the gate not root${skip === null ? '' : ` (skipped: ${skip})`}`,
  () => {
    let withSudo: TestUser;
    let without: TestUser;
    let revokeSudo = (): void => undefined;
    let nodeDir = '';
    let node = '';
    const runs = new Map<string, CorpusRun>();

    beforeAll(async () => {
      withSudo = ensureUser(SUDO_USER);
      without = ensureUser(PLAIN_USER);
      revokeSudo = grantSudo(SUDO_USER);
      nodeDir = mkdtempSync(join(tmpdir(), 'pv-sudo-node-'));
      node = nodeForUsers(nodeDir);

      const through = (language: 'python' | 'javascript'): Promise<CorpusRun> =>
        runCorpus({
          language,
          sandbox: 'required',
          dist: DIST,
          budget: 1,
          node,
          user: withSudo,
          only: THROUGH_SUDO[language],
        });
      const [python, javascript] = await Promise.all([through('python'), through('javascript')]);
      runs.set('python', python);
      runs.set('javascript', javascript);
      const plain = (sandbox: 'auto' | 'required'): Promise<CorpusRun> =>
        runCorpus({
          language: 'python',
          sandbox,
          dist: DIST,
          budget: 1,
          node,
          user: without,
          only: ['py_env_self'],
          settleSeconds: 0,
        });
      const [auto, required] = await Promise.all([plain('auto'), plain('required')]);
      runs.set('no sudo, auto', auto);
      runs.set('no sudo, required', required);
    }, 600_000);

    afterAll(() => {
      revokeSudo();
      if (nodeDir !== '') rmSync(nodeDir, { recursive: true, force: true });
      runs.clear();
    });

    it('the users are what the test says: one with passwordless sudo, one without', () => {
      expect(sudoAs(withSudo)).toEqual({ ok: true, stderr: '' });
      expect(sudoAs(without).ok).toBe(false);
    });

    it.each(['python', 'javascript'] as const)(
      '%s: every row ran in bwrap through sudo -n, the gate rejected, nothing got out',
      (language) => {
        const run = runs.get(language)!;
        expect(run.missing).toEqual([]);
        expect(run.stderr).not.toMatch(/internal error|unsandboxed/);
        expect(run.headline).not.toContain('unsandboxed');
        expect(run.headline).toMatch(/^perf-verdict: ❌ REJECT/);
        for (const c of run.cases)
          expect(c.sandbox, c.id).toEqual({ mode: 'required', kind: 'bwrap', via: 'sudo' });
        expect(run.publishedAnywhere).toEqual([]);
        expect(run.changedUnclaimed).toEqual([]);
        expect(run.processesUnclaimed).toBe(0);
        expect(run.gateTmpLeft).toEqual([]);
      },
    );

    const cases = CASES.filter((c) =>
      (THROUGH_SUDO[c.language] as readonly string[]).includes(c.id),
    );
    it.each(cases.map((c) => [`${c.id}: ${c.attack}`, c] as const))(
      'through sudo, %s',
      (_name, c) => {
        const run = runs.get(c.language)!;
        // The head ran (in the sandbox), it was not refused a start.
        expect(run.cases.find((r) => r.id === c.id)?.kind).not.toBe('sandbox');
        expectContained(c, run);
      },
    );

    it('a hung tool is killed at the budget: kind timeout, no process of it left', () => {
      for (const language of ['python', 'javascript'] as const) {
        const hung = runs.get(language)!.cases.find((c) => c.file === 'sigterm')!;
        expect(hung.kind, hung.message).toBe('timeout');
        expect(hung.processes).toBe(0);
      }
    });

    it('nothing of the runs is left: no process of either user (sudo keeps the caller as real uid)', () => {
      const left = readdirSync('/proc')
        .filter((name) => /^\d+$/.test(name))
        .flatMap((pid) => {
          try {
            const status = readFileSync(`/proc/${pid}/status`, 'utf8');
            const uids = (/Uid:\s*([\d\s]+)/.exec(status)?.[1] ?? '').trim().split(/\s+/);
            return uids.some((u) => [withSudo.uid, without.uid].includes(Number(u)))
              ? [`${pid} ${readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ')}`]
              : [];
          } catch {
            return []; // gone meanwhile
          }
        });
      expect(left).toEqual([]);
    });

    it("without sudo rights: 'auto' runs unsandboxed and says so, naming sudo", () => {
      const run = runs.get('no sudo, auto')!;
      expect(run.headline).toMatch(/⚠️ unsandboxed: not root, and sudo -n failed: sudo: /);
      const row = run.cases[0]!;
      expect(row.sandbox?.kind).toBe('none');
      expect(row.sandbox?.reason).toMatch(/sudo -n failed: sudo: a password is required/);
    });

    it("without sudo rights: 'required' fails the row with kind sandbox", () => {
      const run = runs.get('no sudo, required')!;
      const row = run.cases[0]!;
      expect(row.kind).toBe('sandbox');
      expect(row.message).toMatch(/sandbox required but unavailable: not root, and sudo -n failed/);
      expect(row.verdict).not.toBe('ACCEPT');
    });
  },
);
