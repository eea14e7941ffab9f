/**
 * GitHub through @actions/github's octokit: the few REST calls the gate makes. The API base URL
 * is passed explicitly (GITHUB_API_URL as the entry read it), because @actions/github reads its
 * default once at import time. A 403 becomes a GitHubPermissionError the publisher can turn into
 * a warning that names the missing permission.
 *
 * Resilience, as changesets/action does it: @octokit/plugin-retry retries 5xx answers and reset
 * connections (octokit reports those as status 500) with a quadratic backoff (1 s, 4 s, 9 s);
 * @octokit/plugin-throttling waits out secondary rate limits (403/429 with `retry-after`) and
 * primary ones, and spaces writes. Both are bounded: RETRIES attempts, and a limit whose wait
 * exceeds MAX_WAIT_SECONDS is not waited for — the call fails and the publisher turns that into a
 * warning plus the job summary.
 */
import { getOctokit } from '@actions/github';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import Bottleneck from 'bottleneck';
import { PerfVerdictError } from '../domain/errors.js';
import type { Log } from '../domain/ports.js';

/** Retries per request after a 5xx, a reset connection or a rate limit. */
const RETRIES = 3;
/** The longest rate-limit wait (seconds) worth spending rather than failing the call. */
const MAX_WAIT_SECONDS = 60;

export interface PullRequestInfo {
  readonly number: number;
  readonly headSha: string;
  readonly baseSha: string;
  readonly baseRef: string;
  readonly labels: readonly string[];
  readonly headRepository: string | null;
}

interface IssueComment {
  readonly id: number;
  readonly body: string;
  readonly login: string;
  /** `Bot`, `User`, `Organization`. */
  readonly userType: string;
  /** When GitHub says it was written (ISO 8601, to the second). */
  readonly createdAt: string;
}

/** A label added to an issue or pull request, as its events list says: who, which, when. */
interface LabelEvent {
  readonly label: string;
  /** null when GitHub no longer knows the account. */
  readonly actor: string | null;
  /** ISO 8601, to the second. */
  readonly createdAt: string;
}

export interface Annotation {
  readonly path: string;
  readonly start_line: number;
  readonly end_line: number;
  readonly annotation_level: 'notice' | 'warning' | 'failure';
  readonly title: string;
  readonly message: string;
}

interface CheckRunRequest {
  readonly name: string;
  readonly headSha: string;
  readonly conclusion: 'success' | 'neutral' | 'failure';
  readonly title: string;
  readonly summary: string;
  readonly text: string;
  readonly annotations: readonly Annotation[];
  readonly detailsUrl: string | null;
}

/** A pull request review (a review comment) as the de-duplication needs it. */
export interface PullReview {
  readonly id: number;
  readonly body: string;
  readonly login: string;
  /** `Bot`, `User`, `Organization`. */
  readonly userType: string;
  /** The commit the review was made on. */
  readonly commitId: string | null;
  /** `COMMENTED`, `APPROVED`, `CHANGES_REQUESTED`, `DISMISSED`, `PENDING`. */
  readonly state: string;
}

/** Who is asked to review and has not yet: user logins and team slugs. */
interface RequestedReviewers {
  readonly users: readonly string[];
  readonly teams: readonly string[];
}

export interface GitHubPort {
  getPullRequest(number: number): Promise<PullRequestInfo>;
  listComments(number: number): Promise<IssueComment[]>;
  createComment(number: number, body: string): Promise<number>;
  updateComment(id: number, body: string): Promise<void>;
  createCheckRun(request: CheckRunRequest): Promise<number>;
  requestReviewers(
    number: number,
    users: readonly string[],
    teams: readonly string[],
  ): Promise<void>;
  createReview(number: number, commitId: string, body: string): Promise<void>;
  listReviews(number: number): Promise<PullReview[]>;
  updateReview(number: number, reviewId: number, body: string): Promise<void>;
  requestedReviewers(number: number): Promise<RequestedReviewers>;
  removeRequestedReviewers(
    number: number,
    users: readonly string[],
    teams: readonly string[],
  ): Promise<void>;
  /** Every label added to issue or pull request `number`, oldest first (the issue events API). */
  labelEvents(number: number): Promise<LabelEvent[]>;
  /** `admin`, `maintain`, `write`, `triage`, `read` or `none`. */
  permissionOf(user: string): Promise<string>;
}

