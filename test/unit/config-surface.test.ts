/**
 * README's configuration table, action.yml and the config parser list the same keys, with the
 * same defaults; README's outputs table is the Action's outputs (src/action/outcome.ts). The parser's key table (SETTINGS in src/config/config.ts) is the source; adding a
 * key there fails this test until action.yml and README say the same.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  ENTRY_INPUTS,
  FILE_KEYS,
  INPUT_NAMES,
  SETTINGS,
  parseConfig,
} from '../../src/config/config.js';
import { OUTPUTS } from '../../src/action/outcome.js';
import { ROOT } from '../helpers/cli.js';

const action = parse(readFileSync(`${ROOT}action.yml`, 'utf8')) as {
  inputs: Record<string, { description?: string; default?: string }>;
};

interface Row {
  input: string | null;
  file: string | null;
  default: string;
  meaning: string;
}

function readmeTable(): Row[] {
  const readme = readFileSync(`${ROOT}README.md`, 'utf8');
  const start = readme.indexOf('<!-- config-table:start -->');
  const end = readme.indexOf('<!-- config-table:end -->');
  expect(start, 'README has the config-table markers').toBeGreaterThan(0);
  const lines = readme
    .slice(start, end)
    .split('\n')
    .filter((l) => l.startsWith('|'))
    .slice(2); // header and separator
  const code = (cell: string): string | null => (cell === '—' ? null : cell.replace(/^`|`$/g, ''));
  return lines.map((line) => {
    const cells = line
      .slice(1, -1)
      .split(/(?<!\\)\|/)
      .map((c) => c.trim().replace(/\\\|/g, '|'));
    expect(cells, line).toHaveLength(4);
    return {
      input: code(cells[0]!),
      file: code(cells[1]!),
      default: cells[2] === '(empty)' ? '' : cells[2]!.replace(/^`|`$/g, ''),
      meaning: cells[3]!,
    };
  });
}

const described: Record<string, { default: string; meaning: string }> = {
  ...ENTRY_INPUTS,
  ...SETTINGS,
};

describe('the configuration surface', () => {
  it("README's table lists every key once, with the parser's input name, file key, default and meaning", () => {
    const rows = readmeTable();
    const names = rows.map((r) => r.input ?? r.file);
    expect(names).toEqual([...Object.keys(ENTRY_INPUTS), ...Object.keys(SETTINGS)]);
    for (const row of rows) {
      const key = (row.input ?? row.file)!;
      expect(row.input !== null, `${key}: input column`).toBe(INPUT_NAMES.includes(key));
      expect(row.file !== null, `${key}: file column`).toBe(FILE_KEYS.includes(key));
      expect(row.default, `${key}: default`).toBe(described[key]!.default);
      expect(row.meaning, `${key}: meaning`).toBe(described[key]!.meaning);
    }
  });

  it('action.yml declares exactly the inputs, without defaults (except the token), each describing the built-in default', () => {
    expect(Object.keys(action.inputs)).toEqual([...INPUT_NAMES]);
    for (const [name, input] of Object.entries(action.inputs)) {
      expect(input.description?.startsWith(described[name]!.meaning), name).toBe(true);
      if (name === 'github-token') {
        expect(input.default).toBe('${{ github.token }}');
        continue;
      }
      // A default here would be set as INPUT_<NAME> by the runner and override the file.
      expect(input.default, `${name} must have no default in action.yml`).toBeUndefined();
      const shown = described[name]!.default;
      expect(input.description, name).toContain(
        shown === '' ? 'Built-in default: empty.' : `Built-in default: \`${shown}\`.`,
      );
    }
  });

  it("README's outputs table is the outputs the entry sets, with their meanings", () => {
    const readme = readFileSync(`${ROOT}README.md`, 'utf8');
    const start = readme.indexOf('<!-- outputs-table:start -->');
    const end = readme.indexOf('<!-- outputs-table:end -->');
    expect(start, 'README has the outputs-table markers').toBeGreaterThan(0);
    const rows = readme
      .slice(start, end)
      .split('\n')
      .filter((l) => l.startsWith('|'))
      .slice(2)
      .map((line) =>
        line
          .slice(1, -1)
          .split(' | ')
          .map((c) => c.trim()),
      );
    expect(rows).toEqual(
      Object.entries(OUTPUTS).map(([name, meaning]) => [`\`${name}\``, meaning]),
    );
  });

  it('the file accepts every documented file key and nothing else', () => {
    for (const key of FILE_KEYS) expect(() => parseConfig({ file: { [key]: null } })).not.toThrow();
    for (const key of Object.keys(ENTRY_INPUTS))
      expect(() => parseConfig({ file: { [key]: 'x' } })).toThrow(/action input only/);
    expect(() => parseConfig({ file: { fail_on: 'review' } })).toThrow(
      "'.perf-verdict.yml: fail_on' is not a setting; did you mean 'fail-on'?",
    );
  });

  it('each documented default is what an unset key parses to', () => {
    for (const [key, spec] of Object.entries(SETTINGS)) {
      if (!spec.input || spec.default === '') continue;
      const asInput = key === 'tools' ? spec.default.replace(/ /g, '\n') : spec.default;
      expect(spec.schema.parse(asInput), key).toEqual(spec.schema.parse(undefined));
    }
    expect(parseConfig({}).defaults).toEqual({ testInput: undefined, mode: 'function' });
  });
});
