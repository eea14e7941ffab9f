/**
 * The `analyze` command: the guide's example through the built CLI, as a user runs it (needs
 * `npm run build` first); the other answers from the CLI router in-process.
 */
import { describe, expect, it } from 'vitest';
import { runBuiltCli } from '../helpers/cli.js';
import { runCliInProcess } from '../helpers/cli-in-process.js';

describe('perf-verdict analyze', () => {
  it("answers the guide's example: complexity 2 (radon), grade A, no findings, one function", () => {
    const run = runBuiltCli(
      ['analyze'],
      JSON.stringify({
        command: 'analyze',
        code: 'def process(data):\n    return [x*2 for x in data]',
      }),
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.json).toMatchObject({
      success: true,
      analysis: {
        language: 'python',
        complexity: { average_complexity: 2, grade: 'A' },
        security: { total_issues: 0, severity_counts: { LOW: 0, MEDIUM: 0, HIGH: 0 } },
        correctness: { syntax_valid: true },
        code_quality: { function_count: 1 },
        functions: [{ name: 'process', complexity: 2, rank: 'A' }],
      },
    });
  });

  it('detects TypeScript when no language is given', async () => {
    const run = await runCliInProcess(
      ['analyze'],
      JSON.stringify({
        code: 'export function f(a: number): number {\n  return a > 0 ? a : -a;\n}\n',
      }),
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.json.analysis).toMatchObject({
      language: 'typescript',
      functions: [{ name: 'f', complexity: 2 }],
    });
  });

  it('names the missing field', async () => {
    const run = await runCliInProcess(['analyze'], JSON.stringify({ language: 'python' }));
    expect(run.code).toBe(1);
    expect(run.json).toMatchObject({ success: false, error: { kind: 'invalid_input' } });
    expect(run.json.error.message).toMatch(/code/);
  });
});
