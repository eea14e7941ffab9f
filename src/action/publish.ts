/**
 * Publishing a judged report to a pull request: the sticky comment, the `perf-verdict` check
 * run, reviewers and a review comment on REVIEW; the comment keeps the judged report and the
 * acceptance (./accept.ts) for later runs. Each step degrades on
 * its own: a 403 becomes a warning naming the `permissions:` block, never a crash — the verdict
 * still gates the job through the step's exit status.
 */
import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { Annotation, GitHubPort, PullReview } from '../adapters/github.js';
import { GitHubPermissionError } from '../adapters/github.js';
import type { CommentPolicy } from '../config/config.js';
import { escapeInline } from '../report/escape.js';
import type { Log } from '../domain/ports.js';
import { commentMarker, commentDigestInput, renderCheck, renderComment } from '../report/render.js';
import type { RenderContext, RenderLinks } from '../report/render.js';
import type { GateReport } from '../report/model.js';
import { checkConclusion, REPORT_SCHEMA, REPORT_VERSION, sortRows } from '../report/model.js';
import { errorMessage } from '../domain/errors.js';
import type { SecurityIssue } from '../domain/types.js';
import { acceptanceLine } from './accept.js';
import type { Acceptance } from './accept.js';

const PERMISSIONS_BLOCK = 'permissions:\n  contents: read\n  pull-requests: write\n  checks: write';
/** The check run's name: `perf-verdict`, or for a named configuration `perf-verdict (name)`. */
function checkName(name: string | null | undefined): string {
  return name === null || name === undefined ? 'perf-verdict' : `perf-verdict (${name})`;
}

export interface PublishContext {
  readonly pullRequest: number;
  readonly headSha: string;
  readonly comment: CommentPolicy;
  readonly reviewers: readonly string[];
  readonly runUrl: string | null;
  /** What the sticky comment keeps about accepting (./accept.ts); left out when unknown. */
  readonly acceptance?: Acceptance;
  /**
   * The judged report before any override, kept in the sticky comment (gzip + base64 in a hidden
   * HTML comment) so that a `labeled` / `unlabeled` / `/perf-verdict accept` run can re-judge the
   * override for the same head without measuring again. Left out when it would not fit.
   */
  readonly stored?: GateReport;
  /** Server and repository for links to commits and files. */
  readonly links?: RenderLinks | null;
  readonly acceptLabel?: string;
  /** The configuration's `name`: its own comment marker and check name. */
  readonly name?: string | null;
}

export interface PublishResult {
  readonly commentId: number | null;
  readonly checkRunId: number | null;
  readonly warnings: readonly string[];
}

function renderContextOf(context: PublishContext): RenderContext {
  return {
    runUrl: context.runUrl,
    links: context.links ?? null,
    name: context.name ?? null,
    ...(context.acceptLabel === undefined ? {} : { acceptLabel: context.acceptLabel }),
  };
}

/** Turn a failed publishing step into a warning; a 403 names the exact permissions needed. */
function warningOf(error: unknown): string {
  if (error instanceof GitHubPermissionError) {
    return `perf-verdict could not ${error.operation} (403: the token lacks permission). The verdict is in the job summary. To publish it, give the job:\n${PERMISSIONS_BLOCK}\n(fork pull requests get a read-only token: use mode: measure on pull_request and mode: report on workflow_run)`;
  }
  return `perf-verdict could not publish: ${errorMessage(error)}`;
}

async function step<T>(warnings: string[], log: Log, fn: () => Promise<T>): Promise<T | null> {
  try {
    return await fn();
  } catch (error) {
    const warning = warningOf(error);
    warnings.push(warning);
    log.warn(warning);
    return null;
  }
}

/** GitHub rejects comment bodies of 65,536 characters or more. */
const GITHUB_BODY_LIMIT = 65_536;
const STORED = /<!-- perf-verdict:report=([A-Za-z0-9+/=]+) -->/;

