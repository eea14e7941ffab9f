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
 * action.yml) and `parse` (raw value → typed value; `undefined` means unset → the default; throw
 * ConfigError naming `field`). The typed field appears on Config as the camelCased key
 * (`total-budget-seconds` → `config.totalBudgetSeconds`). Then, as test/unit/config-surface.test.ts
 * demands: an action.yml input (no `default:`) when `input: true`, and a row in README's
 * configuration table. Nothing else reads the key list.
 */
import { ConfigError, PerfVerdictError } from '../domain/errors.js';
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

export interface ToolDefaults {
  readonly testInput: Json | undefined;
  readonly mode: CallStyle;
}

/** One configuration key. See "Adding a key" above. */
export interface Setting<T> {
  /** An action input of the same name (`with: <key>`). */
  readonly input: boolean;
  /** A key of `.perf-verdict.yml`. */
  readonly file: boolean;
  /** The built-in default as README shows it; '' when there is none (empty). */
  readonly default: string;
  /** What the key does, one sentence (README's table; action.yml's description starts with it). */
  readonly meaning: string;
  /** Raw value (input string or YAML value; undefined = unset) → typed value, or ConfigError naming `field`. */
  readonly parse: (value: unknown, field: string) => T;
}

const setting = <T>(spec: Setting<T>): Setting<T> => spec;

