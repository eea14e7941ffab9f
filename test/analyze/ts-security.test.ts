/** TS/JS security rules on a planted corpus (every rule, on the line it is planted) and on look-alikes. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAnalyzer } from '../../src/analyze/index.js';
import { ROOT } from '../helpers/cli.js';

const dir = join(ROOT, 'test/fixtures/analyze/ts');

describe('TS/JS security findings', () => {
  it('finds every planted issue on its line, and nothing else', async () => {
    const code = readFileSync(join(dir, 'planted.ts'), 'utf8');
    const expected = code
      .split('\n')
      .flatMap((line, i) => [...line.matchAll(/\/\/ (JS-[A-Z-]+)/g)].map((m) => `${i + 1}:${m[1]}`))
      .filter((k) => !k.endsWith(':JS-TS'));
    const analysis = await createAnalyzer().analyze(code, 'typescript');
    if (!analysis.security.available) throw new Error(analysis.security.reason);
    const found = analysis.security.issues.map((i) => `${i.line}:${i.rule}`);
    expect(found.sort()).toEqual(expected.sort());
    expect(new Set(found.map((k) => k.split(':')[1])).size).toBe(13);
    expect(analysis.security.total_issues).toBe(found.length);
    const counts = analysis.security.severity_counts;
    expect(counts.LOW + counts.MEDIUM + counts.HIGH).toBe(found.length);
  });

  it('reports nothing for literal and safe look-alikes', async () => {
    const code = readFileSync(join(dir, 'clean.ts'), 'utf8');
    const analysis = await createAnalyzer().analyze(code, 'typescript');
    expect(analysis.security).toMatchObject({ available: true, total_issues: 0 });
  });
});
