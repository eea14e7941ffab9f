/**
 * The policy: trusted evidence → a band [lo, hi] of allowed scores and a rule score inside it;
 * a score → a verdict. Pure. A model may only choose a score inside the band, and claims (the
 * author's words) may only move the rule score inside it, never widen it. The band table is
 * documented in docs/judge.md.
 */
import type {
  Growth,
  GrowthFit,
  OutputComparison,
  Analysis,
  AnalysisDiff,
  Band,
  Change,
  Claims,
  Comparison,
  Confidence,
  Evidence,
  InterpretedCalls,
  PolicySettings,
  OptionalPerVersion,
  SecurityFailOn,
  Tampering,
  UnanalysedPart,
  Verdict,
} from '../domain/types.js';
import { unanalysedParts } from './analysis-diff.js';
import { describeDiffering, describeVarying } from '../measure/outputs.js';
import {
  BENCHMARK_GAMING,
  DEFAULT_SECURITY_FAIL_ON,
  describeFindings,
  describeGaming,
  weighFindings,
} from './security.js';

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
const POINT_DELTA = 0.05;
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
 * Whether the claims name a purpose for the change: a non-empty feature list. A changed
 * requirement text alone is not one (rewording "Sort the data" as "Sort the data faster" names
 * no feature). Untrusted: it only picks a point inside the band, and places an unproven severe
 * slowdown in [0, 60] instead of [0, 30].
 */
export function claimsFeatures(claims: Claims): boolean {
  return (claims.feature_additions ?? []).some((f) => f.trim() !== '');
}

/** Words a requirement gains that name speed, not behaviour ("Sort the data faster"). */
const SPEED_WORDS =
  /^(fast(er|est)?|quick(er|ly)?|speed(y|ier)?|efficient(ly)?|optimi[sz](ed|ation)?|performan(t|ce)|better|improved?|more|less|now|also|and|with|the|a|an|of|to|for|in|on|by|it|its)$/i;

/**
 * Whether the requirement changed to name a behaviour the old one did not: a word the new
 * requirement has that the old lacks, other than speed and filler words ("Add two numbers
 * together" → "Add two numbers with type validation"). The guide's Quick Start 2 calls that a
 * purpose; like a feature list it is untrusted and only places a moderate or large slowdown
 * (≤ 50 %) in REVIEW instead of REJECT.
 */
export function requirementNamesAddition(claims: Claims): boolean {
  const words = (text: string | undefined): string[] =>
    (text ?? '').toLowerCase().match(/[\p{L}\p{N}_]+/gu) ?? [];
  const before = new Set(words(claims.previous_requirement));
  if (before.size === 0) return false;
  return words(claims.new_requirement).some((w) => !before.has(w) && !SPEED_WORDS.test(w));
}

/** What a change says it is. */
export type IntentKind = 'optimization' | 'bugfix' | 'feature' | 'refactoring' | 'security';
export type IntentSetting = PolicySettings['intent'];

/** The detected (or configured) intent, with the words it came from. */
export interface Intent {
  readonly kinds: readonly IntentKind[];
  /** Where each kind was read, e.g. `title: "speed up"`; vocabulary words only, never free text. */
  readonly words: readonly string[];
  /**
   * `claims`: parsed from the author's words — untrusted, so it only makes a verdict stricter or
   * more specific. `config`: the repository's own `intent` setting, read from the base.
   */
  readonly from: 'claims' | 'config';
}

/** The policy's settings: the user's knobs (config, inputs, flags) and the intent. */
export interface PolicyOptions {
  /** `max-slowdown` as a fraction (0.25 = 25 %); null: no hard limit. */
  readonly maxSlowdown: number | null;
  /** `noise-zone`: the measurer's δ, named in reasons. */
  readonly noiseZone: number;
  readonly intent: Intent | null;
}

export const DEFAULT_POLICY: PolicyOptions = { maxSlowdown: null, noiseZone: 0.02, intent: null };
/** The knobs' defaults: no hard limit, δ 2 %, intent parsed from the claims. */
export const DEFAULT_SETTINGS: PolicySettings = {
  maxSlowdown: null,
  noiseZone: 0.02,
  intent: 'auto',
};

/** Words in the claims that name a cache: the reason says the reviewer decides. */
const CACHE_WORDS = /\b(cach(e|es|ed|ing)|memo(s|i[sz](e|es|ed|ing|ation))?)\b/i;

/**
 * How far the first call's ratio may lie beyond what the steady state predicts for it, past both
 * intervals, before the difference is taken for state carried across calls: one-time costs an
 * honest change shifts (a lazy import, the interpreter's specialisation of new code) within a
 * quarter.
 */
const STATE_ALLOWANCE = 1.25;
/**
 * A first call this far beyond the steady state's prediction is state across calls whatever its
 * second call says: under Node the second call of a memo was seen 30× slower than the base's
 * (its helper back in the interpreter), while a JIT's own warm-up stays below it (the example
 * checksum under Node 24: up to 45×).
 */
