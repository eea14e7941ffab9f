/**
 * `report` mode, on workflow_run after a `measure` job: read and validate the measure report(s)
 * (untrusted: a fork wrote them), check they are for the head the workflow run measured and the
 * PR still points at, judge them here and publish with this job's write token.
 */
import { PerfVerdictError } from '../../domain/errors.js';
import { loadArtifacts } from '../artifacts.js';
import { finish } from '../conclude.js';
import { eventName } from '../event.js';
import type { ModeContext } from '../mode.js';
import type { Outcome } from '../outcome.js';

const artifactError = (message: string): PerfVerdictError =>
  new PerfVerdictError('invalid_input', message, 'artifact');

export async function reportMode(context: ModeContext): Promise<Outcome> {
  const { event } = context;
  if (event.kind !== 'workflow_run') {
    throw new PerfVerdictError(
      'github',
      `mode report runs on workflow_run events, but this is '${eventName(event)}'`,
    );
  }
  const artifact = loadArtifacts(context.config.artifact, context.cwd);
  const head = artifact.head_sha.slice(0, 12);
  if (artifact.head_sha !== event.headSha) {
    throw artifactError(
      `the report artifact is for ${head} but the workflow run measured ${event.headSha.slice(0, 12)}: refusing to publish it`,
    );
  }
  if (artifact.pull_request === null)
    throw artifactError('the report artifact names no pull request');
  const pr = await context.github().getPullRequest(artifact.pull_request);
  if (pr.headSha !== artifact.head_sha) {
    throw artifactError(
      `pull request #${pr.number} is now at ${pr.headSha.slice(0, 12)}, the report artifact is for ${head}: stale or forged, not published (the next run will report)`,
    );
  }
  const judged = await context.pipeline.judgeArtifact({
    ...artifact,
    repository: context.repository,
  });
  const unverified = unverifiedSource(event, context.repository);
  const report =
    unverified === null
      ? judged
      : {
          ...judged,
          unverified: { source: unverified, trusted: context.config.trustForkMeasurements },
        };
  if (unverified !== null)
    context.log.info(
      `the numbers were measured by ${unverified}: unverified${context.config.trustForkMeasurements ? ', trusted by trust-fork-measurements' : '; the check is neutral at best until a writer accepts this head'}`,
    );
  return finish(context, report, pr, null);
}

/**
 * Who measured, when it was not a job this repository controls: the measuring run's commit came
 * from a fork (or a fork since deleted), so GitHub ran the workflow file as the fork has it and
 * the artifact says whatever that file made it say. null for the base repository's own runs.
 */
function unverifiedSource(
  event: Extract<ModeContext['event'], { kind: 'workflow_run' }>,
  repository: string,
): string | null {
  const base = event.repository ?? repository;
  if (event.headRepository === null) return 'the pull request job of a fork that no longer exists';
  if (event.headRepository.toLowerCase() === base.toLowerCase()) return null;
  return `the pull request job of the fork ${event.headRepository}`;
}
