/**
 * The tool registry's data model ("RAG" in the guide): one entry per tool with the guide's
 * metadata schema, plus `versions[]`, the history every profile appends to. Pure: validation,
 * version bumps, history trends and BM25 search. Reading and writing the file is
 * src/registry's job.
 */
import semver from 'semver';
import { z } from 'zod';
import { formatChange, formatKb, formatMs, NBSP } from '../report/render-format.js';
import { VERDICTS } from '../domain/types.js';

/** Same rule as the CLI's `toolId`: a short identifier, never a path. */
const TOOL_ID_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

/** Why `id` is not a valid tool id, or null when it is. */
export function toolIdProblem(id: string): string | null {
  if (id.length === 0) return 'must not be empty';
  if (!TOOL_ID_PATTERN.test(id))
    return 'must be 1-128 letters, digits, _ . - (no /, .., quotes, spaces or newlines)';
  if (id.includes('..')) return 'must not contain ..';
  return null;
}

const num = z.number().finite();
/** A semantic version as `semver` parses it: 1.2.3, 1.2.3-rc.1, 1.2.3+build. */
const semanticVersion = z
  .string()
  .refine((v) => semver.valid(v) !== null, 'must be a semantic version like 1.2.3');

/** One line of a tool's history: what was measured and decided for one profiled version. */
const versionEntrySchema = z.looseObject({
  version: semanticVersion,
  /** sha256 hex of the source; null when the record came from update-rag without code. */
  code_sha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .nullable(),
  timestamp: z.string().min(1),
  /** `profile` or `update-rag`. */
  origin: z.enum(['profile', 'update-rag']),
  /** accepted: became the current version; the others did not. */
  status: z.enum(['current', 'review_required', 'rejected', 'benchmark']),
  verdict: z.enum(VERDICTS).nullable(),
  score: num.nullable(),
  metrics: z.looseObject({
    execution_time_ms: num.nonnegative().nullable(),
    memory_usage_kb: num.nonnegative().nullable(),
    /** new/old time ratio against the previous version, measured side by side, with its interval. */
    time_ratio: num.nullable(),
    ci_low: num.nullable(),
    ci_high: num.nullable(),
  }),
  analysis: z
    .looseObject({
      grade: z.string().nullable(),
      average_complexity: num.nullable(),
      security_issues: z.number().int().nonnegative().nullable(),
      syntax_valid: z.boolean(),
    })
    .nullable(),
  /** Where the version came from, when record mode knew it: the pushed commit (hex sha)... */
  commit: z
    .string()
    .regex(/^[0-9a-f]{7,40}$/, 'must be a hex commit sha')
    .optional(),
  /** ... the pull request its commit message names ... */
  pull_request: z
    .looseObject({ number: z.number().int().positive(), title: z.string().optional() })
    .optional(),
  /** ... and, for a REVIEW or REJECT, who put it on the branch anyway (the push's sender). */
  accepted_by: z.string().min(1).optional(),
});
export type VersionEntry = z.infer<typeof versionEntrySchema>;

/** The guide's "RAG Metadata Schema" for one tool, plus its history. Unknown fields are kept. */
const registryEntrySchema = z.looseObject({
  tool_id: z.string(),
  version: semanticVersion,
  metadata: z.looseObject({
    performance: z.looseObject({
      execution_time_ms: num.nonnegative().nullable().optional(),
      memory_usage_kb: num.nonnegative().nullable().optional(),
      last_benchmarked: z.string().optional(),
      test_runs: z.number().int().nonnegative().optional(),
    }),
    static_analysis: z.looseObject({}).optional(),
    source: z.string().optional(),
    requirement: z.string().optional(),
    documentation: z.string().optional(),
    last_updated: z.string().optional(),
  }),
  /** Absent in registries written by the guide's original scripts: read as []. */
  versions: z.array(versionEntrySchema).optional(),
});
export type RegistryEntry = z.infer<typeof registryEntrySchema>;
/** The whole file: tool id → entry. */
export type Registry = Readonly<Record<string, RegistryEntry>>;

export interface EntryProblem {
  readonly tool_id: string;
  /** Dotted path inside the entry, e.g. `metadata.performance.execution_time_ms`. */
  readonly field: string;
  readonly message: string;
}

/**
 * Validate a parsed registry document. Returns every problem (by tool id and field) instead of
 * dropping bad entries, so that the caller can refuse to touch the file and say why.
 */
export function validateRegistry(document: unknown): {
  registry: Registry;
  problems: EntryProblem[];
} {
  const problems: EntryProblem[] = [];
  const registry: Record<string, RegistryEntry> = {};
  if (document === null || typeof document !== 'object' || Array.isArray(document)) {
    return {
      registry,
      problems: [{ tool_id: '', field: '', message: 'must be a JSON object of tool id → entry' }],
    };
  }
  for (const [id, raw] of Object.entries(document as Record<string, unknown>)) {
    const idProblem = toolIdProblem(id);
    if (idProblem !== null) {
      problems.push({ tool_id: id, field: '(key)', message: `tool id ${idProblem}` });
      continue;
    }
    const parsed = registryEntrySchema.safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        problems.push({
          tool_id: id,
          field: issue.path.map(String).join('.'),
          message: issue.message,
        });
      }
      continue;
    }
    if (parsed.data.tool_id !== id) {
      problems.push({
        tool_id: id,
        field: 'tool_id',
        message: `is '${parsed.data.tool_id}' but the entry is stored under '${id}'`,
      });
      continue;
    }
    registry[id] = parsed.data;
  }
  return { registry, problems };
}

// ---------------------------------------------------------------- versions

export const CHANGE_TYPES = ['patch', 'minor', 'major'] as const;
export type ChangeType = (typeof CHANGE_TYPES)[number];

