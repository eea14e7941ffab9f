/**
 * bench/first-calls (issue 23, item 6): what the interpreter-only first-call pairs
 * (src/measure/first-calls.ts) read for JS memos and honest changes, and what they cost per
 * comparison. Per case, `--runs` comparisons (default 3) through the real measurer at `--budget`
 * seconds (default 10), the test input `{n: --n}` (default 2000, the hostile corpus's): the JIT's
 * first-call ratio and second call, the interpreter's first-call ratio, later-call ratio and
 * excess with its interval, whether policy.ts shows state across calls, the pairs' cost (ms)
 * and the 1-minute load beside each row.
 *
 * Run: `node bench/first-calls-run.mjs [--runs 3] [--n 2000] [--budget 10]`.
 */
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import type { Json, Language } from '../src/domain/types.js';
import { createMeasurer } from '../src/measure/index.js';
import { buildEvidence, stateAcrossCalls } from '../src/verdict/policy.js';

const args = process.argv.slice(2);
const option = (name: string, fallback: number): number => {
  const at = args.indexOf(`--${name}`);
  return at === -1 ? fallback : Number(args[at + 1]);
};
const RUNS = option('runs', 3);
const N = option('n', 2000);
const BUDGET_MS = option('budget', 10) * 1000;

const HELPER =
  'function work(n, times) {\n  let s = 0;\n  for (let t = 0; t < times; t++) for (let i = 0; i < n; i++) s += i * i;\n  return s;\n}\n\n';
const plain = (times: number): string =>
  `${HELPER}export default function tool({ n }) {\n  return work(n, ${times});\n}\n`;
/** `first` times the base's work on a process's first call, then a look-up and the base's work. */
const memo = (first: number): string =>
  `${HELPER}const cache = new Map();\n\nexport default function tool({ n }) {\n  if (!cache.has(n)) cache.set(n, work(Math.round(n * ${first - 1}), 1));\n  return cache.get(n) * 0 + work(n, 1);\n}\n`;
/** 10× the work once per process, cached: every later call a look-up. */
const memoAll = `${HELPER}const cache = new Map();\n\nexport default function tool({ n }) {\n  if (!cache.has(n)) cache.set(n, work(n, 10));\n  return cache.get(n);\n}\n`;
const example = (path: string): string =>
  readFileSync(new URL(`../examples/${path}`, import.meta.url), 'utf8');
const checksumInput = (JSON.parse(example('tools/math/checksum.perf.json')) as { test_input: Json })
  .test_input;

const CASES: readonly (readonly [string, Language, string, string, Json])[] = [
  ['A/A', 'javascript', plain(1), plain(1), { n: N }],
  ['memo 10× (steady unchanged)', 'javascript', plain(1), memo(10), { n: N }],
  ['memo 7.8× (steady unchanged)', 'javascript', plain(1), memo(7.8), { n: N }],
  ['memo 10×, cached (steady −99 %)', 'javascript', plain(1), memoAll, { n: N }],
  ['honest 3× slowdown', 'javascript', plain(1), plain(3), { n: N }],
  ['honest 3× speed-up', 'javascript', plain(3), plain(1), { n: N }],
  [
    'example checksum (loop for split/map/reduce)',
    'typescript',
    example('tools/math/checksum.ts'),
    example('head/tools/math/checksum.ts'),
    checksumInput,
  ],
];

const f = (x: number | undefined): string => (x === undefined ? '-' : x.toPrecision(3));
console.log(`# budget ${BUDGET_MS / 1000} s, n ${N}, Node ${process.version}`);
console.log(
  'case | JIT first | JIT second | steady | interp first | interp later | excess [interval] | shown | pairs | cost ms | load',
);
for (const [name, language, oldCode, newCode, testInput] of CASES)
  for (let run = 0; run < RUNS; run++) {
    const version = (code: string) => ({ code, language, mode: 'function' as const, testInput });
    const c = await createMeasurer().compare(version(oldCode), version(newCode), {
      budgetMs: BUDGET_MS,
      confidence: 0.99,
      delta: 0.02,
    });
    const i = c.cold?.interpreted;
    const state = stateAcrossCalls(buildEvidence({ comparison: c }), 0.02);
    console.log(
      [
        name,
        f(c.cold?.ratio ?? undefined),
        f(c.cold?.second_ratio),
        f(c.time.ratio),
        f(i?.first_ratio),
        f(i?.later_ratio),
        `${f(i?.excess)} [${f(i?.excess_ci_low)}, ${f(i?.excess_ci_high)}]`,
        state === null ? 'no' : state.includes('JIT off') ? 'yes (interp)' : 'yes (JIT)',
        i?.pairs ?? 0,
        i?.cost_ms ?? '-',
        loadavg()[0]!.toFixed(2),
      ].join(' | '),
    );
  }
