/**
 * How `full` and `report` runs (and the re-judging of an override) end: check that the PR still
 * points at the judged head, apply the accept that holds for that head and verdict (./accept.ts), publish, and turn the judged report into the
 * step's Outcome. When the head moved on while this run worked, a newer run owns the PR's comment
 * and check: nothing is published, the log and the job summary say why, and the step's exit still
 * follows `fail-on` for the commit it judged.
 */
import type { PullRequestInfo } from '../adapters/github.js';
import { errorMessage } from '../domain/errors.js';
import { renderSummary } from '../report/render.js';
import type { GateReport } from '../report/model.js';
import { reachesFailOn } from '../report/model.js';
import { applyAccept } from './accept.js';
import type { Acceptance, Labeling } from './accept.js';
import type { ModeContext } from './mode.js';
import { outcome } from './outcome.js';
import type { Outcome } from './outcome.js';
import { findPublished, publish } from './publish.js';

/**
 * The report's file under RUNNER_TEMP: `perf-verdict/report.json`, or for a named configuration
 * `perf-verdict-<name>/report.json`, so two configurations in one job never overwrite each other.
 */
export function reportFile(content: unknown, name: string | null): NonNullable<Outcome['report']> {
  return {
    name: 'report.json',
    content,
    folder: name === null ? 'perf-verdict' : `perf-verdict-${name}`,
  };
}

/** A judged report as the step's outcome: its verdict and score, and `fail-on` applied. */
export function judgedOutcome(
  report: GateReport,
  context: ModeContext,
  summaryNotes: readonly string[],
  ids: { readonly commentId: number | null; readonly checkRunId: number | null },
): Outcome {
  const { failOn, acceptLabel } = context.config;
  const overridden = report.override !== null;
  return outcome({
    verdict: report.verdict ?? 'UNJUDGED',
    score: report.score,
    report: reportFile(report, context.config.name),
    commentId: ids.commentId,
    checkRunId: ids.checkRunId,
    summary: renderSummary(report, {
      runUrl: context.runUrl,
      links: context.links,
      acceptLabel,
      notes: summaryNotes,
    }),
    notice: overridden
      ? `${report.verdict ?? ''}${report.unverified === undefined ? '' : ' (unverified)'} accepted by ${report.override.by} (${report.override.via})`
      : null,
    failure:
      !overridden && reachesFailOn(report.verdict, failOn)
        ? `perf-verdict: ${report.verdict ?? ''} reaches fail-on '${failOn}' (see the table in the job summary)`
        : null,
  });
}

/**
 * The PR as it is now, through the API — not the event payload, which a re-run reuses. null when
 * it cannot be read (a warning; publishing then goes ahead with what the event said).
 */
async function currentPullRequest(
  context: ModeContext,
  number: number,
): Promise<PullRequestInfo | null> {
  try {
    return await context.github().getPullRequest(number);
  } catch (error) {
    context.log.warn(
      `could not read pull request #${number} to check its head before publishing: ${errorMessage(error)}`,
    );
    return null;
  }
}

/** Publish a judged report on `pr` (unless its head moved on) and return the step's outcome. */
export async function finish(
  context: ModeContext,
  report: GateReport,
  pr: PullRequestInfo,
  labeling: Labeling | null,
): Promise<Outcome> {
  const { config, log } = context;
  const github = context.github();
  const current = await currentPullRequest(context, pr.number);
  if (current !== null && current.headSha !== report.head_sha) {
    const why = `pull request #${pr.number} moved on to ${current.headSha.slice(0, 12)} while this run judged ${report.head_sha.slice(0, 12)}: nothing published (the run for the new head publishes)`;
    log.info(why);
    return judgedOutcome(report, context, [`⏭️ ${why}`], { commentId: null, checkRunId: null });
  }
  // Labels as they are now: a re-run of an old event must see the label added since.
  const now: PullRequestInfo = current ?? pr;
  let judged = report;
  let acceptance: Acceptance | undefined;
  try {
    ({ report: judged, acceptance } = await applyAccept(report, {
      github,
      pr: now,
      acceptLabel: config.acceptLabel,
      labeling,
      name: config.name,
      log,
      now: new Date(),
    }));
  } catch (error) {
    log.warn(`could not look for an accept: ${errorMessage(error)}`);
  }
  const result = await publish(
    judged,
    {
      pullRequest: pr.number,
      headSha: judged.head_sha,
      comment: config.comment,
      reviewers: config.reviewers,
      runUrl: context.runUrl,
      // NONE measured nothing: a re-run is as cheap as reading it back, and there is nothing to
      // accept, so the comment stays short.
      ...(report.verdict === 'NONE'
        ? {}
        : { stored: report, ...(acceptance === undefined ? {} : { acceptance }) }),
      links: context.links,
      acceptLabel: config.acceptLabel,
      name: config.name,
    },
    github,
    log,
  );
  const notes = result.warnings.map((w) => `⚠️ ${w.replace(/\n\s*/g, ' · ')}`);
  return judgedOutcome(judged, context, notes, result);
}

/** The report published for `pr`'s head (from the sticky comment), or null (with why, logged). */
export async function publishedFor(
  context: ModeContext,
  pr: Pick<PullRequestInfo, 'number' | 'headSha'>,
): Promise<GateReport | null> {
  try {
    return await findPublished(context.github(), pr.number, pr.headSha, context.config.name);
  } catch (error) {
    context.log.warn(`could not read the published report: ${errorMessage(error)}`);
    return null;
  }
}

/**
 * Re-judge the override without measuring (`labeled` / `unlabeled`, `/perf-verdict accept`): the
 * report published for the PR's current head is taken from the sticky comment. null when there is
 * no such report (the caller measures, or says so).
 */
export async function rejudge(
  context: ModeContext,
  pr: PullRequestInfo,
  labeling: Labeling | null,
): Promise<Outcome | null> {
  const published = await publishedFor(context, pr);
  if (published === null) return null;
  context.log.info(
    `a report for ${pr.headSha.slice(0, 12)} is published (${published.verdict ?? ''}): re-judging the override without measuring`,
  );
  return finish(context, published, pr, labeling);
}
