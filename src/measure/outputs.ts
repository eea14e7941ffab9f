/**
 * What a tool answered, and whether two versions answered the same. Pure: output texts in (what
 * the harness's `check` call returned: the function's result as JSON, or a script's stdout),
 * findings out.
 *
 * - An answer is read as JSON; a script's stdout is read as the JSON it prints (its last line
 *   that parses, when it logs before it answers), else compared as text.
 * - Two answers are the same when they are equal as canonical JSON: object keys in any order,
 *   numbers equal within a relative tolerance (`OUTPUT_TOLERANCE`). Lists keep their order (a
 *   wrong sort is a wrong answer); Python sets reach us as sorted lists (harness/python.py).
 * - `{"success": false, …}`, or an `error` with no `result`, is the tool saying it failed.
 * - A version whose answers to the same input differ between calls is nondeterministic (time,
 *   randomness): its difference from the other version is said, never held against it.
 */
import type { Json, OutputComparison, ToolError } from '../domain/types.js';

/** Numbers are equal when |a − b| ≤ this × max(|a|, |b|) (or both below it in magnitude). */
const OUTPUT_TOLERANCE = 1e-6;

/** How much of a value a diff shows. */
const DIFF_VALUE_CHARS = 60;

function parseJson(text: string): { ok: true; value: Json } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) as Json };
  } catch {
    return { ok: false };
  }
}

/** A script's stdout as the JSON it prints: the whole text, else its last line that parses. */
function stdoutValue(text: string): Json {
  const whole = parseJson(text.trim());
  if (whole.ok) return whole.value;
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = parseJson(lines[i]!.trim());
    if (line.ok && typeof line.value === 'object' && line.value !== null) return line.value;
  }
  return text;
}

/**
 * The answer an output text holds. The harness sends JSON text; a string inside it (a script's
 * stdout, or a function that returns JSON text) is read as the JSON it holds.
 */
export function answerOf(output: string): Json {
  const outer = parseJson(output);
  if (!outer.ok) return stdoutValue(output);
  return typeof outer.value === 'string' ? stdoutValue(outer.value) : outer.value;
}

const isList = (v: Json): v is readonly Json[] => Array.isArray(v);

const isObject = (v: Json): v is { readonly [key: string]: Json } =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The failure a tool reports in its answer (`success: false`, or `error` without `result`). */
export function reportedFailure(output: string): ToolError | null {
  const answer = answerOf(output);
  if (!isObject(answer)) return null;
  const error = answer['error'];
  const failed = answer['success'] === false || (isTruthy(error) && !('result' in answer));
  if (!failed) return null;
  const said = [error, answer['message'], answer['reason']].find(isTruthy);
  const text = said === undefined ? JSON.stringify(answer) : textOf(said);
  return { kind: 'reported', message: `the tool reported a failure: ${clip(text, 300)}` };
}

function isTruthy(v: Json | undefined): boolean {
  return v !== undefined && v !== null && v !== false && v !== '' && v !== 0;
}

const textOf = (v: Json): string => (typeof v === 'string' ? v : JSON.stringify(v));

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** One value shown in a diff: JSON text (escaped: no raw newline or control character), clipped. */
function shown(v: Json | undefined): string {
  return v === undefined ? '(absent)' : clip(JSON.stringify(v), DIFF_VALUE_CHARS);
}

function numbersClose(a: number, b: number, tolerance: number): boolean {
  if (a === b) return true;
  const scale = Math.max(Math.abs(a), Math.abs(b));
  return Math.abs(a - b) <= tolerance * Math.max(scale, 1);
}

/**
 * The first place two answers differ, as `at $.items[2]: 7 ≠ 6` (escaped, clipped), or null when
 * they are the same answer.
 */
