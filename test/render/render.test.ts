import { describe, expect, it } from 'vitest';
import { commandSafe, escapeInline, fenced, plainInline } from '../../src/core/escape.js';
import {
  COMMENT_MARKER,
  MAX_BODY,
  renderCheck,
  renderComment,
  renderHeadline,
  renderRow,
  renderSummary,
  renderTerminal,
} from '../../src/core/render.js';
import { worstVerdict, checkConclusion, parseUntrustedReport } from '../../src/core/report.js';
import { comparison, demoReport, evaluation, report, row } from './fixtures.js';

describe('the PR comment', () => {
  it('matches its snapshot for the demo report', () => {
    expect(
      renderComment(demoReport(), { runUrl: 'https://github.com/octo/tools/actions/runs/1' }, 'd1'),
    ).toMatchSnapshot();
  });

  it('leads with the worst verdict, and its headline agrees with the rows', () => {
    const body = renderComment(demoReport(), {}, 'd1');
    expect(
      body.startsWith(
        `${COMMENT_MARKER}\n<!-- perf-verdict:digest=d1 -->\n## perf-verdict: ❌ REJECT — 1 rejected, 3 accepted (4 changed tools)`,
      ),
    ).toBe(true);
    const rows = body.split('\n').filter((l) => l.startsWith('| **'));
    expect(rows[0]).toMatch(/^\| \*\*slow_sort\*\* .*❌ REJECT \|$/);
    expect(rows[0]).toContain('+202 % [+190 %, +210 %]');
  });

  it('collapses rows unchanged within noise, and shows the security fix', () => {
    const body = renderComment(demoReport(), {}, 'd1');
    expect(body).toMatch(
      /<details><summary>1 tool unchanged within noise<\/summary>\n\n\| Tool [^\n]+\n[^\n]+\n\| \*\*quiet\*\*/,
    );
    expect(body).toMatch(/\| \*\*safe_eval\*\* [^\n]*1 → 0 🔒 1 fixed/);
    expect(body).toContain('- fixed findings:\n  - B307 (HIGH) line 3');
  });

  it('a PR with no changed tool gets a short comment', () => {
    const body = renderComment(report([]), {}, 'd0');
    expect(body).toContain('## perf-verdict: ⚪ NONE — no tool changed in this pull request');
    expect(body.length).toBeLessThan(600);
  });

  it('stays under 65,536 characters and says where it was cut', () => {
    const long = 'x'.repeat(3000);
    const tools = Array.from({ length: 300 }, (_, i) =>
      row({
        id: `tool_${String(i).padStart(3, '0')}`,
        verdict: 'REVIEW',
        score: 50,
        comparison: comparison(1.2, 1.1, 1.3, 'regression'),
        evaluation: evaluation(50, 'REVIEW', long),
      }),
    );
    const body = renderComment(report(tools), {}, 'd');
    expect(body.length).toBeLessThanOrEqual(MAX_BODY);
    expect(body).toMatch(/Details of \d+ tools cut to stay under GitHub's 65,536-character limit/);
    expect(body).toContain('| **tool_299**');
    const summary = renderSummary(report(tools.slice(0, 20)), {});
    expect(summary).not.toContain('cut to stay under');
  });

  it('shows an override and an unjudged (measure mode) report', () => {
    const rejected = report([row({ id: 'slow', verdict: 'REJECT', score: 10 })], {
      override: { by: 'octocat', via: 'label', detail: 'perf-verdict:accept' },
    });
    expect(renderHeadline(rejected)).toBe(
      'perf-verdict: ❌ REJECT — 1 rejected (1 changed tool) · accepted by `octocat` (label)',
    );
    const measured = report([row({ id: 'a', verdict: null, score: null })], {
      verdict: null,
      judge: null,
    });
    expect(renderHeadline(measured)).toBe(
      'perf-verdict: ⏳ measured, not judged — 1 measured, not judged yet (1 changed tool)',
    );
  });

  it('says loudly in the headline, comment, summary and check when tool code ran unsandboxed', () => {
    const why = 'bubblewrap (bwrap) is not installed: apt-get install bubblewrap';
    const unsandboxed = report([
      row({
        id: 'a',
        verdict: 'ACCEPT',
        score: 90,
        comparison: {
          ...comparison(1, 0.99, 1.01, 'unchanged'),
          sandbox: { mode: 'auto', kind: 'none', reason: why },
        },
      }),
    ]);
    const loud = `unsandboxed: ${why}`;
    expect(renderHeadline(unsandboxed)).toContain(`⚠️ ${loud}`);
    expect(renderComment(unsandboxed, {}, 'd')).toContain(loud);
    expect(renderSummary(unsandboxed, {})).toContain(loud);
    expect(renderCheck(unsandboxed, {}).title).toContain(loud);
    const sandboxed = report([
      row({
        id: 'a',
        verdict: 'ACCEPT',
        score: 90,
        comparison: {
          ...comparison(1, 0.99, 1.01, 'unchanged'),
          sandbox: { mode: 'auto', kind: 'bwrap' },
        },
      }),
    ]);
    expect(renderHeadline(sandboxed)).not.toContain('unsandboxed');
    // The report file keeps which sandbox ran, through the untrusted-report parser too.
    const parsed = parseUntrustedReport(
      JSON.parse(JSON.stringify({ ...unsandboxed, mode: 'measure' })),
    );
    expect(parsed.tools[0]?.comparison?.sandbox).toEqual({
      mode: 'auto',
      kind: 'none',
      reason: why,
    });
  });

  it('the check output and the terminal table carry the same rows', () => {
    const check = renderCheck(demoReport(), {});
    expect(check.title).toBe('❌ REJECT — 1 rejected, 3 accepted (4 changed tools)');
    expect(check.summary).toContain('| **slow_sort**');
    expect(check.text).toContain('A 3x regression with no stated reason.');
    const terminal = renderTerminal(demoReport());
    expect(
      terminal
        .split('\n')
        .filter((l) => l.startsWith('| **'))
        .map((l) => l.split(' | ')[0]),
    ).toEqual(['| **slow_sort**', '| **fast_sum**', '| **quiet**', '| **safe_eval**']);
  });
});

describe('escaping untrusted text', () => {
  const hostile =
    'evil @octocat <script>alert(1)</script> | a | b\nnew line `code` [x](http://e) </details>';

  it.each([
    ['@mention', '@octocat', '&#64;octocat'],
    ['HTML', '<script>', '&lt;script&gt;'],
    ['pipe', 'a | b', 'a &#124; b'],
    ['newline', 'a\nb\r\nc', 'a b c'],
    ['backtick', '`x`', '&#96;x&#96;'],
    ['link', '[x](y)', '&#91;x&#93;(y)'],
    ['bidi override', 'a\u202eb', 'ab'],
  ])('%s', (_, input, expected) => {
    expect(escapeInline(input)).toBe(expected);
  });

  it('log lines and terminal cells cannot become workflow commands or ANSI escapes', () => {
    expect(commandSafe('::stop-commands::token: ACCEPT')).toBe(' ::stop-commands::token: ACCEPT');
    expect(commandSafe('tool a\n::add-mask::x')).toBe('tool a ::add-mask::x');
    expect(plainInline('\u001b[31mred\u001b[0m | x\ny')).toBe('[31mred[0m \\| x y');
  });

  it('a hostile tool id cannot break the table, mention anyone or inject HTML', () => {
    const line = renderRow(row({ id: hostile }));
    expect(line.split('\n')).toHaveLength(1);
    // 9 columns: 10 unescaped pipes.
    expect(line.match(/\|/g)).toHaveLength(10);
    expect(line).not.toMatch(/@octocat|<script>|<\/details>|`/);
  });

  it('hostile judge reasoning stays inside its fence', () => {
    const block = fenced('```\n</details>\n@octocat\n````');
    const fence = block.split('\n')[0]!.replace('text', '');
    expect(fence).toBe('`````');
    expect(block.endsWith(`\n${fence}`)).toBe(true);
    const body = renderComment(
      report([
        row({
          id: 'x',
          evaluation: evaluation(50, 'REVIEW', hostile),
          verdict: 'REVIEW',
          score: 50,
        }),
      ]),
      {},
      'd',
    );
    // Inside a fence nothing renders; outside it nothing hostile may remain.
    const outside = body.replace(/(`{3,})text\n[\s\S]*?\n\1/g, '');
    expect(outside).not.toBe(body);
    expect(outside).not.toMatch(/<script>|@octocat/);
  });
});

describe('aggregation and check conclusion', () => {
  it.each([
    [[], 'NONE'],
    [['ACCEPT', 'ACCEPT'], 'ACCEPT'],
    [['ACCEPT', 'REVIEW'], 'REVIEW'],
    [['REVIEW', 'REJECT', 'ACCEPT'], 'REJECT'],
    // null: not judged (a removed tool in record mode); it does not count.
    [[null, 'ACCEPT'], 'ACCEPT'],
    [[null], 'NONE'],
  ] as const)('%j → %s', (verdicts, expected) => {
    expect(worstVerdict(verdicts.map((verdict) => ({ verdict })))).toBe(expected);
  });

  it.each([
    ['REJECT', 'reject', null, 'failure'],
    ['REVIEW', 'reject', null, 'neutral'],
    ['ACCEPT', 'reject', null, 'success'],
    ['NONE', 'reject', null, 'success'],
    ['REVIEW', 'review', null, 'failure'],
    ['REJECT', 'never', null, 'neutral'],
    ['REJECT', 'reject', { by: 'a', via: 'label', detail: '' }, 'success'],
  ] as const)('%s with fail-on %s, override %j → %s', (verdict, failOn, override, expected) => {
    expect(checkConclusion(verdict, failOn, override)).toBe(expected);
  });
});

describe('an artifact is untrusted data', () => {
  const good = (): any => JSON.parse(JSON.stringify({ ...demoReport(), mode: 'measure' }));

  it('keeps measurements and code, drops verdicts, scores and evaluations', () => {
    const parsed = parseUntrustedReport(good());
    expect(parsed.tools).toHaveLength(4);
    expect(parsed.tools[0]!.comparison?.time.ratio).toBe(0.33);
    expect(
      parsed.tools.every((t) => t.verdict === null && t.score === null && t.evaluation === null),
    ).toBe(true);
  });

  it.each([
    ['a wrong schema', (r: any) => (r.schema = 'other'), /'schema'/],
    [
      'a non-finite ratio',
      (r: any) => (r.tools[0].comparison.time.ratio = 'NaN'),
      /tools\[0\]\.comparison\.time\.ratio/,
    ],
    [
      'an unknown change',
      (r: any) => (r.tools[1].comparison.time.change = 'great'),
      /time\.change' must be one of/,
    ],
    ['a bad sha', (r: any) => (r.head_sha = 'HEAD'), /'head_sha'/],
    ['a newline in an id', (r: any) => (r.tools[0].id = 'a\nb'), /tools\[0\]\.id/],
    ['an unknown status', (r: any) => (r.tools[0].status = 'trusted'), /tools\[0\]\.status/],
    ['a judged report', (r: any) => (r.mode = 'full'), /'mode'/],
  ])('rejects %s', (_, tamper, message) => {
    const r = good();
    tamper(r);
    expect(() => parseUntrustedReport(r)).toThrow(message);
  });
});
