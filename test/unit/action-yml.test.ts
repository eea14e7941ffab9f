import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ACTION_INPUTS } from '../../src/action/inputs.js';
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

  it('declares exactly the inputs the code reads, each described with a default', () => {
    expect(Object.keys(action.inputs).sort()).toEqual([...ACTION_INPUTS].sort());
    for (const [name, input] of Object.entries(action.inputs)) {
      expect(input.description, name).toBeTruthy();
      expect(typeof input.default, name).toBe('string');
    }
  });

  it('declares the six outputs', () => {
    expect(Object.keys(action.outputs).sort()).toEqual(
      ['check-run-id', 'comment-id', 'registry', 'report', 'score', 'verdict'].sort(),
    );
  });

  it.each([
    ['ollama-model', 'qwen2.5-coder:3b'],
    ['ollama-timeout-seconds', '60'],
    ['time-budget-seconds', '20'],
    ['fail-on', 'reject'],
    ['accept-label', 'perf-verdict:accept'],
    ['registry', 'tools/index.json'],
    ['mode', 'full'],
    ['github-token', '${{ github.token }}'],
  ])('default of %s is %s', (name, value) => {
    expect(action.inputs[name]?.default).toBe(value);
  });
});