/** The hidden line that carries a judged report, or '' when `body` plus it would not fit. */
function storedLine(report: GateReport, body: string): string {
  const { override: _, accept_notes: __, ...judged } = report;
  const line = `\n<!-- perf-verdict:report=${gzipSync(JSON.stringify({ ...judged, override: null })).toString('base64')} -->`;
  return body.length + line.length < GITHUB_BODY_LIMIT - 100 ? line : '';
}

/**
 * The judged report kept in our sticky comment, when it is for `headSha`. The comment is ours
 * (the marker and a bot author, as for updates); its data is still checked for the schema, the
 * version and the head it claims, and anything else is treated as "no report" (measure again).
 */
function storedReport(body: string, headSha: string): GateReport | null {
  const match = STORED.exec(body);
  if (match === null) return null;
  try {
    const report = JSON.parse(
      gunzipSync(Buffer.from(match[1]!, 'base64'), { maxOutputLength: 20_000_000 }).toString(
        'utf8',
      ),
    ) as GateReport;
    const ok =
      report.schema === REPORT_SCHEMA &&
      report.version === REPORT_VERSION &&
      report.head_sha === headSha &&
      Array.isArray(report.tools) &&
      typeof report.verdict === 'string';
    return ok ? { ...report, override: null } : null;
  } catch {
    return null;
  }
}

/** Find our sticky comment on the PR and the report it keeps for `headSha`. */
export async function findPublished(
  github: GitHubPort,
  pullRequest: number,
  headSha: string,
  name: string | null = null,
): Promise<GateReport | null> {
  const comments = await github.listComments(pullRequest);
  const marker = commentMarker(name);
  const ours = comments.find((c) => c.userType === 'Bot' && c.body.includes(marker));
  return ours === undefined ? null : storedReport(ours.body, headSha);
}

function digestOf(report: GateReport): string {
  return createHash('sha256').update(commentDigestInput(report)).digest('hex').slice(0, 16);
}

/** A row's findings the head introduced: the diff's new ones, or all of a new tool's. */
function newFindingsOf(row: GateReport['tools'][number]): readonly SecurityIssue[] {
  if (row.diff !== null) return row.diff.new_findings;
  const head = row.analysis_new;
  if (row.analysis_old === null && head !== null && head.security.available)
    return head.security.issues;
  return [];
}

/**
 * Annotations on the changed tool files (or the helper a finding is in): the new security
 * findings (all of a new tool's).
 */
export function annotationsOf(report: GateReport): Annotation[] {
  const out: Annotation[] = [];
  for (const row of report.tools) {
    for (const finding of newFindingsOf(row)) {
      const line = Math.max(1, Math.floor(finding.line));
      out.push({
        // A finding in a file the tool loads is annotated there.
        path: finding.file ?? row.path,
        start_line: line,
        end_line: line,
        annotation_level: finding.severity === 'HIGH' ? 'failure' : 'warning',
        title: `perf-verdict: new security finding ${finding.rule} (${finding.severity})`.slice(
          0,
          255,
        ),
        message: finding.message.slice(0, 2000),
      });
    }
  }
  return out;
}

/** Hidden marker of our review comment; the second marker carries the set of tools it names. */
const REVIEW_MARKER = '<!-- perf-verdict:review -->';

/** The tools a human must look at: every row that is not ACCEPT. */
function toolsNeedingReview(report: GateReport): string[] {
  return sortRows(report.tools)
    .filter((r) => r.verdict !== 'ACCEPT')
    .map((r) => r.id)
    .sort();
}

/** The tools a review names, kept in a hidden marker (base64url JSON: inert inside a comment). */
function toolSetMarker(ids: readonly string[]): string {
  return `<!-- perf-verdict:review-tools=${Buffer.from(JSON.stringify(ids)).toString('base64url')} -->`;
}

function toolsOfReview(body: string): string[] | null {
  const match = /<!-- perf-verdict:review-tools=([A-Za-z0-9_-]*) -->/.exec(body);
  if (match === null) return null;
  try {
    const ids: unknown = JSON.parse(Buffer.from(match[1] ?? '', 'base64url').toString('utf8'));
    return Array.isArray(ids) ? ids.filter((id): id is string => typeof id === 'string') : null;
  } catch {
    return null;
  }
}

