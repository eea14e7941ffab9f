/**
 * Writes a tool version to a private work directory (code and input as files: data, never
 * pasted into a script) and starts harness children for it.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { assetPath } from '../adapters/assets.js';
import { neutralTempDir } from '../adapters/exec.js';
import { scriptWorker } from '../analyze/script-worker.js';
import { isCommonJs } from '../analyze/transpile.js';
import type { RunnableFile, RunnableScript } from '../analyze/transpile.js';
import { errorMessage, UnparsableCode } from '../domain/errors.js';
import { languageOfPath } from '../domain/language.js';
import type { RunContext, SandboxInfo, SandboxMode, ToolVersion } from '../domain/types.js';
import { HarnessChild } from './child.js';
import { sandboxStatus } from './sandbox.js';
import type { SandboxLimits } from './sandbox.js';
import { DEFAULT_TUNING } from './tuning.js';
import type { MeasureTuning } from './tuning.js';

/** Limits every child runs under. */
const LIMITS = {
  memoryMb: 1024,
  /** Node's V8 heap limit. */
  nodeHeapMb: 512,
  maxOutputBytes: 4 * 1024 * 1024,
} as const;

/** How a version's children are started. Every field is optional: the defaults are safe. */
export interface LaunchOptions {
  /** `auto` (default): the OS sandbox where it can be had; `required`: or fail; `off`: never. */
  readonly sandbox?: SandboxMode | undefined;
  /**
   * More host paths visible read-only inside the sandbox (a checkout of the tool's commit, a
   * shared venv). The version's own directory and the harness are always visible.
   */
  readonly readOnly?: readonly string[] | undefined;
  /** Working directory: inside the sandbox `/tmp` (private) by default, or inside `readOnly`. */
  readonly cwd?: string | undefined;
  /** Extra environment (e.g. PYTHONPATH), allow-listed: no GITHUB_*, INPUT_*, ACTIONS_*, RUNNER_*. */
  readonly env?: Readonly<Record<string, string>> | undefined;
  /** Limits other than the defaults (src/measure/sandbox.ts SANDBOX_LIMITS). */
  readonly limits?: Partial<SandboxLimits> | undefined;
  /** The measurement's tuning knobs (tuning.ts); default: the documented protocol. */
  readonly tuning?: MeasureTuning | undefined;
}

export interface PreparedVersion {
  readonly dir: string;
  readonly configPath: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly launch: LaunchOptions;
  /** The sandbox its children run in (what the report records). */
  readonly sandbox: SandboxInfo;
  readonly tuning: MeasureTuning;
  /**
   * The arguments of an interpreter-only child (first-calls.ts: V8's optimising and baseline
   * tiers off, INTERPRETER_FLAGS); null where there is no JIT to take away (Python).
   */
  readonly interpreterArgs: readonly string[] | null;
}

/** MB per semi-space of a JS child's young generation, pinned (below, at the harness's flags). */
const YOUNG_GENERATION_MB = 16;

/**
 * V8 flags that keep every call of a JS/TS child in the interpreter (Ignition): no Turbofan, no
 * Sparkplug (and Maglev is off already unless the tuning turns it on). Chosen over `--jitless`,
 * which measured alike (the first calls' spread over pairs, docs/measurement.md) but also takes
 * WebAssembly away: a tool using it would fail there, and `typeof WebAssembly` would tell the
 * process apart. The harness hides these from `process.execArgv` (harness/node.mjs).
 */
const INTERPRETER_FLAGS = ['--no-opt', '--no-sparkplug', '--no-maglev'] as const;

/**
 * The flag that turns on Node's permission model in this runtime: `--permission` from 22.13 and
 * 23.5 (Node 24 refuses the old name), `--experimental-permission` from 20.0; null before 20.
 */
export function permissionFlag(version: string = process.versions.node): string | null {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  if (major >= 24 || (major === 23 && minor >= 5) || (major === 22 && minor >= 13))
    return '--permission';
  if (major >= 20) return '--experimental-permission';
  return null;
}

/**
 * Node's permission model for a harness child: reads of the paths it needs only (its own
 * directory, the harness, the checkout and its node_modules), no writes, no worker threads, no
 * child processes — except for the executable-mode harness, which starts the tool's script as a
 * child (that child gets the same grants without the child-process one). Writes (and reads back):
 * only `writable` (the sandbox's private `/tmp`; nothing unsandboxed, where `/tmp` is the host's
 * and holds the other version). Defence in depth: the OS sandbox is the boundary, and this is the only guard
 * where `sandbox: off`.
 */
export function nodePermissionArgs(
  readable: readonly string[],
  mode: ToolVersion['mode'],
  version: string = process.versions.node,
  writable: readonly string[] = [],
): string[] {
  const flag = permissionFlag(version);
  if (flag === null) return [];
  return [
    flag,
    ...[...new Set([...readable, ...writable])].map((path) => `--allow-fs-read=${path}`),
    ...[...new Set(writable)].map((path) => `--allow-fs-write=${path}`),
    ...(mode === 'executable' ? ['--allow-child-process'] : []),
  ];
}

let python: string | undefined;

