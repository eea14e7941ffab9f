/**
 * A tool's analysis with the files it loads (src/verdict/loaded-files.ts), judged: a finding in a
 * helper counts as the tool's and names its file; a helper that could not be analysed leaves the
 * tool's security unknown.
 */
import { describe, expect, it } from 'vitest';
import { comparison, analysis } from '../render/fixtures.js';
import { diffAnalyses } from '../../src/verdict/analysis-diff.js';
import { withLoadedFiles } from '../../src/verdict/loaded-files.js';
import { buildEvidence, computeBand, recommend } from '../../src/verdict/policy.js';
import type { Analysis, SecurityIssue } from '../../src/domain/types.js';

const system: SecurityIssue = {
  rule: 'B605',
  severity: 'HIGH',
  confidence: 'HIGH',
  line: 5,
  message: 'Starting a process with a shell, possible injection detected, security issue.',
};
const gaming: SecurityIssue = {
  rule: 'benchmark-gaming',
  severity: 'HIGH',
  confidence: 'HIGH',
  line: 3,
  message: 'Benchmark gaming: replaces the timer time.perf_counter.',
};
const HELPER = 'code/lib/helper.py';
const clean = analysis(2);
const helper = (issues: SecurityIssue[]): { path: string; analysis: Analysis } => ({
  path: HELPER,
  analysis: analysis(1, issues),
});

/** The verdict and reasons of an unchanged-speed pair whose versions load `oldHelper`/`newHelper`. */
function judged(oldHelper: Analysis, newHelper: Analysis): { verdict: string; reasons: string } {
  const diff = diffAnalyses(
    withLoadedFiles(clean, [{ path: HELPER, analysis: oldHelper }], null),
    withLoadedFiles(clean, [{ path: HELPER, analysis: newHelper }], null),
  );
  const band = computeBand(
    buildEvidence({
      comparison: comparison(1, 0.99, 1.01, 'unchanged'),
      analysisDiff: diff,
      securityFailOn: 'high',
    }),
    {},
  );
  return { verdict: recommend(band.rule_score), reasons: band.reasons.join('\n') };
}

describe('a tool analysed with the files it loads', () => {
  it("joins the helpers' findings to its own, each naming its file", () => {
    const merged = withLoadedFiles(analysis(2, [gaming]), [helper([system])], null);
    expect(merged.security).toEqual({
      available: true,
      total_issues: 2,
      severity_counts: { LOW: 0, MEDIUM: 0, HIGH: 2 },
      issues: [gaming, { ...system, file: HELPER }],
    });
    expect(merged.complexity).toEqual(clean.complexity);
  });

  it.each([
    [
      'a helper not analysed',
      [helper([])].map((h) => ({
        ...h,
        analysis: {
          ...h.analysis,
          security: { available: false as const, reason: 'could not be analysed in 15 s' },
        },
      })),
      null,
      `${HELPER}, which it loads: could not be analysed in 15 s`,
    ],
    [
      'more helpers than read',
      [helper([])],
      'it loads more than 64 repository files: the rest are not analysed',
      'it loads more than 64 repository files: the rest are not analysed',
    ],
  ])('%s: its security is unknown, saying why', (_, loaded, incomplete, reason) => {
    expect(withLoadedFiles(clean, loaded, incomplete).security).toEqual({
      available: false,
      reason,
    });
  });

  it('a new HIGH finding in a helper rejects, naming the helper', () => {
    const { verdict, reasons } = judged(analysis(1), analysis(1, [system]));
    expect(verdict).toBe('REJECT');
    expect(reasons).toContain(`B605 (HIGH) ${HELPER} line 5`);
  });

  it('a benchmark-gaming line in a helper caps at REVIEW, naming the helper', () => {
    const { verdict, reasons } = judged(analysis(1), analysis(1, [gaming]));
    expect(verdict).toBe('REVIEW');
    expect(reasons).toContain(`introduces ${HELPER} line 3 (replaces the timer time.perf_counter)`);
  });

  it('the same finding moving from the tool into a helper is new (its file is part of it)', () => {
    const diff = diffAnalyses(
      analysis(2, [system]),
      withLoadedFiles(clean, [helper([system])], null),
    );
    expect(diff.new_findings).toEqual([{ ...system, file: HELPER }]);
    expect(diff.fixed_findings).toEqual([system]);
  });
});
