import type { z } from 'zod';
import { errorMessage, InputError } from '../core/errors.js';
import { SANDBOX_MODES } from '../core/types.js';
import type { SandboxMode } from '../core/types.js';

/** What a command gets from the entry. Commands never touch `process` themselves. */
export interface CliIo {
  readStdin(): Promise<string>;
  stdout(text: string): void;
  stderr(text: string): void;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
}

export type ExitCode = 0 | 1 | 2;

export interface CommandResult {
  /** A JSON value (printed as JSON) or text (printed as is). */
  readonly output: unknown;
  readonly exitCode: ExitCode;
}

export interface Command {
  readonly name: string;
  readonly aliases?: readonly string[];
  readonly summary: string;
  /** Full `--help` text. */
  readonly help: string;
  run(args: readonly string[], io: CliIo): Promise<CommandResult>;
}

/** Parse stdin text as JSON and validate it; errors name the field. */
export function parseJsonInput<T>(text: string, schema: z.ZodType<T>): T {
  let value: unknown;
  if (text.trim() === '') throw new InputError('expected a JSON object on stdin but got nothing');
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new InputError(`stdin is not valid JSON: ${errorMessage(error)}`);
  }
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

/** The `--sandbox` flag: auto (default), required or off. */
export function sandboxFlag(value: string | undefined): SandboxMode {
  if (value === undefined) return 'auto';
  if ((SANDBOX_MODES as readonly string[]).includes(value)) return value as SandboxMode;
  throw new InputError(
    `option '--sandbox' must be one of ${SANDBOX_MODES.join(', ')} but got '${value}'`,
    'sandbox',
  );
}

/** Parse `--name value` / `--name=value` flags; positional arguments are returned in order. */
export function parseFlags(
  args: readonly string[],
  known: readonly string[],
): { flags: Record<string, string>; positional: string[] } {
  const flags: Record<string, string> = {};
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
    if (!known.includes(name))
      throw new InputError(
        `unknown option '--${name}' (known: ${known.map((k) => `--${k}`).join(', ')})`,
        name,
      );
    if (eq !== -1) flags[name] = arg.slice(eq + 1);
    else {
      const next = args[i + 1];
      if (next === undefined || next.startsWith('--'))
        throw new InputError(`option '--${name}' needs a value`, name);
      flags[name] = next;
      i++;
    }
  }
  return { flags, positional };
}
