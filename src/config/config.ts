/**
 * One validated, readonly Config shared by the Action and the CLI.
 *
 * Precedence, for every key: an explicit action input (or CLI flag) > `.perf-verdict.yml` > the
 * built-in default. The built-in defaults live here, in SETTINGS, and nowhere else: action.yml
 * declares its inputs WITHOUT `default:` because the runner sets `INPUT_<NAME>` for every input
 * that has one, and a default there would be indistinguishable from a value the workflow set —
 * it would silently override the file. An empty input means "not given".
 *
 * ## Adding a key (one place)
 * Add one entry to SETTINGS below: `input` (an action input of the same name), `file` (a key of
 * `.perf-verdict.yml`), `default` (as README shows it), `meaning` (one line for README and
 * action.yml) and `schema` (a zod schema: raw value → typed value; `undefined` means unset → the
 * default; each issue's message says what the value must be, and `parseWith` turns the first into
 * a ConfigError naming the key and where it came from). The typed field appears on Config as the camelCased key
 * (`total-budget-seconds` → `config.totalBudgetSeconds`). Then, as test/unit/config-surface.test.ts
 * demands: an action.yml input (no `default:`) when `input: true`, and a row in README's
 * configuration table. Nothing else reads the key list.
 */
import { z } from 'zod';
import { ConfigError, PerfVerdictError } from '../domain/errors.js';
import { jsonValue } from '../domain/input-schemas.js';
import type { Json, CallStyle } from '../domain/types.js';
import { CALL_STYLES, SANDBOX_MODES, SECURITY_FAIL_ON } from '../domain/types.js';

/** The `intent` setting's values (see verdict/policy.ts). */
const INTENT_SETTINGS = ['auto', 'optimization', 'feature', 'off'] as const;

const MODES = ['full', 'measure', 'report', 'record'] as const;
const FAIL_ON = ['reject', 'review', 'never'] as const;
const COMMENT_POLICIES = ['always', 'on-change', 'never'] as const;
export type CommentPolicy = (typeof COMMENT_POLICIES)[number];

/**
 * Default tool globs: tool files (YAML specs, Python, TS/JS) under `tools/` at the root, as in a
 * repository of tools, and under `code_evolver/tools/`, code_evolver's own layout.
 */
export const DEFAULT_TOOL_GLOBS: readonly string[] = ['tools', 'code_evolver/tools'].flatMap(
  (dir) => ['yaml', 'yml', 'py', 'ts', 'mts', 'js', 'mjs'].map((ext) => `${dir}/**/*.${ext}`),
);

/** What the judge does when the model is not on the Ollama host. */
const OLLAMA_PULL = ['never', 'if-missing'] as const;
export type OllamaPull = (typeof OLLAMA_PULL)[number];

export interface OllamaConfig {
  /** null: the rules judge only. */
  readonly host: string | null;
  readonly model: string;
  /** Expected model digest (sha256 hex); checked against /api/tags when set. */
  readonly digest: string | null;
  readonly headers: Readonly<Record<string, string>>;
  readonly timeoutSeconds: number;
  /** `if-missing`: pull the model through /api/pull when the host lacks it; `never`: fall back. */
  readonly pull: OllamaPull;
  readonly pullTimeoutSeconds: number;
}

export interface Shard {
  readonly index: number;
  readonly total: number;
}

/** What to do with changed tool definitions that have no code (llm, openapi, mcp, … YAMLs). */
const DEFINITION_POLICIES = ['ignore', 'list', 'review'] as const;
const BOOLEAN = ['false', 'true'] as const;
/** What a dependency may be besides a package from the index as a wheel (src/adapters/deps.ts). */
const INSTALL_SOURCES = ['sdist', 'local', 'url', 'vcs'] as const;
export type InstallSource = (typeof INSTALL_SOURCES)[number];

/** A setting that applies to the tools a glob matches (`'**'` when given as a plain value). */
export interface PerGlob<T> {
  readonly glob: string;
  readonly value: T;
}

interface ToolDefaults {
  readonly testInput: Json | undefined;
  readonly mode: CallStyle;
}

