/**
 * Third-party packages a repository's tools import, installed once per gate into a venv. What
 * the PR lists is hostile input (issue 23): every requirement is checked to be a package
 * requirement (name, extras, versions, markers), never an option (`-r <host file>`), a local
 * path, a URL or a VCS reference unless the base config's `install-sources` allows that kind;
 * the files are read here and their lines passed to pip one by one (pip never opens them, so its
 * errors cannot quote a host file). Wheels only (`--only-binary=:all:`) unless `sdist` is
 * allowed. pip runs with `-I`, from a directory the PR does not control, in a sandbox of its
 * own (`InstallLauncher`: a fresh uid, no secrets, the network, the venv read-write and nothing
 * else of the host but what a local requirement names); where there is no sandbox it runs as
 * the gate, and then never builds anything from source.
 *
 * The venv's key is the hash of what goes in it (the requirements, the interpreter, the allowed
 * sources), so base and head share one venv when their requirements match; the venvs live under
 * a cache directory that CI can keep between runs. The venv sees the interpreter's own packages
 * (`--system-site-packages`); the harness's mocks for network libraries still win.
 */
import { createHash } from 'node:crypto';
import {
  chmod,
  lstat,
  mkdir,
  readdir,
  realpath,
  rename,
  rm,
  stat,
  writeFile,
} from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { minimalEnv, runProcess } from './exec.js';
import type { InstallSource } from '../config/config.js';
import { errorFirstLine } from '../domain/errors.js';
import { Redactor, runSecrets, untrustedExcerpt } from '../report/redact.js';

export interface DependencySet {
  /** The checkout the requirements come from: local paths must stay inside it. */
  readonly root: string;
  /** Requirements files: path relative to `root`, and their text. */
  readonly files: readonly { readonly name: string; readonly text: string }[];
  /** Package requirements from the tools' YAMLs, with the tool (path relative to `root`). */
  readonly packages: readonly { readonly text: string; readonly tool: string }[];
}

export interface Venv {
  readonly key: string;
  /** Absolute path of the venv's python. */
  readonly python: string;
  /** The venv's directory: the sandbox must show it read-only. */
  readonly dir: string;
  /** True when it came from the cache. */
  readonly cached: boolean;
}

/** A start the launcher planned: sandboxed (`uid` set) or as the gate (`uid` null). */
interface PlannedInstall {
  readonly command: string;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly cwd: string | undefined;
  readonly uid: number | null;
  /** Why it is not sandboxed (uid null). */
  readonly reason?: string;
}

/** Where pip runs: the OS sandbox (src/measure/sandbox.ts), wired in by the caller. */
export interface InstallLauncher {
  /**
   * Plan `command args` with `writable` read-write and `readOnly` visible, cwd `cwd` when it
   * runs as the gate. A string: the sandbox is required and unavailable (why).
   */
  plan(spec: {
    readonly command: string;
    readonly args: readonly string[];
    readonly readOnly: readonly string[];
    readonly writable: readonly string[];
    readonly env: Readonly<Record<string, string>>;
    readonly cwd: string;
    /** The install needs the network (a requirement from the index or a URL). */
    readonly network: boolean;
  }): PlannedInstall | string;
  /** Give `dir` to `uid` recursively (as root). */
  handOver(dir: string, uid: number, gid?: number): void;
}

/**
 * Where venvs are kept: `PERF_VERDICT_VENV_CACHE`, else `~/.cache/venvs`. A tool sees its venv's
 * path (its interpreter, `sys.prefix`, its mounts): the name says nothing of the benchmark.
 */
function venvCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return (
    env['PERF_VERDICT_VENV_CACHE'] ??
    join(env['XDG_CACHE_HOME'] ?? join(homedir(), '.cache'), 'venvs')
  );
}

/** The file a finished venv holds (a tool can list its venv: a neutral name). */
const COMPLETE = '.complete';

export function dependencyKey(
  set: Pick<DependencySet, 'files' | 'packages'>,
  python: string,
  sources: readonly InstallSource[] = [],
): string {
  const hash = createHash('sha256');
  hash.update(`python ${python}\n`);
  for (const source of [...sources].sort()) hash.update(`source ${source}\n`);
  for (const file of [...set.files].sort((a, b) => a.text.localeCompare(b.text)))
    hash.update(`file\n${file.text}\n`);
  for (const p of set.packages.map((x) => x.text).sort()) hash.update(`package ${p}\n`);
  return hash.digest('hex').slice(0, 16);
}

