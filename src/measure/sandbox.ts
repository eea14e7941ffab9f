/**
 * The OS sandbox around every tool child (issue 10). Tool code is an adversary: the in-process
 * guards of the harnesses are defence in depth, this is the boundary.
 *
 * A sandboxed child runs under bubblewrap (`bwrap`), started as root *without* a user namespace
 * (a user namespace would map the sandbox's uid back to the caller's, which can still read the
 * caller's files), then `prlimit` and `setpriv` drop it to a fresh, unprivileged uid/gid that
 * owns nothing on the host (one per launch, so two sandboxes cannot touch each other either):
 *
 * - own PID, network (loopback only), mount, IPC, UTS and cgroup namespaces; `/proc` shows the
 *   sandbox's own processes only, so the gate's `/proc/<pid>/environ` and `/mem` are invisible;
 * - a root file system built from an allow-list, read-only: the system directories (`/usr`,
 *   `/etc`, the `/bin`-style links), the interpreter's own prefix, the harness directory and the
 *   paths the caller names (the version's own directory). The workspace, `$HOME`, `$RUNNER_TEMP`,
 *   the Action's files and the other version are not there at all;
 * - a private, size-capped `/tmp` (the working directory unless the caller names another);
 * - rlimits that bind Node and Python alike: address space, processes, file size, open files,
 *   no core files; no capabilities, `no_new_privs`;
 * - every process dies with the harness: bwrap's PID-1 dies with the harness and takes the
 *   namespace with it, and bwrap dies with us (`--die-with-parent`).
 *
 * Root is needed to start bwrap that way. A gate that is not root (GitHub-hosted runners run the
 * job as `runner`) starts it through `sudo -n` where that works without a password: sudo runs
 * bwrap as root, and the same uid drop follows. sudo resets the environment and closes every fd
 * above 2, so the sandbox sets the child's whole environment itself (`--clearenv`, `--setenv`)
 * and the harness channel is a Unix socket bound into the sandbox (`channel`), not an inherited
 * fd. The gate cannot signal root processes: it SIGKILLs its own child, sudo (whose real uid is
 * the gate's), and bwrap's `--die-with-parent` takes the sandbox down with it.
 *
 * A sandbox looks like an ordinary machine (issue 23): the machine's hostname, an ordinary uid,
 * and every path a child can see (argv, cwd, mounts) a neutral temporary name, the same kind for
 * both versions; nothing names the benchmark or the side.
 *
 * On a GitHub Actions runner without bwrap (hosted images lack it) the probe installs bubblewrap
 * with apt-get, as root or through `sudo -n`, once per job (src/measure/bubblewrap.ts). Where the sandbox still cannot be had
 * (not Linux, no bwrap, neither root nor `sudo -n`), `auto` runs the child unsandboxed and the
 * caller says so loudly; `required` fails the tool with kind `sandbox`; `off` never tries.
 */
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess, StdioOptions } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { existsSync, lstatSync, readFileSync, readlinkSync, realpathSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, resolve } from 'node:path';
import { minimalEnv, which } from '../adapters/exec.js';
import type { SandboxInfo, SandboxMode, ToolError } from '../domain/types.js';
import { installBubblewrap } from './bubblewrap.js';

export type { SandboxInfo, SandboxMode } from '../domain/types.js';

export interface SandboxLimits {
  /**
   * Private writable memory of every process (RLIMIT_DATA: heap, anonymous mappings), MiB.
   * Binds Node's Buffers and Python's bytearrays alike; reservations that are never written
   * (V8's, WebAssembly's guard regions) do not count.
   */
  readonly memoryMb: number;
  /**
   * Address space (RLIMIT_AS), MiB, or null for none. Python: set, it also binds shared
   * anonymous mappings (`mmap.mmap(-1, n)`). Node: none, WebAssembly reserves ~10 GiB of address
   * space per memory (undici's fetch needs it); RLIMIT_DATA binds Node's memory.
   */
  readonly addressSpaceMb: number | null;
  /** Processes and threads of the sandbox's uid (RLIMIT_NPROC). */
  readonly processes: number;
  /** Largest file a process may write (RLIMIT_FSIZE), MiB. */
  readonly fileSizeMb: number;
  readonly openFiles: number;
  /** Size of the private /tmp, MiB. */
  readonly tmpMb: number;
}

