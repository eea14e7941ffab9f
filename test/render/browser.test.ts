/**
 * The comment as a maintainer sees it: rendered by cmark-gfm (GitHub's own GFM implementation)
 * inside a page at GitHub's comment width with GitHub's table styles, in headless Chromium. In
 * the page: no table cell wraps a number away from its unit, no table is wider than the comment,
 * and every Mermaid block parses with mermaid's own parser. A screenshot is kept for a human.
 *
 * Needs the Debian packages `cmark-gfm` and `chromium` (.ci/run installs them); without them the
 * test is skipped and says why.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Browser } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderComment } from '../../src/report/render.js';
import type { GateReport } from '../../src/report/model.js';
import { casesReport } from './fixtures.js';
import { CHROMIUM, launchChromium } from '../helpers/chromium.js';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
/** GitHub's comment box in a pull request's conversation: 830 px, 16 px padding each side. */
const COMMENT_WIDTH = 830;
const PADDING = 16;
const LINKS = { serverUrl: 'https://github.com', repository: 'octo/tools', runId: '4242' };

function whyNot(): string | null {
  if (spawnSync('cmark-gfm', ['--version']).status !== 0)
    return 'cmark-gfm is not installed (apt-get install -y cmark-gfm)';
  if (!existsSync(CHROMIUM)) return `no Chromium at ${CHROMIUM} (apt-get install -y chromium)`;
  for (const name of ['puppeteer-core', 'mermaid/dist/mermaid.min.js']) {
    try {
      require.resolve(name);
    } catch {
      return `${name} is not installed (npm ci)`;
    }
  }
  return null;
}

const skipReason = whyNot();
if (skipReason !== null) console.warn(`browser check skipped: ${skipReason}`);

function gfm(markdown: string): string {
  const result = spawnSync(
    'cmark-gfm',
    [
      '--unsafe',
      '--github-pre-lang',
      '-e',
      'table',
      '-e',
      'strikethrough',
      '-e',
      'autolink',
      '-e',
      'tagfilter',
    ],
    { input: markdown, encoding: 'utf8' },
  );
  if (result.status !== 0) throw new Error(`cmark-gfm failed: ${result.stderr}`);
  return result.stdout;
}

/** GitHub's markdown styles that decide a table's layout (from github-markdown-css). */
const CSS = `
body { margin: 0; background: #fff; }
.comment { width: ${COMMENT_WIDTH}px; box-sizing: border-box; padding: ${PADDING}px;
  border: 1px solid #d0d7de; border-radius: 6px; margin: 16px; }
.markdown-body { font-family: -apple-system, BlinkMacSystemFont, "Segoe UI", "Noto Sans", Helvetica,
  Arial, sans-serif, "Apple Color Emoji", "Segoe UI Emoji"; font-size: 14px; line-height: 1.5;
  color: #1f2328; word-wrap: break-word; }
.markdown-body table { border-spacing: 0; border-collapse: collapse; display: block;
  width: max-content; max-width: 100%; overflow: auto; margin: 0 0 16px; }
.markdown-body table th, .markdown-body table td { padding: 6px 13px; border: 1px solid #d0d7de; }
.markdown-body table th { font-weight: 600; }
.markdown-body code { padding: .2em .4em; margin: 0; font-size: 85%; white-space: break-spaces;
  background-color: rgba(175,184,193,.2); border-radius: 6px;
  font-family: ui-monospace, SFMono-Regular, "SF Mono", Menlo, Consolas, "Liberation Mono", monospace; }
.markdown-body pre { padding: 16px; overflow: auto; font-size: 85%; line-height: 1.45;
  background-color: #f6f8fa; border-radius: 6px; }
.markdown-body pre code { padding: 0; background: transparent; white-space: pre; }
.markdown-body h2 { font-size: 1.5em; border-bottom: 1px solid #d0d7de; padding-bottom: .3em; }
.markdown-body sub { font-size: 75%; }
.markdown-body a { color: #0969da; text-decoration: none; }
.mermaid-picture { max-width: 100%; }
`;

interface PageFindings {
  readonly contentWidth: number;
  readonly tables: { index: number; width: number; scrollWidth: number; clientWidth: number }[];
  readonly wrapped: { cell: string; text: string }[];
  readonly numbersChecked: number;
  /** The most lines any table cell takes. */
  readonly maxCellLines: number;
  readonly mermaid: { ok: boolean; error: string | null; source: string }[];
}

describe.skipIf(skipReason !== null)('the comment in Chromium at GitHub’s comment width', () => {
  let dir: string;
  let browser: Browser;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'perf-verdict-browser-'));
    browser = await launchChromium(dir);
  }, 30_000);

  afterAll(async () => {
    await browser?.close();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  async function inspect(name: string, report: GateReport): Promise<PageFindings> {
    const markdown = renderComment(
      report,
      { links: LINKS, acceptLabel: 'perf-verdict:accept' },
      'x',
    );
    const mermaidJs = pathToFileURL(require.resolve('mermaid/dist/mermaid.min.js')).href;
    const html = `<!doctype html><html><head><meta charset="utf-8"><style>${CSS}</style>
<script src="${mermaidJs}"></script><script>${readFileSync(join(here, 'page-check.mjs'), 'utf8')}</script></head><body><div class="comment"><div class="markdown-body">
${gfm(markdown)}</div></div></body></html>`;
    const file = join(dir, `${name}.html`);
    writeFileSync(file, html);
    const page = await browser.newPage();
    await page.setViewport({ width: COMMENT_WIDTH + 64, height: 900 });
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    const findings = (await page.evaluate('window.perfVerdictCheck()')) as PageFindings;
    const shots = process.env['PERF_VERDICT_SCREENSHOTS'] ?? join(dir, 'shots');
    mkdirSync(shots, { recursive: true });
    const png = join(shots, `${name}.png`);
    await page.screenshot({ path: png, fullPage: true });
    console.info(
      `browser check: ${name}: comment content ${findings.contentWidth} px, tables ${findings.tables.map((t) => `${Math.round(t.width)} px`).join(', ')}, ${findings.numbersChecked} numbers checked, at most ${findings.maxCellLines} lines in a cell, ${findings.mermaid.length} Mermaid blocks; screenshot ${png}`,
    );
    await page.close();
    return findings;
  }

  function expectFits(findings: PageFindings): void {
    expect(findings.contentWidth).toBeLessThanOrEqual(COMMENT_WIDTH - 2 * PADDING);
    expect(findings.tables.length).toBeGreaterThan(0);
    for (const table of findings.tables) {
      expect(table.scrollWidth, `table ${table.index} scrolls sideways`).toBeLessThanOrEqual(
        table.clientWidth,
      );
      expect(table.width).toBeLessThanOrEqual(findings.contentWidth);
    }
    expect(findings.numbersChecked).toBeGreaterThan(10);
    expect(findings.wrapped).toEqual([]);
    for (const block of findings.mermaid) expect(block.error, block.source).toBeNull();
  }

  it('the example repository’s comment fits 830 px, numbers unwrapped, pictures parse', async () => {
    const report = JSON.parse(
      readFileSync(join(here, 'example-report.json'), 'utf8'),
    ) as GateReport;
    const findings = await inspect('example', report);
    expectFits(findings);
    // The demo changes three tools; each measured one gets its picture.
    expect(findings.mermaid.length).toBeGreaterThanOrEqual(2);
  }, 30_000);

  it('every hard case (failures, too few pairs, new tools, a long id) fits as well', async () => {
    const findings = await inspect('cases', casesReport());
    expectFits(findings);
    expect(findings.mermaid).toHaveLength(1);
  }, 30_000);
});