/** The first version of a tool. */
export const INITIAL_VERSION = '1.0.0';

/** Whether `version` is a semantic version the registry can store (1.2.3, 1.2.3-rc.1). */
export function isVersion(version: string | undefined): version is string {
  return version !== undefined && semver.valid(version) !== null;
}

/**
 * The next version after every version already known for the tool (the current one, the old
 * version the caller named, and each recorded one), so that two profiles never share a number
 * even when the first was rejected. No known version → 1.0.0. semver's rules: the patch after
 * 1.2.3-rc.1 is 1.2.3.
 */
export function nextVersion(known: readonly string[], change: ChangeType): string {
  const versions = known.map((v) => v.trim()).filter((v) => semver.valid(v) !== null);
  const highest = semver.rsort(versions)[0];
  return highest === undefined ? INITIAL_VERSION : (semver.inc(highest, change) ?? INITIAL_VERSION);
}

/**
 * A one-line trend of a tool's time over its recorded versions, e.g.
 * `time 5.10 µs → 6.20 µs (+22 %) over 3 versions; memory 0.1 KiB → 0.2 KiB`.
 */
export function describeTrend(records: readonly VersionEntry[]): string {
  const timed = records.filter((r) => r.metrics.execution_time_ms !== null);
  if (timed.length < 2) return `trend: ${records.length} version(s), too few timings for a trend`;
  const first = timed[0]!.metrics.execution_time_ms!;
  const last = timed[timed.length - 1]!.metrics.execution_time_ms!;
  const plain = (text: string): string => text.replaceAll(NBSP, ' ');
  const change = first > 0 ? plain(formatChange(last / first)) : 'n/a';
  let line = `trend: time ${plain(formatMs(first))} → ${plain(formatMs(last))} (${change}) over ${timed.length} versions`;
  const mem = records.filter((r) => r.metrics.memory_usage_kb !== null);
  if (mem.length >= 2) {
    line += `; memory ${plain(formatKb(mem[0]!.metrics.memory_usage_kb))} → ${plain(formatKb(mem[mem.length - 1]!.metrics.memory_usage_kb))}`;
  }
  const rejected = records.filter((r) => r.status === 'rejected').length;
  if (rejected > 0) line += `; ${rejected} rejected`;
  return line;
}

// ---------------------------------------------------------------- search

/** Words of a text or identifier: snake_case, camelCase, kebab and digits split, lower case. */
export function tokenize(text: string): string[] {
  const words = text
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/);
  return words.filter((w) => w.length > 1 && !STOP_WORDS.has(w)).map(stem);
}

/** Words too common to find a tool by. */
export const STOP_WORDS: ReadonlySet<string> = new Set(
  'a an and are as at be by for from in into is it of on or that the this to with def return function const let var self'.split(
    ' ',
  ),
);

/** A light stemmer: enough to match "numbers"/"number", "parsing"/"parse". */
function stem(word: string): string {
  if (word.length > 4 && word.endsWith('ing')) return word.slice(0, -3);
  if (word.length > 3 && word.endsWith('es') && !word.endsWith('ses')) return word.slice(0, -2);
  if (word.length > 3 && word.endsWith('s') && !word.endsWith('ss')) return word.slice(0, -1);
  return word;
}

/** Function and class names declared in a Python or JS/TS source. */
export function sourceIdentifiers(source: string): string[] {
  const names: string[] = [];
  const pattern =
    /\b(?:def|class|function)\s+([A-Za-z_$][\w$]*)|\b(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*=\s*(?:async\s*)?\(/g;
  for (const match of source.matchAll(pattern)) names.push(match[1] ?? match[2] ?? '');
  return names.filter((n) => n !== '');
}

/** The text a tool is found by: its requirement, its documentation and its identifiers. */
export function searchableText(entry: RegistryEntry): string {
  const meta = entry.metadata;
  const description = typeof meta['description'] === 'string' ? meta['description'] : '';
  return [
    entry.tool_id,
    meta.requirement ?? '',
    description,
    meta.documentation ?? '',
    sourceIdentifiers(meta.source ?? '').join(' '),
  ].join('\n');
}

export interface SearchHit {
  readonly tool_id: string;
  readonly score: number;
}

/**
 * Rank documents by Okapi BM25 (k1 = 1.2, b = 0.75) against the query; documents sharing no
 * term with the query are left out. Ties keep id order so the output is stable.
 */
export function rankBm25(
  documents: ReadonlyArray<{ readonly id: string; readonly text: string }>,
  query: string,
  k1 = 1.2,
  b = 0.75,
): SearchHit[] {
  const terms = [...new Set(tokenize(query))];
  const docs = documents.map((d) => ({ id: d.id, tokens: tokenize(d.text) }));
  if (terms.length === 0 || docs.length === 0) return [];
  const avgLength = docs.reduce((sum, d) => sum + d.tokens.length, 0) / docs.length || 1;
  const docFreq = new Map<string, number>();
  for (const term of terms) {
    docFreq.set(term, docs.filter((d) => d.tokens.includes(term)).length);
  }
  const hits: SearchHit[] = [];
  for (const doc of docs) {
    let score = 0;
    for (const term of terms) {
      const tf = doc.tokens.filter((t) => t === term).length;
      if (tf === 0) continue;
      const n = docFreq.get(term) ?? 0;
      const idf = Math.log(1 + (docs.length - n + 0.5) / (n + 0.5));
      score += (idf * tf * (k1 + 1)) / (tf + k1 * (1 - b + (b * doc.tokens.length) / avgLength));
    }
    if (score > 0) hits.push({ tool_id: doc.id, score });
  }
  return hits.sort((x, y) => y.score - x.score || (x.tool_id < y.tool_id ? -1 : 1));
}
