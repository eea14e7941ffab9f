/**
 * One tool's assessment, the same on every path (issue 25): the gate, `record` (through the
 * profiler), `profile` and `evaluate` all measure and judge a pair of versions here, so the same
 * pair gets the same verdict, score and reasons whichever of them asks. Each path makes its own
 * view of the result in one place: the gate's report row (`run.ts`), the profiler's
 * `workflow_steps` (`profile/regression.ts`), the registry entry (`profile/registry-entry.ts`).
 *
 * What a failure means, said once: a new (head) version that fails on the test input where the
 * old (base) one runs is a REJECT with score 0 (the change broke the tool); both versions
 * failing, or our own engine failing, is a REVIEW without a score (nothing was judged). An old
 * version that fails while the new one runs is judged without a time comparison.
 */
import type { Config } from './config/config.js';
import type { Analyzer, Clock, Judge, MeasureOptions, Measurer } from './domain/ports.js';
import type {
  Analysis,
  AnalysisDiff,
  Claims,
  Comparison,
  Evaluation,
  Language,
  LoadedFiles,
  OptionalPerVersion,
  PolicySettings,
  SecurityFailOn,
  ToolError,
  ToolVersion,
  VersionProfile,
} from './domain/types.js';
import { errorMessage } from './domain/errors.js';
import { describeGrowth, describeInputUsed, describeOutputs } from './measure/index.js';
import { diffAnalyses } from './verdict/analysis-diff.js';
import { withLoadedFiles } from './verdict/loaded-files.js';
import { languageOfPath } from './domain/language.js';
import { buildEvidence } from './verdict/policy.js';
import { judgeNewTool } from './verdict/new-tool.js';
import type { VersionSources } from './verdict/policy.js';

/** The judge's knobs and `security-fail-on`: every path judges under the same policy. */
export interface JudgePolicy extends PolicySettings {
  readonly securityFailOn: SecurityFailOn;
  /** Where a new tool's missing package should be listed (its note names it). */
  readonly requirementsHint: string;
}

/** Where a missing package should be listed when the config names no requirements file. */
export const NO_REQUIREMENTS_HINT =
  'a requirements file named in the `requirements` setting of .perf-verdict.yml';

/** The policy a config sets, made in one place for every path. */
export function policyOf(
  config: Pick<Config, 'maxSlowdown' | 'delta' | 'intent' | 'securityFailOn' | 'requirements'>,
): JudgePolicy {
  return {
    maxSlowdown: config.maxSlowdown,
    noiseZone: config.delta,
    intent: config.intent,
    securityFailOn: config.securityFailOn,
    requirementsHint:
      config.requirements.length > 0 ? config.requirements.join(' or ') : NO_REQUIREMENTS_HINT,
  };
}

/** Both versions' static analyses and their diff (null: that version has no code, or no diff). */
export interface Analysed {
  readonly analysisOld: Analysis | null;
  readonly analysisNew: Analysis | null;
  readonly diff: AnalysisDiff | null;
}

/** Not measured, for a reason a human reads; nothing is decided. */
export interface Skipped extends Partial<Analysed> {
  readonly kind: 'skipped';
  readonly reason: string;
}

/** It could not be judged on measurements: the verdict the failure itself gives. */
export interface Failed extends Partial<Analysed> {
  readonly kind: 'failed';
  readonly verdict: 'REJECT' | 'REVIEW';
  /** 0 for a head that breaks; null when nothing was judged. */
  readonly score: 0 | null;
  readonly reason: string;
  readonly comparison?: Comparison | null | undefined;
}

/** Measured and analysed, not yet judged (the Action's `measure` mode). */
export interface Measured extends Analysed {
  readonly kind: 'measured';
  readonly comparison: Comparison | null;
  /** A new tool measured alone. */
  readonly profile?: VersionProfile | null | undefined;
}