export function firstDifference(
  a: Json,
  b: Json,
  tolerance = OUTPUT_TOLERANCE,
  at = '$',
): string | null {
  if (typeof a === 'number' && typeof b === 'number')
    return numbersClose(a, b, tolerance) ? null : `at ${at}: ${shown(a)} ≠ ${shown(b)}`;
  if (isList(a) && isList(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      const d = firstDifference(a[i] ?? null, b[i] ?? null, tolerance, `${at}[${i}]`);
      if (d !== null) return d;
    }
    return a.length === b.length
      ? null
      : `at ${at}: ${a.length} items ≠ ${b.length} items (first extra ${shown(a.length > b.length ? a[b.length] : b[a.length])})`;
  }
  if (isObject(a) && isObject(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    for (const key of keys) {
      const path = /^[A-Za-z_]\w*$/.test(key) ? `${at}.${key}` : `${at}[${JSON.stringify(key)}]`;
      if (!(key in a) || !(key in b)) return `at ${path}: ${shown(a[key])} ≠ ${shown(b[key])}`;
      const d = firstDifference(a[key]!, b[key]!, tolerance, path);
      if (d !== null) return d;
    }
    return null;
  }
  return a === b ? null : `at ${at}: ${shown(a)} ≠ ${shown(b)}`;
}

/** What each version answered to one input: every call's output text, in order. */
export interface InputAnswers {
  readonly old: readonly string[];
  readonly new: readonly string[];
  /** The output the example states, when it states one. */
  readonly expected?: { readonly value: Json } | undefined;
}

/** Whether a version gave different answers to the same input. */
function varies(outputs: readonly string[], tolerance: number): boolean {
  const answers = outputs.map(answerOf);
  return answers.some((a) => firstDifference(answers[0]!, a, tolerance) !== null);
}

/**
 * Compare both versions' answers over the inputs both answered. Null when no input has an answer
 * from both versions.
 */
export function compareOutputs(
  perInput: readonly InputAnswers[],
  tolerance = OUTPUT_TOLERANCE,
): OutputComparison | null {
  const answered = perInput.filter((p) => p.old.length > 0 && p.new.length > 0);
  if (answered.length === 0) return null;
  const nondeterministic = new Set<'old' | 'new'>();
  let differing = 0;
  let diff: string | null = null;
  let checked = 0;
  let oldMatches = 0;
  let newMatches = 0;
  let expectedDiff: string | null = null;
  for (const input of answered) {
    const oldVaries = varies(input.old, tolerance);
    const newVaries = varies(input.new, tolerance);
    if (oldVaries) nondeterministic.add('old');
    if (newVaries) nondeterministic.add('new');
    const [a, b] = [answerOf(input.old[0]!), answerOf(input.new[0]!)];
    const d = firstDifference(a, b, tolerance);
    if (d !== null && !oldVaries && !newVaries) {
      differing++;
      diff ??= d;
    }
    if (input.expected !== undefined) {
      checked++;
      const want = input.expected.value;
      if (firstDifference(want, a, tolerance) === null) oldMatches++;
      const headMiss = firstDifference(want, b, tolerance);
      if (headMiss === null) newMatches++;
      else expectedDiff ??= headMiss;
    }
  }
  return {
    inputs: answered.length,
    differing,
    diff,
    nondeterministic: [...nondeterministic].sort(),
    tolerance,
    ...(checked === 0
      ? {}
      : {
          expected: {
            checked,
            old_matches: oldMatches,
            new_matches: newMatches,
            ...(expectedDiff === null ? {} : { new_diff: `expected ≠ head ${expectedDiff}` }),
          },
        }),
  };
}

/** The row's line about outputs: "outputs differ on 1 of 1 input (at $.n: 3 ≠ 2)", or null. */
export function describeOutputs(o: OutputComparison): string | null {
  const parts: string[] = [];
  const of = `${o.inputs} input${o.inputs === 1 ? '' : 's'}`;
  if (o.differing > 0)
    parts.push(`outputs differ on ${o.differing} of ${of}${o.diff === null ? '' : ` (${o.diff})`}`);
  if (o.nondeterministic.length > 0)
    parts.push(
      `nondeterministic output (${o.nondeterministic.map((s) => (s === 'old' ? 'base' : 'head')).join(' and ')}: two calls on the same input differ), not compared`,
    );
  const e = o.expected;
  if (e !== undefined)
    parts.push(
      `expected output of ${e.checked} example${e.checked === 1 ? '' : 's'}: base gives it on ${e.old_matches}, head on ${e.new_matches}`,
    );
  return parts.length === 0 ? null : parts.join('; ');
}
