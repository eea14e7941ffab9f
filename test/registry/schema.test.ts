import { describe, expect, it } from 'vitest';
import type { RegistryEntry, VersionEntry } from '../../src/registry/schema.js';
import {
  describeTrend,
  nextVersion,
  rankBm25,
  searchableText,
  toolIdProblem,
  tokenize,
  validateRegistry,
} from '../../src/registry/schema.js';
import { findJsonFault } from '../../src/registry/json-position.js';
import { renderHistory, renderSearch } from '../../src/registry/render.js';

describe('nextVersion', () => {
  it.each([
    [[], 'patch', '1.0.0'],
    [['1.0.0'], 'patch', '1.0.1'],
    [['1.0.0'], 'minor', '1.1.0'],
    [['1.2.3'], 'major', '2.0.0'],
    // The highest known version wins, so a rejected 1.0.1 is never reused.
    [['1.0.0', '1.0.1', '1.0.0'], 'patch', '1.0.2'],
    [['1.9.0', '1.10.0'], 'patch', '1.10.1'],
    [['not-a-version', '0.3.0'], 'minor', '0.4.0'],
    [['1.2.3-rc.1'], 'patch', '1.2.3'],
    [['1.2.3+build.7', '1.2.2'], 'patch', '1.2.4'],
  ] as const)('%j + %s → %s', (known, change, expected) => {
    expect(nextVersion(known, change)).toBe(expected);
  });
});

describe('tool ids', () => {
  it.each(['simple_adder', 'a.b-c', 'X1'])('accepts %j', (id) =>
    expect(toolIdProblem(id)).toBeNull(),
  );
  it.each(['', 'a/b', '..', 'a..b', '"q"', "it's", 'a\nb', ' lead', '.hidden', 'x'.repeat(129)])(
    'rejects %j',
    (id) => expect(toolIdProblem(id)).not.toBeNull(),
  );
});

describe('validateRegistry', () => {
  const entry = (over: Record<string, unknown> = {}) => ({
    tool_id: 't',
    version: '1.0.0',
    metadata: { performance: { execution_time_ms: 1 } },
    ...over,
  });
  it('accepts the guide schema without versions[] and keeps unknown fields', () => {
    const { registry, problems } = validateRegistry({ t: entry({ extra: 1 }) });
    expect(problems).toEqual([]);
    expect(registry['t']).toMatchObject({ extra: 1 });
  });
  it('names every bad entry and field instead of dropping them', () => {
    const { problems } = validateRegistry({
      t: entry({ version: 'v1' }),
      u: { ...entry(), tool_id: 'u', metadata: { performance: { execution_time_ms: 'fast' } } },
    });
    expect(problems.map((p) => [p.tool_id, p.field])).toEqual([
      ['t', 'version'],
      ['u', 'metadata.performance.execution_time_ms'],
    ]);
  });
});

describe('BM25 search', () => {
  const entry = (id: string, requirement: string, source = ''): RegistryEntry => ({
    tool_id: id,
    version: '1.0.0',
    metadata: { performance: {}, requirement, source },
  });
  const docs = [
    entry('simple_adder', 'Add two numbers together', 'def add(a, b): return a + b'),
    entry('json_parser', 'Parse JSON documents with schema validation'),
    entry('csvLoader', 'Load rows from a file', 'def readCsvRows(path): ...'),
    entry('number_formatter', 'Format a number for display'),
  ];
  const rank = (query: string) =>
    rankBm25(
      docs.map((d) => ({ id: d.tool_id, text: searchableText(d) })),
      query,
    ).map((h) => h.tool_id);

  it('splits snake_case and camelCase identifiers and stems plurals', () => {
    expect(tokenize('readCsvRows json_parser HTTPServer numbers')).toEqual([
      'read',
      'csv',
      'row',
      'json',
      'parser',
      'http',
      'server',
      'number',
    ]);
  });
  it.each([
    ['add numbers', 'simple_adder'],
    ['validate and parse json', 'json_parser'],
    ['csv rows', 'csvLoader'],
    ['number display', 'number_formatter'],
  ])('ranks %j first → %s', (query, best) => {
    expect(rank(query)[0]).toBe(best);
  });
  it('leaves out tools that share no word with the query', () => {
    expect(rank('add numbers')).toEqual(['simple_adder', 'number_formatter']);
    expect(rank('kubernetes')).toEqual([]);
  });
  it('renders hits with their performance metadata', () => {
    const registry = Object.fromEntries(docs.map((d) => [d.tool_id, d]));
    const text = renderSearch(registry, [{ tool_id: 'simple_adder', score: 1.5 }], 'add');
    expect(text).toMatch(/score\s+tool\s+version\s+time\s+memory\s+grade/);
    expect(text).toMatch(/1\.50\s+simple_adder\s+1\.0\.0/);
  });
});

