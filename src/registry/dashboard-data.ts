/**
 * What the registry dashboard draws, as plain data: one `ToolData` per tool (its page's JSON)
 * and one `IndexData` (the index page's JSON). Pure functions of the registry; every string in
 * them is still untrusted text, escaped where it is rendered (dashboard-html.ts).
 *
 * The drift line multiplies the side-by-side ratios along the tool's line of accepted versions
 * (measured ratios, never times from different runs), so a tool that got 3 % slower five times,
 * each step within noise, shows the 16 % it lost.
 */
import { createHash } from 'node:crypto';
import type { Registry, RegistryEntry, VersionEntry } from './schema.js';
import { tokenize } from './schema.js';
import { InputError } from '../domain/errors.js';

const TOOL_DATA_SCHEMA = 'perf-verdict/dashboard-tool';
const INDEX_DATA_SCHEMA = 'perf-verdict/dashboard-index';

/** When a tool's slow creep is flagged on the index. */
export interface DriftAlert {
  /** Flag a drift above this many percent ... */
  readonly percent: number;
  /** ... across the last this many versions on the tool's line. */
  readonly versions: number;
}

export const DEFAULT_DRIFT_ALERT: DriftAlert = { percent: 10, versions: 5 };

/** Where the PR and commit links point; null: shown as text, not linked. */
export interface RepositoryLinks {
  readonly serverUrl: string;
  readonly repository: string;
}

/** One column per field, one element per recorded version, in the registry's order. */
interface ToolPoints {
  readonly version: string[];
  /** The day each version was recorded (YYYY-MM-DD, UTC). */
  readonly date: string[];
  readonly status: VersionEntry['status'][];
  readonly verdict: VersionEntry['verdict'][];
  readonly score: (number | null)[];
  readonly time_ms: (number | null)[];
  /** new/old time ratio against the version before, measured side by side, and its interval. */
  readonly ratio: (number | null)[];
  readonly ratio_low: (number | null)[];
  readonly ratio_high: (number | null)[];
  readonly memory_kb: (number | null)[];
  readonly grade: (string | null)[];
  readonly complexity: (number | null)[];
  readonly security: (number | null)[];
  /** The first 12 hex digits of the commit the version came from. */
  readonly commit: (string | null)[];
  readonly pull_request: (number | null)[];
  readonly pr_title: (string | null)[];
  readonly accepted_by: (string | null)[];
  /** Cumulative time ratio along the line since its first version; null off the line. */
  readonly drift: (number | null)[];
}

export interface ToolData {
  readonly schema: typeof TOOL_DATA_SCHEMA;
  readonly version: 1;
  readonly tool_id: string;
  readonly current: string;
  readonly language: string | null;
  readonly requirement: string;
  readonly tags: string[];
  readonly links: RepositoryLinks | null;
  readonly alert: DriftAlert & {
    /** Drift across the window, in percent; null with fewer than two line versions. */
    readonly drift_percent: number | null;
    /** Over the threshold, and no step in the window was judged a regression. */
    readonly creep: boolean;
  };
  readonly points: ToolPoints;
}

export interface IndexRow {
  readonly tool_id: string;
  /** The tool's page, relative to index.html. */
  readonly page: string;
  readonly current: string;
  readonly time_ms: number | null;
  readonly versions: number;
  readonly last_version: string | null;
  readonly last_date: string | null;
  readonly last_status: VersionEntry['status'] | null;
  readonly last_verdict: VersionEntry['verdict'];
  /** Time per call of each version on the line (the trend line). */
  readonly trend: (number | null)[];
  readonly drift_percent: number | null;
  readonly creep: boolean;
  readonly tags: string[];
  readonly requirement: string;
}

export interface IndexData {
  readonly schema: typeof INDEX_DATA_SCHEMA;
  readonly version: 1;
  readonly alert: DriftAlert;
  readonly tools: IndexRow[];
}

/** The page's file name: a hash of the id, so that an id never builds a path. */
export function pageName(toolId: string): string {
  return createHash('sha256').update(toolId).digest('hex').slice(0, 16);
}

/**
 * A number to `digits` significant digits (4 for times and the drift, 3 for ratios, memory and
 * complexity, which the page prints with two decimals at most): the precision drawn, a small JSON.
 */
