/**
 * bubblewrap installed by the probe itself (issue 23, "sandbox on by default on hosted runners"):
 * on a GitHub Actions runner (`GITHUB_ACTIONS=true`) whose PATH has no `bwrap`, the probe runs
 * `apt-get install` as root or through `sudo -n`, once per job (its outcome kept in RUNNER_TEMP),
 * and a failed install leaves the sandbox unavailable with apt-get's words, redacted, on one line.
 *
 * This machine has bwrap (and runs the tests as root), so each case runs with a PATH the test
 * builds: the system tools the probe needs as links, no `bwrap`, and a fake `apt-get` that records
 * its uid and argv and, when it succeeds, links the real bwrap into that PATH — so the sandbox
 * started afterwards is a real one. In-process as root first; then the bundled CLI under Node 24
 * as a user with passwordless sudo (the shape of a hosted runner's `runner`), and as one without.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  planLaunch,
  resetSandboxProbe,
  SANDBOX_UIDS,
  sandboxAvailability,
  spawnSandboxed,
} from '../../src/measure/sandbox.js';
import { DIST } from '../e2e/action-helpers.js';
import { ensureUser, grantSudo, nodeForUsers, runAsUser } from '../helpers/users.js';
import type { TestUser } from '../helpers/users.js';

const INSTALL = 'install -y -q --no-install-recommends bubblewrap';
/** A token-shaped string in apt-get's error: it must be redacted from the reason. */
const TOKEN = `ghs_${'Q7'.repeat(18)}`;

function located(command: string): string | null {
  const done = spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' });
  return done.status === 0 ? done.stdout.trim() : null;
}

function whyNot(): string | null {
  if (process.platform !== 'linux') return 'not Linux';
  if (process.getuid?.() !== 0) return 'not root';
  for (const command of ['bwrap', 'prlimit', 'setpriv', 'sudo'])
    if (located(command) === null) return `${command} is not installed`;
  return null;
}

interface FakeMachine {
  readonly root: string;
  /** The PATH: links to the system tools, the fake apt-get, and bwrap once "installed". */
  readonly bin: string;
  readonly runnerTemp: string;
  /** `<uid> <argv>` per apt-get call. */
  calls(): string[];
}

/**
 * A PATH without bwrap and a fake apt-get: `install` succeeds (linking the real bwrap into the
 * PATH) or fails the way apt-get does when its lists do not know the package.
 */
function fakeMachine(
  outcome: 'installs' | 'fails',
  links: Readonly<Record<string, string>> = {},
): FakeMachine {
  const root = mkdtempSync(join(tmpdir(), 'pv-apt-'));
  const bin = join(root, 'bin');
  const runnerTemp = join(root, 'runner-temp');
  mkdirSync(bin);
  mkdirSync(runnerTemp);
  const targets = { prlimit: located('prlimit')!, setpriv: located('setpriv')!, ...links };
  for (const [name, target] of Object.entries(targets)) symlinkSync(target, join(bin, name));
  const log = join(root, 'calls');
  const install =
    outcome === 'installs'
      ? `/bin/ln -sf ${located('bwrap')!} ${join(bin, 'bwrap')}\n    echo "Setting up bubblewrap"\n    exit 0`
      : `echo "Reading package lists..."\n    echo "E: Unable to locate package bubblewrap (${TOKEN})" >&2\n    echo "::error::forged annotation"\n    exit 100`;
  writeFileSync(
    join(bin, 'apt-get'),
    [
      '#!/bin/sh',
      `echo "$(/usr/bin/id -u) $*" >> ${log}`,
      'case "$*" in',
      `  *install*)\n    ${install};;`,
      '  *update*)\n    echo "Reading package lists... Done"; exit 0;;',
      'esac',
      'exit 1',
      '',
    ].join('\n'),
  );
  for (const path of [root, bin, runnerTemp]) chmodSync(path, 0o755);
  chmodSync(join(bin, 'apt-get'), 0o755);
  return {
    root,
    bin,
    runnerTemp,
    calls: () =>
      existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n').filter(Boolean) : [],
  };
}

const skip = whyNot();

