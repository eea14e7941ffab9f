/** The profile pipeline's input, ports and output shapes. */
import { z } from 'zod';
import { requirementChange, runFields } from '../domain/input-schemas.js';
import type { Analyzer, Clock, Judge, MeasureOptions, Measurer } from '../domain/ports.js';
import { CHANGE_TYPES } from '../registry/schema.js';
import type {
  LoadedFile,
  OptionalPerVersion,
  RunContext,
  SandboxMode,
  ToolVersion,
} from '../domain/types.js';
import type { JudgePolicy } from '../assess.js';
import type { BenchmarkResult } from '../measure/index.js';
import type { RegistryStore } from '../registry/store.js';
import type { ProfileStatus } from './registry-entry.js';

export interface ProfilePorts {
  benchmark(
    version: ToolVersion,
    options: { budgetMs: number; sandbox?: SandboxMode | undefined },
  ): Promise<BenchmarkResult>;
  readonly measurer: Measurer;
  readonly analyzer: Analyzer;
  readonly judge: Judge;
  readonly registry: RegistryStore;
  readonly clock: Clock;
  /** The guide's standalone `test_script`; optional. */
  testScript?(version: ToolVersion, toolId: string): Promise<string>;
}

/**
 * The guide's profiler input (the CLI's stdin, with our extensions): one schema, and the type the
 * pipeline takes derived from it, with the tool id from the command line.
 */
export const profileInput = z.looseObject({
  tool_code: z.string(),
  ...runFields,
  requirement: z.string().optional(),
  change_type: z.enum(CHANGE_TYPES).optional(),
  requirement_change: requirementChange.optional(),
  old_version_data: z
    .looseObject({
      code: z.string().optional(),
      version: z.string().optional(),
      requirement: z.string().optional(),
      metadata: z.looseObject({}).optional(),
    })
    .optional(),
});

export type ProfileInput = Readonly<z.infer<typeof profileInput>> & { readonly tool_id: string };

/**
 * The side-by-side comparison's options (`budgetMs` is also the benchmark's budget; the user's
 * slowdown limit is the judge's, in `policy`), the judge's knobs and where each version runs.
 */
export interface ProfileOptions extends Omit<MeasureOptions, 'maxSlowdown'> {
  /** The judge's knobs and `security-fail-on`, as the gate's (`policyOf(config)`); defaults when absent. */
  readonly policy?: JudgePolicy | undefined;
  /** The test input was synthesised from input_schema (`record`): a new tool that rejects it needs an example. */
  readonly synthesisedInput?: boolean | undefined;
  /**
   * Where each version runs when it lives inside its repository (`record` mode): a read-only
   * checkout of its own commit, its working directory, import roots and venv
   * (src/repo-context.ts). A version without one runs as a lone file.
   */
  readonly contexts?: OptionalPerVersion<RunContext> | undefined;
  /** Each version's repository path and the repository files it loads (`record` mode). */
  readonly loads?: OptionalPerVersion<VersionFiles> | undefined;
}

/** A version's repository path and the repository files it loads, which run with it. */
export interface VersionFiles {
  readonly path: string;
  readonly files: readonly LoadedFile[];
}

/** The ToolVersion fields of `files`: none when it loads nothing (it runs alone). */
export function withFiles(files: VersionFiles | undefined): Pick<ToolVersion, 'path' | 'loads'> {
  return files === undefined || files.files.length === 0
    ? {}
    : { path: files.path, loads: files.files };
}

type StepName = 'benchmark' | 'static_analysis' | 'regression_evaluation' | 'rag_update';

export interface WorkflowStep {
  readonly step: StepName;
  readonly status: 'completed' | 'failed' | 'skipped';
  readonly data?: unknown;
  /** Why the step was skipped or failed. */
  readonly reason?: string;
}

export interface ProfileResult {
  readonly tool_id: string;
  readonly status: ProfileStatus;
  /** The version number this profile assigned (also for review/rejected records). */
  readonly version: string | null;
  readonly workflow_steps: readonly WorkflowStep[];
  readonly metadata: Record<string, unknown>;
  readonly registry: string;
}
