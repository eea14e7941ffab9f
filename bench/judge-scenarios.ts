/**
 * Labelled judge scenarios: the guide's worked examples, one or more per row of its "Common
 * Scenarios" table, and the policy's edge cases. Used by bench/judge.ts and the judge tests.
 */
import { DEFAULT_SETTINGS } from '../src/verdict/policy.js';
import type { Claims, Evidence, JudgeInput, PolicySettings, Verdict } from '../src/domain/types.js';

export interface Scenario {
  readonly name: string;
  /** The guide's row or example this stands for, when any. */
  readonly guide?: string;
  readonly label: Verdict;
  readonly input: JudgeInput;
}

const BASE: Evidence = {
  time_ratio: 1,
  time_ci_low: null,
  time_ci_high: null,
  time_change: null,
  memory_ratio: null,
  security_old: 0,
  security_new: 0,
  complexity_old: null,
  complexity_new: null,
  syntax_valid_old: true,
  syntax_valid_new: true,
};

/** Evidence from a point measurement (the guide's `execution_time_ms` pair). */
export function point(ratio: number, extra: Partial<Evidence> = {}): Evidence {
  return { ...BASE, time_ratio: ratio, ...extra };
}

/** Evidence from a measured interval. */
export function measured(
  ratio: number,
  ciLow: number,
  ciHigh: number,
  change: Evidence['time_change'],
  extra: Partial<Evidence> = {},
): Evidence {
  return {
    ...BASE,
    time_ratio: ratio,
    time_ci_low: ciLow,
    time_ci_high: ciHigh,
    time_change: change,
    ...extra,
  };
}

/** A PR as a user writes it: its title, its summary, the requirement change, the features. */
interface Pr {
  readonly title?: string;
  readonly summary?: string;
  readonly requirement?: readonly [string, string];
  readonly features?: readonly string[];
  readonly commits?: readonly string[];
}

function claimsOf(pr: Pr): Claims {
  const claims: { -readonly [K in keyof Claims]: Claims[K] } = {};
  if (pr.title !== undefined) claims.pr_title = pr.title;
  if (pr.summary !== undefined) claims.change_summary = pr.summary;
  if (pr.requirement !== undefined) {
    claims.previous_requirement = pr.requirement[0];
    claims.new_requirement = pr.requirement[1];
  }
  if (pr.features !== undefined) claims.feature_additions = pr.features;
  if (pr.commits !== undefined) claims.commit_messages = pr.commits;
  return claims;
}

function scenario(
  name: string,
  label: Verdict,
  evidence: Evidence,
  pr: Pr | Claims,
  oldCode: string,
  newCode: string,
  guide?: string,
  policy?: Partial<PolicySettings>,
): Scenario {
  const claims =
    'title' in pr || 'summary' in pr || 'requirement' in pr || 'features' in pr || 'commits' in pr
      ? claimsOf(pr)
      : (pr as Claims);
  const input: JudgeInput = {
    evidence,
    claims,
    old_code: oldCode,
    new_code: newCode,
    ...(policy === undefined ? {} : { policy: { ...DEFAULT_SETTINGS, ...policy } }),
  };
  const s = { name, label, input };
  return guide === undefined ? s : { ...s, guide };
}

const PARSE = [
  'def parse(data): return json.loads(data)',
  'def parse(data): validate_schema(data); return json.loads(sanitize(data))',
] as const;
const SORT = [
  'def sort_data(data): return sorted(data)',
  'def sort_data(data): return bubble_sort(data)',
] as const;
const AVG = [
  'def avg(xs): return sum(xs) / len(xs)',
  'def avg(xs): return sum(xs) / len(xs) if xs else 0',
] as const;
const SAME = ['def f(x): return x', 'def f(x): return x'] as const;
const TOTAL = [
  'def total(xs): return sum(xs)',
  'def total(xs):\n    t = 0\n    for x in list(xs): t = t + x\n    return t',
] as const;
const LOOKUP = ['def find(xs, k): return k in xs', 'def find(xs, k): return k in set(xs)'] as const;