/** The token may not do this: the caller degrades to a warning naming the permission. */
export class GitHubPermissionError extends PerfVerdictError {
  constructor(
    readonly operation: string,
    detail: string,
  ) {
    super('github', `${operation}: 403 ${detail}`);
    this.name = 'GitHubPermissionError';
  }
}

/** GitHub accepts at most 50 annotations per check run request. */
const ANNOTATIONS_PER_REQUEST = 50;

function status(error: unknown): number | undefined {
  const value = (error as { status?: unknown }).status;
  return typeof value === 'number' ? value : undefined;
}

async function call<T>(operation: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    const message = error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error);
    if (status(error) === 403) throw new GitHubPermissionError(operation, message);
    throw new PerfVerdictError(
      'github',
      `${operation} failed (${status(error) ?? 'no status'}): ${message}`,
    );
  }
}

/** Who wrote a comment or review; '' for what GitHub no longer knows (a deleted account). */
function authorOf(user: { readonly login: string; readonly type: string } | null | undefined): {
  readonly login: string;
  readonly userType: string;
} {
  return { login: user?.login ?? '', userType: user?.type ?? '' };
}

/** What a comment and a review have alike: its id, its text and who wrote it. */
function postOf(post: {
  readonly id: number;
  readonly body?: string | null | undefined;
  readonly user: { readonly login: string; readonly type: string } | null | undefined;
}): {
  readonly id: number;
  readonly body: string;
  readonly login: string;
  readonly userType: string;
} {
  return { id: post.id, body: post.body ?? '', ...authorOf(post.user) };
}

/** Request options octokit needs as they are: where the request goes and how it is sent. */
const ROUTING = new Set(['method', 'url', 'baseUrl', 'headers', 'request', 'mediaType']);

