import { describe, expect, it } from 'vitest';
import { measured } from '../../bench/judge-scenarios.js';
import {
  answerOf,
  compareOutputs,
  describeOutputs,
  firstDifference,
  reportedFailure,
} from '../../src/measure/outputs.js';
import { computeBand, recommend } from '../../src/verdict/policy.js';
import type { Evidence, OutputComparison } from '../../src/domain/types.js';

const j = (v: unknown): string => JSON.stringify(v);

describe('answerOf: what a tool answered', () => {
  it('reads a function result as JSON and a script stdout as the JSON it prints', () => {
    expect(answerOf(j({ a: 1 }))).toEqual({ a: 1 });
    expect(answerOf(j('{"a": 1}\n'))).toEqual({ a: 1 });
    expect(answerOf(j('loading…\n{"a": 1}\n'))).toEqual({ a: 1 });
    expect(answerOf(j('plain text'))).toBe('plain text');
  });
});

describe('reportedFailure: code_evolver says it failed in its answer', () => {
  it.each([
    [
      { success: false, error: "'str' object has no attribute 'get'" },
      "'str' object has no attribute 'get'",
    ],
    [{ success: false }, '{"success":false}'],
    [{ error: 'no such workflow' }, 'no such workflow'],
  ])('%j is a failure naming %s', (answer, said) => {
    const failure = reportedFailure(j(`${j(answer)}\n`));
    expect(failure?.kind).toBe('reported');
    expect(failure?.message).toContain(said);
  });

  it.each([
    [{ success: true, result: 3 }],
    [{ error: 'partial', result: [1] }],
    [{ error: null, value: 2 }],
    [[1, 2]],
    ['text'],
  ])('%j is an answer', (answer) => {
    expect(reportedFailure(j(answer))).toBeNull();
  });
});

describe('firstDifference: canonical JSON, numbers within the tolerance', () => {
  it.each([
    [{ a: 1, b: [1, 2] }, { b: [1, 2], a: 1 }, null],
    [0.1 + 0.2, 0.3, null],
    [1e9, 1e9 + 1, null],
    [[1, 2, 3], [1, 2], 'at $: 3 items ≠ 2 items (first extra 3)'],
    [[3, 1, 2], [1, 2, 3], 'at $[0]: 3 ≠ 1'],
    [{ n: 10 }, { n: 9 }, 'at $.n: 10 ≠ 9'],
    [{ name: 'x', id: 1 }, { id: 1 }, 'at $.name: "x" ≠ (absent)'],
    [{ 'a b': 'line\nbreak' }, { 'a b': 'x' }, 'at $["a b"]: "line\\nbreak" ≠ "x"'],
  ])('%j vs %j → %s', (a, b, expected) => {
    expect(firstDifference(a, b)).toBe(expected);
  });

  it('clips long values', () => {
    const d = firstDifference('x'.repeat(500), 'y');
    expect(d!.length).toBeLessThan(100);
  });
});

describe('compareOutputs', () => {
  it('counts the inputs whose answers differ and shows the first difference', () => {
    const o = compareOutputs([
      { old: [j([1, 2, 3])], new: [j([1, 2])] },
      { old: [j({ a: 1 })], new: [j({ a: 1 })] },
      { old: [j('x')], new: [] },
    ])!;
    expect(o).toMatchObject({ inputs: 2, differing: 1, nondeterministic: [] });
    expect(describeOutputs(o)).toBe(
      'outputs differ on 1 of 2 inputs (at $: 3 items ≠ 2 items (first extra 3))',
    );
  });

  it('calls a version nondeterministic when two of its calls differ, and does not count its difference', () => {
    const o = compareOutputs([{ old: [j(0.41), j(0.93)], new: [j(0.2), j(0.7)] }])!;
    expect(o).toMatchObject({ differing: 0, nondeterministic: ['new', 'old'] });
    expect(describeOutputs(o)).toContain('nondeterministic output (head and base');
  });

  it('checks the expected output for both versions', () => {
    const o = compareOutputs([{ old: [j(6)], new: [j(5)], expected: { value: 6 } }])!;
    expect(o.expected).toEqual({
      checked: 1,
      old_matches: 1,
      new_matches: 0,
      new_diff: 'expected ≠ head at $: 6 ≠ 5',
    });
  });

  it('is null when no input was answered by both', () => {
    expect(compareOutputs([{ old: [], new: [j(1)] }])).toBeNull();
  });

  it('counts every input: "outputs differ on 3 of 4 inputs" with the first difference', () => {
    const o = compareOutputs([
      { old: [j({ n: 1 })], new: [j({ n: 1 })] },
      { old: [j({ n: 2 })], new: [j({ n: 3 })] },
      { old: [j({ n: 4 })], new: [j({ n: 5 })] },
      { old: [j({ n: 6 })], new: [j({ n: 7 })] },
    ])!;
    expect(describeOutputs(o)).toBe('outputs differ on 3 of 4 inputs (at $.n: 2 ≠ 3)');
  });

  it('an input one version fails on and the other answers is a difference; one both fail on is left out', () => {
    const error = { kind: 'exception' as const, message: 'KeyError: x\nTraceback' };
    const o = compareOutputs([
      { old: [j(1)], new: [j(1)] },
      { old: [j(2)], new: [], newError: error },
      { old: [], new: [], oldError: error, newError: error },
    ])!;
    expect(o).toMatchObject({ inputs: 2, differing: 1 });
    expect(o.diff).toBe('the head fails (exception: KeyError: x) where the base answers');
  });
});