const STATE_GAIN = 100;
/**
 * How far an interpreter-only first call may lie beyond its prediction (its later calls plus the
 * base's one-time costs) before it is taken for state across calls. Measured (bench/first-calls.ts,
 * Node 24, load 8.6–20): honest heads read 0.6–1.6 (an honest 3× speed-up 0.98–1.64, its interval's
 * low edge up to 1.07: part of a first call's cost grows with its work), memos 4.5–17 (a memo at
 * 7.8×: low edges 2.8–3.8).
 */
const INTERPRETED_ALLOWANCE = 2;

/**
 * State carried across calls, judged by the evidence (null: none shown). A head fast only because
 * it keeps state from one call to the next (a memo, a cache the first call fills) owes its steady
 * state to repetition; its first call in a fresh process does not share the steady ratio. What
 * an honest head's first call would read: its steady work plus the one-time costs of a first
 * call, which both versions pay and which the base's first call shows beyond its steady call
 * (`base_warm_share`: the base's steady time per call over its first call). With a share `k`
 * and a steady ratio `r` that is 1 − k·(1 − r): the steady ratio itself where the base's first
 * call is all work (k = 1), near 1 where a tool of a few microseconds is mostly one-time costs.
 * Shown when, over the pairs:
 * - the first calls' ratio is not itself a proven improvement (its interval's upper edge at or
 *   above 1 − δ), and its interval's lower edge lies above that prediction from the steady
 *   interval's upper edge by more than STATE_ALLOWANCE: a difference both intervals leave no
 *   room for; and
 * - the second call in the fresh process is already at that prediction (its ratio at most
 *   STATE_ALLOWANCE above the prediction from the steady interval's upper edge): the state is
 *   complete after one call. A JIT's warm-up gains over many calls (Node runs the first ones in
 *   its interpreter: the example checksum's loop is 4× slower than the base's builtins on its
 *   first call and 5× faster warm), so its second call is still far from the steady state. Or,
 *   whatever the second call says, the first calls' interval lies more than STATE_GAIN beyond
 *   the prediction.
 * Without an interval (a point from an older report) the cold ratio stands for both edges;
 * without a second call the second condition holds; without the base's share it is 1.
 * JS/TS: beside this, the first calls of interpreter-only pairs (`interpreted`,
 * stateInInterpreter), where the JIT cannot hide a memo's first call behind its own warm-up.
 */
export function stateAcrossCalls(evidence: Evidence, noiseZone: number): string | null {
  const interpreted = evidence.interpreted;
  return (
    (interpreted === undefined ? null : stateInInterpreter(interpreted, noiseZone)) ??
    stateAfterJit(evidence, noiseZone)
  );
}

/**
 * State carried across calls in interpreter-only fresh process pairs (JS/TS: src/measure/
 * first-calls.ts; null: none shown). Every call runs in V8's interpreter there, so a first call is
 * its work plus one-time costs, as in Python, and the head's first call is predicted by its later
 * calls plus the base's one-time costs (its first call beyond its later calls). Shown when the
 * interval of the head's first call over that prediction (`excess`, each pair one observation)
 * lies above INTERPRETED_ALLOWANCE, and the first calls are not themselves a proven improvement
 * (their interval's top at or above 1 − δ).
 */
function stateInInterpreter(calls: InterpretedCalls, noiseZone: number): string | null {
  const { excess_ci_low: low, excess_ci_high: high } = calls;
  if (low === undefined || high === undefined) return null;
  if ((calls.first_ci_high ?? calls.first_ratio) < 1 - noiseZone || low <= INTERPRETED_ALLOWANCE)
    return null;
  const times = (x: number): string => `×${x >= 10 ? x.toFixed(0) : x.toFixed(1)}`;
  return `state across calls: with the JIT off, the first call in a fresh process is ${pct(calls.first_ratio)} where the later calls are ${pct(calls.later_ratio)}, ${times(calls.excess)} [${times(low)}, ${times(high)}] what they and the base's first call predict (a memo or a cache the first call fills?)`;
}

/**
 * State carried across calls judged from the first and second calls of the steady-state pairs
 * (null: none shown): see stateAcrossCalls.
 */
