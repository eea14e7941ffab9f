/**
 * The domain's shared vocabulary. Every engine (measure, analyze, judge, registry, tools)
 * produces or consumes these plain data types; nothing here does I/O.
 */

export const LANGUAGES = ['python', 'javascript', 'typescript'] as const;
export type Language = (typeof LANGUAGES)[number];

export const VERDICTS = ['ACCEPT', 'REVIEW', 'REJECT'] as const;
export type Verdict = (typeof VERDICTS)[number];
/** A gate's overall verdict; NONE when no tool changed. */
export type GateVerdict = Verdict | 'NONE';

export type Confidence = 'high' | 'medium' | 'low';

/** How a tool is run: call a function in a warm process, or a whole process per call (stdin JSON). */
export const CALL_STYLES = ['function', 'executable'] as const;
export type CallStyle = (typeof CALL_STYLES)[number];

/** JSON value as read from a test input or a payload. */
export type Json =
  null | boolean | number | string | readonly Json[] | { readonly [key: string]: Json };

/** One test input, and the output its example states when it states one. */
export interface TestCase {
  readonly input: Json;
  readonly expected?: { readonly value: Json } | undefined;
}

/** One version of a tool, ready to be measured or analysed. */
/** One repository file a tool loads with itself (a helper module: src/tools/imports.ts). */
export interface LoadedFile {
  readonly path: string;
  readonly code: string;
}

/** The repository files a tool loads, beyond its own. */
export interface LoadedFiles {
  readonly files: readonly LoadedFile[];
  /** Why some were not read (too many, too large, unreadable), or null: all of them are here. */
  readonly incomplete: string | null;
}

export interface ToolVersion {
  readonly code: string;
  readonly language: Language;
  /** Function to call (JS/TS: a named export; default export when absent. Python: a def name; the last top-level def when absent). */
  readonly entry?: string | undefined;
  readonly mode: CallStyle;
  readonly testInput: Json;
  /** The implementation's repository path: what a syntax error or a traceback names. */
  readonly path?: string | undefined;
  /** Run inside a checkout of the tool's repository rather than as a lone file. */
  readonly context?: RunContext | undefined;
  /**
   * The repository files it loads, at its own commit (src/tools/imports.ts): a TS/JS version runs
   * with them beside it (src/analyze/transpile.ts).
   */
  readonly loads?: readonly LoadedFile[] | undefined;
}

/** One T for each version of a pair: the base (`old`) and the head (`new`). */
interface PerVersion<T> {
  readonly old: T;
  readonly new: T;
}

/** A T for either version of a pair, where there is one. */
export type OptionalPerVersion<T> = { readonly [K in keyof PerVersion<T>]?: T | undefined };

/**
 * A tool run as its repository runs it: from a read-only checkout of its commit, in the working
 * directory and with the import roots its YAML or the config imply. Absolute host paths.
 */
export interface RunContext {
  /** The checkout of the version's commit. */
  readonly root: string;
  /** The implementation inside `root` (run in place, not copied). */
  readonly toolPath: string;
  readonly cwd: string;
  /** PYTHONPATH / NODE_PATH entries. */
  readonly importPaths: readonly string[];
  /** Command-line arguments after the script (`{tool_dir}`, `{field}` expanded). */
  readonly argv: readonly string[];
  /** The text an executable tool gets on stdin, as its runner sends it; absent: the input as JSON. */
  readonly stdin?: string | undefined;
  /** The dependency venv's python, when one was installed. */
  readonly python?: string | undefined;
  /** Host directories the sandbox shows read-only (the checkout, the venv). */
  readonly readOnly: readonly string[];
}

// ---------------------------------------------------------------- measurement

/** What the interval says about new/old. */
export const CHANGES = ['regression', 'improvement', 'unchanged', 'inconclusive'] as const;
export type Change = (typeof CHANGES)[number];

/** Why a tool's run failed: each hostile behaviour maps to one kind. */
export const TOOL_ERROR_KINDS = [
  'timeout',
  'crashed',
  'memory',
  'exception',
  'output',
  'network',
  'invalid_tool',
  'unsupported',
  /** `sandbox: required` and the OS sandbox cannot be had here. */
  'sandbox',
  /** The tool tried what a benchmark forbids (start a process or a worker) and was stopped. */
  'hostile',
  /** The tool answered that it failed (`{"success": false}`, or an `error` without a `result`). */
  'reported',
] as const;
export type ToolErrorKind = (typeof TOOL_ERROR_KINDS)[number];

