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
  TestCase,
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
  /** The user's hard slowdown limit (0.25 = 25 %): one more edge the measurement resolves. */
  readonly maxSlowdown?: number | null | undefined;
  /**
   * Every usable input of the tool, in order, each with the output its example states (if any);
   * the versions passed to `compare` run the first. With `versionsAt` the measurer moves on to
   * the next input where the base fails, and compares both versions' answers on each input
   * (src/measure/compare.ts). Absent: the versions' own input, no stated output.
   */
  readonly cases?: readonly TestCase[] | undefined;
  /**
   * Both versions at another input: given, the measurer also tries the other `cases`, compares
   * the answers on each, and probes how the cost grows with the input (src/measure/growth.ts),
   * inside the same budget.
   */
  readonly versionsAt?:
    ((input: Json) => { readonly old: ToolVersion; readonly new: ToolVersion }) | undefined;
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
    options: Pick<MeasureOptions, 'budgetMs' | 'sandbox'>,
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

/**
 * A read-only view of the repository at one commit: which files exist and what they hold.
 * The git adapter implements it with `git ls-tree` / `git cat-file`; tests may use a plain map.
 */
export interface Tree {
  /** Every file path (repository-relative, `/`-separated) at this commit. */
  readonly files: readonly string[];
  /** The file's text, or null when it does not exist at this commit. */
  read(path: string): Promise<string | null>;
}

/** One entry of `git diff --name-status -M`. */
export interface FileChange {
  readonly status: 'A' | 'M' | 'D' | 'R' | 'C' | 'T';
  readonly path: string;
  /** For renames and copies: the path at the base. */
  readonly oldPath?: string | undefined;
}

/** The repository the gate and record read: refs, merge-base, the diff, files at a commit. */
export interface Repo {
  /** Make sure history is deep enough for a merge-base; deepen a shallow clone or fail with the fix. */
  ensureHistory(): Promise<void>;
  /** Resolve a ref (branch, `origin/<branch>`, tag or sha) to a commit sha. */
  resolve(ref: string): Promise<string>;
  mergeBase(a: string, b: string): Promise<string>;
  diff(base: string, head: string): Promise<FileChange[]>;
  tree(sha: string): Promise<Tree>;
  /** Full messages of the commits in base..head that touch any of `paths` (newest first). */
  messages?(base: string, head: string, paths: readonly string[]): Promise<string[]>;
  /** A read-only checkout of a commit (a git worktree), for tools that run inside their repository. */
  checkout?(sha: string, label: string): Promise<Checkout>;
}

/** A read-only checkout of one commit (adapters/checkout.ts). */
export interface Checkout {
  /** Absolute directory holding the commit's files. */
  readonly dir: string;
  readonly sha: string;
  /** Remove the checkout (and its registration in the repository). Safe to call twice. */
  remove(): Promise<void>;
}

/** Where a gate stands: tool k of n, the time spent, an estimate of what is left. */
export interface ToolProgress {
  readonly id: string;
  /** 1-based. */
  readonly index: number;
  readonly total: number;
  readonly elapsedMs: number;
  /** Estimated time left, the current tool included (from the per-tool budget and the pace). */
  readonly leftMs: number;
}

/** Progress of a gate, one tool at a time: the Action groups its log, the CLI draws a line. */
export interface Progress {
  startTool(progress: ToolProgress): void;
  endTool(progress: ToolProgress & { readonly outcome: string; readonly toolMs: number }): void;
}

/**
 * What is left: each remaining tool costs the average of the finished ones, never more than the
 * budget per tool (measurement stops there), and the budget while nothing has finished.
 */
export function estimateLeftMs(
  finishedMs: readonly number[],
  remaining: number,
  budgetPerToolMs: number,
): number {
  const average =
    finishedMs.length === 0
      ? budgetPerToolMs
      : finishedMs.reduce((a, b) => a + b, 0) / finishedMs.length;
  return Math.max(0, Math.round(remaining * Math.min(average, budgetPerToolMs * 1.2)));
}
