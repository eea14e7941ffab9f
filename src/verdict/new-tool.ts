/**
 * The verdict on a new tool: it has no base, so it is judged on whether it runs on its own
 * example and on its security findings, never on a time comparison. Pure.
 * - REJECT: it does not parse, or it fails on its own example;
 * - REVIEW: a finding at or above `security-fail-on`, no input to run it on, an input
 *   synthesised from input_schema that it rejects ("needs an example"), a missing dependency,
 *   a security analysis that could not run, or suspected prompt injection;
 * - ACCEPT: it runs and has no finding at or above the threshold (lower ones are listed).
 */
import { detectInjection } from '../judge/injection.js';
import { REVIEW_MAX, recommend } from './policy.js';
import { formatKb, formatNs } from '../report/render-format.js';
import { describeFindings, weighFindings } from './security.js';
import type {
  Analysis,
  Band,
  Confidence,
  Evaluation,
  SecurityFailOn,
  ToolError,
  VersionProfile,
} from '../domain/types.js';

export interface NewToolFacts {
  readonly analysis: Analysis | null;
  /** null: not run (no input). */
  readonly profile: VersionProfile | null;
  /** The input it ran on was synthesised from input_schema. */
  readonly synthesised: boolean;
  readonly failOn: SecurityFailOn;
  readonly code: string;
  /** Where a missing package should be listed (a requirements file), for the note. */
  readonly requirementsHint: string;
  /** Why it was not run, when it was not. */
  readonly notRunReason?: string | undefined;
}

/** `No module named 'numpy'` → `numpy` (the import name; the package is usually the same). */
export function missingModule(error: ToolError | undefined): string | null {
  if (error === undefined) return null;
  const text = `${error.message}\n${error.traceback ?? ''}`;
  const m = /No module named '([\w.]+)'|Cannot find (?:module|package) '([^']+)'/.exec(text);
  const name = m?.[1] ?? m?.[2];
  return name === undefined ? null : (name.split('.')[0] ?? name);
}

/** The figures of a profile, one line: warm and cold time per call, memory. */
export function profileSummary(p: VersionProfile): string {
  return `${formatNs(p.ns_per_call)}/call warm, ${formatNs(p.cold_ns)} cold (first call in a fresh process), memory ${formatKb(p.memory_kb)}; ${p.runs} fresh process${p.runs === 1 ? '' : 'es'}, ${p.inputs} input${p.inputs === 1 ? '' : 's'}`;
}

interface Outcome {
  readonly score: number;
  readonly lo: number;
  readonly hi: number;
  readonly reasons: string[];
  /** A row error rather than a verdict on the tool (missing dependency). */
  readonly error?: boolean;
}

function outcome(facts: NewToolFacts): Outcome {
  const a = facts.analysis;
  if (a !== null && !a.correctness.syntax_valid)
    return { score: 5, lo: 0, hi: 10, reasons: ['the new tool does not parse'] };
  const p = facts.profile;
  if (p !== null && p.error !== undefined) {
    const module = missingModule(p.error);
    if (module !== null)
      return {
        score: 50,
        lo: 31,
        hi: REVIEW_MAX,
        error: true,
        reasons: [
          `missing dependency: the tool imports '${module}', which is not installed: list it in ${facts.requirementsHint} (or the YAML's dependencies)`,
        ],
      };
    const what = `${p.error.kind}: ${p.error.message}`;
    if (facts.synthesised)
      return {
        score: 50,
        lo: 31,
        hi: REVIEW_MAX,
        reasons: [
          `needs an example: the tool rejects the input synthesised from input_schema (${what})`,
        ],
      };
    return {
      score: 10,
      lo: 0,
      hi: 30,
      reasons: [`the new tool fails on its own example (${what})`],
    };
  }
  const reasons: string[] = [];
  let hi = 100;
  let score = 85;
  if (p === null) {
    reasons.push(`not run: ${facts.notRunReason ?? 'no test input'}`);
    hi = REVIEW_MAX;
    score = 60;
  } else {
    reasons.push(`runs on its example: ${profileSummary(p)}`);
    if (facts.synthesised) reasons.push('input synthesised from input_schema');
  }
  if (a !== null && a.security.available) {
    const findings = a.security.issues.map((f) => ({
      rule: f.rule,
      severity: f.severity,
      confidence: f.confidence,
      line: f.line,
      ...(f.file === undefined ? {} : { file: f.file }),
    }));
    const weighed = weighFindings(findings, facts.failOn);
    if (weighed.reject.length > 0) {
      hi = Math.min(hi, REVIEW_MAX);
      score = Math.min(score, 45);
      reasons.push(
        `finding at or above security-fail-on ${facts.failOn}: ${describeFindings(weighed.reject)}`,
      );
    }
    const lower = [...weighed.review, ...weighed.listed];
    if (lower.length > 0)
      reasons.push(`findings below security-fail-on (listed): ${describeFindings(lower)}`);
  } else if (a !== null && !a.security.available) {
    hi = Math.min(hi, REVIEW_MAX);
    score = Math.min(score, 60);
    reasons.push(`security analysis unavailable (${a.security.reason}): a human looks`);
  }
  return { score, lo: 31, hi, reasons };
}

/** The rules' evaluation of a new tool. `error` marks a row error (missing dependency). */
export function judgeNewTool(
  facts: NewToolFacts,
  now: Date,
): { evaluation: Evaluation; error: boolean } {
  const o = outcome(facts);
  const injection = detectInjection([{ source: 'new_code', text: facts.code }]);
  let hi = o.hi;
  const reasons = [...o.reasons];
  if (injection.length > 0) {
    hi = Math.min(hi, REVIEW_MAX);
    reasons.push(`suspected prompt injection (${injection.length}): REVIEW at most`);
  }
  const lo = Math.min(o.lo, hi);
  const score = Math.max(lo, Math.min(hi, o.score));
  const band: Band = { lo, hi, rule_score: score, reasons };
  const confidence: Confidence =
    facts.profile !== null && facts.profile.error === undefined ? 'high' : 'medium';
  return {
    error: o.error === true,
    evaluation: {
      score,
      reasoning: `Rules (new tool): ${reasons.join('; ')}. Score ${score} in band [${lo}, ${hi}].`,
      recommendation: recommend(score),
      confidence,
      llm_model: null,
      judge: 'rules (new tool)',
      band,
      injection,
      timestamp: now.toISOString(),
    },
  };
}
