/**
 * How the cost grows with the input (issue 24): where the test input has a part that can grow (a
 * list, a dict, a text, a number that counts), both versions are timed at the example's size and
 * at ×4, ×16 (and on, ×4 at a time, while either version's time has grown less than 8-fold or
 * the rise is undecided, and the budget lasts), and each version's growth exponent b in
 * time ≈ a·nᵇ is fitted by least squares on log time over log size at the last three sizes,
 * with a 95 % interval from the residuals
 * (Goldsmith, Aiken and Wilkerson's empirical power-law fit, FSE 2007; Google Benchmark's
 * `Complexity()` fits a fixed set of curves instead and names the best). The last three sizes,
 * not all of them: at the example's size a call's fixed cost hides the curve.
 *
 * The head's exponent rising beyond noise (the lower bound of the difference above GROWTH_RISE)
 * is a regression of its own; the judge treats it like the slowdown measured at the largest size.
 */
import type { MeasureOptions } from '../domain/ports.js';
import type { Growth, GrowthFit, Json, ToolVersion } from '../domain/types.js';
import { cleanup } from './launch.js';
import type { LaunchOptions } from './launch.js';
import { Deadline, answersOf, boot, calibrate, checkCall, guarded, newSides } from './protocol.js';
import type { InputAnswers } from './outputs.js';
import type { Side } from './protocol.js';
import type { HarnessChild } from './child.js';
import { median } from './stats.js';

/** The head's exponent must exceed the base's by more than this, at the interval's low end. */
const GROWTH_RISE = 0.25;
/** Timed samples per version and size. */
const SAMPLES = 7;
/** Sizes: the example's, then ×4 each step, at most this many steps beyond it. */
const MAX_STEPS = 5;
/** Sizes stop once both versions' time at the largest is at least this × their first. */
const ENOUGH_GROWTH = 8;
/** No size beyond one at which a call of either version takes this long. */
const MAX_CALL_MS = 25;
/** Names of integer fields that count something (loop bounds, sizes). */
const COUNTING =
  /^(n|k|m|count|size|length|len|limit|num\w*|number\w*|iterations?|times|rounds|depth|steps|items?_count|\w*_count|\w*_size)$/i;

type Path = readonly (string | number)[];

/** The part of an input that can grow. */
export interface GrowablePart {
  readonly path: Path;
  readonly kind: 'list' | 'dict' | 'text' | 'count';
  /** Its size in the example: items, keys, characters, or the count. */
  readonly size: number;
}

const isObject = (v: Json): v is { readonly [key: string]: Json } =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isList = (v: Json): v is readonly Json[] => Array.isArray(v);

function candidates(value: Json, path: Path, out: GrowablePart[]): void {
  if (isList(value)) {
    if (value.length > 0) out.push({ path, kind: 'list', size: value.length });
    value.forEach((v, i) => candidates(v, [...path, i], out));
  } else if (isObject(value)) {
    const keys = Object.keys(value);
    // The top-level object holds the parameters: its keys are not data that grows.
    if (path.length > 0 && keys.length >= 2) out.push({ path, kind: 'dict', size: keys.length });
    for (const key of keys) candidates(value[key]!, [...path, key], out);
  } else if (typeof value === 'string' && value.length >= 8 && /\s/.test(value)) {
    out.push({ path, kind: 'text', size: value.length });
  } else if (
    typeof value === 'number' &&
    Number.isInteger(value) &&
    value >= 1 &&
    value <= 100_000 &&
    typeof path[path.length - 1] === 'string' &&
    COUNTING.test(String(path[path.length - 1]))
  ) {
    out.push({ path, kind: 'count', size: value });
  }
}

const RANK: Readonly<Record<GrowablePart['kind'], number>> = {
  list: 0,
  dict: 1,
  text: 2,
  count: 3,
};

/**
 * The part of the input that can grow: the largest list, else the largest dict below the top
 * level, else the longest text, else a counting number; null when nothing can grow.
 */