export class DependencyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DependencyError';
  }
}

const NAME = '[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?';
const VERSION = '(?:===|==|!=|~=|<=|>=|<|>)\\s*[A-Za-z0-9.*+!_-]+';
/** PEP 508 by name: `name[extra,…] (op version, …) ; marker`. */
const BY_NAME = new RegExp(
  `^${NAME}\\s*(?:\\[\\s*(?:${NAME}(?:\\s*,\\s*${NAME})*)?\\s*\\])?\\s*` +
    `(?:\\(?\\s*${VERSION}(?:\\s*,\\s*${VERSION})*\\s*\\)?)?\\s*(?:;[A-Za-z0-9_.'"\\s<>=!~(),-]*)?$`,
);
const VCS = /^(?:(?:[A-Za-z0-9._-]+\s*@\s*)?)(?:git|hg|svn|bzr)\+/i;
const URL = /^(?:[A-Za-z0-9._-]+\s*@\s*)?[A-Za-z][A-Za-z0-9+.-]*:\/\//;
const ARCHIVE = /\.(?:whl|tar\.gz|tgz|tar\.bz2|tar\.xz|zip)$/i;

/** One requirement as pip gets it: checked, a local path made absolute. */
async function checkRequirement(
  text: string,
  origin: string,
  sources: readonly InstallSource[],
  from: { readonly root: string; readonly dir: string },
): Promise<string> {
  const refuse = (why: string): never => {
    throw new DependencyError(
      `${origin}: ${JSON.stringify(text.slice(0, 120))} ${why} (README, Security: dependency installs)`,
    );
  };
  const needs = (source: InstallSource, what: string): void => {
    if (!sources.includes(source))
      refuse(`is ${what}: the base config's install-sources does not list \`${source}\``);
  };
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001F\u007F]/.test(text)) refuse('holds a control character');
  if (text.startsWith('-')) refuse('is an option, not a package requirement');
  if (BY_NAME.test(text) && !ARCHIVE.test(text)) return text;
  if (VCS.test(text)) {
    needs('vcs', 'a VCS reference');
    needs('sdist', 'built from source');
    if (!/^(?:[A-Za-z0-9._-]+\s*@\s*)?git\+https:\/\/[^\s]+$/i.test(text))
      refuse('is a VCS reference other than git+https://');
    return text;
  }
  if (URL.test(text) && !/file:/i.test(text)) {
    needs('url', 'a URL');
    if (!/^(?:[A-Za-z0-9._-]+\s*@\s*)?https:\/\/[^\s]+$/i.test(text)) refuse('is not an https URL');
    if (!/\.whl$/i.test(text)) needs('sdist', 'built from source');
    return text;
  }
  if (/^[.~/]|[\\/]|^file:|\s@\s*file:/i.test(text) || ARCHIVE.test(text)) {
    needs('local', 'a local path');
    const path = text.replace(/^(?:[A-Za-z0-9._-]+\s*@\s*)?(?:file:\/\/)?/i, '');
    if (path.startsWith('~')) refuse('is a path outside the checkout');
    const absolute = resolve(isAbsolute(path) ? path : join(from.dir, path));
    const real = await realpath(absolute).catch(() => refuse('is a path that does not exist'));
    const root = await realpath(from.root);
    const inside = relative(root, real);
    if (inside.startsWith('..') || isAbsolute(inside)) refuse('is a path outside the checkout');
    if (!/\.whl$/i.test(real)) needs('sdist', 'built from source');
    return real;
  }
  return refuse('is not a package requirement (name, extras, versions, markers)');
}

