/**
 * What a tool answered, and whether two versions answered the same. Pure: output texts in (what
 * the harness's `check` call returned: the function's result as JSON, or a script's stdout),
 * findings out.
 *
 * - An answer is read as JSON; a script's stdout is read as the JSON it prints (its last line
 *   that parses, when it logs before it answers), else compared as text.
 * - Two answers are the same when they are equal as canonical JSON: object keys in any order,
 *   numbers equal within a relative tolerance (`OUTPUT_TOLERANCE`), sets in any order. Lists keep
 *   their order (a wrong sort is a wrong answer). The harnesses send a Python set or frozenset,
 *   and a JS Set, as `{"\u0000set": [items]}` and a JS Map as `{"\u0000map": [[key, value], …]}`,
 *   and escape a key of the tool's own that starts with NUL by one more NUL, so nothing a tool
 *   returns reads as a set but a set (harness/python.py, harness/node.mjs).
 * - `{"success": false, …}`, or an `error` with no `result`, is the tool saying it failed.
 * - A version whose answers to the same input differ between calls varies there (time,
 *   randomness). A difference is excused only where *both* versions vary: a head that answers
 *   noise around a wrong value where the base's answer is stable has changed its answer (a
 *   forged nondeterminism is no excuse, test/measure/outputs.test.ts).
 */
import type { Json, OutputComparison, ToolError } from '../domain/types.js';

/** Numbers are equal when |a − b| ≤ this × max(|a|, |b|) (or both below it in magnitude). */
const OUTPUT_TOLERANCE = 1e-6;

/** How much of a value a diff shows. */
const DIFF_VALUE_CHARS = 60;

/** The keys the harnesses mark an unordered collection with (see the file's comment). */
const SET_KEY = '\u0000set';
const MAP_KEY = '\u0000map';

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

/** The items of an unordered collection the harness marked (`set` or `map`), or null. */
function collectionOf(v: Json): { kind: 'set' | 'map'; items: readonly Json[] } | null {
  if (!isObject(v)) return null;
  const keys = Object.keys(v);
  if (keys.length !== 1) return null;
  const kind = keys[0] === SET_KEY ? 'set' : keys[0] === MAP_KEY ? 'map' : null;
  const items = v[keys[0]!];
  return kind !== null && items !== undefined && isList(items) ? { kind, items } : null;
}

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

/** A value as JSON text with sets written `set[…]` and escaped keys unescaped. */
function display(v: Json): string {
  const c = collectionOf(v);
  if (c !== null) return `${c.kind}[${c.items.map(display).join(',')}]`;
  if (isList(v)) return `[${v.map(display).join(',')}]`;
  if (isObject(v))
    return `{${Object.entries(v)
      .map(([k, x]) => `${JSON.stringify(k.startsWith('\u0000') ? k.slice(1) : k)}:${display(x)}`)
      .join(',')}}`;
  return JSON.stringify(v);
}

/** One value shown in a diff: JSON text (escaped: no raw newline or control character), clipped. */
function shown(v: Json | undefined): string {
  return v === undefined ? '(absent)' : clip(display(v), DIFF_VALUE_CHARS);
}

function numbersClose(a: number, b: number, tolerance: number): boolean {
  if (a === b) return true;
  const scale = Math.max(Math.abs(a), Math.abs(b));
  return Math.abs(a - b) <= tolerance * Math.max(scale, 1);
}

/**
 * A total order on values for sorting a set's items, the same on both sides: numbers by value,
 * everything else by its canonical text (keys sorted, sets sorted).
 */
function canonical(v: Json): string {
  const c = collectionOf(v);
  if (c !== null) return `${c.kind}[${sortedItems(c.items).map(canonical).join(',')}]`;
  if (isList(v)) return `[${v.map(canonical).join(',')}]`;
  if (isObject(v))
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(v[k]!)}`)
      .join(',')}}`;
  return JSON.stringify(v);
}

function sortedItems(items: readonly Json[]): Json[] {
  return [...items].sort((a, b) =>
    typeof a === 'number' && typeof b === 'number'
      ? a - b
      : typeof a === 'number'
        ? -1
        : typeof b === 'number'
          ? 1
          : canonical(a) < canonical(b)
            ? -1
            : canonical(a) > canonical(b)
              ? 1
              : 0,
  );
}

/** One place two answers differ: where (`$.items[2]`) and how (`at $.items[2]: 7 ≠ 6`). */
interface Difference {
  readonly path: string;
  readonly text: string;
}

const keyPath = (at: string, key: string): string => {
  const name = key.startsWith('\u0000') ? key.slice(1) : key;
  return /^[A-Za-z_]\w*$/.test(name) ? `${at}.${name}` : `${at}[${JSON.stringify(name)}]`;
};

/** How far `differences` walks: at most `limit` differences, never inside a path `skip` names. */
interface Walk {
  readonly tolerance: number;
  readonly limit: number;
  readonly skip?: ((path: string) => boolean) | undefined;
}

