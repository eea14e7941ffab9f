/**
 * Typed errors. Engines throw these; only the entries (src/cli, src/action) turn them into
 * exit codes and messages. `kind` is the stable machine-readable tag printed in error objects.
 */
export type ErrorKind =
  | 'invalid_input'
  | 'unknown_command'
  | 'config'
  | 'git'
  | 'registry'
  | 'tool'
  | 'github'
  | 'internal';

export class PerfVerdictError extends Error {
  readonly kind: ErrorKind;
  /** Field or file the error is about, when there is one. */
  readonly field: string | undefined;
  constructor(kind: ErrorKind, message: string, field?: string) {
    super(message);
    this.name = 'PerfVerdictError';
    this.kind = kind;
    this.field = field;
  }
}

/** Bad stdin JSON, a missing or mistyped field. */
export class InputError extends PerfVerdictError {
  constructor(message: string, field?: string) {
    super('invalid_input', message, field);
    this.name = 'InputError';
  }
}

/** A configuration value that does not parse: names the field and shows the value. */
export class ConfigError extends PerfVerdictError {
  constructor(field: string, expected: string, value: unknown) {
    super('config', `'${field}' must be ${expected} but got ${showValue(value)}`, field);
    this.name = 'ConfigError';
  }
}

/**
 * Code the gate could not parse within its deadline, or whose parse ended the parser's thread
 * (src/analyze/script-worker.ts): it is not analysed, and not run.
 */
export class UnparsableCode extends PerfVerdictError {
  constructor(message: string) {
    super('tool', message);
    this.name = 'UnparsableCode';
  }
}

/** The message of anything thrown: an Error's message, else its string form. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The first line of `errorMessage` (YAML and git errors go on with context lines). */
export function errorFirstLine(error: unknown): string {
  return errorMessage(error).trim().split('\n')[0] ?? '';
}

/** Render a bad value for an error message: short, single line, quoted. */
function showValue(value: unknown): string {
  let text: string;
  if (typeof value === 'string') text = `'${value}'`;
  else if (value === undefined) text = 'nothing';
  else {
    try {
      text = JSON.stringify(value) ?? typeof value;
    } catch {
      text = typeof value;
    }
  }
  text = text.replace(/[\r\n]+/g, '\\n');
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

/**
 * A schema issue's path as the error messages name a field: `tools[1].comparison.time.ratio`,
 * `$` for the whole document.
 */
export function fieldPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '$';
  return path
    .map((key, i) => (typeof key === 'number' ? `[${key}]` : `${i === 0 ? '' : '.'}${String(key)}`))
    .join('');
}
