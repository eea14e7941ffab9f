/**
 * Labelled judge scenarios: the guide's worked examples, one or more per row of its "Common
 * Scenarios" table, and the policy's edge cases. Used by bench/judge.ts and the judge tests.
 */
import type { Claims, Evidence, JudgeInput, Verdict } from '../src/core/types.js';

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

function scenario(
  name: string,
  label: Verdict,
  evidence: Evidence,
  claims: Claims,
  oldCode: string,
  newCode: string,
  guide?: string,
): Scenario {
  const s = { name, label, input: { evidence, claims, old_code: oldCode, new_code: newCode } };
  return guide === undefined ? s : { ...s, guide };
}

export const SCENARIOS: readonly Scenario[] = [
  scenario(
    'Example 1: security fix, 50 % slower, issues 2 → 0',
    'ACCEPT',
    point(1.5, { security_old: 2, security_new: 0 }),
    { change_summary: 'Validate and sanitize input' },
    'def parse(data): return json.loads(data)',
    'def parse(data): validate_schema(data); return json.loads(sanitize(data))',
    'Example 1',
  ),
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
    'Example 3: bubble sort, 200 % slower, no features',
    'REJECT',
    point(3),
    { feature_additions: [] },
    'def sort_data(data): return sorted(data)',
    'def sort_data(data): return bubble_sort(data)',
    'Example 3',
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
    { change_summary: 'Use parameterised queries' },
    'def q(db, n): return db.execute("SELECT * FROM t WHERE n = \'%s\'" % n)',
    'def q(db, n): return db.execute("SELECT * FROM t WHERE n = ?", (n,))',
    'Common: Security improvement',
  ),
  scenario(
    'feature addition, 8 % slower',
    'ACCEPT',
    measured(1.08, 1.06, 1.1, 'regression'),
    { feature_additions: ['Unicode normalisation'] },
    'def slug(s): return s.lower().replace(" ", "-")',
    'def slug(s): return unicodedata.normalize("NFKC", s).lower().replace(" ", "-")',
    'Common: Feature addition (< 10 %)',
  ),
  scenario(
    'feature addition, 25 % slower',
    'REVIEW',
    measured(1.25, 1.22, 1.28, 'regression'),
    { feature_additions: ['Type validation'] },
    'def add(a, b): return a + b',
    'def add(a, b):\n    check(a); check(b)\n    return a + b',
    'Common: Feature addition (< 30 %, departs: REVIEW)',
  ),
  scenario(
    'feature addition, 45 % slower',
    'REVIEW',
    measured(1.45, 1.4, 1.5, 'regression'),
    { feature_additions: ['Retries', 'Caching'] },
    'def get(k): return store[k]',
    'def get(k): return retry(lambda: cache(store)[k])',
    'Common: Feature addition (≥ 30 %)',
  ),
  scenario(
    'refactoring, time unchanged, complexity 8 → 4',
    'ACCEPT',
    measured(1.01, 0.99, 1.02, 'unchanged', { complexity_old: 8, complexity_new: 4 }),
    { change_summary: 'Split the parser' },
    'def f(x):\n    if x: return 1\n    return 2',
    'def f(x):\n    return 1 if x else 2',
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
  scenario(
    'bug fix, 15 % slower, requirement changed',
    'REVIEW',
    measured(1.15, 1.12, 1.18, 'regression'),
    {
      previous_requirement: 'Average of numbers',
      new_requirement: 'Average of numbers; empty input returns 0',
      change_summary: 'Fix ZeroDivisionError on empty input',
    },
    'def avg(xs): return sum(xs) / len(xs)',
    'def avg(xs): return sum(xs) / len(xs) if xs else 0',
    'Common: Bug fix',
  ),
  scenario(
    'optimization failure, 80 % slower',
    'REJECT',
    measured(1.8, 1.7, 1.9, 'regression'),
    { change_summary: 'Optimised the loop' },
    'def total(xs): return sum(xs)',
    'def total(xs):\n    t = 0\n    for x in list(xs): t = t + x\n    return t',
    'Common: Optimization failure',
  ),
  scenario(
    'no code change, 20 % slower',
    'REJECT',
    point(1.2, { code_changed: false }),
    {},
    'def f(x): return x',
    'def f(x): return x',
    'Common: No changes',
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
    '3× slower with claimed features',
    'REVIEW',
    measured(3, 2.9, 3.1, 'regression'),
    { feature_additions: ['Caching layer'] },
    'def f(x): return x',
    'def f(x): return cache(x)',
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
