/**
 * Ports: the small interfaces the pipeline needs from the outside world. Adapters in
 * src/adapters, src/measure, src/analyze and src/judge implement them; tests pass fakes or
 * real local implementations.
 */
import type {
  Analysis,
  Comparison,
  Evaluation,
  Json,
  JudgeInput,
  JudgeRun,
  Language,
  SandboxMode,
  ToolVersion,
  VersionProfile,
} from './types.js';

export interface MeasureOptions {
  /** Wall-time budget for the whole comparison, ms. */
  readonly budgetMs: number;
  /** Confidence level of the interval, e.g. 0.99. */
  readonly confidence: number;
  /** Half-width of the "unchanged" zone, e.g. 0.02. */
  readonly delta: number;
  /** The OS sandbox around the tool's children; default `auto`. */
  readonly sandbox?: SandboxMode | undefined;
}

/** Measures two versions side by side. Never throws for a tool's misbehaviour: it is in the stats. */
export interface Measurer {
  compare(
    oldVersion: ToolVersion,
    newVersion: ToolVersion,
    options: MeasureOptions,
  ): Promise<Comparison>;
  /** One version alone (a new tool): absolute cold and warm time, memory. Never throws for the tool. */
  profile?(
    version: ToolVersion,
    inputs: readonly Json[],
    options: Pick<MeasureOptions, 'budgetMs'>,
  ): Promise<VersionProfile>;
}

/** Static analysis. Never throws: unparseable code yields `syntax_valid: false`. */
export interface Analyzer {
  analyze(code: string, language: Language): Promise<Analysis>;
}

export interface Judge {
  evaluate(input: JudgeInput): Promise<Evaluation>;
  /** What the judge did once for all its evaluations (model, digest, pull, load), when it knows. */
  run?(): JudgeRun;
}

export interface Clock {
  now(): Date;
}

export interface Log {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}
