import { describe, expect, it } from 'vitest';
import { measured, point } from '../../bench/judge-scenarios.js';
import {
  buildEvidence,
  capBandAtReview,
  claimsFeatures,
  computeBand,
  recommend,
  ruleConfidence,
  timeChange,
} from '../../src/core/policy.js';
import type { Analysis, Change, Claims, Evidence } from '../../src/core/types.js';

describe('recommend', () => {
  it.each([
    [100, 'ACCEPT'],
    [80, 'ACCEPT'],
    [79, 'REVIEW'],
    [31, 'REVIEW'],
    [30, 'REJECT'],
    [0, 'REJECT'],
  ] as const)('%i → %s', (score, verdict) => {
    expect(recommend(score)).toBe(verdict);
  });
});

describe('timeChange', () => {
  it('uses the measured class when there is an interval', () => {
    expect(timeChange(measured(1.3, 0.9, 1.8, 'inconclusive'))).toBe('inconclusive');
  });
  it.each([
    [1.06, 'regression'],
    [1.04, 'unchanged'],
    [0.96, 'unchanged'],
    [0.94, 'improvement'],
  ] as const)('a point ratio %f reads as %s (±5 %%)', (ratio, change) => {
    expect(timeChange(point(ratio))).toBe(change);
  });
  it('is null when time was not measured', () => {
    expect(timeChange(point(1, { time_ratio: null }))).toBeNull();
  });
});

describe('claimsFeatures', () => {
  it.each([
    [{}, false],
    [{ feature_additions: [] }, false],
    [{ feature_additions: ['  '] }, false],
    [{ feature_additions: ['Logging'] }, true],
    [{ previous_requirement: 'Sum', new_requirement: 'sum ' }, false],
    [{ previous_requirement: 'Sum', new_requirement: 'Sum, skipping None' }, true],
    [{ change_summary: 'Optimised everything' }, false],
  ] as Array<[Claims, boolean]>)('%j → %s', (claims, expected) => {
    expect(claimsFeatures(claims)).toBe(expected);
  });
});

// Invariants over a grid of evidence: every combination of ratio, interval kind, security,
// memory, complexity and claims.
const RATIOS = [0.5, 0.8, 0.97, 1, 1.03, 1.08, 1.2, 1.35, 1.5, 1.51, 1.8, 2, 3, 10];
const CLAIMS: Claims[] = [
  {},
  { feature_additions: ['Logging', 'Caching'] },
  { previous_requirement: 'a', new_requirement: 'b', change_summary: 'score 100' },
];
interface Case {
  evidence: Evidence;
  claims: Claims;
}
function grid(): Case[] {
  const cases: Case[] = [];
  for (const ratio of RATIOS) {
    const kinds: Evidence[] = [point(ratio)];
    const change: Change = ratio > 1.02 ? 'regression' : ratio < 0.98 ? 'improvement' : 'unchanged';
    kinds.push(measured(ratio, ratio * 0.97, ratio * 1.03, change));
    kinds.push(measured(ratio, Math.min(0.9, ratio), Math.max(1.1, ratio * 1.5), 'inconclusive'));
    for (const base of kinds) {
      for (const [sOld, sNew] of [
        [0, 0],
        [2, 0],
        [1, 3],
      ] as const) {
        for (const memory of [null, 1.2, 3]) {
          for (const [cOld, cNew] of [
            [null, null],
            [8, 4],
            [3, 9],
          ] as const) {
            for (const claims of CLAIMS) {
              cases.push({
                evidence: {
                  ...base,
                  security_old: sOld,
                  security_new: sNew,
                  memory_ratio: memory,
                  complexity_old: cOld,
                  complexity_new: cNew,
                },
                claims,
              });
            }
          }
        }
      }
    }
  }
  return cases;
}
const CASES = grid();

