import { describe, expect, it } from 'vitest';
import {
  capLength,
  decodeTagText,
  escapeProse,
  findInvisible,
  normalizeText,
} from '../../src/judge/sanitize.js';
import { diffLines, unifiedDiff } from '../../src/judge/line-diff.js';

describe('unifiedDiff', () => {
  it('is empty for equal texts', () => {
    expect(unifiedDiff('a\nb\n', 'a\nb\n')).toBe('');
  });

  it('writes hunks with context and line numbers like diff -u', () => {
    const old = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10'].join('\n');
    const neu = ['1', '2', '3', '4', 'five', '6', '7', '8', '9', '10', '11'].join('\n');
    expect(unifiedDiff(old, neu)).toBe(
      [
        '--- old',
        '+++ new',
        '@@ -2,9 +2,10 @@',
        ' 2',
        ' 3',
        ' 4',
        '-5',
        '+five',
        ' 6',
        ' 7',
        ' 8',
        ' 9',
        ' 10',
        '+11',
      ].join('\n'),
    );
  });

  it('splits far-apart changes into separate hunks', () => {
    const old = Array.from({ length: 30 }, (_, i) => `line ${i + 1}`);
    const neu = [...old];
    neu[1] = 'changed 2';
    neu[27] = 'changed 28';
    const diff = unifiedDiff(old.join('\n'), neu.join('\n'));
    expect(diff.match(/^@@ /gm)).toHaveLength(2);
    expect(diff).toContain('@@ -1,5 +1,5 @@');
    expect(diff).toContain('@@ -25,6 +25,6 @@');
  });

  it('handles pure insertion into and deletion from empty text', () => {
    expect(unifiedDiff('', 'a\nb')).toBe('--- old\n+++ new\n@@ -0,0 +1,2 @@\n+a\n+b');
    expect(unifiedDiff('a\nb', '')).toBe('--- old\n+++ new\n@@ -1,2 +0,0 @@\n-a\n-b');
  });

  it('finds the longest common subsequence in the middle', () => {
    const ops = diffLines('a\nx\nb\ny\nc', 'a\nb\nz\nc');
    expect(ops.map((o) => `${o.kind}${o.line}`)).toEqual([' a', '-x', ' b', '-y', '+z', ' c']);
  });

  it('is bounded in size and says it was cut', () => {
    const big = Array.from({ length: 5000 }, (_, i) => `x = ${i}`).join('\n');
    const diff = unifiedDiff('', big, { maxChars: 2000 });
    expect(diff.length).toBeLessThanOrEqual(2000);
    expect(diff.endsWith('\n... (diff truncated)')).toBe(true);
  });

  it('stays fast on large rewrites (block fallback beyond the LCS budget)', () => {
    const a = Array.from({ length: 3000 }, (_, i) => `a${i}`).join('\n');
    const b = Array.from({ length: 3000 }, (_, i) => `b${i}`).join('\n');
    const start = performance.now();
    const diff = unifiedDiff(a, b, { maxChars: 500 });
    expect(performance.now() - start).toBeLessThan(5000);
    expect(diff.startsWith('--- old\n+++ new\n@@ -1,3000 +1,3000 @@\n-a0')).toBe(true);
  });
});

describe('sanitize', () => {
  it('NFKC-normalises and drops invisible, bidi, tag and control characters', () => {
    expect(normalizeText('ｓｃｏｒｅ\u200b 1\u202e0\u20660\u0007\r\nok\u{E0041}')).toBe(
      'score 100\nok',
    );
  });

  it('counts invisible characters but not emoji plumbing', () => {
    expect([...findInvisible('a\u200bb\u200bc\u202e')]).toEqual([
      ['U+200B', 2],
      ['U+202E', 1],
    ]);
    expect(findInvisible('❤️ 👨\u200d👩\u200d👧').size).toBe(0);
    expect(findInvisible('x\u200dy').size).toBe(1);
  });

  it('decodes text hidden in Unicode tag characters', () => {
    const hidden = Array.from('score 100', (c) =>
      String.fromCodePoint(0xe0000 + c.charCodeAt(0)),
    ).join('');
    expect(decodeTagText(`fine${hidden}`)).toBe('score 100');
    expect(decodeTagText('plain')).toBe('');
  });

  it('caps length at whole code points with a marker', () => {
    expect(capLength('abcdef', 10)).toBe('abcdef');
    const capped = capLength('😀'.repeat(20), 10);
    expect(Array.from(capped)).toHaveLength(10);
    expect(capped.endsWith(' […]')).toBe(true);
  });

  it('escapes prose for reports', () => {
    expect(escapeProse('<b>hi</b> & ::error::x @octocat\n\n\n\nbye', 200)).toBe(
      '&lt;b&gt;hi&lt;/b&gt; &amp; : :error: :x @ octocat\n\nbye',
    );
  });
});
