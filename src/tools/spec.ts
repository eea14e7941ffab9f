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
import { z } from 'zod';
import { detectLanguage } from '../domain/language.js';
import type { Json, Language, CallStyle, TestCase } from '../domain/types.js';
import { CALL_STYLES } from '../domain/types.js';
import type { ChangedTool, ToolFiles } from './discover.js';
import {
  exampleCases,
  mapping,
  schemaFields,
  stripBom,
  synthesiseInput,
  testInputOf,
} from './examples.js';
import type { ExampleCases } from './examples.js';
import { loadedFiles } from './imports.js';
import type { LoadedFiles } from '../domain/types.js';
import type { Tree } from './tree.js';
import { errorFirstLine, errorMessage } from '../domain/errors.js';
import { SYNTHESISED_SOURCE } from '../report/model.js';

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
  /** Every test input, first one first: the answers are compared on each (a new tool runs each). */
  readonly testInputs: readonly Json[];
  /** Every test case: `testInputs` with the output each example states, where it states one. */
  readonly cases: readonly TestCase[];
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
  /** The repository files it loads with itself (its local imports), analysed with it. */
  readonly loads: LoadedFiles;
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

/**
 * The inputs both versions run on: the head's examples, else the base's, each with the output
 * it states; else why there is none.
 */
export function sharedTestCases(
  head: ToolSpec,
  base: ToolSpec | null,
): { readonly cases: readonly TestCase[] } | { readonly missing: string } {
  const from = head.cases.length > 0 ? head : base;
  if (from === null || from.cases.length === 0)
    return { missing: head.skipReason ?? 'no test input' };
  return { cases: from.cases };
}

const MAX_TOOL_BYTES = 1024 * 1024;

function parseData(text: string, file: string): unknown {
  const clean = stripBom(text);
  try {
    return /\.json$/i.test(file) ? JSON.parse(clean) : parseYaml(clean);
  } catch (error) {
    const first = errorFirstLine(error) || 'unreadable';
    throw new SpecError(file, `not valid ${/\.json$/i.test(file) ? 'JSON' : 'YAML'}: ${first}`);
  }
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
}

interface YamlFields {
  readonly requirement: string | null;
  readonly type: string | null;
  /** The examples that are inputs fitting the input schema. */
  readonly cases: ExampleCases['cases'];
  /** Examples that are not inputs for this schema, and why. */
  readonly unfit: readonly string[];
  readonly synthesised: Json | undefined;
  readonly executable: ExecutableSpec | null;
  /** Repository path of the script the executable block or `execution.entry_point` names. */
  readonly script: string | null;
  readonly dependencies: readonly string[];
}

/** A list of non-empty strings, or one string; anything else is none. */
const StringList = z
  .union([z.string().transform((s) => [s]), z.array(z.unknown())])
  .optional()
  .catch(undefined)
  .transform((list) =>
    (list ?? []).filter((v): v is string => typeof v === 'string' && v.trim() !== ''),
  )
  .transform((list) => list.map((v) => v.trim()));

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

/**
 * The YAML's `executable` block: a command and its args (scalars, as text). `stdin_mode` is not
 * read: code_evolver's runner never reads it either, it sends the input on stdin to every
 * executable tool (tools/context.ts, `stdinText`).
 */
const ExecutableBlock = z.object({
  command: z.string(),
  args: z
    .array(z.union([z.string(), z.number(), z.boolean()]))
    .catch([])
    .optional(),
  dependencies: StringList,
});

/** A code_evolver YAML as the spec reads it: every key loose, a wrong type is as if absent. */
const ToolYaml = z.object({
  description: z.string().optional().catch(undefined),
  type: z.string().optional().catch(undefined),
  input_schema: z.unknown().optional(),
  inputs: z.unknown().optional(),
  parameters: z.unknown().optional(),
  examples: z.unknown().optional(),
  executable: z.unknown().optional(),
  execution: z
    .object({ entry_point: z.string().optional().catch(undefined) })
    .optional()
    .catch(undefined),
  dependencies: StringList,
  requirements: StringList,
});

function executableOf(value: unknown): ExecutableSpec | null {
  const parsed = ExecutableBlock.safeParse(value);
  if (!parsed.success) return null;
  const e = parsed.data;
  return {
    command: e.command.trim(),
    args: (e.args ?? []).map((a) => String(a)),
  };
}

/** The script an `executable.args` entry names (`{tool_dir}/x.py`), or `execution.entry_point`. */
function scriptOf(
  executable: ExecutableSpec | null,
  entryPoint: string | undefined,
  yamlPath: string,
  files: readonly string[],
): string | null {
  const folder = yamlPath.includes('/') ? yamlPath.slice(0, yamlPath.lastIndexOf('/')) : '';
  for (const arg of executable?.args ?? []) {
    const m = /^\{tool_dir\}[\\/](.+\.(py|js|mjs|ts|mts))$/i.exec(arg.trim());
    if (m === null) continue;
    const candidate = normalise(`${folder}/${m[1]!.replace(/\\/g, '/')}`);
    if (candidate !== null && files.includes(candidate)) return candidate;
    break;
  }
  if (entryPoint !== undefined && /\.(py|js|mjs|ts|mts)$/i.test(entryPoint)) {
    const ep = normalise(entryPoint.replace(/\\/g, '/'));
    if (ep !== null) return files.find((f) => f === ep || f.endsWith(`/${ep}`)) ?? null;
  }
  return null;
}