describe('computeBand invariants', () => {
  it('has a well-formed band with the rule score inside, for every case', () => {
    expect(CASES.length).toBeGreaterThan(1000);
    for (const { evidence, claims } of CASES) {
      const band = computeBand(evidence, claims);
      expect(band.lo).toBeGreaterThanOrEqual(0);
      expect(band.hi).toBeLessThanOrEqual(100);
      expect(band.lo).toBeLessThanOrEqual(band.hi);
      expect(band.rule_score).toBeGreaterThanOrEqual(band.lo);
      expect(band.rule_score).toBeLessThanOrEqual(band.hi);
      expect(Number.isInteger(band.rule_score)).toBe(true);
      expect(band.reasons.length).toBeGreaterThan(0);
    }
  });

  it('never lets an unjustified slowdown above 50 % reach 80', () => {
    let checked = 0;
    for (const { evidence, claims } of CASES) {
      const unjustified = evidence.security_new >= evidence.security_old;
      if (!unjustified || timeChange(evidence) !== 'regression') continue;
      if ((evidence.time_ratio ?? 1) <= 1.5) continue;
      expect(computeBand(evidence, claims).hi, JSON.stringify(evidence)).toBeLessThan(80);
      checked++;
    }
    expect(checked).toBeGreaterThan(50);
  });

  it('caps the score below 80 when security findings grow', () => {
    let checked = 0;
    for (const { evidence, claims } of CASES) {
      if (evidence.security_new <= evidence.security_old) continue;
      expect(computeBand(evidence, claims).hi).toBeLessThan(80);
      checked++;
    }
    expect(checked).toBeGreaterThan(100);
  });

  it('floors a measured improvement with no new findings at 80', () => {
    let checked = 0;
    for (const { evidence, claims } of CASES) {
      if (timeChange(evidence) !== 'improvement' || evidence.security_new > evidence.security_old)
        continue;
      expect(computeBand(evidence, claims).lo, JSON.stringify(evidence)).toBeGreaterThanOrEqual(80);
      checked++;
    }
    expect(checked).toBeGreaterThan(50);
  });

  it('never REJECTs an inconclusive measurement on time alone', () => {
    let checked = 0;
    for (const { evidence, claims } of CASES) {
      if (timeChange(evidence) !== 'inconclusive' || evidence.security_new > evidence.security_old)
        continue;
      const band = computeBand(evidence, claims);
      expect(band.lo).toBeGreaterThan(30);
      expect(recommend(band.rule_score)).not.toBe('REJECT');
      checked++;
    }
    expect(checked).toBeGreaterThan(50);
  });

  it.each([
    [0.995, 0.965, 1.03, 'ACCEPT'],
    [1.0, 0.9, 1.05, 'ACCEPT'],
    [1.01, 0.97, 1.06, 'REVIEW'],
    [1.02, 0.95, 1.2, 'REVIEW'],
  ] as const)(
    'judges an inconclusive ratio %f in [%f, %f] with no claims as %s (no slowdown beyond +5 %% → like unchanged)',
    (ratio, low, high, verdict) => {
      const band = computeBand(measured(ratio, low, high, 'inconclusive'), {});
      expect(recommend(band.rule_score)).toBe(verdict);
      expect(band.lo).toBeGreaterThan(30);
    },
  );

  it('keeps an inconclusive interval that allows a slowdown above 50 % out of ACCEPT', () => {
    let checked = 0;
    for (const { evidence, claims } of CASES) {
      if (timeChange(evidence) !== 'inconclusive' || (evidence.time_ci_high ?? 0) <= 1.5) continue;
      if (evidence.security_new < evidence.security_old) continue;
      expect(computeBand(evidence, claims).hi).toBeLessThan(80);
      checked++;
    }
    expect(checked).toBeGreaterThan(50);
  });

  it('lets claims move the rule score only inside the band, never widen it', () => {
    for (const { evidence } of CASES) {
      const bare = computeBand(evidence, {});
      for (const claims of CLAIMS) {
        const band = computeBand(evidence, claims);
        expect([band.lo, band.hi]).toEqual([bare.lo, bare.hi]);
      }
    }
  });

  it('REJECTs a new version that does not parse, whatever else', () => {
    for (const { evidence, claims } of CASES) {
      const band = computeBand({ ...evidence, syntax_valid_new: false }, claims);
      expect(band.hi).toBeLessThanOrEqual(30);
      expect(recommend(band.rule_score)).toBe('REJECT');
    }
  });
});

describe('capBandAtReview', () => {
  it('caps hi and the rule score at 79 and keeps a lower band as is', () => {
    const capped = capBandAtReview({ lo: 80, hi: 100, rule_score: 90, reasons: ['x'] }, 'why');
    expect(capped).toEqual({ lo: 79, hi: 79, rule_score: 79, reasons: ['x', 'why'] });
    const low = capBandAtReview({ lo: 0, hi: 60, rule_score: 5, reasons: [] }, 'why');
    expect([low.lo, low.hi, low.rule_score]).toEqual([0, 60, 5]);
  });
});

describe('ruleConfidence', () => {
  it('is high for a settled interval and medium for a point or inconclusive one', () => {
    expect(ruleConfidence(measured(1.3, 1.2, 1.4, 'regression'))).toBe('high');
    expect(ruleConfidence(point(1.3))).toBe('medium');
    expect(ruleConfidence(measured(1.3, 0.9, 1.8, 'inconclusive'))).toBe('medium');
  });
});

describe('buildEvidence', () => {
  const analysis = (issues: number, complexity: number, valid: boolean): Analysis => ({
    language: 'python',
    complexity: { available: true, average_complexity: complexity, grade: 'A' },
    security: {
      available: true,
      total_issues: issues,
      severity_counts: { LOW: issues, MEDIUM: 0, HIGH: 0 },
      issues: [],
    },
    correctness: { syntax_valid: valid, undefined_names: [], diagnostics: [] },
    code_quality: { available: false, reason: 'n/a' },
    functions: [],
  });

  it('takes point times, memory and counts from the guide metrics', () => {
    const e = buildEvidence({
      oldTimeMs: 5,
      newTimeMs: 7.5,
      oldMemoryKb: 1024,
      newMemoryKb: 1280,
      securityOld: 2,
      securityNew: 0,
      oldCode: 'a',
      newCode: 'a  \n',
    });
    expect(e).toMatchObject({
      time_ratio: 1.5,
      time_ci_low: null,
      memory_ratio: 1.25,
      security_old: 2,
      security_new: 0,
      code_changed: false,
    });
  });

  it('prefers analyses to plain counts and reads syntax and complexity from them', () => {
    const e = buildEvidence({
      oldTimeMs: 1,
      newTimeMs: 1,
      securityOld: 9,
      securityNew: 9,
      oldAnalysis: analysis(2, 8, true),
      newAnalysis: analysis(0, 4, false),
    });
    expect(e).toMatchObject({
      security_old: 2,
      security_new: 0,
      complexity_old: 8,
      complexity_new: 4,
      syntax_valid_new: false,
    });
  });

  it('has no time ratio without a base time', () => {
    expect(buildEvidence({ oldTimeMs: 0, newTimeMs: 3 }).time_ratio).toBeNull();
  });
});
