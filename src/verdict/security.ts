/**
 * Severity-aware security evidence (`security-fail-on`). A new finding (one the base did not
 * have) is weighed by its severity, lowered one level when the analyser is not confident in it
 * (confidence LOW). Against the threshold (default `high`):
 * - weighed at or above the threshold → caps the verdict at REJECT;
 * - one level below → caps it at REVIEW;
 * - further below → listed, does not move the verdict.
 * So with the default, a new HIGH finding is REJECT, MEDIUM is REVIEW, LOW (bandit's B404
 * `import subprocess`) is only listed. Pure.
 */
import type { SecurityFailOn, SecurityIssue, Severity } from '../domain/types.js';

export const DEFAULT_SECURITY_FAIL_ON: SecurityFailOn = 'high';

/**
 * The analysers' own rule for benchmark introspection or tampering (its own path or source, the
 * stack, argv, replaced timers, the harness's modules or file descriptors). Not weighed against
 * `security-fail-on`: a head that introduces one is REVIEW at most, the line named (policy.ts).
 */
export const BENCHMARK_GAMING = 'benchmark-gaming';

/** Where a finding is: `line 5`, or `tools/t/helper.py line 5` in a file the tool loads. */
function findingPlace(f: Pick<SecurityIssue, 'line' | 'file'>): string {
  return f.file === undefined ? `line ${f.line}` : `${f.file} line ${f.line}`;
}

/** `line 5 (replaces the timer time.perf_counter)` for each benchmark-gaming finding. */
export function describeGaming(
  findings: readonly (Pick<SecurityIssue, 'line' | 'file'> & {
    readonly message?: string | undefined;
  })[],
  max = 3,
): string {
  const shown = findings.slice(0, max).map((f) => {
    const what = (f.message ?? '').replace(/^Benchmark gaming: /, '').replace(/\.$/, '');
    return what === '' ? findingPlace(f) : `${findingPlace(f)} (${what.slice(0, 120)})`;
  });
  return findings.length > max
    ? `${shown.join(', ')} and ${findings.length - max} more`
    : shown.join(', ');
}

const LEVEL: Readonly<Record<Severity, number>> = { LOW: 0, MEDIUM: 1, HIGH: 2 };
const THRESHOLD: Readonly<Record<SecurityFailOn, number>> = { low: 0, medium: 1, high: 2 };

export type FindingEffect = 'reject' | 'review' | 'listed';

type Finding = Pick<SecurityIssue, 'rule' | 'severity' | 'confidence' | 'line' | 'file'>;

/** A finding's weight: its severity, one level lower when its confidence is LOW. */
function weighedLevel(finding: Pick<SecurityIssue, 'severity' | 'confidence'>): number {
  const level = LEVEL[finding.severity] ?? 0;
  return finding.confidence === 'LOW' ? Math.max(0, level - 1) : level;
}

/** What one new finding does to the verdict under a threshold. */
export function findingEffect(
  finding: Pick<SecurityIssue, 'severity' | 'confidence'>,
  failOn: SecurityFailOn = DEFAULT_SECURITY_FAIL_ON,
): FindingEffect {
  const gap = THRESHOLD[failOn] - weighedLevel(finding);
  if (gap <= 0) return 'reject';
  if (gap === 1) return 'review';
  return 'listed';
}

export interface WeighedFindings {
  /** The strongest effect of any finding; 'listed' when there are none or all are listed. */
  readonly effect: FindingEffect;
  readonly reject: readonly Finding[];
  readonly review: readonly Finding[];
  readonly listed: readonly Finding[];
}

/** Sort new findings by what they do to the verdict. */
export function weighFindings(
  findings: readonly Finding[],
  failOn: SecurityFailOn = DEFAULT_SECURITY_FAIL_ON,
): WeighedFindings {
  const out = { reject: [] as Finding[], review: [] as Finding[], listed: [] as Finding[] };
  for (const f of findings) out[findingEffect(f, failOn)].push(f);
  const effect: FindingEffect =
    out.reject.length > 0 ? 'reject' : out.review.length > 0 ? 'review' : 'listed';
  return { effect, ...out };
}

/** `B602 (HIGH) line 4, B404 (LOW) line 1` — for reasons and notes. */
export function describeFindings(findings: readonly Finding[], max = 5): string {
  const shown = findings
    .slice(0, max)
    .map(
      (f) =>
        `${f.rule} (${f.severity}${f.confidence === 'LOW' ? ', low confidence' : ''}) ${findingPlace(f)}`,
    );
  return findings.length > max
    ? `${shown.join(', ')} and ${findings.length - max} more`
    : shown.join(', ');
}
