/**
 * The registry dashboard without a browser: what the pages' data says (drift, creep, the
 * annotations), that registry text never reaches the HTML as markup, which files the writer
 * touches, the CLI's `registry dashboard` and `registry history --chart`. The browser's view is
 * test/render/dashboard-browser.test.ts.
 */
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  dashboardData,
  filterWords,
  pageName,
  toolData,
} from '../../src/registry/dashboard-data.js';
import { dashboardFiles, writeDashboard } from '../../src/registry/dashboard.js';
import { escapeHtml, inlineJson } from '../../src/registry/dashboard-html.js';
import { renderHistoryChart } from '../../src/registry/dashboard-terminal.js';
import { renderTrendSection } from '../../src/registry/dashboard-summary.js';
import { runCliInProcess } from '../helpers/cli-in-process.js';
import { dashboardRegistry, HOSTILE } from './fixtures/dashboard.js';

const ALERT = { percent: 10, versions: 5 };
const registry = dashboardRegistry();

describe('the data each page draws', () => {
  it('multiplies the side-by-side ratios along the accepted line, leaving rejected versions beside it', () => {
    const adder = toolData(registry['simple_adder']!, ALERT, null);
    // 1.0.2 was rejected: off the line; 1.0.3 was a REVIEW a human accepted: on it.
    expect(adder.points.drift).toEqual([1, 1.01, null, 1.212]);
    expect(adder.points.accepted_by).toEqual([null, null, null, 'octo-maintainer']);
    expect(adder.points.pull_request).toEqual([null, 12, 13, 14]);
    expect(adder.points.commit.every((c) => c !== null && /^[0-9a-f]{12}$/.test(c))).toBe(true);
    // +21 % across the window, but 1.0.3 was judged REVIEW: not a silent creep.
    expect(adder.alert.drift_percent).toBeCloseTo(21.2, 1);
    expect(adder.alert.creep).toBe(false);
  });

  it('flags a creep of steps each within noise, and only past the threshold', () => {
    const creep = toolData(registry['slow_creep']!, ALERT, null);
    // Last five line versions: four steps of ×1.04.
    expect(creep.alert.drift_percent).toBeCloseTo((1.04 ** 4 - 1) * 100, 1);
    expect(creep.alert.creep).toBe(true);
    expect(toolData(registry['slow_creep']!, { percent: 20, versions: 5 }, null).alert.creep).toBe(
      false,
    );
    // Across all seven versions the drift passes 20 %.
    expect(toolData(registry['slow_creep']!, { percent: 20, versions: 7 }, null).alert.creep).toBe(
      true,
    );
  });

  it('chains an update-rag benchmark (no side-by-side ratio) by its recorded times', () => {
    const csv = toolData(registry['csvParser']!, ALERT, null);
    expect(csv.points.drift).toEqual([1, Number((2.1 / 2.4).toPrecision(4)), 0.4375]);
  });

  it('reads an entry without history as an empty one, and finds tools by id, tag and requirement words', () => {
    const { index } = dashboardData(registry, ALERT, null);
    expect(index.tools.map((t) => t.tool_id)).toEqual([
      'csvParser',
      'guide_only',
      'hostile_text',
      'simple_adder',
      'slow_creep',
    ]);
    const guide = index.tools.find((t) => t.tool_id === 'guide_only')!;
    expect(guide).toMatchObject({ versions: 0, trend: [], drift_percent: null, creep: false });
    const csv = index.tools.find((t) => t.tool_id === 'csvParser')!;
    expect(filterWords(csv)).toEqual(expect.arrayContaining(['csv', 'parser', 'pars', 'record']));
    expect(csv.page).toBe(`tools/${pageName('csvParser')}.html`);
  });
});

