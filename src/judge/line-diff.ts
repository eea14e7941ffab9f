/**
 * A small unified line diff for the judge's prompt. Pure. Common prefix and suffix are trimmed
 * first; the middle is diffed by LCS when small enough, else shown as one replaced block. The
 * output is bounded in characters so a huge change cannot crowd the evidence out of the context.
 */

type Op = { readonly kind: ' ' | '-' | '+'; readonly line: string };

/** LCS cells allowed before falling back to one replaced block (memory ~ 4 bytes a cell). */
const MAX_CELLS = 4_000_000;

function middleOps(a: readonly string[], b: readonly string[]): Op[] {
  const n = a.length;
  const m = b.length;
  if (n === 0 || m === 0 || n * m > MAX_CELLS) {
    return [
      ...a.map((line) => ({ kind: '-' as const, line })),
      ...b.map((line) => ({ kind: '+' as const, line })),
    ];
  }
  // lcs[i][j] = LCS length of a[i..] and b[j..], in one flat array.
  const width = m + 1;
  const lcs = new Uint32Array((n + 1) * width);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i * width + j] =
        a[i] === b[j]
          ? (lcs[(i + 1) * width + j + 1] ?? 0) + 1
          : Math.max(lcs[(i + 1) * width + j] ?? 0, lcs[i * width + j + 1] ?? 0);
    }
  }
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      ops.push({ kind: ' ', line: a[i] ?? '' });
      i++;
      j++;
    } else if ((lcs[(i + 1) * width + j] ?? 0) >= (lcs[i * width + j + 1] ?? 0)) {
      ops.push({ kind: '-', line: a[i] ?? '' });
      i++;
    } else {
      ops.push({ kind: '+', line: b[j] ?? '' });
      j++;
    }
  }
  for (; i < n; i++) ops.push({ kind: '-', line: a[i] ?? '' });
  for (; j < m; j++) ops.push({ kind: '+', line: b[j] ?? '' });
  return ops;
}

function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** The edit script between two texts, line by line. */
export function diffLines(oldText: string, newText: string): Op[] {
  const a = splitLines(oldText);
  const b = splitLines(newText);
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  return [
    ...a.slice(0, start).map((line) => ({ kind: ' ' as const, line })),
    ...middleOps(a.slice(start, endA), b.slice(start, endB)),
    ...a.slice(endA).map((line) => ({ kind: ' ' as const, line })),
  ];
}

/**
 * A unified diff (`--- old`, `+++ new`, `@@ -a,b +c,d @@` hunks with `context` lines around
 * each change), cut at `maxChars` with a final `... (diff truncated)` line. '' when equal.
 */
export function unifiedDiff(
  oldText: string,
  newText: string,
  options: { context?: number; maxChars?: number } = {},
): string {
  const context = options.context ?? 3;
  const maxChars = options.maxChars ?? 12_000;
  const ops = diffLines(oldText, newText);
  const changed = ops.map((op, index) => (op.kind === ' ' ? -1 : index)).filter((i) => i >= 0);
  if (changed.length === 0) return '';

  // Group changes whose context windows touch into hunks of op indices [from, to).
  const hunks: Array<[number, number]> = [];
  for (const index of changed) {
    const from = Math.max(0, index - context);
    const to = Math.min(ops.length, index + context + 1);
    const last = hunks[hunks.length - 1];
    if (last !== undefined && from <= last[1]) last[1] = Math.max(last[1], to);
    else hunks.push([from, to]);
  }
  // Line numbers before each op.
  const oldLine: number[] = [];
  const newLine: number[] = [];
  let o = 1;
  let n = 1;
  for (const op of ops) {
    oldLine.push(o);
    newLine.push(n);
    if (op.kind !== '+') o++;
    if (op.kind !== '-') n++;
  }
  const out: string[] = ['--- old', '+++ new'];
  for (const [from, to] of hunks) {
    const slice = ops.slice(from, to);
    const oldCount = slice.filter((op) => op.kind !== '+').length;
    const newCount = slice.filter((op) => op.kind !== '-').length;
    const oldStart = oldCount === 0 ? (oldLine[from] ?? 1) - 1 : (oldLine[from] ?? 1);
    const newStart = newCount === 0 ? (newLine[from] ?? 1) - 1 : (newLine[from] ?? 1);
    out.push(`@@ -${oldStart},${oldCount} +${newStart},${newCount} @@`);
    for (const op of slice) out.push(`${op.kind}${op.line}`);
  }
  let text = out.join('\n');
  if (text.length > maxChars) {
    const marker = '\n... (diff truncated)';
    text = text.slice(0, Math.max(0, maxChars - marker.length));
    text = text.slice(0, Math.max(0, text.lastIndexOf('\n'))) + marker;
  }
  return text;
}
