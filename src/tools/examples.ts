/**
 * Test inputs from a code_evolver YAML: every example shape the repository uses, and an input
 * synthesised from the declared input schema when there is no example. Pure: data in, data out.
 *
 * Example shapes (each entry of `examples`, in order):
 * - `{input: …}` / `{inputs: …}` (a mapping, or a JSON string holding one);
 * - `{operation: op, params: {…}}` → `{operation: op, …params}` (the flat stdin object the
 *   operation tools read);
 * - an entry holding the input fields directly (`prompt`, `sql`, `text`, …) → those fields, minus
 *   the entry's own metadata (`name`, `description`, `output`, `expected_output`, …);
 * - `{usage: "…{json}…"}` → the first JSON object in the text;
 * - a string: a JSON string is parsed, a plain string is wrapped in the schema's single required
 *   string field (else passed as is).
 *
 * Schemas (`input_schema`, `inputs`, `parameters`): a mapping of field → spec (or `"type - text"`),
 * a JSON-schema object (`properties` + `required`), or a list of `{name, type, …}`.
 */
import type { Json } from '../domain/types.js';

type Obj = Record<string, unknown>;

function record(value: unknown): Obj | null {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Obj)
    : null;
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** A test input as written: a JSON string is parsed (code_evolver stores them that way). */
export function testInputOf(value: unknown): Json | undefined {
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

/** Keys of an example entry that describe it rather than being part of its input. */
const ENTRY_METADATA = new Set([
  'name',
  'title',
  'description',
  'desc',
  'output',
  'outputs',
  'expected',
  'expected_output',
  'expected_result',
  'result',
  'response',
  'returns',
  'notes',
  'note',
  'comment',
  'explanation',
  'tags',
]);

/** The first balanced `{…}` in a text that parses as a JSON object. */
function firstJsonObject(text: string): Obj | null {
  for (let start = text.indexOf('{'); start !== -1; start = text.indexOf('{', start + 1)) {
    let depth = 0;
    let inString = false;
    for (let i = start; i < text.length; i++) {
      const c = text[i];
      if (inString) {
        if (c === '\\') i++;
        else if (c === '"') inString = false;
        continue;
      }
      if (c === '"') inString = true;
      else if (c === '{') depth++;
      else if (c === '}' && --depth === 0) {
        try {
          const parsed = record(JSON.parse(text.slice(start, i + 1)));
          if (parsed !== null) return parsed;
        } catch {
          // not JSON: try the next brace
        }
        break;
      }
    }
  }
  return null;
}

/** One example entry → a test input, or undefined when it holds none. */
function exampleInput(entry: unknown, schema: readonly SchemaField[]): Json | undefined {
  if (typeof entry === 'string') {
    const parsed = testInputOf(entry);
    if (typeof parsed !== 'string') return parsed;
    const strings = schema.filter((f) => f.required && (f.type ?? 'string') === 'string');
    return strings.length === 1 ? { [strings[0]!.name]: parsed } : parsed;
  }
  const e = record(entry);
  if (e === null) return entry === undefined || entry === null ? undefined : (entry as Json);
  for (const key of ['input', 'inputs', 'test_input', 'args', 'arguments']) {
    if (e[key] !== undefined && e[key] !== null) return testInputOf(e[key]);
  }
  const params = record(e['params'] ?? e['parameters'] ?? e['request']);
  if (typeof e['operation'] === 'string' && params !== null) {
    return { operation: e['operation'], ...params };
  }
  const fields: Obj = {};
  for (const [key, value] of Object.entries(e)) {
    if (!ENTRY_METADATA.has(key) && key !== 'usage' && value !== undefined) fields[key] = value;
  }
  if (Object.keys(fields).length > 0) return fields as Json;
  if (typeof e['usage'] === 'string') {
    const found = firstJsonObject(e['usage']);
    if (found !== null) return found as Json;
  }
  return undefined;
}

/** Every usable input among a YAML's examples, in order. */
export function exampleInputs(examples: unknown, schema: readonly SchemaField[]): Json[] {
  const list = Array.isArray(examples) ? examples : examples === undefined ? [] : [examples];
  const out: Json[] = [];
  for (const entry of list) {
    const input = exampleInput(entry, schema);
    if (input !== undefined) out.push(input);
  }
  return out;
}

// ---------------------------------------------------------------- schemas

export interface SchemaField {
  readonly name: string;
  readonly type: string | null;
  readonly required: boolean;
  readonly default?: unknown;
  readonly enum?: readonly unknown[];
  readonly example?: unknown;
  readonly properties?: readonly SchemaField[];
}

const TYPE_WORDS: Readonly<Record<string, string>> = {
  str: 'string',
  string: 'string',
  text: 'string',
  int: 'integer',
  integer: 'integer',
  float: 'number',
  number: 'number',
  double: 'number',
  bool: 'boolean',
  boolean: 'boolean',
  list: 'array',
  array: 'array',
  dict: 'object',
  object: 'object',
  mapping: 'object',
};

function typeOf(value: unknown): string | null {
  if (typeof value === 'string') return TYPE_WORDS[value.trim().toLowerCase()] ?? null;
  if (Array.isArray(value)) return typeOf(value.find((v) => v !== 'null'));
  return null;
}

function field(name: string, spec: unknown, requiredByParent: boolean): SchemaField {
  if (typeof spec === 'string') {
    // `"str - JSON configuration"`: a type word, then prose.
    const word = /^\s*([A-Za-z]+)/.exec(spec)?.[1] ?? '';
    return {
      name,
      type: typeOf(word),
      required: requiredByParent || !/optional/i.test(spec),
    };
  }
  const s = record(spec) ?? {};
  const examples = s['examples'];
  const nested = record(s['properties']);
  const requiredList = Array.isArray(s['required']) ? s['required'] : [];
  return {
    name,
    type: typeOf(s['type']),
    required: requiredByParent || s['required'] === true,
    ...(s['default'] !== undefined ? { default: s['default'] } : {}),
    ...(Array.isArray(s['enum']) && s['enum'].length > 0 ? { enum: s['enum'] } : {}),
    ...(s['example'] !== undefined
      ? { example: s['example'] }
      : Array.isArray(examples) && examples.length > 0
        ? { example: examples[0] }
        : {}),
    ...(nested !== null
      ? {
          properties: Object.entries(nested).map(([k, v]) => field(k, v, requiredList.includes(k))),
        }
      : {}),
  };
}

/** The fields a schema declares, in order; empty when it declares none. */
export function schemaFields(schema: unknown): SchemaField[] {
  if (Array.isArray(schema)) {
    return schema
      .map(record)
      .filter((s): s is Obj => s !== null && typeof s['name'] === 'string')
      .map((s) => field(s['name'] as string, s, false));
  }
  const s = record(schema);
  if (s === null) return [];
  const properties = record(s['properties']);
  if (properties !== null && (s['type'] === 'object' || s['type'] === undefined)) {
    const required = Array.isArray(s['required']) ? s['required'] : [];
    return Object.entries(properties).map(([k, v]) => field(k, v, required.includes(k)));
  }
  return Object.entries(s).map(([k, v]) => field(k, v, false));
}

function valueFor(f: SchemaField): unknown {
  if (f.default !== undefined && f.default !== null) return f.default;
  if (f.enum !== undefined) return f.enum[0];
  if (f.example !== undefined) return f.example;
  switch (f.type ?? 'string') {
    case 'integer':
      return 1;
    case 'number':
      return 1.5;
    case 'boolean':
      return true;
    case 'array':
      return [];
    case 'object':
      return f.properties === undefined ? {} : synthesise(f.properties);
    default:
      return 'sample text';
  }
}

/**
 * An input from declared fields: every default; every required field without a default gets its
 * first `enum` value, its example, or a value of its type. Undefined when nothing is declared.
 */
export function synthesiseInput(fields: readonly SchemaField[]): Json | undefined {
  if (fields.length === 0) return undefined;
  return synthesise(fields) as Json;
}

function synthesise(fields: readonly SchemaField[]): Obj {
  const out: Obj = {};
  for (const f of fields) {
    if (f.required || (f.default !== undefined && f.default !== null)) out[f.name] = valueFor(f);
  }
  return out;
}
