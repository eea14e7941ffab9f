/**
 * The one place child processes are started. Every child gets an explicit environment (never
 * the runner's: no GITHUB_TOKEN, INPUT_*, ACTIONS_*), runs in its own process group so that a
 * timeout kills its grandchildren too, and has its output capped.
 *
 * @actions/exec is not used here: it cannot start a process group, cap output or kill on a
 * deadline, which untrusted tool code needs.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, isAbsolute, join } from 'node:path';

export interface ExecOptions {
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd?: string | undefined;
  /** The child's whole environment. Build it with `minimalEnv`. */
  readonly env: Readonly<Record<string, string>>;
  readonly input?: string | Buffer | undefined;
  readonly timeoutMs: number;
  /** Per stream; past it the stream is truncated and the child killed. */
  readonly maxOutputBytes: number;
}

export interface ExecResult {
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly timedOut: boolean;
  /** The output cap was hit: the child was killed. */
  readonly outputTruncated: boolean;
  readonly durationMs: number;
}

/** Variables a tool child may see: enough to find interpreters and decode text, nothing secret. */
export function minimalEnv(extra: Readonly<Record<string, string>> = {}): Record<string, string> {
  const env: Record<string, string> = {
    PATH: process.env['PATH'] ?? '/usr/local/bin:/usr/bin:/bin',
    HOME: process.env['HOME'] ?? '/tmp',
    LANG: 'C.UTF-8',
    LC_ALL: 'C.UTF-8',
    PYTHONIOENCODING: 'utf-8',
    PYTHONDONTWRITEBYTECODE: '1',
    PYTHONHASHSEED: '0',
  };
  for (const [key, value] of Object.entries(extra)) {
    if (/^(GITHUB_|INPUT_|ACTIONS_|RUNNER_)/.test(key)) continue;
    env[key] = value;
  }
  return env;
}

/** The file `name` runs as, looked up on PATH as a shell would (an absolute name: if it exists). */
export function which(name: string): string | undefined {
  if (isAbsolute(name)) return existsSync(name) ? name : undefined;
  for (const dir of (process.env['PATH'] ?? '/usr/local/bin:/usr/bin:/bin').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, name);
    try {
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/**
 * A fresh temporary directory whose name says nothing (`tmp.Ab12Cd`, as `mktemp -d` names its
 * own): a sandboxed child sees the paths of the directories it runs in (its argv, cwd,
 * `/proc/self/mountinfo`), and they must tell it neither that it is measured nor which version
 * it is (issue 23). Created 0700; the caller opens it up.
 */
export function neutralTempDir(parent: string = tmpdir()): string {
  return mkdtempSync(join(parent, 'tmp.'));
}

/** Kill the child's whole process group; ignore a group that is already gone. */
export function killGroup(child: ChildProcess): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    try {
      child.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
}

/** Run a process to completion with a deadline and capped output. Never rejects for the child's behaviour. */
export function runProcess(options: ExecOptions): Promise<ExecResult> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(options.command, [...options.args], {
      cwd: options.cwd,
      env: { ...options.env },
      detached: true,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let outBytes = 0;
    let errBytes = 0;
    let truncated = false;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child);
    }, options.timeoutMs);

    const collect = (chunks: Buffer[], chunk: Buffer, used: number): number => {
      const room = options.maxOutputBytes - used;
      if (room > 0) chunks.push(room >= chunk.length ? chunk : chunk.subarray(0, room));
      if (chunk.length > room && !truncated) {
        truncated = true;
        killGroup(child);
      }
      return used + chunk.length;
    };
    child.stdout.on('data', (chunk: Buffer) => (outBytes = collect(out, chunk, outBytes)));
    child.stderr.on('data', (chunk: Buffer) => (errBytes = collect(err, chunk, errBytes)));
    child.stdin.on('error', () => {
      // The child may exit without reading its input (EPIPE): its exit status tells the story.
    });
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (exitCode, signal) => {
      clearTimeout(timer);
      killGroup(child); // grandchildren left behind die with the group
      resolve({
        exitCode,
        signal,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        timedOut,
        outputTruncated: truncated,
        durationMs: performance.now() - started,
      });
    });
    child.stdin.end(options.input ?? '');
  });
}