describe('history and trend', () => {
  const record = (version: string, ms: number, over: Partial<VersionEntry> = {}): VersionEntry => ({
    version,
    code_sha256: 'a'.repeat(64),
    timestamp: `2026-01-0${version.at(-1)}T00:00:00Z`,
    origin: 'profile',
    status: 'current',
    verdict: null,
    score: null,
    metrics: {
      execution_time_ms: ms,
      memory_usage_kb: 1,
      time_ratio: null,
      ci_low: null,
      ci_high: null,
    },
    analysis: { grade: 'A', average_complexity: 1, security_issues: 0, syntax_valid: true },
    ...over,
  });
  const records = [
    record('1.0.0', 0.01),
    record('1.0.1', 0.03, {
      status: 'rejected',
      verdict: 'REJECT',
      score: 5,
      metrics: {
        execution_time_ms: 0.03,
        memory_usage_kb: 2,
        time_ratio: 3,
        ci_low: 2.9,
        ci_high: 3.1,
      },
    }),
  ];
  it('prints time with its interval, memory, grade, security and verdict per version', () => {
    const text = renderHistory({
      tool_id: 't',
      version: '1.0.0',
      metadata: { performance: {} },
      versions: records,
    });
    expect(text).toMatch(/version\s+recorded\s+time\s+vs previous \(interval\)\s+memory\s+grade/);
    expect(text).toMatch(
      /1\.0\.0\s+2026-01-00T00:00:00Z\s+10\.0 µs\s+-\s+1\.0 KiB\s+A\s+0\s+-\s+current/,
    );
    expect(text).toMatch(
      /1\.0\.1\s+\S+\s+30\.0 µs\s+×3\.00 \[2\.90, 3\.10\]\s+2\.0 KiB\s+A\s+0\s+REJECT \(5\)\s+rejected/,
    );
    expect(text).toContain(
      'trend: time 10.0 µs → 30.0 µs (+200 %) over 2 versions; memory 1.0 KiB → 2.0 KiB; 1 rejected',
    );
  });
  it('says when there are too few versions for a trend', () => {
    expect(describeTrend(records.slice(0, 1))).toMatch(/too few/);
  });
});

describe('findJsonFault agrees with JSON.parse', () => {
  it.each([
    ['{"a": 1}', null],
    ['{"a": 1,}', [1, 9]],
    ['{\n  "a": tru\n}', [2, 8]],
    ['{"a": "x\ny"}', [1, 9]],
    ['[1, 2', [1, 6]],
    ['{} x', [1, 4]],
    ['"\\u12"', [1, 2]],
    ['-', [1, 1]],
    ['01', [1, 2]],
  ])('%j', (text, where) => {
    const fault = findJsonFault(text);
    expect(fault === null ? null : [fault.line, fault.column]).toEqual(where);
    expect(fault === null).toBe(isJson(text));
  });

  it('on 3000 random mutations of a registry document', () => {
    const base = JSON.stringify(
      {
        t: {
          tool_id: 't',
          version: '1.0.0',
          metadata: { performance: { x: [1.5e3, -2, true, null, 'é\\"'] } },
        },
      },
      null,
      2,
    );
    const alphabet = '{}[]",:0123456789.eE+-tfnrule \n\\a';
    let seed = 42;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    let invalid = 0;
    for (let i = 0; i < 3000; i++) {
      let text = base;
      for (let k = 0; k <= random(3); k++) {
        const at = random(text.length);
        const op = random(3);
        const ch = alphabet[random(alphabet.length)]!;
        text =
          op === 0
            ? text.slice(0, at) + text.slice(at + 1)
            : op === 1
              ? text.slice(0, at) + ch + text.slice(at)
              : text.slice(0, at) + ch + text.slice(at + 1);
      }
      const fault = findJsonFault(text);
      expect(fault === null, text).toBe(isJson(text));
      if (fault !== null) invalid++;
    }
    expect(invalid).toBeGreaterThan(1000);
  });
});

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