/** Judged: the judge's evaluation carries the verdict and the score. */
export interface Judged extends Analysed {
  readonly kind: 'judged';
  readonly comparison: Comparison | null;
  readonly evaluation: Evaluation;
  /** Said beside the verdict (a base that fails: judged without a time comparison). */
  readonly note: string | null;
  readonly profile?: VersionProfile | null | undefined;
  /** The tool cannot run as shipped (a new tool's missing dependency): its row is an error. */
  readonly toolError?: true | undefined;
}

export type Assessment = Skipped | Failed | Measured | Judged;

/** The verdict and score of an assessment; null when nothing was decided (skipped, measured). */
export function decisionOf(
  assessment: Assessment,
): { verdict: 'ACCEPT' | 'REVIEW' | 'REJECT'; score: number | null; reason: string } | null {
  switch (assessment.kind) {
    case 'failed':
      return { verdict: assessment.verdict, score: assessment.score, reason: assessment.reason };
    case 'judged':
      return {
        verdict: assessment.evaluation.recommendation,
        score: assessment.evaluation.score,
        reason: assessment.evaluation.reasoning,
      };
    case 'skipped':
    case 'measured':
      return null;
  }
}

/** The Analyzer port, optionally able to analyse a batch in one go. */
export interface BatchAnalyzer extends Analyzer {
  analyzeMany?(inputs: readonly { code: string; language: Language }[]): Promise<Analysis[]>;
}

/**
 * Analyse the versions that have code, each with the repository files it loads (`loads`: their
 * findings count as the version's, src/verdict/loaded-files.ts), in one batch when the analyser
 * can, and diff them. `knownNew`: the new version's own analysis, already made.
 */
export async function analysePair(
  codes: { readonly old: string | null; readonly new: string | null },
  language: Language,
  analyzer: BatchAnalyzer,
  options: {
    readonly knownNew?: Analysis | undefined;
    readonly loads?: {
      readonly old?: LoadedFiles | undefined;
      readonly new?: LoadedFiles | undefined;
    };
  } = {},
): Promise<Analysed> {
  const inputs: { code: string; language: Language }[] = [];
  const queue = (code: string, as: Language): number => inputs.push({ code, language: as }) - 1;
  const plan = (side: 'old' | 'new') => {
    const code = codes[side];
    if (code === null) return null;
    const known = side === 'new' ? options.knownNew : undefined;
    const own = known ?? queue(code, language);
    const loads = options.loads?.[side];
    const files = (loads?.files ?? []).map((f) => ({
      path: f.path,
      at: queue(f.code, languageOfPath(f.path) ?? language),
    }));
    return { own, files, incomplete: loads?.incomplete ?? null };
  };
  const plans = { old: plan('old'), new: plan('new') };
  const analyses =
    analyzer.analyzeMany !== undefined && inputs.length > 1
      ? await analyzer.analyzeMany(inputs)
      : await Promise.all(inputs.map((i) => analyzer.analyze(i.code, i.language)));
  const assemble = (p: ReturnType<typeof plan>): Analysis | null =>
    p === null
      ? null
      : withLoadedFiles(
          typeof p.own === 'number' ? analyses[p.own]! : p.own,
          p.files.map((f) => ({ path: f.path, analysis: analyses[f.at]! })),
          p.incomplete,
        );
  const analysisOld = assemble(plans.old);
  const analysisNew = assemble(plans.new);
  const diff =
    analysisOld !== null && analysisNew !== null ? diffAnalyses(analysisOld, analysisNew) : null;
  return { analysisOld, analysisNew, diff };
}

/** What the judge reads of a measured pair beside its evidence. */
export interface PairWords {
  readonly language: Language | null;
  readonly oldCode: string;
  readonly newCode: string;
  readonly claims: Claims;
}

/**
 * Judge a measured pair: the one place where failures get their verdict and where the evidence
 * is built (with the analysis diff and `security-fail-on`, so new findings and benchmark-gaming
 * lines weigh the same on every path). Never throws: a judge that fails is a REVIEW.
 * `points` are the guide's point figures (`evaluate`'s stdin) used when there is no comparison.
 */
