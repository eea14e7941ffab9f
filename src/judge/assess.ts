/**
 * The part of every judgement that needs no model: the band from trusted evidence, the
 * injection scan of untrusted text, and the rules verdict that stands when no model speaks.
 */
import { detectInjection } from './injection.js';
import type { UntrustedText } from './injection.js';
import {
  capBandAtReview,
  computeBand,
  DEFAULT_SETTINGS,
  recommend,
  ruleConfidence,
} from '../verdict/policy.js';
import type { Intent } from '../verdict/policy.js';
import type { Band, Claims, Confidence, Evaluation, JudgeInput } from '../domain/types.js';
import { resolveIntent } from './intent.js';

export interface Assessment {
  readonly band: Band;
  readonly injection: readonly string[];
  readonly confidence: Confidence;
  /** What the change says it is (parsed or configured); null when nothing was stated. */
  readonly intent: Intent | null;
}

/** The texts the PR author wrote: the new code and every claim. The old version is the base's. */
function untrustedTexts(input: JudgeInput): UntrustedText[] {
  const c: Claims = input.claims;
  const texts: UntrustedText[] = [{ source: 'new_code', text: input.new_code }];
  const add = (source: string, text: string | undefined): void => {
    if (text !== undefined && text !== '') texts.push({ source, text });
  };
  add('previous_requirement', c.previous_requirement);
  add('new_requirement', c.new_requirement);
  add('change_summary', c.change_summary);
  add('pr_title', c.pr_title);
  add('pr_body', c.pr_body);
  for (const key of [
    'feature_additions',
    'feature_removals',
    'breaking_changes',
    'commit_messages',
  ] as const) {
    (c[key] ?? []).forEach((item, i) => add(`${key}[${i}]`, item));
  }
  return texts;
}

/** Band, injection findings and the rules' confidence for one judge input. */
export function assess(input: JudgeInput): Assessment {
  const injection = detectInjection(untrustedTexts(input));
  const settings = input.policy ?? DEFAULT_SETTINGS;
  const intent = resolveIntent(settings.intent, input.claims);
  let band = computeBand(input.evidence, input.claims, {
    maxSlowdown: settings.maxSlowdown,
    noiseZone: settings.noiseZone,
    intent,
  });
  if (injection.length > 0) {
    band = capBandAtReview(
      band,
      `suspected prompt injection (${injection.length} finding${injection.length === 1 ? '' : 's'}): REVIEW at most`,
    );
  }
  return { band, injection, confidence: ruleConfidence(input.evidence), intent };
}

/** The rules verdict: the band's rule score, reasons as reasoning. */
export function rulesEvaluation(
  assessment: Assessment,
  timestamp: Date,
  judge = 'rules',
  confidence: Confidence = assessment.confidence,
): Evaluation {
  const { band } = assessment;
  const score = band.rule_score;
  const injection =
    assessment.injection.length > 0
      ? ` Injection suspected: ${assessment.injection.join('; ')}.`
      : '';
  return {
    score,
    reasoning: `Rules: ${band.reasons.join('; ')}. Score ${score} in band [${band.lo}, ${band.hi}].${injection}`,
    recommendation: recommend(score),
    confidence,
    llm_model: null,
    judge,
    band,
    injection: assessment.injection,
    timestamp: timestamp.toISOString(),
  };
}
