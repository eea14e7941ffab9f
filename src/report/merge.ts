/**
 * Merging the partial reports of a sharded `measure` matrix (`shard: i/n`) into the one report
 * the `report` job judges and publishes. Each part is already validated untrusted data; the merge
 * refuses parts that do not belong together rather than publishing a partial or mixed verdict.
 */
import type { ReportShard, ToolRow } from './model.js';
import type { UntrustedReport } from './artifact.js';
import { ReportValidationError } from './artifact.js';

/** One validated report artifact and the file it came from (named in errors). */
export interface ReportPart {
  readonly file: string;
  readonly report: UntrustedReport;
}

function fail(message: string): never {
  throw new ReportValidationError(message);
}

const IDENTITY = ['repository', 'pull_request', 'head_sha', 'base_sha', 'merge_base'] as const;

function shardText(shard: ReportShard | null): string {
  return shard === null ? 'unsharded' : `shard ${shard.index}/${shard.total}`;
}

/**
 * Merge validated report parts into one. A single unsharded part is returned as is. Otherwise
 * every part must be a shard of the same `n`, the shards `1..n` must each be present exactly
 * once, the parts must agree on repository, pull request, head, base and merge-base, and no tool
 * may appear in two shards. Throws ReportValidationError naming the files or the missing shards.
 */
export function mergeReports(parts: readonly ReportPart[]): UntrustedReport {
  const first = parts[0];
  if (first === undefined) fail('no report artifact to merge');
  if (parts.length === 1 && first.report.shard === null) return first.report;

  for (const part of parts) {
    if (part.report.shard === null)
      fail(
        `'${part.file}' is an unsharded report: it cannot be merged with ${parts.length - 1} other report${parts.length === 2 ? '' : 's'} (give one unsharded report, or every shard of a matrix)`,
      );
    for (const field of IDENTITY) {
      if (part.report[field] !== first.report[field])
        fail(
          `'${part.file}' and '${first.file}' disagree on ${field} (${String(part.report[field])} vs ${String(first.report[field])}): they are not shards of one run`,
        );
    }
  }
  const total = first.report.shard?.total ?? 1;
  const byIndex = new Map<number, ReportPart>();
  for (const part of parts) {
    const shard = part.report.shard!;
    if (shard.total !== total)
      fail(
        `'${part.file}' is ${shardText(shard)} but '${first.file}' is ${shardText(first.report.shard)}: every shard must have the same n`,
      );
    const twin = byIndex.get(shard.index);
    if (twin !== undefined)
      fail(
        `'${twin.file}' and '${part.file}' are both ${shardText(shard)}: each shard must be given once`,
      );
    byIndex.set(shard.index, part);
  }
  const missing: number[] = [];
  for (let i = 1; i <= total; i++) if (!byIndex.has(i)) missing.push(i);
  if (missing.length > 0)
    fail(
      `shard${missing.length === 1 ? '' : 's'} ${missing.map((i) => `${i}/${total}`).join(', ')} ${missing.length === 1 ? 'is' : 'are'} missing: the report of every shard is needed before anything is published`,
    );

  const tools: ToolRow[] = [];
  const seen = new Map<string, string>();
  let measureMs = 0;
  for (let i = 1; i <= total; i++) {
    const part = byIndex.get(i)!;
    for (const row of part.report.tools) {
      const other = seen.get(row.id);
      if (other !== undefined)
        fail(`tool '${row.id}' is in both '${other}' and '${part.file}': shards must not overlap`);
      seen.set(row.id, part.file);
      tools.push(row);
    }
    measureMs += part.report.measure_ms;
  }
  tools.sort((a, b) => a.id.localeCompare(b.id));
  const definitions = [...byIndex.values()].flatMap((p) => p.report.definitions ?? []);
  definitions.sort((a, b) => a.id.localeCompare(b.id));
  return { ...first.report, shard: null, measure_ms: measureMs, tools, definitions };
}
