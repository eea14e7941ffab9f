/**
 * The `benchmark-gaming` finding (issue 10, case 8) in both analysers: code that can tell it is
 * benchmarked (its own path, argv, the stack), replaces a timer, or touches the harness's
 * modules or file descriptors. Ordinary timing and ordinary code raise nothing.
 */
import { describe, expect, it } from 'vitest';
import { createAnalyzer } from '../../src/analyze/index.js';
import type { Analysis, Language } from '../../src/domain/types.js';

const analyzer = createAnalyzer();

async function gaming(code: string, language: Language): Promise<string[]> {
  const a: Analysis = await analyzer.analyze(code, language);
  if (!a.security.available) throw new Error(`not analysed: ${a.security.reason}`);
  return a.security.issues
    .filter((i) => i.rule === 'benchmark-gaming')
    .map((i) => {
      expect(i.severity).toBe('HIGH');
      return `${i.line}: ${i.message}`;
    });
}

describe('benchmark-gaming, Python', () => {
  it('flags path, stack, argv, harness modules, descriptors and timer replacement, each on its line', async () => {
    const code = [
      'import time, os, sys as s', // 1
      'from inspect import currentframe', // 2
      'import __main__', // 3
      "_N = 1 if 'perf-verdict' in __file__ else 10", // 4
      'time.perf_counter = lambda: 0', // 5
      "setattr(time, 'monotonic_ns', None)", // 6
      'def work(n):', // 7
      '    f = s._getframe(1).f_back', // 8
      "    os.fdopen(3, 'w')", // 9
      "    os.write(3, b'x')", // 10
      "    m = s.modules['__main__']", // 11
      '    return s.argv, time.perf_counter() + n', // 12
    ].join('\n');
    expect(await gaming(code, 'python')).toEqual([
      '2: Benchmark gaming: imports inspect (introspects the running code).',
      "3: Benchmark gaming: imports __main__ (the harness's own module).",
      '4: Benchmark gaming: reads its own path or loader (__file__).',
      '5: Benchmark gaming: replaces the timer time.perf_counter.',
      '6: Benchmark gaming: replaces time.monotonic_ns (setattr).',
      '8: Benchmark gaming: reads the call stack (sys._getframe).',
      '8: Benchmark gaming: walks frames (.f_back).',
      '9: Benchmark gaming: opens a file descriptor it did not open (os.fdopen).',
      '10: Benchmark gaming: uses file descriptor 3, which it did not open (os.write).',
      "11: Benchmark gaming: reaches loaded modules, the harness's included (sys.modules).",
      '12: Benchmark gaming: reads its command line (sys.argv).',
    ]);
  });

  it('an import alias does not hide a timer: `import time as t; t.time = f`', async () => {
    expect(await gaming('import time as t\nt.time = lambda: 0\n', 'python')).toEqual([
      '2: Benchmark gaming: replaces the timer time.time.',
    ]);
  });

  it('ordinary code that times itself, opens files and reads the clock raises nothing', async () => {
    const code = [
      'import time, os, json',
      'def work(path, n):',
      '    start = time.perf_counter()',
      '    with open(path) as f:',
      '        data = json.load(f)',
      '    os.path.join("a", "b")',
      '    return data, time.monotonic() - start, time.time()',
    ].join('\n');
    expect(await gaming(code, 'python')).toEqual([]);
  });
});

describe('benchmark-gaming, TS/JS', () => {
  it('flags path, argv, stack, harness modules, descriptors and timer replacement, each on its line', async () => {
    const code = [
      "import fs from 'node:fs';", // 1
      "const N = __filename.includes('perf-verdict') ? 1 : 10;", // 2
      'const here = import.meta.url;', // 3
      'const args = process.argv.slice(2);', // 4
      'const where = new Error().stack;', // 5
      'performance.now = () => 0;', // 6
      'Date.now = () => 0;', // 7
      "Object.defineProperty(process, 'hrtime', { value: () => [0, 0] });", // 8
      "fs.writeSync(3, 'x');", // 9
      'const main = require.main;', // 10
      'export function work(n: number): number {', // 11
      '  return performance.now() + Date.now() + n * N;', // 12
      '}',
    ].join('\n');
    expect(await gaming(code, 'typescript')).toEqual([
      '2: Benchmark gaming: reads its own path (__filename).',
      '3: Benchmark gaming: reads its own path (import.meta.url).',
      '4: Benchmark gaming: reads its command line (process.argv).',
      '5: Benchmark gaming: reads the call stack (new Error().stack).',
      '6: Benchmark gaming: replaces the timer performance.now.',
      '7: Benchmark gaming: replaces the timer Date.now.',
      '8: Benchmark gaming: replaces the timer process.hrtime (Object.defineProperty).',
      '9: Benchmark gaming: uses file descriptor 3, which it did not open (writeSync).',
      "10: Benchmark gaming: reaches the harness's module (require.main).",
    ]);
  });

  it('process.hrtime.bigint replaced in JS', async () => {
    expect(await gaming('process.hrtime.bigint = () => 0n;\n', 'javascript')).toEqual([
      '1: Benchmark gaming: replaces the timer process.hrtime.bigint.',
    ]);
  });

  it('ordinary code that reads the clock and writes files raises nothing', async () => {
    const code = [
      "import { writeFileSync } from 'node:fs';",
      'export function work(n: number, path: string): number {',
      '  const t0 = performance.now();',
      '  const d = Date.now();',
      "  writeFileSync(path, 'x');",
      '  const e = new Error("bad input");',
      '  if (n < 0) throw e;',
      '  return performance.now() - t0 + d;',
      '}',
    ].join('\n');
    expect(await gaming(code, 'typescript')).toEqual([]);
  });
});
