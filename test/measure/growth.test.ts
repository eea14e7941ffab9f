/**
 * How the cost grows (issue 24): the growth probe with real children. A head that turns O(n)
 * into O(n²) is seen even where the example is too small to show it; O(n log n) → O(n) is not a
 * rise; an input with no part that can grow says so. Unit parts (which part grows, how it is
 * scaled, the fit) are table tests below.
 */
import { describe, expect, it } from 'vitest';
import type { Json, Language, ToolVersion } from '../../src/domain/types.js';
import { buildEvidence } from '../../src/verdict/policy.js';
import { rulesJudge } from '../../src/judge/index.js';
import { compareTool } from '../../src/measure/compare.js';
import {
  describeGrowth,
  fitExponent,
  growablePart,
  growthLabel,
  probeGrowth,
  scaled,
} from '../../src/measure/growth.js';

const fn =
  (code: string, language: Language) =>
  (input: Json): ToolVersion => ({
    code,
    language,
    mode: 'function',
    testInput: input,
  });

async function compare(base: string, head: string, language: Language, input: Json) {
  const [b, h] = [fn(base, language), fn(head, language)];
  return compareTool(b(input), h(input), {
    budgetMs: 12_000,
    confidence: 0.99,
    delta: 0.02,
    versionsAt: (i) => ({ old: b(i), new: h(i) }),
  });
}

const ITEMS = { items: [3, 1, 4, 1, 5, 9, 2, 6] };
const PY_LINEAR = `def f(items):
    seen, out = set(), []
    for x in items:
        if x not in seen:
            seen.add(x)
            out.append(x)
    return out
`;
const PY_QUADRATIC = `def f(items):
    out = []
    for x in items:
        if x not in out:
            out.append(x)
    return out
`;
const JS_LINEAR = `export default function f({ items }) {
  const seen = new Set(); const out = [];
  for (const x of items) if (!seen.has(x)) { seen.add(x); out.push(x); }
  return out;
}
`;
const JS_QUADRATIC = `export default function f({ items }) {
  const out = [];
  for (const x of items) if (!out.includes(x)) out.push(x);
  return out;
}
`;