export interface ToolError {
  readonly kind: ToolErrorKind;
  readonly message: string;
  /** The tool's own traceback / stack excerpt, size-capped. */
  readonly traceback?: string | undefined;
}

/** A blocked outgoing connection or a mocked call seen during a run. */
export interface NetworkEvent {
  readonly kind: 'blocked' | 'mocked';
  readonly target: string;
}

/** Per-version statistics of one comparison. */
export interface VersionStats {
  /** Median time per call, nanoseconds. */
  readonly ns_per_call: number;
  /** Calls per timed sample (calibrated). */
  readonly calls_per_sample: number;
  readonly samples: number;
  readonly steady_state: boolean;
  /** Peak memory of one call, KiB (tracemalloc peak for Python; heap growth for JS). Separate pass. */
  readonly memory_kb: number | null;
  readonly network: readonly NetworkEvent[];
  readonly error?: ToolError | undefined;
  /** The gate's own figures beside the harness's (src/measure/observe.ts); absent before issue 23. */
  readonly observed?: ObservedFigures | undefined;
  /** The runtime that ran this version: `Python 3.11.7`, `Node v24.11.1`. */
  readonly runtime?: string | undefined;
}

/**
 * What the gate saw of a version's harness from outside its process, as shares of what the
 * harness reported: reported CPU time over the gate's, reported wall time over the round trips
 * less both ends' run-queue waits (null: not read), and the peak resident set's growth, KiB.
 */
export interface ObservedFigures {
  readonly cpu_share: number | null;
  readonly wall_share: number | null;
  readonly memory_growth_kb: number | null;
}

/** A figure a harness reported that what the gate saw rules out (src/measure/observe.ts). */
export interface Tampering {
  readonly version: 'old' | 'new';
  readonly figure: 'cpu' | 'wall' | 'memory' | 'calls';
  /** The harness's figure: ms (cpu, wall), KiB (memory), calls. */
  readonly reported: number;
  /** The gate's figure, same unit. */
  readonly observed: number;
}

/**
 * One version measured alone (a new tool): absolute time per call, cold (the first call in a fresh
 * process) and warm (the steady state: `ns_per_call`), and memory. Its baseline.
 */
export interface VersionProfile extends Omit<VersionStats, 'steady_state'> {
  /** Median time of the first call in a fresh process, nanoseconds. */
  readonly cold_ns: number;
  /** Fresh processes the figures come from. */
  readonly runs: number;
  /** How many distinct test inputs were rotated through the runs. */
  readonly inputs: number;
  readonly wall_ms: number;
  /** Which sandbox the runs' children ran in. */
  readonly sandbox?: SandboxInfo | undefined;
}
/** An interval from fewer fresh process pairs than this says nothing and is never quoted. */
export const MIN_PAIRS = 4;

interface TimeComparison {
  /** Point estimate of new/old time per call. */
  readonly ratio: number;
  readonly ci_low: number;
  readonly ci_high: number;
  /** e.g. 0.99 */
  readonly confidence_level: number;
  /** Half-width of the "unchanged" zone around 1, e.g. 0.02. */
  readonly delta: number;
  readonly change: Change;
  /** Number of fresh process pairs used. */
  readonly pairs: number;
  /** Number of per-round log ratios behind the estimate. */
  readonly rounds: number;
  /** Each process pair's own new/old ratio (the median of its rounds), in the order run. */
  readonly pair_ratios?: readonly number[] | undefined;
}

interface MemoryComparison {
  readonly old_kb: number | null;
  readonly new_kb: number | null;
  readonly ratio: number | null;
}

export const SANDBOX_MODES = ['auto', 'required', 'off'] as const;
/** `auto`: the OS sandbox where the platform allows it; `required`: or fail; `off`: never. */
export type SandboxMode = (typeof SANDBOX_MODES)[number];

/** Which sandbox a measurement's children ran in. */
export interface SandboxInfo {
  /** What was asked for. */
  readonly mode: SandboxMode;
  /** What ran: bubblewrap, or no OS sandbox at all. */
  readonly kind: 'bwrap' | 'none';
  /** How bwrap got root: `sudo` when the gate is not root and started it through `sudo -n`. */
  readonly via?: 'sudo' | undefined;
  /** Why there was no sandbox (kind `none`). */
  readonly reason?: string | undefined;
}

/**
 * The first call of each version in a fresh process (no warm-up, cold caches, no memo): the
 * median over the pairs. Beside the steady-state ratio, it shows a version that is fast only
 * because it carries state across calls (policy.ts: `stateAcrossCalls`).
 */
