/**
 * TS/JS complexity against ESLint's own `complexity` rule (classic variant), run in-process
 * with typescript-eslint's parser for .ts, over real code from installed packages.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { Linter } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';
import { createAnalyzer } from '../../src/analyze/index.js';
import type { AnalysisInput } from '../../src/analyze/index.js';
import { multisetMatches, sourcesIn } from './oracle-helpers.js';

const CORPUS: ReadonlyArray<readonly [string, '.js' | '.ts']> = [
  ['node_modules/picomatch/lib', '.js'],
  ['node_modules/yaml/dist/compose', '.js'],
  ['node_modules/yaml/dist/parse', '.js'],
  ['node_modules/yaml/dist/stringify', '.js'],
  ['node_modules/zod/src/v4/core', '.ts'],
  ['node_modules/zod/src/v4/classic', '.ts'],
];

function eslintComplexities(linter: Linter, code: string, file: string): string[] {
  const messages = linter.verify(
    code,
    [
      {
        files: ['**/*.js', '**/*.ts'],
        languageOptions: file.endsWith('.ts')
          ? { parser: tseslint.parser, sourceType: 'module' }
          : { sourceType: 'module', ecmaVersion: 'latest' },
        rules: { complexity: ['error', 0] },
      },
    ],
    { filename: basename(file) },
  );
  const fatal = messages.find((m) => m.fatal === true);
  if (fatal !== undefined) throw new Error(`ESLint cannot parse ${file}: ${fatal.message}`);
  return messages
    .filter((m) => m.ruleId === 'complexity')
    .map((m) => `${m.line}:${/complexity of (\d+)/.exec(m.message)?.[1] ?? '?'}`);
}

describe('TS/JS complexity agrees with ESLint complexity', () => {
  it('matches on ≥ 98 % of functions over picomatch, yaml and zod sources', async () => {
    const files = CORPUS.flatMap(([dir, ext]) => sourcesIn(dir, ext));
    expect(files.length).toBeGreaterThanOrEqual(40);
    const linter = new Linter({ configType: 'flat' });
    const inputs: AnalysisInput[] = files.map((file) => ({
      code: readFileSync(file, 'utf8'),
      language: file.endsWith('.ts') ? 'typescript' : 'javascript',
    }));
    const analyses = await createAnalyzer().analyzeMany(inputs);
    let total = 0;
    let matched = 0;
    const misses: string[] = [];
    files.forEach((file, i) => {
      const expected = eslintComplexities(linter, inputs[i]!.code, file);
      const analysis = analyses[i]!;
      expect(analysis.correctness.syntax_valid, file).toBe(true);
      const ours = analysis.functions.map((f) => `${f.line}:${f.complexity}`);
      const hits = multisetMatches(expected, ours);
      total += expected.length;
      matched += hits;
      if (hits < expected.length) {
        const left = [...ours];
        for (const key of expected) {
          const at = left.indexOf(key);
          if (at === -1) misses.push(`${basename(file)} eslint ${key}`);
          else left.splice(at, 1);
        }
      }
    });
    const agreement = matched / total;
    console.log(
      `ESLint complexity agreement: ${matched}/${total} functions = ${(agreement * 100).toFixed(2)} % over ${files.length} files`,
    );
    if (misses.length > 0) console.log(`first disagreements:\n${misses.slice(0, 30).join('\n')}`);
    expect(total).toBeGreaterThan(500);
    expect(agreement).toBeGreaterThanOrEqual(0.98);
  });
});