const SANDBOX_LIMITS: SandboxLimits = {
  memoryMb: 1536,
  addressSpaceMb: 2048,
  processes: 128,
  fileSizeMb: 64,
  openFiles: 512,
  tmpMb: 64,
};

/** What to start, and what it may see besides the system directories and its interpreter. */
export interface SandboxSpec {
  /** The interpreter (absolute path, or a name looked up on PATH). Its prefix is bound read-only. */
  readonly command: string;
  readonly args: readonly string[];
  /**
   * Host paths (files or directories) visible read-only at the same path inside, e.g. the
   * version's own directory, a git worktree of the tool's commit, a shared venv. Everything else
   * of the host (the workspace, $HOME, other temp dirs) is invisible.
   */
  readonly readOnly?: readonly string[] | undefined;
  /**
   * Working directory of the child. Inside the sandbox it must be `/tmp` (private, writable;
   * the default) or inside one of `readOnly`.
   */
  readonly cwd?: string | undefined;
  /** Extra environment, allow-listed by `minimalEnv` (no GITHUB_*, INPUT_*, ACTIONS_*, RUNNER_*). */
  readonly env?: Readonly<Record<string, string>> | undefined;
  readonly limits?: Partial<SandboxLimits> | undefined;
  /**
   * Commands that start `command` (absolute paths of system binaries, e.g. `setarch x86_64 -R
   * taskset -c 1`: src/measure/placement.ts). Inside the sandbox they run after the privilege drop.
   */
  readonly prefix?: readonly string[] | undefined;
  /**
   * A listening Unix socket on the host (in a 0700 directory of the caller) for the harness
   * channel: bound read-only into the sandbox at the same path (nothing else of its directory).
   * The caller names it to the child itself (the harnesses take it as an argument).
   */
  readonly channel?: string | undefined;
  /**
   * Host directories visible read-write at the same path (a venv being installed): the caller
   * hands them to the launch's uid first and takes them back after (`handOver`).
   */
  readonly writable?: readonly string[] | undefined;
  /** Share the host's network (a dependency install from an index); loopback only otherwise. */
  readonly network?: boolean | undefined;
}

/** A planned start: either a command line, or why the sandbox is required but unavailable. */
export type Launch =
  | {
      readonly ok: true;
      readonly command: string;
      readonly args: readonly string[];
      readonly env: Readonly<Record<string, string>>;
      readonly cwd: string | undefined;
      readonly sandbox: SandboxInfo;
      /** The unprivileged uid the child runs as (sandboxed starts only). */
      readonly uid?: number;
    }
  | { readonly ok: false; readonly error: ToolError; readonly sandbox: SandboxInfo };

interface Available {
  readonly ok: true;
  readonly bwrap: string;
  readonly prlimit: string;
  readonly setpriv: string;
  /** `sudo`, when the gate is not root and starts bwrap through `sudo -n`. */
  readonly sudo?: string | undefined;
}
type Availability = Available | { readonly ok: false; readonly reason: string };

let probed: Availability | undefined;

/** Whether the sandbox can be had here, and why not. Probed once per process (a real start). */
export function sandboxAvailability(): Availability {
  if (probed !== undefined) return probed;
  probed = probe();
  return probed;
}

/** Tests only: forget the probe result. */
export function resetSandboxProbe(): void {
  probed = undefined;
}

/** A tool that runs inside the sandbox: its real file (a link outside /usr would dangle there). */
function insideTool(name: string): string | undefined {
  const found = which(name);
  try {
    return found === undefined ? undefined : realpathSync(found);
  } catch {
    return undefined;
  }
}

