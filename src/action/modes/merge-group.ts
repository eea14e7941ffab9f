/**
 * `full` mode on a merge queue's `merge_group` event: the queued merge (the group's head commit)
 * measured against the branch it merges into (the group's base), the same gate as on a pull
 * request, published as the `perf-verdict` check on the group's head — the required check the
 * queue waits for — and the job summary. No comment: the group has no conversation of its own,
 * and each queued pull request already carries its own comment.
 */
import type { ActionEvent } from '../event.js';
import { judgedOutcome } from '../conclude.js';
import type { ModeContext } from '../mode.js';
import type { Outcome } from '../outcome.js';
import { publishCheck } from '../publish.js';

export async function mergeGroupMode(
  context: ModeContext,
  event: Extract<ActionEvent, { kind: 'merge_group' }>,
): Promise<Outcome> {
  const { config, log } = context;
  log.info(
    `merge queue: ${event.headRef} (${event.headSha.slice(0, 12)}) onto ${event.baseRef} (${event.baseSha.slice(0, 12)})`,
  );
  const report = await context.pipeline.gate(
    {
      mode: 'full',
      baseRef: config.baseRef ?? event.baseSha,
      headRef: event.headSha,
      repository: context.repository || null,
      pullRequest: null,
      prTitle: undefined,
      prBody: undefined,
    },
    { judge: true },
  );
  const warnings: string[] = [];
  const checkRunId = await publishCheck(
    report,
    {
      headSha: report.head_sha,
      runUrl: context.runUrl,
      links: context.links,
      acceptLabel: config.acceptLabel,
      name: config.name,
    },
    context.github(),
    log,
    warnings,
  );
  const notes = warnings.map((w) => `⚠️ ${w.replace(/\n\s*/g, ' · ')}`);
  return judgedOutcome(report, context, notes, { commentId: null, checkRunId });
}