export function createGitHub(options: {
  readonly token: string;
  readonly baseUrl: string;
  readonly repository: string;
  readonly log?: Log;
  /** Applied to every request's parameters and body (not its routing or headers) before it is sent. */
  readonly redact?: (<T>(value: T) => T) | undefined;
  /**
   * Space writes as GitHub asks (1 s between writes, 3 s between writes that notify): the default.
   * false for a server that is not GitHub's own, e.g. a test's fake; retry-after is obeyed either way.
   */
  readonly spaceWrites?: boolean;
}): GitHubPort {
  const [owner, repo] = options.repository.split('/') as [string, string];
  if (!owner || !repo)
    throw new PerfVerdictError('github', `'${options.repository}' is not owner/name`);
  // What every request names: the repository, and the pull request (or its issue) it is about.
  const on = { owner, repo };
  const pull = (number: number) => ({ ...on, pull_number: number });
  const issue = (number: number) => ({ ...on, issue_number: number });
  const log = options.log;
  const waitOut =
    (kind: string) =>
    (retryAfter: number, request: { method: string; url: string }, _: unknown, count: number) => {
      const retrying = count < RETRIES && retryAfter <= MAX_WAIT_SECONDS;
      log?.warn(
        `GitHub ${kind} on ${request.method} ${request.url}: ${retrying ? `retrying in ${retryAfter} s (retry ${count + 1} of ${RETRIES})` : `not retrying (retry-after ${retryAfter} s, ${count} retries so far)`}`,
      );
      return retrying;
    };
  const octokit = getOctokit(
    options.token,
    {
      baseUrl: options.baseUrl,
      retry: { retries: RETRIES },
      throttle: {
        onRateLimit: waitOut('rate limit'),
        onSecondaryRateLimit: waitOut('secondary rate limit'),
        ...(options.spaceWrites === false
          ? {
              write: new Bottleneck.Group({ maxConcurrent: 1 }),
              notifications: new Bottleneck.Group({ maxConcurrent: 1 }),
            }
          : {}),
      },
    },
    retry,
    throttling,
  );
  const redact = options.redact;
  if (redact !== undefined) {
    // Comment, review, check output and annotations: nothing secret leaves in a request body.
    octokit.hook.before('request', (request) => {
      const params = request as unknown as Record<string, unknown>;
      for (const key of Object.keys(params))
        if (!ROUTING.has(key)) params[key] = redact(params[key]);
    });
  }
  const rest = octokit.rest;

  return {
    getPullRequest: (number) =>
      call(`GET pull request #${number}`, async () => {
        const { data } = await rest.pulls.get(pull(number));
        return {
          number: data.number,
          headSha: data.head.sha,
          baseSha: data.base.sha,
          baseRef: data.base.ref,
          labels: data.labels.map((l) => l.name),
          headRepository: data.head.repo?.full_name ?? null,
        };
      }),

    listComments: (number) =>
      call(`list comments of #${number}`, async () => {
        const comments = await octokit.paginate(rest.issues.listComments, {
          ...issue(number),
          per_page: 100,
        });
        return comments.map((c) => ({ ...postOf(c), createdAt: c.created_at }));
      }),

    createComment: (number, body) =>
      call(`create a comment on #${number}`, async () => {
        const { data } = await rest.issues.createComment({
          ...issue(number),
          body,
        });
        return data.id;
      }),

    updateComment: (id, body) =>
      call(`update comment ${id}`, async () => {
        await rest.issues.updateComment({ ...on, comment_id: id, body });
      }),

    createCheckRun: (request) =>
      call('create the perf-verdict check run', async () => {
        const batches: Annotation[][] = [];
        for (let i = 0; i < request.annotations.length; i += ANNOTATIONS_PER_REQUEST)
          batches.push(request.annotations.slice(i, i + ANNOTATIONS_PER_REQUEST));
        const output = (annotations: Annotation[] | undefined) => ({
          title: request.title,
          summary: request.summary,
          text: request.text,
          ...(annotations === undefined ? {} : { annotations }),
        });
        const { data } = await rest.checks.create({
          ...on,
          name: request.name,
          head_sha: request.headSha,
          status: 'completed',
          conclusion: request.conclusion,
          completed_at: new Date().toISOString(),
          ...(request.detailsUrl === null ? {} : { details_url: request.detailsUrl }),
          output: output(batches[0]),
        });
        // Further annotations go in follow-up updates, 50 at a time.
        for (const batch of batches.slice(1)) {
          await rest.checks.update({ ...on, check_run_id: data.id, output: output(batch) });
        }
        return data.id;
      }),

    requestReviewers: (number, users, teams) =>
      call(`request reviewers on #${number}`, async () => {
        await rest.pulls.requestReviewers({
          ...pull(number),
          reviewers: [...users],
          team_reviewers: [...teams],
        });
      }),

    createReview: (number, commitId, body) =>
      call(`post a review comment on #${number}`, async () => {
        await rest.pulls.createReview({
          ...pull(number),
          commit_id: commitId,
          body,
          event: 'COMMENT',
        });
      }),

    listReviews: (number) =>
      call(`list reviews of #${number}`, async () => {
        const reviews = await octokit.paginate(rest.pulls.listReviews, {
          ...pull(number),
          per_page: 100,
        });
        return reviews.map((r) => ({
          ...postOf(r),
          commitId: r.commit_id ?? null,
          state: r.state,
        }));
      }),

    updateReview: (number, reviewId, body) =>
      call(`update review ${reviewId} on #${number}`, async () => {
        await rest.pulls.updateReview({
          ...pull(number),
          review_id: reviewId,
          body,
        });
      }),

    requestedReviewers: (number) =>
      call(`list requested reviewers of #${number}`, async () => {
        const { data } = await rest.pulls.listRequestedReviewers({
          ...pull(number),
        });
        return { users: data.users.map((u) => u.login), teams: data.teams.map((t) => t.slug) };
      }),

    removeRequestedReviewers: (number, users, teams) =>
      call(`remove requested reviewers on #${number}`, async () => {
        await rest.pulls.removeRequestedReviewers({
          ...pull(number),
          reviewers: [...users],
          team_reviewers: [...teams],
        });
      }),

    labelEvents: (number) =>
      call(`list the events of #${number}`, async () => {
        const events = await octokit.paginate(rest.issues.listEvents, {
          ...issue(number),
          per_page: 100,
        });
        // Every event kind is one object shape here; a labeled event carries `label`.
        return events.flatMap((e) => {
          const { event, actor, label, created_at } = e as {
            event: string;
            actor: { login: string } | null;
            label?: { name: string };
            created_at: string;
          };
          return event === 'labeled' && label !== undefined
            ? [{ label: label.name, actor: actor?.login ?? null, createdAt: created_at }]
            : [];
        });
      }),

    permissionOf: (user) =>
      call(`read the permission of ${user}`, async () => {
        const { data } = await rest.repos.getCollaboratorPermissionLevel({
          ...on,
          username: user,
        });
        return data.role_name || data.permission;
      }),
  };
}