export const SCENARIOS: readonly Scenario[] = [
  // --- Example 1 / Security improvement (ACCEPT, 75-90) ---
  scenario(
    'Example 1: security fix, 50 % slower, issues 2 → 0',
    'ACCEPT',
    point(1.5, { security_old: 2, security_new: 0 }),
    { change_summary: 'Validate and sanitize input' },
    ...PARSE,
    'Example 1',
  ),
  scenario(
    'evaluate example: 5 → 7.5 ms, schema validation, issues 2 → 0',
    'ACCEPT',
    point(1.5, { security_old: 2, security_new: 0, memory_ratio: 1.25 }),
    {
      previous_requirement: 'Parse JSON',
      new_requirement: 'Parse JSON with validation',
      change_summary: 'Added schema validation and security checks',
      feature_additions: ['Schema validation', 'Security scanning'],
      feature_removals: [],
      breaking_changes: [],
    },
    'def parse(data): return json.loads(data)',
    'def parse(data): validate(data); return json.loads(data)',
    'evaluate example',
  ),
  scenario(
    'security improvement, 30 % slower, issues 3 → 1',
    'ACCEPT',
    measured(1.3, 1.27, 1.33, 'regression', { security_old: 3, security_new: 1 }),
    { title: 'Use parameterised queries' },
    'def q(db, n): return db.execute("SELECT * FROM t WHERE n = \'%s\'" % n)',
    'def q(db, n): return db.execute("SELECT * FROM t WHERE n = ?", (n,))',
    'Common: Security improvement',
  ),
  scenario(
    'security: escape shell arguments, 20 % slower, issues 1 → 0',
    'ACCEPT',
    measured(1.2, 1.17, 1.23, 'regression', { security_old: 1, security_new: 0 }),
    {
      title: 'security: escape shell arguments',
      requirement: ['Run a command', 'Run a command safely'],
    },
    'def run(c): return os.system(c)',
    'def run(c): return subprocess.run(shlex.split(c))',
    'Common: Security improvement',
  ),
  scenario(
    'fix: sanitise paths, 60 % slower [1.55, 1.65], issues 2 → 0',
    'ACCEPT',
    measured(1.6, 1.55, 1.65, 'regression', { security_old: 2, security_new: 0 }),
    { title: 'fix: sanitise user paths (CVE-2025-1234)' },
    'def read(p): return open(p).read()',
    'def read(p): return open(safe_join(ROOT, p)).read()',
    'Common: Security improvement',
  ),
  // --- Example 2 / Feature addition (ACCEPT if < 30 %; REVIEW 10-30 % here) ---
  scenario(
    'Example 2: filtering + logging, 25 % slower',
    'REVIEW',
    point(1.25),
    { feature_additions: ['Filtering', 'Logging'] },
    'def process(items): return [x*2 for x in items]',
    'def process(items): filtered = [x for x in items if x > 0]; log(filtered); return [x*2 for x in filtered]',
    'Example 2',
  ),
  scenario(
    'feature addition, 8 % slower',
    'ACCEPT',
    measured(1.08, 1.06, 1.1, 'regression'),
    { features: ['Unicode normalisation'] },
    'def slug(s): return s.lower().replace(" ", "-")',
    'def slug(s): return unicodedata.normalize("NFKC", s).lower().replace(" ", "-")',
    'Common: Feature addition (< 10 %)',
  ),
  scenario(
    'feat: strict mode, 5 % slower',
    'ACCEPT',
    measured(1.05, 1.03, 1.07, 'regression'),
    { title: 'feat: add a strict mode', features: ['Strict mode'] },
    'def load(s): return json.loads(s)',
    'def load(s, strict=False): return json.loads(s, strict=strict)',
    'Common: Feature addition (< 10 %)',
  ),
  scenario(
    'feature addition, 25 % slower',
    'REVIEW',
    measured(1.25, 1.22, 1.28, 'regression'),
    { summary: 'Validate argument types', features: ['Type validation'] },
    'def add(a, b): return a + b',
    'def add(a, b):\n    check(a); check(b)\n    return a + b',
    'Common: Feature addition (< 30 %, departs: REVIEW)',
  ),
  scenario(
    'feature addition, 45 % slower',
    'REVIEW',
    measured(1.45, 1.4, 1.5, 'regression'),
    { title: 'Retry failed reads', features: ['Retries', 'Caching'] },
    'def get(k): return store[k]',
    'def get(k): return retry(lambda: cache(store)[k])',
    'Common: Feature addition (≥ 30 %)',
  ),
  scenario(
    '3× slower (point) with claimed features',
    'REVIEW',
    point(3),
    { features: ['Caching layer'] },
    'def f(x): return x',
    'def f(x): return cache(x)',
    'Common: Feature addition (> 50 %, point)',
  ),
  scenario(
    '3× slower, interval [2.9, 3.1], with claimed features',
    'REJECT',
    measured(3, 2.9, 3.1, 'regression'),
    { features: ['Caching layer'] },
    'def f(x): return x',
    'def f(x): return cache(x)',
    'Common: Feature addition (> 50 %, proven)',
  ),
  // --- Refactoring (ACCEPT if complexity improved) ---
  scenario(
    'refactoring, time unchanged, complexity 8 → 4',
    'ACCEPT',
    measured(1.01, 0.99, 1.02, 'unchanged', { complexity_old: 8, complexity_new: 4 }),
    { summary: 'Split the parser' },
    'def f(x):\n    if x: return 1\n    return 2',
    'def f(x):\n    return 1 if x else 2',
    'Common: Refactoring',
  ),
  scenario(
    'refactor: extract helpers, 4 % slower, complexity 10 → 6',
    'ACCEPT',
    measured(1.04, 1.025, 1.055, 'regression', { complexity_old: 10, complexity_new: 6 }),
    { title: 'refactor: extract helpers from the parser' },
    'def f(x):\n    if x: return 1\n    return 2',
    'def f(x):\n    return pick(x)',
    'Common: Refactoring',
  ),
  scenario(
    'refactor: simplify, time unchanged, complexity unchanged',
    'ACCEPT',
    measured(1, 0.99, 1.01, 'unchanged', { complexity_old: 3, complexity_new: 3 }),
    { title: 'refactor: simplify names' },
    'def f(a): return a + 1',
    'def f(value): return value + 1',
    'Common: Refactoring',
  ),
  scenario(
    'refactoring, 20 % slower, complexity 8 → 4',
    'REVIEW',
    measured(1.2, 1.17, 1.23, 'regression', { complexity_old: 8, complexity_new: 4 }),
    {},
    'def f(x):\n    if x: return 1\n    return 2',
    'def f(x):\n    return [1, 2][0 if x else 1]',
    'Common: Refactoring (slower)',
  ),
  // --- Bug fix (REVIEW 50-70) ---
  scenario(
    'bug fix, 15 % slower, requirement changed',
    'REVIEW',
    measured(1.15, 1.12, 1.18, 'regression'),
    {
      requirement: ['Average of numbers', 'Average of numbers; empty input returns 0'],
      summary: 'Fix ZeroDivisionError on empty input',
    },
    ...AVG,
    'Common: Bug fix',
  ),
  scenario(
    'fix: handle an empty list, 8 % slower',
    'REVIEW',
    measured(1.08, 1.06, 1.1, 'regression'),
    { title: 'fix: handle an empty list' },
    ...AVG,
    'Common: Bug fix',
  ),
  scenario(
    'fix with a feature list, 5 % slower',
    'REVIEW',
    measured(1.05, 1.03, 1.07, 'regression'),
    { title: 'fix(avg): crash on empty input', features: ['Empty input returns 0'] },
    ...AVG,
    'Common: Bug fix',
  ),
  scenario(
    'correct the rounding of negatives, 25 % slower',
    'REVIEW',
    measured(1.25, 1.22, 1.28, 'regression'),
    { summary: 'Correct rounding of negative numbers (was off by one)' },
    'def r(x): return int(x + 0.5)',
    'def r(x): return math.floor(x + 0.5)',
    'Common: Bug fix',
  ),
  // --- Example 3 / Optimization failure (REJECT 10-25) ---
  scenario(
    'Example 3: bubble sort, 200 % slower, no features',
    'REJECT',
    point(3),
    { feature_additions: [] },
    ...SORT,
    'Example 3',
  ),
  scenario(
    'Example 3 as written: "Sort the data faster", "Optimise sorting"',
    'REJECT',
    point(3),
    {
      requirement: ['Sort the data', 'Sort the data faster'],
      summary: 'Optimise sorting',
      features: [],
    },
    ...SORT,
    'Example 3',
  ),
  scenario(
    'Example 3 measured: "perf: faster sort", interval [2.8, 3.2]',
    'REJECT',
    measured(3, 2.8, 3.2, 'regression'),
    { title: 'perf: faster sort_data' },
    ...SORT,
    'Example 3',
  ),
  scenario(
    'optimization failure, 80 % slower',
    'REJECT',
    measured(1.8, 1.7, 1.9, 'regression'),
    { summary: 'Optimised the loop' },
    ...TOTAL,
    'Common: Optimization failure',
  ),
  scenario(
    'Add a cache, 45 % slower',
    'REJECT',
    measured(1.45, 1.4, 1.5, 'regression'),
    { title: 'Add a cache in front of the store', features: ['Caching'] },
    'def get(k): return store[k]',
    'def get(k): return cache(store)[k]',
    'Common: Optimization failure',
  ),
  scenario(
    'perf: cache compiled patterns, 15 % slower',
    'REJECT',
    measured(1.15, 1.12, 1.18, 'regression'),
    { title: 'perf: cache compiled patterns' },
    're.match(p, s)',
    'compiled(p).match(s)',
    'Common: Optimization failure',
  ),
  scenario(
    'Speed up lookups, 6 % slower',
    'REJECT',
    measured(1.06, 1.04, 1.08, 'regression'),
    { title: 'Speed up lookups', commits: ['Use a set for membership'] },
    ...LOOKUP,
    'Common: Optimization failure',
  ),
  // --- No changes (REJECT 5-15: investigate the environment) ---
  scenario(
    'no code change, 20 % slower',
    'REJECT',
    point(1.2, { code_changed: false }),
    {},
    ...SAME,
    'Common: No changes',
  ),
  scenario(
    'chore: bump version, code identical, [1.15, 1.25]',
    'REJECT',
    measured(1.2, 1.15, 1.25, 'regression', { code_changed: false }),
    { title: 'chore: bump version' },
    ...SAME,
    'Common: No changes',
  ),
  scenario(
    'feat: claims a feature, code identical, 30 % slower',
    'REJECT',
    measured(1.3, 1.25, 1.35, 'regression', { code_changed: false }),
    { title: 'feat: new mode', features: ['New mode'] },
    ...SAME,
    'Common: No changes',
  ),
  // --- Intent ---
  scenario(
    'speed up, measured no change',
    'REVIEW',
    measured(1, 0.99, 1.01, 'unchanged'),
    { title: 'Speed up lookups' },
    ...LOOKUP,
  ),
  scenario(
    'optimise, inconclusive [0.9, 1.04]',
    'REVIEW',
    measured(0.97, 0.9, 1.04, 'inconclusive'),
    { summary: 'Optimise the hot loop' },
    ...TOTAL,
  ),
  scenario(
    'perf: measured 30 % faster',
    'ACCEPT',
    measured(0.7, 0.68, 0.72, 'improvement'),
    { title: 'perf: use a set' },
    ...LOOKUP,
  ),
  scenario(
    'fix, "no performance impact", 15 % slower',
    'REVIEW',
    measured(1.15, 1.12, 1.18, 'regression'),
    { title: 'fix: crash on None; no performance impact' },
    ...AVG,
  ),
  scenario(
    'intent: optimization (configured), 20 % faster',
    'ACCEPT',
    measured(0.8, 0.78, 0.82, 'improvement'),
    {},
    ...LOOKUP,
    undefined,
    { intent: 'optimization' },
  ),
  scenario(
    'intent: optimization (configured), 3 % faster: marginal',
    'REVIEW',
    measured(0.97, 0.96, 0.975, 'improvement'),
    {},
    ...LOOKUP,
    undefined,
    { intent: 'optimization' },
  ),
  scenario(
    'intent: optimization (configured), 10 % slower',
    'REJECT',
    measured(1.1, 1.08, 1.12, 'regression'),
    { features: ['Logging'] },
    ...LOOKUP,
    undefined,
    { intent: 'optimization' },
  ),
  scenario(
    'intent: feature (configured), 8 % slower, no feature list',
    'ACCEPT',
    measured(1.08, 1.06, 1.1, 'regression'),
    {},
    'def slug(s): return s.lower()',
    'def slug(s): return s.casefold()',
    undefined,
    { intent: 'feature' },
  ),
  scenario(
    'intent: off, "perf:" title, 15 % slower',
    'REVIEW',
    measured(1.15, 1.12, 1.18, 'regression'),
    { title: 'perf: cache compiled patterns' },
    're.match(p, s)',
    'compiled(p).match(s)',
    undefined,
    { intent: 'off' },
  ),
  // --- Knobs ---
  scenario(
    'max-slowdown 10 %: +20 % [+17 %, +23 %] with features',
    'REJECT',
    measured(1.2, 1.17, 1.23, 'regression'),
    { features: ['Type validation'] },
    'def add(a, b): return a + b',
    'def add(a, b):\n    check(a); check(b)\n    return a + b',
    undefined,
    { maxSlowdown: 0.1 },
  ),
  scenario(
    'max-slowdown 10 %: +20 % with a security fix',
    'ACCEPT',
    measured(1.2, 1.17, 1.23, 'regression', { security_old: 1, security_new: 0 }),
    { features: ['Type validation'] },
    'def add(a, b): return eval(f"{a}+{b}")',
    'def add(a, b): return a + b if ok(a, b) else None',
    undefined,
    { maxSlowdown: 0.1 },
  ),
  scenario(
    'max-slowdown 25 %: +20 % with features',
    'REVIEW',
    measured(1.2, 1.17, 1.23, 'regression'),
    { features: ['Type validation'] },
    'def add(a, b): return a + b',
    'def add(a, b):\n    check(a); check(b)\n    return a + b',
    undefined,
    { maxSlowdown: 0.25 },
  ),
  scenario(
    'max-slowdown 10 %: inconclusive [0.95, 1.3]',
    'REVIEW',
    measured(1.1, 0.95, 1.3, 'inconclusive'),
    {},
    'def f(x): return x',
    'def f(x): return io_bound(x)',
    undefined,
    { maxSlowdown: 0.1 },
  ),
  // --- The policy's edge cases ---
  scenario(
    '3.15× slower, unjustified, interval [3.0, 3.3]',
    'REJECT',
    measured(3.15, 3.0, 3.3, 'regression'),
    { title: 'Update sort_data' },
    ...SORT,
  ),
  scenario(
    'measured improvement, 30 % faster',
    'ACCEPT',
    measured(0.7, 0.68, 0.72, 'improvement'),
    {},
    'def f(xs): return [x for x in xs if x in set(xs)]',
    'def f(xs):\n    s = set(xs)\n    return [x for x in xs if x in s]',
  ),
  scenario(
    'inconclusive, point 1.6, interval 0.8–2.4',
    'REVIEW',
    measured(1.6, 0.8, 2.4, 'inconclusive'),
    {},
    'def f(x): return x',
    'def f(x): return io_bound(x)',
  ),
  scenario(
    'faster but security findings 1 → 3',
    'REJECT',
    measured(0.9, 0.88, 0.92, 'improvement', { security_old: 1, security_new: 3 }),
    { feature_additions: ['Speed'] },
    'def run(cmd): return subprocess.run(cmd)',
    'def run(cmd): return os.system(cmd)',
  ),
  scenario(
    'new version does not parse',
    'REJECT',
    point(1, { syntax_valid_new: false }),
    {},
    'def f(x): return x',
    'def f(x) return x',
  ),
  scenario(
    'memory ×3, time unchanged',
    'REVIEW',
    measured(1, 0.99, 1.01, 'unchanged', { memory_ratio: 3 }),
    {},
    'def f(xs): return sum(xs)',
    'def f(xs): return sum(list(xs) * 1)',
  ),
  scenario(
    '12 % slower, no claims',
    'REVIEW',
    measured(1.12, 1.1, 1.14, 'regression'),
    {},
    'def f(x): return x',
    'def f(x): return copy(x)',
  ),
  scenario(
    '40 % slower, no claims',
    'REJECT',
    measured(1.4, 1.35, 1.45, 'regression'),
    {},
    'def f(x): return x',
    'def f(x): return deepcopy(x)',
  ),
  scenario(
    'time unchanged, no claims',
    'ACCEPT',
    measured(1, 0.98, 1.02, 'unchanged'),
    {},
    'def f(x): return x + 1',
    'def f(x):\n    return x + 1',
  ),
];
