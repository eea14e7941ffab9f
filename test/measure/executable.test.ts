import { describe, expect, it } from 'vitest';
import { benchmarkTool } from '../../src/measure/index.js';

describe('executable mode (code_evolver tools: JSON on stdin, JSON on stdout)', () => {
  it('runs a whole process per call with the input on stdin, mocks included', async () => {
    const code = [
      'import json, sys',
      'from node_runtime import call_tool',
      'data = json.load(sys.stdin)',
      "print(json.dumps({'sum': data['a'] + data['b'], 'note': call_tool('helper', 'x'), 'flag': data['flag']}))",
    ].join('\n');
    const result = await benchmarkTool(
      { code, language: 'python', mode: 'executable', testInput: { a: 1, b: 2, flag: null } },
      { budgetMs: 15_000 },
    );
    expect(result.error).toBeUndefined();
    expect(result.success).toBe(true);
    expect(result.all_runs).toHaveLength(3);
    // A whole interpreter start per call: milliseconds, not microseconds.
    expect(result.best_run?.execution_time_ms).toBeGreaterThan(1);
    expect(result.statistics?.calls_per_sample).toBe(1);
  });

  it('reports a script that fails as an exception with its traceback', async () => {
    const code =
      'import json, sys\ndata = json.load(sys.stdin)\nraise RuntimeError("bad input %s" % data)\n';
    const result = await benchmarkTool(
      { code, language: 'python', mode: 'executable', testInput: { a: 1 } },
      { budgetMs: 10_000 },
    );
    expect(result.success).toBe(false);
    expect(result.error?.kind).toBe('exception');
    expect(result.error?.traceback).toContain('RuntimeError: bad input');
  });

  it('runs a JavaScript script per call', async () => {
    const code =
      "import { readFileSync } from 'node:fs';\nconst data = JSON.parse(readFileSync(0, 'utf8'));\nconsole.log(JSON.stringify({ n: data.n * 2 }));\n";
    const result = await benchmarkTool(
      { code, language: 'javascript', mode: 'executable', testInput: { n: 21 } },
      { budgetMs: 15_000 },
    );
    expect(result.error).toBeUndefined();
    expect(result.success).toBe(true);
  });
});