describe.skipIf(skip !== null)(
  `bubblewrap installed by the probe, as root${skip === null ? '' : ` (skipped: ${skip})`}`,
  () => {
    const saved = { ...process.env };
    const machines: FakeMachine[] = [];
    let notes: string[] = [];

    /** The probe as a step of a job on `machine` sees it: its PATH, RUNNER_TEMP, on a runner. */
    function onRunner(machine: FakeMachine, runner = true): void {
      process.env['PATH'] = machine.bin;
      process.env['RUNNER_TEMP'] = machine.runnerTemp;
      if (runner) process.env['GITHUB_ACTIONS'] = 'true';
      else delete process.env['GITHUB_ACTIONS'];
      resetSandboxProbe();
      notes = [];
      vi.spyOn(process.stderr, 'write').mockImplementation((text) => {
        notes.push(String(text));
        return true;
      });
    }

    afterEach(() => {
      vi.restoreAllMocks();
      for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
      Object.assign(process.env, saved);
      resetSandboxProbe();
    });
    afterAll(() => {
      for (const machine of machines) rmSync(machine.root, { recursive: true, force: true });
    });

    it('installs bubblewrap once, logs it, and the next start is a real sandbox', async () => {
      const machine = fakeMachine('installs');
      machines.push(machine);
      onRunner(machine);
      const available = sandboxAvailability();
      expect(available).toMatchObject({ ok: true, bwrap: join(machine.bin, 'bwrap') });
      expect(machine.calls()).toEqual([`0 ${INSTALL}`]);
      expect(notes).toEqual([
        `perf-verdict: bwrap not found: installing bubblewrap (apt-get ${INSTALL})\n`,
        'perf-verdict: bubblewrap installed\n',
      ]);
      expect(planLaunch({ command: '/bin/sh', args: [] }, 'auto').sandbox).toEqual({
        mode: 'auto',
        kind: 'bwrap',
      });
      // A real start through the installed bwrap: a fresh unprivileged uid inside.
      const { child } = spawnSandboxed(
        { command: '/bin/sh', args: ['-c', 'echo "uid $(/usr/bin/id -u)"'] },
        'required',
        ['ignore', 'pipe', 'pipe'],
      );
      let out = '';
      child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
      const code = await new Promise((resolve) => child.on('close', resolve));
      expect(code).toBe(0);
      const uid = Number(/^uid (\d+)$/.exec(out.trim())?.[1]);
      expect(uid).toBeGreaterThanOrEqual(SANDBOX_UIDS[0]);
      expect(uid).toBeLessThan(SANDBOX_UIDS[1]);

      // A later step of the job: bwrap is there now, nothing is installed again.
      resetSandboxProbe();
      expect(sandboxAvailability().ok).toBe(true);
      // bwrap gone again (another PATH): the job's record says it was tried; no second install.
      rmSync(join(machine.bin, 'bwrap'));
      resetSandboxProbe();
      expect(sandboxAvailability()).toEqual({
        ok: false,
        reason:
          'bubblewrap (bwrap) is not installed: apt-get installed bubblewrap, but bwrap is not on PATH',
      });
      expect(machine.calls()).toEqual([`0 ${INSTALL}`]);
    });

    it("a failed install: update and once more, then unsandboxed with apt-get's words, redacted; never retried in the job", () => {
      const machine = fakeMachine('fails');
      machines.push(machine);
      onRunner(machine);
      const available = sandboxAvailability();
      expect(machine.calls()).toEqual([`0 ${INSTALL}`, '0 -q update', `0 ${INSTALL}`]);
      expect(available.ok).toBe(false);
      const reason = available.ok ? '' : available.reason;
      expect(reason).toBe(
        `bubblewrap (bwrap) is not installed, and installing it failed (apt-get ${INSTALL}): E: Unable to locate package bubblewrap (***)`,
      );
      expect(reason).not.toContain(TOKEN);
      expect(notes.join('')).not.toContain(TOKEN);
      expect(notes.at(-1)).toBe(`perf-verdict: ${reason}\n`);
      // auto runs unsandboxed and says why; required refuses the start.
      expect(planLaunch({ command: '/bin/sh', args: [] }, 'auto').sandbox).toEqual({
        mode: 'auto',
        kind: 'none',
        reason,
      });
      const required = planLaunch({ command: '/bin/sh', args: [] }, 'required');
      expect(required.ok).toBe(false);
      expect(!required.ok && required.error).toEqual({
        kind: 'sandbox',
        message: `sandbox required but unavailable: ${reason}`,
      });
      // A later step of the same job reads the record: apt-get is not run again.
      onRunner(machine);
      expect(sandboxAvailability()).toEqual({
        ok: false,
        reason: `${reason} (tried once in this job)`,
      });
      expect(machine.calls()).toHaveLength(3);
      expect(notes).toEqual([]);
    });

    it('off a runner nothing is installed: the reason says how', () => {
      const machine = fakeMachine('installs');
      machines.push(machine);
      onRunner(machine, false);
      expect(sandboxAvailability()).toEqual({
        ok: false,
        reason:
          'bubblewrap (bwrap) is not installed: apt-get install bubblewrap (on a GitHub Actions runner perf-verdict installs it by itself)',
      });
      expect(machine.calls()).toEqual([]);
    });
  },
);

