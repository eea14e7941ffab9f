/**
 * One validated, readonly Config shared by the Action and the CLI. Sources are plain data:
 * the parsed `.perf-verdict.yml` (an object) and action inputs / CLI flags (strings, where the
 * empty string means "not given"). Inputs override the file. Every error names the field and
 * shows the bad value.
 */
import { ConfigError } from './errors.js';
import type { Json, RunMode } from './types.js';
import { RUN_MODES } from './types.js';

export const MODES = ['full', 'measure', 'report', 'record'] as const;
export type Mode = (typeof MODES)[number];
export const FAIL_ON = ['reject', 'review', 'never'] as const;
export type FailOn = (typeof FAIL_ON)[number];
export const COMMENT_POLICIES = ['always', 'on-change', 'never'] as const;
export type CommentPolicy = (typeof COMMENT_POLICIES)[number];

/** Default tool globs: the code_evolver layout and plain tool files under tools/. */
export const DEFAULT_TOOL_GLOBS: readonly string[] = [
  'tools/**/*.yaml',
  'tools/**/*.yml',
  'tools/**/*.py',
  'tools/**/*.ts',
  'tools/**/*.mts',
  'tools/**/*.js',
  'tools/**/*.mjs',
];

export interface OllamaConfig {
  /** null: the rules judge only. */
  readonly host: string | null;
  readonly model: string;
  /** Expected model digest (sha256 hex); checked against /api/tags when set. */
  readonly digest: string | null;
  readonly headers: Readonly<Record<string, string>>;
  readonly timeoutSeconds: number;
}

export interface Shard {
  readonly index: number;
  readonly total: number;
}

export interface Config {
  readonly mode: Mode;
  readonly tools: readonly string[];
  readonly baseRef: string | null;
  readonly ollama: OllamaConfig;
  /** Per tool. */
  readonly timeBudgetSeconds: number;
  /** Confidence level of time intervals. */
  readonly confidence: number;
  /** Half-width of the "unchanged" zone around a ratio of 1. */
  readonly delta: number;
  readonly failOn: FailOn;
  readonly reviewers: readonly string[];
  readonly comment: CommentPolicy;
  readonly acceptLabel: string;
  readonly registry: string;
  readonly shard: Shard | null;
  /** Used for tools whose spec gives none. */
  readonly defaults: { readonly testInput: Json | undefined; readonly mode: RunMode };
}

/** Raw sources. `inputs` values are strings as GitHub gives them; '' means unset. */
export interface ConfigSources {
  readonly file?: unknown;
  /** Name of the file, for error messages. */
  readonly fileName?: string;
  readonly inputs?: Readonly<Record<string, string | undefined>>;
}

const FILE_KEYS = [
  'mode',
  'tools',
  'base-ref',
  'ollama-host',
  'ollama-model',
  'ollama-digest',
  'ollama-headers',
  'ollama-timeout-seconds',
  'time-budget-seconds',
  'confidence',
  'delta',
  'fail-on',
  'reviewers',
  'comment',
  'accept-label',
  'registry',
  'shard',
  'defaults',
] as const;
type Key = (typeof FILE_KEYS)[number];

/** Parse and validate configuration. Throws ConfigError naming the first bad field. */
export function parseConfig(sources: ConfigSources): Config {
  const file = readFileObject(sources.file, sources.fileName ?? '.perf-verdict.yml');
  const inputs = sources.inputs ?? {};
  const get = (key: Key): unknown => {
    const input = inputs[key];
    if (input !== undefined && input.trim() !== '') return input;
    return file[key];
  };

  const ollamaHost = optionalString(get('ollama-host'), 'ollama-host');
  if (ollamaHost !== null && !/^https?:\/\/[^\s]+$/.test(ollamaHost)) {
    throw new ConfigError('ollama-host', 'an http(s) URL', ollamaHost);
  }
  const digest = optionalString(get('ollama-digest'), 'ollama-digest');
  if (digest !== null && !/^(sha256:)?[0-9a-f]{12,64}$/.test(digest)) {
    throw new ConfigError('ollama-digest', 'a sha256 hex digest', digest);
  }

  return Object.freeze({
    mode: oneOf(get('mode') ?? 'full', 'mode', MODES),
    tools: Object.freeze(stringList(get('tools'), 'tools', DEFAULT_TOOL_GLOBS)),
    baseRef: optionalString(get('base-ref'), 'base-ref'),
    ollama: Object.freeze({
      host: ollamaHost === null ? null : ollamaHost.replace(/\/+$/, ''),
      model: optionalString(get('ollama-model'), 'ollama-model') ?? 'qwen2.5-coder:3b',
      digest: digest === null ? null : digest.replace(/^sha256:/, ''),
      headers: Object.freeze(headerMap(get('ollama-headers'), 'ollama-headers')),
      timeoutSeconds: number(
        get('ollama-timeout-seconds') ?? 60,
        'ollama-timeout-seconds',
        1,
        3600,
      ),
    }),
    timeBudgetSeconds: number(get('time-budget-seconds') ?? 20, 'time-budget-seconds', 1, 3600),
    confidence: number(get('confidence') ?? 0.99, 'confidence', 0.5, 0.9999),
    delta: number(get('delta') ?? 0.02, 'delta', 0.001, 0.5),
    failOn: oneOf(get('fail-on') ?? 'reject', 'fail-on', FAIL_ON),
    reviewers: Object.freeze(reviewerList(get('reviewers'))),
    comment: oneOf(get('comment') ?? 'always', 'comment', COMMENT_POLICIES),
    acceptLabel: optionalString(get('accept-label'), 'accept-label') ?? 'perf-verdict:accept',
    registry: relativePath(get('registry') ?? 'tools/index.json', 'registry'),
    shard: shard(get('shard')),
    defaults: Object.freeze(defaults(file['defaults'])),
  });
}