export function growablePart(input: Json): GrowablePart | null {
  const found: GrowablePart[] = [];
  candidates(input, [], found);
  found.sort((a, b) => RANK[a.kind] - RANK[b.kind] || b.size - a.size);
  return found[0] ?? null;
}

/** `$.items (list, 8 in the example)`: where the part is, what it is, how large. */
function describePart(part: GrowablePart): string {
  return `${describePath(part.path)} (${part.kind}, ${part.size} in the example)`;
}

/** `$.items`, `$.rows[0].tags`: where the part is. */
function describePath(path: Path): string {
  return `$${path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('')}`;
}

/**
 * A copy of a value made distinct for copy number `copy` (0: the value itself): numbers shifted,
 * words suffixed. A list grown by repeating its items unchanged would let a quadratic
 * de-duplication stay linear (its set of distinct items would not grow).
 */
function distinct(value: Json, copy: number, span: number): Json {
  if (copy === 0) return value;
  if (typeof value === 'number') return value + copy * span;
  if (typeof value === 'string') return copyOfText(value, copy);
  if (isList(value)) return value.map((v) => distinct(v, copy, span));
  if (isObject(value))
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, distinct(v, copy, span)]));
  return value;
}

/** Range of the numbers in a list, plus one: the shift between copies. */
function spanOf(list: readonly Json[]): number {
  const numbers = list.filter((v): v is number => typeof v === 'number');
  if (numbers.length === 0) return 1;
  return Math.ceil(Math.max(...numbers) - Math.min(...numbers)) + 1;
}

/** A text made distinct for copy number `copy`: each word suffixed (copy 0: as it is). */
function copyOfText(text: string, copy: number): string {
  return copy === 0 ? text : text.replace(/[\p{L}\p{N}_]+/gu, (w) => `${w}${copy}`);
}

function grow(value: Json, kind: GrowablePart['kind'], factor: number): Json {
  if (kind === 'list' && isList(value)) {
    const span = spanOf(value);
    return Array.from({ length: value.length * factor }, (_, i) =>
      distinct(value[i % value.length]!, Math.floor(i / value.length), span),
    );
  }
  if (kind === 'dict' && isObject(value)) {
    const out: Record<string, Json> = { ...value };
    for (let copy = 1; copy < factor; copy++)
      for (const [key, v] of Object.entries(value)) out[`${key}_${copy}`] = v;
    return out;
  }
  if (kind === 'text' && typeof value === 'string')
    return Array.from({ length: factor }, (_, copy) => copyOfText(value, copy)).join(' ');
  if (kind === 'count' && typeof value === 'number') return value * factor;
  return value;
}

/** The input with its growable part made `factor` times as large. */
export function scaled(input: Json, part: GrowablePart, factor: number, at = 0): Json {
  if (at === part.path.length) return grow(input, part.kind, factor);
  const key = part.path[at]!;
  if (isList(input) && typeof key === 'number')
    return input.map((v, i) => (i === key ? scaled(v, part, factor, at + 1) : v));
  if (isObject(input) && typeof key === 'string')
    return { ...input, [key]: scaled(input[key]!, part, factor, at + 1) };
  return input;
}

/** Student's t quantile (two-sided 95 %) for small degrees of freedom. */
function t95(df: number): number {
  const table = [12.71, 4.3, 3.18, 2.78, 2.57, 2.45, 2.36, 2.31, 2.26, 2.23, 2.2, 2.18, 2.16, 2.14];
  return df <= 0 ? Infinity : (table[df - 1] ?? 1.96 + 2.5 / df);
}

