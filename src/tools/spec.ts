/**
 * What to run for one version of a tool: its code, language, entry, mode, test inputs and
 * requirement. Sources, strongest first: the sidecar (`<stem>.perf.json|yaml`), the code_evolver
 * YAML (`description`, every example in `examples`, see examples.ts), the config's defaults, an
 * input synthesised from the YAML's `input_schema`. A tool that ends up with no usable test input
 * is not an error: it is skipped, with the reason. A YAML whose `type` is a definition type
 * (llm, openapi, mcp, workflow, …) or that has no implementation is a definition, not code. The
 * implementation is the file an `executable.args` entry names (`{tool_dir}/x.py`), else
 * `execution.entry_point`, else the file beside the YAML with its stem.
 */
import { parse as parseYaml } from 'yaml';
import { detectLanguage } from '../domain/language.js';
import type { Json, Language, CallStyle } from '../domain/types.js';
import { CALL_STYLES } from '../domain/types.js';
import type { ChangedTool, ToolFiles } from './discover.js';
import { exampleInputs, schemaFields, synthesiseInput, testInputOf } from './examples.js';
import type { Tree } from './tree.js';
import { errorFirstLine, errorMessage } from '../domain/errors.js';

export interface SpecDefaults {
  readonly testInput: Json | undefined;
  readonly mode: CallStyle;
}

export interface ToolSpec {
  readonly path: string;
  readonly code: string;
  readonly language: Language;
  readonly entry: string | undefined;
  readonly mode: CallStyle;
  /** The first test input; undefined: none found, `skipReason` says why. */
  readonly testInput: Json | undefined;
  /** Every test input (examples rotated through the measurement), first one first. */
  readonly testInputs: readonly Json[];
  /** The input was synthesised from the YAML's input schema (no example). */
  readonly synthesised: boolean;
  readonly requirement: string | null;
  /** Where the test input came from, for the report. */
  readonly inputSource: string | null;
  readonly skipReason: string | null;
  /** The code_evolver YAML, when the tool has one. */
  readonly yaml: string | null;
  /** How the repository runs it (`executable:` in the YAML), when declared. */
  readonly executable: ExecutableSpec | null;
  /** Packages the YAML declares (`dependencies`, `requirements`). */
  readonly dependencies: readonly string[];
}

/** A spec file that cannot be read as data: the tool is reported, not the gate failed. */
class SpecError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(`${file}: ${message}`);
    this.name = 'SpecError';
  }
}

/** Why one tool could not be handled: a spec's own message, else an internal error. */
export function toolFailure(error: unknown): string {
  return error instanceof SpecError ? error.message : `internal error: ${errorMessage(error)}`;
}

/** The input both versions run on: the head's example, else the base's, else why there is none. */
export function sharedTestInput(
  head: ToolSpec,
  base: ToolSpec | null,
): { readonly input: Json } | { readonly missing: string } {
  const input = head.testInput ?? base?.testInput;
  return input === undefined ? { missing: head.skipReason ?? 'no test input' } : { input };
}

const MAX_TOOL_BYTES = 1024 * 1024;

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function parseData(text: string, file: string): unknown {
  const clean = stripBom(text);
  try {
    return /\.json$/i.test(file) ? JSON.parse(clean) : parseYaml(clean);
  } catch (error) {
    const first = errorFirstLine(error) || 'unreadable';
    throw new SpecError(file, `not valid ${/\.json$/i.test(file) ? 'JSON' : 'YAML'}: ${first}`);
  }
}

function record(value: unknown): Record<string, unknown> | null {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null;
}

/** Kinds of YAML tool that are definitions (prompts, API bindings), never code to run. */
const DEFINITION_TYPES: readonly string[] = [
  'llm',
  'openapi',
  'mcp',
  'workflow',
  'prompt',
  'agent',
];

/** How the repository runs an executable tool (`executable:` in its YAML), as written. */
interface ExecutableSpec {
  readonly command: string;
  /** Arguments as written; `{tool_dir}` is the tool's folder, `{field}` an input field. */
  readonly args: readonly string[];
  /** True when the tool reads its input as JSON on stdin (the default). */
  readonly stdinMode: boolean;
}

interface YamlFields {
  readonly requirement: string | null;
  readonly type: string | null;
  readonly inputs: readonly Json[];
  readonly synthesised: Json | undefined;
  readonly executable: ExecutableSpec | null;
  /** Repository path of the script the executable block or `execution.entry_point` names. */
  readonly script: string | null;
  readonly dependencies: readonly string[];
}

function stringList(value: unknown): string[] {
  if (typeof value === 'string') return value.trim() === '' ? [] : [value.trim()];
  if (!Array.isArray(value)) return [];
  return value.filter((v): v is string => typeof v === 'string' && v.trim() !== '');
}