function readFileObject(file: unknown, fileName: string): Partial<Record<Key, unknown>> {
  if (file === undefined || file === null) return {};
  if (typeof file !== 'object' || Array.isArray(file)) {
    throw new ConfigError(fileName, 'a mapping of settings', file);
  }
  const record = file as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!(FILE_KEYS as readonly string[]).includes(key)) {
      throw new ConfigError(
        `${fileName}: ${key}`,
        `one of the known settings (${FILE_KEYS.join(', ')})`,
        key,
      );
    }
  }
  return record;
}

function optionalString(value: unknown, field: string): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw new ConfigError(field, 'a string', value);
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}

function oneOf<T extends string>(value: unknown, field: string, allowed: readonly T[]): T {
  const text = typeof value === 'string' ? value.trim() : value;
  if (typeof text === 'string' && (allowed as readonly string[]).includes(text)) return text as T;
  throw new ConfigError(field, `one of ${allowed.join(', ')}`, value);
}

function number(value: unknown, field: string, min: number, max: number): number {
  const parsed =
    typeof value === 'number' ? value : typeof value === 'string' ? Number(value.trim()) : NaN;
  if (!Number.isFinite(parsed) || (typeof value === 'string' && value.trim() === '')) {
    throw new ConfigError(field, 'a number', value);
  }
  if (parsed < min || parsed > max)
    throw new ConfigError(field, `a number from ${min} to ${max}`, value);
  return parsed;
}

/** A newline-separated string (action input) or a YAML list. */
function stringList(value: unknown, field: string, fallback: readonly string[]): string[] {
  if (value === undefined || value === null) return [...fallback];
  let items: unknown[];
  if (typeof value === 'string') items = value.split(/\r?\n/);
  else if (Array.isArray(value)) items = value;
  else throw new ConfigError(field, 'a list of globs (one per line)', value);
  const out: string[] = [];
  for (const item of items) {
    if (typeof item !== 'string') throw new ConfigError(field, 'a list of strings', item);
    const trimmed = item.trim();
    if (trimmed !== '' && !trimmed.startsWith('#')) out.push(trimmed);
  }
  return out.length === 0 ? [...fallback] : out;
}

function reviewerList(value: unknown): string[] {
  const names = stringList(
    typeof value === 'string' ? value.replace(/,/g, '\n') : value,
    'reviewers',
    [],
  ).map((name) => name.replace(/^@/, ''));
  for (const name of names) {
    if (!/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:\/[A-Za-z0-9._-]+)?$/.test(name)) {
      throw new ConfigError('reviewers', 'GitHub user names or org/team slugs', name);
    }
  }
  return names;
}

/** `Name: value` lines (action input) or a YAML mapping. */
function headerMap(value: unknown, field: string): Record<string, string> {
  if (value === undefined || value === null || value === '') return {};
  const out: Record<string, string> = {};
  const add = (name: string, headerValue: string, shown: unknown): void => {
    if (!/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(name) || /[\r\n]/.test(headerValue)) {
      // Never echo a header value: it is usually a secret.
      throw new ConfigError(field, "'Name: value' lines with a valid header name", shown);
    }
    out[name] = headerValue;
  };
  if (typeof value === 'string') {
    for (const line of value.split(/\r?\n/)) {
      if (line.trim() === '') continue;
      const colon = line.indexOf(':');
      if (colon <= 0) throw new ConfigError(field, "'Name: value' lines", '<redacted line>');
      add(line.slice(0, colon).trim(), line.slice(colon + 1).trim(), line.slice(0, colon).trim());
    }
    return out;
  }
  if (typeof value === 'object' && !Array.isArray(value)) {
    for (const [name, headerValue] of Object.entries(value as Record<string, unknown>)) {
      if (typeof headerValue !== 'string')
        throw new ConfigError(`${field}.${name}`, 'a string', '<redacted>');
      add(name, headerValue, name);
    }
    return out;
  }
  throw new ConfigError(field, "'Name: value' lines", typeof value);
}

/** A path inside the repository: relative, no `..` segments. */
function relativePath(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.trim() === '')
    throw new ConfigError(field, 'a relative file path', value);
  const path = value.trim();
  if (path.startsWith('/') || path.split(/[\\/]/).includes('..') || path.includes('\0')) {
    throw new ConfigError(field, 'a relative path inside the repository', value);
  }
  return path;
}

function shard(value: unknown): Shard | null {
  if (value === undefined || value === null || value === '') return null;
  const match = typeof value === 'string' ? /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(value) : null;
  if (match === null) throw new ConfigError('shard', "'i/n' with 1 <= i <= n", value);
  const index = Number(match[1]);
  const total = Number(match[2]);
  if (total < 1 || index < 1 || index > total)
    throw new ConfigError('shard', "'i/n' with 1 <= i <= n", value);
  return { index, total };
}

function defaults(value: unknown): { testInput: Json | undefined; mode: RunMode } {
  if (value === undefined || value === null) return { testInput: undefined, mode: 'function' };
  if (typeof value !== 'object' || Array.isArray(value))
    throw new ConfigError('defaults', 'a mapping', value);
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (key !== 'test_input' && key !== 'mode') {
      throw new ConfigError(`defaults.${key}`, 'one of test_input, mode', key);
    }
  }
  return {
    testInput: record['test_input'] as Json | undefined,
    mode: oneOf(record['mode'] ?? 'function', 'defaults.mode', RUN_MODES),
  };
}
