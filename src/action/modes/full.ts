/**
 * `full` mode, for pull requests from the same repository: measure, judge and publish. A label
 * change re-judges the published report without measuring; `/perf-verdict accept` on an
 * issue_comment goes to the comment entry, a merge queue's `merge_group` to its own.
 */
import type { PullRequestInfo } from '../../adapters/github.js';
import { PerfVerdictError } from '../../domain/errors.js';
import { finish, rejudge } from '../conclude.js';
import { isLabelChange, labelActorOf, pullRequestEventOf } from '../event.js';
import { gateRequestOf } from '../mode.js';
import type { ModeContext } from '../mode.js';
import type { Outcome } from '../outcome.js';
import { commentMode } from './comment.js';
import { mergeGroupMode } from './merge-group.js';

export async function fullMode(context: ModeContext): Promise<Outcome> {
  const { config } = context;
  if (context.event.kind === 'issue_comment') return commentMode(context, context.event);
  if (context.event.kind === 'merge_group') return mergeGroupMode(context, context.event);
  const event = pullRequestEventOf(context.event, 'full');
  if (config.shard !== null && config.shard.total > 1) {
    // Each shard would publish its part as the PR's verdict, over the other shards' comment.
    throw new PerfVerdictError(
      'config',
      `shard '${config.shard.index}/${config.shard.total}' needs mode: measure (one job per shard) and one mode: report job that merges the shard reports; mode full would publish a partial verdict`,
      'shard',
    );
  }
  const pr = event.pullRequest;
  const info: PullRequestInfo = { ...pr, headRepository: null };
  // This run is the accept label being added: its sender is who added it, before this run began.
  const actor = labelActorOf(event, config.acceptLabel);
  const labeling = actor === null ? null : { actor, at: new Date() };
  if (isLabelChange(event)) {
    const rejudged = await rejudge(context, info, labeling);
    if (rejudged !== null) return rejudged;
    context.log.info(`no report published for ${pr.headSha.slice(0, 12)} yet: measuring`);
  }
  const report = await context.pipeline.gate(gateRequestOf(context, pr, 'full'), { judge: true });
  return finish(context, report, info, labeling);
}
