/** Number formatting shared by the renderers: times, signed percentages, intervals. */
import type { Analysis, AnalysisDiff, Comparison, Verdict } from './types.js';

/** Nanoseconds as a short human time. */
export function formatNs(ns: number): string {
  if (!Number.isFinite(ns) || ns < 0) return 'n/a';
  if (ns < 1_000) return `${ns.toFixed(0)} ns`;
  if (ns < 1_000_000) return `${(ns / 1_000).toFixed(ns < 10_000 ? 2 : 1)} µs`;
  if (ns < 1_000_000_000) return `${(ns / 1_000_000).toFixed(ns < 10_000_000 ? 2 : 1)} ms`;
  return `${(ns / 1_000_000_000).toFixed(2)} s`;
}

/** A ratio new/old as a signed change: 1.5 → `+50 %`, 0.8 → `−20 %`. */
export function formatChange(ratio: number | null): string {
  if (ratio === null || Number.isNaN(ratio) || ratio < 0) return 'n/a';
  // An interval bound can be 0 or unbounded when the measurement never settled.
  if (ratio === Infinity) return '+∞';
  if (ratio === 0) return '−100 %';
  const pct = (ratio - 1) * 100;
  const abs = Math.abs(pct);
  const digits = abs < 10 ? 1 : 0;
  if (abs.toFixed(digits) === (0).toFixed(digits)) return '±0 %';
  return `${pct > 0 ? '+' : '−'}${abs.toFixed(digits)} %`;
}

export function formatKb(kb: number | null): string {
  if (kb === null || !Number.isFinite(kb)) return 'n/a';
  return kb < 1024 ? `${kb.toFixed(1)} KiB` : `${(kb / 1024).toFixed(2)} MiB`;
}

/** Δ time with its interval, e.g. `+201 % [+190 %, +212 %]`. */
export function formatTimeDelta(comparison: Comparison): string {
  const { ratio, ci_low, ci_high } = comparison.time;
  return `${formatChange(ratio)} [${formatChange(ci_low)}, ${formatChange(ci_high)}]`;
}

export function complexityOf(analysis: Analysis | null): number | null {
  return analysis !== null && analysis.complexity.available
    ? analysis.complexity.average_complexity
    : null;
}

export function securityCountOf(analysis: Analysis | null): number | null {
  return analysis !== null && analysis.security.available ? analysis.security.total_issues : null;
}

function num(value: number | null, digits: number): string {
  return value === null ? '–' : value.toFixed(digits);
}

/** `old → new` of the average cyclomatic complexity. */
export function formatComplexity(oldA: Analysis | null, newA: Analysis | null): string {
  const o = complexityOf(oldA);
  const n = complexityOf(newA);
  if (o === null && n === null) return 'n/a';
  return `${num(o, 1)} → ${num(n, 1)}`;
}

/** `old → new` security findings, with what was fixed or introduced. */
export function formatSecurity(
  oldA: Analysis | null,
  newA: Analysis | null,
  diff: AnalysisDiff | null,
): string {
  const o = securityCountOf(oldA);
  const n = securityCountOf(newA);
  if (o === null && n === null) return 'n/a';
  let text = `${o ?? '–'} → ${n ?? '–'}`;
  if (diff !== null && diff.fixed_findings.length > 0)
    text += ` 🔒 ${diff.fixed_findings.length} fixed`;
  if (diff !== null && diff.new_findings.length > 0) text += ` ⚠️ ${diff.new_findings.length} new`;
  return text;
}

export const VERDICT_ICON: Readonly<Record<Verdict | 'NONE', string>> = {
  ACCEPT: '✅',
  REVIEW: '🟡',
  REJECT: '❌',
  NONE: '⚪',
};