describe('the growth probe', () => {
  it.concurrent.each([
    ['python', PY_LINEAR, PY_QUADRATIC],
    ['javascript', JS_LINEAR, JS_QUADRATIC],
  ] as const)(
    'O(n) → O(n²) hidden at the example size (%s): the exponent rises, never ACCEPT',
    async (language, base, head) => {
      const c = await compare(base, head, language, ITEMS);
      const g = c.growth!;
      expect(g.part).toBe('$.items (list, 8 in the example)');
      expect(g.rises, describeGrowth(g)).toBe(true);
      expect(g.new!.exponent - g.old!.exponent).toBeGreaterThan(0.5);
      expect(g.ratio_at_largest).toBeGreaterThan(1);
      const evaluation = await rulesJudge.evaluate({
        evidence: buildEvidence({ comparison: c }),
        claims: {},
        old_code: base,
        new_code: head,
      });
      expect(evaluation.recommendation).not.toBe('ACCEPT');
      expect(evaluation.band.reasons.join('; ')).toContain('the cost grows faster with the input');
    },
  );

  it.concurrent(
    "a head that hard-codes its example's answer is caught on the grown inputs",
    async () => {
      const base =
        'def f(items):\n    for _ in range(200):\n        out = sorted(items)\n    return out\n';
      const head =
        'def f(items):\n    return [1, 1, 2, 3, 4, 5, 6, 9] if items == [3, 1, 4, 1, 5, 9, 2, 6] else items\n';
      const [b, h] = [fn(base, 'python'), fn(head, 'python')];
      const c = await compareTool(b(ITEMS), h(ITEMS), {
        budgetMs: 20_000,
        confidence: 0.99,
        delta: 0.02,
        versionsAt: (i) => ({ old: b(i), new: h(i) }),
      });
      // The example itself: the same answer.
      expect(c.outputs!.grown).toBeGreaterThanOrEqual(1);
      expect(c.outputs!.differing).toBe(c.outputs!.grown);
      expect(c.outputs!.diff).toMatch(/^at \$\[\d+\]: /);
      const evaluation = await rulesJudge.evaluate({
        evidence: buildEvidence({ comparison: c }),
        claims: {},
        old_code: base,
        new_code: head,
      });
      expect(evaluation.recommendation).not.toBe('ACCEPT');
      expect(evaluation.band.reasons.join('; ')).toMatch(
        /outputs differ on \d+ of \d+ inputs, \d+ grown from the example \(at /,
      );
    },
  );

  it.concurrent('O(n log n) → O(n) is not a rise', async () => {
    const base = 'def f(items):\n    return sorted(items)[0]\n';
    const head = 'def f(items):\n    return min(items)\n';
    const c = await compare(base, head, 'python', { items: [5, 3, 8, 1, 9, 2, 7, 4, 6, 0] });
    expect(c.growth?.rises, describeGrowth(c.growth!)).toBe(false);
  });

  it.concurrent(
    'below 10 s the probe still runs (a quarter of a 4 s budget), or says precisely why not',
    async () => {
      const [b, h] = [fn(PY_LINEAR, 'python'), fn(PY_QUADRATIC, 'python')];
      const c = await compareTool(b(ITEMS), h(ITEMS), {
        budgetMs: 4000,
        confidence: 0.99,
        delta: 0.02,
        versionsAt: (i) => ({ old: b(i), new: h(i) }),
      });
      const g = c.growth!;
      if (g.new === undefined)
        expect(g.reason).toMatch(
          /^growth not measured: (3 sizes need ~\d+ ms \(each a fresh pair of processes, ~\d+ ms to start here\), \d+ ms of the budget was left for them|[0-2] of 3 sizes in \d+ ms \((the budget left -?\d+ ms after ×\d+, a size took \d+ ms|at ×\d+ the (base|head) fails \(\w+\))\))$/,
        );
      else expect(g.factors!.length).toBeGreaterThanOrEqual(3);
    },
  );

  it('a budget too small for three sizes says what a size costs here, and runs nothing', async () => {
    let built = 0;
    const g = await probeGrowth(
      ITEMS,
      (i) => {
        built++;
        return { old: fn(PY_LINEAR, 'python')(i), new: fn(PY_QUADRATIC, 'python')(i) };
      },
      { budgetMs: 600, bootMs: 400 },
    );
    expect(g).toEqual({
      part: '$.items (list, 8 in the example)',
      reason:
        'growth not measured: 3 sizes need ~1560 ms (each a fresh pair of processes, ~400 ms to start here), 600 ms of the budget was left for them',
    });
    expect(built).toBe(0);
  });

  it.concurrent('an input with no part that can grow says so', async () => {
    const add = 'def add(a, b):\n    return a + b\n';
    const c = await compare(add, add, 'python', { a: 5, b: 3 });
    expect(c.growth).toEqual({ part: null, reason: 'no part of the input can grow' });
    expect(describeGrowth(c.growth!)).toBe('no part of the input can grow: growth not measured');
  });
});

describe('which part grows and how', () => {
  it.each([
    [{ a: 5, b: 3 }, null],
    [
      { mode: 'both', text: 'one two three four' },
      { path: ['text'], kind: 'text', size: 18 },
    ],
    [
      { rows: [{ id: 1 }], tags: ['a', 'b', 'c'] },
      { path: ['tags'], kind: 'list', size: 3 },
    ],
    [{ config: { a: 1, b: 2 } }, { path: ['config'], kind: 'dict', size: 2 }],
    [
      { n: 30, label: 'x' },
      { path: ['n'], kind: 'count', size: 30 },
    ],
    [{ id: 30 }, null],
    [[1, 2], { path: [], kind: 'list', size: 2 }],
  ] as const)('%j → %j', (input, part) => {
    expect(growablePart(input as Json)).toEqual(part);
  });

  it('makes the copies distinct, so a set of distinct items grows too', () => {
    const part = growablePart({ items: [1, 2, 2], k: 1 })!;
    expect(scaled({ items: [1, 2, 2], k: 1 }, part, 3)).toEqual({
      items: [1, 2, 2, 3, 4, 4, 5, 6, 6],
      k: 1,
    });
    const text = growablePart({ text: 'one two one' })!;
    expect(scaled({ text: 'one two one' }, text, 2)).toEqual({
      text: 'one two one one1 two1 one1',
    });
  });

  it('fits the exponent of a power law with an interval that holds it', () => {
    const points = [100, 400, 1600].flatMap((n) =>
      [0.97, 1, 1.03].map((noise) => ({ size: n, ns: 5 * n * n * noise })),
    );
    const fit = fitExponent(points);
    expect(fit.exponent).toBeCloseTo(2, 1);
    expect(fit.low).toBeLessThan(2);
    expect(fit.high).toBeGreaterThan(2);
    expect([growthLabel(2.1), growthLabel(0.96), growthLabel(0.1), growthLabel(1.5)]).toEqual([
      '~n²',
      '~n',
      '~1',
      '~n^1.5',
    ]);
  });
});
