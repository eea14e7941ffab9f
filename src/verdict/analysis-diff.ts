/**
 * What changed between the static analyses of two versions of a tool: findings that appeared
 * or disappeared, and complexity per function. The judge and the PR table read it. A part that
 * could not run is unknown, never "no findings": it is listed in `unanalysed`, its count is null,
 * and no finding is called fixed unless both versions were analysed.
 */
import type {
  Analysis,
  AnalysisDiff,
  FunctionComplexityChange,
  SecurityIssue,
  UnanalysedPart,
} from '../domain/types.js';

/** A finding's identity across versions: file, rule and message, not line (code moves). */
function findingKey(issue: SecurityIssue): string {
  return `${issue.file ?? ''}\u0000${issue.rule}\u0000${issue.message}`;
}

function issuesOf(analysis: Analysis): readonly SecurityIssue[] {
  return analysis.security.available ? analysis.security.issues : [];
}

/** The parts of one version's analysis that could not run, with the analyser's reason. */
export function unanalysedParts(analysis: Analysis, version: 'old' | 'new'): UnanalysedPart[] {
  const parts: UnanalysedPart[] = [];
  if (!analysis.security.available)
    parts.push({ version, part: 'security', reason: analysis.security.reason });
  if (!analysis.complexity.available)
    parts.push({ version, part: 'complexity', reason: analysis.complexity.reason });
  if (analysis.correctness.not_checked !== undefined)
    parts.push({ version, part: 'syntax', reason: analysis.correctness.not_checked });
  return parts;
}

/**
 * Compare two analyses. Findings are matched as multisets by rule and message, so a finding
 * that only moved lines is neither new nor fixed; functions are matched by qualified name.
 * Without the old version's findings every finding of the new one is new (nothing shows the base
 * had it); without the new version's, nothing is new and nothing fixed.
 */
export function diffAnalyses(oldAnalysis: Analysis, newAnalysis: Analysis): AnalysisDiff {
  const bothAnalysed = oldAnalysis.security.available && newAnalysis.security.available;
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
  for (const issue of bothAnalysed ? [...issuesOf(oldAnalysis)].reverse() : []) {
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
    security_old: oldAnalysis.security.available ? oldAnalysis.security.total_issues : null,
    security_new: newAnalysis.security.available ? newAnalysis.security.total_issues : null,
    complexity_old: oldAnalysis.complexity.available
      ? oldAnalysis.complexity.average_complexity
      : null,
    complexity_new: newAnalysis.complexity.available
      ? newAnalysis.complexity.average_complexity
      : null,
    functions,
    syntax_valid_old: oldAnalysis.correctness.syntax_valid,
    syntax_valid_new: newAnalysis.correctness.syntax_valid,
    unanalysed: [...unanalysedParts(oldAnalysis, 'old'), ...unanalysedParts(newAnalysis, 'new')],
  };
}
