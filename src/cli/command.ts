import { parseArgs } from 'node:util';
import type { z } from 'zod';
import { errorMessage, InputError } from '../domain/errors.js';
import type { Flag } from './flags.js';

/** What a command gets from the entry. Commands never touch `process` themselves. */
export interface CliIo {
  readStdin(): Promise<string>;
  stdout(text: string): void;
  stderr(text: string): void;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  /** stderr is a terminal: progress may redraw one line. */
  readonly stderrIsTTY?: boolean;
}

export type ExitCode = 0 | 1 | 2;

interface CommandResult {
  /** A JSON value (printed as JSON) or text (printed as is). */
  readonly output: unknown;
  readonly exitCode: ExitCode;
}

export interface Command {
  readonly name: string;
  readonly aliases?: readonly string[];
  readonly summary: string;
  /** `--help`: the usage line and what the command does; the router adds the flags. */
  readonly help: string;
  /** Every flag the command accepts (src/cli/flags.ts). */
  readonly flags: readonly Flag[];
  run(args: readonly string[], io: CliIo): Promise<CommandResult>;
}

/** Levenshtein distance, for "did you mean" on a typo'd field or flag. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(
        (previous[j] ?? 0) + 1,
        (current[j - 1] ?? 0) + 1,
        (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** The known name nearest to `name`, when it is within edit distance 2. */
export function nearest(name: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of known) {
    const d = editDistance(name, candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

/** Keys every command accepts beside its own: the guide puts the command's name in its input. */
const ALWAYS_ACCEPTED = ['command'];

interface SchemaNode {
  readonly def?: { readonly type?: string; readonly innerType?: SchemaNode };
  readonly shape?: Readonly<Record<string, SchemaNode>>;
}

/** The object shape behind optional / nullable wrappers, when the schema is an object. */
function shapeOf(schema: SchemaNode | undefined): Readonly<Record<string, SchemaNode>> | null {
  let node = schema;
  for (let depth = 0; node !== undefined && depth < 5; depth++) {
    const type = node.def?.type;
    if (type === 'object') return node.shape ?? null;
    if (type !== 'optional' && type !== 'nullable' && type !== 'default') return null;
    node = node.def?.innerType;
  }
  return null;
}

/**
 * Fields the schema does not know. One within edit distance 2 of a known field is a typo: an
 * error naming both. Any other is reported on stderr and ignored. Nested objects are checked too.
 */
function checkUnknownFields(
  value: unknown,
  schema: SchemaNode,
  warn: (message: string) => void,
  path = '',
): void {
  const shape = shapeOf(schema);
  // An object schema with no fields is free-form (e.g. old_version_data.metadata).
  if (shape === null || Object.keys(shape).length === 0) return;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return;
  const known = Object.keys(shape);
  for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
    const field = path === '' ? key : `${path}.${key}`;
    if (key in shape) {
      checkUnknownFields(child, shape[key]!, warn, field);
      continue;
    }
    if (path === '' && ALWAYS_ACCEPTED.includes(key)) continue;
    const guess = nearest(key, known);
    if (guess !== undefined) {
      const where = path === '' ? guess : `${path}.${guess}`;
      throw new InputError(`unknown field '${field}': did you mean '${where}'?`, field);
    }
    warn(`warning: unknown field '${field}' ignored (known: ${known.join(', ')})`);
  }
}

/**
 * Parse stdin text as JSON and validate it; errors name the field. A typo'd field name is an
 * error naming the field meant; other unknown fields are a warning through `io.stderr`.
 */
export function parseJsonInput<T>(
  text: string,
  schema: z.ZodType<T>,
  io?: Pick<CliIo, 'stderr'>,
): T {
  let value: unknown;
  if (text.trim() === '') throw new InputError('expected a JSON object on stdin but got nothing');
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new InputError(`stdin is not valid JSON: ${errorMessage(error)}`);
  }
  checkUnknownFields(value, schema, (m) => io?.stderr(`${m}\n`));
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  if (issue === undefined) throw new InputError('input does not match the expected shape');
  const field = issue.path.map(String).join('.');
  if (field === '') throw new InputError(`input: ${issue.message}`);
  const missing = getPath(value, issue.path) === undefined;
  throw new InputError(
    missing ? `field '${field}' is required` : `field '${field}': ${issue.message}`,
    field,
  );
}

