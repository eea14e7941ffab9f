/**
 * Test inputs from a code_evolver YAML: every example shape the repository uses, kept only when it
 * fits the tool's declared input schema, and an input synthesised from that schema when no
 * example fits. Pure: data in, data out; every shape is read through a zod schema.
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
 * An entry's `expected_output` / `output` / `expected` / `expected_result` is its expected output.
 *
 * Schemas (`input_schema`, `inputs`, `parameters`): a mapping of field → spec (or `"type - text"`),
 * a JSON-schema object (`properties` + `required`), or a list of `{name, type, …}`.
 */
import { z } from 'zod';
import type { Json, TestCase } from '../domain/types.js';

type Obj = Record<string, unknown>;

const ObjectShape = z.record(z.string(), z.unknown());

/** The value as a plain mapping, or null (arrays, scalars and null are not mappings). */
export function mapping(value: unknown): Obj | null {
  const parsed = ObjectShape.safeParse(value);
  return parsed.success ? parsed.data : null;
}

/** The text without a leading byte-order mark. */
export function stripBom(text: string): string {
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

/** Keys of an example entry that hold its expected output, first found wins. */
const EXPECTED_KEYS = ['expected_output', 'expected', 'expected_result', 'output'] as const;

/** Keys of an example entry that describe it rather than being part of its input. */
const ENTRY_METADATA = new Set<string>([
  ...EXPECTED_KEYS,
  'name',
  'title',
  'description',
  'desc',
  'outputs',
  'result',
  'response',
  'returns',
  'notes',
  'note',
  'comment',
  'explanation',
  'tags',
]);

/** The keys of an entry that hold its input, first found wins. */
const INPUT_KEYS = ['input', 'inputs', 'test_input', 'args', 'arguments'] as const;

/** An example entry that is a mapping: its known keys read loosely, the rest kept. */
const ExampleEntry = z
  .object({
    operation: z.string().optional().catch(undefined),
    params: ObjectShape.optional().catch(undefined),
    parameters: ObjectShape.optional().catch(undefined),
    request: ObjectShape.optional().catch(undefined),
    usage: z.string().optional().catch(undefined),
  })
  .loose();

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
          const parsed = mapping(JSON.parse(text.slice(start, i + 1)));
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

/** One example entry → its input, or undefined when it holds none. */
function exampleInput(entry: unknown, schema: readonly SchemaField[]): Json | undefined {
  if (typeof entry === 'string') {
    const parsed = testInputOf(entry);
    if (typeof parsed !== 'string') return parsed;
    const strings = schema.filter((f) => f.required && (f.type ?? 'string') === 'string');
    return strings.length === 1 ? { [strings[0]!.name]: parsed } : parsed;
  }
  const parsed = ExampleEntry.safeParse(entry);
  if (!parsed.success) return entry === undefined || entry === null ? undefined : (entry as Json);
  const e = parsed.data;
  for (const key of INPUT_KEYS) {
    if (e[key] !== undefined && e[key] !== null) return testInputOf(e[key]);
  }
  const params = e.params ?? e.parameters ?? e.request;
  if (e.operation !== undefined && params !== undefined) {
    return { operation: e.operation, ...params };
  }
  const fields: Obj = {};
  for (const [key, value] of Object.entries(e)) {
    if (!ENTRY_METADATA.has(key) && key !== 'usage' && value !== undefined) fields[key] = value;
  }
  if (Object.keys(fields).length > 0) return fields as Json;
  if (e.usage !== undefined) {
    const found = firstJsonObject(e.usage);
    if (found !== null) return found as Json;
  }
  return undefined;
}

/** The expected output an example entry states, if any. */
function expectedOf(entry: unknown): TestCase['expected'] {
  const e = mapping(entry);
  if (e === null) return undefined;
  for (const key of EXPECTED_KEYS) {
    if (e[key] !== undefined) return { value: testInputOf(e[key]) ?? null };
  }
  return undefined;
}

/** What a YAML's examples give: the cases that fit its schema, and the entries that did not. */
export interface ExampleCases {
  /** Each with its position in `examples`. */
  readonly cases: readonly (TestCase & { readonly index: number })[];
  /** Why entries were not used as inputs (`examples[0]: a string, the schema declares fields`). */
  readonly unfit: readonly string[];
}

/** Every example that is an input fitting the schema (when one is declared), in order. */
export function exampleCases(examples: unknown, schema: readonly SchemaField[]): ExampleCases {
  const list = Array.isArray(examples) ? examples : examples === undefined ? [] : [examples];
  const cases: (TestCase & { index: number })[] = [];
  const unfit: string[] = [];
  list.forEach((entry: unknown, i) => {
    const input = exampleInput(entry, schema);
    if (input === undefined) return;
    const misfit = misfitOf(input, schema);
    if (misfit !== null) {
      unfit.push(`examples[${i}]: ${misfit}`);
      return;
    }
    const expected = expectedOf(entry);
    cases.push(expected === undefined ? { input, index: i } : { input, expected, index: i });
  });
  return { cases, unfit };
}

/** Every usable input among a YAML's examples, in order. */
export function exampleInputs(examples: unknown, schema: readonly SchemaField[]): Json[] {
  return exampleCases(examples, schema).cases.map((c) => c.input);
}

/** The JSON type words a schema field uses, checked against a value. */
function typeFits(value: unknown, type: string | null): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'number':
      return typeof value === 'number';
    case 'boolean':
      return typeof value === 'boolean';
    case 'array':
      return Array.isArray(value);
    case 'object':
      return mapping(value) !== null;
    case null:
    default:
      return true;
  }
}