function stateAfterJit(evidence: Evidence, noiseZone: number): string | null {
  const cold = evidence.cold_ratio;
  const steady = evidence.time_ratio;
  if (cold === null || cold === undefined || steady === null || !(cold > 0 && steady > 0))
    return null;
  const share = Math.min(1, Math.max(0, evidence.base_warm_share ?? 1));
  const predicted = (ratio: number): number => 1 - share * (1 - ratio);
  const low = evidence.cold_ci_low ?? cold;
  const high = evidence.cold_ci_high ?? cold;
  const steadyHigh = evidence.time_ci_high ?? steady;
  if (high < 1 - noiseZone || low <= predicted(steadyHigh) * STATE_ALLOWANCE) return null;
  const second = evidence.second_ratio;
  const filled = second === undefined || second <= predicted(steadyHigh) * STATE_ALLOWANCE;
  if (!filled && low < predicted(steadyHigh) * STATE_GAIN) return null;
  const interval = evidence.cold_ci_low === undefined ? '' : ` [${pct(low)}, ${pct(high)}]`;
  const then =
    second === undefined ? '' : `, the second call ${filled ? 'already ' : ''}${pct(second)}`;
  return `state across calls: the first call in a fresh process is ${pct(cold)}${interval} where the steady state is ${pct(steady)}${then} (a memo or a cache the first call fills?)`;
}

function claimsCache(claims: Claims): boolean {
  const texts = [
    claims.pr_title,
    claims.pr_body,
    claims.change_summary,
    claims.new_requirement,
    ...(claims.commit_messages ?? []),
    ...(claims.feature_additions ?? []),
  ];
  return texts.some((t) => t !== undefined && CACHE_WORDS.test(t));
}

/** Above this point ratio (or when the interval lies above it) a slowdown is "severe". */
const SEVERE_RATIO = 1.5;
/** The most an unjustified severe slowdown can score: a model chooses how bad, never whether. */
const UNJUSTIFIED_SEVERE_HI = REJECT_AT;
/** The most a severe slowdown justified only by a claimed feature list can score. */
const CLAIMED_SEVERE_HI = 60;
/** The guide's "Optimization failure" row: claimed faster, measured slower. */
const OPTIMIZATION_FAILURE_HI = 25;
/** The guide's "Bug fix" row: REVIEW 50–70 for a fix with a slowdown up to 30 %. */
const BUGFIX = { lo: 50, hi: 70, maxSlowdown: 0.3 } as const;
/** Under `intent: optimization`, a gain smaller than this is "marginally faster": REVIEW. */
const MARGINAL_GAIN = 0.05;

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
const pctAbs = (fraction: number): string => {
  const p = Math.abs(fraction) * 100;
  return `${p >= 10 ? p.toFixed(0) : p.toFixed(1)} %`;
};

const EPS = 1e-9;

/** The band of the slowdown rows before any justification: [lo, hi] only. */
function slowdownHi(p: number): number {
  if (p <= 0.1 + EPS) return 90;
  if (p <= 0.3 + EPS) return 85;
  if (p <= 0.5 + EPS) return 79;
  return CLAIMED_SEVERE_HI;
}