function round(value: number | null | undefined, digits = 4): number | null {
  return value === null || value === undefined || !Number.isFinite(value)
    ? null
    : Number(value.toPrecision(digits));
}

function text(value: unknown, max: number): string | null {
  if (typeof value !== 'string') return null;
  const clean = value.trim();
  return clean === '' ? null : clean.slice(0, max);
}

/** Where a version came from and who accepted it, as record mode stores it (schema.ts). */
function provenanceOf(record: VersionEntry): {
  commit: string | null;
  pull_request: number | null;
  pr_title: string | null;
  accepted_by: string | null;
} {
  return {
    commit: record.commit?.slice(0, 12) ?? null,
    pull_request: record.pull_request?.number ?? null,
    pr_title: text(record.pull_request?.title, 72),
    accepted_by: text(record.accepted_by, 100),
  };
}

/**
 * On the tool's line: the versions that became current (accepted, or benchmarked by
 * update-rag), and a REVIEW or REJECT a human accepted. The others stay beside the line.
 */
function onLine(record: VersionEntry): boolean {
  if (record.status === 'current' || record.status === 'benchmark') return true;
  return provenanceOf(record).accepted_by !== null;
}

/**
 * The ratio one line step multiplies the drift by: the side-by-side ratio when the version was
 * measured beside its predecessor, else the ratio of the two recorded times, else 1.
 */
function stepRatio(record: VersionEntry, previous: VersionEntry): number {
  const ratio = record.metrics.time_ratio;
  if (ratio !== null && ratio > 0) return ratio;
  const now = record.metrics.execution_time_ms;
  const before = previous.metrics.execution_time_ms;
  return now !== null && before !== null && now > 0 && before > 0 ? now / before : 1;
}

/** Cumulative ratio since the first line version, per record (null off the line). */
function driftOf(records: readonly VersionEntry[]): (number | null)[] {
  let previous: VersionEntry | null = null;
  let cumulative = 1;
  return records.map((record) => {
    if (!onLine(record)) return null;
    if (previous !== null) cumulative *= stepRatio(record, previous);
    previous = record;
    return cumulative;
  });
}

/** A step a human had to look at: it was not simply within noise. */
function judgedRegression(record: VersionEntry): boolean {
  return record.verdict === 'REJECT' || record.verdict === 'REVIEW';
}

/** Drift across the last `alert.versions` line versions, and whether it is a silent creep. */
function creepOf(
  records: readonly VersionEntry[],
  drift: readonly (number | null)[],
  alert: DriftAlert,
): { drift_percent: number | null; creep: boolean } {
  const line = records.map((r, i) => ({ r, d: drift[i] })).filter((p) => p.d !== null);
  const window = line.slice(-Math.max(2, alert.versions));
  if (window.length < 2) return { drift_percent: null, creep: false };
  const ratio = window[window.length - 1]!.d! / window[0]!.d!;
  const percent = (ratio - 1) * 100;
  const quiet = window.slice(1).every((p) => !judgedRegression(p.r));
  return { drift_percent: round(percent), creep: percent > alert.percent && quiet };
}

function tagsOf(entry: RegistryEntry): string[] {
  const tags = entry.metadata['tags'];
  if (!Array.isArray(tags)) return [];
  return tags.flatMap((t) => (typeof t === 'string' && t.trim() !== '' ? [t.trim()] : []));
}

