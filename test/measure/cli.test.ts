import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/router.js';

/** Run the CLI router in-process with JSON on stdin; returns the exit code and parsed stdout. */
async function cli(args: string[], stdin: unknown): Promise<{ code: number; json: any }> {
  let out = '';
  const code = await runCli(args, {
    readStdin: () => Promise.resolve(JSON.stringify(stdin)),
    stdout: (text) => (out += text),
    stderr: () => undefined,
    env: {},
    cwd: process.cwd(),
  });
  return { code, json: JSON.parse(out) };
}

const QUICK_START = {
  tool_code: 'def multiply(a, b):\n    return a * b\n',
  tool_id: 'multiply_tool',
  test_input: { a: 10, b: 20 },
};

describe('benchmark command', () => {
  it("runs the guide's Quick Start example: success with three runs", async () => {
    const { code, json } = await cli(['benchmark'], QUICK_START);
    expect(code).toBe(0);
    expect(json.success).toBe(true);
    expect(json.tool_id).toBe('multiply_tool');
    expect(json.all_runs).toHaveLength(3);
    for (const run of json.all_runs) {
      expect(run.execution_time_ms).toBeGreaterThan(0);
      expect(run.memory_usage_kb).toBeGreaterThanOrEqual(0);
      expect(typeof run.timestamp).toBe('string');
    }
    expect(json.all_runs.map((r: { test_run_number: number }) => r.test_run_number)).toEqual([
      1, 2, 3,
    ]);
    expect(json.best_run.execution_time_ms).toBe(
      Math.min(...json.all_runs.map((r: { execution_time_ms: number }) => r.execution_time_ms)),
    );
    expect(json.statistics.calls_per_sample).toBeGreaterThan(1);
    expect(json.test_script).toContain('json.loads');
  });

  it('reports a failing tool as success false with its error kind, exit 1', async () => {
    const { code, json } = await cli(['benchmark'], {
      tool_code: 'def f(x):\n    raise KeyError(x)\n',
      test_input: { x: 'missing' },
    });
    expect(code).toBe(1);
    expect(json.success).toBe(false);
    expect(json.error.kind).toBe('exception');
    expect(json.error.traceback).toContain('KeyError');
  });
});

describe('generate command', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pv-generate-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    ['python', 'def f(x, flag, nothing):\n    return [x, flag, nothing]\n', 'python3', 'py'],
    [
      'javascript',
      'export default function f({ x, flag }) { return [x, flag]; }',
      process.execPath,
      'mjs',
    ],
    [
      'typescript',
      'export default function f(i: { x: string }): string { return i.x; }',
      process.execPath,
      'mjs',
    ],
  ])(
    'writes a %s script that runs alone, with true/false/null input and a hostile id-free payload',
    async (language, toolCode, runner, ext) => {
      const input = {
        x: '"); import os; os._exit(9) #`${process.exit(9)}`',
        flag: true,
        nothing: null,
      };
      const { code, json } = await cli(['generate'], {
        tool_code: toolCode,
        tool_id: 'my_tool',
        test_input: input,
        language,
      });
      expect(code).toBe(0);
      const file = join(dir, `script_${language}.${ext}`);
      writeFileSync(file, json.test_script);
      const printed = JSON.parse(
        execFileSync(runner, [file], { encoding: 'utf8', timeout: 60_000 }),
      );
      expect(printed.success).toBe(true);
      expect(printed.tool_id).toBe('my_tool');
      expect(printed.all_runs).toHaveLength(3);
      expect(printed.best_run.execution_time_ms).toBeGreaterThan(0);
    },
  );
});

describe('compare command', () => {
  it('returns the Comparison with success true and exit 0', async () => {
    const { code, json } = await cli(['compare'], {
      old_code: 'def f(n):\n    return sum(range(n))\n',
      new_code: 'def f(n):\n    return sum(range(n)) + sum(range(n))\n',
      test_input: { n: 2000 },
      budget_ms: 8000,
    });
    expect(code).toBe(0);
    expect(json.success).toBe(true);
    expect(json.time.change).toBe('regression');
    expect(json.time.pairs).toBeGreaterThanOrEqual(3);
    expect(json.memory).toHaveProperty('old_kb');
    expect(typeof json.steady_state).toBe('boolean');
  });

  it('names a missing field', async () => {
    const { code, json } = await cli(['compare'], { old_code: 'x' });
    expect(code).toBe(1);
    expect(json.error.message).toContain('new_code');
  });
});