/** The band for a slowdown of `p` (0.25 = 25 % slower) given what justifies it. */
function regressionBand(
  p: number,
  ratio: number,
  /** The interval's lower bound; null for a point measurement. */
  ciLow: number | null,
  features: boolean,
  securityFix: boolean,
  complexityBetter: boolean,
): Draft {
  let d: Draft;
  if (p <= 0.1 + EPS) {
    d = { lo: 31, hi: 90, rule: features ? 82 : 65, reasons: [`minor slowdown (${pct(ratio)})`] };
  } else if (p <= 0.3 + EPS) {
    d = {
      lo: 31,
      hi: 85,
      rule: features ? 70 : 45,
      reasons: [`moderate slowdown (${pct(ratio)})`],
    };
  } else if (p <= 0.5 + EPS) {
    // Without a claimed purpose the rules say REJECT, and a model may not say otherwise.
    d = features
      ? { lo: 15, hi: 79, rule: 55, reasons: [`large slowdown (${pct(ratio)})`] }
      : {
          lo: 15,
          hi: REJECT_AT,
          rule: 25,
          reasons: [`large slowdown (${pct(ratio)}): without a justification it is REJECT`],
        };
  } else {
    // Above 50 %: unjustified → [0, 30], a model only says how bad. A claimed feature list
    // (untrusted) may reach REVIEW only while the measurement has not proven the slowdown severe
    // (a point measurement, or an interval reaching below 1.5).
    const proven = ciLow !== null && ciLow > SEVERE_RATIO;
    const unjustified = !features || proven;
    const severe = Math.max(5, Math.round(25 - (p - 0.5) * 20));
    d = unjustified
      ? {
          lo: 0,
          hi: UNJUSTIFIED_SEVERE_HI,
          rule: severe,
          reasons: [
            `severe slowdown (${pct(ratio)})${proven ? `, the whole interval above ${pct(SEVERE_RATIO)}` : ''}: without a trusted justification it is REJECT, a model only says how bad`,
          ],
        }
      : {
          lo: 0,
          hi: CLAIMED_SEVERE_HI,
          rule: 40,
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
  if (securityFix && p <= 1 + EPS) {
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
  if (complexityBetter && p <= 0.1 + EPS) {
    lift({
      lo: 50,
      hi: 95,
      rule: 85,
      reasons: ['complexity reduced: a refactoring with a minor slowdown'],
    });
  } else if (complexityBetter && p <= 0.3 + EPS) {
    lift({ lo: 31, hi: 85, rule: 72, reasons: ['complexity reduced, moderate slowdown'] });
  }
  return d;
}

/**
 * Both versions' answers (src/measure/outputs.ts). A changed answer is a changed behaviour: it is
 * never an improvement and at most REVIEW unless the requirement changed; an example's stated
 * output the base gives and the head does not is REJECT. A difference where both versions vary
 * between calls is said, not weighed; where only the head varies it is a changed answer.
 */
function applyOutputs(
  d: Draft,
  outputs: OutputComparison | undefined,
  claims: Claims,
  change: Change | null,
): void {
  if (outputs === undefined) return;
  const e = outputs.expected;
  if (e !== undefined && e.old_matches > e.new_matches) {
    d.lo = 0;
    capDraft(
      d,
      REJECT_AT,
      15,
      `wrong answer: the base gives the expected output of ${e.old_matches} of ${e.checked} example${e.checked === 1 ? '' : 's'}, the head of ${e.new_matches}${e.new_diff === undefined ? '' : ` (${e.new_diff})`}`,
    );
  }
  const varying = describeVarying(outputs);
  if (varying !== null) d.reasons.push(varying);
  const differ = describeDiffering(outputs);
  if (differ === null) return;
  const requirementChanged =
    (claims.previous_requirement ?? '').trim() !== (claims.new_requirement ?? '').trim();
  if (change === 'improvement' || !requirementChanged) {
    d.lo = Math.min(d.lo, REJECT_AT + 1);
    capDraft(
      d,
      REVIEW_MAX,
      60,
      `${differ}: a changed answer is changed behaviour, ${change === 'improvement' ? 'never an improvement' : 'the requirement did not change'}: REVIEW at most`,
    );
  } else d.reasons.push(`${differ}; the requirement changed`);
}

/** The reason line of a growth exponent that rose beyond noise. */
function describeRise(g: Growth): string {
  const fit = (f: GrowthFit | undefined): string =>
    f === undefined
      ? '?'
      : `n^${f.exponent.toFixed(2)} [${f.low.toFixed(2)}, ${f.high.toFixed(2)}]`;
  return `the cost grows faster with the input: head ${fit(g.new)}, base ${fit(g.old)} over ${g.part ?? 'the input'}; at ×${g.largest_factor ?? '?'} the head takes ${(g.ratio_at_largest ?? 1).toFixed(2)}× the base's time, judged as that slowdown`;
}

/** Narrow a draft to at most `hi` (and its rule score with it); never widens. */
function capDraft(d: Draft, hi: number, rule: number, reason: string): void {
  d.hi = Math.min(d.hi, hi);
  d.lo = Math.min(d.lo, d.hi);
  d.rule = Math.min(d.rule, rule);
  d.reasons.push(reason);
}

const quoteWords = (intent: Intent, kind: IntentKind): string => {
  const words = intent.words
    .filter((w) => w.startsWith(`${kind} `))
    .map((w) => w.slice(kind.length + 1));
  return words.length === 0 ? '' : ` (${words.slice(0, 3).join(', ')})`;
};

/**
 * Apply the intent. Parsed intent is the author's word: it may only make the verdict stricter
 * or more specific. A configured intent is the repository's own statement of purpose.
 */
function applyIntent(
  d: Draft,
  intent: Intent,
  at: {
    change: Change | null;
    ratio: number;
    point: boolean;
    noiseZone: number;
    trusted: boolean;
    securityFix: boolean;
    complexityBetter: boolean;
  },
): void {
  const { change, ratio, point, trusted } = at;
  const configured = intent.from === 'config';
  const label = configured ? 'intent (configured)' : 'claimed';
  const has = (kind: IntentKind): boolean => intent.kinds.includes(kind);
  const from = (kind: IntentKind): string =>
    configured ? ' (set by the repository)' : quoteWords(intent, kind);
  const zone = point ? POINT_DELTA : at.noiseZone;
  if (has('optimization')) {
    const claim = `${label} to be faster${from('optimization')}`;
    if (change === 'regression' && trusted) {
      capDraft(
        d,
        REVIEW_MAX,
        60,
        `${claim}, measured ${pctAbs(ratio - 1)} slower: the measured justification keeps it out of REJECT, not in ACCEPT`,
      );
    } else if (change === 'regression') {
      d.lo = 0;
      capDraft(
        d,
        OPTIMIZATION_FAILURE_HI,
        20,
        `optimization failure: ${claim}, measured ${pctAbs(ratio - 1)} slower`,
      );
    } else if (change === 'unchanged') {
      capDraft(d, REVIEW_MAX, 60, `${claim}, measured no change within ±${pctAbs(zone)}`);
    } else if (change === 'inconclusive') {
      capDraft(d, REVIEW_MAX, 60, `${claim}; the measurement did not settle whether it is`);
    } else if (change === null) {
      capDraft(d, REVIEW_MAX, 60, `${claim}; time was not measured`);
    } else if (configured && ratio > 1 - MARGINAL_GAIN) {
      d.lo = Math.min(d.lo, 31);
      capDraft(
        d,
        REVIEW_MAX,
        70,
        `${claim}, measured only marginally faster (${pct(ratio)}, less than ${pctAbs(MARGINAL_GAIN)})`,
      );
    } else {
      d.reasons.push(`${claim}, measured faster (${pct(ratio)})`);
    }
  }
  if (has('bugfix')) {
    const claim = `${label} bug fix${from('bugfix')}`;
    const p = ratio - 1;
    if (change === 'regression' && !trusted && p <= BUGFIX.maxSlowdown + EPS) {
      d.hi = Math.min(d.hi, BUGFIX.hi);
      d.lo = Math.min(d.lo, d.hi);
      if (d.rule > REJECT_AT) d.rule = Math.min(BUGFIX.hi, Math.max(BUGFIX.lo, d.rule));
      d.rule = Math.min(d.rule, d.hi);
      d.reasons.push(
        `${claim} with a ${pctAbs(p)} slowdown: whether the fix is worth it depends on the bug (REVIEW ${BUGFIX.lo}–${BUGFIX.hi})`,
      );
    } else {
      d.reasons.push(claim);
    }
  }
  if (has('security')) {
    d.reasons.push(
      at.securityFix
        ? `${label} security change${from('security')}, and the findings went down`
        : `${label} security change${from('security')}: no fewer findings measured, so it justifies nothing`,
    );
  }
  if (has('refactoring')) {
    d.reasons.push(
      at.complexityBetter
        ? `${label} refactoring${from('refactoring')}, complexity measured lower`
        : `${label} refactoring${from('refactoring')}: complexity not measured lower`,
    );
  }
  if (has('feature')) d.reasons.push(`${label} feature${from('feature')}`);
}

/**
 * Map trusted evidence to the band of allowed scores and the rule score inside it.
 * Invariants (tested): a new version that does not parse is REJECT; more security findings cap
 * the score at 50 (never ACCEPT); a measured improvement with no new findings floors it at 80
 * (unless a configured optimisation intent calls it marginal); an unjustified slowdown above
 * 50 % stays at or below 30, and so does any slowdown whose interval lies above 1.5 without a
 * trusted justification; an inconclusive measurement never REJECTs on time alone (lo ≥ 31
 * unless security or syntax evidence lowers it); a measured slowdown beyond `maxSlowdown` is
 * REJECT without a trusted justification. Claims choose the rule score's point inside the band;
 * a feature list also lifts an unproven severe slowdown from [0, 30] to [0, 60]; a parsed intent
 * only narrows.
 */
export function computeBand(
  evidence: Evidence,
  claims: Claims,
  options: PolicyOptions = DEFAULT_POLICY,
): Band {
  if (!evidence.syntax_valid_new) {
    return { lo: 0, hi: 10, rule_score: 5, reasons: ['the new version does not parse'] };
  }
  const intent = options.intent;
  const configuredFeature = intent?.from === 'config' && intent.kinds.includes('feature');
  const features = claimsFeatures(claims) || configuredFeature;
  // A requirement naming an added behaviour is a purpose up to a large (≤ 50 %) slowdown only.
  const purpose = features || requirementNamesAddition(claims);
  const purposeUpTo = (r: number): boolean => (r - 1 <= 0.5 + EPS ? purpose : features);
  // A security part that could not run is unknown: no fix and no increase is read from it.
  const unanalysed = evidence.unanalysed ?? [];
  const sOld = evidence.security_old;
  const sNew = evidence.security_new;
  const securityKnown =
    sOld !== null && sNew !== null && !unanalysed.some((u) => u.part === 'security');
  const securityFix = securityKnown && sNew < sOld;
  const securityWorse = securityKnown && sNew > sOld;
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
  const low = point ? ratio : (evidence.time_ci_low ?? ratio);
  const measuredChange = timeChange(evidence);
  const negligible = measuredChange === 'inconclusive' && high <= NEGLIGIBLE_SLOWDOWN;
  const change = negligible ? 'unchanged' : measuredChange;
  const p = Math.max(0, ratio - 1);
  // A trusted justification that applies to this slowdown: a measured security fix (any size),
  // a measured complexity reduction (up to 30 %).
  const trusted = securityFix || (complexityBetter && p <= 0.3 + EPS);

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
      const mayBeSevere = high > SEVERE_RATIO && !securityFix;
      const liftedHi = Math.max(
        securityFix ? (p <= 1 + EPS ? 95 : REVIEW_MAX) : 0,
        complexityBetter ? (p <= 0.1 + EPS ? 95 : p <= 0.3 + EPS ? 85 : 0) : 0,
      );
      d = {
        lo: 31,
        hi: Math.min(mayBeSevere ? REVIEW_MAX : 90, Math.max(slowdownHi(p), liftedHi, 31)),
        rule: securityFix ? 80 : 60,
        reasons: [
          `inconclusive measurement (${pct(ratio)}): the interval did not settle${mayBeSevere ? ' and does not exclude a slowdown above 50 %' : ''}`,
        ],
      };
      break;
    }
    case 'regression':
      d = regressionBand(
        ratio - 1,
        ratio,
        point ? null : evidence.time_ci_low,
        purposeUpTo(ratio),
        securityFix,
        complexityBetter,
      );
      if (purpose && !features && ratio - 1 <= 0.5 + EPS)
        d.reasons.push('the new requirement names an added behaviour: a claimed purpose');
      if (point) d.reasons.push(measured);
      break;
  }

  if (securityFix)
    d.reasons.push(`security findings ${evidence.security_old} → ${evidence.security_new}`);
  // With the new findings given (severity, confidence), they are weighed against
  // `security-fail-on` (security.ts). With counts only (the guide's `security_issues`) the
  // severity is unknown, so nothing can weigh the increase down: REJECT, [0, 30].
  // Benchmark gaming the head introduces is not weighed: it caps at REVIEW below.
  const gaming = (evidence.new_findings ?? []).filter((f) => f.rule === BENCHMARK_GAMING);
  const weighed =
    evidence.new_findings === undefined
      ? null
      : weighFindings(
          evidence.new_findings.filter((f) => f.rule !== BENCHMARK_GAMING),
          evidence.security_fail_on,
        );
  if (weighed === null ? securityWorse : weighed.effect === 'reject') {
    d.lo = 0;
    capDraft(
      d,
      REJECT_AT,
      25,
      weighed === null
        ? `more security findings (${evidence.security_old} → ${evidence.security_new}, severity unknown): REJECT`
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
  const zone = evidence.time_ci_low === null ? POINT_DELTA : options.noiseZone;
  const state = stateAcrossCalls(evidence, zone);
  if (state !== null) {
    d.lo = Math.min(d.lo, 31);
    capDraft(
      d,
      REVIEW_MAX,
      60,
      `${state}: REVIEW at most${claimsCache(claims) ? '; the claims name a cache (untrusted): the reviewer decides whether the first call’s cost is acceptable' : ''}`,
    );
  }
  if (gaming.length > 0)
    capDraft(
      d,
      REVIEW_MAX,
      REVIEW_MAX,
      `benchmark-gaming: the head introduces ${describeGaming(gaming)}: the measurement may be gamed, so REVIEW at most`,
    );
  const tampered = describeTampering(evidence.tampered ?? []);
  if (tampered !== null) capDraft(d, REVIEW_MAX, 50, tampered);
  if (complexityBetter) d.reasons.push(`complexity ${cOld} → ${cNew}`);
  if (complexityWorse) d.reasons.push(`complexity grew (${cOld} → ${cNew})`);
  const memory = evidence.memory_ratio;
  if (memory !== null && memory >= 2 && !securityFix && change !== 'improvement') {
    d.hi = Math.min(d.hi, REVIEW_MAX);
    d.rule -= 10;
    d.reasons.push(`memory ×${memory.toFixed(1)}: not ACCEPT without a human`);
  }
  applyOutputs(d, evidence.outputs, claims, measuredChange);
  if (evidence.growth?.rises === true) {
    const r = evidence.growth.ratio_at_largest ?? 1;
    // A slowdown at the largest size measured, judged as one (a point measurement).
    const at =
      r > 1 + POINT_DELTA
        ? regressionBand(r - 1, r, null, purposeUpTo(r), securityFix, complexityBetter)
        : { lo: 31, hi: REVIEW_MAX, rule: 60, reasons: [] };
    d.lo = Math.min(d.lo, at.lo);
    capDraft(
      d,
      at.hi,
      at.rule,
      `${describeRise(evidence.growth)}${at.reasons[0] === undefined ? '' : `: ${at.reasons[0]}`}`,
    );
  }
  // The user's hard limit: a slowdown proven beyond it is REJECT; only a trusted justification
  // (measured, not claimed) lets the band stand.
  const limit = options.maxSlowdown;
  if (limit !== null && change === 'regression' && low > 1 + limit + EPS) {
    if (trusted) {
      d.reasons.push(
        `beyond max-slowdown ${pctAbs(limit)} (${pct(low)} at least), but a measured justification applies`,
      );
    } else {
      d.lo = 0;
      capDraft(
        d,
        REJECT_AT,
        20,
        `beyond max-slowdown ${pctAbs(limit)}: ${pct(low)} at least${point ? ' (point measurement)' : " (the interval's lower bound)"}`,
      );
    }
  }
  if (intent !== null) {
    applyIntent(d, intent, {
      change,
      ratio,
      point,
      noiseZone: options.noiseZone,
      trusted,
      securityFix,
      complexityBetter,
    });
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
  const unknown = describeUnanalysed(unanalysed, sOld, sNew);
  if (unknown !== null) capDraft(d, REVIEW_MAX, REVIEW_MAX, unknown);

  const lo = Math.min(d.lo, d.hi);
  return {
    lo,
    hi: d.hi,
    rule_score: clampToBand(d.rule, { lo, hi: d.hi }),
    reasons: d.reasons,
  };
}

const TAMPERED_FIGURE: Readonly<Record<Tampering['figure'], (t: Tampering) => string>> = {
  cpu: (t) => `${t.reported} ms of CPU time over its samples where the gate saw ${t.observed} ms`,
  wall: (t) =>
    `${t.reported} ms of wall time over its samples where the gate saw it awake ${t.observed} ms of their round trips`,
  memory: (t) =>
    `a peak of ${t.reported} KB for one call where the gate saw its resident memory grow by ${t.observed} KB`,
  calls: (t) => `${t.reported} calls for a sample the gate asked ${t.observed} calls of`,
};

/**
 * The reason line for reported figures the gate's own rule out (null: none): the measurement
 * is void, REVIEW at best, both figures named.
 */
function describeTampering(tampered: readonly Tampering[]): string | null {
  if (tampered.length === 0) return null;
  const what = tampered
    .slice(0, 3)
    .map((t) => `the ${t.version} version’s harness reported ${TAMPERED_FIGURE[t.figure](t)}`);
  return `measurement tampered: ${what.join('; ')}: the measurement is void, REVIEW at most`;
}

/**
 * The reason line for analysis parts that could not run (null: every part ran). A null count
 * without a listed part (a hand-built evidence) is named too.
 */
function describeUnanalysed(
  parts: readonly UnanalysedPart[],
  securityOld: number | null,
  securityNew: number | null,
): string | null {
  const all = [...parts];
  const listed = (version: 'old' | 'new'): boolean =>
    all.some((u) => u.part === 'security' && u.version === version);
  if (securityOld === null && !listed('old'))
    all.push({ version: 'old', part: 'security', reason: 'no count' });
  if (securityNew === null && !listed('new'))
    all.push({ version: 'new', part: 'security', reason: 'no count' });
  if (all.length === 0) return null;
  const name = { old: 'base', new: 'head' } as const;
  const what = all
    .slice(0, 4)
    .map((u) => `${u.part} of the ${name[u.version]} (${u.reason.slice(0, 120)})`)
    .join('; ');
  return `analysis could not run: ${what}${all.length > 4 ? ` and ${all.length - 4} more` : ''}: unknown, not "nothing found", so REVIEW at most`;
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

/** What is known of one version (base or head) beside, or instead of, a measured comparison. */
export interface VersionSources {
  readonly analysis?: Analysis | undefined;
  /** Point time (the guide's `execution_time_ms`), used when there is no comparison. */
  readonly timeMs?: number | undefined;
  readonly memoryKb?: number | null | undefined;
  /** Security finding count (the guide's `security_issues`): when given, it wins over analyses. */
  readonly securityIssues?: number | undefined;
  readonly code?: string | undefined;
}

/**
 * Where the evidence comes from: a measured comparison and analyses, or plain point values; each
 * version's own part sits on its side, named as a `Comparison` names them.
 */
export interface EvidenceSources extends OptionalPerVersion<VersionSources> {
  readonly comparison?: Comparison | undefined;
  readonly analysisDiff?: AnalysisDiff | undefined;
  /** `security-fail-on`; with an analysis diff, its new findings are weighed against it. */
  readonly securityFailOn?: SecurityFailOn | undefined;
}

/**
 * One version's finding count: the given count (the guide's `security_issues`) when there is one,
 * else the diff's, else the analysis's, else 0 when nothing was analysed at all; null when an
 * analysis ran but its security part could not.
 */
function securityCount(
  fromDiff: number | null | undefined,
  { analysis, securityIssues: given }: VersionSources,
): number | null {
  if (given !== undefined) return given;
  if (fromDiff !== undefined) return fromDiff;
  if (analysis !== undefined && analysis.security.available) return analysis.security.total_issues;
  return analysis === undefined ? 0 : null;
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
 * Assemble Evidence from whatever was measured. A comparison wins over point times; a given
 * security count (the guide's `security_issues`) over an analysis diff, and the diff over
 * analyses. Absent time → `time_ratio: null`.
 */
export function buildEvidence(sources: EvidenceSources): Evidence {
  const c = sources.comparison;
  const diff = sources.analysisDiff;
  const side: Record<'old' | 'new', VersionSources> = {
    old: sources.old ?? {},
    new: sources.new ?? {},
  };
  // Parts that could not run; a security count given in place of one (the guide's
  // `security_issues`) stands for it.
  const unanalysed = (
    diff !== undefined
      ? (diff.unanalysed ?? [])
      : (['old', 'new'] as const).flatMap((version) => {
          const analysis = side[version].analysis;
          return analysis === undefined ? [] : unanalysedParts(analysis, version);
        })
  ).filter((u) => u.part !== 'security' || side[u.version].securityIssues === undefined);
  const oldMs = side.old.timeMs;
  const newMs = side.new.timeMs;
  let time: Pick<Evidence, 'time_ratio' | 'time_ci_low' | 'time_ci_high' | 'time_change'>;
  if (c !== undefined) {
    time = {
      time_ratio: c.time.ratio,
      time_ci_low: c.time.ci_low,
      time_ci_high: c.time.ci_high,
      time_change: c.time.change,
    };
  } else if (oldMs !== undefined && newMs !== undefined && oldMs > 0) {
    time = { time_ratio: newMs / oldMs, time_ci_low: null, time_ci_high: null, time_change: null };
  } else {
    time = { time_ratio: null, time_ci_low: null, time_ci_high: null, time_change: null };
  }
  const oldCode = side.old.code;
  const newCode = side.new.code;
  const evidence: Evidence = {
    ...time,
    memory_ratio:
      c !== undefined ? c.memory.ratio : memoryRatio(side.old.memoryKb, side.new.memoryKb),
    ...(c?.cold === undefined
      ? {}
      : {
          cold_ratio: c.cold.ratio,
          ...(c.cold.ci_low === undefined || c.cold.ci_high === undefined
            ? {}
            : { cold_ci_low: c.cold.ci_low, cold_ci_high: c.cold.ci_high }),
          ...(c.cold.second_ratio === undefined ? {} : { second_ratio: c.cold.second_ratio }),
          ...(c.cold.interpreted === undefined ? {} : { interpreted: c.cold.interpreted }),
          // Without a JIT (Python) what a first call costs beyond a steady one is one-time costs
          // both versions pay; under one (Node) it is the interpreter, which each version pays
          // in proportion to its own work: no share, the steady ratio is the prediction.
          ...(c.cold.old_ns > 0 && c.old.ns_per_call > 0 && c.old.runtime?.startsWith('Python')
            ? { base_warm_share: Math.min(1, c.old.ns_per_call / c.cold.old_ns) }
            : {}),
        }),
    ...(c?.tampered === undefined ? {} : { tampered: c.tampered }),
    security_old: securityCount(diff?.security_old, side.old),
    security_new: securityCount(diff?.security_new, side.new),
    complexity_old: diff !== undefined ? diff.complexity_old : complexity(side.old.analysis),
    complexity_new: diff !== undefined ? diff.complexity_new : complexity(side.new.analysis),
    syntax_valid_old: diff?.syntax_valid_old ?? side.old.analysis?.correctness.syntax_valid ?? true,
    syntax_valid_new: diff?.syntax_valid_new ?? side.new.analysis?.correctness.syntax_valid ?? true,
    code_changed:
      oldCode !== undefined && newCode !== undefined && oldCode.trim() !== ''
        ? !sameCode(oldCode, newCode)
        : undefined,
    ...(diff !== undefined
      ? {
          new_findings: diff.new_findings.map((f) => ({
            rule: f.rule,
            severity: f.severity,
            confidence: f.confidence,
            line: f.line,
            ...(f.file === undefined ? {} : { file: f.file }),
            ...(f.rule === BENCHMARK_GAMING ? { message: f.message } : {}),
          })),
          security_fail_on: sources.securityFailOn ?? DEFAULT_SECURITY_FAIL_ON,
        }
      : {}),
    ...(unanalysed.length > 0 ? { unanalysed } : {}),
    ...(c?.outputs === undefined ? {} : { outputs: c.outputs }),
    ...(c?.growth === undefined ? {} : { growth: c.growth }),
  };
  return evidence;
}

/**
 * The time ratios where the verdict can change, ascending: the improvement edge 1 − δ, the noise
 * zone's top 1 + δ, the negligible-slowdown edge, the slowdown bands' edges 1.1, 1.3 and 1.5,
 * and the user's `max-slowdown` when set. The measurer stops once its interval lies between two
 * consecutive edges (or below the negligible-slowdown edge): no further pair can change the verdict.
 */
export function decisionEdges(delta: number, maxSlowdown: number | null = null): number[] {
  const edges = [1 - delta, 1 + delta, NEGLIGIBLE_SLOWDOWN, 1.1, 1.3, 1.5];
  if (maxSlowdown !== null && Number.isFinite(maxSlowdown) && maxSlowdown > 0)
    edges.push(1 + maxSlowdown);
  return [...new Set(edges)].sort((a, b) => a - b);
}
