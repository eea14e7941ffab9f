/**
 * The CLI's one grammar: each command's parser accepts exactly the flags its `--help` lists, a
 * flag that sets a configuration key has the key's name, every command that measures takes
 * `--budget SECONDS`, unknown flags and commands are errors with a did-you-mean, and README's
 * flag table is the parser's (as config-surface.test.ts checks the config keys).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/cli/command.js';
import { FLAGS, JUDGE_FLAGS, runConfig } from '../../src/cli/flags.js';
import type { Flag } from '../../src/cli/flags.js';
import { COMMANDS, runCli } from '../../src/cli/router.js';
import { SETTINGS } from '../../src/config/config.js';
import { ROOT } from '../helpers/cli.js';

function io(): CliIo & { out: string[] } {
  const out: string[] = [];
  return {
    out,
    readStdin: () => Promise.resolve(''),
    stdout: (t) => out.push(t),
    stderr: () => {},
    env: {},
    cwd: '/',
  };
}

async function answer(argv: string[]): Promise<{ code: number; text: string }> {
  const cli = io();
  const code = await runCli(argv, cli);
  return { code, text: cli.out.join('') };
}

const commandNamed = (name: string) => COMMANDS.find((c) => c.name === name)!;
const every = (): Flag[] => Object.values(FLAGS);
const spell = (f: Flag): string[] => [f.name, ...(f.aliases ?? [])];

describe('each command', () => {
  /** `registry` takes each flag after the subcommand it belongs to. */
  const SUBCOMMANDS: Readonly<Record<string, readonly string[]>> = {
    registry: ['list', 'history', 'dashboard'],
  };

  it.each(COMMANDS.map((c) => [c.name]))(
    '%s: --help lists every flag it accepts, and it accepts no other',
    async (name) => {
      const command = commandNamed(name);
      const help = (await answer([name, '--help'])).text;
      for (const flag of every()) {
        for (const spelling of spell(flag)) {
          const listed = command.flags.some((f) => spell(f).includes(spelling));
          const inHelp = new RegExp(`--${spelling}(?![\\w-])`).test(help);
          expect(inHelp, `${name} --help lists --${spelling}`).toBe(listed);
          const args = flag.value === null ? [`--${spelling}`] : [`--${spelling}`, 'x'];
          const tried = await Promise.all(
            (SUBCOMMANDS[name] ?? ['']).map((sub) =>
              answer([name, ...(sub === '' ? [] : [sub]), ...args]),
            ),
          );
          // Nothing runs to the end: an unknown option, or the next error (no stdin, …).
          const accepted = tried.some((t) => !t.text.includes('unknown option'));
          expect(accepted, `${name} --${spelling}: ${tried[0]!.text}`).toBe(listed);
        }
      }
    },
  );

  it('a flag that sets a configuration key has its name (--budget is time-budget-seconds)', () => {
    for (const flag of every()) {
      if (flag.setting === undefined) continue;
      expect(spell(flag), flag.name).toContain(flag.setting);
      expect(flag.meaning).toBe(SETTINGS[flag.setting].meaning);
    }
  });

  it('every command that measures takes --budget SECONDS; gate, evaluate and profile take every judge setting', () => {
    const withBudget = COMMANDS.filter((c) => c.flags.includes(FLAGS.budget)).map((c) => c.name);
    expect(withBudget.sort()).toEqual(['benchmark', 'compare', 'gate', 'profile']);
    expect(FLAGS.budget.value).toBe('SECONDS');
    for (const name of ['gate', 'evaluate', 'profile'])
      for (const flag of JUDGE_FLAGS) expect(commandNamed(name).flags, name).toContain(flag);
  });
});

describe('unknown words', () => {
  it.each([
    [['analyze', '--bogus'], "unknown option '--bogus' (this command takes no options)"],
    [['generate', 'extra'], "unexpected argument 'extra'"],
    [
      ['evaluate', '--ollama-hots', 'x'],
      "unknown option '--ollama-hots' (did you mean '--ollama-host'?)",
    ],
    [
      ['--versoin'],
      "unknown command '--versoin'; did you mean '--version'? known: benchmark, generate, update-rag, analyze, evaluate, profile, compare, gate, registry, --help, --version",
    ],
    [['gaet'], "unknown command 'gaet'; did you mean 'gate'?"],
    [
      ['gate', '--budget', '2', '--time-budget-seconds', '3'],
      "options '--budget' and '--time-budget-seconds' are the same option: give one",
    ],
  ])('%j → %s', async (argv, message) => {
    const { code, text } = await answer(argv);
    expect(code).toBe(1);
    expect(JSON.parse(text).error.message).toContain(message);
  });
});

describe('setting flags', () => {
  const gate = commandNamed('gate').flags;

  it('set the key of the same name, over the file; a file-only key too', () => {
    const config = runConfig(
      { 'fail-on': 'review', budget: '3', 'security-fail-on': 'low', 'noise-zone': '5%' },
      gate,
      { file: { 'fail-on': 'never', 'security-fail-on': 'high', confidence: 0.95 } },
    );
    expect(config).toMatchObject({
      failOn: 'review',
      timeBudgetSeconds: 3,
      securityFailOn: 'low',
      delta: 0.05,
      confidence: 0.95,
    });
  });

  it('a bad value is an error naming the flag as typed', () => {
    expect(() => runConfig({ budget: 'abc' }, gate)).toThrow(
      "option '--budget' must be a number but got 'abc'",
    );
    expect(() => runConfig({ 'security-fail-on': 'severe' }, gate)).toThrow(
      /^option '--security-fail-on' must be one of high, medium, low but got 'severe'$/,
    );
  });
});

describe("README's flag table", () => {
  /** The table as the parser declares it: each flag, the commands that take it, what it sets. */
  function expected(): string[][] {
    return every()
      .filter((flag) => COMMANDS.some((c) => c.flags.includes(flag)))
      .map((flag) => {
        const names = spell(flag)
          .map((n) => `\`--${n}${flag.value === null ? '' : ` ${flag.value}`}\``)
          .join(', ');
        const commands = COMMANDS.filter((c) => c.flags.includes(flag)).map((c) => c.name);
        const sets = flag.setting === undefined ? flag.meaning : `setting \`${flag.setting}\``;
        return [names, commands.join(', '), sets];
      });
  }

  /** A table row's cells, trimmed, `\|` read as `|`. */
  const cells = (line: string): string[] =>
    line
      .slice(1, -1)
      .split(/(?<!\\)\|/)
      .map((c) => c.trim().replace(/\\\|/g, '|'));

  it('lists every flag of every command, and nothing else', () => {
    const readme = readFileSync(`${ROOT}README.md`, 'utf8');
    const start = readme.indexOf('<!-- cli-flags:start -->');
    const end = readme.indexOf('<!-- cli-flags:end -->');
    expect(start, 'README has the cli-flags markers').toBeGreaterThan(0);
    const rows = readme
      .slice(start, end)
      .split('\n')
      .filter((l) => l.startsWith('|'))
      .slice(2);
    expect(rows.map(cells)).toEqual(expected());
  });
});