/** A requirements file's requirements: comments and blank lines dropped, `\` joined. */
function fileRequirements(text: string): { line: number; text: string }[] {
  const out: { line: number; text: string }[] = [];
  let pending = '';
  let start = 0;
  text.split(/\r?\n/).forEach((raw, i) => {
    if (pending === '') start = i + 1;
    const line = raw.replace(/(?:^|\s)#.*$/, '');
    if (line.endsWith('\\')) {
      pending += line.slice(0, -1);
      return;
    }
    const whole = (pending + line).trim();
    pending = '';
    if (whole !== '') out.push({ line: start, text: whole });
  });
  if (pending.trim() !== '') out.push({ line: start, text: pending.trim() });
  return out;
}

/** Every requirement of the set, checked, as pip's arguments. Throws DependencyError. */
export async function requirementArgs(
  set: DependencySet,
  sources: readonly InstallSource[],
): Promise<string[]> {
  const out: string[] = [];
  for (const file of set.files)
    for (const r of fileRequirements(file.text))
      out.push(
        await checkRequirement(r.text, `${file.name} line ${r.line}`, sources, {
          root: set.root,
          dir: dirname(join(set.root, file.name)),
        }),
      );
  for (const p of set.packages)
    out.push(
      await checkRequirement(p.text.trim(), `${p.tool}: dependencies`, sources, {
        root: set.root,
        dir: set.root,
      }),
    );
  return [...new Set(out)];
}

/** Variables pip may need to reach the user's index; nothing else of the runner's. */
function pipEnv(): Record<string, string> {
  const extra: Record<string, string> = {
    PIP_DISABLE_PIP_VERSION_CHECK: '1',
    PIP_NO_INPUT: '1',
  };
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && /^(PIP_|HTTPS?_PROXY$|NO_PROXY$|https?_proxy$|no_proxy$)/.test(key))
      extra[key] = value;
  }
  return minimalEnv(extra);
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

async function readable(dir: string): Promise<void> {
  // The sandbox's unprivileged uid reads the venv: directories r-x, files r--, for everyone.
  const entries = await readdir(dir, { withFileTypes: true });
  await chmod(dir, 0o755);
  for (const e of entries) {
    const path = join(dir, e.name);
    if (e.isSymbolicLink()) continue;
    if (e.isDirectory()) await readable(path);
    else await chmod(path, ((await stat(path)).mode & 0o111) !== 0 ? 0o755 : 0o644);
  }
}

/**
 * The install's tree holds only what the gate and the install's uid made: a hard link to a file
 * of another owner would be handed to the gate by the chown that takes the venv back.
 */
async function ownedOnly(dir: string, owners: readonly number[]): Promise<string | null> {
  const info = await lstat(dir);
  if (!owners.includes(info.uid)) return dir;
  if (!info.isDirectory()) return null;
  for (const name of await readdir(dir)) {
    const found = await ownedOnly(join(dir, name), owners);
    if (found !== null) return found;
  }
  return null;
}

/**
 * What pip said went wrong, as an excerpt: its ERROR lines (or its last lines), redacted of
 * every secret of the run and token-shaped string, controls removed, cut.
 */
function pipFailure(output: string): string {
  const lines = output
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => /^ERROR|No matching distribution|Could not find|error:/i.test(l));
  const said = lines.slice(-3).join(' ') || output.trim().split('\n').slice(-3).join(' ');
  return untrustedExcerpt(new Redactor(runSecrets(process.env)), said, 600);
}

/** Limits of the install sandbox: pip downloads and unpacks wheels in its private /tmp. */
export const INSTALL_LIMITS = {
  memoryMb: 4096,
  addressSpaceMb: null,
  processes: 256,
  fileSizeMb: 1024,
  openFiles: 1024,
  tmpMb: 2048,
};

/**
 * A venv holding the set, from the cache or freshly installed. `python` is the interpreter the
 * venv is built on. Throws DependencyError naming the requirement refused, or with pip's own
 * words (an excerpt) when an install fails.
 */
