/**
 * The picture of a measured pair: a Mermaid `xychart-beta` with the process pairs' head/base
 * time ratios as a line in run order (their spread is what a reader looks for: bars from the
 * axis would look alike), against the interval's bounds and the noise zone's edges as flat lines. GitHub renders
 * Mermaid in comments and job summaries. Only our own numbers and a sanitised id go in, so the
 * block cannot carry anything from the tool.
 */
import { hasInterval, NBSP } from './render-format.js';
import type { Comparison } from '../domain/types.js';

/** A tool id reduced to characters that are inert inside a quoted Mermaid title. */
export function chartId(id: string): string {
  const safe = id.replace(/[^A-Za-z0-9_.\-/]/g, '_');
  return safe.length > 40 ? `${safe.slice(0, 39)}…` : safe;
}

function fixed(value: number): string {
  return Number(value.toFixed(3)).toString();
}

/**
 * The chart's Mermaid block and a one-line caption, or null when there is nothing to draw
 * (no per-pair ratios, a failed side, or too few pairs for an interval).
 */
export function renderPairChart(id: string, c: Comparison): string | null {
  const ratios = (c.time.pair_ratios ?? []).filter((r) => Number.isFinite(r) && r > 0);
  if (ratios.length === 0 || !hasInterval(c)) return null;
  const { ci_low: lo, ci_high: hi, delta } = c.time;
  // The noise zone is drawn when it is near the interval; a zone far away would squash the
  // pairs' spread into a flat band, so the caption says where it lies instead.
  const zoneNear = lo <= 1.25 && hi >= 0.8;
  const zone = zoneNear ? [1 - delta, 1 + delta] : [];
  const values = [...ratios, lo, hi, ...zone];
  const span = Math.max(...values) - Math.min(...values);
  const pad = Math.max(span * 0.1, 0.005);
  const yMin = Math.max(0, Math.min(...values) - pad);
  const yMax = Math.max(...values) + pad;
  const flat = (v: number): string => `[${ratios.map(() => fixed(v)).join(', ')}]`;
  const level = Math.round(c.time.confidence_level * 1000) / 10;
  const block = [
    '```mermaid',
    'xychart-beta',
    `    title "${chartId(id)}: head/base time per process pair"`,
    `    x-axis "process pair" [${ratios.map((_, i) => String(i + 1)).join(', ')}]`,
    `    y-axis "time ratio head/base" ${fixed(yMin)} --> ${fixed(yMax)}`,
    `    line [${ratios.map(fixed).join(', ')}]`,
    `    line ${flat(lo)}`,
    `    line ${flat(hi)}`,
    ...zone.map((edge) => `    line ${flat(edge)}`),
    '```',
  ].join('\n');
  const zoneText = `the noise zone ${fixed(1 - delta)}–${fixed(1 + delta)}`;
  const where = zoneNear
    ? `, and ${zoneText}`
    : `; ${zoneText} lies far ${lo > 1 ? 'below' : 'above'}, off the chart`;
  const caption = `<sub>The jagged line: each process pair's ratio, in run order. Flat lines: the ${level}${NBSP}% interval ${fixed(lo)}–${fixed(hi)}${where}.</sub>`;
  return `${block}\n${caption}`;
}