export const SETTINGS = {
  mode: setting({
    input: true,
    file: true,
    default: 'full',
    meaning:
      '`full` (same-repo PRs: measure, judge, publish), `measure` (fork PRs: measure and write the report artifact only), `report` (workflow_run: judge and publish the artifact(s)), `record` (push: profile the changed tools into `registry`).',
    parse: (v, f) => oneOf(v ?? 'full', f, MODES),
  }),
  name: setting({
    input: true,
    file: true,
    default: '',
    meaning:
      "A name for this configuration when one repository runs several (e.g. `python`, `ts`), letters, digits, `.`, `_`, `-`: it suffixes the sticky comment's marker, the check run's name (`perf-verdict (python)`), the report's folder under RUNNER_TEMP and the default `artifact` (`perf-verdict-report-python/report.json`), so the configurations never overwrite each other.",
    parse: (v, f) =>
      optionalMatching(
        v,
        f,
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
    parse: (v, f) => Object.freeze(stringList(v, f, DEFAULT_TOOL_GLOBS)),
  }),
  'base-ref': setting({
    input: true,
    file: true,
    default: '',
    meaning:
      "Base ref to compare against; empty = the PR's base. The compared base is always merge-base(base, head).",
    parse: (v, f) => optionalString(v, f),
  }),
  'ollama-host': setting({
    input: true,
    file: true,
    default: '',
    meaning:
      'URL of a self-hosted Ollama server (e.g. http://127.0.0.1:11434); empty = the embedded rules judge only.',
    parse: (v, f) =>
      optionalMatching(v, f, /^https?:\/\/[^\s]+$/, 'an http(s) URL')?.replace(/\/+$/, '') ?? null,
  }),
  'ollama-model': setting({
    input: true,
    file: true,
    default: 'qwen2.5-coder:3b',
    meaning: 'Ollama model used as judge.',
    parse: (v, f) => optionalString(v, f) ?? 'qwen2.5-coder:3b',
  }),
  'ollama-digest': setting({
    input: true,
    file: true,
    default: '',
    meaning:
      "Expected sha256 digest of the model, checked against the server's /api/tags; empty = not checked.",
    parse: (v, f) =>
      optionalMatching(v, f, /^(sha256:)?[0-9a-f]{12,64}$/, 'a sha256 hex digest')?.replace(
        /^sha256:/,
        '',
      ) ?? null,
  }),
  'ollama-headers': setting({
    input: true,
    file: true,
    default: '',
    meaning:
      'Extra HTTP headers for the Ollama server, one `Name: value` per line (pass a secret) or a YAML mapping.',
    parse: (v, f) => Object.freeze(headerMap(v, f)),
  }),
  'ollama-timeout-seconds': setting({
    input: true,
    file: true,
    default: '60',
    meaning: 'Timeout of one judge call; on timeout the rules verdict stands with low confidence.',
    parse: (v, f) => number(v ?? 60, f, 1, 3600),
  }),
  'ollama-pull': setting({
    input: true,
    file: true,
    default: 'if-missing',
    meaning:
      'When the model is not on the Ollama host: `if-missing` pulls it through /api/pull (progress in the log, then the digest check), `never` lets the rules verdict stand.',
    parse: (v, f) => oneOf(v ?? 'if-missing', f, OLLAMA_PULL),
  }),
  'ollama-pull-timeout-seconds': setting({
    input: true,
    file: true,
    default: '600',
    meaning:
      'Bound of that pull (~1.9 GB for qwen2.5-coder:3b); a pull that fails or stalls lets the rules verdict stand for every tool.',
    parse: (v, f) => number(v ?? 600, f, 1, 7200),
  }),
  'time-budget-seconds': setting({
    input: true,
    file: true,
    default: '20',
    meaning:
      'Measurement budget per tool; measurement stops earlier once the confidence interval settles the question.',
    parse: (v, f) => number(v ?? 20, f, 1, 3600),
  }),
  'total-budget-seconds': setting({
    input: true,
    file: true,
    default: '1200',
    meaning:
      "Wall time for measuring all the PR's changed tools together (gate): each tool gets at most its fair share of what is left, tools that settle early leave their time to the others, and once it is spent the tools left are rows marked cut (not measured, REVIEW). Raise it (up to 86400) for pull requests that change many tools.",
    parse: (v, f) => number(v ?? 1200, f, 1, 86_400),
  }),
  'max-tools': setting({
    input: true,
    file: true,
    default: '50',
    meaning:
      'The most changed tools one gate (or shard) measures; the tools after them are rows marked cut (not measured, REVIEW). Raise it (up to 10000) for pull requests that change many tools, or shard them.',
    parse: (v, f) => {
      const n = number(v ?? 50, f, 1, 10_000);
      if (!Number.isInteger(n)) throw new ConfigError(f, 'a whole number from 1 to 10000', v);
      return n;
    },
  }),
  confidence: setting({
    input: true,
    file: true,
    default: '0.99',
    meaning: 'Confidence level of the time-ratio intervals.',
    parse: (v, f) => number(v ?? 0.99, f, 0.5, 0.9999),
  }),
  delta: setting({
    input: true,
    file: true,
    default: '0.02',
    meaning: 'Half-width of the "unchanged" zone around a time ratio of 1 (0.02 = ±2 %).',
    parse: (v, f) => number(v ?? 0.02, f, 0.001, 0.5),
  }),
  'noise-zone': setting({
    input: true,
    file: true,
    default: '',
    meaning:
      'The same zone as `delta`, as a percentage (`2%`): a ratio within ±this is "no change"; wins over `delta` when both are set. Empty = `delta` (2 %).',
    parse: (v, f) =>
      v === undefined || (typeof v === 'string' && v.trim() === '')
        ? null
        : fraction(v, f, 0.001, 0.5),
  }),
  'max-slowdown': setting({
    input: true,
    file: true,
    default: '',
    meaning:
      'Hard limit (`25%`): a measured slowdown whose interval lies above it is REJECT unless a measured security fix or complexity reduction justifies it — no model and no claim lifts it. Empty = none.',
    parse: (v, f) =>
      v === undefined || (typeof v === 'string' && v.trim() === '') ? null : fraction(v, f, 0, 100),
  }),
  intent: setting({
    input: true,
    file: true,
    default: 'auto',
    meaning:
      "What every change is for: `auto` (read from the PR's words; it can only make a verdict stricter), `optimization` (faster ACCEPT, marginal REVIEW, slower REJECT), `feature` (each slowdown judged as if features were claimed), `off`.",
    parse: (v, f) => oneOf(v ?? 'auto', f, INTENT_SETTINGS),
  }),
  'fail-on': setting({
    input: true,
    file: true,
    default: 'reject',
    meaning:
      'Which verdict fails the step and the check: `reject`, `review` (REVIEW and REJECT) or `never`.',
    parse: (v, f) => oneOf(v ?? 'reject', f, FAIL_ON),
  }),
  reviewers: setting({
    input: true,
    file: true,
    default: '',
    meaning:
      'GitHub users or org/team slugs (newline or comma separated) requested for review on REVIEW.',
    parse: (v, f) => Object.freeze(reviewerList(v, f)),
  }),
  comment: setting({
    input: true,
    file: true,
    default: 'always',
    meaning:
      'PR comment policy: `always` (create or update the sticky comment), `on-change` (only when the verdict or table changed), `never`.',
    parse: (v, f) => oneOf(v ?? 'always', f, COMMENT_POLICIES),
  }),
  'accept-label': setting({
    input: true,
    file: true,
    default: 'perf-verdict:accept',
    meaning: 'A PR label that turns a REJECT into a passing check, recorded as an override.',
    parse: (v, f) => optionalString(v, f) ?? 'perf-verdict:accept',
  }),
  'trust-fork-measurements': setting({
    input: true,
    file: true,
    default: 'false',
    meaning:
      "`report` mode: let a fork's own `measure` job decide the check. By default numbers measured by the PR's job are unverified: ACCEPT and REVIEW give a `neutral` check until a writer accepts that head; `true` trusts them (a fork can then forge a green check).",
    parse: (v, f) =>
      oneOf(typeof v === 'boolean' ? String(v) : (v ?? 'false'), f, BOOLEAN) === 'true',
  }),
  registry: setting({
    input: true,
    file: true,
    default: 'tools/index.json',
    meaning: 'Path of the tool registry written in `record` mode (inside the repository).',
    parse: (v, f) => relativePath(v ?? 'tools/index.json', f),
  }),
  'dashboard-branch': setting({
    input: true,
    file: true,
    default: '',
    meaning:
      '`record` mode: after each run, commit the registry dashboard (docs/registry.md) to this branch, e.g. `gh-pages`, and push it (needs `contents: write`); empty = off.',
    parse: (v, f) => branchName(v, f),
  }),
  shard: setting({
    input: true,
    file: true,
    default: '',
    meaning:
      '`i/n`: measure only the i-th of n shards of the changed tools (`measure` mode, one matrix job each); empty = all.',
    parse: (v, f) => shard(v, f),
  }),
  artifact: setting({
    input: true,
    file: true,
    default: 'perf-verdict-report/report.json',
    meaning:
      "`report` mode: the measure job's report JSON — newline-separated paths, folders (every .json under them) or globs (validated as untrusted data).",
    parse: (v, f) => artifactList(v ?? 'perf-verdict-report/report.json', f),
  }),
  sandbox: setting({
    input: true,
    file: true,
    default: 'auto',
    meaning:
      'The OS sandbox around every tool child (docs/security.md): `auto` uses it where the runner allows it (on a GitHub Actions runner without bubblewrap it installs it first: apt-get as root or through `sudo -n`, once per job) and otherwise runs unsandboxed and says so in the headline (`unsandboxed: <why>`); `required` installs it the same way and fails a tool with error kind `sandbox` without it; `off` never uses it (trusted code only).',
    parse: (v, f) => oneOf(v ?? 'auto', f, SANDBOX_MODES),
  }),
  defaults: setting({
    input: false,
    file: true,
    default: 'test_input: none, mode: function',
    meaning:
      'Mapping `{test_input, mode}` used for tools whose sidecar gives none (`mode`: `function` or `executable`).',
    parse: (v, f) => Object.freeze(defaults(v, f)),
  }),
  definitions: setting({
    input: false,
    file: true,
    default: 'list',
    meaning:
      'Changed tool definitions without code (YAML `type: llm`, `openapi`, `mcp`, `workflow`, … or no implementation): `list` (one collapsed line, no verdict), `ignore` (not shown), `review` (a REVIEW row each).',
    parse: (v, f) => oneOf(v ?? 'list', f, DEFINITION_POLICIES),
  }),
  'security-fail-on': setting({
    input: false,
    file: true,
    default: 'high',
    meaning:
      'Weighed severity of a new security finding that caps a verdict at REJECT (`high`, `medium`, `low`); one level below caps at REVIEW, lower ones are listed only. LOW-confidence findings weigh one level less.',
    parse: (v, f) =>
      oneOf(typeof v === 'string' ? v.trim().toLowerCase() : (v ?? 'high'), f, SECURITY_FAIL_ON),
  }),
  'working-directory': setting({
    input: false,
    file: true,
    default: '',
    meaning:
      "Directory (repository-relative) tools run in, inside a read-only checkout of their commit: a path for every tool, or a mapping of tools glob → path; empty = the folder holding the tool's `tools/` folder, for tools with an `executable:` block.",
    parse: (v, f) => Object.freeze(perGlob(v, f, (x, g) => relativeDir(x, g))),
  }),
  'python-path': setting({
    input: false,
    file: true,
    default: '',
    meaning:
      'Import roots (repository-relative) put on `PYTHONPATH` / `NODE_PATH`: a list (or `a:b`) for every tool, or a mapping of tools glob → list; empty = the working directory.',
    parse: (v, f) =>
      Object.freeze(
        perGlob(v, f, (x, g) =>
          Object.freeze(
            stringList(typeof x === 'string' ? x.replace(/:/g, '\n') : x, g, []).map((p) =>
              relativeDir(p, g),
            ),
          ),
        ),
      ),
  }),
  requirements: setting({
    input: false,
    file: true,
    default: '',
    meaning:
      "Requirements files (repository-relative) installed once per gate, with the changed tools' YAML `dependencies`, into a venv by pip in a sandbox of its own; shared by base and head when they match. Each line is a package requirement (name, extras, versions, markers), never an option.",
    parse: (v, f) => Object.freeze(stringList(v, f, []).map((p) => relativePath(p, f))),
  }),
  'install-sources': setting({
    input: false,
    file: true,
    default: '',
    meaning:
      'What a dependency may be besides a wheel from the package index: `sdist` (build source distributions), `local` (paths inside the checkout), `url` (https archives), `vcs` (`git+https://`). Empty: wheels from the index only. Builds run inside the install sandbox, never without it. Read from the base config only.',
    parse: (v, f) => Object.freeze(stringList(v, f, []).map((x) => oneOf(x, f, INSTALL_SOURCES))),
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

/** Each setting, typed by its parser, under its camelCased key. */
type Settings = {
  readonly [K in SettingKey as CamelCase<K>]: ReturnType<(typeof SETTINGS)[K]['parse']>;
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
  for (const [key, spec] of Object.entries(SETTINGS) as [SettingKey, Setting<unknown>][]) {
    const input = spec.input ? inputs[key] : undefined;
    if (input !== undefined && input.trim() !== '') {
      from[key] = 'input';
      values[camelCase(key)] = spec.parse(input, key);
    } else if (spec.file && file[key] !== undefined && file[key] !== null) {
      from[key] = 'file';
      values[camelCase(key)] = spec.parse(file[key], `${fileName}: ${key}`);
    } else {
      from[key] = 'default';
      values[camelCase(key)] = spec.parse(undefined, key);
    }
  }
  const settings = values as Settings;
  const config: Config = {
    ...settings,
    // A named configuration reads its own measure job's report unless `artifact` says otherwise.
    ...(from.artifact === 'default' && settings.name !== null
      ? { artifact: artifactList(`perf-verdict-report-${settings.name}/report.json`, 'artifact') }
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

/**
 * A percentage (`25%`, `2.5 %`) or a plain fraction (`0.25`, YAML number) → a fraction. A bare
 * number above 1 is refused: `25` could mean 25 % or 25×.
 */
function fraction(value: unknown, field: string, min: number, max: number): number {
  const text =
    typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
  const percent = /^(\d+(?:\.\d+)?)\s*%$/.exec(text);
  const plain = /^\d+(?:\.\d+)?$/.test(text) ? Number(text) : NaN;
  const parsed = percent !== null ? Number(percent[1]) / 100 : plain <= 1 ? plain : NaN;
  if (!Number.isFinite(parsed) || parsed < min || parsed > max) {
    throw new ConfigError(
      field,
      `a percentage such as 25% (or a fraction such as 0.25), from ${min * 100}% to ${max * 100}%`,
      value,
    );
  }
  return parsed;
}

function readFileObject(file: unknown, fileName: string): Record<string, unknown> {
  if (file === undefined || file === null) return {};
  if (typeof file !== 'object' || Array.isArray(file)) {
    throw new ConfigError(fileName, 'a mapping of settings', file);
  }
  const record = file as Record<string, unknown>;
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

/** Newline-separated text (an input) or a YAML list → the newline-separated text loadArtifacts reads. */
function artifactList(value: unknown, field: string): string {
  const items = stringList(value, field, []);
  if (items.length === 0)
    throw new ConfigError(field, 'one or more paths, folders or globs', value);
  return items.join('\n');
}

function optionalString(value: unknown, field: string): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw new ConfigError(field, 'a string', value);
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}

/** An optional string that must match `pattern` when given (`expected` names the form). */
function optionalMatching(
  value: unknown,
  field: string,
  pattern: RegExp,
  expected: string,
): string | null {
  const text = optionalString(value, field);
  if (text !== null && !pattern.test(text)) throw new ConfigError(field, expected, text);
  return text;
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

function reviewerList(value: unknown, field: string): string[] {
  const names = stringList(
    typeof value === 'string' ? value.replace(/,/g, '\n') : value,
    field,
    [],
  ).map((name) => name.replace(/^@/, ''));
  for (const name of names) {
    if (!/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:\/[A-Za-z0-9._-]+)?$/.test(name)) {
      throw new ConfigError(field, 'GitHub user names or org/team slugs', name);
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
/** An optional branch name git accepts (`git check-ref-format --branch`'s rules, simplified). */
function branchName(value: unknown, field: string): string | null {
  const name = optionalString(value, field);
  if (name === null) return null;
  const bad =
    !/^[A-Za-z0-9._/-]+$/.test(name) ||
    name.startsWith('-') ||
    name.startsWith('/') ||
    name.endsWith('/') ||
    name.endsWith('.lock') ||
    name.endsWith('.') ||
    name.includes('..') ||
    name.includes('//') ||
    name.split('/').some((part) => part.startsWith('.'));
  if (bad) throw new ConfigError(field, 'a branch name like gh-pages', value);
  return name;
}

function relativePath(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.trim() === '')
    throw new ConfigError(field, 'a relative file path', value);
  const path = value.trim();
  if (path.startsWith('/') || path.split(/[\\/]/).includes('..') || path.includes('\0')) {
    throw new ConfigError(field, 'a relative path inside the repository', value);
  }
  return path;
}

function shard(value: unknown, field: string): Shard | null {
  if (value === undefined || value === null || value === '') return null;
  const match = typeof value === 'string' ? /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(value) : null;
  if (match === null) throw new ConfigError(field, "'i/n' with 1 <= i <= n", value);
  const index = Number(match[1]);
  const total = Number(match[2]);
  if (total < 1 || index < 1 || index > total)
    throw new ConfigError(field, "'i/n' with 1 <= i <= n", value);
  return { index, total };
}

function defaults(value: unknown, field: string): ToolDefaults {
  if (value === undefined || value === null) return { testInput: undefined, mode: 'function' };
  if (typeof value !== 'object' || Array.isArray(value))
    throw new ConfigError(field, 'a mapping', value);
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (key !== 'test_input' && key !== 'mode') {
      throw new ConfigError(`${field}.${key}`, 'one of test_input, mode', key);
    }
  }
  return {
    testInput: record['test_input'] as Json | undefined,
    mode: oneOf(record['mode'] ?? 'function', `${field}.mode`, CALL_STYLES),
  };
}

/** A directory inside the repository; `.` (or empty) is its root. */
function relativeDir(value: unknown, field: string): string {
  if (typeof value === 'string' && (value.trim() === '' || value.trim() === '.')) return '.';
  return relativePath(value, field).replace(/\/+$/, '');
}

/**
 * A plain value (every tool) or a mapping of tools glob → value, e.g.
 * `working-directory: {"code_evolver/tools/**": code_evolver}`.
 */
function perGlob<T>(
  value: unknown,
  field: string,
  parse: (value: unknown, field: string) => T,
): PerGlob<T>[] {
  if (value === undefined || value === null || value === '') return [];
  if (typeof value === 'object' && !Array.isArray(value)) {
    return Object.entries(value as Record<string, unknown>).map(([glob, v]) => {
      if (glob.trim() === '') throw new ConfigError(field, 'a mapping of tools globs', glob);
      return Object.freeze({ glob: glob.trim(), value: parse(v, `${field}.${glob}`) });
    });
  }
  return [Object.freeze({ glob: '**', value: parse(value, field) })];
}