export interface ColdComparison {
  readonly old_ns: number;
  readonly new_ns: number;
  /** new/old; null when a side has no cold call. */
  readonly ratio: number | null;
  /**
   * The interval of the first calls' ratio new/old over the pairs (each pair one observation),
   * at the comparison's confidence; absent with fewer than two pairs (and in older reports).
   */
  readonly ci_low?: number | undefined;
  readonly ci_high?: number | undefined;
  /** new/old of the second call in each fresh process, the median over the pairs. */
  readonly second_ratio?: number | undefined;
  /** JS/TS: the first and later calls in interpreter-only fresh process pairs; absent: not run. */
  readonly interpreted?: InterpretedCalls | undefined;
}

/**
 * The first call and the later calls of each version in fresh process pairs whose JS runs in V8's
 * interpreter only (src/measure/first-calls.ts). There, as in Python, a first call costs its work
 * plus one-time costs, so a head's first call can be predicted from its later calls and the
 * base's one-time costs; under the JIT it cannot (its first calls run in the interpreter, its
 * later ones compiled). policy.ts judges state carried across calls by `excess`.
 */
export interface InterpretedCalls {
  /** Pairs whose first calls were both timed. */
  readonly pairs: number;
  /** Calls timed after the first in each process (their median: the process's later calls). */
  readonly later_calls: number;
  /** new/old of the first calls (the geometric mean over the pairs) and its interval. */
  readonly first_ratio: number;
  readonly first_ci_low?: number | undefined;
  readonly first_ci_high?: number | undefined;
  /** new/old of the later calls, the median over the pairs. */
  readonly later_ratio: number;
  /**
   * The head's first call over its prediction (its later calls plus the base's first call beyond
   * the base's later calls: the one-time costs), the geometric mean over the pairs and its
   * interval at the comparison's confidence. About 1 for an honest head; a memo's first call
   * does the work its later calls skip.
   */
  readonly excess: number;
  readonly excess_ci_low?: number | undefined;
  readonly excess_ci_high?: number | undefined;
  /** Wall time the pairs took, ms. */
  readonly cost_ms: number;
  /** Why fewer pairs than planned were timed (a failure, a timeout, the time cap); absent: none. */
  readonly cut?: string | undefined;
}

/** Why the measurement stopped. */
export type StopReason = 'decided' | 'budget' | 'max_pairs' | 'failed';

/** Where the variance comes from (standard deviations of log ratios; `varianceBudget` computes it). */
export interface VarianceBudget {
  /** One sample against the next of the same version in the same round. */
  readonly sample_sd: number;
  /** Rounds within a pair (pooled). */
  readonly round_sd: number;
  /** Pair summaries against each other. */
  readonly pair_sd: number;
  /** The part of pair_sd the rounds do not explain: process personality. */
  readonly personality_sd: number;
}

/**
 * How the measurement went: where the variance came from (the variance budget's standard
 * deviations of log ratios: sample, round, pair, and the pairs' personality) and what each pair
 * cost.
 */
export interface MeasurementDiagnostics extends VarianceBudget {
  readonly stopped: StopReason;
  /** The clock the rounds compared: CPU time, or wall time for tools that wait. */
  readonly timer: 'cpu' | 'wall';
  /** Medians per pair: both children's start-up, warm-up, rounds, and the whole pair's wall time. */
  readonly boot_ms: number;
  readonly warmup_ms: number;
  readonly rounds_per_pair: number;
  readonly pair_ms: number;
  /** Duration of one timed sample, ms. */
  readonly sample_ms: number;
  /** The machine looked busy (load above its CPU count, or noisy samples). */
  readonly busy: boolean;
  readonly load_average: number;
  readonly cpus: number;
  /** Both children of each pair ran on one CPU (taskset); absent in reports before issue 12. */
  readonly pinned?: boolean | undefined;
  /** Address-space layout randomisation of the children (`off`: setarch -R). */
  readonly aslr?: 'on' | 'off' | undefined;
  /** Seed of the order coins (boot, cold call, warm-up, rounds) of this comparison. */
  readonly seed?: number | undefined;
}

/**
 * Both versions' answers to the same inputs (src/measure/outputs.ts): canonical JSON, numbers
 * within `tolerance`, object key order and set order ignored.
 */
