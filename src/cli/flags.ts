/**
 * The CLI's one grammar: every flag of every command is declared here, once, with its meaning.
 * A flag that sets a configuration key has the key's name (and its meaning, from the settings
 * table); `--budget` is `time-budget-seconds` on every command that measures. A command's
 * `--help` lists its flags from this table, its parser accepts exactly them, and README's flag
 * table is checked against it (test/unit/cli-flags.test.ts).
 */
import { parseConfig, SETTINGS } from '../config/config.js';
import type { Config, SettingKey } from '../config/config.js';
import { ConfigError, PerfVerdictError } from '../domain/errors.js';

export interface Flag {
  readonly name: string;
  /** The value's placeholder; null for a switch, which takes none. */
  readonly value: string | null;
  readonly meaning: string;
  /** The configuration key the flag sets, when it sets one. */
  readonly setting?: SettingKey;
  /** Other spellings, accepted and listed. */
  readonly aliases?: readonly string[];
}

/** The setting's own meaning: said once, in the settings table. */
function settingFlag(key: SettingKey, value: string, extra: Partial<Flag> = {}): Flag {
  return { name: key, value, meaning: SETTINGS[key].meaning, setting: key, ...extra };
}

const flag = (name: string, value: string | null, meaning: string): Flag => ({
  name,
  value,
  meaning,
});

export const FLAGS = {
  base: flag(
    'base',
    'REF',
    "The PR's base branch or commit; the compared base is merge-base(REF, head).",
  ),
  head: flag('head', 'REF', 'The head to judge; default HEAD.'),
  repo: flag('repo', 'DIR', 'The git repository; default the current directory.'),
  json: flag('json', 'FILE', 'Write the versioned JSON report to FILE.'),
  markdown: flag('markdown', 'FILE', 'Write the PR comment / job summary markdown to FILE.'),
  config: flag(
    'config',
    'FILE',
    'The configuration file; default .perf-verdict.yml in the repository (optional).',
  ),
  title: flag('title', 'TEXT', "The PR's title: claims for every changed tool (untrusted)."),
  body: flag('body', 'TEXT', "The PR's body: claims for every changed tool (untrusted)."),
  registry: flag(
    'registry',
    'FILE',
    'The registry file; else PERF_VERDICT_REGISTRY, else tools/index.json (from the current directory).',
  ),
  list: flag('json', null, 'Print JSON instead of the table.'),
  chart: flag('chart', null, '`history`: time per call across versions as a terminal chart.'),
  out: flag('out', 'DIR', '`dashboard`: the folder to write the site to.'),
  driftPercent: flag(
    'drift-percent',
    'PCT',
    '`dashboard`: flag a tool whose time drifted by more than PCT (default 10).',
  ),
  driftVersions: flag('drift-versions', 'N', '`dashboard`: over its last N versions (default 5).'),
  repository: flag(
    'repository',
    'OWNER/NAME',
    '`dashboard`: link commits and files on GitHub; default GITHUB_REPOSITORY.',
  ),
  serverUrl: flag(
    'server-url',
    'URL',
    '`dashboard`: the GitHub server; default GITHUB_SERVER_URL, else https://github.com.',
  ),
  siteTitle: flag('title', 'TEXT', "`dashboard`: the site's title."),
  budget: settingFlag('time-budget-seconds', 'SECONDS', {
    name: 'budget',
    aliases: ['time-budget-seconds'],
  }),
  budgetMs: flag('budget-ms', 'MS', 'The old spelling of --budget, in milliseconds.'),
  tools: settingFlag('tools', 'GLOBS'),
  totalBudget: settingFlag('total-budget-seconds', 'SECONDS'),
  confidence: settingFlag('confidence', 'LEVEL'),
  delta: settingFlag('delta', 'FRACTION'),
  noiseZone: settingFlag('noise-zone', 'PCT'),
  maxSlowdown: settingFlag('max-slowdown', 'PCT'),
  intent: settingFlag('intent', 'auto|optimization|feature|off'),
  failOn: settingFlag('fail-on', 'reject|review|never'),
  securityFailOn: settingFlag('security-fail-on', 'high|medium|low'),
  definitions: settingFlag('definitions', 'list|ignore|review'),
  sandbox: settingFlag('sandbox', 'auto|required|off'),
  ollamaHost: settingFlag('ollama-host', 'URL'),
  ollamaModel: settingFlag('ollama-model', 'NAME'),
  ollamaDigest: settingFlag('ollama-digest', 'SHA256'),
  ollamaHeaders: settingFlag('ollama-headers', "'Name: value'"),
  ollamaTimeout: settingFlag('ollama-timeout-seconds', 'SECONDS'),
  ollamaPull: settingFlag('ollama-pull', 'if-missing|never'),
  ollamaPullTimeout: settingFlag('ollama-pull-timeout-seconds', 'SECONDS'),
} as const satisfies Record<string, Flag>;