function probe(): Availability {
  if (process.platform !== 'linux') return { ok: false, reason: `not Linux (${process.platform})` };
  let sudo: string | undefined;
  if (process.getuid?.() !== 0) {
    // Not root: bwrap as root through sudo, without a password (-n: never prompt).
    sudo = which('sudo') ?? which('/usr/bin/sudo');
    if (sudo === undefined)
      return {
        ok: false,
        reason: 'not root, and no sudo (the sandbox needs root or passwordless sudo -n)',
      };
  }
  const found = which('bwrap');
  const bwrap = found === undefined ? installBubblewrap(sudo) : { ok: true as const, path: found };
  if (!bwrap.ok) return bwrap;
  const prlimit = insideTool('prlimit');
  const setpriv = insideTool('setpriv');
  if (prlimit === undefined || setpriv === undefined)
    return { ok: false, reason: 'util-linux prlimit/setpriv not found' };
  const available: Available = { ok: true, bwrap: bwrap.path, prlimit, setpriv, sudo };
  const test = sandboxArgs(available, { command: '/bin/sh', args: ['-c', 'exit 0'] });
  const done = spawnSync(test.command, [...test.args], {
    env: test.env,
    encoding: 'utf8',
    timeout: 10_000,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  if (done.status !== 0) {
    const why = (done.stderr ?? '').trim().split('\n')[0]?.slice(0, 200) ?? '';
    const detail = why || (done.error?.message ?? `status ${String(done.status)}`);
    if (sudo !== undefined && (why === '' || why.startsWith('sudo:')))
      return {
        ok: false,
        reason: `not root, and sudo -n failed: ${detail} (the sandbox needs root or passwordless sudo -n)`,
      };
    return {
      ok: false,
      reason: `bwrap could not start a sandbox${sudo === undefined ? '' : ' (through sudo -n)'}: ${detail}`,
    };
  }
  return available;
}

const SYSTEM_DIRS = ['/usr', '/etc'];
const SANDBOX_PATH = '/usr/local/bin:/usr/bin:/bin';
const SYSTEM_LINKS = ['/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32'];

/** The directory an interpreter lives in, one up from `bin/` (its prefix or venv). */
function prefixOf(executable: string): string {
  const dir = dirname(executable);
  return dir.endsWith('/bin') ? dirname(dir) : dir;
}

/** Paths to bind for an interpreter: the prefix of the path given and of its real file. */
function interpreterPaths(command: string): string[] {
  const found = which(command) ?? command;
  const paths = [prefixOf(resolve(found))];
  try {
    paths.push(prefixOf(realpathSync(found)));
  } catch {
    // a broken link fails at start, with the interpreter's own message
  }
  return paths;
}

/** `/`, `/home` and the like would expose everything below them. */
function tooBroad(path: string): boolean {
  return path === '/' || /^\/[^/]*$/.test(path) || path === dirname(process.env['HOME'] ?? '/');
}

/**
 * Sandbox uids: ordinary user ids (as `useradd` hands out, well below the 2·10⁹ a tool could take
 * for a sign of the benchmark), none of which an account of this machine holds: the uid owns
 * nothing on the host. One per launch, drawn at random.
 */
export const SANDBOX_UIDS = [10_000, 60_000] as const;

function sandboxUid(): number {
  let accounts = new Set<number>();
  try {
    accounts = new Set(
      readFileSync('/etc/passwd', 'utf8')
        .split('\n')
        .map((line) => Number(line.split(':')[2])),
    );
  } catch {
    // no passwd file: every uid in the range is free
  }
  for (;;) {
    const uid = randomInt(...SANDBOX_UIDS);
    if (!accounts.has(uid)) return uid;
  }
}

function sandboxArgs(
  tools: Available,
  spec: SandboxSpec,
): { command: string; args: string[]; env: Record<string, string>; uid: number } {
  const limits = { ...SANDBOX_LIMITS, ...spec.limits };
  const uid = sandboxUid();
  const args = [
    '--unshare-pid',
    ...(spec.network === true ? [] : ['--unshare-net']),
    '--unshare-ipc',
    '--unshare-uts',
    '--unshare-cgroup-try',
    '--die-with-parent',
    // The machine's own name: a sandbox must look like the machine a tool runs on in production,
    // so that a head fast only under the benchmark has nothing to test (issue 23).
    '--hostname',
    hostname(),
  ];
  for (const dir of SYSTEM_DIRS) if (existsSync(dir)) args.push('--ro-bind', dir, dir);
  for (const link of SYSTEM_LINKS) {
    try {
      const stat = lstatSync(link);
      if (stat.isSymbolicLink()) args.push('--symlink', readlinkSync(link), link);
      else if (stat.isDirectory()) args.push('--ro-bind', link, link);
    } catch {
      // absent on this system
    }
  }
  args.push('--proc', '/proc', '--dev', '/dev');
  args.push('--perms', '1777', '--size', String(limits.tmpMb * 1024 * 1024), '--tmpfs', '/tmp');
  const binds = new Set<string>();
  const writable = (spec.writable ?? []).map((path) => resolve(path));
  const paths = [
    ...interpreterPaths(spec.command),
    ...(spec.readOnly ?? []),
    ...(spec.channel === undefined ? [] : [spec.channel]),
    ...writable,
  ];
  for (const path of paths) {
    const absolute = resolve(path);
    if (!SYSTEM_DIRS.some((d) => absolute === d || absolute.startsWith(`${d}/`)))
      binds.add(absolute);
  }
  const bound = [...binds].filter((path) => !tooBroad(path) && existsSync(path)).sort();
  // bwrap would create the parents of a bind with the host's modes (/root is 0700): make them
  // traversable for the unprivileged uid. They hold nothing but the mount points.
  const parents = new Set<string>();
  for (const path of bound) {
    for (let dir = dirname(path); dir !== '/' && dir !== '/tmp'; dir = dirname(dir)) {
      if (bound.some((b) => dir === b || dir.startsWith(`${b}/`))) continue;
      parents.add(dir);
    }
  }
  for (const dir of [...parents].sort()) args.push('--perms', '0755', '--dir', dir);
  for (const path of bound) args.push(writable.includes(path) ? '--bind' : '--ro-bind', path, path);
  args.push('--chdir', spec.cwd ?? '/tmp');
  // The child's whole environment, set here: sudo would reset ours (env_reset), and nothing of
  // the caller's (tokens) may come through either way. PATH: the system directories, which are
  // all that is there of the host's (the gate's own PATH names its directories: a checkout, npx).
  const env = minimalEnv({ PATH: SANDBOX_PATH, ...spec.env, HOME: '/tmp', TMPDIR: '/tmp' });
  args.push('--clearenv');
  for (const [key, value] of Object.entries(env)) args.push('--setenv', key, value);
  // Root without a user namespace: keep only what setpriv needs to drop to the sandbox uid.
  args.push('--cap-add', 'CAP_SETUID', '--cap-add', 'CAP_SETGID', '--cap-add', 'CAP_SETPCAP');
  args.push(
    '--',
    tools.prlimit,
    `--data=${limits.memoryMb * 1024 * 1024}`,
    ...(limits.addressSpaceMb === null ? [] : [`--as=${limits.addressSpaceMb * 1024 * 1024}`]),
    `--nproc=${limits.processes}`,
    `--fsize=${limits.fileSizeMb * 1024 * 1024}`,
    `--nofile=${limits.openFiles}`,
    '--core=0',
    '--',
    tools.setpriv,
    `--reuid=${uid}`,
    `--regid=${uid}`,
    '--clear-groups',
    '--no-new-privs',
    '--inh-caps=-all',
    '--bounding-set=-all',
    '--',
    ...(spec.prefix ?? []),
    spec.command,
    ...spec.args,
  );
  // bwrap and sudo themselves get no more than the minimal environment either.
  if (tools.sudo !== undefined)
    return {
      command: tools.sudo,
      args: ['-n', '--', tools.bwrap, ...args],
      env: minimalEnv(),
      uid,
    };
  return { command: tools.bwrap, args, env: minimalEnv(), uid };
}

/**
 * Plan how to start `spec` under `mode`. `auto` falls back to an unsandboxed start (the result's
 * `sandbox.kind` is `none` with the reason); `required` returns a `sandbox` ToolError instead.
 */
export function planLaunch(spec: SandboxSpec, mode: SandboxMode): Launch {
  const [first, ...rest] = [...(spec.prefix ?? []), spec.command, ...spec.args];
  const plain = (reason: string): Launch => ({
    ok: true,
    command: first ?? spec.command,
    args: rest,
    env: minimalEnv(spec.env),
    cwd: spec.cwd,
    sandbox: { mode, kind: 'none', reason },
  });
  if (mode === 'off') return plain('sandbox: off');
  const available = sandboxAvailability();
  if (!available.ok) {
    if (mode === 'required')
      return {
        ok: false,
        error: {
          kind: 'sandbox',
          message: `sandbox required but unavailable: ${available.reason}`,
        },
        sandbox: { mode, kind: 'none', reason: available.reason },
      };
    return plain(available.reason);
  }
  const built = sandboxArgs(available, spec);
  return {
    ok: true,
    command: built.command,
    args: built.args,
    env: built.env,
    cwd: undefined,
    sandbox: sandboxInfo(mode, available),
    uid: built.uid,
  };
}

/** What `planLaunch` would record for `mode` here, without planning a start. */
export function sandboxStatus(mode: SandboxMode): SandboxInfo {
  if (mode === 'off') return { mode, kind: 'none', reason: 'sandbox: off' };
  const available = sandboxAvailability();
  return available.ok
    ? sandboxInfo(mode, available)
    : { mode, kind: 'none', reason: available.reason };
}

function sandboxInfo(mode: SandboxMode, available: Available): SandboxInfo {
  return available.sudo === undefined
    ? { mode, kind: 'bwrap' }
    : { mode, kind: 'bwrap', via: 'sudo' };
}

/**
 * Start `spec` in the sandbox (per `mode`) in its own process group. Throws a `SandboxError`
 * (whose `toolError` has kind `sandbox`) when the sandbox is required and unavailable.
 */
export function spawnSandboxed(
  spec: SandboxSpec,
  mode: SandboxMode,
  stdio: StdioOptions,
): { child: ChildProcess; sandbox: SandboxInfo; uid: number | undefined } {
  const launch = planLaunch(spec, mode);
  if (!launch.ok) throw new SandboxError(launch.error, launch.sandbox);
  const child = spawn(launch.command, [...launch.args], {
    env: { ...launch.env },
    cwd: launch.cwd,
    detached: true,
    stdio,
  });
  return { child, sandbox: launch.sandbox, uid: launch.uid };
}

export class SandboxError extends Error {
  constructor(
    readonly toolError: ToolError,
    readonly sandbox: SandboxInfo,
  ) {
    super(toolError.message);
  }
}

/**
 * Give `dir` (recursively, never following a link) to `uid`, as root: directly when the gate is
 * root, else through `sudo -n`, as the sandbox starts. A venv is handed to an install's uid and
 * taken back after; the caller checks first that the tree holds only what that uid made.
 */
export function handOver(dir: string, uid: number, gid: number = uid): void {
  const available = sandboxAvailability();
  if (!available.ok)
    throw new Error(`cannot change owners without the sandbox: ${available.reason}`);
  const chown = [which('chown') ?? '/bin/chown', '-R', '-h', `${uid}:${gid}`, '--', dir];
  const [command, ...args] =
    available.sudo === undefined ? chown : [available.sudo, '-n', '--', ...chown];
  const done = spawnSync(command!, args, { env: minimalEnv(), encoding: 'utf8', timeout: 120_000 });
  if (done.status !== 0)
    throw new Error(
      `chown ${dir} failed: ${(done.stderr ?? done.error?.message ?? '').trim().slice(0, 200)}`,
    );
}

/** One line for logs and headlines: `sandbox: bwrap`, `sandbox: bwrap via sudo -n` or `unsandboxed: <why>`. */
export function describeSandbox(info: SandboxInfo): string {
  if (info.kind === 'none') return `unsandboxed: ${info.reason ?? 'unknown reason'}`;
  return info.via === 'sudo' ? 'sandbox: bwrap via sudo -n' : 'sandbox: bwrap';
}
