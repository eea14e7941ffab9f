/**
 * The policy: trusted evidence → a band [lo, hi] of allowed scores and a rule score inside it;
 * a score → a verdict. Pure. A model may only choose a score inside the band, and claims (the
 * author's words) may only move the rule score inside it, never widen it. The band table is
 * documented in README.md, "The judge".
 */
import type {
  Analysis,
  AnalysisDiff,
  Band,
  Change,
  Claims,
  Comparison,
  Confidence,
  Evidence,
  SecurityFailOn,
  Verdict,
} from './types.js';
import { DEFAULT_SECURITY_FAIL_ON, describeFindings, weighFindings } from './security.js';

/** Scores at or above this are ACCEPT. */
export const ACCEPT_AT = 80;
/** Scores at or below this are REJECT. */
export const REJECT_AT = 30;
/** Highest score a REVIEW can have: the cap for suspected injection. */
export const REVIEW_MAX = ACCEPT_AT - 1;
/**
 * Half-width of the "unchanged" zone for a point measurement (no interval): wider than a
 * measured interval's δ because a single pair of times carries its noise unseen.
 */
export const POINT_DELTA = 0.05;
/**
 * An inconclusive interval whose upper bound is at most this ratio rules out any slowdown worth
 * reviewing: it is judged like "unchanged". (The measurer's δ decides *unchanged* proper.)
 */
export const NEGLIGIBLE_SLOWDOWN = 1.05;

/** The recommendation from the final score only: ≥ 80 ACCEPT, ≤ 30 REJECT, else REVIEW. */
export function recommend(score: number): Verdict {
  if (score >= ACCEPT_AT) return 'ACCEPT';
  if (score <= REJECT_AT) return 'REJECT';
  return 'REVIEW';
}

/** Clamp a score into a band, rounded to an integer. */
export function clampToBand(score: number, band: Pick<Band, 'lo' | 'hi'>): number {
  return Math.min(band.hi, Math.max(band.lo, Math.round(score)));
}

/**
 * What the time evidence says: the measurer's class when there is an interval; for a point
 * measurement (no interval) the ratio against ±POINT_DELTA.
 */
export function timeChange(evidence: Evidence): Change | null {
  const ratio = evidence.time_ratio;
  if (ratio === null || !Number.isFinite(ratio)) return null;
  const point = evidence.time_ci_low === null || evidence.time_ci_high === null;
  if (!point && evidence.time_change !== null) return evidence.time_change;
  if (!point) {
    const lo = evidence.time_ci_low ?? ratio;
    const hi = evidence.time_ci_high ?? ratio;
    if (lo > 1) return 'regression';
    if (hi < 1) return 'improvement';
    return 'inconclusive';
  }
  if (ratio > 1 + POINT_DELTA) return 'regression';
  if (ratio < 1 - POINT_DELTA) return 'improvement';
  return 'unchanged';
}

/**
 * Whether the claims name a purpose for the change: a non-empty feature list or a changed
 * requirement. Untrusted: used only to pick a point inside the band.
 */
export function claimsFeatures(claims: Claims): boolean {
  const features = (claims.feature_additions ?? []).some((f) => f.trim() !== '');
  const before = (claims.previous_requirement ?? '').trim().toLowerCase();
  const after = (claims.new_requirement ?? '').trim().toLowerCase();
  return features || (after !== '' && before !== '' && after !== before);
}

interface Draft {
  lo: number;
  hi: number;
  rule: number;
  reasons: string[];
}

const pct = (ratio: number): string => {
  const p = (ratio - 1) * 100;
  return `${p >= 0 ? '+' : ''}${Math.abs(p) >= 10 ? p.toFixed(0) : p.toFixed(1)} %`;
};