/** One configuration key. See "Adding a key" above. */
export interface Setting<S extends z.ZodType = z.ZodType> {
  /** An action input of the same name (`with: <key>`). */
  readonly input: boolean;
  /** A key of `.perf-verdict.yml`. */
  readonly file: boolean;
  /** The built-in default as README shows it; '' when there is none (empty). */
  readonly default: string;
  /** What the key does, one sentence (README's table; action.yml's description starts with it). */
  readonly meaning: string;
  /**
   * Raw value (an input's string or a YAML value; undefined = unset) → typed value, the default
   * when unset. Each issue's message is what the value must be (`one of a, b`), as ConfigError
   * prints it after the key.
   */
  readonly schema: S;
  /** The value is a secret: an error never shows it. */
  readonly secret?: boolean;
}

const setting = <S extends z.ZodType>(spec: Setting<S>): Setting<S> => spec;

/**
 * `value` through `schema`, or a ConfigError naming `field` and, below it, the key at fault
 * (`defaults.mode`; list positions are left out, `**` — every tool — too) and showing the bad
 * value: the whole value for an issue at its top, the part at fault below it.
 */
export function parseWith<S extends z.ZodType>(
  schema: S,
  value: unknown,
  field: string,
  options: { readonly secret?: boolean | undefined } = {},
): z.output<S> {
  const result = schema.safeParse(value, { reportInput: true });
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  // A key a mapping does not know is named as the key at fault, and shown.
  const unknownKey = issue.code === 'unrecognized_keys' ? issue.keys.slice(0, 1) : [];
  const keys = [...issue.path, ...unknownKey].filter(
    (key): key is string => typeof key === 'string' && key.trim() !== '' && key !== '**',
  );
  // A record's key issue carries the key schema's message inside.
  const message =
    issue.code === 'invalid_key' ? (issue.issues[0]?.message ?? issue.message) : issue.message;
  const atTop = issue.path.length === 0 && unknownKey.length === 0;
  const shown =
    options.secret === true ? '<redacted>' : atTop ? value : (unknownKey[0] ?? issue.input);
  throw new ConfigError([field, ...keys].filter((part) => part !== '').join('.'), message, shown);
}

const trimmed = (v: unknown): unknown => (typeof v === 'string' ? v.trim() : v);
const frozen = <T>(value: T): Readonly<T> => Object.freeze(value);
const isMapping = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** One of `allowed`. */
const oneOf = <const T extends readonly [string, ...string[]]>(allowed: T) =>
  z.enum(allowed, { error: `one of ${allowed.join(', ')}` });

/** One of `allowed`, any value (text trimmed). */
const choice = <const T extends readonly [string, ...string[]]>(allowed: T) =>
  z.preprocess(trimmed, oneOf(allowed));

/** A number (or its text) from `min` to `max`. */
const numberIn = (min: number, max: number) =>
  z.preprocess(
    (v) => (typeof v === 'string' ? (v.trim() === '' ? NaN : Number(v.trim())) : v),
    z
      .number({ error: 'a number' })
      .min(min, { error: `a number from ${min} to ${max}` })
      .max(max, { error: `a number from ${min} to ${max}` }),
  );

/**
 * A percentage (`25%`, `2.5 %`) or a plain fraction (`0.25`, YAML number) → a fraction. A bare
 * number above 1 is refused: `25` could mean 25 % or 25×.
 */
const fraction = (min: number, max: number) => {
  const expected = `a percentage such as 25% (or a fraction such as 0.25), from ${min * 100}% to ${max * 100}%`;
  return z.preprocess(
    (v) => {
      const text = typeof v === 'number' ? String(v) : typeof v === 'string' ? v.trim() : '';
      const percent = /^(\d+(?:\.\d+)?)\s*%$/.exec(text);
      const plain = /^\d+(?:\.\d+)?$/.test(text) ? Number(text) : NaN;
      return percent !== null ? Number(percent[1]) / 100 : plain <= 1 ? plain : NaN;
    },
    z.number({ error: expected }).min(min, { error: expected }).max(max, { error: expected }),
  );
};

