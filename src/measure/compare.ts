/**
 * One tool's comparison over its usable inputs (issue 24), inside one budget:
 *
 * 1. Where the tool has several usable inputs, both versions' answers on each (at most
 *    MAX_INPUTS, while ANSWERS_SHARE of the budget lasts), each input in a fresh pair of
 *    processes, two calls per version.
 * 2. The pair protocol (protocol.ts) on the first input the base answers: an example the base
 *    cannot run measures nothing, and where both versions fail on the first the next is used.
 *    A head that fails where the base runs is a finding, never a reason to move on. Where the
 *    base answers none, the first the head answers (judged without a time comparison), else the
 *    first: both fail, "no working input".
 * 3. The growth probe (growth.ts) on the timed input; both versions answer each grown copy of it.
 * 4. outputs.ts compares the answers on every input: the usable ones (the timed input's own calls
 *    added) and the grown copies.
 */
import type { MeasureOptions } from '../domain/ports.js';
import type { Comparison, Growth, TestCase, ToolVersion } from '../domain/types.js';
import type { HarnessChild } from './child.js';
import { growablePart, probeGrowth } from './growth.js';
import { cleanup } from './launch.js';
import type { LaunchOptions } from './launch.js';
import { DEFAULT_TUNING } from './tuning.js';
import type { MeasureTuning } from './tuning.js';
import { compareOutputs } from './outputs.js';
import type { InputAnswers } from './outputs.js';
import {
  Deadline,
  answersOf,
  boot,
  checkCall,
  comparePair,
  guarded,
  measureOnInput,
  newSides,
} from './protocol.js';

/** Usable inputs beyond this many are not run (a YAML may list dozens of examples). */
const MAX_INPUTS = 8;
/** The most of the budget the answers on several inputs may take. */
const ANSWERS_SHARE = 0.4;
/**
 * The budget's share reserved for the growth probe when the input has a part that grows and the
 * budget is at least RESERVE_FROM_MS; below that the probe gets what the comparison left.
 */
const GROWTH_SHARE = 0.25;
const RESERVE_FROM_MS = 4000;
/** The timing always gets at least this share of the budget. */
const TIMING_SHARE = 0.5;

/** Both versions at another input. */
type VersionsAt = NonNullable<MeasureOptions['versionsAt']>;

/** The comparison of one tool over its inputs (see the file's comment). Never throws for the tool. */
export async function compareTool(
  oldVersion: ToolVersion,
  newVersion: ToolVersion,
  options: MeasureOptions,
  tuning: MeasureTuning = DEFAULT_TUNING,
): Promise<Comparison> {
  const versionsAt = options.versionsAt;
  const cases = (options.cases ?? [{ input: oldVersion.testInput }]).slice(0, MAX_INPUTS);
  if (versionsAt === undefined || cases.length === 0)
    return comparePair(oldVersion, newVersion, { ...options, cases: cases.slice(0, 1) }, tuning);
  const budget = options.budgetMs;
  const started = Date.now();
  const end = started + budget;
  const checked =
    cases.length > 1
      ? await answersOnEach(
          cases,
          versionsAt,
          { sandbox: options.sandbox, tuning },
          Date.now() + budget * ANSWERS_SHARE,
        )
      : new Map<number, InputAnswers>();
  const index = inputToTime(checked);
  const timed = cases[index]!;
  const growthReserve =
    growablePart(timed.input) !== null && budget >= RESERVE_FROM_MS ? budget * GROWTH_SHARE : 0;
  const versions = index === 0 ? { old: oldVersion, new: newVersion } : versionsAt(timed.input);
  const { comparison: c, answers } = await measureOnInput(
    versions.old,
    versions.new,
    {
      ...options,
      cases: [timed],
      budgetMs: Math.max(end - growthReserve - Date.now(), budget * TIMING_SHARE),
    },
    tuning,
  );
  const grown: InputAnswers[] = [];
  const growth = await growthOf(c, timed, versionsAt, options, tuning, {
    budgetMs: Math.max(end - Date.now(), growthReserve),
    onAnswers: (a) => grown.push(a),
  });
  const outputs = compareOutputs([
    ...cases.flatMap((_, i) => {
      const both = [checked.get(i), i === index ? answers : undefined].filter(
        (a): a is InputAnswers => a !== undefined,
      );
      return both.length === 0 ? [] : [both.reduce(merged)];
    }),
    ...grown.map((a) => ({ ...a, grown: true })),
  ]);
  return {
    ...c,
    // The whole comparison: the answers, the timing and the growth probe.
    wall_ms: Date.now() - started,
    ...(outputs === null ? {} : { outputs }),
    ...(growth === undefined ? {} : { growth }),
    ...(cases.length > 1
      ? { input: { index, of: cases.length, tried: Math.max(checked.size, 1) } }
      : {}),
  };
}

