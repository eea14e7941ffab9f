import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
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

  it('declares the six outputs', () => {
    expect(Object.keys(action.outputs).sort()).toEqual(
      ['check-run-id', 'comment-id', 'registry', 'report', 'score', 'verdict'].sort(),
    );
  });

  // Inputs and their (code) defaults: test/unit/config-surface.test.ts.
});
