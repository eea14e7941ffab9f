/**
 * An analysis part that could not run is unknown, never 0 findings (issue 10, case 7): no
 * security fix is read from it, and the verdict is REVIEW at most with the reason in the band.
 */
import { describe, expect, it } from 'vitest';
import { measured, point } from '../../bench/judge-scenarios.js';
import { diffAnalyses } from '../../src/verdict/analysis-diff.js';
import { buildEvidence, computeBand, recommend, REVIEW_MAX } from '../../src/verdict/policy.js';
import type {
  Analysis,
  Comparison,
  Evidence,
  SecurityIssue,
  UnanalysedPart,
} from '../../src/domain/types.js';
import { analysis, comparison } from '../render/fixtures.js';

const evalFinding: SecurityIssue = {
  rule: 'B307',
  severity: 'MEDIUM',
  confidence: 'HIGH',
  line: 3,
  message: 'Use of possibly insecure function - consider using safer ast.literal_eval.',
};

const analysed = (issues: SecurityIssue[], complexity = 2): Analysis =>
  analysis(complexity, issues);

/** Case 7's head: the analyser's security and complexity parts hit RecursionError. */
function tooDeep(): Analysis {
  const reason = 'code nests too deeply to analyse';
  return {
    ...analysed([]),
    complexity: { available: false, reason },
    security: { available: false, reason },
  };
}

const unknown = (version: 'old' | 'new', part: UnanalysedPart['part']): Partial<Evidence> => ({
  unanalysed: [{ version, part, reason: 'too deep' }],
  ...(part === 'security' ? { [version === 'old' ? 'security_old' : 'security_new']: null } : {}),
});

describe('unanalysed parts in the policy', () => {
  it('case 7: a base with eval and a head whose security part could not run is no security fix', () => {
    const c: Comparison = comparison(1.8, 1.7, 1.9, 'regression');
    const diff = diffAnalyses(analysed([evalFinding]), tooDeep());
    const evidence = buildEvidence({ comparison: c, analysisDiff: diff });
    expect(evidence.security_old).toBe(1);
    expect(evidence.security_new).toBeNull();
    const band = computeBand(evidence, {});
    expect(recommend(band.rule_score)).toBe('REJECT');
    expect(band.hi).toBeLessThanOrEqual(30);
    expect(band.reasons.join('\n')).not.toMatch(/security fix/);
    expect(band.reasons.join('\n')).toMatch(
      /analysis could not run: security of the head \(code nests too deeply to analyse\)/,
    );
  });

  it('the same head with the base analysed as clean would have been judged on time alone', () => {
    // Control: with both sides analysed and the finding really gone, the fix lifts the band.
    const fixed = computeBand(point(1.8, { security_old: 1, security_new: 0 }), {});
    expect(fixed.hi).toBe(95);
    const unknownHead = computeBand(
      point(1.8, { security_old: 1, ...unknown('new', 'security') }),
      {},
    );
    expect(unknownHead.hi).toBeLessThanOrEqual(30);
  });

  it.each([
    ['security', 'new'],
    ['security', 'old'],
    ['complexity', 'new'],
    ['complexity', 'old'],
    ['syntax', 'new'],
    ['syntax', 'old'],
  ] as const)(
    '%s of the %s version unknown: a measured improvement is REVIEW at most',
    (part, version) => {
      const evidence = measured(0.7, 0.65, 0.75, 'improvement', unknown(version, part));
      const band = computeBand(evidence, {});
      expect(band.hi).toBe(REVIEW_MAX);
      expect(recommend(band.rule_score)).toBe('REVIEW');
      const name = version === 'old' ? 'base' : 'head';
      expect(band.reasons.at(-1)).toContain(`${part} of the ${name} (too deep)`);
    },
  );

  it('a null count without a listed part is unknown too', () => {
    const band = computeBand(measured(1, 0.99, 1.01, 'unchanged', { security_new: null }), {});
    expect(band.hi).toBe(REVIEW_MAX);
    expect(band.reasons.at(-1)).toContain('security of the head (no count)');
  });

  it('an unknown complexity is no complexity reduction', () => {
    const band = computeBand(
      measured(1.08, 1.06, 1.1, 'regression', {
        complexity_old: 10,
        complexity_new: null,
        ...unknown('new', 'complexity'),
      }),
      {},
    );
    expect(band.reasons.join('\n')).not.toMatch(/complexity reduced/);
    expect(band.hi).toBe(REVIEW_MAX);
  });

  it('a syntax check that could not run is not "does not parse": REVIEW, not REJECT on that alone', () => {
    const band = computeBand(measured(1, 0.99, 1.01, 'unchanged', unknown('new', 'syntax')), {});
    expect(recommend(band.rule_score)).toBe('REVIEW');
    expect(band.lo).toBeGreaterThan(30);
  });

  it('a count given in place of an unavailable analysis (the guide’s security_issues) stands for it', () => {
    const evidence = buildEvidence({
      old: { analysis: analysed([evalFinding]), timeMs: 10 },
      new: { analysis: tooDeep(), securityIssues: 0, timeMs: 10 },
    });
    expect(evidence.security_new).toBe(0);
    expect(evidence.unanalysed?.map((u) => `${u.version}:${u.part}`)).toEqual(['new:complexity']);
  });

  it('nothing analysed at all (plain times) is not "unknown": counts are 0 and nothing is capped', () => {
    const evidence = buildEvidence({ old: { timeMs: 10 }, new: { timeMs: 7 } });
    expect(evidence.security_old).toBe(0);
    expect(evidence.unanalysed).toBeUndefined();
    expect(computeBand(evidence, {}).hi).toBe(100);
  });
});