/** The input to time: the first the base answered, else the first the head answered, else 0. */
function inputToTime(checked: ReadonlyMap<number, InputAnswers>): number {
  const first = (answered: (a: InputAnswers) => boolean): number | undefined =>
    [...checked].find(([, a]) => answered(a))?.[0];
  return first((a) => a.old.length > 0) ?? first((a) => a.new.length > 0) ?? 0;
}

/** Two sets of answers to one input, as one: every call's answer, a failure on either wins. */
function merged(a: InputAnswers, b: InputAnswers): InputAnswers {
  const oldError = a.oldError ?? b.oldError;
  const newError = a.newError ?? b.newError;
  return {
    old: oldError === undefined ? [...a.old, ...b.old] : [],
    new: newError === undefined ? [...a.new, ...b.new] : [],
    ...(oldError === undefined ? {} : { oldError }),
    ...(newError === undefined ? {} : { newError }),
    ...(a.expected === undefined ? {} : { expected: a.expected }),
  };
}

/**
 * Both versions' answers on each input, in order, while time lasts (until `end`): an input is not
 * started when the last one took longer than what is left. Keyed by the input's position.
 */
export async function answersOnEach(
  cases: readonly TestCase[],
  versionsAt: VersionsAt,
  launch: Pick<LaunchOptions, 'sandbox' | 'tuning'>,
  end: number,
): Promise<Map<number, InputAnswers>> {
  const out = new Map<number, InputAnswers>();
  let lastMs = 0;
  for (let i = 0; i < cases.length; i++) {
    if (i > 0 && end - Date.now() < lastMs * 1.2) break;
    const start = Date.now();
    out.set(i, await answersAt(versionsAt(cases[i]!.input), cases[i]!.expected, end, launch));
    lastMs = Date.now() - start;
  }
  return out;
}

/**
 * Both versions' answers to one input: each version in a fresh process, both at once, two calls
 * each (a second answer that differs from the first shows where a version varies).
 */
async function answersAt(
  versions: { readonly old: ToolVersion; readonly new: ToolVersion },
  expected: TestCase['expected'],
  end: number,
  launch: Pick<LaunchOptions, 'sandbox' | 'tuning'>,
): Promise<InputAnswers> {
  const deadline = new Deadline(end);
  const [older, newer] = await newSides(
    [
      ['old', versions.old],
      ['new', versions.new],
    ],
    launch,
  );
  const sides = [older!, newer!] as const;
  const children: HarnessChild[] = [];
  try {
    await Promise.all(
      sides.map(async (side) => {
        const child = await boot(side, deadline);
        if (child === undefined) return;
        children.push(child);
        await guarded(side, async () => {
          await checkCall(side, child, deadline);
          await checkCall(side, child, deadline);
        });
      }),
    );
    return answersOf(sides[0], sides[1], expected);
  } finally {
    for (const child of children) child.close();
    for (const side of sides) cleanup(side.prepared);
  }
}

/** The growth probe on the timed input, when both versions ran on it; else undefined. */
async function growthOf(
  c: Comparison,
  timed: TestCase,
  versionsAt: VersionsAt,
  options: MeasureOptions,
  tuning: MeasureTuning,
  probe: { readonly budgetMs: number; readonly onAnswers: (answers: InputAnswers) => void },
): Promise<Growth | undefined> {
  if (growablePart(timed.input) === null)
    return { part: null, reason: 'no part of the input can grow' };
  if (c.old.error !== undefined || c.new.error !== undefined) return undefined;
  return probeGrowth(timed.input, versionsAt, {
    ...probe,
    sandbox: options.sandbox,
    tuning,
    ...(c.diagnostics === undefined ? {} : { bootMs: c.diagnostics.boot_ms }),
  });
}

/**
 * `measured on usable input 2 of 4 (the base fails on input 1)`: where the figures come from,
 * when not from the first input; null otherwise.
 */
export function describeInputUsed(c: Comparison): string | null {
  const used = c.input;
  if (used === undefined || used.index === 0) return null;
  const before = used.index === 1 ? 'input 1' : `inputs 1–${used.index}`;
  return `measured on usable input ${used.index + 1} of ${used.of} (the base fails on ${before})`;
}