/** What the judge reads: the model, and the policy it judges by. */
export const JUDGE_FLAGS: readonly Flag[] = [
  FLAGS.ollamaHost,
  FLAGS.ollamaModel,
  FLAGS.ollamaDigest,
  FLAGS.ollamaHeaders,
  FLAGS.ollamaTimeout,
  FLAGS.ollamaPull,
  FLAGS.ollamaPullTimeout,
  FLAGS.intent,
  FLAGS.maxSlowdown,
  FLAGS.noiseZone,
  FLAGS.delta,
];

/** What a measurement reads. */
export const MEASURE_FLAGS: readonly Flag[] = [FLAGS.budget, FLAGS.confidence, FLAGS.sandbox];

/** The flags' section of a command's `--help`: every flag it accepts, one line each. */
export function flagHelp(flags: readonly Flag[]): string {
  if (flags.length === 0) return 'options: none (besides --help)';
  const spelled = flags.map((f) => {
    const names = [f.name, ...(f.aliases ?? [])].map((n) => `--${n}`).join(', ');
    return f.value === null ? names : `${names} ${f.value}`;
  });
  const width = Math.min(40, Math.max(...spelled.map((s) => s.length)));
  return [
    'options:',
    ...flags.map((f, i) => {
      const left = spelled[i]!;
      const gap =
        left.length > width ? `\n  ${' '.repeat(width)}  ` : ' '.repeat(width - left.length + 2);
      return `  ${left}${gap}${f.meaning}`;
    }),
  ].join('\n');
}

/** Where a run's configuration comes from besides its flags: the file, and fallbacks. */
interface ConfigBase {
  /** The configuration file's data (gate), when there is one. */
  readonly file?: unknown;
  readonly fileName?: string;
  /** Values used when the flag is not given (e.g. PERF_VERDICT_OLLAMA_HOST), by setting. */
  readonly fallbacks?: Partial<Record<SettingKey, string | undefined>>;
}

/**
 * The run's configuration: every setting flag given wins over the file (a file-only key, such as
 * `security-fail-on`, over the file's value), then fallbacks, then built-in defaults. A bad value
 * is an error naming the flag as the user knows it (`option '--budget' must be …`).
 */
export function runConfig(
  given: Readonly<Record<string, string>>,
  specs: readonly Flag[],
  base: ConfigBase = {},
): Config {
  const inputs: Record<string, string> = {};
  const fileKeys: Record<string, string> = {};
  const byField = new Map<string, Flag>();
  for (const spec of specs) {
    if (spec.setting === undefined) continue;
    const value = given[spec.name] ?? base.fallbacks?.[spec.setting];
    if (value === undefined) continue;
    if (given[spec.name] !== undefined) byField.set(spec.setting, spec);
    if (SETTINGS[spec.setting].input) inputs[spec.setting] = value;
    else fileKeys[spec.setting] = value;
  }
  const fileName = base.fileName ?? '.perf-verdict.yml';
  const file =
    Object.keys(fileKeys).length === 0 || (base.file !== undefined && typeof base.file !== 'object')
      ? base.file
      : { ...(base.file as object | undefined), ...fileKeys };
  try {
    return parseConfig({ file, fileName, inputs });
  } catch (error) {
    const field = error instanceof ConfigError ? error.field : undefined;
    const key = field?.startsWith(`${fileName}: `) ? field.slice(fileName.length + 2) : field;
    const spec = key === undefined ? undefined : byField.get(key);
    if (spec === undefined || !(error instanceof ConfigError)) throw error;
    const message = error.message.replace(/^'[^']*'/, `option '--${spec.name}'`);
    throw new PerfVerdictError('config', message, spec.name);
  }
}

/** The measurement budget of a run in milliseconds (`--budget` is in seconds). */
export function budgetMsOf(config: Pick<Config, 'timeBudgetSeconds'>): number {
  return Math.round(config.timeBudgetSeconds * 1000);
}
