/**
 * Step 3 of the profile: the old and the new version measured now, on this machine,
 * interleaved, both analysed, and judged. The caller's stored numbers for the old version are
 * shown as history only.
 */
import { createHash } from 'node:crypto';
import { detectLanguage } from '../domain/language.js';
import { assessNewTool, assessTool, NO_REQUIREMENTS_HINT } from '../assess.js';
import type { Failed, Judged, JudgePolicy } from '../assess.js';
import { DEFAULT_SETTINGS } from '../verdict/policy.js';
import { DEFAULT_SECURITY_FAIL_ON } from '../verdict/security.js';
import type { Analysis, ToolVersion } from '../domain/types.js';
import type { OldSide } from './registry-entry.js';
import { comparisonSummary, evaluationSummary } from './registry-entry.js';
import { withFiles } from './types.js';
import type { ProfileInput, ProfileOptions, ProfilePorts, WorkflowStep } from './types.js';
import { errorMessage } from '../domain/errors.js';

export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

export interface Regression {
  readonly step: WorkflowStep;
  /** The version the new one replaces, as named by the caller or the registry. */
  readonly previousVersion: string | undefined;
  /** The pair's assessment (a new tool's, alone); absent when the old version has no code. */
  readonly assessment?: Failed | Judged | undefined;
  /** The old version as measured and analysed, when its analysis ran. */
  readonly old?: OldSide | undefined;
}

/** The policy when the caller sets none: the settings' defaults. */
const DEFAULT_JUDGE_POLICY: JudgePolicy = {
  ...DEFAULT_SETTINGS,
  securityFailOn: DEFAULT_SECURITY_FAIL_ON,
  requirementsHint: NO_REQUIREMENTS_HINT,
};

/**
 * Run the regression evaluation step: the old and the new version assessed as the gate assesses
 * them (`assessTool`). Never throws: failures are the assessment's. A new version that fails
 * where the old one runs is REJECT 0 here as in the gate, even when its benchmark failed.
 */
export async function evaluateRegression(
  input: ProfileInput,
  version: ToolVersion,
  analysis: Analysis | undefined,
  ports: ProfilePorts,
  options: ProfileOptions,
): Promise<Regression> {
  // Without old_version_data the registry's current version is the baseline: a changed tool
  // never replaces it unjudged just because the caller left the old version out.
  const oldData = input.old_version_data ?? (await registryBaseline(ports, input));
  const baseline = input.old_version_data === undefined ? 'registry' : 'old_version_data';
  const reported = oldData?.metadata?.['performance'];
  const previousVersion = oldData?.version;
  const policy = options.policy ?? DEFAULT_JUDGE_POLICY;
  if (oldData === undefined) {
    // A new tool: judged as the gate judges one (assess.ts `judgeNew`), on its own example and
    // its findings; nothing to compare with.
    const assessment = await assessNewTool(
      version,
      ports,
      policy,
      { budgetMs: options.budgetMs, sandbox: options.sandbox },
      { analysisNew: analysis, synthesised: options.synthesisedInput },
    );
    return {
      previousVersion,
      assessment,
      step: regressionStep(assessment, { baseline: 'none (a new tool)', against: undefined }),
    };
  }
  if (oldData.code === undefined || oldData.code.trim() === '') {
    return {
      previousVersion,
      step: {
        step: 'regression_evaluation',
        status: 'skipped',
        reason:
          'old_version_data has no code: stored numbers from another run are not a baseline, so nothing was compared',
        ...(reported === undefined ? {} : { data: { old_version_reported: reported } }),
      },
    };
  }
  // The old version runs from its own commit's checkout (or alone), never in the new one's.
  const oldVersion: ToolVersion = {
    code: oldData.code,
    language: input.language ?? detectLanguage(oldData.code),
    entry: version.entry,
    mode: version.mode,
    testInput: version.testInput,
    ...(options.contexts?.old === undefined ? {} : { context: options.contexts.old }),
    ...withFiles(options.loads?.old),
  };
  const change = input.requirement_change ?? {};
  const assessment = await assessTool(
    {
      old: oldVersion,
      new: version,
      analysisNew: analysis,
      claims: {
        ...change,
        previous_requirement: change.previous_requirement ?? oldData.requirement,
        new_requirement: change.new_requirement ?? input.requirement,
      },
    },
    ports,
    policy,
    {
      budgetMs: options.budgetMs,
      confidence: options.confidence,
      delta: options.delta,
      sandbox: options.sandbox,
    },
  );
  const old: OldSide | undefined =
    assessment.analysisOld == null
      ? undefined
      : {
          code: oldData.code,
          sha256: sha256(oldData.code),
          language: oldVersion.language,
          version: oldData.version,
          requirement: oldData.requirement,
          analysis: assessment.analysisOld,
        };
  return {
    previousVersion,
    assessment,
    old,
    step: regressionStep(assessment, {
      baseline,
      against: oldData.version,
      // Shown for the record only: numbers from another run, not the baseline.
      ...(reported === undefined ? {} : { old_version_reported: reported }),
    }),
  };
}

/**
 * The guide's `regression_evaluation` step: the one view of an assessment as a workflow step.
 * A decided pair (judged, or a new version that fails where the old one runs: REJECT 0) is a
 * completed step carrying the score; a pair nothing could be decided for is a failed step.
 */
function regressionStep(
  assessment: Failed | Judged,
  context: { baseline: string; against: string | undefined; old_version_reported?: unknown },
): WorkflowStep {
  const { against, ...shown } = context;
  const comparison =
    assessment.comparison == null
      ? {}
      : { comparison: comparisonSummary(assessment.comparison, against) };
  if (assessment.kind === 'failed' && assessment.verdict === 'REVIEW')
    return {
      step: 'regression_evaluation',
      status: 'failed',
      reason: assessment.reason,
      ...(assessment.comparison == null ? {} : { data: comparison }),
    };
  const decided =
    assessment.kind === 'judged'
      ? {
          evaluation: evaluationSummary(assessment.evaluation),
          ...(assessment.note === null ? {} : { note: assessment.note }),
        }
      : {
          evaluation: {
            score: assessment.score,
            recommendation: assessment.verdict,
            reasoning: assessment.reason,
          },
        };
  return {
    step: 'regression_evaluation',
    status: 'completed',
    data: { ...shown, ...comparison, ...decided },
  };
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