/** What a human has to decide on a REVIEW: one line per tool that is not ACCEPT. */
function reviewBody(
  report: GateReport,
  runUrl: string | null,
  changed: { readonly added: readonly string[]; readonly dropped: readonly string[] } | null = null,
): string {
  const lines = [
    REVIEW_MARKER,
    toolSetMarker(toolsNeedingReview(report)),
    `**perf-verdict: REVIEW** (head \`${report.head_sha.slice(0, 7)}\`) — a human decision is needed for:`,
    '',
  ];
  for (const row of sortRows(report.tools)) {
    if (row.verdict === 'ACCEPT') continue;
    const why = row.note ?? row.evaluation?.band.reasons.join('; ') ?? 'see the table';
    lines.push(
      `- **${escapeInline(row.id, 120)}** (${row.verdict ?? 'not judged'}${row.score === null ? '' : `, score ${Math.round(row.score)}`}): ${escapeInline(why, 400)}`,
    );
  }
  if (changed !== null) {
    const names = (ids: readonly string[]): string =>
      ids.map((id) => `**${escapeInline(id, 120)}**`).join(', ');
    lines.push('', 'Changed since the previous perf-verdict review:');
    if (changed.added.length > 0) lines.push(`- now also needs a human: ${names(changed.added)}`);
    if (changed.dropped.length > 0) lines.push(`- no longer needs one: ${names(changed.dropped)}`);
  }
  lines.push(
    '',
    `Accept a REJECT with the label or a \`/perf-verdict accept\` comment (write access needed).${runUrl ? ` [Run](${runUrl})` : ''}`,
  );
  return lines.join('\n');
}

/** Our latest review comment: the marker and a bot author, newest first. */
function ourReview(reviews: readonly PullReview[]): PullReview | undefined {
  return [...reviews].reverse().find((r) => r.userType === 'Bot' && r.body.includes(REVIEW_MARKER));
}

/**
 * One review per decision. On REVIEW: our review comment is posted once and its body updated on
 * later runs; it is posted anew only when the set of tools that need a human changed, saying
 * what changed. Reviewers are requested only when not already requested and not already
 * reviewing the current head. On a later ACCEPT / NONE: our review says so, and the configured
 * reviewers still pending are no longer requested.
 */
async function publishReview(
  report: GateReport,
  context: PublishContext,
  github: GitHubPort,
  log: Log,
  warnings: string[],
): Promise<void> {
  const users = context.reviewers.filter((r) => !r.includes('/'));
  const teams = context.reviewers
    .filter((r) => r.includes('/'))
    .map((r) => r.slice(r.indexOf('/') + 1));
  const reviews = await step(warnings, log, () => github.listReviews(context.pullRequest));
  const ours = reviews === null ? undefined : ourReview(reviews);

  if (report.verdict !== 'REVIEW') {
    if (ours === undefined || ours.body.includes('perf-verdict: resolved')) return;
    const body = `${REVIEW_MARKER}\n**perf-verdict: resolved** — a later run (head \`${report.head_sha.slice(0, 7)}\`) is ${report.verdict ?? 'not judged'}: no human decision is needed any more.${context.runUrl ? ` [Run](${context.runUrl})` : ''}`;
    await step(warnings, log, () => github.updateReview(context.pullRequest, ours.id, body));
    if (users.length + teams.length > 0) {
      const pending = await step(warnings, log, () =>
        github.requestedReviewers(context.pullRequest),
      );
      const stillUsers = users.filter((u) => pending?.users.includes(u));
      const stillTeams = teams.filter((t) => pending?.teams.includes(t));
      if (stillUsers.length + stillTeams.length > 0)
        await step(warnings, log, () =>
          github.removeRequestedReviewers(context.pullRequest, stillUsers, stillTeams),
        );
    }
    log.info(`review ${ours.id} marked resolved`);
    return;
  }

  if (users.length + teams.length > 0) {
    const pending = await step(warnings, log, () => github.requestedReviewers(context.pullRequest));
    const reviewedHead = new Set(
      (reviews ?? [])
        .filter((r) => r.commitId === context.headSha && r.userType !== 'Bot')
        .map((r) => r.login),
    );
    const newUsers = users.filter((u) => !pending?.users.includes(u) && !reviewedHead.has(u));
    const newTeams = teams.filter((t) => !pending?.teams.includes(t));
    if (newUsers.length + newTeams.length > 0)
      await step(warnings, log, () =>
        github.requestReviewers(context.pullRequest, newUsers, newTeams),
      );
    else log.info('reviewers already requested (or reviewed this head): not requested again');
  }

  const tools = toolsNeedingReview(report);
  if (ours !== undefined && ours.body.includes(toolSetMarker(tools))) {
    await step(warnings, log, () =>
      github.updateReview(context.pullRequest, ours.id, reviewBody(report, context.runUrl)),
    );
    log.info(`updated review ${ours.id}: the same tools need a human`);
    return;
  }
  const before = ours === undefined ? null : toolsOfReview(ours.body);
  const changed =
    before === null
      ? null
      : {
          added: tools.filter((id) => !before.includes(id)),
          dropped: before.filter((id) => !tools.includes(id)),
        };
  await step(warnings, log, () =>
    github.createReview(
      context.pullRequest,
      context.headSha,
      reviewBody(report, context.runUrl, changed),
    ),
  );
}

