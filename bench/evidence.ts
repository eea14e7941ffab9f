/**
 * bench/evidence (issue 24): two figures the tests cannot assert at any load.
 *
 * 1. What comparing the outputs costs: per tool, a default-budget comparison's wall time, and
 *    the output work inside it — the one extra `check` call per version in the first pair (timed
 *    here as its round trip in a warm harness child) and the comparison of the answers. Target:
 *    ≤ 5 % of the comparison's wall time.
 * 2. Whether the growth probe tells O(n) from O(n²): `--runs` probes (default 20) of a linear
 *    base against a quadratic head and against itself (A/A), each in the probe's share of the
 *    default budget (25 % of 20 s). Target: ≥ 19/20 right each way.
 *
 * Run: `node bench/evidence-run.mjs [--runs 20] [--skip-outputs] [--skip-growth]`. Prints the
 * 1-minute load average beside the figures.
 */
import { loadavg } from 'node:os';
import type { Json, Language, ToolVersion } from '../src/domain/types.js';
import { probeGrowth } from '../src/measure/growth.js';
import { compareOutputs } from '../src/measure/outputs.js';
import { boot, checkCall, Deadline, newSides } from '../src/measure/protocol.js';
import { comparePair } from '../src/measure/protocol.js';
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

const TOOLS: readonly [string, ToolVersion, ToolVersion][] = [
  [
    'python function (word count)',
    version(
      'def f(text):\n    return {w: text.split().count(w) for w in set(text.split())}\n',
      'python',
      { text: 'a b a c b a' },
    ),
    version(
      'def f(text):\n    out = {}\n    for w in text.split():\n        out[w] = out.get(w, 0) + 1\n    return out\n',
      'python',
      { text: 'a b a c b a' },
    ),
  ],
  [
    'javascript function (sort)',
    version(
      'export default function f({ xs }) { return [...xs].sort((a, b) => a - b); }',
      'javascript',
      { xs: [5, 3, 9, 1, 7] },
    ),
    version(
      'export default function f({ xs }) { return xs.slice().sort((a, b) => a - b); }',
      'javascript',
      { xs: [5, 3, 9, 1, 7] },
    ),
  ],
  [
    'python executable (stdin JSON)',
    version(
      'import json, sys\nd = json.load(sys.stdin)\nprint(json.dumps({"sum": sum(d["xs"])}))\n',
      'python',
      { xs: [1, 2, 3] },
      'executable',
    ),
    version(
      'import json, sys\nd = json.load(sys.stdin)\ns = 0\nfor x in d["xs"]:\n    s += x\nprint(json.dumps({"sum": s}))\n',
      'python',
      { xs: [1, 2, 3] },
      'executable',
    ),
  ],
];

/** Round trip of one `check` call in a warm child of `v`, ms (the extra call a pair makes). */
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
    `outputs compared: extra wall time per comparison (budget ${BUDGET_MS / 1000} s), load ${load()}`,
  );
  for (const [name, base, head] of TOOLS) {
    const c = await comparePair(base, head, { budgetMs: BUDGET_MS, confidence: 0.99, delta: 0.02 });
    const extraCheck = (await checkMs(base)) + (await checkMs(head));
    const start = performance.now();
    compareOutputs([{ old: ['{"a": 1}', '{"a": 1}'], new: ['{"a": 1}', '{"a": 1}'] }]);
    const compareMs = performance.now() - start;
    const extra = extraCheck + compareMs;
    console.log(
      `  ${name}: comparison ${c.wall_ms} ms (${c.time.change}, ${c.time.pairs} pairs), output work ${extra.toFixed(1)} ms = ${((100 * extra) / c.wall_ms).toFixed(2)} % (load ${load()})`,
    );
  }
}

const LINEAR =
  'def f(items):\n    seen, out = set(), []\n    for x in items:\n        if x not in seen:\n            seen.add(x)\n            out.append(x)\n    return out\n';
const QUADRATIC =
  'def f(items):\n    out = []\n    for x in items:\n        if x not in out:\n            out.append(x)\n    return out\n';

async function growthDecisions(): Promise<void> {
  const input: Json = { items: [3, 1, 4, 1, 5, 9, 2, 6] };
  const budgetMs = BUDGET_MS * 0.25;
  console.log(`growth probe: ${RUNS} runs each, ${budgetMs / 1000} s per probe, load ${load()}`);
  for (const [name, head, want] of [
    ['O(n) → O(n²)', QUADRATIC, true],
    ['O(n) → O(n) (A/A)', LINEAR, false],
  ] as const) {
    let right = 0;
    const exponents: string[] = [];
    for (let r = 0; r < RUNS; r++) {
      const g = await probeGrowth(
        input,
        (i) => ({ old: version(LINEAR, 'python', i), new: version(head, 'python', i) }),
        { budgetMs },
      );
      if (g.rises === want) right++;
      exponents.push(
        g.new === undefined ? `(${g.reason ?? '?'})` : `${g.old?.exponent}→${g.new.exponent}`,
      );
    }
    console.log(
      `  ${name}: ${right}/${RUNS} decided right (target ≥ ${Math.ceil(RUNS * 0.95)}), exponents base→head: ${exponents.join(' ')} (load ${load()})`,
    );
  }
}

if (!args.includes('--skip-outputs')) await outputsCost();
if (!args.includes('--skip-growth')) await growthDecisions();