const SUDO_USER = 'pv-apt-test';
const PLAIN_USER = 'pv-apt-nosudo';

/** What the test users run: the system's python3 (root's may live under /root, 0700). */
const USER_LINKS = { sudo: located('sudo') ?? '/usr/bin/sudo', python3: '/usr/bin/python3' };

const userSkip =
  skip ??
  (located('useradd') === null || located('visudo') === null || !existsSync(USER_LINKS.python3)
    ? 'no useradd/visudo, or no /usr/bin/python3'
    : null);

describe.skipIf(userSkip !== null)(
  `bubblewrap installed through sudo -n by the bundled CLI, not root${userSkip === null ? '' : ` (skipped: ${userSkip})`}`,
  () => {
    let work = '';
    let node = '';
    let dist = '';
    let revokeSudo = (): void => undefined;
    const machines: FakeMachine[] = [];

    beforeAll(() => {
      work = mkdtempSync(join(tmpdir(), 'pv-apt-cli-'));
      chmodSync(work, 0o755);
      revokeSudo = grantSudo(SUDO_USER);
      node = nodeForUsers(work);
      dist = join(work, 'dist');
      cpSync(DIST, dist, { recursive: true });
      execFileSync('chmod', ['-R', 'a+rX', dist]);
    }, 120_000);

    afterAll(() => {
      revokeSudo();
      for (const machine of machines) rmSync(machine.root, { recursive: true, force: true });
      if (work !== '') rmSync(work, { recursive: true, force: true });
    });

    /** `perf-verdict benchmark` of a small Python tool, as `user`, on `machine`, on a runner. */
    function benchmark(user: TestUser, machine: FakeMachine): { sandbox: unknown; stderr: string } {
      const cli = [join(dist, 'cli/index.js'), 'benchmark', '--budget', '1', '--sandbox', 'auto'];
      const { command, args } = runAsUser(user, node, cli);
      const done = spawnSync(command, args, {
        input: JSON.stringify({
          tool_code: 'def tool(n):\n    return sum(range(n))\n',
          test_input: 100,
          language: 'python',
        }),
        encoding: 'utf8',
        cwd: machine.root,
        env: {
          PATH: machine.bin,
          HOME: machine.root,
          LANG: 'C.UTF-8',
          GITHUB_ACTIONS: 'true',
          RUNNER_TEMP: machine.runnerTemp,
        },
        timeout: 120_000,
      });
      const output = JSON.parse(done.stdout || '{}') as { sandbox?: unknown };
      return { sandbox: output.sandbox, stderr: done.stderr };
    }

    it('with passwordless sudo: installed as root through sudo -n, once, and the tool ran in bwrap via sudo', () => {
      const user = ensureUser(SUDO_USER);
      const machine = fakeMachine('installs', USER_LINKS);
      machines.push(machine);
      execFileSync('chown', [`${user.uid}:${user.gid}`, machine.runnerTemp]);
      const first = benchmark(user, machine);
      expect(first.sandbox, first.stderr).toEqual({ mode: 'auto', kind: 'bwrap', via: 'sudo' });
      expect(first.stderr).toContain(
        `perf-verdict: bwrap not found: installing bubblewrap (sudo -n apt-get ${INSTALL})`,
      );
      // uid 0: apt-get ran as root, through sudo.
      expect(machine.calls()).toEqual([`0 ${INSTALL}`]);
      const second = benchmark(user, machine);
      expect(second.sandbox, second.stderr).toEqual({ mode: 'auto', kind: 'bwrap', via: 'sudo' });
      expect(second.stderr).not.toContain('installing bubblewrap');
      expect(machine.calls()).toHaveLength(1);
    }, 120_000);

    it("without sudo rights: nothing installed, unsandboxed with sudo's words", () => {
      const user = ensureUser(PLAIN_USER);
      const machine = fakeMachine('installs', USER_LINKS);
      machines.push(machine);
      execFileSync('chown', [`${user.uid}:${user.gid}`, machine.runnerTemp]);
      const run = benchmark(user, machine);
      expect(run.sandbox, run.stderr).toMatchObject({ mode: 'auto', kind: 'none' });
      expect((run.sandbox as { reason: string }).reason).toMatch(
        new RegExp(
          `^bubblewrap \\(bwrap\\) is not installed, and installing it failed \\(sudo -n apt-get ${INSTALL}\\): sudo: .*password`,
        ),
      );
      expect(machine.calls()).toEqual([]);
    }, 120_000);
  },
);
