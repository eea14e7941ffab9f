// bench/reference/grid.mjs: the workloads of issue 28's agreement grid. Each is a tool whose work
// scales with a count; a planted +x % scales the count, an A/A changes only the text.
// Exported for bench/agreement.ts and test/measure/reference-agreement.test.ts.

/** Counts scaled by a planted slowdown: +x % → round(n · (1 + x/100)); A/A → n. */
const scaled = (n: number, variant: string): number =>
  variant === 'aa' ? n : Math.round(n * (1 + Number(variant) / 100));

/** A/A heads differ from their base in text only (a comment), so the two files differ. */
const marker = (variant: string, language: string): string =>
  variant !== 'aa' ? '' : language === 'python' ? '# head\n' : '// head\n';

/** A workload: its count, the code for a count, its input (and its language when not the table's). */
export interface Workload {
  readonly n: number;
  readonly input: Readonly<Record<string, unknown>>;
  readonly code: (n: number) => string;
  readonly language?: 'typescript';
}

export const JS_WORKLOADS: Readonly<Record<string, Workload>> = {
  // Arithmetic (an Adler-32-style checksum over a text, the loop count from the code).
  loop1us: {
    n: 300,
    input: { text: 'The quick brown fox jumps over the lazy dog 0123456789' },
    code: checksum,
  },
  loop10us: {
    n: 3000,
    input: { text: 'The quick brown fox jumps over the lazy dog 0123456789' },
    code: checksum,
  },
  loop100us: {
    n: 30000,
    input: { text: 'The quick brown fox jumps over the lazy dog 0123456789' },
    code: checksum,
  },
  // String building: a title-cased line built piece by piece.
  str: {
    n: 200,
    input: { words: ['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta'] },
    code: (n) =>
      `export default function build({ words }) {\n  let out = '';\n  for (let i = 0; i < ${n}; i++) {\n    const w = words[i % words.length];\n    out += w[0].toUpperCase() + w.slice(1) + (i % 10 === 9 ? '\\n' : ' ');\n  }\n  return out.length;\n}\n`,
  },
  // Array allocation: fresh arrays of objects, mapped and filtered.
  array: {
    n: 400,
    input: { k: 3 },
    code: (n) =>
      `export default function alloc({ k }) {\n  const rows = [];\n  for (let i = 0; i < ${n}; i++) rows.push({ id: i, v: i * k, tags: [i % 3, i % 5] });\n  return rows.map((r) => r.v + r.tags[0]).filter((v) => v % 2 === 0).length;\n}\n`,
  },
  // Map and Set: counting keys.
  mapset: {
    n: 600,
    input: { mod: 97 },
    code: (n) =>
      `export default function count({ mod }) {\n  const counts = new Map();\n  const seen = new Set();\n  for (let i = 0; i < ${n}; i++) {\n    const key = 'k' + ((i * 7919) % mod);\n    counts.set(key, (counts.get(key) ?? 0) + 1);\n    seen.add(i % 50);\n  }\n  return counts.size + seen.size;\n}\n`,
  },
  // JSON: parse and re-serialise a document (its size scaled).
  json: {
    n: 40,
    input: { pad: 'x' },
    code: (n) =>
      `const DOC = JSON.stringify(Array.from({ length: ${n} }, (_, i) => ({ id: i, name: 'item' + i, tags: ['a', 'b', String(i)], price: i * 1.5 })));\nexport default function roundTrip({ pad }) {\n  return JSON.stringify(JSON.parse(DOC)).length + pad.length;\n}\n`,
  },
  // Regex: every match of a pattern in a text (its length scaled).
  regex: {
    n: 60,
    input: { flags: 'g' },
    code: (n) =>
      `const TEXT = Array.from({ length: ${n} }, (_, i) => 'user' + i + '@host' + (i % 7) + '.com sent id=' + i * 31 + ' ok').join('\\n');\nexport default function matches({ flags }) {\n  return [...TEXT.matchAll(new RegExp('(\\\\w+)@(\\\\w+)\\\\.com|id=(\\\\d+)', flags))].length;\n}\n`,
  },
  // An async tool: a chain of awaited steps.
  async: {
    n: 200,
    input: { m: 7 },
    code: (n) =>
      `async function step(i, m) {\n  let x = 0;\n  for (let j = 0; j < 20; j++) x += (i * j) % m;\n  return x;\n}\nexport default async function chain({ m }) {\n  let total = 0;\n  for (let i = 0; i < ${n}; i++) total += await step(i, m);\n  return total;\n}\n`,
  },
  // A TypeScript tool (types, an interface, a typed helper).
  ts: {
    n: 3000,
    language: 'typescript',
    input: { text: 'The quick brown fox jumps over the lazy dog 0123456789' },
    code: (n) =>
      `interface Input {\n  readonly text: string;\n}\nconst mod = (x: number): number => x % 65521;\nexport default function checksum(input: Input): number {\n  let a: number = 1;\n  let b: number = 0;\n  for (let i = 0; i < ${n}; i++) {\n    a = mod(a + input.text.charCodeAt(i % input.text.length));\n    b = mod(b + a);\n  }\n  return ((b << 16) | a) >>> 0;\n}\n`,
  },
};

function checksum(n: number): string {
  return `export default function checksum({ text }) {\n  let a = 1;\n  let b = 0;\n  for (let i = 0; i < ${n}; i++) {\n    a = (a + text.charCodeAt(i % text.length)) % 65521;\n    b = (b + a) % 65521;\n  }\n  return ((b << 16) | a) >>> 0;\n}\n`;
}

export const PY_WORKLOADS: Readonly<Record<string, Workload>> = {
  loop10us: {
    n: 300,
    input: { text: 'The quick brown fox jumps over the lazy dog 0123456789' },
    code: (n) =>
      `def checksum(text):\n    a, b = 1, 0\n    size = len(text)\n    for i in range(${n}):\n        a = (a + ord(text[i % size])) % 65521\n        b = (b + a) % 65521\n    return (b << 16) | a\n`,
  },
  str: {
    n: 200,
    input: { words: ['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta'] },
    code: (n) =>
      `def build(words):\n    out = []\n    for i in range(${n}):\n        w = words[i % len(words)]\n        out.append(w.title())\n    return len(" ".join(out))\n`,
  },
};

/** One cell of the grid: the two versions' sources and the input. */
export interface Cell {
  readonly language: 'javascript' | 'typescript' | 'python';
  readonly oldCode: string;
  readonly newCode: string;
  readonly input: Readonly<Record<string, unknown>>;
}

/** The two sources of one cell. */
export function cell(language: 'javascript' | 'python', workload: string, variant: string): Cell {
  const table = language === 'python' ? PY_WORKLOADS : JS_WORKLOADS;
  const w = table[workload];
  if (w === undefined) throw new Error(`unknown ${language} workload '${workload}'`);
  return {
    language: w.language ?? language,
    oldCode: w.code(w.n),
    newCode: marker(variant, language) + w.code(scaled(w.n, variant)),
    input: w.input,
  };
}