/** Least-squares slope of log time on log size, with its standard error and 95 % interval. */
export function fitExponent(points: readonly { size: number; ns: number }[]): GrowthFit & {
  readonly se: number;
} {
  const xs = points.map((p) => Math.log(p.size));
  const ys = points.map((p) => Math.log(Math.max(p.ns, 1)));
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (xs[i]! - mx) ** 2;
    sxy += (xs[i]! - mx) * (ys[i]! - my);
  }
  const slope = sxx > 0 ? sxy / sxx : 0;
  let sse = 0;
  for (let i = 0; i < n; i++) sse += (ys[i]! - (my + slope * (xs[i]! - mx))) ** 2;
  const se = n > 2 && sxx > 0 ? Math.sqrt(sse / (n - 2) / sxx) : Infinity;
  const half = t95(n - 2) * se;
  const round = (x: number): number => Math.round(x * 100) / 100;
  return {
    exponent: round(slope),
    low: Number.isFinite(half) ? round(slope - half) : -99,
    high: Number.isFinite(half) ? round(slope + half) : 99,
    se,
  };
}

/** `~n²`, `~n`, `~1`, else `~n^1.4`: the nearest whole power when within 0.25. */
export function growthLabel(exponent: number): string {
  const whole = Math.round(exponent);
  if (Math.abs(exponent - whole) <= 0.25 && whole >= 0 && whole <= 3)
    return ['~1', '~n', '~n²', '~n³'][whole]!;
  return `~n^${exponent.toFixed(1)}`;
}

interface GrowthOptions extends Pick<LaunchOptions, 'sandbox' | 'tuning'> {
  readonly budgetMs: number;
  /** What starting a pair of processes cost in the comparison (ms): sizes the plan. */
  readonly bootMs?: number | undefined;
  /** Told both versions' answers at each size (one call each). */
  readonly onAnswers?: ((answers: InputAnswers) => void) | undefined;
}

/** Both versions of the tool at one input: how the probe gets a version for a grown input. */
type VersionsAt = NonNullable<MeasureOptions['versionsAt']>;

/** Sizes a fit needs. */
const MIN_SIZES = 3;
/**
 * What one size costs beside starting its pair of processes: calibration and the samples of both
 * versions at ≥ 2 ms each, with room for the larger sizes' longer calls (ms).
 */
const SIZE_WORK_MS = 120;
/** Below this budget (ms) a size takes SMALL_SAMPLES samples per version instead of SAMPLES. */
const SMALL_BUDGET_MS = 2500;
const SMALL_SAMPLES = 5;

/**
 * One timed sample, ns per call: the process's CPU time where the harness measures it (time the
 * scheduler gave to other processes is not in it: on a loaded runner that is most of the noise),
 * else wall time. A growth probe compares a version with itself at other sizes, so the clock
 * needs no choosing between two versions as the pair protocol's does.
 */
async function cpuSample(side: Side, child: HarnessChild, deadline: Deadline): Promise<number> {
  const n = side.callsPerSample;
  const reply = await child.request(
    { op: 'run', n },
    deadline.timeout((side.perCallEstimate * n) / 1e6),
  );
  side.perCallEstimate = (reply.ns ?? 0) / n;
  return typeof reply.cpu_ns === 'number' && reply.cpu_ns > 0
    ? reply.cpu_ns / n
    : side.perCallEstimate;
}