/** Every place two answers differ (at most `walk.limit`), appended to `out`. */
function differences(a: Json, b: Json, walk: Walk, at: string, out: Difference[]): void {
  if (out.length >= walk.limit || walk.skip?.(at) === true) return;
  const differ = (): void =>
    void out.push({ path: at, text: `at ${at}: ${shown(a)} ≠ ${shown(b)}` });
  if (typeof a === 'number' && typeof b === 'number') {
    if (!numbersClose(a, b, walk.tolerance)) differ();
    return;
  }
  const [ca, cb] = [collectionOf(a), collectionOf(b)];
  if (ca !== null || cb !== null) {
    if (ca === null || cb === null || ca.kind !== cb.kind) return differ();
    // Unordered: sorted the same way on both sides, then item by item.
    const [sa, sb] = [sortedItems(ca.items), sortedItems(cb.items)];
    const inner: Difference[] = [];
    const once = { tolerance: walk.tolerance, limit: 1 };
    for (let i = 0; i < Math.min(sa.length, sb.length) && inner.length === 0; i++)
      differences(sa[i]!, sb[i]!, once, at, inner);
    if (inner.length > 0 || sa.length !== sb.length) differ();
    return;
  }
  if (isList(a) && isList(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i++)
      differences(a[i]!, b[i]!, walk, `${at}[${i}]`, out);
    if (a.length !== b.length && out.length < walk.limit)
      out.push({
        path: at,
        text: `at ${at}: ${a.length} items ≠ ${b.length} items (first extra ${shown(a.length > b.length ? a[b.length] : b[a.length])})`,
      });
    return;
  }
  if (isObject(a) && isObject(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    for (const key of keys) {
      const path = keyPath(at, key);
      if (out.length >= walk.limit) return;
      if (!(key in a) || !(key in b)) {
        if (walk.skip?.(path) !== true)
          out.push({ path, text: `at ${path}: ${shown(a[key])} ≠ ${shown(b[key])}` });
      } else differences(a[key]!, b[key]!, walk, path, out);
    }
    return;
  }
  if (a !== b) differ();
}

/**
 * The first place two answers differ, as `at $.items[2]: 7 ≠ 6` (escaped, clipped), or null when
 * they are the same answer.
 */
export function firstDifference(a: Json, b: Json, tolerance = OUTPUT_TOLERANCE): string | null {
  const out: Difference[] = [];
  differences(a, b, { tolerance, limit: 1 }, '$', out);
  return out[0]?.text ?? null;
}

/** What each version answered to one input: every call's output text, in order. */
export interface InputAnswers {
  readonly old: readonly string[];
  readonly new: readonly string[];
  /** The version failed on this input (a crash, `{"success": false}`): it has no answer. */
  readonly oldError?: ToolError | undefined;
  readonly newError?: ToolError | undefined;
  /** The output the example states, when it states one. */
  readonly expected?: { readonly value: Json } | undefined;
  /** An example grown by the growth probe (growth.ts), not one of the tool's own inputs. */
  readonly grown?: boolean | undefined;
}

/** The paths at which a version's answers to one input differ between its calls. */
function varyingPaths(answers: readonly Json[], tolerance: number): string[] {
  const paths = new Set<string>();
  for (const answer of answers.slice(1)) {
    const out: Difference[] = [];
    differences(answers[0]!, answer, { tolerance, limit: Infinity }, '$', out);
    for (const d of out) paths.add(d.path);
  }
  return [...paths];
}

/**
 * `path` is one of `parts` or inside one (`$.a[1]` is inside `$.a`, `$.ab` is not): its prefixes
 * that end where a key or an index begins are looked up, so a check costs the path's length.
 */
function inside(path: string, parts: ReadonlySet<string>): boolean {
  if (parts.has(path)) return true;
  for (let i = path.length - 1; i > 0; i--) {
    const c = path[i];
    if ((c === '.' || c === '[') && parts.has(path.slice(0, i))) return true;
  }
  return false;
}

const sideName = (s: 'old' | 'new'): string => (s === 'old' ? 'base' : 'head');

/** Where each version's answers vary between calls, over every input both answered. */
interface Varying {
  readonly old: ReadonlySet<string>;
  readonly new: ReadonlySet<string>;
  /** Where the head varies inside a part where the base varies too: excused. */
  readonly both: ReadonlySet<string>;
}

/**
 * Where the versions vary, from every input both answered: a version that varies somewhere on
 * one input (a process id, a start time) may look stable on another it answered twice in one
 * process, so what varies is a property of the version, not of the input.
 */
function varyingOf(inputs: readonly InputAnswers[], tolerance: number): Varying {
  const old = new Set<string>();
  const neu = new Set<string>();
  for (const input of inputs) {
    if (input.old.length === 0 || input.new.length === 0) continue;
    for (const p of varyingPaths(input.old.map(answerOf), tolerance)) old.add(p);
    for (const p of varyingPaths(input.new.map(answerOf), tolerance)) neu.add(p);
  }
  const both = new Set([...neu].filter((n) => inside(n, old)));
  return { old, new: neu, both };
}

/** How one input's answers compare: the first difference that counts, or null. */
function compareInput(input: InputAnswers, tolerance: number, varying: Varying): string | null {
  const error = (e: ToolError): string => `${e.kind}: ${clip(e.message.split('\n')[0]!, 80)}`;
  if (input.old.length === 0 || input.new.length === 0) {
    if (input.new.length === 0 && input.newError !== undefined)
      return `the head fails (${error(input.newError)}) where the base answers`;
    return input.oldError === undefined
      ? null
      : `the base fails (${error(input.oldError)}) where the head answers`;
  }
  const old = input.old.map(answerOf);
  const neu = input.new.map(answerOf);
  // The head varies where the base's answer is stable (or wider than where the base varies):
  // noise around a value is not the value.
  const forged = varyingPaths(neu, tolerance).find((n) => !inside(n, varying.old));
  if (forged !== undefined)
    return `at ${forged}: the head's answer varies between calls, the base's does not`;
  // The first difference outside every part where both versions vary.
  const out: Difference[] = [];
  const skip = (path: string): boolean => inside(path, varying.both);
  differences(old[0]!, neu[0]!, { tolerance, limit: 1, skip }, '$', out);
  return out[0]?.text ?? null;
}

/**
 * Compare both versions' answers over every input at least one of them answered. An input one
 * version answers and the other fails on is a difference; an input both fail on is left out.
 * Null when no input has an answer.
 */
export function compareOutputs(
  perInput: readonly InputAnswers[],
  tolerance = OUTPUT_TOLERANCE,
): OutputComparison | null {
  const answered = perInput.filter(
    (p) =>
      (p.old.length > 0 || p.oldError !== undefined) &&
      (p.new.length > 0 || p.newError !== undefined) &&
      (p.old.length > 0 || p.new.length > 0),
  );
  if (answered.length === 0) return null;
  const varying = varyingOf(answered, tolerance);
  let differing = 0;
  let diff: string | null = null;
  let checked = 0;
  let oldMatches = 0;
  let newMatches = 0;
  let expectedDiff: string | null = null;
  for (const input of answered) {
    const d = compareInput(input, tolerance, varying);
    if (d !== null) {
      differing++;
      diff ??= clip(d, 400);
    }
    if (input.expected !== undefined) {
      checked++;
      const want = input.expected.value;
      if (
        input.old.length > 0 &&
        firstDifference(want, answerOf(input.old[0]!), tolerance) === null
      )
        oldMatches++;
      const headMiss =
        input.new.length > 0
          ? firstDifference(want, answerOf(input.new[0]!), tolerance)
          : `the head fails (${input.newError?.kind ?? 'no answer'})`;
      if (headMiss === null) newMatches++;
      else expectedDiff ??= clip(headMiss, 400);
    }
  }
  const nondeterministic = (['new', 'old'] as const).filter((s) => varying[s].size > 0);
  return {
    inputs: answered.length,
    ...(answered.some((a) => a.grown === true)
      ? { grown: answered.filter((a) => a.grown === true).length }
      : {}),
    differing,
    diff,
    nondeterministic,
    ...(varying.both.size === 0
      ? {}
      : { varying: [...varying.both].slice(0, 5).map((p) => clip(p, 200)) }),
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

/** `nondeterministic output (head and base vary between calls at $.id): not weighed there`. */
export function describeVarying(o: OutputComparison): string | null {
  if (o.nondeterministic.length === 0) return null;
  const where =
    o.varying === undefined || o.varying.length === 0 ? '' : ` at ${o.varying.join(', ')}`;
  return `nondeterministic output (${o.nondeterministic.map(sideName).join(' and ')}: two calls on the same input differ${where}): differences where both vary are not weighed`;
}

/** `outputs differ on 3 of 4 inputs (at $.n: 3 ≠ 2)`: the first difference; null when none. */
export function describeDiffering(o: OutputComparison): string | null {
  if (o.differing === 0) return null;
  const of = `${o.inputs} input${o.inputs === 1 ? '' : 's'}`;
  const grown = o.grown === undefined ? '' : `, ${o.grown} grown from the example`;
  return `outputs differ on ${o.differing} of ${of}${grown}${o.diff === null ? '' : ` (${o.diff})`}`;
}

/** The row's line about outputs: "outputs differ on 1 of 1 input (at $.n: 3 ≠ 2)", or null. */
export function describeOutputs(o: OutputComparison): string | null {
  const parts: string[] = [];
  const differing = describeDiffering(o);
  if (differing !== null) parts.push(differing);
  const varying = describeVarying(o);
  if (varying !== null) parts.push(varying);
  const e = o.expected;
  if (e !== undefined)
    parts.push(
      `expected output of ${e.checked} example${e.checked === 1 ? '' : 's'}: base gives it on ${e.old_matches}, head on ${e.new_matches}`,
    );
  return parts.length === 0 ? null : parts.join('; ');
}