/** Unset (or blank text) → null. */
const orNull = <S extends z.ZodType>(schema: S) =>
  z
    .preprocess(
      (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
      schema.optional(),
    )
    .transform((v) => v ?? null);

/** An optional string, trimmed; unset or blank → null. */
const optionalText = z
  .string({ error: 'a string' })
  .trim()
  .optional()
  .transform((text) => (text === undefined || text === '' ? null : text));

/** An optional string that must match `pattern` when given (`expected` names the form). */
const optionalMatching = (pattern: RegExp, expected: string) =>
  optionalText.refine((text) => text === null || pattern.test(text), { error: expected });

/** A newline-separated string (an input) or a YAML list of strings; blank and `#` lines dropped. */
const lines = z.preprocess(
  (v) => (typeof v === 'string' ? v.split(/\r?\n/) : v),
  z
    .array(z.string({ error: 'a list of strings' }), { error: 'a list of globs (one per line)' })
    .transform((items) =>
      items.map((item) => item.trim()).filter((item) => item !== '' && !item.startsWith('#')),
    ),
);

/** Globs, `fallback` when unset or empty. */
const globList = (fallback: readonly string[]) =>
  lines.transform((items) => frozen(items.length === 0 ? [...fallback] : items)).default(fallback);

/** Paths, folders or globs → the newline-separated text loadArtifacts reads. */
const artifactList = lines
  .refine((items) => items.length > 0, { error: 'one or more paths, folders or globs' })
  .transform((items) => items.join('\n'));

/** GitHub users or org/team slugs, newline or comma separated; a leading `@` is dropped. */
const reviewerList = z
  .preprocess((v) => (typeof v === 'string' ? v.replace(/,/g, '\n') : v), lines)
  .transform((names) => names.map((name) => name.replace(/^@/, '')))
  .pipe(
    z.array(
      z.string().regex(/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:\/[A-Za-z0-9._-]+)?$/, {
        error: 'GitHub user names or org/team slugs',
      }),
    ),
  )
  .transform(frozen)
  .default([]);

/** `Name: value` lines (an input) → a mapping; a line without a name is an issue. */
function headerLines(text: string, ctx: z.RefinementCtx): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '') continue;
    const colon = line.indexOf(':');
    if (colon <= 0) ctx.addIssue({ code: 'custom', message: "'Name: value' lines" });
    else out[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
  }
  return out;
}

/** HTTP headers: `Name: value` lines or a YAML mapping (the setting is secret: never shown). */
const headerMap = z
  .preprocess(
    (v, ctx) => (typeof v === 'string' ? headerLines(v, ctx) : v),
    z.record(
      z.string().regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/, { error: 'a valid header name' }),
      z.string({ error: 'a string' }).regex(/^[^\r\n]*$/, { error: 'a value on one line' }),
      { error: "'Name: value' lines" },
    ),
  )
  .transform(frozen)
  .default({});

/** A path inside the repository: relative, no `..` segments. */
const relativePath = z
  .string({ error: 'a relative file path' })
  .trim()
  .min(1, { error: 'a relative file path' })
  .refine(
    (path) => !path.startsWith('/') && !path.split(/[\\/]/).includes('..') && !path.includes('\0'),
    { error: 'a relative path inside the repository' },
  );

/** A directory inside the repository; `.` (or empty) is its root. */
const relativeDir = z
  .string({ error: 'a relative file path' })
  .transform((text) => (text.trim() === '' ? '.' : text))
  .pipe(relativePath.transform((path) => path.replace(/\/+$/, '') || '.'));

/** A branch name git accepts (`git check-ref-format --branch`'s rules, simplified). */
function isBranchName(name: string): boolean {
  return (
    /^[A-Za-z0-9._/-]+$/.test(name) &&
    !name.startsWith('-') &&
    !name.startsWith('/') &&
    !name.endsWith('/') &&
    !name.endsWith('.lock') &&
    !name.endsWith('.') &&
    !name.includes('..') &&
    !name.includes('//') &&
    !name.split('/').some((part) => part.startsWith('.'))
  );
}

