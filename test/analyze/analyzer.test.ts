/**
 * Behaviour of the analyser through its port: the guide's example, what counts as a function,
 * documentation ratio bounds, syntax errors, and that nothing throws on hostile input.
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { createAnalyzer } from '../../src/analyze/index.js';
import type { Analysis } from '../../src/domain/types.js';
import { oracle } from './oracle-helpers.js';

const analyzer = createAnalyzer();
const GUIDE = 'def process(data):\n    return [x*2 for x in data]';

function complexityOf(analysis: Analysis): number {
  if (!analysis.complexity.available) throw new Error(analysis.complexity.reason);
  return analysis.complexity.average_complexity;
}

describe('Python', () => {
  it("returns radon's complexity for the guide's example, grade A, no findings, one function", async () => {
    const analysis = await analyzer.analyze(GUIDE, 'python');
    const radon = JSON.parse(
      execFileSync(oracle('radon'), ['cc', '-j', '-'], { input: GUIDE, encoding: 'utf8' }),
    ) as Record<string, { complexity: number }[]>;
    const expected = Object.values(radon)[0]![0]!.complexity;
    expect(complexityOf(analysis)).toBe(expected);
    expect(analysis.complexity).toMatchObject({ grade: 'A' });
    expect(analysis.security).toMatchObject({
      total_issues: 0,
      severity_counts: { LOW: 0, MEDIUM: 0, HIGH: 0 },
    });
    expect(analysis.correctness.syntax_valid).toBe(true);
    expect(analysis.code_quality).toMatchObject({ function_count: 1, class_count: 0 });
    expect(analysis.functions).toEqual([
      { name: 'process', line: 1, end_line: 2, complexity: expected, rank: 'A' },
    ]);
  });

  it('counts async def, methods and nested functions', async () => {
    const code = [
      'async def fetch(url):',
      '    """Fetch."""',
      '    return url',
      'class Client:',
      '    async def get(self):',
      '        def inner():',
      '            return 1',
      '        return inner()',
      '    def close(self):',
      '        """Close."""',
      '        pass',
    ].join('\n');
    const analysis = await analyzer.analyze(code, 'python');
    expect(analysis.code_quality).toMatchObject({ function_count: 4, class_count: 1 });
    expect(analysis.functions.map((f) => f.name)).toEqual([
      'fetch',
      'Client.get',
      'Client.get.inner',
      'Client.close',
    ]);
    // 2 documented of 5 (4 functions + 1 class)
    expect(analysis.code_quality).toMatchObject({ documentation_ratio: 0.4 });
  });

  it('never reports a documentation ratio above 1, even with docstrings everywhere', async () => {
    const code =
      '"""Module."""\nclass A:\n    """A."""\n    def f(self):\n        """F."""\n        """Not a docstring."""\n';
    const analysis = await analyzer.analyze(code, 'python');
    expect(analysis.code_quality).toMatchObject({
      documentation_ratio: 1,
      function_count: 1,
      class_count: 1,
    });
  });

  it('reports the line and column of a syntax error and marks the other sections unavailable', async () => {
    const analysis = await analyzer.analyze(
      'def ok():\n    return 1\n\ndef broken(:\n    pass\n',
      'python',
    );
    expect(analysis.correctness.syntax_valid).toBe(false);
    expect(analysis.correctness.syntax_error).toMatchObject({ line: 4 });
    expect(analysis.correctness.syntax_error!.column).toBeGreaterThan(0);
    expect(analysis.complexity).toMatchObject({ available: false });
    expect(analysis.security.available).toBe(false);
    if (!analysis.security.available) expect(analysis.security.reason).toMatch(/line 4/);
    expect(analysis.code_quality.available).toBe(false);
  });

  it('names used but never defined, imported or built in', async () => {
    const code =
      'import os\nfrom json import loads\ndef f(a):\n    b = len(a)\n    return os.sep + loads(a) + b + missing + helper()\n';
    const analysis = await analyzer.analyze(code, 'python');
    expect(analysis.correctness.undefined_names).toEqual(['helper', 'missing']);
  });

  it('counts code and comment lines', async () => {
    const code = '# header\n\ndef f():  # trailing\n    return """a\nb"""\n';
    const analysis = await analyzer.analyze(code, 'python');
    expect(analysis.code_quality).toMatchObject({ lines_of_code: 3, comment_ratio: 0.5 });
  });

  it('does not throw on hostile input: null bytes, deep nesting, empty code', async () => {
    const deep = `x = ${'['.repeat(5000)}${']'.repeat(5000)}`;
    const results = await analyzer.analyzeMany([
      { code: 'a = 1\0', language: 'python' },
      { code: deep, language: 'python' },
      { code: '', language: 'python' },
      { code: GUIDE, language: 'python' },
    ]);
    expect(results[0]!.correctness.syntax_valid).toBe(false);
    expect(results[1]!.language).toBe('python');
    expect(results[2]!.complexity).toMatchObject({
      available: true,
      average_complexity: 1,
      grade: 'A',
    });
    expect(results[3]!.functions).toHaveLength(1);
  });

  it('reports an unavailable analysis, not a crash, when python cannot run', async () => {
    const broken = createAnalyzer({ python: '/nonexistent/python3' });
    const analysis = await broken.analyze(GUIDE, 'python');
    expect(analysis.complexity).toMatchObject({ available: false });
    if (!analysis.complexity.available) expect(analysis.complexity.reason).toMatch(/could not run/);
    expect(analysis.correctness.diagnostics[0]?.message).toMatch(/not analysed: .*could not run/);
  });
});

describe('TS/JS', () => {
  it('counts complexity per function like ESLint and finds JSDoc', async () => {
    const code = [
      '/** Doubles. */',
      'export function double(a = 1, b?: { c?: number }): number {',
      '  if (a && b?.c) return a * 2;',
      '  return a ?? 0;',
      '}',
      'const arrow = (xs: number[]) => {',
      '  for (const x of xs) { switch (x) { case 1: break; default: } }',
      '};',
      'class Box { size = 1 || 2; open() { try { return 1; } catch { return 0; } } }',
    ].join('\n');
    const analysis = await analyzer.analyze(code, 'typescript');
    expect(analysis.functions.map((f) => [f.name, f.line, f.complexity])).toEqual([
      ['double', 2, 6], // 1 + default value + if + && + ?. + ??
      ['arrow', 6, 3],
      ['Box.open', 9, 2],
      ['Box.size (field initializer)', 9, 2],
    ]);
    expect(analysis.code_quality).toMatchObject({
      function_count: 3,
      class_count: 1,
      documentation_ratio: 0.25,
    });
    expect(analysis.complexity).toMatchObject({
      available: true,
      average_complexity: 3.25,
      grade: 'A',
    });
  });

  it('reports syntax errors with their position', async () => {
    const analysis = await analyzer.analyze('const a = 1;\nfunction f( {\n', 'javascript');
    expect(analysis.correctness.syntax_valid).toBe(false);
    expect(analysis.correctness.syntax_error?.line).toBeGreaterThanOrEqual(2);
    expect(analysis.complexity.available).toBe(false);
  });

  it('reports TypeScript semantic diagnostics and undefined names, but not missing node types', async () => {
    const code =
      'import fs from "node:fs";\nconst n: number = "s";\nconsole.log(fs, process.env, missingThing);\n';
    const analysis = await analyzer.analyze(code, 'typescript');
    expect(analysis.correctness.syntax_valid).toBe(true);
    expect(analysis.correctness.undefined_names).toEqual(['missingThing']);
    expect(analysis.correctness.diagnostics.map((d) => d.line)).toEqual([2, 3]);
  });

  it('keeps tools of one batch apart and knows the ES2022 library', async () => {
    const code =
      'const x: number[][] = [[1]];\nconsole.log(x.flat(), Object.hasOwn({}, "a"), [1].at(-1));\n';
    const results = await analyzer.analyzeMany([
      { code, language: 'typescript' },
      { code, language: 'typescript' },
    ]);
    for (const result of results) expect(result.correctness.diagnostics).toEqual([]);
  });

  it('checks plain JavaScript for syntax only', async () => {
    const analysis = await analyzer.analyze('const n = undefinedName + 1;\n', 'javascript');
    expect(analysis.correctness).toMatchObject({
      syntax_valid: true,
      diagnostics: [],
      undefined_names: [],
    });
  });
});
