/**
 * Where and how a tool runs when it runs as its repository runs it: the working directory, the
 * import roots (`PYTHONPATH` / `NODE_PATH`) and the command-line arguments its YAML's
 * `executable` block implies, or the config's `working-directory` / `python-path` for the tools
 * glob it matches. Pure: repository-relative paths in, repository-relative paths out.
 */
import picomatch from 'picomatch';
import type { PerGlob } from '../config/config.js';
import type { Json } from '../domain/types.js';
import type { ToolSpec } from './spec.js';

export interface ContextSettings {
  readonly workingDirectory: readonly PerGlob<string>[];
  readonly pythonPath: readonly PerGlob<readonly string[]>[];
}

export interface ContextPlan {
  /** Working directory, repository-relative (`.` for the root). */
  readonly cwd: string;
  /** Import roots, repository-relative. */
  readonly importPaths: readonly string[];
  /** Arguments after the script, as written (`{tool_dir}`, `{field}` still in them). */
  readonly args: readonly string[];
  /** The tool's folder, repository-relative: what `{tool_dir}` stands for. */
  readonly toolDir: string;
  /** Why it runs in a checkout (for the log). */
  readonly why: string;
}

function matching<T>(settings: readonly PerGlob<T>[], path: string): T | undefined {
  for (const s of settings) if (picomatch(s.glob, { dot: true })(path)) return s.value;
  return undefined;
}

/**
 * The directory code_evolver runs its tools from: the one holding the `tools` folder the tool
 * lives under (`code_evolver/tools/executable/x.py` → `code_evolver`), else the root.
 */
function defaultWorkingDirectory(path: string): string {
  const parts = path.split('/');
  const at = parts.lastIndexOf('tools', parts.length - 2);
  return at <= 0 ? '.' : parts.slice(0, at).join('/');
}

/**
 * How a tool runs in a checkout of its commit, or null when it runs as a lone file (no
 * `executable` block, no working-directory / python-path setting for it).
 */
export function planContext(spec: ToolSpec, settings: ContextSettings): ContextPlan | null {
  const configuredCwd = matching(settings.workingDirectory, spec.path);
  const configuredPath = matching(settings.pythonPath, spec.path);
  if (spec.executable === null && configuredCwd === undefined && configuredPath === undefined)
    return null;
  const cwd = configuredCwd ?? defaultWorkingDirectory(spec.path);
  const toolDir = spec.path.includes('/') ? spec.path.slice(0, spec.path.lastIndexOf('/')) : '.';
  const args = spec.executable?.args ?? [];
  const script = args.findIndex((a) => /\{tool_dir\}[\\/]/.test(a));
  return {
    cwd,
    importPaths: configuredPath ?? [cwd],
    args: script === -1 ? [] : args.slice(script + 1),
    toolDir,
    why:
      spec.executable !== null
        ? `executable: ${spec.executable.command} ${args.join(' ')}`.trim()
        : 'working-directory / python-path setting',
  };
}

/**
 * The arguments as code_evolver's runner (`ToolsManager.invoke_executable_tool`) builds them: each
 * `{key}` of its substitutions is replaced by the value's text, every other brace stays as
 * written. Its substitutions: `{tool_dir}` (the tool's folder), `{source_file}` and
 * `{evolved_file}` (empty unless given), and every keyword its caller passes — here the input:
 * `{input_json}` the whole input as JSON, `{prompt}` the input (a string as is, else JSON; the
 * runner also sends it on stdin), and `{field}` each field of an object input (a string as is,
 * else JSON). A field of the input named like a runner keyword wins, as a caller's keyword does.
 */
export function expandArgs(args: readonly string[], toolDir: string, input: Json): string[] {
  const asText = (value: Json): string =>
    typeof value === 'string' ? value : JSON.stringify(value);
  const fields =
    input !== null && typeof input === 'object' && !Array.isArray(input)
      ? (input as Record<string, Json>)
      : {};
  const substitutions = new Map<string, string>([
    ['source_file', ''],
    ['evolved_file', ''],
    ['input_json', JSON.stringify(input)],
    ['prompt', asText(input)],
    ...Object.entries(fields).map(([key, value]): [string, string] => [key, asText(value)]),
    ['tool_dir', toolDir],
  ]);
  return args.map((arg) =>
    arg.replace(/\{(\w+)\}/g, (whole, name: string) => substitutions.get(name) ?? whole),
  );
}