/** `a/b/../c` → `a/c`; null when it leaves the repository. */
function normalise(path: string): string | null {
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length === 0) return null;
      out.pop();
    } else out.push(part);
  }
  return out.join('/');
}

function executableOf(value: unknown): ExecutableSpec | null {
  const e = record(value);
  if (e === null || typeof e['command'] !== 'string') return null;
  return {
    command: e['command'].trim(),
    args: Array.isArray(e['args']) ? e['args'].map((a) => String(a)) : [],
    stdinMode: e['stdin_mode'] !== false,
  };
}

function yamlFields(data: unknown, yamlPath: string, files: readonly string[]): YamlFields {
  const doc = record(data) ?? {};
  const description = doc['description'];
  const schema = schemaFields(doc['input_schema'] ?? doc['inputs'] ?? doc['parameters']);
  const inputs = exampleInputs(doc['examples'], schema);
  const executable = executableOf(doc['executable']);
  const folder = yamlPath.includes('/') ? yamlPath.slice(0, yamlPath.lastIndexOf('/')) : '';
  let script: string | null = null;
  for (const arg of executable?.args ?? []) {
    const m = /^\{tool_dir\}[\\/](.+\.(py|js|mjs|ts|mts))$/i.exec(arg.trim());
    if (m === null) continue;
    const candidate = normalise(`${folder}/${m[1]!.replace(/\\/g, '/')}`);
    if (candidate !== null && files.includes(candidate)) script = candidate;
    break;
  }
  const entryPoint = record(doc['execution'])?.['entry_point'];
  if (
    script === null &&
    typeof entryPoint === 'string' &&
    /\.(py|js|mjs|ts|mts)$/i.test(entryPoint)
  ) {
    const ep = normalise(entryPoint.replace(/\\/g, '/'));
    if (ep !== null) script = files.find((f) => f === ep || f.endsWith(`/${ep}`)) ?? null;
  }
  const type = typeof doc['type'] === 'string' ? doc['type'].trim().toLowerCase() : null;
  return {
    requirement: typeof description === 'string' ? description.trim() : null,
    type,
    inputs,
    synthesised: inputs.length === 0 ? synthesiseInput(schema) : undefined,
    executable,
    script,
    dependencies: [
      ...stringList(doc['dependencies']),
      ...stringList(doc['requirements']),
      ...stringList(record(doc['executable'])?.['dependencies']),
    ],
  };
}

interface Sidecar {
  readonly requirement?: string;
  readonly testInput?: Json;
  readonly entry?: string;
  readonly mode?: CallStyle;
}

function sidecarFields(data: unknown, file: string): Sidecar {
  const doc = record(data);
  if (doc === null)
    throw new SpecError(file, 'must be a mapping with requirement, test_input, entry, mode');
  const out: { requirement?: string; testInput?: Json; entry?: string; mode?: CallStyle } = {};
  const requirement = doc['requirement'];
  if (requirement !== undefined) {
    if (typeof requirement !== 'string')
      throw new SpecError(file, "'requirement' must be a string");
    out.requirement = requirement.trim();
  }
  if (doc['test_input'] !== undefined) {
    const input = testInputOf(doc['test_input']);
    if (input !== undefined) out.testInput = input;
  }
  const entry = doc['entry'];
  if (entry !== undefined) {
    if (typeof entry !== 'string' || !/^[A-Za-z_$][\w$]*$/.test(entry))
      throw new SpecError(file, "'entry' must be a function name");
    out.entry = entry;
  }
  const mode = doc['mode'];
  if (mode !== undefined) {
    if (typeof mode !== 'string' || !(CALL_STYLES as readonly string[]).includes(mode))
      throw new SpecError(file, `'mode' must be one of ${CALL_STYLES.join(', ')}`);
    out.mode = mode as CallStyle;
  }
  return out;
}

async function readRequired(tree: Tree, path: string): Promise<string> {
  const text = await tree.read(path);
  if (text === null)
    throw new SpecError(
      path,
      'listed but unreadable (missing, or a symbolic link that leaves the repository)',
    );
  if (text.length > MAX_TOOL_BYTES)
    throw new SpecError(path, `larger than ${MAX_TOOL_BYTES} bytes`);
  return stripBom(text);
}

/** A listed YAML or JSON file, parsed. */
async function readData(tree: Tree, path: string): Promise<unknown> {
  return parseData(await readRequired(tree, path), path);
}

/** A changed tool that is a definition (prompt, API binding), not code: nothing to run. */
interface DefinitionSpec {
  readonly path: string;
  /** The YAML's `type`, or null when it has none. */
  readonly type: string | null;
  readonly requirement: string | null;
}