const SHARD = "'i/n' with 1 <= i <= n";
/** `i/n`: the i-th of n shards. */
const shard = z
  .string({ error: SHARD })
  .regex(/^\s*\d+\s*\/\s*\d+\s*$/, { error: SHARD })
  .transform((text): Shard => {
    const [index, total] = text.split('/').map((n) => Number(n.trim())) as [number, number];
    return { index, total };
  })
  .refine((s) => s.total >= 1 && s.index >= 1 && s.index <= s.total, { error: SHARD });

/** `{test_input, mode}` for tools whose sidecar gives none. */
const toolDefaults = z
  .strictObject(
    { test_input: jsonValue.optional(), mode: choice(CALL_STYLES).default('function') },
    {
      error: (issue) =>
        issue.code === 'unrecognized_keys' ? 'one of test_input, mode' : 'a mapping',
    },
  )
  .transform((d): ToolDefaults => frozen({ testInput: d.test_input, mode: d.mode }))
  .default({ testInput: undefined, mode: 'function' });

/**
 * A plain value (every tool: glob `**`) or a mapping of tools glob → value, e.g.
 * `working-directory: {"code_evolver/tools/**": code_evolver}`.
 */
const perGlob = <S extends z.ZodType>(value: S) =>
  z
    .preprocess(
      (v) => (v === '' ? {} : isMapping(v) ? v : { '**': v }),
      z.record(z.string().regex(/\S/, { error: 'a mapping of tools globs' }), value),
    )
    .transform((map) =>
      frozen(
        Object.entries(map).map(([glob, v]): PerGlob<z.output<S>> =>
          frozen({ glob: glob.trim(), value: v }),
        ),
      ),
    )
    .default([]);

