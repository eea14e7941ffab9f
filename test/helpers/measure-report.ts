import type { ReportShard } from '../../src/report/model.js';

/** The head commit of measureReportData's pull request. */
export const HEAD = 'a'.repeat(40);
/** Its base commit (also the merge base). */
const BASE = 'b'.repeat(40);

/** One modified tool's row, as a measure job writes it. */
function row(id: string) {
  return {
    id,
    status: 'modified',
    path: `tools/${id}.py`,
    old_path: null,
    language: 'python',
    requirement_old: null,
    requirement_new: null,
    comparison: null,
    note: null,
    old_code: 'def f(x):\n    return x\n',
    new_code: 'def f(x):\n    return x + 0\n',
  };
}

/**
 * The data of a report file as a measure job writes it for PR #7 (as shard `shard`, or
 * unsharded): one modified tool per id, then `patch` over it. Not validated yet.
 */
export function measureReportData(
  shard: ReportShard | null,
  ids: readonly string[],
  patch: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    schema: 'perf-verdict/report',
    version: 1,
    mode: 'measure',
    repository: 'octo/tools',
    pull_request: 7,
    base_ref: 'main',
    base_sha: BASE,
    head_sha: HEAD,
    merge_base: BASE,
    measure_ms: 100,
    ...(shard === null ? {} : { shard }),
    tools: ids.map(row),
    ...patch,
  };
}
