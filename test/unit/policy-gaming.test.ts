/**
 * A benchmark-gaming finding the head introduces caps the verdict at REVIEW (never REJECT on its
 * own, never ACCEPT), names the line, and is not weighed against security-fail-on; one the base
 * already had does not count again (the diff matches findings by rule and message).
 */
import { describe, expect, it } from 'vitest';
import { diffAnalyses } from '../../src/verdict/analysis-diff.js';
import { buildEvidence, computeBand, recommend, REVIEW_MAX } from '../../src/verdict/policy.js';
import type { Analysis, Comparison, Evidence, SecurityIssue } from '../../src/domain/types.js';
import { analysis, comparison } from '../render/fixtures.js';

const FILE: SecurityIssue = {
  rule: 'benchmark-gaming',
  severity: 'HIGH',
  confidence: 'HIGH',
  line: 4,
  message: 'Benchmark gaming: reads its own path or loader (__file__).',
};

const analysed = (issues: SecurityIssue[]): Analysis => analysis(2, issues);

const gamingEvidence = (ratio: number, change: Comparison['time']['change']): Evidence =>
  buildEvidence({
    comparison: comparison(ratio, ratio * 0.97, ratio * 1.03, change),
    analysisDiff: diffAnalyses(analysed([]), analysed([FILE])),
  });

describe('benchmark-gaming in the policy', () => {
  it.each([
    [0.5, 'improvement'],
    [1, 'unchanged'],
    [1.08, 'regression'],
  ] as const)('head-introduced, time %s (%s): REVIEW at most, the line named', (ratio, change) => {
    const band = computeBand(gamingEvidence(ratio, change), {});
    expect(band.hi).toBe(REVIEW_MAX);
    expect(recommend(band.rule_score)).toBe('REVIEW');
    expect(band.reasons.join('\n')).toContain(
      'benchmark-gaming: the head introduces line 4 (reads its own path or loader (__file__))',
    );
  });

  it('is not weighed as a HIGH finding: no REJECT from it, whatever security-fail-on says', () => {
    for (const failOn of ['high', 'medium', 'low'] as const) {
      const evidence: Evidence = {
        ...gamingEvidence(1, 'unchanged'),
        security_fail_on: failOn,
      };
      const band = computeBand(evidence, {});
      expect(band.lo).toBeGreaterThan(30);
      expect(band.reasons.join('\n')).not.toMatch(/security-fail-on/);
    }
  });

  it('a severe slowdown stays REJECT: the cap only narrows', () => {
    const band = computeBand(gamingEvidence(3, 'regression'), {});
    expect(recommend(band.rule_score)).toBe('REJECT');
    expect(band.reasons.join('\n')).toContain('benchmark-gaming');
  });

  it('the base already had it (the same rule and message on another line): nothing new, no cap', () => {
    const moved = { ...FILE, line: 9 };
    const diff = diffAnalyses(analysed([FILE]), analysed([moved]));
    expect(diff.new_findings).toEqual([]);
    const band = computeBand(
      buildEvidence({
        comparison: comparison(0.5, 0.48, 0.52, 'improvement'),
        analysisDiff: diff,
      }),
      {},
    );
    expect(recommend(band.rule_score)).toBe('ACCEPT');
  });

  it('a benchmark-gaming finding beside a real HIGH one: the real one still REJECTs', () => {
    const evalHigh: SecurityIssue = {
      rule: 'B602',
      severity: 'HIGH',
      confidence: 'HIGH',
      line: 6,
      message: 'subprocess call with shell=True identified, security issue.',
    };
    const band = computeBand(
      buildEvidence({
        comparison: comparison(1, 0.99, 1.01, 'unchanged'),
        analysisDiff: diffAnalyses(analysed([]), analysed([FILE, evalHigh])),
      }),
      {},
    );
    expect(recommend(band.rule_score)).toBe('REJECT');
  });
});