function yamlFields(data: unknown, yamlPath: string, files: readonly string[]): YamlFields {
  const doc = ToolYaml.parse(mapping(data) ?? {});
  const schema = schemaFields(doc.input_schema ?? doc.inputs ?? doc.parameters);
  const { cases, unfit } = exampleCases(doc.examples, schema);
  const executable = executableOf(doc.executable);
  return {
    requirement: doc.description?.trim() ?? null,
    type: doc.type?.trim().toLowerCase() ?? null,
    cases,
    unfit,
    synthesised: cases.length === 0 ? synthesiseInput(schema) : undefined,
    executable,
    script: scriptOf(executable, doc.execution?.entry_point, yamlPath, files),
    dependencies: [
      ...doc.dependencies,
      ...doc.requirements,
      ...(ExecutableBlock.safeParse(doc.executable).data?.dependencies ?? []),
    ],
  };
}

interface Sidecar {
  readonly requirement?: string;
  readonly testInput?: Json;
  readonly entry?: string;
  readonly mode?: CallStyle;
}

/** A sidecar (`<stem>.perf.json|yaml`): a mapping; each key it has must be of its type. */
const SidecarFile = z.object(
  {
    requirement: z.string({ error: "'requirement' must be a string" }).optional(),
    test_input: z.unknown().optional(),
    entry: z
      .string({ error: "'entry' must be a function name" })
      .regex(/^[A-Za-z_$][\w$]*$/, { error: "'entry' must be a function name" })
      .optional(),
    mode: z
      .enum(CALL_STYLES, { error: `'mode' must be one of ${CALL_STYLES.join(', ')}` })
      .optional(),
  },
  { error: 'must be a mapping with requirement, test_input, entry, mode' },
);

function sidecarFields(data: unknown, file: string): Sidecar {
  const parsed = SidecarFile.safeParse(data === null || Array.isArray(data) ? undefined : data);
  if (!parsed.success)
    throw new SpecError(file, parsed.error.issues[0]?.message ?? 'unreadable sidecar');
  const doc = parsed.data;
  const input = testInputOf(doc.test_input);
  return {
    ...(doc.requirement === undefined ? {} : { requirement: doc.requirement.trim() }),
    ...(input === undefined ? {} : { testInput: input }),
    ...(doc.entry === undefined ? {} : { entry: doc.entry }),
    ...(doc.mode === undefined ? {} : { mode: doc.mode }),
  };
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

/** The test cases one version runs on, where they come from, and whether they were synthesised. */
function chooseCases(
  files: ToolFiles,
  yaml: YamlFields | null,
  sidecar: Sidecar | null,
  defaults: SpecDefaults,
): { cases: readonly TestCase[]; inputSource: string | null; synthesised: boolean } {
  if (sidecar?.testInput !== undefined)
    return {
      cases: [{ input: sidecar.testInput }],
      inputSource: `${files.sidecar ?? ''} test_input`,
      synthesised: false,
    };
  const yamlFile = files.yaml ?? '';
  if (yaml !== null && yaml.cases.length > 0)
    return {
      cases: yaml.cases.map(({ input, expected }) =>
        expected === undefined ? { input } : { input, expected },
      ),
      inputSource:
        yaml.cases.length === 1
          ? `${yamlFile} examples[${yaml.cases[0]!.index}]`
          : `${yamlFile} examples (${yaml.cases.length} inputs, each run)`,
      synthesised: false,
    };
  if (defaults.testInput !== undefined)
    return {
      cases: [{ input: defaults.testInput }],
      inputSource: 'config defaults.test_input',
      synthesised: false,
    };
  if (yaml?.synthesised !== undefined) {
    const why =
      yaml.unfit.length === 0 ? '' : ` (no example fits it: ${yaml.unfit.slice(0, 2).join('; ')})`;
    return {
      cases: [{ input: yaml.synthesised }],
      inputSource: `${SYNTHESISED_SOURCE}${why}`,
      synthesised: true,
    };
  }
  return { cases: [], inputSource: null, synthesised: false };
}

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

  const { cases, inputSource, synthesised } = chooseCases(files, yaml, sidecar, defaults);
  const testInputs = cases.map((c) => c.input);

  const entry = sidecar?.entry;
  // code_evolver tools read JSON on stdin and print JSON: a whole process per call, unless a
  // spec names the function to call.
  const mode: CallStyle =
    sidecar?.mode ?? (yaml !== null && entry === undefined ? 'executable' : defaults.mode);

  const skipReason =
    testInputs.length === 0
      ? `no test input: add examples[0].input (or an input_schema) to ${files.stem}.yaml, test_input to ${files.stem}.perf.json, or defaults.test_input to .perf-verdict.yml`
      : null;

  const language = detectLanguage(code, implementation);
  return {
    kind: 'code',
    spec: {
      path: implementation,
      code,
      language,
      entry,
      mode,
      testInput: testInputs[0],
      testInputs,
      cases,
      synthesised,
      requirement: sidecar?.requirement ?? yaml?.requirement ?? null,
      inputSource,
      skipReason,
      yaml: files.yaml,
      executable: yaml?.executable ?? null,
      dependencies: yaml?.dependencies ?? [],
      loads: await loadedFiles(tree, { path: implementation, code, language }),
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
