import { describe, expect, it } from 'vitest';
import { minimalEnv, runProcess } from '../../src/adapters/exec.js';

describe('runProcess', () => {
  it('gives the child only the minimal environment', async () => {
    const result = await runProcess({
      command: 'python3',
      args: ['-c', 'import os, json; print(json.dumps(sorted(os.environ)))'],
      env: minimalEnv({ GITHUB_TOKEN: 'secret', INPUT_X: '1', TOOL_VAR: 'ok' }),
      timeoutMs: 10_000,
      maxOutputBytes: 100_000,
    });
    const names = JSON.parse(result.stdout) as string[];
    expect(names).toContain('TOOL_VAR');
    expect(names).not.toContain('GITHUB_TOKEN');
    expect(names).not.toContain('INPUT_X');
  });

  it('kills the whole process group at the deadline', async () => {
    const result = await runProcess({
      command: 'sh',
      args: ['-c', 'sleep 30 & sleep 30'],
      env: minimalEnv(),
      timeoutMs: 300,
      maxOutputBytes: 1000,
    });
    expect(result.timedOut).toBe(true);
    expect(result.durationMs).toBeLessThan(5000);
  });

  it('caps output and kills a flooding child', async () => {
    const result = await runProcess({
      command: 'python3',
      args: ['-c', 'import sys\nwhile True: sys.stdout.write("x" * 65536)'],
      env: minimalEnv(),
      timeoutMs: 10_000,
      maxOutputBytes: 1 << 20,
    });
    expect(result.outputTruncated).toBe(true);
    expect(result.stdout.length).toBe(1 << 20);
    expect(result.timedOut).toBe(false);
  });
});