/** The band for a slowdown of `p` (0.25 = 25 % slower) given what justifies it. */
function regressionBand(
  p: number,
  ratio: number,
  features: boolean,
  securityFix: boolean,
  complexityBetter: boolean,
): Draft {
  const eps = 1e-9;
  let d: Draft;
  if (p <= 0.1 + eps) {
    d = { lo: 31, hi: 90, rule: features ? 82 : 65, reasons: [`minor slowdown (${pct(ratio)})`] };
  } else if (p <= 0.3 + eps) {
    d = {
      lo: 31,
      hi: 85,
      rule: features ? 70 : 45,
      reasons: [`moderate slowdown (${pct(ratio)})`],
    };
  } else if (p <= 0.5 + eps) {
    d = { lo: 15, hi: 79, rule: features ? 55 : 25, reasons: [`large slowdown (${pct(ratio)})`] };
  } else {
    d = {
      lo: 0,
      hi: 60,
      rule: features ? 40 : Math.max(5, Math.round(25 - (p - 0.5) * 20)),
      reasons: [
        `severe slowdown (${pct(ratio)}): above 50 % it never reaches ACCEPT unless a measured fix justifies it`,
      ],
    };
  }
  if (!securityFix && !complexityBetter) {
    d.reasons.push(
      features
        ? 'claimed features (untrusted) only place the score inside the band'
        : 'no claimed purpose for the slowdown',
    );
  }
  // Trusted justifications lift the band; each applies only up to the slowdown it can excuse.
  const lift = (j: Draft): void => {
    d = {
      lo: Math.max(d.lo, j.lo),
      hi: Math.max(d.hi, j.hi),
      rule: Math.max(d.rule, j.rule),
      reasons: [...d.reasons, ...j.reasons],
    };
  };
  if (securityFix && p <= 1 + eps) {
    lift({
      lo: 50,
      hi: 95,
      rule: 85,
      reasons: ['measured security fix justifies a slowdown up to 2×'],
    });
  } else if (securityFix) {
    lift({
      lo: 31,
      hi: 79,
      rule: 65,
      reasons: ['measured security fix, but a slowdown above 2× needs a human'],
    });
  }
  if (complexityBetter && p <= 0.1 + eps) {
    lift({
      lo: 50,
      hi: 95,
      rule: 85,
      reasons: ['complexity reduced: a refactoring with a minor slowdown'],
    });
  } else if (complexityBetter && p <= 0.3 + eps) {
    lift({ lo: 31, hi: 85, rule: 72, reasons: ['complexity reduced, moderate slowdown'] });
  }
  return d;
}

/**
 * Map trusted evidence to the band of allowed scores and the rule score inside it.
 * Invariants (tested): a new version that does not parse is REJECT; more security findings cap
 * the score at 50 (never ACCEPT); a measured improvement with no new findings floors it at 80;
 * an unjustified slowdown above 50 % never reaches 80; an inconclusive measurement never REJECTs
 * on time alone (lo ≥ 31 unless security or syntax evidence lowers it). Claims only choose the
 * rule score's point inside the band.
 */
