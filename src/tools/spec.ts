/**
 * What to run for one version of a tool: its code, language, entry, mode, test input and
 * requirement. Sources, strongest first: the sidecar (`<stem>.perf.json|yaml`), the code_evolver
 * YAML (`description`, `examples[0].input`), the config's defaults. A tool that ends up with no
 * usable test input is not an error: it is skipped, with the reason.
 */
import { parse as parseYaml } from 'yaml';
import { detectLanguage } from '../core/language.js';
import type { Json, Language, RunMode } from '../core/types.js';
import { RUN_MODES } from '../core/types.js';
import type { ToolFiles } from './discover.js';
import type { Tree } from './tree.js';

export interface SpecDefaults {
  readonly testInput: Json | undefined;
  readonly mode: RunMode;
}

export interface ToolSpec {
  readonly path: string;
  readonly code: string;
  readonly language: Language;
  readonly entry: string | undefined;
  readonly mode: RunMode;
  /** undefined: none found; `skipReason` says why. */
  readonly testInput: Json | undefined;
  readonly requirement: string | null;
  /** Where the test input came from, for the report. */
  readonly inputSource: string | null;
  readonly skipReason: string | null;
}

/** A spec file that cannot be read as data: the tool is reported, not the gate failed. */
export class SpecError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(`${file}: ${message}`);
    this.name = 'SpecError';
  }
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
    const first = (error as Error).message.split('\n')[0] ?? 'unreadable';
    throw new SpecError(file, `not valid ${/\.json$/i.test(file) ? 'JSON' : 'YAML'}: ${first}`);
  }
}

function record(value: unknown): Record<string, unknown> | null {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null;
}

/** A test input as written: a JSON string is parsed (code_evolver stores them that way). */
function testInputOf(value: unknown): Json | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') {
    const text = stripBom(value).trim();
    if (/^[[{"]/.test(text) || /^-?\d/.test(text) || /^(true|false|null)$/.test(text)) {
      try {
        return JSON.parse(text) as Json;
      } catch {
        return value;
      }
    }
    return value;
  }
  return value as Json;
}

function yamlFields(data: unknown): { requirement: string | null; testInput: Json | undefined } {
  const doc = record(data) ?? {};
  const description = doc['description'];
  const examples = doc['examples'];
  const first = Array.isArray(examples) ? record(examples[0]) : null;
  let testInput: Json | undefined;
  if (first !== null) testInput = testInputOf(first['input'] ?? first['inputs']);
  return {
    requirement: typeof description === 'string' ? description.trim() : null,
    testInput,
  };
}

interface Sidecar {
  readonly requirement?: string;
  readonly testInput?: Json;
  readonly entry?: string;
  readonly mode?: RunMode;
}

function sidecarFields(data: unknown, file: string): Sidecar {
  const doc = record(data);
  if (doc === null)
    throw new SpecError(file, 'must be a mapping with requirement, test_input, entry, mode');
  const out: { requirement?: string; testInput?: Json; entry?: string; mode?: RunMode } = {};
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
    if (typeof mode !== 'string' || !(RUN_MODES as readonly string[]).includes(mode))
      throw new SpecError(file, `'mode' must be one of ${RUN_MODES.join(', ')}`);
    out.mode = mode as RunMode;
  }
  return out;
}

async function readRequired(tree: Tree, path: string): Promise<string> {
  const text = await tree.read(path);
  if (text === null) throw new SpecError(path, 'listed but unreadable');
  if (text.length > MAX_TOOL_BYTES)
    throw new SpecError(path, `larger than ${MAX_TOOL_BYTES} bytes`);
  return stripBom(text);
}

/**
 * Resolve one version of a tool. Returns null when the tool has no implementation file (a
 * YAML alone); throws SpecError when a spec file is unreadable data.
 */
export async function resolveSpec(
  files: ToolFiles,
  tree: Tree,
  defaults: SpecDefaults,
): Promise<ToolSpec | null> {
  if (files.implementation === null) return null;
  const code = await readRequired(tree, files.implementation);
  const yaml =
    files.yaml === null
      ? null
      : yamlFields(parseData(await readRequired(tree, files.yaml), files.yaml));
  const sidecar =
    files.sidecar === null
      ? null
      : sidecarFields(
          parseData(await readRequired(tree, files.sidecar), files.sidecar),
          files.sidecar,
        );

  let testInput: Json | undefined;
  let inputSource: string | null = null;
  if (sidecar?.testInput !== undefined) {
    testInput = sidecar.testInput;
    inputSource = `${files.sidecar ?? ''} test_input`;
  } else if (yaml?.testInput !== undefined) {
    testInput = yaml.testInput;
    inputSource = `${files.yaml ?? ''} examples[0]`;
  } else if (defaults.testInput !== undefined) {
    testInput = defaults.testInput;
    inputSource = 'config defaults.test_input';
  }

  const entry = sidecar?.entry;
  // code_evolver tools read JSON on stdin and print JSON: a whole process per call, unless a
  // spec names the function to call.
  const mode: RunMode =
    sidecar?.mode ?? (yaml !== null && entry === undefined ? 'executable' : defaults.mode);

  const skipReason =
    testInput === undefined
      ? `no test input: add examples[0].input to ${files.stem}.yaml, test_input to ${files.stem}.perf.json, or defaults.test_input to .perf-verdict.yml`
      : null;

  return {
    path: files.implementation,
    code,
    language: detectLanguage(code, files.implementation),
    entry,
    mode,
    testInput,
    requirement: sidecar?.requirement ?? yaml?.requirement ?? null,
    inputSource,
    skipReason,
  };
}
