/**
 * Both versions' answers and the growth probe survive the report's untrusted-data validation:
 * the `report` mode judges a measure job's comparison, and a wrong answer or a rising exponent
 * lost on the way would turn into an ACCEPT. Bad values are refused, naming the field.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseUntrustedReport, ReportValidationError } from '../../src/report/artifact.js';

const EXAMPLE = JSON.parse(
  readFileSync(new URL('../render/example-report.json', import.meta.url), 'utf8'),
) as { mode: string; tools: { comparison: Record<string, unknown> | null }[] };

function withEvidence(extra: Record<string, unknown>): unknown {
  const report = { ...structuredClone(EXAMPLE), mode: 'measure' };
  const row = report.tools.find((t) => t.comparison !== null)!;
  row.comparison = { ...row.comparison, ...extra };
  return report;
}

const OUTPUTS = {
  inputs: 1,
  differing: 1,
  diff: 'at $[0]: 3 ≠ 1',
  nondeterministic: [],
  tolerance: 1e-6,
  expected: { checked: 1, old_matches: 1, new_matches: 0, new_diff: 'expected ≠ head at $: 6 ≠ 5' },
};
const GROWTH = {
  part: '$.items (list, 8 in the example)',
  factors: [1, 4, 16, 64],
  old: { exponent: 1.02, low: 0.95, high: 1.09 },
  new: { exponent: 1.97, low: 1.9, high: 2.04 },
  rises: true,
  largest_factor: 64,
  ratio_at_largest: 6.3,
  wall_ms: 4100,
};

describe('outputs and growth in a report read back', () => {
  it('keeps them as the measure job wrote them', () => {
    const parsed = parseUntrustedReport(withEvidence({ outputs: OUTPUTS, growth: GROWTH }));
    const c = parsed.tools.find((t) => t.comparison !== null)!.comparison!;
    expect(c.outputs).toEqual(OUTPUTS);
    expect(c.growth).toEqual(GROWTH);
  });

  it('keeps "no part can grow" and reports without either', () => {
    const none = { part: null, reason: 'no part of the input can grow' };
    const parsed = parseUntrustedReport(withEvidence({ growth: none }));
    expect(parsed.tools.find((t) => t.comparison !== null)!.comparison!.growth).toMatchObject(none);
    const bare = parseUntrustedReport(withEvidence({}));
    expect(bare.tools.find((t) => t.comparison !== null)!.comparison!.outputs).toBeUndefined();
  });

  it.each([
    [{ outputs: { ...OUTPUTS, differing: -1 } }, /outputs\.differing/],
    [{ outputs: { ...OUTPUTS, nondeterministic: ['both'] } }, /outputs\.nondeterministic/],
    [{ growth: { ...GROWTH, rises: 'yes' } }, /growth\.rises/],
  ])('refuses %j', (extra, field) => {
    expect(() => parseUntrustedReport(withEvidence(extra))).toThrow(ReportValidationError);
    expect(() => parseUntrustedReport(withEvidence(extra))).toThrow(field);
  });
});