export async function judgePair(
  measured: Omit<Measured, 'kind'>,
  words: PairWords,
  judge: Judge,
  policy: JudgePolicy,
  points: OptionalPerVersion<VersionSources> = {},
): Promise<Failed | Judged> {
  const c = measured.comparison;
  const analysed: Analysed = {
    analysisOld: measured.analysisOld,
    analysisNew: measured.analysisNew,
    diff: measured.diff,
  };
  if (c !== null && c.new.error !== undefined) {
    const why = `${c.new.error.kind}: ${c.new.error.message}`;
    return c.old.error === undefined
      ? {
          kind: 'failed',
          ...analysed,
          comparison: c,
          verdict: 'REJECT',
          score: 0,
          reason: `the head version fails on the test input where the base version runs (${why})`,
        }
      : {
          kind: 'failed',
          ...analysed,
          comparison: c,
          verdict: 'REVIEW',
          score: null,
          reason: noWorkingInput(c, c.old.error, c.new.error),
        };
  }
  try {
    const evidence = buildEvidence({
      comparison: c !== null && c.old.error === undefined ? c : undefined,
      old: { ...points.old, analysis: measured.analysisOld ?? undefined, code: words.oldCode },
      new: { ...points.new, analysis: measured.analysisNew ?? undefined, code: words.newCode },
      analysisDiff: measured.diff ?? undefined,
      securityFailOn: policy.securityFailOn,
    });
    const evaluation = await judge.evaluate({
      evidence,
      claims: words.claims,
      old_code: words.oldCode,
      new_code: words.newCode,
      policy: {
        maxSlowdown: policy.maxSlowdown,
        noiseZone: policy.noiseZone,
        intent: policy.intent,
      },
    });
    return {
      kind: 'judged',
      ...analysed,
      comparison: c,
      evaluation,
      note:
        c !== null && c.old.error !== undefined
          ? `the base version fails on ${c.input === undefined ? 'the test input' : `each of the ${c.input.tried} inputs tried`} (${c.old.error.kind}); judged without a time comparison`
          : evidenceNote(c),
      ...(measured.profile === undefined ? {} : { profile: measured.profile }),
    };
  } catch (error) {
    return {
      kind: 'failed',
      ...analysed,
      comparison: c,
      verdict: 'REVIEW',
      score: null,
      reason: `the judge failed: ${errorMessage(error)}`,
    };
  }
}

/** What the row says about the answers and the growth, when there is something to say. */
function evidenceNote(c: Comparison | null): string | null {
  const parts = [
    c === null ? null : describeInputUsed(c),
    c?.outputs === undefined ? null : describeOutputs(c.outputs),
    c?.growth === undefined ? null : describeGrowth(c.growth),
  ].filter((p): p is string => p !== null);
  return parts.length === 0 ? null : parts.join('; ');
}

/**
 * Both versions fail on every input tried: no verdict on either, each side's message (on the
 * first input).
 */
function noWorkingInput(c: Comparison, base: ToolError, head: ToolError): string {
  const said = (e: ToolError): string => `${e.kind}: ${e.message.split('\n')[0]!.slice(0, 200)}`;
  const used = c.input;
  const on =
    used === undefined
      ? 'on it'
      : used.tried === 1
        ? `on the first of its ${used.of} inputs (the budget allowed no other)`
        : `on each of the ${used.tried} inputs tried${used.tried < used.of ? ` (of ${used.of}: the budget allowed no more)` : ''}`;
  return `no working input: both versions fail ${on} (base ${said(base)}; head ${said(head)})`;
}

/** A pair of versions of one tool to measure side by side on the same input. */
export interface Pair {
  readonly old: ToolVersion;
  readonly new: ToolVersion;
  /** The new version's analysis when the caller already has it. */
  readonly analysisNew?: Analysis | undefined;
  readonly claims: Claims;
}

export interface AssessPorts {
  readonly measurer: Measurer;
  readonly analyzer: BatchAnalyzer;
  readonly judge: Judge;
}

