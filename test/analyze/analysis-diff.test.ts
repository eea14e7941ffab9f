/** The pure diff of two analyses: findings matched by rule and message, complexity per function. */
import { describe, expect, it } from 'vitest';
import { diffAnalyses } from '../../src/verdict/analysis-diff.js';
import type { Analysis, FunctionMetrics, SecurityIssue } from '../../src/domain/types.js';

function issue(rule: string, line: number, message = `${rule} message`): SecurityIssue {
  return { rule, severity: 'LOW', confidence: 'HIGH', line, message };
}
function fn(name: string, complexity: number): FunctionMetrics {
  return { name, line: 1, end_line: 2, complexity, rank: 'A' };
}
function analysis(issues: SecurityIssue[], functions: FunctionMetrics[], valid = true): Analysis {
  const average =
    functions.length === 0 ? 1 : functions.reduce((s, f) => s + f.complexity, 0) / functions.length;
  return {
    language: 'python',
    complexity: { available: true, average_complexity: average, grade: 'A' },
    security: {
      available: true,
      total_issues: issues.length,
      severity_counts: { LOW: issues.length, MEDIUM: 0, HIGH: 0 },
      issues,
    },
    correctness: { syntax_valid: valid, undefined_names: [], diagnostics: [] },
    code_quality: {
      available: true,
      documentation_ratio: 0,
      function_count: functions.length,
      class_count: 0,
      lines_of_code: 1,
      comment_ratio: 0,
    },
    functions,
  };
}

describe('diffAnalyses', () => {
  it.each([
    {
      name: 'a moved finding is neither new nor fixed',
      old: [issue('B101', 3)],
      new: [issue('B101', 9)],
      added: [],
      fixed: [],
    },
    {
      name: 'a second copy of a finding is new',
      old: [issue('B101', 3)],
      new: [issue('B101', 3), issue('B101', 7)],
      added: ['B101@7'],
      fixed: [],
    },
    {
      name: 'a removed finding is fixed, an added one new',
      old: [issue('B602', 4), issue('B101', 5)],
      new: [issue('B101', 5), issue('B307', 8)],
      added: ['B307@8'],
      fixed: ['B602@4'],
    },
  ])('$name', (row) => {
    const diff = diffAnalyses(analysis(row.old, []), analysis(row.new, []));
    expect(diff.new_findings.map((i) => `${i.rule}@${i.line}`)).toEqual(row.added);
    expect(diff.fixed_findings.map((i) => `${i.rule}@${i.line}`)).toEqual(row.fixed);
    expect(diff.security_old).toBe(row.old.length);
    expect(diff.security_new).toBe(row.new.length);
  });

  it('lists functions whose complexity changed, appeared or disappeared', () => {
    const diff = diffAnalyses(
      analysis([], [fn('a', 2), fn('b', 3), fn('gone', 1)]),
      analysis([], [fn('a', 2), fn('b', 5), fn('added', 4)], false),
    );
    expect(diff.functions).toEqual([
      { name: 'added', old: null, new: 4 },
      { name: 'b', old: 3, new: 5 },
      { name: 'gone', old: 1, new: null },
    ]);
    expect(diff.complexity_old).toBe(2);
    expect(diff.complexity_new).toBeCloseTo(11 / 3);
    expect(diff.syntax_valid_old).toBe(true);
    expect(diff.syntax_valid_new).toBe(false);
  });

  const broken = (reason: string, base: Analysis = analysis([], [])): Analysis => ({
    ...base,
    complexity: { available: false, reason },
    security: { available: false, reason },
  });

  it('an old version whose security part could not run: count unknown, every new finding is new, none fixed', () => {
    const diff = diffAnalyses(broken('too deep'), analysis([issue('B101', 1)], []));
    expect(diff.complexity_old).toBeNull();
    expect(diff.security_old).toBeNull();
    expect(diff.security_new).toBe(1);
    expect(diff.new_findings.map((i) => i.rule)).toEqual(['B101']);
    expect(diff.fixed_findings).toEqual([]);
    expect(diff.unanalysed).toEqual([
      { version: 'old', part: 'security', reason: 'too deep' },
      { version: 'old', part: 'complexity', reason: 'too deep' },
    ]);
  });

  it('a new version whose security part could not run fixes nothing: the base findings stay unknown, not gone', () => {
    const diff = diffAnalyses(
      analysis([issue('B307', 3)], []),
      broken('code nests too deeply to analyse'),
    );
    expect(diff.security_old).toBe(1);
    expect(diff.security_new).toBeNull();
    expect(diff.fixed_findings).toEqual([]);
    expect(diff.new_findings).toEqual([]);
    expect(diff.unanalysed?.map((u) => `${u.version}:${u.part}`)).toEqual([
      'new:security',
      'new:complexity',
    ]);
  });

  it('a syntax check that could not run is listed as unknown syntax', () => {
    const unchecked: Analysis = {
      ...analysis([], []),
      correctness: {
        syntax_valid: true,
        not_checked: 'the parser gave up',
        undefined_names: [],
        diagnostics: [],
      },
    };
    const diff = diffAnalyses(analysis([], []), unchecked);
    expect(diff.unanalysed).toEqual([
      { version: 'new', part: 'syntax', reason: 'the parser gave up' },
    ]);
  });

  it('lists nothing when every part ran', () => {
    expect(diffAnalyses(analysis([], []), analysis([], [])).unanalysed).toEqual([]);
  });
});