export function computeBand(evidence: Evidence, claims: Claims): Band {
  if (!evidence.syntax_valid_new) {
    return { lo: 0, hi: 10, rule_score: 5, reasons: ['the new version does not parse'] };
  }
  const features = claimsFeatures(claims);
  const securityFix = evidence.security_new < evidence.security_old;
  const securityWorse = evidence.security_new > evidence.security_old;
  const cOld = evidence.complexity_old;
  const cNew = evidence.complexity_new;
  const complexityBetter = cOld !== null && cNew !== null && cOld > 0 && cNew <= cOld * 0.8;
  const complexityWorse = cOld !== null && cNew !== null && cNew >= cOld * 1.5 && cNew - cOld >= 2;
  const ratio = evidence.time_ratio ?? 1;
  const point = evidence.time_ci_low === null || evidence.time_ci_high === null;
  const measured = point ? 'point measurement, no interval' : 'interval';
  // An inconclusive interval that excludes any slowdown worth a human's time (at worst a few per
  // cent slower) is judged as no change: the measurer's δ decides *unchanged* proper.
  const high = evidence.time_ci_high ?? ratio;
  const measuredChange = timeChange(evidence);
  const negligible = measuredChange === 'inconclusive' && high <= NEGLIGIBLE_SLOWDOWN;
  const change = negligible ? 'unchanged' : measuredChange;

  let d: Draft;
  switch (change) {
    case null:
      d = { lo: 31, hi: 90, rule: securityFix ? 80 : 60, reasons: ['time not measured'] };
      break;
    case 'improvement':
      d = {
        lo: 80,
        hi: 100,
        rule: ratio <= 0.8 ? 95 : 90,
        reasons: [`measured improvement (${pct(ratio)}, ${measured})`],
      };
      break;
    case 'unchanged':
      d = {
        lo: 31,
        hi: 100,
        rule: complexityBetter || securityFix ? 85 : complexityWorse ? 70 : 80,
        reasons: [
          negligible
            ? `no meaningful time change (${pct(ratio)}; at worst ${pct(high)} at the interval's upper bound)`
            : `no measurable time change (${pct(ratio)}, ${measured})`,
        ],
      };
      break;
    case 'inconclusive': {
      // The interval did not settle the question: never REJECT on time alone, and never let a
      // possible large slowdown reach ACCEPT without a trusted justification.
      const r = regressionBand(
        Math.max(0, ratio - 1),
        ratio,
        features,
        securityFix,
        complexityBetter,
      );
      const mayBeSevere = high > 1.5 && !securityFix;
      d = {
        lo: 31,
        hi: Math.min(mayBeSevere ? REVIEW_MAX : 90, Math.max(r.hi, 31)),
        rule: securityFix ? 80 : 60,
        reasons: [
          `inconclusive measurement (${pct(ratio)}): the interval did not settle${mayBeSevere ? ' and does not exclude a slowdown above 50 %' : ''}`,
        ],
      };
      break;
    }
    case 'regression':
      d = regressionBand(ratio - 1, ratio, features, securityFix, complexityBetter);
      if (point) d.reasons.push(measured);
      break;
  }

  if (securityFix)
    d.reasons.push(`security findings ${evidence.security_old} → ${evidence.security_new}`);
  // With the new findings given (severity, confidence), they are weighed against
  // `security-fail-on` (security.ts); with counts only, any increase caps at 50 as before.
  const weighed =
    evidence.new_findings === undefined
      ? null
      : weighFindings(evidence.new_findings, evidence.security_fail_on);
  if (weighed === null ? securityWorse : weighed.effect === 'reject') {
    d.lo = 0;
    d.hi = Math.min(d.hi, weighed === null ? 50 : REJECT_AT);
    d.rule = Math.min(d.rule, 25);
    d.reasons.push(
      weighed === null
        ? `more security findings (${evidence.security_old} → ${evidence.security_new}): capped at 50`
        : `new security finding at or above security-fail-on ${evidence.security_fail_on ?? DEFAULT_SECURITY_FAIL_ON} (${describeFindings(weighed.reject)}): REJECT`,
    );
  } else if (weighed?.effect === 'review') {
    d.hi = Math.min(d.hi, 50);
    d.rule = Math.min(d.rule, 50);
    d.reasons.push(
      `new security finding one level below security-fail-on (${describeFindings(weighed.review)}): REVIEW at most`,
    );
  }
  if (weighed !== null && weighed.listed.length > 0)
    d.reasons.push(
      `new low-weight finding${weighed.listed.length === 1 ? '' : 's'} listed, not weighed (${describeFindings(weighed.listed)})`,
    );
  if (complexityBetter) d.reasons.push(`complexity ${cOld} → ${cNew}`);
  if (complexityWorse) d.reasons.push(`complexity grew (${cOld} → ${cNew})`);
  const memory = evidence.memory_ratio;
  if (memory !== null && memory >= 2 && !securityFix && change !== 'improvement') {
    d.hi = Math.min(d.hi, REVIEW_MAX);
    d.rule -= 10;
    d.reasons.push(`memory ×${memory.toFixed(1)}: not ACCEPT without a human`);
  }
  if (evidence.code_changed === false && change === 'regression') {
    d = {
      lo: 0,
      hi: 30,
      rule: 10,
      reasons: ['code unchanged but slower: investigate the environment'],
    };
  }
  if (!evidence.syntax_valid_old) d.reasons.push('the old version did not parse');

  const lo = Math.min(d.lo, d.hi);
  return {
    lo,
    hi: d.hi,
    rule_score: clampToBand(d.rule, { lo, hi: d.hi }),
    reasons: d.reasons,
  };
}

/** Cap a band at REVIEW: used when prompt injection is suspected. */
export function capBandAtReview(band: Band, why: string): Band {
  if (band.hi <= REVIEW_MAX) return { ...band, reasons: [...band.reasons, why] };
  const hi = REVIEW_MAX;
  const lo = Math.min(band.lo, hi);
  return {
    lo,
    hi,
    rule_score: clampToBand(band.rule_score, { lo, hi }),
    reasons: [...band.reasons, why],
  };
}

/**
 * How sure the rules are: high when an interval settled the time question, medium for a point
 * measurement, an inconclusive one, or none.
 */
export function ruleConfidence(evidence: Evidence): Confidence {
  const point = evidence.time_ci_low === null || evidence.time_ci_high === null;
  const change = timeChange(evidence);
  if (!point && change !== null && change !== 'inconclusive') return 'high';
  return 'medium';
}

