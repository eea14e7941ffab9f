/**
 * bench/evidence (issue 24): two figures the tests cannot assert at any load.
 *
 * 1. What comparing the outputs costs: per tool, a default-budget comparison (20 s) over four
 *    usable inputs, and the output work inside it — the answers on each input (a fresh pair of
 *    processes per input, two calls per version: src/measure/compare.ts), the two extra answer
 *    checks per version in the first pair (timed here as round trips in a warm harness child)
 *    and the comparison of the answers. Target: ≤ 5 % of the comparison's wall time.
 * 2. Whether the growth probe tells O(n) from O(n²), in Python and in JavaScript: `--runs` probes
 *    (default 20) of a linear base against a quadratic head and against itself (A/A), each in
 *    the probe's share of a budget: 25 % of the default 20 s, and of a 4 s budget (the smallest
 *    that reserves a share).
 *    Target: ≥ 19/20 right each way at the default budget.
 *
 * Run: `node bench/evidence-run.mjs [--runs 20] [--skip-outputs] [--skip-growth]
 * [--language python|javascript]`. Each probe's exponents are printed as base→head@×largest
 * size, `!` marking a wrong decision. Prints the 1-minute load average beside the figures.
 */
import { loadavg } from 'node:os';
import type { Json, Language, TestCase, ToolVersion } from '../src/domain/types.js';
import { answersOnEach, compareTool } from '../src/measure/compare.js';
import { probeGrowth } from '../src/measure/growth.js';
import { compareOutputs } from '../src/measure/outputs.js';
import { boot, checkCall, Deadline, newSides } from '../src/measure/protocol.js';
import { cleanup } from '../src/measure/launch.js';

const args = process.argv.slice(2);
const option = (name: string, fallback: number): number => {
  const at = args.indexOf(`--${name}`);
  return at === -1 ? fallback : Number(args[at + 1]);
};
const RUNS = option('runs', 20);
const BUDGET_MS = 20_000;
const load = (): string => loadavg()[0]!.toFixed(2);
const version = (
  code: string,
  language: Language,
  testInput: Json,
  mode: 'function' | 'executable' = 'function',
): ToolVersion => ({
  code,
  language,
  mode,
  testInput,
});

/** A tool: both versions' code, its language and mode, its four usable inputs. */
interface BenchTool {
  readonly name: string;
  readonly base: string;
  readonly head: string;
  readonly language: Language;
  readonly mode: 'function' | 'executable';
  readonly cases: readonly TestCase[];
}

const TOOLS: readonly BenchTool[] = [
  {
    name: 'python function (word count)',
    base: 'def f(text):\n    return {w: text.split().count(w) for w in set(text.split())}\n',
    head: 'def f(text):\n    out = {}\n    for w in text.split():\n        out[w] = out.get(w, 0) + 1\n    return out\n',
    language: 'python',
    mode: 'function',
    cases: ['a b a c b a', 'x y', 'one two one', 'p'].map((text) => ({ input: { text } })),
  },
  {
    name: 'javascript function (sort)',
    base: 'export default function f({ xs }) { return [...xs].sort((a, b) => a - b); }',
    head: 'export default function f({ xs }) { return xs.slice().sort((a, b) => a - b); }',
    language: 'javascript',
    mode: 'function',
    cases: [[5, 3, 9, 1, 7], [2, 1], [4, 4, 0], [8]].map((xs) => ({ input: { xs } })),
  },
  {
    name: 'python executable (stdin JSON)',
    base: 'import json, sys\nd = json.load(sys.stdin)\nprint(json.dumps({"sum": sum(d["xs"])}))\n',
    head: 'import json, sys\nd = json.load(sys.stdin)\ns = 0\nfor x in d["xs"]:\n    s += x\nprint(json.dumps({"sum": s}))\n',
    language: 'python',
    mode: 'executable',
    cases: [[1, 2, 3], [4], [5, 6], [7, 8, 9, 10]].map((xs) => ({ input: { xs } })),
  },
];

/** Round trip of one `check` call in a warm child of `v`, ms (an extra call a pair makes). */
async function checkMs(v: ToolVersion): Promise<number> {
  const side = (await newSides([['new', v]]))[0]!;
  const deadline = new Deadline(Date.now() + 10_000);
  try {
    const child = await boot(side, deadline);
    if (child === undefined) throw new Error(side.error?.message ?? 'no child');
    try {
      await checkCall(side, child, deadline);
      const start = performance.now();
      await checkCall(side, child, deadline);
      return performance.now() - start;
    } finally {
      child.close();
    }
  } finally {
    cleanup(side.prepared);
  }
}