export async function publish(
  report: GateReport,
  context: PublishContext,
  github: GitHubPort,
  log: Log,
): Promise<PublishResult> {
  const warnings: string[] = [];
  let commentId: number | null = null;

  if (context.comment !== 'never') {
    const digest = digestOf(report);
    const acceptance = context.acceptance === undefined ? '' : acceptanceLine(context.acceptance);
    const rendered = renderComment(report, renderContextOf(context), digest) + acceptance;
    const body =
      context.stored === undefined ? rendered : rendered + storedLine(context.stored, rendered);
    await step(warnings, log, async () => {
      const comments = await github.listComments(context.pullRequest);
      // Ours: the marker AND a bot author — a human quoting the marker cannot hijack it.
      const marker = commentMarker(context.name);
      const existing = comments.find((c) => c.userType === 'Bot' && c.body.includes(marker));
      if (existing !== undefined) {
        commentId = existing.id;
        if (
          context.comment === 'on-change' &&
          existing.body.includes(`perf-verdict:digest=${digest} `) &&
          existing.body.includes(acceptance)
        ) {
          log.info('comment unchanged (on-change): not updated');
          return;
        }
        await github.updateComment(existing.id, body);
        log.info(`updated comment ${existing.id}`);
      } else if (context.comment === 'always' || report.verdict !== 'NONE') {
        commentId = await github.createComment(context.pullRequest, body);
        log.info(`created comment ${commentId}`);
      }
    });
  }

  const checkRunId = await publishCheck(report, context, github, log, warnings);
  await publishReview(report, context, github, log, warnings);
  return { commentId, checkRunId, warnings };
}

/**
 * The `perf-verdict` check run on the judged head: what a branch protection rule or a merge queue
 * requires. A failure to create it is a warning in `warnings`, and null.
 */
export async function publishCheck(
  report: GateReport,
  context: Pick<PublishContext, 'headSha' | 'runUrl' | 'links' | 'acceptLabel' | 'name'>,
  github: GitHubPort,
  log: Log,
  warnings: string[],
): Promise<number | null> {
  const output = renderCheck(report, {
    runUrl: context.runUrl,
    links: context.links ?? null,
    ...(context.acceptLabel === undefined ? {} : { acceptLabel: context.acceptLabel }),
  });
  return step(warnings, log, () =>
    github.createCheckRun({
      name: checkName(context.name),
      headSha: context.headSha,
      conclusion: checkConclusion(report),
      title: output.title,
      summary: output.summary,
      text: output.text,
      annotations: annotationsOf(report),
      detailsUrl: context.runUrl,
    }),
  );
}