/** What the engines analysed and measured, or a REVIEW without a score when one threw. */
async function engineRun(
  work: () => Promise<Omit<Measured, 'kind'>>,
): Promise<Omit<Measured, 'kind'> | Failed> {
  try {
    return await work();
  } catch (error) {
    return {
      kind: 'failed',
      verdict: 'REVIEW',
      score: null,
      reason: `measurement failed: ${errorMessage(error)}`,
    };
  }
}

/**
 * Assess one pair: analyse both versions, measure them side by side, judge. Used by the
 * profiler (and so by `record`); the gate runs the same two halves with its budget pool and
 * modes between them. Never throws: an engine that throws is a REVIEW without a score.
 */
export async function assessTool(
  pair: Pair,
  ports: AssessPorts,
  policy: JudgePolicy,
  measure: MeasureOptions,
): Promise<Failed | Judged> {
  const measured = await engineRun(async () => {
    const analysed = await analysePair(
      { old: pair.old.code, new: pair.new.code },
      pair.new.language,
      ports.analyzer,
      { knownNew: pair.analysisNew },
    );
    return { ...analysed, comparison: await ports.measurer.compare(pair.old, pair.new, measure) };
  });
  if ('kind' in measured) return measured;
  return judgePair(
    measured,
    {
      language: pair.new.language,
      oldCode: pair.old.code,
      newCode: pair.new.code,
      claims: pair.claims,
    },
    ports.judge,
    policy,
  );
}

/** What the rules read of a new tool (no base) beside its analysis and figures. */
interface NewToolWords {
  readonly code: string;
  /** The input it ran on was synthesised from input_schema. */
  readonly synthesised: boolean;
  /** Why it was not run, when it was not. */
  readonly notRunReason?: string | undefined;
}

/**
 * Judge a new tool: the one rule for a tool with no base on every path — the gate, and `profile`
 * without an old version (so `record` of a new tool). It is judged on whether it runs on its own
 * example and on its findings, never on a time comparison (verdict/new-tool.ts).
 */
export function judgeNew(
  measured: Omit<Measured, 'kind'>,
  words: NewToolWords,
  policy: JudgePolicy,
  now: Date,
): Judged {
  const { evaluation, error } = judgeNewTool(
    {
      analysis: measured.analysisNew,
      profile: measured.profile ?? null,
      synthesised: words.synthesised,
      failOn: policy.securityFailOn,
      code: words.code,
      requirementsHint: policy.requirementsHint,
      notRunReason: words.notRunReason,
    },
    now,
  );
  return {
    ...measured,
    kind: 'judged',
    evaluation,
    note: error ? (evaluation.band.reasons[0] ?? null) : null,
    ...(error ? { toolError: true as const } : {}),
  };
}

/**
 * Assess a new tool alone: analyse it, run it on its inputs (not when it does not parse), judge
 * it with `judgeNew`. Used by the profiler; the gate runs the same halves with its budget pool.
 */
export async function assessNewTool(
  version: ToolVersion,
  ports: AssessPorts & { readonly clock: Clock },
  policy: JudgePolicy,
  options: Pick<MeasureOptions, 'budgetMs' | 'sandbox'>,
  known: {
    readonly analysisNew?: Analysis | undefined;
    readonly synthesised?: boolean | undefined;
  } = {},
): Promise<Failed | Judged> {
  const measured = await engineRun(async () => {
    const analysed = await analysePair(
      { old: null, new: version.code },
      version.language,
      ports.analyzer,
      { knownNew: known.analysisNew },
    );
    const parses = analysed.analysisNew?.correctness.syntax_valid !== false;
    const profile =
      parses && ports.measurer.profile !== undefined
        ? await ports.measurer.profile(version, [version.testInput], options)
        : null;
    return { ...analysed, comparison: null, profile };
  });
  if ('kind' in measured) return measured;
  return judgeNew(
    measured,
    { code: version.code, synthesised: known.synthesised ?? false },
    policy,
    ports.clock.now(),
  );
}
