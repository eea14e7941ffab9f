/** The profile pipeline's input, ports and output shapes. */
import type { Analyzer, Clock, Judge, MeasureOptions, Measurer } from '../core/ports.js';
import type { ChangeType } from '../core/registry-schema.js';
import type {
  Claims,
  Json,
  Language,
  PolicySettings,
  RunContext,
  CallStyle,
  SandboxMode,
  ToolVersion,
} from '../core/types.js';
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
  testScript?(version: ToolVersion, toolId: string): string;
}

/** The guide's profiler input (validated by the CLI), with our extensions. */
export interface ProfileInput {
  readonly tool_id: string;
  readonly tool_code: string;
  readonly test_input: Json;
  readonly requirement?: string | undefined;
  readonly language?: Language | undefined;
  readonly entry?: string | undefined;
  readonly mode?: CallStyle | undefined;
  readonly change_type?: ChangeType | undefined;
  readonly requirement_change?: Claims | undefined;
  readonly old_version_data?:
    | {
        readonly code?: string | undefined;
        readonly version?: string | undefined;
        readonly requirement?: string | undefined;
        readonly metadata?: Readonly<Record<string, unknown>> | undefined;
      }
    | undefined;
}

/**
 * The side-by-side comparison's options (`budgetMs` is also the benchmark's budget; the user's
 * slowdown limit is the judge's, in `policy`), the judge's knobs and where each version runs.
 */
export interface ProfileOptions extends Omit<MeasureOptions, 'maxSlowdown'> {
  /** The judge's knobs (`--intent`, `--max-slowdown`); defaults when absent. */
  readonly policy?: PolicySettings | undefined;
  /**
   * Where each version runs when it lives inside its repository (`record` mode): a read-only
   * checkout of its own commit, its working directory, import roots and venv
   * (src/repo-context.ts). A version without one runs as a lone file.
   */
  readonly contexts?:
    { readonly new?: RunContext | undefined; readonly old?: RunContext | undefined } | undefined;
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