describe('registry text stays text', () => {
  const files = dashboardFiles(registry, { alert: ALERT, links: null });
  const hostilePage = files.get(`tools/${pageName('hostile_text')}.html`)!;
  const index = files.get('index.html')!;

  it('escapes HTML and keeps inline JSON from closing its script element', () => {
    expect(escapeHtml(`<a href="x" onclick='y'>&`)).toBe(
      '&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;',
    );
    const json = inlineJson({ t: HOSTILE.requirement, u: HOSTILE.acceptedBy });
    expect(json).not.toMatch(/[<>&\u2028]/);
    expect(JSON.parse(json)).toEqual({ t: HOSTILE.requirement, u: HOSTILE.acceptedBy });
  });

  it.each([
    ['the tool page', () => hostilePage],
    ['the index', () => index],
  ])('%s holds no markup from the registry and only the site’s script', (_, html) => {
    const text = html();
    for (const needle of [
      '<script>window',
      '<img',
      '<svg onload',
      '<iframe',
      '<b onmouseover',
      '</title><script',
    ])
      expect(text).not.toContain(needle);
    // The site's script, and on a tool page its data block: nothing else opens a script.
    const scripts = text.match(/<script\b[^>]*>/g) ?? [];
    expect(
      scripts.filter((s) => /^<script src="(\.\.\/)?dashboard-(index|tool)\.js">$/.test(s)),
    ).toHaveLength(1);
    expect(scripts.filter((s) => s !== '<script type="application/json" id="data">')).toHaveLength(
      1,
    );
  });

  it('each page allows scripts and styles from the site only, none inline, and no connection', () => {
    for (const html of [index, hostilePage]) {
      const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1] ?? '';
      expect(csp).toBe(
        "default-src 'none'; style-src 'self'; script-src 'self'; img-src data:; base-uri 'none'; form-action 'none'",
      );
    }
  });

  it('names pages by a hash of the id, so an id never builds a path', () => {
    for (const path of files.keys())
      expect(path).toMatch(
        /^(index\.(html|json)|dashboard(\.css|-index\.js|-tool\.js)|tools\/[0-9a-f]{16}\.(html|json))$/,
      );
  });
});

describe('writing the site', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'pv-dashboard-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('removes the pages of tools no longer in the registry and nothing else', async () => {
    mkdirSync(join(dir, 'tools'), { recursive: true });
    writeFileSync(join(dir, 'tools', `${'0'.repeat(16)}.html`), 'stale page');
    writeFileSync(join(dir, 'tools', 'notes.md'), 'the project’s own file');
    writeFileSync(join(dir, 'CNAME'), 'perf.example.org');
    const site = await writeDashboard(registry, dir, { alert: ALERT, links: null });
    const tools = readdirSync(join(dir, 'tools')).sort();
    expect(tools).toContain('notes.md');
    expect(tools).not.toContain(`${'0'.repeat(16)}.html`);
    expect(tools.filter((f) => f.endsWith('.html'))).toHaveLength(5);
    expect(readFileSync(join(dir, 'CNAME'), 'utf8')).toBe('perf.example.org');
    expect(site.files).toHaveLength(15);
  });

  it('`registry dashboard` writes the site from --registry into --out', async () => {
    const file = join(dir, 'index.json');
    writeFileSync(file, JSON.stringify(registry));
    const out = join(dir, 'site');
    const run = await runCliInProcess(
      [
        'registry',
        'dashboard',
        '--registry',
        file,
        '--out',
        out,
        '--repository',
        'octo/tools',
        '--json',
      ],
      '',
      { env: {}, cwd: dir },
    );
    expect(run.code, run.stdout).toBe(0);
    expect(run.json).toMatchObject({ tools: 5, files: 15, index: join(out, 'index.html') });
    const page = JSON.parse(
      readFileSync(join(out, 'tools', `${pageName('simple_adder')}.json`), 'utf8'),
    ) as { links: unknown; points: { version: string[] } };
    expect(page.links).toEqual({ serverUrl: 'https://github.com', repository: 'octo/tools' });
    expect(page.points.version).toEqual(['1.0.0', '1.0.1', '1.0.2', '1.0.3']);
  });

  it.each([
    [['--out', ''], 'out'],
    [['--out', 'x', '--drift-percent', 'ten'], 'drift-percent'],
    [['--out', 'x', '--drift-versions', '1'], 'drift-versions'],
    [['--out', 'x', '--repository', 'javascript:alert(1)//x'], 'repository'],
    [['--out', 'x', '--repository', 'o/r', '--server-url', 'javascript:alert(1)'], 'server-url'],
  ])('refuses %j, naming the field', async (flags, field) => {
    const run = await runCliInProcess(['registry', 'dashboard', ...flags], '', {
      env: {},
      cwd: dir,
    });
    expect(run.code).toBe(1);
    expect(run.json).toMatchObject({ success: false, error: { field } });
  });
});

