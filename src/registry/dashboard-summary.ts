/**
 * The record run's job summary picture: for each tool the run recorded, a Mermaid chart of time
 * per call across its last versions with the interval's bounds as two more lines (GitHub renders
 * Mermaid in job summaries). Only numbers, semantic versions and an inert id go in, so registry
 * text cannot reach the Markdown.
 */
import { chartId } from '../report/render-chart.js';
import type { Registry } from './schema.js';
import { DEFAULT_DRIFT_ALERT, toolData } from './dashboard-data.js';

/** The unit a tool's times read best in, and the factor from milliseconds. */
function unitOf(times: readonly number[]): { unit: string; factor: number } {
  const top = Math.max(...times);
  if (top < 0.001) return { unit: 'ns', factor: 1e6 };
  if (top < 1) return { unit: 'µs', factor: 1e3 };
  if (top < 1000) return { unit: 'ms', factor: 1 };
  return { unit: 's', factor: 1e-3 };
}

const figure = (value: number): string => Number(value.toPrecision(4)).toString();

/** One tool's chart, or null when fewer than two of its versions have a time. */
function trendChart(registry: Registry, id: string, last: number): string | null {
  const entry = registry[id];
  if (entry === undefined) return null;
  const p = toolData(entry, DEFAULT_DRIFT_ALERT, null).points;
  const shown = p.version
    .map((version, i) => ({ version, i, time: p.time_ms[i] ?? null }))
    .filter((v): v is { version: string; i: number; time: number } => v.time !== null)
    .slice(-last);
  if (shown.length < 2) return null;
  const bound = (i: number, time: number, side: 'ratio_low' | 'ratio_high'): number => {
    const r = p.ratio[i] ?? null;
    const b = p[side][i] ?? null;
    return r !== null && b !== null && r > 0 ? (time * b) / r : time;
  };
  const { unit, factor } = unitOf(shown.map((v) => v.time));
  const series = (pick: (v: (typeof shown)[number]) => number): string =>
    `[${shown.map((v) => figure(pick(v) * factor)).join(', ')}]`;
  const low = shown.map((v) => bound(v.i, v.time, 'ratio_low') * factor);
  const high = shown.map((v) => bound(v.i, v.time, 'ratio_high') * factor);
  const pad = (Math.max(...high) - Math.min(...low)) * 0.1 || Math.max(...high) * 0.1;
  return [
    '```mermaid',
    'xychart-beta',
    `    title "${chartId(id)}: time per call (${unit})"`,
    `    x-axis [${shown.map((v) => `"${v.version}"`).join(', ')}]`,
    `    y-axis "${unit}" ${figure(Math.max(0, Math.min(...low) - pad))} --> ${figure(Math.max(...high) + pad)}`,
    `    line ${series((v) => v.time)}`,
    `    line ${series((v) => bound(v.i, v.time, 'ratio_low'))}`,
    `    line ${series((v) => bound(v.i, v.time, 'ratio_high'))}`,
    '```',
  ].join('\n');
}

/**
 * The trend section for the tools a record run changed: one chart each (at most `limit`
 * tools, the last `last` versions of each), or '' when none has two timed versions.
 */
export function renderTrendSection(
  registry: Registry,
  ids: readonly string[],
  last = 20,
  limit = 10,
): string {
  const charts = [...new Set(ids)]
    .map((id) => trendChart(registry, id, last))
    .filter((chart): chart is string => chart !== null);
  if (charts.length === 0) return '';
  const more = charts.length > limit ? `\n\n${charts.length - limit} more in the dashboard.` : '';
  return `### Trend of the recorded tools\n\n${charts.slice(0, limit).join('\n\n')}\n\n<sub>Each chart: time per call of the tool's last ${last} versions at most (middle line), and the interval of each against the version before (the lines around it; a version without one has them on its time).</sub>${more}\n`;
}