export interface OutputComparison {
  /** Inputs compared: one version answered, the other answered or failed. */
  readonly inputs: number;
  /** How many of `inputs` are an example grown by the growth probe (absent: none). */
  readonly grown?: number | undefined;
  /**
   * Inputs on which the answers differ: one version fails where the other answers, or the
   * answers differ outside the parts where both versions vary between calls.
   */
  readonly differing: number;
  /** The first difference, escaped and short: `at $.items[2]: 7 ≠ 6`. */
  readonly diff: string | null;
  /** Versions whose answer to the same input differed between two calls. */
  readonly nondeterministic: readonly ('old' | 'new')[];
  /** Where both versions vary between calls (`$.id`; at most five): not weighed there. */
  readonly varying?: readonly string[] | undefined;
  /** Relative tolerance for numbers. */
  readonly tolerance: number;
  /** Examples that state an output: how many of them each version gives. */
  readonly expected?:
    | {
        readonly checked: number;
        readonly old_matches: number;
        readonly new_matches: number;
        /** Where the head's answer first leaves the expected one. */
        readonly new_diff?: string | undefined;
      }
    | undefined;
}

/** One version's growth exponent b in time ≈ a·nᵇ, with its 95 % interval. */
export interface GrowthFit {
  readonly exponent: number;
  readonly low: number;
  readonly high: number;
}

/** How both versions' time grows with the input (src/measure/growth.ts). */
export interface Growth extends OptionalPerVersion<GrowthFit> {
  /** The part of the input grown (`$.items (list, 10 in the example)`); null: none can grow. */
  readonly part: string | null;
  /** Why there is no fit. */
  readonly reason?: string | undefined;
  /** The sizes measured, as multiples of the example's. */
  readonly factors?: readonly number[] | undefined;
  /** The head's exponent exceeds the base's beyond noise. */
  readonly rises?: boolean | undefined;
  readonly largest_factor?: number | undefined;
  /** new/old time at the largest size measured. */
  readonly ratio_at_largest?: number | undefined;
  readonly wall_ms?: number | undefined;
}

/** The input a comparison's figures are for, among the tool's usable inputs. */
interface InputUsed {
  readonly index: number;
  readonly of: number;
  readonly tried: number;
}

/** Result of measuring a base/head pair side by side. */
export interface Comparison extends PerVersion<VersionStats> {
  readonly time: TimeComparison;
  readonly memory: MemoryComparison;
  readonly steady_state: boolean;
  readonly wall_ms: number;
  /** Which sandbox the children ran in (absent in reports from before issue 10). */
  readonly sandbox?: SandboxInfo | undefined;
  readonly cold?: ColdComparison | undefined;
  readonly diagnostics?: MeasurementDiagnostics | undefined;
  /** Reported figures the gate's own rule out: the measurement is void (REVIEW at best). */
  readonly tampered?: readonly Tampering[] | undefined;
  /** Both versions' answers compared; absent when no input was answered. */
  readonly outputs?: OutputComparison | undefined;
  /**
   * Which of the tool's usable inputs the figures are for, when it has several
   * (src/measure/compare.ts): `index` (0-based) of `of`; `tried` inputs were run, the ones
   * before `index` failing on the base. Absent: the first, or the only one.
   */
  readonly input?: InputUsed | undefined;
  /** How the cost grows with the input; absent when not probed. */
  readonly growth?: Growth | undefined;
}

// ---------------------------------------------------------------- analysis

export type Severity = 'LOW' | 'MEDIUM' | 'HIGH';

export type Grade = 'A' | 'B' | 'C' | 'D' | 'E' | 'F';

export interface FunctionMetrics {
  /** Qualified name, e.g. `Class.method` or `outer.inner`. */
  readonly name: string;
  readonly line: number;
  readonly end_line: number;
  readonly complexity: number;
  readonly rank: Grade;
}

export interface SecurityIssue {
  /** bandit-style id (`B307`) for Python; `JS-EVAL`-style for TS/JS. */
  readonly rule: string;
  readonly severity: Severity;
  readonly confidence: Severity;
  readonly line: number;
  readonly column?: number | undefined;
  readonly message: string;
  /**
   * The repository path of the file it is in, when that is a file the tool loads (a helper module,
   * src/tools/imports.ts); absent: the tool's own file.
   */
  readonly file?: string | undefined;
}

export interface Unavailable {
  readonly available: false;
  readonly reason: string;
}

interface ComplexitySection {
  readonly available: true;
  readonly average_complexity: number;
  readonly grade: Grade;
}

export interface SecuritySection {
  readonly available: true;
  readonly total_issues: number;
  readonly severity_counts: Readonly<Record<Severity, number>>;
  readonly issues: readonly SecurityIssue[];
}