/** Where the evidence comes from: a measured comparison and analyses, or plain point values. */
export interface EvidenceSources {
  readonly comparison?: Comparison | undefined;
  readonly oldAnalysis?: Analysis | undefined;
  readonly newAnalysis?: Analysis | undefined;
  readonly analysisDiff?: AnalysisDiff | undefined;
  /** Point times (the guide's `execution_time_ms`), used when there is no comparison. */
  readonly oldTimeMs?: number | undefined;
  readonly newTimeMs?: number | undefined;
  readonly oldMemoryKb?: number | null | undefined;
  readonly newMemoryKb?: number | null | undefined;
  /** Security finding counts (the guide's `security_issues`), used when there is no analysis. */
  readonly securityOld?: number | undefined;
  readonly securityNew?: number | undefined;
  readonly oldCode?: string | undefined;
  readonly newCode?: string | undefined;
  /** `security-fail-on`; with an analysis diff, its new findings are weighed against it. */
  readonly securityFailOn?: SecurityFailOn | undefined;
}

function securityCount(analysis: Analysis | undefined): number | undefined {
  return analysis !== undefined && analysis.security.available
    ? analysis.security.total_issues
    : undefined;
}

function complexity(analysis: Analysis | undefined): number | null {
  return analysis !== undefined && analysis.complexity.available
    ? analysis.complexity.average_complexity
    : null;
}

const memoryRatio = (
  oldKb: number | null | undefined,
  newKb: number | null | undefined,
): number | null =>
  oldKb !== null && oldKb !== undefined && newKb !== null && newKb !== undefined && oldKb > 0
    ? newKb / oldKb
    : null;

const sameCode = (a: string, b: string): boolean =>
  a.replace(/[ \t]+$/gm, '').trim() === b.replace(/[ \t]+$/gm, '').trim();

/**
 * Assemble Evidence from whatever was measured. A comparison wins over point times; an analysis
 * diff over analyses; analyses over plain counts. Absent time → `time_ratio: null`.
 */
export function buildEvidence(sources: EvidenceSources): Evidence {
  const c = sources.comparison;
  const diff = sources.analysisDiff;
  let time: Pick<Evidence, 'time_ratio' | 'time_ci_low' | 'time_ci_high' | 'time_change'>;
  if (c !== undefined) {
    time = {
      time_ratio: c.time.ratio,
      time_ci_low: c.time.ci_low,
      time_ci_high: c.time.ci_high,
      time_change: c.time.change,
    };
  } else if (
    sources.oldTimeMs !== undefined &&
    sources.newTimeMs !== undefined &&
    sources.oldTimeMs > 0
  ) {
    time = {
      time_ratio: sources.newTimeMs / sources.oldTimeMs,
      time_ci_low: null,
      time_ci_high: null,
      time_change: null,
    };
  } else {
    time = { time_ratio: null, time_ci_low: null, time_ci_high: null, time_change: null };
  }
  const evidence: Evidence = {
    ...time,
    memory_ratio:
      c !== undefined ? c.memory.ratio : memoryRatio(sources.oldMemoryKb, sources.newMemoryKb),
    security_old:
      diff?.security_old ?? securityCount(sources.oldAnalysis) ?? sources.securityOld ?? 0,
    security_new:
      diff?.security_new ?? securityCount(sources.newAnalysis) ?? sources.securityNew ?? 0,
    complexity_old: diff !== undefined ? diff.complexity_old : complexity(sources.oldAnalysis),
    complexity_new: diff !== undefined ? diff.complexity_new : complexity(sources.newAnalysis),
    syntax_valid_old:
      diff?.syntax_valid_old ?? sources.oldAnalysis?.correctness.syntax_valid ?? true,
    syntax_valid_new:
      diff?.syntax_valid_new ?? sources.newAnalysis?.correctness.syntax_valid ?? true,
    code_changed:
      sources.oldCode !== undefined &&
      sources.newCode !== undefined &&
      sources.oldCode.trim() !== ''
        ? !sameCode(sources.oldCode, sources.newCode)
        : undefined,
    ...(diff !== undefined
      ? {
          new_findings: diff.new_findings.map((f) => ({
            rule: f.rule,
            severity: f.severity,
            confidence: f.confidence,
            line: f.line,
          })),
          security_fail_on: sources.securityFailOn ?? DEFAULT_SECURITY_FAIL_ON,
        }
      : {}),
  };
  return evidence;
}