/** Timed samples (ns per call) of both versions at one input, or why a version failed there. */
async function timeBoth(
  versions: { readonly old: ToolVersion; readonly new: ToolVersion },
  deadline: Deadline,
  options: GrowthOptions & { readonly samples: number },
): Promise<{ readonly old: number[]; readonly new: number[] } | { readonly failed: string }> {
  const launch = { sandbox: options.sandbox, tuning: options.tuning };
  const [older, newer] = await newSides(
    [
      ['old', versions.old],
      ['new', versions.new],
    ],
    launch,
  );
  const sides = { old: older!, new: newer! };
  const failed = (): { failed: string } => {
    const side = sides.old.error !== undefined ? sides.old : sides.new;
    const name = side.label === 'old' ? 'base' : 'head';
    return { failed: `the ${name} fails (${side.error?.kind ?? 'no answer'})` };
  };
  const children: HarnessChild[] = [];
  try {
    // Both start at once, as a measured pair's do: start-up is most of a size's cost.
    const [a, b] = await Promise.all([boot(sides.old, deadline), boot(sides.new, deadline)]);
    for (const child of [a, b]) if (child !== undefined) children.push(child);
    if (a === undefined || b === undefined) return failed();
    const pairs = [
      [sides.old, a],
      [sides.new, b],
    ] as const;
    const ns: { old: number[]; new: number[] } = { old: [], new: [] };
    // Each version's answer at this size first: a head that hard-codes its examples' answers
    // and is fast and wrong elsewhere answers differently here (compare.ts compares them).
    for (const [side, child] of pairs) await guarded(side, () => checkCall(side, child, deadline));
    options.onAnswers?.(answersOf(sides.old, sides.new, undefined));
    for (const [side, child] of pairs) {
      const ok = await guarded(side, async () => {
        if (side.error !== undefined) return undefined;
        await calibrate(side, child, deadline);
        return true;
      });
      if (ok === undefined) return failed();
    }
    // Samples alternate between the versions: a load change hits both alike.
    for (let i = 0; i < options.samples && (i < 2 || deadline.left() > 0); i++) {
      for (const [side, child] of i % 2 === 0 ? pairs : [...pairs].reverse()) {
        const t = await guarded(side, () => cpuSample(side, child, deadline));
        if (t === undefined) return failed();
        ns[side.label].push(t);
      }
    }
    return ns;
  } finally {
    for (const child of children) child.close();
    cleanup(sides.old.prepared);
    cleanup(sides.new.prepared);
  }
}

/** One size measured: its factor, both versions' samples, its wall time. */
interface SizePoint {
  readonly factor: number;
  readonly old: readonly number[];
  readonly new: readonly number[];
  readonly spentMs: number;
}

/**
 * The rise: the slope of log(head/base) over log size at the last MIN_SIZES sizes, from the
 * samples taken alternately (a load change between sizes hits both versions alike and cancels in
 * the ratio).
 */
function riseOf(points: readonly SizePoint[], size: number): ReturnType<typeof fitExponent> {
  return fitExponent(
    points
      .slice(-MIN_SIZES)
      .flatMap((p) =>
        p.new.map((ns, i) => ({ size: size * p.factor, ns: (ns / (p.old[i] ?? ns)) * 1e6 })),
      ),
  );
}

/**
 * Whether the sizes so far are enough: a call at the largest is long, or both versions grew
 * ENOUGH_GROWTH-fold and the rise is decided (its interval lies above GROWTH_RISE or below it).
 * An undecided rise takes the next size while the budget lasts: an O(n²) head whose quadratic
 * term is still small at ×16 (a JS `includes` over 128 items) shows it at ×64.
 */
function enoughSizes(points: readonly SizePoint[], size: number): boolean {
  if (points.length < MIN_SIZES) return false;
  const [first, last] = [points[0]!, points[points.length - 1]!];
  const callMs = Math.max(median(last.old), median(last.new)) / 1e6;
  if (callMs >= MAX_CALL_MS) return true;
  const grew = Math.min(median(last.old) / median(first.old), median(last.new) / median(first.new));
  if (grew < ENOUGH_GROWTH) return false;
  const rise = riseOf(points, size);
  return rise.low > GROWTH_RISE || rise.high < GROWTH_RISE;
}

/**
 * Time both versions at growing sizes of the input's growable part and fit each one's exponent.
 * Never throws for the tool: a failure at a size ends the probe with what was measured. A budget
 * too small for MIN_SIZES sizes is said with what a size costs here, rather than tried.
 */
