import { describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/cli/command.js';
import { COMMANDS, runCli } from '../../src/cli/router.js';

function io(stdin = ''): CliIo & { out: string[] } {
  const out: string[] = [];
  return {
    out,
    readStdin: () => Promise.resolve(stdin),
    stdout: (t) => out.push(t),
    stderr: () => {},
    env: {},
    cwd: '/',
  };
}

describe('CLI router and error model', () => {
  it('routes every command of the design table, with the guide alias', () => {
    const names = COMMANDS.flatMap((c) => [c.name, ...(c.aliases ?? [])]);
    for (const name of [
      'benchmark',
      'generate',
      'update-rag',
      'update_rag',
      'analyze',
      'evaluate',
      'profile',
      'compare',
      'gate',
      'registry',
    ]) {
      expect(names).toContain(name);
    }
  });

  it.each(COMMANDS.map((c) => c.name))('%s --help prints its usage and exits 0', async (name) => {
    const cli = io();
    expect(await runCli([name, '--help'], cli)).toBe(0);
    expect(cli.out.join('')).toContain(`perf-verdict ${name}`);
  });

  it('answers an unknown command with unknown_command and exit 1', async () => {
    const cli = io();
    expect(await runCli(['nosuch'], cli)).toBe(1);
    expect(JSON.parse(cli.out.join(''))).toMatchObject({
      success: false,
      error: { kind: 'unknown_command' },
    });
  });

  it.each([
    ['analyze', 'not json', 'invalid_input', /not valid JSON/],
    ['analyze', '', 'invalid_input', /got nothing/],
    ['analyze', '[1]', 'invalid_input', /input/],
    ['analyze', '{"code": 5}', 'invalid_input', /field 'code'/],
    ['analyze', '{"code": "x", "language": "cobol"}', 'invalid_input', /field 'language'/],
    [
      'compare',
      '{"old_code": "a", "new_code": "b"}',
      'invalid_input',
      /field 'test_input' is required/,
    ],
    [
      'compare',
      '{"old_code": "a", "new_code": "b", "test_input": 1, "budget_ms": -5}',
      'invalid_input',
      /field 'budget_ms'/,
    ],
    [
      'evaluate',
      '{"old_metrics": {"execution_time_ms": "5"}, "new_metrics": {}}',
      'invalid_input',
      /field 'old_metrics.execution_time_ms'/,
    ],
    [
      'update_rag',
      '{"tool_id": "../etc/passwd", "best_run": {"execution_time_ms": 1}}',
      'invalid_input',
      /field 'tool_id'/,
    ],
  ])('%s with %j fails as %s naming the problem', async (name, stdin, kind, message) => {
    const cli = io(stdin);
    expect(await runCli([name], cli)).toBe(1);
    const output = JSON.parse(cli.out.join(''));
    expect(output).toMatchObject({ success: false, error: { kind } });
    expect(output.error.message).toMatch(message);
    expect(cli.out.join('')).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('rejects a profile tool id that could become a path', async () => {
    const cli = io('{"tool_code": "def f(): pass", "test_input": {}}');
    expect(await runCli(['profile', 'a/../b'], cli)).toBe(1);
    expect(JSON.parse(cli.out.join(''))).toMatchObject({
      error: { kind: 'invalid_input', field: 'tool_id' },
    });
  });

  it('prints the command list for --help and exits 1 with no command', async () => {
    const help = io();
    expect(await runCli(['--help'], help)).toBe(0);
    expect(help.out.join('')).toMatch(/benchmark[\s\S]*gate/);
    expect(await runCli([], io())).toBe(1);
  });
});
