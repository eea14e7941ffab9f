import { describe, expect, it } from 'vitest';
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
});

describe('the judge on answers and growth (computeBand)', () => {
  const evidence = (extra: Partial<Evidence>): Evidence => ({
    time_ratio: 0.6,
    time_ci_low: 0.55,
    time_ci_high: 0.65,
    time_change: 'improvement',
    memory_ratio: 1,
    security_old: 0,
    security_new: 0,
    complexity_old: 2,
    complexity_new: 2,
    syntax_valid_old: true,
    syntax_valid_new: true,
    ...extra,
  });
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
