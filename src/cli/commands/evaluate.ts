import { z } from 'zod';
import { createAnalyzer } from '../../analyze/index.js';
import { InputError } from '../../domain/errors.js';
import { detectLanguage } from '../../domain/language.js';
import type { VersionSources } from '../../verdict/policy.js';
import type { Verdict } from '../../domain/types.js';
import { analysePair, judgePair, policyOf } from '../../assess.js';
import { createJudge } from '../../judge/index.js';
import type { Command, ExitCode } from '../command.js';
import { parseFlags, parseJsonInput } from '../command.js';
import { JUDGE_FLAGS, runConfig } from '../flags.js';
import { language, metrics, requirementChange } from '../../domain/input-schemas.js';

const evaluateInput = z.looseObject({
  old_metrics: metrics,
  new_metrics: metrics,
  requirement_change: requirementChange.optional(),
  old_code: z.string().optional(),
  new_code: z.string().optional(),
  language: language.optional(),
});

/** PERF_VERDICT_OLLAMA_HOST / _MODEL, where no flag gives them (evaluate, profile). */
export const ollamaFallbacks = (env: Readonly<Record<string, string | undefined>>) => ({
  'ollama-host': env['PERF_VERDICT_OLLAMA_HOST'],
  'ollama-model': env['PERF_VERDICT_OLLAMA_MODEL'],
});

const EXIT: Readonly<Record<Verdict, ExitCode>> = { ACCEPT: 0, REVIEW: 2, REJECT: 1 };

const round1 = (value: number): number => Math.round(value * 10) / 10;

/** One version's point figures as the guide gives them on stdin. */
const pointsOf = (given: z.infer<typeof metrics>): VersionSources => ({
  timeMs: given.execution_time_ms,
  memoryKb: given.memory_usage_kb ?? null,
  securityIssues: given.security_issues,
});

export const evaluateCommand: Command = {
  name: 'evaluate',
  summary: 'Judge a change: a 0-100 score and ACCEPT / REVIEW / REJECT from measured evidence.',
  help: `perf-verdict evaluate [options] < input.json

Judge a change: a 0-100 score and ACCEPT / REVIEW / REJECT from measured evidence.
The score is bounded by a band computed from the evidence (time, memory, security findings);
a model (Ollama) may only choose a score inside it. Without an Ollama host the rules judge decides.
Environment: PERF_VERDICT_OLLAMA_HOST, PERF_VERDICT_OLLAMA_MODEL (flags win).

stdin: a JSON object {old_metrics, new_metrics, requirement_change, old_code, new_code, language?};
  old_metrics.execution_time_ms and new_metrics.execution_time_ms are required (a point
  measurement: no interval), old > 0. Both codes are analysed (syntax, complexity, and security
  findings when security_issues is not given); a new version that does not parse is REJECT.
stdout: {success, evaluation:{score, reasoning, recommendation, confidence, llm_model, judge,
  band, injection, timestamp}, performance_delta:{execution_time_pct, memory_pct}}
exit: 0 ACCEPT, 2 REVIEW, 1 REJECT or bad input. An Ollama failure never changes the exit code
  beyond the rules verdict: it shows as judge "rules (ollama: <reason>)", confidence "low".`,
  flags: JUDGE_FLAGS,
  async run(args, io) {
    const { flags } = parseFlags(args, JUDGE_FLAGS);
    const input = parseJsonInput(await io.readStdin(), evaluateInput, io);
    const oldMs = input.old_metrics.execution_time_ms;
    const newMs = input.new_metrics.execution_time_ms;
    if (oldMs === undefined || oldMs <= 0) {
      throw new InputError(
        `field 'old_metrics.execution_time_ms' must be a time above 0 ms but got ${oldMs ?? 'nothing'}: a ratio needs a base`,
        'old_metrics.execution_time_ms',
      );
    }
    if (newMs === undefined) {
      throw new InputError(
        "field 'new_metrics.execution_time_ms' is required",
        'new_metrics.execution_time_ms',
      );
    }
    const config = runConfig(flags, JUDGE_FLAGS, { fallbacks: ollamaFallbacks(io.env) });
    // Static analysis of both versions gives the trusted syntax, complexity and findings
    // evidence, judged as the gate judges it (the diff, security-fail-on); the guide's explicit
    // `security_issues` counts, when given, stand for the analyser's counts.
    const analysed =
      input.old_code && input.new_code
        ? await analysePair(
            { old: input.old_code, new: input.new_code },
            input.language ?? detectLanguage(input.new_code),
            createAnalyzer(),
          )
        : { analysisOld: null, analysisNew: null, diff: null };
    const change = input.requirement_change ?? {};
    const judge = createJudge(config.ollama, {
      log: {
        debug: () => undefined,
        info: () => undefined,
        warn: (message) => io.stderr(`${message}\n`),
        error: (message) => io.stderr(`${message}\n`),
      },
    });
    const assessment = await judgePair(
      { ...analysed, comparison: null },
      {
        language: input.language ?? null,
        oldCode: input.old_code ?? '',
        newCode: input.new_code ?? '',
        claims: {
          previous_requirement: change.previous_requirement,
          new_requirement: change.new_requirement,
          change_summary: change.change_summary,
          feature_additions: change.feature_additions,
          feature_removals: change.feature_removals,
          breaking_changes: change.breaking_changes,
        },
      },
      judge,
      policyOf(config),
      { old: pointsOf(input.old_metrics), new: pointsOf(input.new_metrics) },
    );
    if (assessment.kind === 'failed') throw new Error(assessment.reason);
    const evaluation = assessment.evaluation;
    const oldKb = input.old_metrics.memory_usage_kb ?? null;
    const newKb = input.new_metrics.memory_usage_kb ?? null;
    return {
      output: {
        success: true,
        evaluation,
        performance_delta: {
          execution_time_pct: round1(((newMs - oldMs) / oldMs) * 100),
          memory_pct:
            oldKb !== null && newKb !== null && oldKb > 0
              ? round1(((newKb - oldKb) / oldKb) * 100)
              : null,
        },
      },
      exitCode: EXIT[evaluation.recommendation],
    };
  },
};