describe('sets, maps and escaped keys from the harnesses', () => {
  const set = (...items: unknown[]) => ({ '\u0000set': items });
  it.each([
    ['a set in another order', set(3, 1, 2), set(1, 2, 3), null],
    ['sets of tuples', set([2, 'b'], [1, 'a']), set([1, 'a'], [2, 'b']), null],
    ['nested sets', { s: set(set(1, 2), set(3)) }, { s: set(set(3), set(2, 1)) }, null],
    ['floats within the tolerance', set(0.1 + 0.2, 1), set(1, 0.3), null],
    ['a missing item', set(1, 2, 3), set(1, 2), 'at $: set[1,2,3] ≠ set[1,2]'],
    ['a set is not a list', set(1, 2), [1, 2], 'at $: set[1,2] ≠ [1,2]'],
    [
      'a map is not a set',
      { '\u0000map': [['a', 1]] },
      set(['a', 1]),
      'at $: map[["a",1]] ≠ set[["a",1]]',
    ],
    [
      "a tool's own NUL key (escaped by the harness) is not a set",
      { '\u0000\u0000set': [1, 2] },
      set(1, 2),
      'at $: {"\\u0000set":[1,2]} ≠ set[1,2]',
    ],
    ['dict key order', { b: 1, a: set('x') }, { a: set('x'), b: 1 }, null],
  ])('%s', (_what, a, b, expected) => {
    expect(firstDifference(a as never, b as never)).toBe(expected);
  });
});

describe('nondeterminism is excused only where both versions vary', () => {
  it('both vary at $.id: the rest is still compared', () => {
    const o = compareOutputs([
      {
        old: [j({ id: 'a1', n: 2 }), j({ id: 'b7', n: 2 })],
        new: [j({ id: 'c3', n: 3 }), j({ id: 'd9', n: 3 })],
      },
    ])!;
    expect(o).toMatchObject({ differing: 1, diff: 'at $.n: 2 ≠ 3', varying: ['$.id'] });
    expect(describeOutputs(o)).toContain(
      '(head and base: two calls on the same input differ at $.id)',
    );
  });

  it('a head that answers noise around a wrong value where the base is stable has changed its answer', () => {
    const o = compareOutputs([
      {
        old: [j({ total: 42 }), j({ total: 42 })],
        new: [j({ total: 41.0003 }), j({ total: 40.9991 })],
      },
    ])!;
    expect(o.differing).toBe(1);
    expect(o.diff).toBe("at $.total: the head's answer varies between calls, the base's does not");
    expect(o.nondeterministic).toEqual(['new']);
  });

  it('a head that varies wider than the base (the whole answer where the base varies at $.id) is not excused', () => {
    const o = compareOutputs([
      {
        old: [j({ id: 1, v: 'x' }), j({ id: 2, v: 'x' })],
        new: [j('noise 1'), j('noise 2')],
      },
    ])!;
    expect(o.differing).toBe(1);
  });

  it('where both vary on one input is excused on the others (a process id, a start time)', () => {
    const o = compareOutputs([
      {
        old: [j({ pid: 1, n: 1 }), j({ pid: 2, n: 1 })],
        new: [j({ pid: 3, n: 1 }), j({ pid: 4, n: 1 })],
      },
      {
        old: [j({ pid: 5, n: 2 }), j({ pid: 5, n: 2 })],
        new: [j({ pid: 6, n: 2 }), j({ pid: 6, n: 2 })],
      },
    ])!;
    expect(o).toMatchObject({ inputs: 2, differing: 0 });
  });
});

describe('the judge on answers and growth (computeBand)', () => {
  /** A head 40 % faster, with `extra`. */
  const evidence = (extra: Partial<Evidence>): Evidence =>
    measured(0.6, 0.55, 0.65, 'improvement', extra);
  const outputs = (o: Partial<OutputComparison>): OutputComparison => ({
    inputs: 1,
    differing: 0,
    diff: null,
    nondeterministic: [],
    tolerance: 1e-6,
    ...o,
  });
  const same = { previous_requirement: 'Sort', new_requirement: 'Sort' };

  it.each([
    ['same answers, faster', {}, same, 'ACCEPT'],
    [
      'a changed answer, faster',
      { outputs: outputs({ differing: 1, diff: 'at $: 1 ≠ 2' }) },
      same,
      'REVIEW',
    ],
    [
      'a changed answer, faster, the requirement changed: still never an improvement',
      { outputs: outputs({ differing: 1 }) },
      { previous_requirement: 'Sort', new_requirement: 'Sort descending' },
      'REVIEW',
    ],
    [
      'the example states the base answer, the head misses it',
      {
        outputs: outputs({
          differing: 1,
          expected: { checked: 1, old_matches: 1, new_matches: 0 },
        }),
      },
      { previous_requirement: 'Sort', new_requirement: 'Sort descending' },
      'REJECT',
    ],
    [
      'nondeterministic: said, not weighed',
      { outputs: outputs({ nondeterministic: ['old', 'new'] }) },
      same,
      'ACCEPT',
    ],
    [
      'the exponent rises: judged as the slowdown at the largest size',
      { growth: { part: '$.items', rises: true, ratio_at_largest: 4, largest_factor: 64 } },
      same,
      'REJECT',
    ],
    [
      'the exponent rises, not yet slower at the largest size: REVIEW',
      { growth: { part: '$.items', rises: true, ratio_at_largest: 0.9, largest_factor: 16 } },
      same,
      'REVIEW',
    ],
    [
      'no rise',
      { growth: { part: '$.items', rises: false, ratio_at_largest: 0.5 } },
      same,
      'ACCEPT',
    ],
  ] as const)('%s → %s', (_what, extra, claims, verdict) => {
    const band = computeBand(evidence(extra), claims);
    expect(recommend(band.rule_score)).toBe(verdict);
    if (verdict !== 'ACCEPT') expect(band.hi).toBeLessThanOrEqual(verdict === 'REJECT' ? 30 : 79);
  });
});