const kindOf = (value: unknown): string =>
  value === null ? 'null' : Array.isArray(value) ? 'a list' : `a ${typeof value}`;

/**
 * Why an input does not fit a declared schema, or null when it fits (or nothing is declared). A
 * schema that declares fields takes a mapping: every required field present, every declared
 * field present of its type, and at least one declared field named when the input names any.
 */
export function misfitOf(input: Json, schema: readonly SchemaField[]): string | null {
  if (schema.length === 0) return null;
  const fields = mapping(input);
  if (fields === null)
    return `${kindOf(input)} where the input schema declares fields (${schema
      .slice(0, 4)
      .map((f) => f.name)
      .join(', ')})`;
  const missing = schema.filter((f) => f.required && fields[f.name] === undefined);
  if (missing.length > 0)
    return `required field${missing.length === 1 ? '' : 's'} ${missing.map((f) => f.name).join(', ')} missing`;
  for (const f of schema) {
    const value = fields[f.name];
    if (value !== undefined && value !== null && !typeFits(value, f.type))
      return `field ${f.name} is ${kindOf(value)}, the schema declares ${f.type ?? 'any'}`;
  }
  const keys = Object.keys(fields);
  if (keys.length > 0 && !keys.some((k) => schema.some((f) => f.name === k)))
    return `none of its fields (${keys.slice(0, 4).join(', ')}) is declared by the input schema`;
  return null;
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

/** A field's spec as written: every key read loosely (a wrong type is as if absent). */
const FieldSpec = z.object({
  type: z.unknown().optional(),
  required: z.unknown().optional(),
  default: z.unknown().optional(),
  enum: z.array(z.unknown()).min(1).optional().catch(undefined),
  example: z.unknown().optional(),
  examples: z.array(z.unknown()).min(1).optional().catch(undefined),
  properties: ObjectShape.optional().catch(undefined),
  name: z.string().optional().catch(undefined),
});

const requiredNames = (value: unknown): string[] => {
  const parsed = z.array(z.unknown()).safeParse(value);
  return parsed.success ? parsed.data.filter((v): v is string => typeof v === 'string') : [];
};

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
  const parsed = FieldSpec.safeParse(mapping(spec) ?? {});
  const s = parsed.success ? parsed.data : {};
  const nested = s.properties;
  const requiredList = requiredNames(mapping(spec)?.['required']);
  const example = s.example !== undefined ? s.example : s.examples?.[0];
  return {
    name,
    type: typeOf(s.type),
    required: requiredByParent || s.required === true,
    ...(s.default !== undefined ? { default: s.default } : {}),
    ...(s.enum !== undefined ? { enum: s.enum } : {}),
    ...(example !== undefined ? { example } : {}),
    ...(nested !== undefined
      ? {
          properties: Object.entries(nested).map(([k, v]) => field(k, v, requiredList.includes(k))),
        }
      : {}),
  };
}

/** A JSON-schema object: `properties` (+ `required`), of type object or untyped. */
const JsonSchemaObject = z.object({
  type: z.unknown().optional(),
  properties: ObjectShape,
  required: z.unknown().optional(),
});

/** The fields a schema declares, in order; empty when it declares none. */
export function schemaFields(schema: unknown): SchemaField[] {
  const list = z.array(z.unknown()).safeParse(schema);
  if (list.success) {
    return list.data.flatMap((entry) => {
      const name = FieldSpec.safeParse(mapping(entry) ?? {}).data?.name;
      return name === undefined ? [] : [field(name, entry, false)];
    });
  }
  const s = mapping(schema);
  if (s === null) return [];
  const jsonSchema = JsonSchemaObject.safeParse(s);
  if (jsonSchema.success && (s['type'] === 'object' || s['type'] === undefined)) {
    const required = requiredNames(jsonSchema.data.required);
    return Object.entries(jsonSchema.data.properties).map(([k, v]) =>
      field(k, v, required.includes(k)),
    );
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