export async function probeGrowth(
  input: Json,
  versionsAt: VersionsAt,
  options: GrowthOptions,
): Promise<Growth> {
  const part = growablePart(input);
  if (part === null) return { part: null, reason: 'no part of the input can grow' };
  const started = Date.now();
  const deadline = new Deadline(started + options.budgetMs);
  const where = describePart(part);
  const samples = options.budgetMs < SMALL_BUDGET_MS ? SMALL_SAMPLES : SAMPLES;
  if (options.bootMs !== undefined) {
    const needMs = Math.round(MIN_SIZES * (options.bootMs + SIZE_WORK_MS));
    if (needMs > options.budgetMs)
      return {
        part: where,
        reason: `growth not measured: ${MIN_SIZES} sizes need ~${needMs} ms (each a fresh pair of processes, ~${Math.round(options.bootMs)} ms to start here), ${Math.max(0, Math.round(options.budgetMs))} ms of the budget was left for them`,
      };
  }
  const points: SizePoint[] = [];
  let stop: string | null = null;
  for (
    let step = 0, factor = 1;
    step <= MAX_STEPS && !enoughSizes(points, part.size);
    step++, factor *= 4
  ) {
    const last = points[points.length - 1];
    // The next size may cost 16× a call (a quadratic version): never start what cannot finish.
    const callMs = last === undefined ? 0 : Math.max(median(last.old), median(last.new)) / 1e6;
    if (last !== undefined && last.spentMs + 2 * 16 * callMs * (samples + 3) > deadline.left()) {
      stop = `the budget left ${Math.max(0, deadline.left())} ms after ×${last.factor}, a size took ${last.spentMs} ms`;
      break;
    }
    const sizeStart = Date.now();
    const timed = await timeBoth(versionsAt(scaled(input, part, factor)), deadline, {
      ...options,
      samples,
      // At the example's own size the answers are the example's, compared already.
      onAnswers: factor === 1 ? undefined : options.onAnswers,
    });
    if ('failed' in timed) {
      stop = `at ×${factor} ${timed.failed}`;
      break;
    }
    points.push({ factor, ...timed, spentMs: Date.now() - sizeStart });
  }
  const wallMs = Date.now() - started;
  if (points.length < MIN_SIZES)
    return {
      part: where,
      reason: `growth not measured: ${points.length} of ${MIN_SIZES} sizes in ${wallMs} ms (${stop ?? 'sizes ran out'})`,
    };
  const fitted = points.slice(-MIN_SIZES);
  const fit = (which: 'old' | 'new') =>
    fitExponent(fitted.flatMap((p) => p[which].map((ns) => ({ size: part.size * p.factor, ns }))));
  const [oldFit, newFit] = [fit('old'), fit('new')];
  const rise = riseOf(points, part.size);
  const largest = points[points.length - 1]!;
  const strip = ({ se: _se, ...f }: GrowthFit & { se: number }): GrowthFit => f;
  return {
    part: where,
    factors: points.map((p) => p.factor),
    old: strip(oldFit),
    new: strip(newFit),
    rises: rise.low > GROWTH_RISE,
    largest_factor: largest.factor,
    ratio_at_largest: Math.round((median(largest.new) / median(largest.old)) * 1000) / 1000,
    wall_ms: wallMs,
  };
}

/** "head grows ~n² (base ~n) in $.items: at ×64 the head takes 5.2× the base's time". */
export function describeGrowth(g: Growth): string {
  if (g.old === undefined || g.new === undefined)
    return g.part === null ? `${g.reason}: growth not measured` : `${g.part}: ${g.reason}`;
  const interval = (f: GrowthFit): string =>
    `n^${f.exponent.toFixed(2)}, 95 % [${f.low.toFixed(2)}, ${f.high.toFixed(2)}]`;
  return `head grows ${growthLabel(g.new.exponent)} (${interval(g.new)}), base ${growthLabel(g.old.exponent)} (${interval(g.old)}) over ${g.part} ×${g.factors?.join(', ×') ?? ''}; at ×${g.largest_factor} the head takes ${g.ratio_at_largest?.toFixed(2)}× the base's time${g.rises ? ': the exponent rises beyond noise' : ''}`;
}
