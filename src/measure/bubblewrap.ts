/**
 * bubblewrap installed by the sandbox's probe where a runner lacks it (issue 23: "sandbox on by
 * default on hosted runners"). GitHub's hosted images do not ship `bwrap`, and a pasted workflow
 * has no step for it; so on a GitHub Actions runner the probe installs it with apt-get, as root or
 * through `sudo -n`, logs it, and tries once per job. Anywhere else nothing is installed.
 */
import { spawnSync } from 'node:child_process';
import type { SpawnSyncReturns } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { minimalEnv, which } from '../adapters/exec.js';
import { Redactor, runSecrets, untrustedExcerpt } from '../report/redact.js';

type Found =
  { readonly ok: true; readonly path: string } | { readonly ok: false; readonly reason: string };

const NOT_INSTALLED = 'bubblewrap (bwrap) is not installed';
const APT_INSTALL = ['install', '-y', '-q', '--no-install-recommends', 'bubblewrap'];

/**
 * bwrap is missing. On a GitHub Actions runner (`GITHUB_ACTIONS=true`; hosted images do not ship
 * it) install it with apt-get, as root or through `sudo -n`, so that a pasted workflow is
 * sandboxed; if the install fails, `apt-get update` and once more. Once per job: the outcome is
 * kept in `RUNNER_TEMP` (emptied with the job), so a later step of the job (another
 * configuration) reads it instead of trying again. Anywhere else nothing is installed: the reason
 * says how.
 */
export function installBubblewrap(sudo: string | undefined): Found {
  if (process.env['GITHUB_ACTIONS'] !== 'true')
    return {
      ok: false,
      reason: `${NOT_INSTALLED}: apt-get install bubblewrap (on a GitHub Actions runner perf-verdict installs it by itself)`,
    };
  const record = process.env['RUNNER_TEMP']
    ? join(process.env['RUNNER_TEMP'], 'perf-verdict-bubblewrap-install.json')
    : undefined;
  const earlier = record === undefined ? undefined : readInstallRecord(record);
  const outcome = earlier ?? runInstall(sudo);
  if (record !== undefined && earlier === undefined) keepInstallRecord(record, outcome);
  const path = which('bwrap');
  if (outcome.failed !== null)
    return {
      ok: false,
      reason: earlier === undefined ? outcome.failed : `${outcome.failed} (tried once in this job)`,
    };
  return path === undefined
    ? {
        ok: false,
        reason: `${NOT_INSTALLED}: apt-get installed bubblewrap, but bwrap is not on PATH`,
      }
    : { ok: true, path };
}

interface InstallOutcome {
  /** Why it failed (an excerpt of apt-get's or sudo's words), or null: installed. */
  readonly failed: string | null;
}

function keepInstallRecord(path: string, outcome: InstallOutcome): void {
  try {
    writeFileSync(path, `${JSON.stringify(outcome)}\n`);
  } catch {
    // RUNNER_TEMP not writable: a later step of the job tries again
  }
}

function readInstallRecord(path: string): InstallOutcome | undefined {
  try {
    const read = JSON.parse(readFileSync(path, 'utf8')) as { failed?: unknown };
    return { failed: typeof read.failed === 'string' ? read.failed : null };
  } catch {
    return undefined; // not tried yet in this job
  }
}

/** `apt-get install` (then `update` and `install` again), logged on stderr. */
function runInstall(sudo: string | undefined): InstallOutcome {
  const aptGet = which('apt-get');
  if (aptGet === undefined)
    return { failed: `${NOT_INSTALLED}, and there is no apt-get here to install it with` };
  const shown = (args: readonly string[]): string =>
    [...(sudo === undefined ? [] : ['sudo', '-n']), 'apt-get', ...args].join(' ');
  const apt = (args: readonly string[]): SpawnSyncReturns<string> => {
    const [command, ...rest] =
      sudo === undefined ? [aptGet, ...args] : [sudo, '-n', '--', aptGet, ...args];
    return spawnSync(command, rest, {
      env: minimalEnv({ DEBIAN_FRONTEND: 'noninteractive' }),
      encoding: 'utf8',
      timeout: 300_000,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  };
  note(`bwrap not found: installing bubblewrap (${shown(APT_INSTALL)})`);
  let done = apt(APT_INSTALL);
  if (done.status !== 0) {
    note(`the install failed; ${shown(['-q', 'update'])}, then once more`);
    const updated = apt(['-q', 'update']);
    done = updated.status === 0 ? apt(APT_INSTALL) : updated;
  }
  const failed =
    done.status === 0
      ? null
      : `${NOT_INSTALLED}, and installing it failed (${shown(APT_INSTALL)}): ${aptFailure(done)}`;
  note(failed ?? 'bubblewrap installed');
  return { failed };
}

/**
 * What apt-get (or sudo) said went wrong, as an excerpt: its `E:` / `sudo:` lines or its last
 * lines, redacted of the run's secrets and token-shaped strings, on one line, cut.
 */
function aptFailure(done: SpawnSyncReturns<string>): string {
  const lines = `${done.stdout ?? ''}\n${done.stderr ?? ''}`
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
  const errors = lines.filter((line) => /^(E:|sudo:|dpkg:)/.test(line));
  const said =
    (errors.length > 0 ? errors.slice(0, 3) : lines.slice(-2)).join(' ') ||
    (done.error?.message ?? `exit status ${String(done.status ?? done.signal)}`);
  return untrustedExcerpt(new Redactor(runSecrets(process.env)), said, 300);
}

/** A line for the job's log (stderr), about what the probe does to the machine. */
function note(line: string): void {
  // One line, no control characters: nothing in it can start a workflow command.
  // eslint-disable-next-line no-control-regex
  process.stderr.write(`perf-verdict: ${line.replace(/[\u0000-\u001F\u007F]/g, ' ')}\n`);
}