export const SETTINGS = {
  mode: setting({
    input: true,
    file: true,
    default: 'full',
    meaning:
      '`full` (same-repo PRs: measure, judge, publish), `measure` (fork PRs: measure and write the report artifact only), `report` (workflow_run: judge and publish the artifact(s)), `record` (push: profile the changed tools into `registry`).',
    schema: choice(MODES).default('full'),
  }),
  name: setting({
    input: true,
    file: true,
    default: '',
    meaning:
      "A name for this configuration when one repository runs several (e.g. `python`, `ts`), letters, digits, `.`, `_`, `-`: it suffixes the sticky comment's marker, the check run's name (`perf-verdict (python)`), the report's folder under RUNNER_TEMP and the default `artifact` (`perf-verdict-report-python/report.json`), so the configurations never overwrite each other.",
    schema: optionalMatching(
      /^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/,
      'letters, digits, ., _ or - (at most 40)',
    ),
  }),
  tools: setting({
    input: true,
    file: true,
    default: DEFAULT_TOOL_GLOBS.join(' '),
    meaning:
      "Globs of tool files (newline-separated input, or a YAML list): by default tool files under `tools/` and under `code_evolver/tools/` (code_evolver's layout). When none matches a changed file that looks like a tool (code beside a YAML with an `executable:` or `type:` key), the headline says so and names the glob to add.",
    schema: globList(DEFAULT_TOOL_GLOBS),
  }),
  'base-ref': setting({
    input: true,
    file: true,
    default: '',
    meaning:
      "Base ref to compare against; empty = the PR's base. The compared base is always merge-base(base, head).",
    schema: optionalText,
  }),
  'ollama-host': setting({
    input: true,
    file: true,
    default: '',
    meaning:
      'URL of a self-hosted Ollama server (e.g. http://127.0.0.1:11434); empty = the embedded rules judge only.',
    schema: optionalMatching(/^https?:\/\/[^\s]+$/, 'an http(s) URL').transform(
      (url) => url?.replace(/\/+$/, '') ?? null,
    ),
  }),
  'ollama-model': setting({
    input: true,
    file: true,
    default: 'qwen2.5-coder:3b',
    meaning: 'Ollama model used as judge.',
    schema: optionalText.transform((model) => model ?? 'qwen2.5-coder:3b'),
  }),
  'ollama-digest': setting({
    input: true,
    file: true,
    default: '',
    meaning:
      "Expected sha256 digest of the model, checked against the server's /api/tags; empty = not checked.",
    schema: optionalMatching(/^(sha256:)?[0-9a-f]{12,64}$/, 'a sha256 hex digest').transform(
      (digest) => digest?.replace(/^sha256:/, '') ?? null,
    ),
  }),
  'ollama-headers': setting({
    input: true,
    file: true,
    default: '',
    meaning:
      'Extra HTTP headers for the Ollama server, one `Name: value` per line (pass a secret) or a YAML mapping.',
    schema: headerMap,
    secret: true,
  }),
  'ollama-timeout-seconds': setting({
    input: true,
    file: true,
    default: '60',
    meaning: 'Timeout of one judge call; on timeout the rules verdict stands with low confidence.',
    schema: numberIn(1, 3600).default(60),
  }),
  'ollama-pull': setting({
    input: true,
    file: true,
    default: 'if-missing',
    meaning:
      'When the model is not on the Ollama host: `if-missing` pulls it through /api/pull (progress in the log, then the digest check), `never` lets the rules verdict stand.',
    schema: choice(OLLAMA_PULL).default('if-missing'),
  }),
  'ollama-pull-timeout-seconds': setting({
    input: true,
    file: true,
    default: '600',
    meaning:
      'Bound of that pull (~1.9 GB for qwen2.5-coder:3b); a pull that fails or stalls lets the rules verdict stand for every tool.',
    schema: numberIn(1, 7200).default(600),
  }),
  'time-budget-seconds': setting({
    input: true,
    file: true,
    default: '20',
    meaning:
      'Measurement budget per tool; measurement stops earlier once the confidence interval settles the question.',
    schema: numberIn(1, 3600).default(20),
  }),
  'total-budget-seconds': setting({
    input: true,
    file: true,
    default: '1200',
    meaning:
      "Wall time for measuring all the PR's changed tools together (gate): each tool gets at most its fair share of what is left, tools that settle early leave their time to the others, and once it is spent the tools left are rows marked cut (not measured, REVIEW). Raise it (up to 86400) for pull requests that change many tools.",
    schema: numberIn(1, 86_400).default(1200),
  }),
  'max-tools': setting({
    input: true,
    file: true,
    default: '50',
    meaning:
      'The most changed tools one gate (or shard) measures; the tools after them are rows marked cut (not measured, REVIEW). Raise it (up to 10000) for pull requests that change many tools, or shard them.',
    schema: numberIn(1, 10_000)
      .refine((n) => Number.isInteger(n), { error: 'a whole number from 1 to 10000' })
      .default(50),
  }),
  confidence: setting({
    input: true,
    file: true,
    default: '0.99',
    meaning: 'Confidence level of the time-ratio intervals.',
    schema: numberIn(0.5, 0.9999).default(0.99),
  }),
  delta: setting({
    input: true,
    file: true,
    default: '0.02',
    meaning: 'Half-width of the "unchanged" zone around a time ratio of 1 (0.02 = ±2 %).',
    schema: numberIn(0.001, 0.5).default(0.02),
  }),
  'noise-zone': setting({
    input: true,
    file: true,
    default: '',
    meaning:
      'The same zone as `delta`, as a percentage (`2%`): a ratio within ±this is "no change"; wins over `delta` when both are set. Empty = `delta` (2 %).',
    schema: orNull(fraction(0.001, 0.5)),
  }),
  'max-slowdown': setting({
    input: true,
    file: true,
    default: '',
    meaning:
      'Hard limit (`25%`): a measured slowdown whose interval lies above it is REJECT unless a measured security fix or complexity reduction justifies it — no model and no claim lifts it. Empty = none.',
    schema: orNull(fraction(0, 100)),
  }),
  intent: setting({
    input: true,
    file: true,
    default: 'auto',
    meaning:
      "What every change is for: `auto` (read from the PR's words; it can only make a verdict stricter), `optimization` (faster ACCEPT, marginal REVIEW, slower REJECT), `feature` (each slowdown judged as if features were claimed), `off`.",
    schema: choice(INTENT_SETTINGS).default('auto'),
  }),
  'fail-on': setting({
    input: true,
    file: true,
    default: 'reject',
    meaning:
      'Which verdict fails the step and the check: `reject`, `review` (REVIEW and REJECT) or `never`.',
    schema: choice(FAIL_ON).default('reject'),
  }),
  reviewers: setting({
    input: true,
    file: true,
    default: '',
    meaning:
      'GitHub users or org/team slugs (newline or comma separated) requested for review on REVIEW.',
    schema: reviewerList,
  }),
  comment: setting({
    input: true,
    file: true,
    default: 'always',
    meaning:
      'PR comment policy: `always` (create or update the sticky comment), `on-change` (only when the verdict or table changed), `never`.',
    schema: choice(COMMENT_POLICIES).default('always'),
  }),
  'accept-label': setting({
    input: true,
    file: true,
    default: 'perf-verdict:accept',
    meaning: 'A PR label that turns a REJECT into a passing check, recorded as an override.',
    schema: optionalText.transform((label) => label ?? 'perf-verdict:accept'),
  }),
  'trust-fork-measurements': setting({
    input: true,
    file: true,
    default: 'false',
    meaning:
      "`report` mode: let a fork's own `measure` job decide the check. By default numbers measured by the PR's job are unverified: ACCEPT and REVIEW give a `neutral` check until a writer accepts that head; `true` trusts them (a fork can then forge a green check).",
    schema: z
      .preprocess((v) => (typeof v === 'boolean' ? String(v) : v), choice(BOOLEAN))
      .transform((v) => v === 'true')
      .default(false),
  }),
  registry: setting({
    input: true,
    file: true,
    default: 'tools/index.json',
    meaning: 'Path of the tool registry written in `record` mode (inside the repository).',
    schema: relativePath.default('tools/index.json'),
  }),
  'dashboard-branch': setting({
    input: true,
    file: true,
    default: '',
    meaning:
      '`record` mode: after each run, commit the registry dashboard (docs/registry.md) to this branch, e.g. `gh-pages`, and push it (needs `contents: write`); empty = off.',
    schema: optionalText.refine((name) => name === null || isBranchName(name), {
      error: 'a branch name like gh-pages',
    }),
  }),
  shard: setting({
    input: true,
    file: true,
    default: '',
    meaning:
      '`i/n`: measure only the i-th of n shards of the changed tools (`measure` mode, one matrix job each); empty = all.',
    schema: orNull(shard),
  }),
  artifact: setting({
    input: true,
    file: true,
    default: 'perf-verdict-report/report.json',
    meaning:
      "`report` mode: the measure job's report JSON — newline-separated paths, folders (every .json under them) or globs (validated as untrusted data).",
    schema: artifactList.default('perf-verdict-report/report.json'),
  }),
  sandbox: setting({
    input: true,
    file: true,
    default: 'auto',
    meaning:
      'The OS sandbox around every tool child (docs/security.md): `auto` uses it where the runner allows it (on a GitHub Actions runner without bubblewrap it installs it first: apt-get as root or through `sudo -n`, once per job) and otherwise runs unsandboxed and says so in the headline (`unsandboxed: <why>`); `required` installs it the same way and fails a tool with error kind `sandbox` without it; `off` never uses it (trusted code only).',
    schema: choice(SANDBOX_MODES).default('auto'),
  }),
  defaults: setting({
    input: false,
    file: true,
    default: 'test_input: none, mode: function',
    meaning:
      'Mapping `{test_input, mode}` used for tools whose sidecar gives none (`mode`: `function` or `executable`).',
    schema: toolDefaults,
  }),
  definitions: setting({
    input: false,
    file: true,
    default: 'list',
    meaning:
      'Changed tool definitions without code (YAML `type: llm`, `openapi`, `mcp`, `workflow`, … or no implementation): `list` (one collapsed line, no verdict), `ignore` (not shown), `review` (a REVIEW row each).',
    schema: choice(DEFINITION_POLICIES).default('list'),
  }),
  'security-fail-on': setting({
    input: false,
    file: true,
    default: 'high',
    meaning:
      'Weighed severity of a new security finding that caps a verdict at REJECT (`high`, `medium`, `low`); one level below caps at REVIEW, lower ones are listed only. LOW-confidence findings weigh one level less.',
    schema: z
      .preprocess((v) => (typeof v === 'string' ? v.toLowerCase() : v), choice(SECURITY_FAIL_ON))
      .default('high'),
  }),
  'working-directory': setting({
    input: false,
    file: true,
    default: '',
    meaning:
      "Directory (repository-relative) tools run in, inside a read-only checkout of their commit: a path for every tool, or a mapping of tools glob → path; empty = the folder holding the tool's `tools/` folder, for tools with an `executable:` block.",
    schema: perGlob(relativeDir),
  }),
  'python-path': setting({
    input: false,
    file: true,
    default: '',
    meaning:
      'Import roots (repository-relative) put on `PYTHONPATH` / `NODE_PATH`: a list (or `a:b`) for every tool, or a mapping of tools glob → list; empty = the working directory.',
    schema: perGlob(
      z
        .preprocess(
          (v) => (typeof v === 'string' ? v.replace(/:/g, '\n') : v),
          lines.pipe(z.array(relativeDir)),
        )
        .transform(frozen),
    ),
  }),
  requirements: setting({
    input: false,
    file: true,
    default: '',
    meaning:
      "Requirements files (repository-relative) installed once per gate, with the changed tools' YAML `dependencies`, into a venv by pip in a sandbox of its own; shared by base and head when they match. Each line is a package requirement (name, extras, versions, markers), never an option.",
    schema: lines.pipe(z.array(relativePath)).transform(frozen).default([]),
  }),
  'install-sources': setting({
    input: false,
    file: true,
    default: '',
    meaning:
      'What a dependency may be besides a wheel from the package index: `sdist` (build source distributions), `local` (paths inside the checkout), `url` (https archives), `vcs` (`git+https://`). Empty: wheels from the index only. Builds run inside the install sandbox, never without it. Read from the base config only.',
    schema: lines
      .pipe(z.array(oneOf(INSTALL_SOURCES)))
      .transform(frozen)
      .default([]),
  }),
} as const;

