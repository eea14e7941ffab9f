/**
 * Every usable input (issue 24), with real python3 / node children: both versions' answers are
 * compared on each ("outputs differ on 3 of 4 inputs"), an input the base cannot run is passed
 * over for the next, both failing on every input is "no working input" with each side's message,
 * sets compare as sets through the harnesses, a head that fakes nondeterminism around a wrong
 * answer is not excused, and a text input reaches stdin as code_evolver's runner sends it. The
 * heads differ in speed by far, so each timing decides in its first pairs whatever the load;
 * the budgets leave the answers their share at any load.
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { judgePair, policyOf } from '../../src/assess.js';
import { parseConfig } from '../../src/config/config.js';
import type { Comparison, Json, Language, TestCase, ToolVersion } from '../../src/domain/types.js';
import { rulesJudge } from '../../src/judge/index.js';
import { compareTool, describeInputUsed } from '../../src/measure/compare.js';
import { describeOutputs } from '../../src/measure/outputs.js';
import { comparePair } from '../../src/measure/protocol.js';
import { stdinText } from '../../src/tools/index.js';

const BUDGET = { budgetMs: 60_000, confidence: 0.99, delta: 0.02 };

const fn =
  (code: string, language: Language = 'python') =>
  (testInput: Json): ToolVersion => ({ code, language, mode: 'function', testInput });

function compare(base: string, head: string, cases: readonly TestCase[], language?: Language) {
  const [b, h] = [fn(base, language), fn(head, language)];
  return compareTool(b(cases[0]!.input), h(cases[0]!.input), {
    ...BUDGET,
    cases,
    versionsAt: (input) => ({ old: b(input), new: h(input) }),
  });
}

async function verdictOf(c: Comparison) {
  const judged = await judgePair(
    { analysisOld: null, analysisNew: null, diff: null, comparison: c },
    { language: 'python', oldCode: 'a', newCode: 'b', claims: {} },
    rulesJudge,
    policyOf(parseConfig({})),
  );
  return judged.kind === 'judged'
    ? { verdict: judged.evaluation.recommendation, why: judged.evaluation.band.reasons.join('; ') }
    : { verdict: judged.verdict, why: judged.reason };
}

// The base works for its answer; the head is right only on the first input and much faster.
const SLOW_TOTAL = `def f(v):
    total = 0
    for _ in range(3000):
        total = sum(range(v))
    return {"total": total}
`;
const WRONG_FAST = `def f(v):
    return {"total": 3 if v == 3 else v}
`;

describe('answers on every usable input', () => {
  it.concurrent(
    'outputs differ on 3 of 4 inputs, with the first difference; the stated outputs are checked on each',
    async () => {
      const cases = [3, 5, 7, 9].map((v) => ({
        input: { v },
        expected: { value: { total: (v * (v - 1)) / 2 } },
      }));
      const c = await compare(SLOW_TOTAL, WRONG_FAST, cases);
      expect(c.old.error).toBeUndefined();
      expect(c.new.error).toBeUndefined();
      expect(c.input).toEqual({ index: 0, of: 4, tried: 4 });
      expect(describeOutputs(c.outputs!)).toMatch(
        /^outputs differ on 3 of 4 inputs \(at \$\.total: 10 ≠ 5\); expected output of 4 examples: base gives it on 4, head on 1$/,
      );
      const { verdict, why } = await verdictOf(c);
      expect(verdict).toBe('REJECT');
      expect(why).toContain('the base gives the expected output of 4 of 4 examples, the head of 1');
    },
  );

  it.concurrent(
    'where both versions fail on the first input, the next is used and the row says which',
    async () => {
      // The first example is a description, not an input: both versions fail on it.
      const base = 'def f(data):\n    return {"x": data["x"] * 2}\n';
      const head = `def f(data):\n    for _ in range(20000):\n        pass\n    return {"x": data["x"] * 2}\n`;
      const c = await compare(base, head, [
        { input: 'Double a number' },
        { input: { data: { x: 4 } } },
      ]);
      expect(c.old.error, JSON.stringify(c.old.error)).toBeUndefined();
      expect(c.new.error, JSON.stringify(c.new.error)).toBeUndefined();
      expect(c.input).toEqual({ index: 1, of: 2, tried: 2 });
      expect(describeInputUsed(c)).toBe(
        'measured on usable input 2 of 2 (the base fails on input 1)',
      );
      // Both failing on input 1 is not a difference; input 2's answers are the same.
      expect(c.outputs).toMatchObject({ inputs: 1, differing: 0 });
      expect(c.time.pairs).toBeGreaterThan(0);
    },
  );

  it.concurrent(
    'both versions failing on every input is REVIEW "no working input" with each side\'s message',
    async () => {
      const base = 'def f(data):\n    return data["n"]\n';
      const head = 'def f(data):\n    raise ValueError("needs a mapping")\n';
      const c = await compare(base, head, [{ input: 'one description' }, { input: 'another' }]);
      expect(c.old.error).toBeDefined();
      expect(c.new.error).toBeDefined();
      expect(c.input).toEqual({ index: 0, of: 2, tried: 2 });
      const { verdict, why } = await verdictOf(c);
      expect(verdict).toBe('REVIEW');
      expect(why).toMatch(
        /^no working input: both versions fail on each of the 2 inputs tried \(base exception: .*string indices.*; head exception: .*needs a mapping.*\)$/,
      );
    },
  );
});

describe('a head that fakes nondeterminism around a wrong answer', () => {
  it.concurrent.each([
    [
      'python',
      SLOW_TOTAL,
      'import random\ndef f(v):\n    return {"total": v * (v - 1) / 2 - 1 + random.random() * 1e-3}\n',
    ],
    [
      'javascript',
      `export default function f({ v }) { let t = 0; for (let i = 0; i < 3000; i++) { t = 0; for (let j = 0; j < v; j++) t += j; } return { total: t }; }`,
      'export default function f({ v }) { return { total: (v * (v - 1)) / 2 - 1 + Math.random() * 1e-3 }; }',
    ],
  ] as const)('%s: the outputs differ, never ACCEPT', async (language, base, head) => {
    const c = await compare(base, head, [{ input: { v: 7 } }, { input: { v: 9 } }], language);
    expect(c.outputs?.differing).toBe(2);
    expect(c.outputs?.diff).toBe(
      "at $.total: the head's answer varies between calls, the base's does not",
    );
    expect(c.outputs?.nondeterministic).toEqual(['new']);
    expect((await verdictOf(c)).verdict).not.toBe('ACCEPT');
  });
});

describe('sets through the harnesses', () => {
  const OPTIONS = { budgetMs: 2000, confidence: 0.99, delta: 0.02 };
  it.concurrent.each([
    [
      'python',
      'def f(xs):\n    return set(xs)\n',
      'def f(xs):\n    return frozenset(reversed(xs))\n',
      0,
    ],
    [
      'python',
      'def f(xs):\n    return {"s": set(xs)}\n',
      'def f(xs):\n    return {"s": set(xs[1:])}\n',
      1,
    ],
    ['python', 'def f(xs):\n    return set(xs)\n', 'def f(xs):\n    return sorted(xs)\n', 1],
    [
      'javascript',
      'export default function f({ xs }) { return new Set(xs); }',
      'export default function f({ xs }) { return new Set([...xs].reverse()); }',
      0,
    ],
    [
      'javascript',
      'export default function f({ xs }) { return new Set(xs); }',
      'export default function f({ xs }) { return new Set(xs.slice(1)); }',
      1,
    ],
    [
      'javascript',
      'export default function f({ xs }) { return new Map(xs.map((x) => [x, x * 2])); }',
      'export default function f({ xs }) { return new Map(xs.map((x) => [x, x * 3])); }',
      1,
    ],
  ] as const)('%s: %s vs %s → %d differing', async (language, base, head, differing) => {
    const input = { xs: [3, 1, 2] };
    const c = await comparePair(fn(base, language)(input), fn(head, language)(input), OPTIONS);
    expect(c.old.error, JSON.stringify(c.old.error)).toBeUndefined();
    expect(c.new.error, JSON.stringify(c.new.error)).toBeUndefined();
    expect(c.outputs?.differing).toBe(differing);
  });
});

describe("stdin as code_evolver's runner sends it", () => {
  const root = mkdtempSync(join(tmpdir(), 'pv-stdin-'));
  mkdirSync(join(root, 'tools'), { recursive: true });
  chmodSync(root, 0o755);
  chmodSync(join(root, 'tools'), 0o755);
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('a text input arrives as the text itself, not as a JSON string', async () => {
    const code = 'import json, sys\ntext = sys.stdin.read()\nprint(json.dumps({"text": text}))\n';
    writeFileSync(join(root, 'tools', 'echo.py'), code, { mode: 0o644 });
    const input = 'Generate BDD tests';
    const v: ToolVersion = {
      code,
      language: 'python',
      mode: 'executable',
      testInput: input,
      path: 'tools/echo.py',
      context: {
        root,
        toolPath: join(root, 'tools', 'echo.py'),
        cwd: root,
        importPaths: [root],
        argv: [],
        stdin: stdinText(input),
        readOnly: [root],
      },
    };
    const c = await comparePair(v, v, {
      budgetMs: 2000,
      confidence: 0.99,
      delta: 0.02,
      cases: [{ input, expected: { value: { text: input } } }],
    });
    expect(c.old.error, JSON.stringify(c.old.error)).toBeUndefined();
    expect(c.outputs?.expected).toMatchObject({ checked: 1, old_matches: 1, new_matches: 1 });
  });
});