function getPath(value: unknown, path: readonly PropertyKey[]): unknown {
  let current = value;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

/** The option as the user typed it (`--bugdet`, `--budget=abc`, `-x`), for error messages. */
function typed(args: readonly string[], matches: (name: string) => boolean): string | undefined {
  for (const arg of args) {
    if (arg === '--') return undefined;
    if (!arg.startsWith('-') || arg === '-') continue;
    const name = arg.replace(/^--?/, '').split('=')[0] ?? '';
    if (matches(name)) return arg.split('=')[0];
  }
  return undefined;
}

export interface ParsedFlags {
  /** Values by the flag's name (an alias's value under the flag's own name). */
  readonly flags: Readonly<Record<string, string>>;
  readonly switches: Readonly<Record<string, boolean>>;
  readonly positional: readonly string[];
}

function parseError(error: unknown, args: readonly string[], specs: readonly Flag[]): InputError {
  const names = specs.flatMap((f) => [f.name, ...(f.aliases ?? [])]);
  const isSwitch = (name: string): boolean =>
    specs.some((f) => f.value === null && f.name === name);
  const code = (error as { code?: string }).code;
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const flag = typed(args, (n) => !names.includes(n)) ?? String(error);
    const guess = nearest(flag.replace(/^--?/, ''), names);
    const hint =
      guess !== undefined
        ? `did you mean '--${guess}'?`
        : names.length === 0
          ? 'this command takes no options'
          : `known: ${names.map((k) => `--${k}`).join(', ')}`;
    return new InputError(`unknown option '${flag}' (${hint})`, flag.replace(/^--?/, ''));
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    const flag =
      args
        .find((arg, i) => {
          const [name = '', value] = arg.replace(/^--?/, '').split('=');
          if (!arg.startsWith('-')) return false;
          if (isSwitch(name)) return value !== undefined;
          const next = args[i + 1];
          return (
            names.includes(name) &&
            value === undefined &&
            (next === undefined || next.startsWith('-'))
          );
        })
        ?.split('=')[0] ?? 'option';
    const name = flag.replace(/^--?/, '');
    return new InputError(
      isSwitch(name) ? `option '${flag}' takes no value` : `option '${flag}' needs a value`,
      name,
    );
  }
  return new InputError((error as Error).message);
}

/**
 * Parse `--name value` / `--name=value` flags (node's util.parseArgs, strict): only `specs` are
 * accepted, under their names and aliases; a switch takes no value; at most `maxPositional`
 * arguments. Errors name the flag as typed, with a did-you-mean.
 */
export function parseFlags(
  args: readonly string[],
  specs: readonly Flag[],
  maxPositional = 0,
): ParsedFlags {
  const options: Record<string, { type: 'string' | 'boolean' }> = {};
  for (const spec of specs)
    for (const name of [spec.name, ...(spec.aliases ?? [])])
      options[name] = { type: spec.value === null ? 'boolean' : 'string' };
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: [...args], options, allowPositionals: true, strict: true });
  } catch (error) {
    throw parseError(error, args, specs);
  }
  const flags: Record<string, string> = {};
  const switches: Record<string, boolean> = {};
  for (const spec of specs) {
    const given = [spec.name, ...(spec.aliases ?? [])].filter(
      (n) => parsed.values[n] !== undefined,
    );
    if (given.length > 1)
      throw new InputError(
        `options ${given.map((n) => `'--${n}'`).join(' and ')} are the same option: give one`,
        spec.name,
      );
    const value = given[0] === undefined ? undefined : parsed.values[given[0]];
    if (typeof value === 'string') flags[spec.name] = value;
    else if (typeof value === 'boolean') switches[spec.name] = value;
  }
  const positional = [...parsed.positionals];
  if (positional.length > maxPositional)
    throw new InputError(`unexpected argument '${positional[maxPositional] ?? ''}'`);
  return { flags, switches, positional };
}