export type SettingKey = keyof typeof SETTINGS;

/**
 * Inputs of the Action that are not settings of the gate (never in `.perf-verdict.yml`): the
 * token (a secret, and `${{ github.token }}` is only known to the runner) and the file's own path.
 */
export const ENTRY_INPUTS = {
  'github-token': {
    default: '${{ github.token }}',
    meaning:
      'Token for the PR comment, check run and reviewer requests (a read-only token is enough in `measure` mode). The only input with a `default:` in action.yml.',
  },
  config: {
    default: '.perf-verdict.yml',
    meaning:
      "Path of the configuration file. On pull requests it is read at the PR's base commit, so a PR cannot configure its own gate.",
  },
} as const;

/** Every action input, in action.yml's order. */
export const INPUT_NAMES: readonly string[] = [
  ...Object.keys(ENTRY_INPUTS),
  ...Object.entries(SETTINGS)
    .filter(([, s]) => s.input)
    .map(([key]) => key),
];
/** Every key `.perf-verdict.yml` accepts. */
export const FILE_KEYS: readonly string[] = Object.entries(SETTINGS)
  .filter(([, s]) => s.file)
  .map(([key]) => key);

type CamelCase<S extends string> = S extends `${infer H}-${infer T}`
  ? `${H}${Capitalize<CamelCase<T>>}`
  : S;

