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
 * A keyword's value as the runner writes it into an argument (`str(value)`): a string as is,
 * `True` / `False` / `None`, a number as its digits. A list or mapping is written as JSON: a
 * caller that passes structured data passes it as JSON text (Python's `str` of a dict would be
 * its repr, which no tool parses).
 */
function argText(value: Json): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (value === null) return 'None';
  return typeof value === 'number' ? String(value) : JSON.stringify(value);
}

/**
 * The arguments as code_evolver's runner (`ToolsManager.invoke_executable_tool`,
 * code_evolver/src/tools_manager.py) builds them. Its substitutions, in this order: `source_file`
 * (empty from `call_tool`), `tool_dir`, `evolved_file` (empty unless the YAML names one), then
 * every keyword its caller passes; a keyword named like an earlier one replaces its value and
 * keeps its place (a Python dict). Each is replaced in every argument in turn with
 * `str.replace`, so a value holding a later `{key}` is expanded by it; any other brace stays as
 * written. The caller here passes the input: `prompt` (a text input as it is, else the input as
 * JSON; the runner also sends it on stdin, `stdinText`), `input_json` (the input as JSON: what a
 * caller of a tool that reads `json.loads(sys.argv[1])` passes), and each field of an object
 * input under its name.
 */
export function expandArgs(args: readonly string[], toolDir: string, input: Json): string[] {
  const fields =
    input !== null && typeof input === 'object' && !Array.isArray(input)
      ? (input as Record<string, Json>)
      : {};
  const substitutions = new Map<string, string>([
    ['source_file', ''],
    ['tool_dir', toolDir],
    ['evolved_file', ''],
    ['prompt', typeof input === 'string' ? input : JSON.stringify(input)],
    ['input_json', JSON.stringify(input)],
  ]);
  for (const [key, value] of Object.entries(fields)) substitutions.set(key, argText(value));
  return args.map((arg) =>
    [...substitutions].reduce((text, [key, value]) => text.split(`{${key}}`).join(value), arg),
  );
}

/**
 * The text the runner sends on stdin: the `prompt` keyword, a text input as it is (not as a JSON
 * string), a list or mapping as `json.dumps` writes it — undefined then, the harness writes it
 * with the interpreter's own JSON encoder. `stdin_mode` in the YAML changes nothing: the runner
 * never reads it (it sends the prompt on stdin to every executable tool).
 */
export function stdinText(input: Json): string | undefined {
  return typeof input === 'string' ? input : undefined;
}