describe('the flags of each subcommand', () => {
  it('takes dashboard flags for dashboard only, and --chart for history only', async () => {
    for (const args of [
      ['registry', 'list', '--out', 'x'],
      ['registry', 'show', 'x', '--chart'],
    ]) {
      const run = await runCliInProcess(args, '', { env: {}, cwd: tmpdir() });
      expect(run.json).toMatchObject({ success: false, error: { kind: 'invalid_input' } });
      expect((run.json as { error: { message: string } }).error.message).toMatch(/^unknown option/);
    }
  });
});

describe('registry history --chart', () => {
  it('draws each version as a column, its interval as a band, in Unicode', () => {
    const chart = renderHistoryChart(registry['simple_adder']!, true);
    const lines = chart.split('\n');
    expect(lines[0]).toMatch(/^simple_adder: time per call across 4 versions {2}[▁-█]{4}$/);
    expect(chart.match(/●/g)?.length).toBe(4 + 1); // four points and the legend's
    expect(chart).toContain('░');
    expect(chart).toContain('1.0.0 1.0.1 1.0.2 1.0.3');
    expect(chart).toContain('not current: 1.0.2: rejected, 1.0.3: review_required');
  });

  it('falls back to ASCII without a UTF-8 locale, through the CLI', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pv-chart-'));
    try {
      const file = join(dir, 'index.json');
      writeFileSync(file, JSON.stringify(registry));
      const args = ['registry', 'history', 'slow_creep', '--chart', '--registry', file];
      const ascii = await runCliInProcess(args, '', { env: { LANG: 'C' }, cwd: dir });
      expect(ascii.code).toBe(0);
      expect(ascii.stdout).toMatch(/^[\x20-\x7e\n]+$/);
      expect(ascii.stdout).toContain('*');
      const unicode = await runCliInProcess(args, '', { env: { LANG: 'C.UTF-8' }, cwd: dir });
      expect(unicode.stdout).toContain('●');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the record summary’s trend charts', () => {
  it('draws the recorded tools’ last versions with their interval bounds, in the tool’s unit', () => {
    const section = renderTrendSection(registry, ['simple_adder', 'guide_only', 'simple_adder']);
    expect(section.match(/```mermaid/g)).toHaveLength(1); // guide_only has no timed version
    expect(section).toContain('title "simple_adder: time per call (ns)"');
    expect(section).toContain('x-axis ["1.0.0", "1.0.1", "1.0.2", "1.0.3"]');
    expect(section).toContain('line [189, 191, 340, 230]');
    // 1.0.1: 191 ns × 0.98 / 1.01; the first version has no interval: its bounds are its time.
    expect(section).toContain(`line [189, ${Number(((191 * 0.98) / 1.01).toPrecision(4))}, `);
  });

  it('keeps the last versions only, and nothing of the registry’s text', () => {
    const creep = renderTrendSection(registry, ['slow_creep'], 3);
    expect(creep).toContain('x-axis ["2.0.4", "2.0.5", "2.0.6"]');
    const hostile = renderTrendSection(registry, ['hostile_text']);
    expect(hostile).toContain('title "hostile_text: time per call (µs)"');
    expect(hostile).not.toMatch(/pwned|script|onerror|mallory|iframe/);
    expect(renderTrendSection(registry, ['guide_only', 'not_there'])).toBe('');
  });
});