/** Each setting, typed by its schema, under its camelCased key. */
type Settings = {
  readonly [K in SettingKey as CamelCase<K>]: z.output<(typeof SETTINGS)[K]['schema']>;
};

export interface Config extends Settings {
  /** The ollama-* settings grouped, as the judge takes them. */
  readonly ollama: OllamaConfig;
}

function camelCase(key: string): string {
  return key.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

/** Raw sources. `inputs` values are strings as GitHub gives them; '' means unset. */
export interface ConfigSources {
  readonly file?: unknown;
  /** Name of the file, for error messages. */
  readonly fileName?: string;
  readonly inputs?: Readonly<Record<string, string | undefined>>;
}

/** Where each value came from: the input, the file or the default. */
export type SettingSource = 'input' | 'file' | 'default';

/** Parse and validate configuration. Throws ConfigError naming the first bad field. */
export function parseConfig(sources: ConfigSources): Config {
  return resolveConfig(sources).config;
}

/** parseConfig, plus where each key's value came from (for logs). */
export function resolveConfig(sources: ConfigSources): {
  readonly config: Config;
  readonly sources: Readonly<Record<SettingKey, SettingSource>>;
} {
  const fileName = sources.fileName ?? '.perf-verdict.yml';
  const file = readFileObject(sources.file, fileName);
  const inputs = sources.inputs ?? {};
  const values: Record<string, unknown> = {};
  const from = {} as Record<SettingKey, SettingSource>;
  for (const [key, spec] of Object.entries(SETTINGS) as [SettingKey, Setting][]) {
    const input = spec.input ? inputs[key] : undefined;
    if (input !== undefined && input.trim() !== '') {
      from[key] = 'input';
      values[camelCase(key)] = parseWith(spec.schema, input, key, spec);
    } else if (spec.file && file[key] !== undefined && file[key] !== null) {
      from[key] = 'file';
      values[camelCase(key)] = parseWith(spec.schema, file[key], `${fileName}: ${key}`, spec);
    } else {
      from[key] = 'default';
      values[camelCase(key)] = parseWith(spec.schema, undefined, key, spec);
    }
  }
  const settings = values as Settings;
  const config: Config = {
    ...settings,
    // A named configuration reads its own measure job's report unless `artifact` says otherwise.
    ...(from.artifact === 'default' && settings.name !== null
      ? { artifact: `perf-verdict-report-${settings.name}/report.json` }
      : {}),
    // `noise-zone` is `delta` written as a percentage; it wins when both are set.
    delta: settings.noiseZone ?? settings.delta,
    ollama: Object.freeze({
      host: settings.ollamaHost,
      model: settings.ollamaModel,
      digest: settings.ollamaDigest,
      headers: settings.ollamaHeaders,
      timeoutSeconds: settings.ollamaTimeoutSeconds,
      pull: settings.ollamaPull,
      pullTimeoutSeconds: settings.ollamaPullTimeoutSeconds,
    }),
  };
  return { config: Object.freeze(config), sources: Object.freeze(from) };
}

function readFileObject(file: unknown, fileName: string): Record<string, unknown> {
  if (file === undefined || file === null) return {};
  if (!isMapping(file)) throw new ConfigError(fileName, 'a mapping of settings', file);
  const record = file;
  for (const key of Object.keys(record)) {
    if (!FILE_KEYS.includes(key)) {
      const near = nearest(key, [...FILE_KEYS, ...Object.keys(ENTRY_INPUTS)]);
      const entryOnly = key in ENTRY_INPUTS;
      throw new PerfVerdictError(
        'config',
        entryOnly
          ? `'${fileName}: ${key}' is an action input only, not a setting of the file`
          : `'${fileName}: ${key}' is not a setting${near === null ? '' : `; did you mean '${near}'?`} (settings: ${FILE_KEYS.join(', ')})`,
        `${fileName}: ${key}`,
      );
    }
  }
  return record;
}

/** The closest known key by edit distance (separators ignored), when it is close enough to be a typo. */
function nearest(key: string, known: readonly string[]): string | null {
  const norm = (s: string): string => s.toLowerCase().replace(/[-_ ]/g, '');
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const k = norm(key);
    const c = norm(candidate);
    // A truncated key (`time_budget`) is a typo of the key it starts.
    const d = k.length >= 4 && c.startsWith(k) ? 1 : editDistance(k, c);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best !== null && bestDistance <= Math.max(2, Math.floor(norm(key).length / 3))
    ? best
    : null;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(
        previous[j]! + 1,
        current[j - 1]! + 1,
        previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return previous[b.length]!;
}