async function outputsCost(): Promise<void> {
  console.log(
    `outputs compared on 4 inputs: extra wall time per comparison (budget ${BUDGET_MS / 1000} s), load ${load()}`,
  );
  for (const tool of TOOLS) {
    const at = (input: Json) => ({
      old: version(tool.base, tool.language, input, tool.mode),
      new: version(tool.head, tool.language, input, tool.mode),
    });
    const first = at(tool.cases[0]!.input);
    const c = await compareTool(first.old, first.new, {
      budgetMs: BUDGET_MS,
      confidence: 0.99,
      delta: 0.02,
      cases: tool.cases,
      versionsAt: at,
    });
    // The same work as the comparison's answers phase, timed alone.
    const answersStart = performance.now();
    const answers = await answersOnEach(tool.cases, at, {}, Date.now() + BUDGET_MS / 4);
    const answersMs = performance.now() - answersStart;
    // Two extra checks per version in the first pair (after the cold one, after the rounds).
    const checks = 2 * ((await checkMs(first.old)) + (await checkMs(first.new)));
    const start = performance.now();
    compareOutputs([...answers.values()]);
    const compareMs = performance.now() - start;
    const extra = answersMs + checks + compareMs;
    console.log(
      `  ${tool.name}: comparison ${c.wall_ms} ms (${c.time.change}, ${c.time.pairs} pairs, outputs differ on ${c.outputs?.differing ?? '?'} of ${c.outputs?.inputs ?? '?'}); answers on 4 inputs ${answersMs.toFixed(0)} ms + checks ${checks.toFixed(1)} ms + compare ${compareMs.toFixed(2)} ms = ${((100 * extra) / c.wall_ms).toFixed(2)} % (load ${load()})`,
    );
  }
}

const GROWTH_TOOLS = {
  python: {
    linear:
      'def f(items):\n    seen, out = set(), []\n    for x in items:\n        if x not in seen:\n            seen.add(x)\n            out.append(x)\n    return out\n',
    quadratic:
      'def f(items):\n    out = []\n    for x in items:\n        if x not in out:\n            out.append(x)\n    return out\n',
  },
  javascript: {
    linear:
      'export default function f({ items }) {\n  const seen = new Set(); const out = [];\n  for (const x of items) if (!seen.has(x)) { seen.add(x); out.push(x); }\n  return out;\n}\n',
    quadratic:
      'export default function f({ items }) {\n  const out = [];\n  for (const x of items) if (!out.includes(x)) out.push(x);\n  return out;\n}\n',
  },
} as const;

async function growthDecisions(budgetMs: number, language: 'python' | 'javascript'): Promise<void> {
  const input: Json = { items: [3, 1, 4, 1, 5, 9, 2, 6] };
  const probeMs = budgetMs * 0.25;
  const { linear, quadratic } = GROWTH_TOOLS[language];
  console.log(
    `growth probe (${language}) at a ${budgetMs / 1000} s budget: ${RUNS} runs each, ${probeMs / 1000} s per probe, load ${load()}`,
  );
  for (const [name, head, want] of [
    ['O(n) → O(n²)', quadratic, true],
    ['O(n) → O(n) (A/A)', linear, false],
  ] as const) {
    let right = 0;
    let unmeasured = 0;
    const exponents: string[] = [];
    const reasons = new Set<string>();
    for (let r = 0; r < RUNS; r++) {
      const g = await probeGrowth(
        input,
        (i) => ({ old: version(linear, language, i), new: version(head, language, i) }),
        { budgetMs: probeMs },
      );
      if (g.rises === want) right++;
      if (g.new === undefined) {
        unmeasured++;
        reasons.add(g.reason ?? '?');
      }
      exponents.push(
        g.new === undefined
          ? '—'
          : `${g.old?.exponent}→${g.new.exponent}@×${g.largest_factor}${g.rises === want ? '' : '!'}`,
      );
    }
    console.log(
      `  ${name}: ${right}/${RUNS} decided right (target ≥ ${Math.ceil(RUNS * 0.95)}), ${unmeasured} not measured${reasons.size === 0 ? '' : ` (${[...reasons].slice(0, 2).join(' | ')})`}; exponents base→head: ${exponents.join(' ')} (load ${load()})`,
    );
  }
}

if (!args.includes('--skip-outputs')) await outputsCost();
const languages = args.includes('--language')
  ? [args[args.indexOf('--language') + 1] as 'python' | 'javascript']
  : (['python', 'javascript'] as const);
if (!args.includes('--skip-growth'))
  for (const language of languages)
    for (const budget of [BUDGET_MS, 4000]) await growthDecisions(budget, language);
