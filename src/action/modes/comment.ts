/**
 * `full` mode on issue_comment: `/perf-verdict accept` on a pull request re-judges the report
 * published for its head (the override is the comment's). Nothing is measured; any other comment
 * is nothing to do.
 */
import type { ActionEvent } from '../event.js';
import { rejudge } from '../conclude.js';
import type { ModeContext } from '../mode.js';
import { outcome } from '../outcome.js';
import type { Outcome } from '../outcome.js';
import { ACCEPT_COMMAND } from '../accept.js';

export async function commentMode(
  context: ModeContext,
  event: Extract<ActionEvent, { kind: 'issue_comment' }>,
): Promise<Outcome> {
  if (!event.onPullRequest) {
    context.log.info('the comment is not on a pull request: nothing to do');
    return outcome();
  }
  if (!ACCEPT_COMMAND.test(event.body)) {
    context.log.info('the comment is not a /perf-verdict command: nothing to do');
    return outcome();
  }
  const pr = await context.github().getPullRequest(event.issue);
  const rejudged = await rejudge(context, pr, null);
  if (rejudged !== null) return rejudged;
  const why = `no perf-verdict report is published for the head ${pr.headSha.slice(0, 12)} of #${event.issue} yet: an accept is a decision about a published verdict, so comment again once the pull_request run has published one`;
  context.log.info(why);
  return outcome({ summary: `## perf-verdict\n\n${why}\n` });
}