export type ResolvedTool =
  | { readonly kind: 'code'; readonly spec: ToolSpec }
  | { readonly kind: 'definition'; readonly definition: DefinitionSpec };

/**
 * Resolve one version of a tool: its code spec, or a definition without code (a YAML whose
 * `type` is a definition type, or whose implementation cannot be found). Throws SpecError when a
 * spec file is unreadable data.
 */
export async function resolveTool(
  files: ToolFiles,
  tree: Tree,
  defaults: SpecDefaults,
): Promise<ResolvedTool> {
  const yaml =
    files.yaml === null
      ? null
      : yamlFields(await readData(tree, files.yaml), files.yaml, tree.files);
  const implementation =
    yaml?.type !== null && yaml?.type !== undefined && DEFINITION_TYPES.includes(yaml.type)
      ? null
      : (yaml?.script ?? files.implementation);
  if (implementation === null) {
    return {
      kind: 'definition',
      definition: {
        path: files.yaml ?? files.key,
        type: yaml?.type ?? null,
        requirement: yaml?.requirement ?? null,
      },
    };
  }
  const code = await readRequired(tree, implementation);
  const sidecar =
    files.sidecar === null
      ? null
      : sidecarFields(await readData(tree, files.sidecar), files.sidecar);

  let testInputs: Json[] = [];
  let inputSource: string | null = null;
  let synthesised = false;
  if (sidecar?.testInput !== undefined) {
    testInputs = [sidecar.testInput];
    inputSource = `${files.sidecar ?? ''} test_input`;
  } else if (yaml !== null && yaml.inputs.length > 0) {
    testInputs = [...yaml.inputs];
    inputSource =
      yaml.inputs.length === 1
        ? `${files.yaml ?? ''} examples[0]`
        : `${files.yaml ?? ''} examples (${yaml.inputs.length} inputs, rotated)`;
  } else if (defaults.testInput !== undefined) {
    testInputs = [defaults.testInput];
    inputSource = 'config defaults.test_input';
  } else if (yaml?.synthesised !== undefined) {
    testInputs = [yaml.synthesised];
    inputSource = 'input synthesised from input_schema';
    synthesised = true;
  }

  const entry = sidecar?.entry;
  // code_evolver tools read JSON on stdin and print JSON: a whole process per call, unless a
  // spec names the function to call.
  const mode: CallStyle =
    sidecar?.mode ?? (yaml !== null && entry === undefined ? 'executable' : defaults.mode);

  const skipReason =
    testInputs.length === 0
      ? `no test input: add examples[0].input (or an input_schema) to ${files.stem}.yaml, test_input to ${files.stem}.perf.json, or defaults.test_input to .perf-verdict.yml`
      : null;

  return {
    kind: 'code',
    spec: {
      path: implementation,
      code,
      language: detectLanguage(code, implementation),
      entry,
      mode,
      testInput: testInputs[0],
      testInputs,
      synthesised,
      requirement: sidecar?.requirement ?? yaml?.requirement ?? null,
      inputSource,
      skipReason,
      yaml: files.yaml,
      executable: yaml?.executable ?? null,
      dependencies: yaml?.dependencies ?? [],
    },
  };
}

/**
 * Resolve one version of a tool. Returns null when the tool is a definition without code;
 * throws SpecError when a spec file is unreadable data.
 */
export async function resolveSpec(
  files: ToolFiles,
  tree: Tree,
  defaults: SpecDefaults,
): Promise<ToolSpec | null> {
  return specOf(await resolveTool(files, tree, defaults));
}

/** The spec of a resolved version that has code; null for a bare definition or no version. */
export function specOf(resolved: ResolvedTool | null): ToolSpec | null {
  return resolved?.kind === 'code' ? resolved.spec : null;
}

/** Both versions of a changed tool, resolved once before anything runs (null: none at that side). */
export interface Resolution {
  readonly base: ResolvedTool | null;
  readonly head: ResolvedTool | null;
  /** A spec that could not be read as data; both sides are null then. */
  readonly error?: Error;
}

/** Resolve both versions of a changed tool; a bad spec is returned as `error`, never thrown. */
export async function resolveBoth(
  tool: ChangedTool,
  trees: { readonly base: Tree; readonly head: Tree },
  defaults: SpecDefaults,
): Promise<Resolution> {
  try {
    return {
      base: tool.base === null ? null : await resolveTool(tool.base, trees.base, defaults),
      head: tool.head === null ? null : await resolveTool(tool.head, trees.head, defaults),
    };
  } catch (error) {
    return {
      base: null,
      head: null,
      error: error instanceof Error ? error : new Error(String(error)),
    };
  }
}
