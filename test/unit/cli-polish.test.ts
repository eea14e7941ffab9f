import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/cli/command.js';
import { editDistance, nearest } from '../../src/cli/command.js';
import { runCli } from '../../src/cli/router.js';
import { VERSION } from '../../src/cli/version.js';
import { renderList, renderShow } from '../../src/registry/render.js';

function io(stdin = '', cwd = '/'): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    readStdin: () => Promise.resolve(stdin),
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    env: {},
    cwd,
  };
}

async function error(argv: string[], stdin = ''): Promise<{ message: string; field?: string }> {
  const cli = io(stdin);
  expect(await runCli(argv, cli)).toBe(1);
  return (JSON.parse(cli.out.join('')) as { error: { message: string; field?: string } }).error;
}

describe('--version', () => {
  it('prints the package version, which is package.json’s', async () => {
    const pkg = JSON.parse(
      readFileSync(join(import.meta.dirname, '..', '..', 'package.json'), 'utf8'),
    ) as { version: string };
    expect(VERSION).toBe(pkg.version);
    const cli = io();
    expect(await runCli(['--version'], cli)).toBe(0);
    expect(cli.out.join('')).toBe(`perf-verdict ${pkg.version}\n`);
  });
});

describe('flags name themselves as typed', () => {
  it.each([
    [
      ['gate', '--base', 'main', '--budget', 'abc'],
      "option '--budget' must be a number but got 'abc'",
    ],
    [
      ['gate', '--base', 'main', '--budget=0'],
      "option '--budget' must be a number from 1 to 3600 but got '0'",
    ],
    [
      ['gate', '--base', 'main', '--bugdet', '2'],
      "unknown option '--bugdet' (did you mean '--budget'?)",
    ],
    [
      ['gate', '--base', 'main', '--colour', 'x'],
      "unknown option '--colour' (known: --base, --head, --repo, --json, --markdown, --config, --title, --body, --tools, --budget, --time-budget-seconds, --confidence, --sandbox, --total-budget-seconds, --fail-on, --security-fail-on, --definitions, --ollama-host, --ollama-model, --ollama-digest, --ollama-headers, --ollama-timeout-seconds, --ollama-pull, --ollama-pull-timeout-seconds, --intent, --max-slowdown, --noise-zone, --delta)",
    ],
    [['gate', '--base'], "option '--base' needs a value"],
    [['gate', '--base', '--head', 'x'], "option '--base' needs a value"],
    [['registry', 'list', '--json=yes'], "option '--json' takes no value"],
    [['registry', 'list', '-j'], "unknown option '-j' (known: --registry, --json)"],
  ])('%j → %s', async (argv, message) => {
    expect((await error(argv)).message).toBe(message);
  });
});

describe('unknown JSON fields', () => {
  it('a typo is an error naming the field and the one meant', async () => {
    const e = await error(
      ['evaluate'],
      JSON.stringify({
        old_metric: { execution_time_ms: 1 },
        new_metrics: { execution_time_ms: 1 },
      }),
    );
    expect(e).toMatchObject({
      message: "unknown field 'old_metric': did you mean 'old_metrics'?",
      field: 'old_metric',
    });
  });

  it('a typo inside a nested object is named with its path', async () => {
    const e = await error(
      ['update-rag'],
      JSON.stringify({ tool_id: 't', best_run: { execution_time_m: 1 } }),
    );
    expect(e.message).toBe(
      "unknown field 'best_run.execution_time_m': did you mean 'best_run.execution_time_ms'?",
    );
  });

  it('any other unknown field is a warning on stderr; the guide’s `command` key is accepted', async () => {
    const cli = io(
      JSON.stringify({
        command: 'generate',
        tool_code: 'def f(x):\n    return x\n',
        tool_id: 'f',
        test_input: { x: 1 },
        colour: 'blue',
      }),
    );
    expect(await runCli(['generate'], cli)).toBe(0);
    expect(cli.err.join('')).toBe(
      "warning: unknown field 'colour' ignored (known: tool_code, tool_id, test_input, language, entry, mode, budget_ms)\n",
    );
    expect(JSON.parse(cli.out.join(''))).toMatchObject({ tool_id: 'f' });
  });

  it('edit distance and the nearest name', () => {
    expect(editDistance('old_metric', 'old_metrics')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(nearest('bugdet', ['base', 'budget'])).toBe('budget');
    expect(nearest('colour', ['base', 'budget'])).toBeUndefined();
  });
});

describe('registry times in the unit that reads', () => {
  const entry = {
    tool_id: 'tiny',
    version: '1.0.0',
    metadata: { performance: { execution_time_ms: 0.000258, memory_usage_kb: 3.5 } },
  };
  it('258 ns, not 0.000258 ms', () => {
    expect(renderList({ tiny: entry })).toMatch(/^tiny\s+1\.0\.0\s+258 ns\s+3\.5 KiB/m);
    expect(renderShow(entry)).toContain('time:         258 ns per call');
  });
});

describe('update-rag versions', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it('bumps the version when the code changed, keeps it for the same code, takes a given one', async () => {
    dir = mkdtempSync(join(tmpdir(), 'perf-verdict-rag-'));
    const update = async (extra: object): Promise<string> => {
      const cli = io(
        JSON.stringify({ tool_id: 'f', best_run: { execution_time_ms: 1 }, ...extra }),
        dir,
      );
      expect(await runCli(['update-rag', '--registry', 'index.json'], cli)).toBe(0);
      return (JSON.parse(cli.out.join('')) as { version: string }).version;
    };
    expect(await update({ tool_code: 'a = 1' })).toBe('1.0.0');
    expect(await update({ tool_code: 'a = 1' })).toBe('1.0.0');
    expect(await update({ tool_code: 'a = 2' })).toBe('1.0.1');
    expect(await update({ tool_code: 'a = 3' })).toBe('1.0.2');
    expect(await update({})).toBe('1.0.2');
    expect(await update({ version: '2.0.0' })).toBe('2.0.0');
    const cli = io('', dir);
    await runCli(['registry', 'history', 'f', '--registry', 'index.json'], cli);
    expect(cli.out.join('').match(/^1\.0\.\d|^2\.0\.0/gm)).toEqual([
      '1.0.0',
      '1.0.0',
      '1.0.1',
      '1.0.2',
      '1.0.2',
      '2.0.0',
    ]);
  });
});
