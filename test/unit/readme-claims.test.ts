/**
 * README's status table claims only what the tests and docs/ prove: the analysis thresholds it
 * quotes are the ones the oracle tests assert, and the precision trial count is the one
 * docs/measurement.md reports.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';

const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8');
const status = (): string => {
  const readme = read('README.md');
  return readme.slice(
    readme.indexOf('<!-- status:start -->'),
    readme.indexOf('<!-- status:end -->'),
  );
};
/** The thresholds a test file asserts with `toBeGreaterThanOrEqual(0.xx)`, as percentages. */
const thresholds = (path: string): number[] =>
  [...read(path).matchAll(/toBeGreaterThanOrEqual\((0\.\d+)\)/g)].map((m) =>
    Math.round(Number(m[1]) * 100),
  );

describe("README's status table", () => {
  it('quotes the analysis thresholds the oracle tests assert, not more', () => {
    const row = status()
      .split('\n')
      .find((line) => line.includes('static analysis'));
    expect(row).toBeDefined();
    const python = thresholds('test/analyze/python-oracles.test.ts');
    const eslint = thresholds('test/analyze/eslint-oracle.test.ts');
    expect(python).toHaveLength(2);
    expect(row).toContain(`radon's for ≥ ${python[0]} %`);
    expect(row).toContain(`≥ ${python[1]} % of bandit's findings`);
    expect(row).toContain(`ESLint's for ≥ ${eslint[0]} %`);
    // "100 %" only as what was last measured, with where to read it.
    expect(row).not.toMatch(/100 % agreement/);
    expect(read('docs/analysis.md')).toContain(`needs ≥ ${python[0]} %`);
  });

  it("quotes the precision trial count docs/measurement.md's results report", () => {
    const trials = /bench\/precision, (\d+) trials per cell/.exec(status())?.[1];
    expect(trials).toBeDefined();
    expect(read('docs/measurement.md')).toMatch(new RegExp(`^## Results at ${trials} trials`, 'm'));
  });
});
