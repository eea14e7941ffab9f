/**
 * The registry dashboard as a person opens it: the site built from the dashboard fixture
 * (accepted, rejected, reviewed and human-accepted versions, a benchmark, a slow creep, an
 * entry of hostile text) opened from disk in headless Chromium at 375 px and 1280 px. On every
 * page: no console error, no request but the page itself, no dialog, no script from the
 * registry, no sideways scroll; every chart's points are the page's JSON in count and value;
 * the index's filter and sort work. Screenshots go to test-artifacts/dashboard/ (gitignored),
 * or to PERF_VERDICT_SCREENSHOTS.
 *
 * Needs Chromium at /usr/bin/chromium (.ci/run installs it); without it the test is skipped
 * and says why.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ToolData } from '../../src/registry/dashboard-data.js';
import { pageName } from '../../src/registry/dashboard-data.js';
import { writeDashboard } from '../../src/registry/dashboard.js';
import { renderTrendSection } from '../../src/registry/dashboard-summary.js';
import { ROOT } from '../helpers/cli.js';
import { CHROMIUM, launchChromium } from '../helpers/chromium.js';
import { dashboardRegistry, HOSTILE } from '../registry/fixtures/dashboard.js';

const skipReason = existsSync(CHROMIUM)
  ? null
  : `no Chromium at ${CHROMIUM} (apt-get install -y chromium)`;
if (skipReason !== null) console.warn(`dashboard browser check skipped: ${skipReason}`);

const WIDTHS = [375, 1280] as const;
const registry = dashboardRegistry();
const TOOLS = Object.keys(registry).sort();

/** A DOM expression evaluated in the page (a string: the tests' TypeScript has no DOM types). */
async function inPage<T>(page: Page, expression: string): Promise<T> {
  return (await page.evaluate(expression)) as T;
}

/** The text of every element `selector` matches. */
const texts = (page: Page, selector: string): Promise<string[]> =>
  inPage(
    page,
    `Array.from(document.querySelectorAll(${JSON.stringify(selector)}), (e) => e.textContent)`,
  );

interface Point {
  readonly i: number;
  readonly value: number;
  readonly low: number | null;
  readonly high: number | null;
}

/** The points a chart drew, as its SVG says. */
const pointsOf = (page: Page, chart: string): Promise<Point[]> =>
  inPage(
    page,
    `Array.from(document.querySelectorAll('#${chart} g.pt'), (g) => ({
      i: Number(g.getAttribute('data-i')),
      value: Number(g.getAttribute('data-value')),
      low: g.hasAttribute('data-low') ? Number(g.getAttribute('data-low')) : null,
      high: g.hasAttribute('data-high') ? Number(g.getAttribute('data-high')) : null,
    }))`,
  );

interface Visit {
  readonly page: Page;
  readonly problems: string[];
}

