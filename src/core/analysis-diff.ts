/**
 * What changed between the static analyses of two versions of a tool: findings that appeared
 * or disappeared, and complexity per function. The judge and the PR table read it.
 */
import type { Analysis, AnalysisDiff, FunctionComplexityChange, SecurityIssue } from './types.js';

/** A finding's identity across versions: rule and message, not line (code moves). */
function findingKey(issue: SecurityIssue): string {
  return `${issue.rule}\u0000${issue.message}`;
}

function issuesOf(analysis: Analysis): readonly SecurityIssue[] {
  return analysis.security.available ? analysis.security.issues : [];
}

/**
 * Compare two analyses. Findings are matched as multisets by rule and message, so a finding
 * that only moved lines is neither new nor fixed; functions are matched by qualified name.
 */
export function diffAnalyses(oldAnalysis: Analysis, newAnalysis: Analysis): AnalysisDiff {
  const remaining = new Map<string, number>();
  for (const issue of issuesOf(oldAnalysis)) {
    const key = findingKey(issue);
    remaining.set(key, (remaining.get(key) ?? 0) + 1);
  }
  const newFindings: SecurityIssue[] = [];
  for (const issue of issuesOf(newAnalysis)) {
    const key = findingKey(issue);
    const left = remaining.get(key) ?? 0;
    if (left > 0) remaining.set(key, left - 1);
    else newFindings.push(issue);
  }
  const fixedFindings: SecurityIssue[] = [];
  for (const issue of [...issuesOf(oldAnalysis)].reverse()) {
    const key = findingKey(issue);
    const left = remaining.get(key) ?? 0;
    if (left > 0) {
      fixedFindings.unshift(issue);
      remaining.set(key, left - 1);
    }
  }

  const oldByName = new Map(oldAnalysis.functions.map((f) => [f.name, f.complexity]));
  const newByName = new Map(newAnalysis.functions.map((f) => [f.name, f.complexity]));
  const names = [...new Set([...oldByName.keys(), ...newByName.keys()])].sort();
  const functions: FunctionComplexityChange[] = names
    .map((name) => ({ name, old: oldByName.get(name) ?? null, new: newByName.get(name) ?? null }))
    .filter((change) => change.old !== change.new);

  return {
    new_findings: newFindings,
    fixed_findings: fixedFindings,
    security_old: oldAnalysis.security.available ? oldAnalysis.security.total_issues : 0,
    security_new: newAnalysis.security.available ? newAnalysis.security.total_issues : 0,
    complexity_old: oldAnalysis.complexity.available
      ? oldAnalysis.complexity.average_complexity
      : null,
    complexity_new: newAnalysis.complexity.available
      ? newAnalysis.complexity.average_complexity
      : null,
    functions,
    syntax_valid_old: oldAnalysis.correctness.syntax_valid,
    syntax_valid_new: newAnalysis.correctness.syntax_valid,
  };
}
