/**
 * The profiler's output as its readers see it: `record` turns a `ProfileResult` into a row of its
 * run summary from these fields only, parsed by one zod schema instead of walking `unknown`.
 * A field of the wrong type is a ProfileOutputError naming it:
 * `profile result: 'workflow_steps[2].data.comparison.time_ratio' must be a number`. An absent,
 * null or non-finite number is null (a point measurement has no interval; a skipped step, no
 * comparison).
 */
import { z } from 'zod';
import { fieldPath } from '../domain/errors.js';
import type { ProfileResult } from './types.js';

export class ProfileOutputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProfileOutputError';
  }
}

/** A number, or null when null, absent or not finite (a failed measurement's ratio). */
const figure = z
  .unknown()
  .refine((v) => v === null || v === undefined || typeof v === 'number', 'must be a number')
  .transform((v) => (typeof v === 'number' && Number.isFinite(v) ? v : null))
  .optional();

const object = <T extends z.ZodRawShape>(shape: T) =>
  z.object(shape, { error: 'must be an object' });

/** The `regression_evaluation` step's data: the side-by-side comparison and the judge's score. */
const regressionData = object({
  comparison: object({ time_ratio: figure, ci_low: figure, ci_high: figure }).nullish(),
  evaluation: object({ score: figure }).nullish(),
});

const step = z.discriminatedUnion('step', [
  object({
    step: z.literal('regression_evaluation'),
    status: z.enum(['completed', 'failed', 'skipped']),
    data: regressionData.nullish(),
  }),
  object({
    step: z.literal('rag_update'),
    status: z.enum(['completed', 'failed', 'skipped']),
    data: object({ note: z.string().optional() }).nullish(),
  }),
  object({
    step: z.enum(['benchmark', 'static_analysis']),
    status: z.enum(['completed', 'failed', 'skipped']),
  }),
]);

const output = object({
  workflow_steps: z.array(step, { error: 'must be an array' }),
  metadata: object({
    performance: object({ execution_time_ms: figure, memory_usage_kb: figure }).nullish(),
  }),
});

/** The figures a profile measured and judged; null where the profile has none. */
export interface ProfileFigures {
  /** The judge's score of the new version against the old. */
  readonly score: number | null;
  /** Best-run execution time of the new version, ms. */
  readonly time_ms: number | null;
  readonly memory_kb: number | null;
  /** Side-by-side time ratio new/old with its interval; null without an old version. */
  readonly time_ratio: number | null;
  readonly ci_low: number | null;
  readonly ci_high: number | null;
}

function parseOutput(result: ProfileResult): z.output<typeof output> {
  const parsed = output.safeParse(result);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ProfileOutputError(`profile result: '${fieldPath(issue.path)}' ${issue.message}`);
  }
  return parsed.data;
}

/** What the registry step said of a version it recorded without making it current; null: nothing. */
export function registryNote(result: ProfileResult): string | null {
  const rag = parseOutput(result).workflow_steps.find((s) => s.step === 'rag_update');
  return rag !== undefined && 'data' in rag ? (rag.data?.note ?? null) : null;
}

/** Read a profile's figures. Throws ProfileOutputError naming the field of the wrong type. */
export function profileFigures(result: ProfileResult): ProfileFigures {
  const parsed = parseOutput(result);
  const regression = parsed.workflow_steps.find((s) => s.step === 'regression_evaluation');
  const data = regression !== undefined && 'data' in regression ? regression.data : null;
  const performance = parsed.metadata.performance;
  return {
    score: data?.evaluation?.score ?? null,
    time_ms: performance?.execution_time_ms ?? null,
    memory_kb: performance?.memory_usage_kb ?? null,
    time_ratio: data?.comparison?.time_ratio ?? null,
    ci_low: data?.comparison?.ci_low ?? null,
    ci_high: data?.comparison?.ci_high ?? null,
  };
}
