/**
 * `registry history TOOL --chart`: time per call across versions in the terminal. One column
 * per version; the point is `●`, the side-by-side interval a band of `░` around it. Without a
 * UTF-8 locale the same chart is drawn in ASCII (`*` and `:`). A one-line sparkline of the
 * times heads it. Pure: the caller says whether the terminal takes Unicode.
 */
import type { RegistryEntry } from './schema.js';
import { formatMs, NBSP } from '../report/render-format.js';
import { DEFAULT_DRIFT_ALERT, toolData } from './dashboard-data.js';

const BLOCKS = '▁▂▃▄▅▆▇█';

interface Glyphs {
  readonly point: string;
  readonly band: string;
  readonly spark: string;
}

const UNICODE: Glyphs = { point: '●', band: '░', spark: BLOCKS };
const ASCII: Glyphs = { point: '*', band: ':', spark: '_.-=+*#@' };

/** Does this environment's locale take UTF-8 (LC_ALL, then LC_CTYPE, then LANG)? */
export function terminalTakesUnicode(env: Readonly<Record<string, string | undefined>>): boolean {
  const locale = env['LC_ALL'] || env['LC_CTYPE'] || env['LANG'] || '';
  return /utf-?8/i.test(locale);
}

function plain(ms: number): string {
  return formatMs(ms).replaceAll(NBSP, ' ');
}

/** The chart: a sparkline, `height` rows of points and bands, the version under each column. */
export function renderHistoryChart(entry: RegistryEntry, unicode: boolean, height = 8): string {
  const glyphs = unicode ? UNICODE : ASCII;
  const p = toolData(entry, DEFAULT_DRIFT_ALERT, null).points;
  const columns = p.time_ms.flatMap((t, i) => {
    if (t === null) return [];
    const r = p.ratio[i] ?? null;
    const lo = p.ratio_low[i] ?? null;
    const hi = p.ratio_high[i] ?? null;
    const band: [number, number] | null =
      r !== null && lo !== null && hi !== null && r > 0 ? [(t * lo) / r, (t * hi) / r] : null;
    return [{ version: p.version[i]!, time: t, band, status: p.status[i]! }];
  });
  if (columns.length === 0) return `${entry.tool_id}: no recorded time to chart.\n`;
  const values = columns.flatMap((c) => [c.time, ...(c.band ?? [])]);
  const low = Math.min(...values);
  const high = Math.max(...values);
  const span = high - low || Math.abs(high) || 1;
  const row = (v: number): number => Math.round(((high - v) / span) * (height - 1));
  const labelled = Math.max(...columns.map((c) => c.version.length)) + 1;
  // Past ~100 characters, a column per version is 2 wide and only the ends are labelled.
  const width = columns.length * labelled <= 100 ? labelled : 2;
  const gutter = Math.max(plain(high).length, plain(low).length);
  const grid = Array.from({ length: height }, () => columns.map(() => ' '));
  columns.forEach((c, x) => {
    if (c.band !== null)
      for (let y = row(c.band[1]); y <= row(c.band[0]); y++) grid[y]![x] = glyphs.band;
    grid[row(c.time)]![x] = glyphs.point;
  });
  const spark = columns
    .map((c) => glyphs.spark[Math.round(((c.time - low) / span) * (glyphs.spark.length - 1))])
    .join('');
  const label = (y: number): string => (y === 0 ? plain(high) : y === height - 1 ? plain(low) : '');
  const lines = grid.map((cells, y) =>
    `${label(y).padStart(gutter)} │${cells.map((cell) => cell.padEnd(width)).join('')}`.trimEnd(),
  );
  const axis = `${' '.repeat(gutter)} └${'─'.repeat(columns.length * width)}`;
  const versions =
    width === labelled
      ? `${' '.repeat(gutter + 2)}${columns.map((c) => c.version.padEnd(width)).join('')}`.trimEnd()
      : `${' '.repeat(gutter + 2)}${columns[0]!.version} … ${columns[columns.length - 1]!.version}`;
  const flagged = columns.filter((c) => c.status === 'rejected' || c.status === 'review_required');
  const notes = flagged.map((c) => `${c.version}: ${c.status}`).join(', ');
  return [
    `${entry.tool_id}: time per call across ${columns.length} versions  ${spark}`,
    ...lines,
    unicode ? axis : axis.replace('└', '+').replaceAll('─', '-').replaceAll('│', '|'),
    versions,
    `${glyphs.point} time per call   ${glyphs.band} interval against the version before${notes === '' ? '' : `   not current: ${notes}`}`,
    '',
  ]
    .map((line) => (unicode ? line : line.replaceAll('│', '|').replaceAll('µ', 'u')))
    .join('\n');
}
