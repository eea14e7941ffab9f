/**
 * Number formatting shared by the renderers: times, signed percentages, intervals, counts.
 * One convention everywhere: the minus sign is U+2212, a number and its unit are joined by a
 * no-break space (U+00A0) so a table cell never wraps `3.43` away from `µs`.
 */
import type { Analysis, AnalysisDiff, Comparison, ToolError, Verdict } from '../domain/types.js';
import { MIN_PAIRS } from '../domain/types.js';

/** No-break space: between a number and its unit. */
export const NBSP = '\u00a0';
/** The minus sign used in every rendering. */
const MINUS = '\u2212';

/** `1 call`, `2 calls`. */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count}${NBSP}${count === 1 ? singular : pluralForm}`;
}

/** Nanoseconds as a short human time: `850 ns`, `3.43 µs`, `12.1 ms`, `1.20 s`. */
export function formatNs(ns: number): string {
  if (!Number.isFinite(ns) || ns <= 0) return '—';
  const three = (v: number): string => v.toFixed(v < 10 ? 2 : v < 100 ? 1 : 0);
  if (ns < 999.5) return `${ns.toFixed(0)}${NBSP}ns`;
  if (ns < 999_500) return `${three(ns / 1_000)}${NBSP}µs`;
  if (ns < 999_500_000) return `${three(ns / 1_000_000)}${NBSP}ms`;
  return `${three(ns / 1_000_000_000)}${NBSP}s`;
}

/** Milliseconds in the unit that reads: `258 ns`, `3.43 µs`, `12.1 ms`, `1.20 s`. */
export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  return formatNs(ms * 1_000_000);
}

/** A ratio new/old as a signed change: 1.5 → `+50 %`, 0.8 → `−20 %`. */
export function formatChange(ratio: number | null): string {
  if (ratio === null || !Number.isFinite(ratio) || ratio <= 0) return '—';
  const pct = (ratio - 1) * 100;
  const abs = Math.abs(pct);
  const digits = abs < 10 ? 1 : 0;
  if (abs.toFixed(digits) === (0).toFixed(digits)) return `±0${NBSP}%`;
  return `${pct > 0 ? '+' : MINUS}${abs.toFixed(digits)}${NBSP}%`;
}

export function formatKb(kb: number | null): string {
  if (kb === null || !Number.isFinite(kb)) return '—';
  return kb < 1024 ? `${kb.toFixed(1)}${NBSP}KiB` : `${(kb / 1024).toFixed(2)}${NBSP}MiB`;
}

/** A ratio as a plain number: `1.023`. */
export function formatRatio(ratio: number): string {
  return Number.isFinite(ratio) ? ratio.toFixed(3) : '—';
}

/** Replace an ASCII hyphen used as a minus sign before a number by U+2212. */
export function unifyMinus(text: string): string {
  return text.replace(/(^|[\s([,;:=])-(?=\d)/g, `$1${MINUS}`);
}

/**
 * Can this comparison's interval be quoted? Only when both versions ran, the interval is finite
 * and it rests on at least MIN_PAIRS process pairs.
 */
export function hasInterval(c: Comparison): boolean {
  return (
    c.old.error === undefined &&
    c.new.error === undefined &&
    c.time.pairs >= MIN_PAIRS &&
    Number.isFinite(c.time.ci_low) &&
    Number.isFinite(c.time.ci_high) &&
    c.time.ci_low > 0 &&
    c.time.ci_high < 1e6
  );
}

const FAILED: Readonly<Record<ToolError['kind'], string>> = {
  timeout: 'timed out',
  crashed: 'crashed',
  memory: 'ran out of memory',
  exception: 'crashed',
  output: 'gave bad output',
  network: 'was blocked from the network',
  invalid_tool: 'is not a valid tool',
  unsupported: 'is unsupported',
  sandbox: 'could not be sandboxed',
  hostile: 'was stopped starting a process',
  reported: 'reported a failure',
};

/** A one-line excerpt of a tool's error: the exception class when there is one, else the start. */
function errorExcerpt(error: ToolError, max = 40): string {
  const first = (error.message.split('\n').find((l) => l.trim() !== '') ?? '').trim();
  const exception = /^([A-Za-z_][\w.]*(?:Error|Exception|Exit|Interrupt|Warning))\b/.exec(first);
  const text = exception?.[1] ?? first;
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** `head crashed: ZeroDivisionError` — which side failed and how, for a table cell. */
export function failureText(side: 'base' | 'head', error: ToolError): string {
  const excerpt = errorExcerpt(error);
  return `${side} ${FAILED[error.kind]}${excerpt === '' ? '' : `: ${excerpt}`}`;
}

/** A factor as people say it: one decimal below 10 (`7.5`), whole from 10 on (`12`). */
function factor(value: number): string {
  return value < 9.95 ? value.toFixed(1) : Math.round(value).toString();
}

/**
 * A time ratio head/base as people say it: from 2 on `7.5× slower`, up to 0.5 `2.1× faster`,
 * between them a signed percentage (`+42 %`).
 */
export function formatTimeChange(ratio: number): string {
  if (!Number.isFinite(ratio) || ratio <= 0) return '—';
  if (ratio >= 2) return `${factor(ratio)}×${NBSP}slower`;
  if (ratio <= 0.5) return `${factor(1 / ratio)}×${NBSP}faster`;
  return formatChange(ratio);
}

/**
 * Δ time for a table cell: `+201 % (+190 to +212 %)`, `7.5× slower (7.1 to 7.9×)`,
 * `2.1× faster (1.9 to 2.3×)`; `2 of 4 pairs: too few to say` when the interval rests on too
 * few pairs. Failures are the caller's (they need escaping).
 */
export function formatTimeDelta(c: Comparison): string {
  const { ratio, ci_low, ci_high, pairs } = c.time;
  if (!hasInterval(c)) return `${pairs} of ${MIN_PAIRS} pairs: too few to say`;
  // The unit once per interval: `(+190 to +212 %)` reads as one range and stays short.
  if (ratio >= 2) return `${formatTimeChange(ratio)} (${factor(ci_low)} to ${factor(ci_high)}×)`;
  if (ratio <= 0.5)
    return `${formatTimeChange(ratio)} (${factor(1 / ci_high)} to ${factor(1 / ci_low)}×)`;
  const low = formatChange(ci_low).replace(`${NBSP}%`, '');
  return `${formatChange(ratio)} (${low} to ${formatChange(ci_high)})`;
}

export function complexityOf(analysis: Analysis | null): number | null {
  return analysis !== null && analysis.complexity.available
    ? analysis.complexity.average_complexity
    : null;
}

function securityCountOf(analysis: Analysis | null): number | null {
  return analysis !== null && analysis.security.available ? analysis.security.total_issues : null;
}

function rules(issues: readonly { rule: string }[], max = 2): string {
  const names = [...new Set(issues.map((i) => i.rule))];
  return names.length <= max
    ? names.join(', ')
    : `${names.slice(0, max).join(', ')} +${names.length - max}`;
}

/**
 * The Findings cell: what the head introduced or fixed, by rule id; for a new tool, the head's
 * findings. Rule ids come from our analysers (bandit-style ids), never from the tool.
 */
export function formatFindings(
  oldA: Analysis | null,
  newA: Analysis | null,
  diff: AnalysisDiff | null,
): string {
  if (oldA === null && newA !== null) {
    if (!newA.security.available) return 'not analysed';
    const issues = newA.security.issues;
    return issues.length === 0 ? 'none' : `⚠️${NBSP}${issues.length}: ${rules(issues)}`;
  }
  if (diff === null) {
    const n = securityCountOf(newA ?? oldA);
    return n === null ? '—' : n === 0 ? 'none' : `${n} (unchanged)`;
  }
  const parts: string[] = [];
  if (diff.new_findings.length > 0)
    parts.push(`⚠️${NBSP}${diff.new_findings.length} new: ${rules(diff.new_findings)}`);
  if (diff.fixed_findings.length > 0)
    parts.push(`🔒${NBSP}${diff.fixed_findings.length} fixed: ${rules(diff.fixed_findings)}`);
  if (parts.length > 0) return parts.join('; ');
  if (diff.security_new === null || diff.security_old === null) return 'not analysed';
  return diff.security_new === 0 ? 'none' : `${diff.security_new} (unchanged)`;
}

export const VERDICT_ICON: Readonly<Record<Verdict | 'NONE', string>> = {
  ACCEPT: '✅',
  REVIEW: '🟡',
  REJECT: '❌',
  NONE: '⚪',
};