export interface Diagnostic {
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

export interface CorrectnessSection {
  /** True also when the check could not run: see `not_checked`. */
  readonly syntax_valid: boolean;
  /**
   * Why the syntax could not be checked (the analyser failed, or the parser gave up on the code's
   * depth or size): the syntax is unknown, neither valid nor invalid.
   */
  readonly not_checked?: string | undefined;
  readonly syntax_error?: Diagnostic | undefined;
  /** Names used but never defined, imported or built in (Python); semantic diagnostics (TS). */
  readonly undefined_names: readonly string[];
  readonly diagnostics: readonly Diagnostic[];
}

export interface QualitySection {
  readonly available: true;
  readonly documentation_ratio: number;
  readonly function_count: number;
  readonly class_count: number;
  readonly lines_of_code: number;
  readonly comment_ratio: number;
}

/** The guide's `analysis` object, extended. Sections that could not be computed say why. */
export interface Analysis {
  readonly language: Language;
  readonly complexity: ComplexitySection | Unavailable;
  readonly security: SecuritySection | Unavailable;
  readonly correctness: CorrectnessSection;
  readonly code_quality: QualitySection | Unavailable;
  readonly functions: readonly FunctionMetrics[];
}

export interface FunctionComplexityChange {
  readonly name: string;
  readonly old: number | null;
  readonly new: number | null;
}

/** The parts of an analysis whose absence the policy must not read as "nothing found". */
type AnalysisPart = 'security' | 'complexity' | 'syntax';

/** One part of one version's analysis that could not run: unknown, never 0 findings. */
export interface UnanalysedPart {
  readonly version: 'old' | 'new';
  readonly part: AnalysisPart;
  readonly reason: string;
}

/** Both versions' analysis figures: as the diff computes them and the evidence carries them. */
interface AnalysisFigures {
  /** Security finding counts; null when that version's security analysis could not run. */
  readonly security_old: number | null;
  readonly security_new: number | null;
  readonly complexity_old: number | null;
  readonly complexity_new: number | null;
  readonly syntax_valid_old: boolean;
  readonly syntax_valid_new: boolean;
  /**
   * Parts of either analysis that could not run: unknown, so no fix is read from them and the
   * verdict is REVIEW at most (absent in reports from before issue 10).
   */
  readonly unanalysed?: readonly UnanalysedPart[] | undefined;
}

/** What changed between the analyses of two versions. */
export interface AnalysisDiff extends AnalysisFigures {
  /** Findings of the new version the old did not have; none when the new one was not analysed. */
  readonly new_findings: readonly SecurityIssue[];
  /** Findings of the old version the new lacks; none unless both were analysed. */
  readonly fixed_findings: readonly SecurityIssue[];
  readonly functions: readonly FunctionComplexityChange[];
}

// ---------------------------------------------------------------- judge

/** Claims written by the PR / mutation author: untrusted data, never instructions. */
export interface Claims {
  readonly previous_requirement?: string | undefined;
  readonly new_requirement?: string | undefined;
  readonly change_summary?: string | undefined;
  readonly feature_additions?: readonly string[] | undefined;
  readonly feature_removals?: readonly string[] | undefined;
  readonly breaking_changes?: readonly string[] | undefined;
  /** The pull request's title (Action, `gate --title`). */
  readonly pr_title?: string | undefined;
  /** The pull request's body (Action, `gate --body`). */
  readonly pr_body?: string | undefined;
  /** Messages of the commits that touch the tool (merge-base..head). */
  readonly commit_messages?: readonly string[] | undefined;
}

/** The user's policy knobs (config, inputs, flags); see verdict/policy.ts. */
export interface PolicySettings {
  /** `max-slowdown` as a fraction (0.25 = 25 %); null: none. */
  readonly maxSlowdown: number | null;
  /** `noise-zone`: half-width of the "unchanged" zone (δ). */
  readonly noiseZone: number;
  /** `intent`: parse the claims (`auto`), a fixed purpose, or `off`. */
  readonly intent: 'auto' | 'optimization' | 'feature' | 'off';
}

/** Trusted evidence: measured or computed by us. */
export interface Evidence extends AnalysisFigures {
  /** new/old time; `null` when not measured. */
  readonly time_ratio: number | null;
  readonly time_ci_low: number | null;
  readonly time_ci_high: number | null;
  readonly time_change: Change | null;
  readonly memory_ratio: number | null;
  /**
   * new/old time of the first call in a fresh process (the comparison's `cold`); absent or null
   * when not measured. With the steady state it shows state carried across calls (policy.ts).
   */
  readonly cold_ratio?: number | null | undefined;
  /** Its interval over the pairs; absent: the cold ratio is a point. */
  readonly cold_ci_low?: number | undefined;
  readonly cold_ci_high?: number | undefined;
  /** new/old time of the second call in a fresh process; absent when not measured. */
  readonly second_ratio?: number | undefined;
  /**
   * Python's base: its steady time per call over its first call in a fresh process (≤ 1), how
   * much of a first call is work, the rest one-time costs both versions pay (policy.ts). Absent
   * under a JIT, whose first calls cost each version in proportion to its own work.
   */
  readonly base_warm_share?: number | undefined;
  /** JS/TS: the first and later calls in interpreter-only processes (the comparison's). */
  readonly interpreted?: InterpretedCalls | undefined;
  /** Reported figures the gate's own rule out (the comparison's `tampered`): REVIEW at best. */
  readonly tampered?: readonly Tampering[] | undefined;
  /** False when old and new code are the same text (ignoring trailing whitespace); undefined when unknown. */
  readonly code_changed?: boolean | undefined;
  /**
   * Findings of the new version that the old did not have, with severity and confidence; when
   * given, the security rules weigh them (see security.ts) instead of comparing counts.
   */
  readonly new_findings?:
    | readonly (Pick<SecurityIssue, 'rule' | 'severity' | 'confidence' | 'line' | 'file'> & {
        /** The analyser's message (names what a benchmark-gaming finding does). */
        readonly message?: string | undefined;
      })[]
    | undefined;
  /** `security-fail-on`: the weighed severity that caps at REJECT (default high). */
  readonly security_fail_on?: SecurityFailOn | undefined;
  /** Both versions' answers compared (the comparison's `outputs`); absent when not compared. */
  readonly outputs?: OutputComparison | undefined;
  /** How the cost grows (the comparison's `growth`); absent when not probed. */
  readonly growth?: Growth | undefined;
}

/** The weighed severity at which a new finding caps a verdict at REJECT. */
export const SECURITY_FAIL_ON = ['high', 'medium', 'low'] as const;
export type SecurityFailOn = (typeof SECURITY_FAIL_ON)[number];

/** Allowed score interval given the evidence. */
export interface Band {
  readonly lo: number;
  readonly hi: number;
  /** Rule score inside the band. */
  readonly rule_score: number;
  /** Why the band is where it is: one short line per rule that fired. */
  readonly reasons: readonly string[];
}

export interface Evaluation {
  readonly score: number;
  readonly reasoning: string;
  readonly recommendation: Verdict;
  readonly confidence: Confidence;
  /** Model name, or null for the rules judge. */
  readonly llm_model: string | null;
  /** `rules`, `ollama`, or `rules (ollama: <why it fell back>)`. */
  readonly judge: string;
  readonly band: Band;
  /** Prompt-injection findings that capped the verdict. */
  readonly injection: readonly string[];
  readonly timestamp: string;
  /** Wall time of the model call, ms (absent when no model was asked). */
  readonly latency_ms?: number | undefined;
  /** Tokens the model read (Ollama's `prompt_eval_count`) and wrote (`eval_count`). */
  readonly prompt_tokens?: number | undefined;
  readonly reply_tokens?: number | undefined;
}

/** What the judge did once per gate, beside its per-tool evaluations. */
export interface JudgeRun {
  /** `rules`: no model configured; `ollama`: a model was configured. */
  readonly kind: 'rules' | 'ollama';
  readonly model: string | null;
  /** The model's sha256 digest as its host lists it (hex), null when unknown. */
  readonly digest: string | null;
  /** Parameter size and quantisation as the host reports them, e.g. `3.1B Q4_K_M`. */
  readonly details: string | null;
  /** Wall time of the pull this gate made because the model was missing, ms; null: no pull. */
  readonly pull_ms: number | null;
  /** Wall time of the one warm-up call that loads the model, ms; null: it did not happen. */
  readonly load_ms: number | null;
  /** Why the model could not judge any tool of this gate (e.g. the pull failed); null: it was ready. */
  readonly unavailable: string | null;
}

export interface JudgeInput {
  readonly evidence: Evidence;
  readonly claims: Claims;
  readonly old_code: string;
  readonly new_code: string;
  /** The policy knobs; defaults (no limit, δ 2 %, intent auto) when absent. */
  readonly policy?: PolicySettings | undefined;
}
