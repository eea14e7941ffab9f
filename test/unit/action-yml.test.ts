import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { OUTPUT_VERDICTS, OUTPUTS } from '../../src/action/outcome.js';
import { ROOT } from '../helpers/cli.js';

const action = parse(readFileSync(`${ROOT}action.yml`, 'utf8')) as {
  runs: { using: string; main: string };
  inputs: Record<string, { description?: string; default?: string }>;
  outputs: Record<string, { description?: string }>;
};

describe('action.yml', () => {
  it('runs the committed bundle on node24', () => {
    expect(action.runs).toEqual({ using: 'node24', main: 'dist/index.js' });
  });

  it('declares the outputs the entry sets, each with the meaning it is set with', () => {
    expect(Object.keys(action.outputs)).toEqual(Object.keys(OUTPUTS));
    for (const [name, meaning] of Object.entries(OUTPUTS))
      expect(action.outputs[name]?.description, name).toBe(meaning);
  });

  it('names every value the verdict output takes', () => {
    for (const verdict of OUTPUT_VERDICTS) expect(OUTPUTS.verdict).toContain(verdict);
  });

  // Inputs and their (code) defaults: test/unit/config-surface.test.ts.
});
