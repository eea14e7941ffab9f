/**
 * A tool's analysis with the repository files it loads (src/tools/imports.ts): their security
 * findings join its own, each naming its file, so a new finding or a benchmark-gaming line in a
 * helper weighs as one in the tool. What could not be analysed of them makes the tool's security
 * unknown (REVIEW at most), never "no findings". Complexity, quality and correctness stay the
 * tool's own.
 */
import type { Analysis, SecurityIssue, Severity } from '../domain/types.js';

interface LoadedAnalysis {
  readonly path: string;
  readonly analysis: Analysis;
}

export function withLoadedFiles(
  own: Analysis,
  loaded: readonly LoadedAnalysis[],
  incomplete: string | null,
): Analysis {
  if (!own.security.available || (loaded.length === 0 && incomplete === null)) return own;
  let reason = incomplete;
  for (const { path, analysis } of loaded)
    if (!analysis.security.available)
      reason ??= `${path}, which it loads: ${analysis.security.reason}`;
  if (reason !== null) return { ...own, security: { available: false, reason } };
  const issues: SecurityIssue[] = [...own.security.issues];
  for (const { path, analysis } of loaded)
    if (analysis.security.available)
      issues.push(...analysis.security.issues.map((issue) => ({ ...issue, file: path })));
  const counts: Record<Severity, number> = { LOW: 0, MEDIUM: 0, HIGH: 0 };
  for (const issue of issues) counts[issue.severity]++;
  return {
    ...own,
    security: {
      available: true,
      total_issues: issues.length,
      severity_counts: counts,
      issues,
    },
  };
}