describe.skipIf(skipReason !== null)('the registry dashboard in Chromium', () => {
  let dir: string;
  let browser: Browser;
  const shots =
    process.env['PERF_VERDICT_SCREENSHOTS'] ?? join(ROOT, 'test-artifacts', 'dashboard');

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pv-dashboard-browser-'));
    await writeDashboard(registry, join(dir, 'site'), {
      alert: { percent: 10, versions: 5 },
      links: { serverUrl: 'https://github.com', repository: 'octo/tools' },
    });
    mkdirSync(shots, { recursive: true });
    browser = await launchChromium(dir);
  }, 30_000);

  afterAll(async () => {
    await browser?.close();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  /**
   * Open a page of the site; every console error, dialog, failure and request for anything but
   * the page and the site's own script and style sheet is a problem.
   */
  async function visit(path: string, width: number): Promise<Visit> {
    const url = pathToFileURL(join(dir, 'site', path)).href;
    const own = new Set([
      url,
      ...['dashboard.css', 'dashboard-index.js', 'dashboard-tool.js'].map(
        (f) => pathToFileURL(join(dir, 'site', f)).href,
      ),
    ]);
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warn')
        problems.push(`console ${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${String(e)}`));
    page.on('request', (r) => {
      if (!own.has(r.url())) problems.push(`request: ${r.url()}`);
    });
    page.on('dialog', (d) => {
      problems.push(`dialog: ${d.message()}`);
      void d.dismiss();
    });
    await page.setViewport({ width, height: 900 });
    await page.goto(url, { waitUntil: 'load' });
    return { page, problems };
  }

  async function expectReadable(visit: Visit, name: string, width: number): Promise<void> {
    const { page, problems } = visit;
    const layout = (await page.evaluate(
      '({ scroll: document.documentElement.scrollWidth, view: window.innerWidth, pwned: window.__pwned ?? null })',
    )) as { scroll: number; view: number; pwned: unknown };
    expect(layout.pwned).toBeNull();
    expect(layout.scroll, `${name} scrolls sideways at ${width} px`).toBeLessThanOrEqual(
      layout.view,
    );
    await page.screenshot({ path: join(shots, `${name}-${width}.png`), fullPage: true });
    expect(problems).toEqual([]);
  }

  it.each(WIDTHS)(
    'index.html at %i px: every tool, readable, nothing requested',
    async (width) => {
      const v = await visit('index.html', width);
      expect(await texts(v.page, '#tools tbody tr td:first-child a')).toEqual(TOOLS);
      await expectReadable(v, 'index', width);
      await v.page.close();
    },
    30_000,
  );

  it('filters by id, tag and requirement words, and by drift; sorts by a column', async () => {
    const { page, problems } = await visit('index.html', 1280);
    const shown = async (query: string, drifting = false): Promise<string[]> => {
      await inPage(
        page,
        `(() => {
          const q = document.getElementById('q');
          q.value = ${JSON.stringify(query)};
          q.dispatchEvent(new Event('input'));
          const box = document.getElementById('creep');
          box.checked = ${String(drifting)};
          box.dispatchEvent(new Event('change'));
        })()`,
      );
      return texts(page, '#tools tbody tr:not([hidden]) td:first-child a');
    };
    expect(await shown('')).toHaveLength(TOOLS.length);
    expect(await shown('csv')).toEqual(['csvParser']);
    expect(await shown('adder')).toEqual(['simple_adder']);
    expect(await shown('arithmetic')).toEqual(['simple_adder']); // a tag
    expect(await shown('add numbers')).toEqual(['simple_adder']); // requirement words
    expect(await shown('the whitespace')).toEqual(['slow_creep']); // a stop word is ignored
    expect(await shown('parsing records')).toEqual(['csvParser']);
    expect(await shown('no such tool')).toEqual([]);
    expect(await shown('', true)).toEqual(['slow_creep']);
    expect(await texts(page, '#count')).toEqual([`1 of ${TOOLS.length} tools`]);
    await shown('');
    await page.click('button[data-col="2"]'); // time per call, ascending
    const times = await inPage<string[]>(
      page,
      `Array.from(document.querySelectorAll('#tools tbody tr td:nth-child(3)'), (td) => td.getAttribute('data-v'))`,
    );
    const known = times.filter((t) => t !== '').map(Number);
    expect(known).toEqual([...known].sort((a, b) => a - b));
    expect(
      await inPage(page, `document.querySelector('th:nth-child(3)').getAttribute('aria-sort')`),
    ).toBe('ascending');
    expect(problems).toEqual([]);
    await page.close();
  }, 30_000);

  describe.each(TOOLS)('the page of %s', (id) => {
    const base = `tools/${pageName(id)}`;
    const data = (): ToolData =>
      JSON.parse(readFileSync(join(dir, 'site', `${base}.json`), 'utf8')) as ToolData;

    it.each(WIDTHS)(
      'at %i px: its charts draw its JSON, nothing else runs or loads',
      async (width) => {
        const v = await visit(`${base}.html`, width);
        const d = data();
        const inline = await inPage<ToolData>(
          v.page,
          `JSON.parse(document.getElementById('data').textContent)`,
        );
        expect(inline).toEqual(d);
        const points = (chart: string): Promise<Point[]> => pointsOf(v.page, chart);
        const p = d.points;
        const expectSeries = (
          got: { i: number; value: number }[],
          values: readonly (number | null)[],
        ): void => {
          const want = values.flatMap((value, i) => (value === null ? [] : [{ i, value }]));
          expect(got.map(({ i, value }) => ({ i, value }))).toEqual(want);
        };
        const time = await points('time-chart');
        expectSeries(time, p.time_ms);
        for (const point of time) {
          const [r, lo, hi] = [p.ratio[point.i], p.ratio_low[point.i], p.ratio_high[point.i]];
          if (r == null || lo == null || hi == null) {
            expect(point.low).toBeNull();
            continue;
          }
          expect(point.low).toBeCloseTo((p.time_ms[point.i]! * lo) / r, 12);
          expect(point.high).toBeCloseTo((p.time_ms[point.i]! * hi) / r, 12);
        }
        expectSeries(await points('memory-chart'), p.memory_kb);
        expectSeries(await points('complexity-chart'), p.complexity);
        const first = p.drift.find((x) => x !== null);
        expectSeries(
          await points('drift-chart'),
          p.drift.map((x) =>
            x === null || first === undefined || first === null ? null : x / first,
          ),
        );
        expect(await inPage(v.page, `document.querySelectorAll('#versions tbody tr').length`)).toBe(
          p.version.length,
        );
        await expectReadable(v, id, width);
        await v.page.close();
      },
      30_000,
    );
  });

  it('annotates each version with verdict, PR, commit and who accepted it', async () => {
    const { page, problems } = await visit(`tools/${pageName('simple_adder')}.html`, 1280);
    const rows = await inPage<string[][]>(
      page,
      `Array.from(document.querySelectorAll('#versions tbody tr'), (tr) => Array.from(tr.cells, (td) => td.textContent))`,
    );
    // Newest first: 1.0.3 was a REVIEW a maintainer accepted, 1.0.2 a REJECT.
    expect(rows[0]).toEqual(
      expect.arrayContaining(['1.0.3', 'REVIEW (55)', 'review_required', '#14', 'octo-maintainer']),
    );
    expect(rows[1]).toEqual(
      expect.arrayContaining(['1.0.2', '×1.80 [1.70, 1.90]', 'REJECT (12)', 'rejected', '#13']),
    );
    const pr = await inPage(
      page,
      `document.querySelector('#versions tbody tr:nth-child(3) a').getAttribute('href')`,
    );
    expect(pr).toBe('https://github.com/octo/tools/pull/12');
    const [title] = await texts(page, '#time-chart g.pt[data-i="3"] title');
    expect(title).toContain(
      'REVIEW (55), review_required · PR #14 Overflow checks · commit a3a3a3a3a3a3 · accepted by octo-maintainer',
    );
    // Drift since 1.0.1 instead of 1.0.0: the line re-based on the chosen version.
    await page.select('#base', '1');
    const drift = (await pointsOf(page, 'drift-chart')).map((point) => point.value);
    expect(drift[0]).toBe(1);
    expect(drift[1]).toBeCloseTo(1.212 / 1.01, 12);
    expect(problems).toEqual([]);
    await page.close();
  }, 30_000);

  it('shows hostile registry text as text', async () => {
    const { page, problems } = await visit(`tools/${pageName('hostile_text')}.html`, 1280);
    expect(await texts(page, 'header .req')).toEqual([HOSTILE.requirement]);
    expect(await texts(page, 'header .tag')).toEqual([HOSTILE.tag]);
    expect(await texts(page, '#versions tbody tr:first-child td')).toContain(
      HOSTILE.acceptedBy.trim(),
    );
    expect(await inPage(page, `document.querySelectorAll('script:not(#data)').length`)).toBe(1);
    expect(await inPage(page, `document.querySelectorAll('img, iframe, b').length`)).toBe(0);
    expect(await page.evaluate('window.__pwned ?? null')).toBeNull();
    expect(problems).toEqual([]);
    await page.close();
  }, 30_000);

  it('the record summary’s trend charts parse and render with mermaid', async () => {
    const section = renderTrendSection(registry, TOOLS);
    const blocks = [...section.matchAll(/```mermaid\n([\s\S]*?)```/g)].map((m) => m[1]!);
    expect(blocks).toHaveLength(4); // every tool with two timed versions; guide_only has none
    const mermaidJs = pathToFileURL(
      createRequire(import.meta.url).resolve('mermaid/dist/mermaid.min.js'),
    ).href;
    const file = join(dir, 'mermaid.html');
    writeFileSync(
      file,
      `<!doctype html><html><body><script src="${mermaidJs}"></script></body></html>`,
    );
    const page = await browser.newPage();
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    const results = await inPage<{ ok: boolean; error: string | null; points: number }[]>(
      page,
      `(async () => {
        window.mermaid.initialize({ startOnLoad: false });
        const out = [];
        for (const [i, source] of ${JSON.stringify(blocks)}.entries()) {
          try {
            await window.mermaid.parse(source);
            const { svg } = await window.mermaid.render('m' + i, source);
            out.push({ ok: true, error: null, points: (svg.match(/<path/g) || []).length });
          } catch (error) {
            out.push({ ok: false, error: String(error), points: 0 });
          }
        }
        return out;
      })()`,
    );
    for (const result of results) expect(result.error).toBeNull();
    await page.close();
  }, 30_000);
});
