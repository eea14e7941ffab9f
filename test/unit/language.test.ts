import { describe, expect, it } from 'vitest';
import { detectLanguage, languageOfPath } from '../../src/domain/language.js';

describe('detectLanguage', () => {
  it.each([
    ['def multiply(a, b):\n    return a * b', 'python'],
    ['async def fetch(url):\n    return await get(url)', 'python'],
    ['import json\n\ndef parse(data): return json.loads(data)', 'python'],
    ['export default function add(a, b) { return a + b; }', 'javascript'],
    ['const f = (x) => x * 2;\nmodule.exports = f;', 'javascript'],
    [
      'export function sum(xs: number[]): number {\n  return xs.reduce((a, b) => a + b, 0);\n}',
      'typescript',
    ],
    ['interface Opts { n: number }\nexport default (o: Opts) => o.n;', 'typescript'],
  ])('%j is %s', (code, language) => {
    expect(detectLanguage(code)).toBe(language);
  });

  it('lets the file name decide', () => {
    expect(detectLanguage('def f(): pass', 'tools/x.ts')).toBe('typescript');
    expect(languageOfPath('a/b/checksum.mjs')).toBe('javascript');
    expect(languageOfPath('README')).toBeUndefined();
  });
});