export async function ensureVenv(
  set: DependencySet,
  python: string,
  options: {
    launcher: InstallLauncher;
    sources?: readonly InstallSource[];
    cacheDir?: string;
    timeoutMs?: number;
    log?: (line: string) => void;
  },
): Promise<Venv> {
  const sources = options.sources ?? [];
  const requirements = await requirementArgs(set, sources);
  const cacheDir = options.cacheDir ?? venvCacheDir();
  const key = dependencyKey(set, python, sources);
  const dir = join(cacheDir, key);
  const venvPython = join(dir, 'bin', 'python');
  if (await exists(join(dir, COMPLETE))) return { key, python: venvPython, dir, cached: true };
  await mkdir(cacheDir, { recursive: true });
  const building = `${dir}.building-${process.pid}`;
  await rm(building, { recursive: true, force: true });
  const timeoutMs = options.timeoutMs ?? 600_000;
  try {
    // The gate's own step: stdlib code only, isolated, from a directory of the gate's.
    const venv = await runProcess({
      command: python,
      args: ['-I', '-m', 'venv', '--system-site-packages', '--without-pip', building],
      cwd: cacheDir,
      env: minimalEnv(),
      timeoutMs,
      maxOutputBytes: 1024 * 1024,
    });
    if (venv.exitCode !== 0)
      throw new DependencyError(
        `could not create a venv with ${python}: ${pipFailure(venv.stderr || venv.stdout)}`,
      );
    await install(requirements, building, python, sources, { ...options, timeoutMs });
    await writeFile(join(building, COMPLETE), `${new Date().toISOString()}\n`);
    await readable(building);
    if (await exists(join(dir, COMPLETE))) {
      // Another process (a parallel job or test file) finished the same venv meanwhile: keep
      // theirs, which may be in use, and drop this one.
      await rm(building, { recursive: true, force: true });
    } else {
      await rm(dir, { recursive: true, force: true });
      await rename(building, dir);
    }
  } catch (error) {
    await rm(building, { recursive: true, force: true }).catch(() => undefined);
    if (error instanceof DependencyError) throw error;
    throw new DependencyError(`could not create a venv with ${python}: ${errorFirstLine(error)}`);
  }
  return { key, python: venvPython, dir, cached: false };
}

/** pip, in the launcher's sandbox, installs `requirements` into the venv at `building`. */
async function install(
  requirements: readonly string[],
  building: string,
  python: string,
  sources: readonly InstallSource[],
  options: { launcher: InstallLauncher; timeoutMs: number; log?: (line: string) => void },
): Promise<void> {
  if (requirements.length === 0) return;
  // Local wheels only: no index, no network.
  const network = requirements.some((r) => !isAbsolute(r));
  const pip = (binaryOnly: boolean): string[] => [
    '-I',
    '-m',
    'pip',
    '--python',
    join(building, 'bin', 'python'),
    'install',
    '--no-input',
    '--disable-pip-version-check',
    ...(binaryOnly ? ['--only-binary=:all:'] : []),
    ...(network ? [] : ['--no-index']),
    '--',
    ...requirements,
  ];
  const spec = {
    command: python,
    // A local requirement's own file or folder, nothing else of the checkout.
    readOnly: requirements.filter((r) => isAbsolute(r)),
    writable: [building],
    env: pipEnv(),
    cwd: dirname(building),
    network,
  };
  let plan = options.launcher.plan({ ...spec, args: pip(!sources.includes('sdist')) });
  if (typeof plan === 'string') throw new DependencyError(`pip cannot run: ${plan}`);
  if (plan.uid === null && sources.includes('sdist')) {
    // No sandbox: nothing is built from source as the gate.
    if (requirements.some((r) => !BY_NAME.test(r) && !/\.whl$/i.test(r)))
      throw new DependencyError(
        `building from source needs the install sandbox, which is unavailable: ${plan.reason ?? ''}`,
      );
    plan = options.launcher.plan({ ...spec, args: pip(true) });
    if (typeof plan === 'string') throw new DependencyError(`pip cannot run: ${plan}`);
  }
  const uid = plan.uid;
  options.log?.(
    `installing ${requirements.length} requirement(s) into venv ${building.split('/').pop() ?? ''} ` +
      (uid === null ? `unsandboxed (${plan.reason ?? ''}; wheels only)` : 'in the install sandbox'),
  );
  const gate = { uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0 };
  // The venv is the install uid's while pip runs, the gate's again after.
  const takeBack = async (): Promise<void> => {
    if (uid === null) return;
    const foreign = await ownedOnly(building, [gate.uid, uid]);
    if (foreign !== null)
      throw new DependencyError(
        `the install left a file of another owner in the venv (${relative(building, foreign)}): refused`,
      );
    options.launcher.handOver(building, gate.uid, gate.gid);
  };
  if (uid !== null) options.launcher.handOver(building, uid);
  const done = await runProcess({
    command: plan.command,
    args: plan.args,
    cwd: plan.cwd,
    env: plan.env,
    timeoutMs: options.timeoutMs,
    maxOutputBytes: 4 * 1024 * 1024,
  }).catch(async (error: unknown) => {
    await takeBack();
    throw error;
  });
  await takeBack();
  if (done.exitCode !== 0)
    throw new DependencyError(
      done.timedOut
        ? `pip did not finish in ${Math.round(options.timeoutMs / 1000)} s`
        : `pip could not install the dependencies: ${pipFailure(`${done.stdout}\n${done.stderr}`)}`,
    );
}