/**
 * The real python3 behind PATH. Version managers (pyenv) put a shell-script shim first that costs
 * ~250 ms per start; resolving it once makes fresh process pairs cheap.
 */
export function pythonExecutable(): string {
  if (python !== undefined) return python;
  try {
    const resolved = execFileSync('python3', ['-c', 'import sys; print(sys.executable)'], {
      encoding: 'utf8',
      timeout: 15_000,
    }).trim();
    python = resolved === '' ? 'python3' : resolved;
  } catch {
    python = 'python3';
  }
  return python;
}

/**
 * The folder of a version's directory that holds a TS/JS tool with the repository files it loads,
 * each at its repository path (a neutral name: the checkout's root is `repo` too).
 */
const TREE = 'repo';

/**
 * Write `files` under `root` (folders and files readable by the sandbox's uid, writable by no
 * one but the gate); returns the path of `tool`, one of them.
 */
function writeTree(
  root: string,
  files: readonly Pick<RunnableFile, 'path' | 'code'>[],
  tool: string,
): string {
  for (const file of files) {
    const path = join(root, file.path);
    // Repository paths never climb out (git refuses `..`); a path that would is not written.
    if (!path.startsWith(`${root}/`)) continue;
    for (let folder = dirname(path); folder.startsWith(root); folder = dirname(folder)) {
      mkdirSync(folder, { recursive: true });
      chmodSync(folder, 0o755);
      if (folder === root) break;
    }
    writeFileSync(path, file.code);
    chmodSync(path, 0o644);
  }
  return join(root, tool);
}

/**
 * What the harness loads of a TS/JS version (null for Python): parsed, and TypeScript transpiled,
 * in the script worker under its deadline; rejects with `UnparsableCode` when that cannot be had.
 */
export async function runnableOf(version: ToolVersion): Promise<RunnableScript | null> {
  if (version.language === 'python') return null;
  try {
    return await scriptWorker().transpile({
      code: version.code,
      language: version.language,
      path: version.path,
      loads: version.loads,
    });
  } catch (error) {
    throw new UnparsableCode(`${version.path ?? 'the tool'}: ${errorMessage(error)}`);
  }
}

/**
 * A version's own directory: its config, the harness (a copy: the Action's own path names the
 * product), and the tool's code (`script`: its `runnableOf`) when it runs alone. Its name is
 * neutral and says nothing of the side (src/adapters/exec.ts `neutralTempDir`).
 */
