/**
 * Third-party packages a repository's tools import, installed once per gate into a venv outside
 * the sandbox (never from inside it: the sandbox has no network). The venv's key is the hash of
 * what goes in it (the requirements files' text, the YAMLs' `dependencies`, the interpreter), so
 * base and head share one venv when their requirements match and get one each when they differ;
 * the venvs live under a cache directory that CI can keep between runs (actions/cache keyed by
 * the requirements' hash). The venv sees the interpreter's own packages
 * (`--system-site-packages`); the harness's mocks for network libraries still win over anything
 * installed.
 */
import { createHash } from 'node:crypto';
import { execFile } from 'node:child_process';
import { chmod, mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { minimalEnv } from './exec.js';
import { errorFirstLine } from '../domain/errors.js';

const run = promisify(execFile);

export interface DependencySet {
  /** Requirements files: absolute path (inside a checkout) and their text, for the key. */
  readonly files: readonly { readonly path: string; readonly text: string }[];
  /** Package specifiers from the tools' YAMLs. */
  readonly packages: readonly string[];
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

/** Where venvs are kept: `PERF_VERDICT_VENV_CACHE`, else `~/.cache/perf-verdict/venvs`. */
function venvCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return (
    env['PERF_VERDICT_VENV_CACHE'] ??
    join(env['XDG_CACHE_HOME'] ?? join(homedir(), '.cache'), 'perf-verdict', 'venvs')
  );
}

export function dependencyKey(set: DependencySet, python: string): string {
  const hash = createHash('sha256');
  hash.update(`python ${python}\n`);
  for (const file of [...set.files].sort((a, b) => a.text.localeCompare(b.text)))
    hash.update(`file\n${file.text}\n`);
  for (const p of [...set.packages].sort()) hash.update(`package ${p}\n`);
  return hash.digest('hex').slice(0, 16);
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

export class DependencyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DependencyError';
  }
}

/** The last lines of pip's output that say what went wrong. */
function pipFailure(output: string): string {
  const lines = output
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => /^ERROR|No matching distribution|Could not find|error:/i.test(l));
  return (lines.slice(-3).join(' ') || output.trim().split('\n').slice(-3).join(' ')).slice(0, 600);
}

/**
 * A venv holding the set, from the cache or freshly installed. `python` is the interpreter the
 * venv is built on. Throws DependencyError with pip's own words when an install fails.
 */
export async function ensureVenv(
  set: DependencySet,
  python: string,
  options: { cacheDir?: string; timeoutMs?: number; log?: (line: string) => void } = {},
): Promise<Venv> {
  const cacheDir = options.cacheDir ?? venvCacheDir();
  const key = dependencyKey(set, python);
  const dir = join(cacheDir, key);
  const venvPython = join(dir, 'bin', 'python');
  if (await exists(join(dir, '.perf-verdict-complete')))
    return { key, python: venvPython, dir, cached: true };
  await mkdir(cacheDir, { recursive: true });
  const building = `${dir}.building-${process.pid}`;
  await rm(building, { recursive: true, force: true });
  const timeout = options.timeoutMs ?? 600_000;
  try {
    await run(python, ['-m', 'venv', '--system-site-packages', '--without-pip', building], {
      env: minimalEnv(),
      timeout,
    });
    const args = ['-m', 'pip', '--python', join(building, 'bin', 'python'), 'install'];
    for (const file of set.files) args.push('-r', file.path);
    args.push(...set.packages);
    options.log?.(
      `installing dependencies (${[...set.files.map((f) => f.path), ...set.packages].join(', ')}) into venv ${key}`,
    );
    try {
      await run(python, args, {
        env: pipEnv(),
        timeout,
        maxBuffer: 32 * 1024 * 1024,
        cwd: set.files[0] === undefined ? undefined : join(set.files[0].path, '..'),
      });
    } catch (error) {
      const e = error as { stdout?: string; stderr?: string; message: string };
      throw new DependencyError(
        `pip could not install the dependencies: ${pipFailure(`${e.stdout ?? ''}\n${e.stderr ?? e.message}`)}`,
      );
    }
    await writeFile(join(building, '.perf-verdict-complete'), `${new Date().toISOString()}\n`);
    await readable(building);
    if (await exists(join(dir, '.perf-verdict-complete'))) {
      // Another process (a parallel job or test file) finished the same venv meanwhile: keep
      // theirs, which may be in use, and drop this one.
      await rm(building, { recursive: true, force: true });
    } else {
      await rm(dir, { recursive: true, force: true });
      await rename(building, dir);
    }
  } catch (error) {
    await rm(building, { recursive: true, force: true });
    if (error instanceof DependencyError) throw error;
    throw new DependencyError(`could not create a venv with ${python}: ${errorFirstLine(error)}`);
  }
  return { key, python: venvPython, dir, cached: false };
}
