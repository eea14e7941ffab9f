/**
 * Step 3 of the profile: the old and the new version measured now, on this machine,
 * interleaved, both analysed, and judged. The caller's stored numbers for the old version are
 * shown as history only.
 */
import { createHash } from 'node:crypto';
import { detectLanguage } from '../domain/language.js';
import { buildEvidence } from '../verdict/policy.js';
import type { MeasureOptions } from '../domain/ports.js';
import type { Analysis, Comparison, Evaluation, ToolVersion } from '../domain/types.js';
import type { OldSide } from './registry-entry.js';
import { comparisonSummary, evaluationSummary } from './registry-entry.js';
import type { ProfileInput, ProfileOptions, ProfilePorts, WorkflowStep } from './types.js';
import { errorMessage } from '../domain/errors.js';

export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

export interface Regression {
  readonly step: WorkflowStep;
  /** The version the new one replaces, as named by the caller or the registry. */
  readonly previousVersion: string | undefined;
  /** Set only when the step completed. */
  readonly old?: OldSide | undefined;
  readonly comparison?: Comparison | undefined;
  readonly evaluation?: Evaluation | undefined;
}

/** Run the regression evaluation step. Never throws: failures are the step's `failed` status. */
export async function evaluateRegression(
  input: ProfileInput,
  version: ToolVersion,
  analysis: Analysis | undefined,
  benchmarked: boolean,
  ports: ProfilePorts,
  options: ProfileOptions,
): Promise<Regression> {
  // Without old_version_data the registry's current version is the baseline: a changed tool
  // never replaces it unjudged just because the caller left the old version out.
  const oldData = input.old_version_data ?? (await registryBaseline(ports, input));
  const baseline = input.old_version_data === undefined ? 'registry' : 'old_version_data';
  const reported = oldData?.metadata?.['performance'];
  const previousVersion = oldData?.version;
  const step = (status: WorkflowStep['status'], rest: Partial<WorkflowStep>): WorkflowStep => ({
    step: 'regression_evaluation',
    status,
    ...rest,
  });
  if (oldData?.code === undefined || oldData.code.trim() === '') {
    return {
      previousVersion,
      step: step('skipped', {
        reason:
          oldData === undefined
            ? 'no old version'
            : 'old_version_data has no code: stored numbers from another run are not a baseline, so nothing was compared',
        ...(reported === undefined ? {} : { data: { old_version_reported: reported } }),
      }),
    };
  }
  if (!benchmarked || analysis === undefined) {
    return {
      previousVersion,
      step: step('skipped', { reason: 'the new version could not be benchmarked and analysed' }),
    };
  }
  try {
    const oldLanguage = input.language ?? detectLanguage(oldData.code);
    // The old version runs from its own commit's checkout (or alone), never in the new one's.
    const oldVersion: ToolVersion = {
      code: oldData.code,
      language: oldLanguage,
      entry: version.entry,
      mode: version.mode,
      testInput: version.testInput,
      ...(options.contexts?.old === undefined ? {} : { context: options.contexts.old }),
    };
    const measure: MeasureOptions = {
      budgetMs: options.budgetMs,
      confidence: options.confidence,
      delta: options.delta,
      sandbox: options.sandbox,
    };
    const oldAnalysis = await ports.analyzer.analyze(oldData.code, oldLanguage);
    const comparison = await ports.measurer.compare(oldVersion, version, measure);
    const broken = comparison.new.error ?? comparison.old.error;
    if (broken !== undefined) {
      const which = comparison.new.error !== undefined ? 'the new version' : 'the old version';
      return {
        previousVersion,
        step: step('failed', {
          reason: `side-by-side measurement failed: ${describeToolError(which, broken)}`,
          data: { comparison: comparisonSummary(comparison, oldData.version) },
        }),
      };
    }
    const change = input.requirement_change ?? {};
    const evaluation = await ports.judge.evaluate({
      evidence: buildEvidence({
        language: oldLanguage,
        comparison,
        old: { analysis: oldAnalysis, code: oldData.code },
        new: { analysis, code: input.tool_code },
      }),
      claims: {
        ...change,
        previous_requirement: change.previous_requirement ?? oldData.requirement,
        new_requirement: change.new_requirement ?? input.requirement,
      },
      old_code: oldData.code,
      new_code: input.tool_code,
      policy: options.policy,
    });
    const old: OldSide = {
      code: oldData.code,
      sha256: sha256(oldData.code),
      language: oldLanguage,
      version: oldData.version,
      requirement: oldData.requirement,
      analysis: oldAnalysis,
    };
    return {
      previousVersion,
      old,
      comparison,
      evaluation,
      step: step('completed', {
        data: {
          baseline,
          comparison: comparisonSummary(comparison, oldData.version),
          evaluation: evaluationSummary(evaluation),
          // Shown for the record only: numbers from another run, not the baseline.
          ...(reported === undefined ? {} : { old_version_reported: reported }),
        },
      }),
    };
  } catch (error) {
    return {
      previousVersion,
      step: step('failed', { reason: engineFailure('regression evaluation', error) }),
    };
  }
}

/** The registry's current version of the tool when its code differs from the new code. */
async function registryBaseline(
  ports: ProfilePorts,
  input: ProfileInput,
): Promise<ProfileInput['old_version_data']> {
  // An unreadable registry gives no baseline here; the registry step reports it and fails.
  const entry = await ports.registry.read().then(
    (registry) => registry[input.tool_id],
    () => undefined,
  );
  const source = entry?.metadata.source;
  if (entry === undefined || source === undefined || source.trim() === '') return undefined;
  if (sha256(source) === sha256(input.tool_code)) return undefined;
  return {
    code: source,
    version: entry.version,
    requirement: entry.metadata.requirement,
    metadata: { performance: entry.metadata.performance },
  };
}

export function describeToolError(
  which: string,
  error: { kind: string; message: string } | undefined,
): string {
  if (error === undefined) return `${which} failed without an error report`;
  return `${which} failed (${error.kind}): ${error.message}`;
}

/** An engine threw (it should not): report it as the step's failure, never as a pass. */
export function engineFailure(engine: string, error: unknown): string {
  const message = errorMessage(error);
  return `${engine} failed: ${message}`;
}