export function prepareVersion(
  version: ToolVersion,
  script: RunnableScript | null,
  launch: LaunchOptions = {},
): PreparedVersion {
  const dir = neutralTempDir();
  const tuning = launch.tuning ?? DEFAULT_TUNING;
  // The sandboxed child runs as an unprivileged uid: it may read its own directory, never write.
  chmodSync(dir, 0o755);
  let toolFile: string;
  let command: string;
  let harness: string;
  let extraArgs: string[];
  const context = version.context;
  /** A lone Python tool's import roots: its folder in its tree and each above (none: no tree). */
  const roots: string[] = [];
  if (version.language === 'python') {
    // Inside its repository a tool runs in place, from the read-only checkout of its commit, as
    // the repository runs it; alone, from a copy in its own directory, with the repository's
    // Python files it loads beside it where it loads some.
    const helpers = (version.loads ?? []).filter((f) => languageOfPath(f.path) === 'python');
    if (context !== undefined) toolFile = context.toolPath;
    else if (version.path === undefined || helpers.length === 0) {
      toolFile = join(dir, 'tool.py');
      writeFileSync(toolFile, version.code);
    } else {
      const root = join(dir, TREE);
      toolFile = writeTree(
        root,
        [{ path: version.path, code: version.code }, ...helpers],
        version.path,
      );
      for (let folder = dirname(toolFile); folder.startsWith(root); folder = dirname(folder))
        roots.push(folder);
    }
    command = context?.python ?? pythonExecutable();
    harness = join(dir, 'main.py');
    copyFileSync(assetPath('measure/harness/python.py'), harness);
    // Isolated (issue 23): no PYTHON* variables, no user site, no script or cwd folder on
    // sys.path, so no sitecustomize/usercustomize/.pth of the repository loads before the harness;
    // the harness puts the import roots on sys.path itself once its clocks are bound.
    extraArgs = ['-I'];
  } else {
    const tree = script?.tree;
    if (tree === undefined) {
      const code = script?.code ?? version.code;
      toolFile = join(dir, isCommonJs(code) ? 'tool.cjs' : 'tool.mjs');
      writeFileSync(toolFile, code);
    } else toolFile = writeTree(join(dir, TREE), tree.files, tree.tool);
    command = process.execPath;
    harness = join(dir, 'main.mjs');
    copyFileSync(assetPath('measure/harness/node.mjs'), harness);
    extraArgs = [
      `--max-old-space-size=${LIMITS.nodeHeapMb}`,
      '--expose-gc',
      '--no-warnings',
      // Maglev (V8's middle tier, on by default from Node 22) leaves a hot function's steady state
      // to chance under Node 24: after ~400 calls of a 50 µs loop its optimised code is dropped
      // and it runs 3–6× slower for the rest of the process, or not (docs/measurement.md). Without
      // it the tiers are Node 20's (interpreter, Sparkplug, Turbofan) and the steady state is one.
      ...(tuning.maglev ? [] : ['--no-maglev']),
      // The young generation pinned: V8 starts it at 1 MB per semi-space and doubles it by its
      // heuristics as a process runs, at moments that differ between the two versions' processes,
      // and an allocating tool's time per call moves with its size (a +5 % array builder read
      // 0.978–1.032 across runs, 1.22 at 1 MB; issue 28, docs/measurement.md). One size for
      // every child, the one bench/reference pins.
      `--min-semi-space-size=${YOUNG_GENERATION_MB}`,
      `--max-semi-space-size=${YOUNG_GENERATION_MB}`,
    ];
  }
  const configPath = join(dir, 'config.json');
  writeFileSync(
    configPath,
    JSON.stringify({
      tool_path: toolFile,
      ...(version.path === undefined ? {} : { display_path: version.path }),
      ...(script === null ? {} : { syntax_line: script.syntaxLine }),
      ...(roots.length === 0 ? {} : { import_paths: roots }),
      ...(script?.tree === undefined
        ? {}
        : {
            tree_root: join(dir, TREE),
            // Each helper's repository path and first syntax error, by its path in the tree.
            helpers: Object.fromEntries(
              script.tree.files
                .filter((f) => f.path !== script.tree!.tool)
                .map((f) => [
                  join(dir, TREE, f.path),
                  { path: f.source, syntax_line: f.syntaxLine },
                ]),
            ),
          }),
      entry: version.entry ?? null,
      mode: version.mode,
      input: version.testInput,
      memory_limit_mb: LIMITS.memoryMb,
      max_output_bytes: LIMITS.maxOutputBytes,
      // GC policy around timed samples (harness docs): align | pyperf | none; bench experiments.
      gc: tuning.gc,
      ...(context === undefined
        ? {}
        : {
            argv: context.argv,
            stdin: context.stdin,
            script_dir_on_path: true,
            import_paths: version.language === 'python' ? context.importPaths : [],
          }),
    }),
  );
  const written = [harness, configPath, ...(toolFile === context?.toolPath ? [] : [toolFile])];
  for (const file of written) chmodSync(file, 0o644);
  const inRepository = context === undefined ? {} : contextLaunch(context, version.language);
  const readOnly = [dir, ...(inRepository.readOnly ?? []), ...(launch.readOnly ?? [])];
  const sandbox = sandboxStatus(launch.sandbox ?? 'auto');
  if (version.language !== 'python')
    extraArgs = [
      ...extraArgs,
      ...nodePermissionArgs(
        readOnly,
        version.mode,
        process.versions.node,
        sandbox.kind === 'bwrap' ? ['/tmp'] : [],
      ),
    ];
  return {
    dir,
    configPath,
    command,
    args: [...extraArgs, harness, configPath],
    interpreterArgs:
      version.language === 'python'
        ? null
        : [
            ...extraArgs,
            ...INTERPRETER_FLAGS.filter((f) => !extraArgs.includes(f)),
            harness,
            configPath,
          ],
    launch: {
      ...launch,
      ...inRepository,
      env: { ...launch.env, ...inRepository.env },
      readOnly,
      // WebAssembly (undici's fetch) reserves ~10 GiB of address space: Node is bound by
      // RLIMIT_DATA alone.
      ...(version.language === 'python' ? {} : { limits: { addressSpaceMb: null } }),
    },
    sandbox,
    tuning,
  };
}

/**
 * A tool run inside its repository (src/repo-context.ts): its checkout and the venv visible
 * read-only, its working directory, its import roots on NODE_PATH (Python's: the harness puts
 * them on sys.path, as `-I` ignores PYTHONPATH).
 */
function contextLaunch(
  context: RunContext,
  language: ToolVersion['language'],
): Pick<LaunchOptions, 'cwd' | 'env' | 'readOnly'> {
  const roots = context.importPaths.join(':');
  return {
    cwd: context.cwd,
    env: roots === '' || language === 'python' ? {} : { NODE_PATH: roots },
    readOnly: context.readOnly,
  };
}

/**
 * Start a child of `prepared`; `prefix` places it (src/measure/placement.ts); `interpreted`: an
 * interpreter-only child (`interpreterArgs`; the ordinary one where there is none).
 */
export function startChild(
  prepared: PreparedVersion,
  prefix: readonly string[] = [],
  interpreted = false,
): HarnessChild {
  return new HarnessChild({
    prefix,
    command: prepared.command,
    args: interpreted ? (prepared.interpreterArgs ?? prepared.args) : prepared.args,
    maxOutputBytes: LIMITS.maxOutputBytes,
    sandbox: prepared.launch.sandbox ?? 'auto',
    readOnly: prepared.launch.readOnly,
    cwd: prepared.launch.cwd,
    env: prepared.launch.env,
    limits: prepared.launch.limits,
  });
}

export function cleanup(prepared: PreparedVersion): void {
  rmSync(prepared.dir, { recursive: true, force: true });
}