/** The data of one tool's page. */
export function toolData(
  entry: RegistryEntry,
  alert: DriftAlert,
  links: RepositoryLinks | null,
): ToolData {
  const records = entry.versions ?? [];
  const drift = driftOf(records);
  const provenance = records.map(provenanceOf);
  const column = <T>(pick: (r: VersionEntry, i: number) => T): T[] => records.map(pick);
  return {
    schema: TOOL_DATA_SCHEMA,
    version: 1,
    tool_id: entry.tool_id,
    current: entry.version,
    language: text(entry.metadata['language'], 40),
    requirement: entry.metadata.requirement ?? '',
    tags: tagsOf(entry),
    links,
    alert: { ...alert, ...creepOf(records, drift, alert) },
    points: {
      version: column((r) => r.version),
      date: column((r) => r.timestamp.slice(0, 10)),
      status: column((r) => r.status),
      verdict: column((r) => r.verdict),
      score: column((r) => round(r.score)),
      time_ms: column((r) => round(r.metrics.execution_time_ms)),
      ratio: column((r) => round(r.metrics.time_ratio, 3)),
      ratio_low: column((r) => round(r.metrics.ci_low, 3)),
      ratio_high: column((r) => round(r.metrics.ci_high, 3)),
      memory_kb: column((r) => round(r.metrics.memory_usage_kb, 3)),
      grade: column((r) => r.analysis?.grade ?? null),
      complexity: column((r) => round(r.analysis?.average_complexity, 3)),
      security: column((r) => r.analysis?.security_issues ?? null),
      commit: column((_, i) => provenance[i]!.commit),
      pull_request: column((_, i) => provenance[i]!.pull_request),
      pr_title: column((_, i) => provenance[i]!.pr_title),
      accepted_by: column((_, i) => provenance[i]!.accepted_by),
      drift: drift.map((d) => round(d)),
    },
  };
}

function indexRow(data: ToolData): IndexRow {
  const p = data.points;
  const last = p.version.length - 1;
  return {
    tool_id: data.tool_id,
    page: `tools/${pageName(data.tool_id)}.html`,
    current: data.current,
    time_ms: p.time_ms[p.version.lastIndexOf(data.current)] ?? null,
    versions: p.version.length,
    last_version: p.version[last] ?? null,
    last_date: p.date[last] ?? null,
    last_status: p.status[last] ?? null,
    last_verdict: p.verdict[last] ?? null,
    trend: p.time_ms.filter((_, i) => p.drift[i] !== null),
    drift_percent: data.alert.drift_percent,
    creep: data.alert.creep,
    tags: data.tags,
    requirement: data.requirement,
  };
}

/** The words the index's filter finds a tool by: id, tags and requirement, split as `registry search` splits them. */
export function filterWords(row: Pick<IndexRow, 'tool_id' | 'tags' | 'requirement'>): string[] {
  return [...new Set(tokenize([row.tool_id, ...row.tags, row.requirement].join(' ')))];
}

/** Every tool's page data and the index, tools in id order. */
export function dashboardData(
  registry: Registry,
  alert: DriftAlert = DEFAULT_DRIFT_ALERT,
  links: RepositoryLinks | null = null,
): { index: IndexData; tools: ToolData[] } {
  const tools = Object.keys(registry)
    .sort()
    .map((id) => toolData(registry[id]!, alert, links));
  return {
    index: { schema: INDEX_DATA_SCHEMA, version: 1, alert, tools: tools.map(indexRow) },
    tools,
  };
}

/**
 * Links for `owner/name` on a GitHub server, or null when no repository is named. Both come
 * from a flag or the runner's environment and end up in an href: anything but a plain https
 * (or http) origin and an `owner/name` is refused, naming the field.
 */
export function repositoryLinks(
  serverUrl: string | undefined,
  repository: string | undefined,
): RepositoryLinks | null {
  if (repository === undefined || repository === '') return null;
  if (!/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/.test(repository))
    throw new InputError(`repository must be owner/name but got '${repository}'`, 'repository');
  const server = (serverUrl ?? '').replace(/\/+$/, '') || 'https://github.com';
  if (!/^https?:\/\/[A-Za-z0-9.-]+(:\d+)?$/.test(server))
    throw new InputError(
      `server-url must be an origin like https://github.com but got '${server}'`,
      'server-url',
    );
  return { serverUrl: server, repository };
}

/** The drift alert from its two settings (undefined: the default). */
export function driftAlertOf(
  percent: string | undefined,
  versions: string | undefined,
): DriftAlert {
  const p = percent === undefined ? DEFAULT_DRIFT_ALERT.percent : Number(percent);
  if (!Number.isFinite(p) || p <= 0)
    throw new InputError(
      `drift-percent must be a positive number but got '${percent}'`,
      'drift-percent',
    );
  const v = versions === undefined ? DEFAULT_DRIFT_ALERT.versions : Number(versions);
  if (!Number.isInteger(v) || v < 2)
    throw new InputError(
      `drift-versions must be an integer ≥ 2 but got '${versions}'`,
      'drift-versions',
    );
  return { percent: p, versions: v };
}
