/**
 * The workflow's event, read once: GITHUB_EVENT_NAME picks the schema, the payload at
 * GITHUB_EVENT_PATH is validated by it (zod) into one typed union, and no code after this looks at
 * the raw payload. Only the fields the modes use are kept. The PR's title, body and labels are
 * the PR author's words (untrusted); the rest is written by GitHub.
 */
import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { PerfVerdictError } from '../domain/errors.js';
import type { Env } from './context.js';

/** A commit id: SHA-1 or SHA-256 hex (git's object formats); all zeros for a deleted ref. */
const sha = z.string().regex(/^[0-9a-f]{40}(?:[0-9a-f]{24})?$/, 'expected a commit sha');
/** A repository as a payload names it. */
const fullName = z.object({ full_name: z.string() });
const login = z.object({ login: z.string() }).optional();

const pullRequestPayload = z.object({
  action: z.string(),
  pull_request: z.object({
    number: z.number().int().positive(),
    title: z.string().nullish(),
    body: z.string().nullish(),
    head: z.object({ sha }),
    base: z.object({ sha, ref: z.string() }),
    labels: z.array(z.object({ name: z.string() })).default([]),
  }),
  label: z.object({ name: z.string() }).optional(),
  sender: login,
});

const issueCommentPayload = z.object({
  issue: z.object({
    number: z.number().int().positive(),
    pull_request: z.object({}).nullish(),
  }),
  comment: z.object({ body: z.string().nullish() }),
});

const workflowRunPayload = z.object({
  workflow_run: z.object({
    head_sha: sha,
    // The repository the measured commit came from: a fork's for a fork's pull request; null
    // when that fork has been deleted since.
    head_repository: fullName.nullish(),
  }),
});

const pushPayload = z.object({
  before: sha,
  after: sha,
  ref: z.string().nullish(),
  deleted: z.boolean().default(false),
  head_commit: z.object({ message: z.string() }).nullish(),
  sender: z.object({ login: z.string() }).nullish(),
});

const mergeGroupPayload = z.object({
  action: z.string(),
  merge_group: z.object({
    head_sha: sha,
    head_ref: z.string(),
    base_sha: sha,
    base_ref: z.string(),
  }),
});

/** What every event carries: the repository it happened in. */
const anyPayload = z.object({ repository: fullName.optional() });

/** The pull request of a pull_request / pull_request_target event. */
export interface PullRequestOfEvent {
  readonly number: number;
  readonly headSha: string;
  readonly baseSha: string;
  readonly baseRef: string;
  readonly labels: readonly string[];
  /** The PR's title and body: claims (untrusted), never instructions. */
  readonly title: string | undefined;
  readonly body: string | undefined;
}

/** One event of the run, and the repository it happened in (null when the payload names none). */
export type ActionEvent = EventBody & { readonly repository: string | null };

type EventBody =
  | {
      readonly kind: 'pull_request';
      readonly name: 'pull_request' | 'pull_request_target';
      readonly action: string;
      readonly pullRequest: PullRequestOfEvent;
      /** The label added or removed (labeled / unlabeled), and who did it. */
      readonly label: string | null;
      readonly sender: string | null;
    }
  | {
      readonly kind: 'issue_comment';
      readonly issue: number;
      readonly onPullRequest: boolean;
      readonly body: string;
    }
  | {
      readonly kind: 'workflow_run';
      readonly headSha: string;
      /** Where the measuring run's commit came from (a fork's name), null when unknown. */
      readonly headRepository: string | null;
    }
  | {
      /** A merge queue's group: the queued merge (head) onto the branch it merges into (base). */
      readonly kind: 'merge_group';
      readonly headSha: string;
      readonly headRef: string;
      readonly baseSha: string;
      readonly baseRef: string;
    }
  | {
      readonly kind: 'push';
      readonly before: string;
      readonly after: string;
      readonly ref: string | null;
      /** The push deleted the branch (`after` is all zeros). */
      readonly deleted: boolean;
      /** The head commit's message and who pushed: words, untrusted (the dashboard's provenance). */
      readonly headMessage: string | null;
      readonly sender: string | null;
    }
  | { readonly kind: 'other'; readonly name: string };

const nonEmpty = (value: string | null | undefined): string | undefined =>
  value === null || value === undefined || value === '' ? undefined : value;

/** `payload` through `schema`, or an error naming the event and the first bad field. */
type Parsed = <T>(schema: z.ZodType<T>) => T;

/** Validate `payload` as the event `name` GitHub sent. Throws naming the first bad field. */
export function parseEvent(name: string, payload: unknown): ActionEvent {
  const parsed: Parsed = (schema) => {
    const result = schema.safeParse(payload);
    if (result.success) return result.data;
    const issue = result.error.issues[0];
    const field = issue?.path.map(String).join('.') ?? '';
    throw new PerfVerdictError(
      'github',
      `the ${name} event payload is not what GitHub sends: ${field === '' ? '' : `'${field}': `}${issue?.message ?? 'invalid'}`,
      field === '' ? undefined : field,
    );
  };
  return {
    ...eventBody(name, parsed),
    repository: parsed(anyPayload).repository?.full_name ?? null,
  };
}

/** What the event `name` says beyond its repository. */
function eventBody(name: string, parsed: Parsed): EventBody {
  switch (name) {
    case 'pull_request':
    case 'pull_request_target': {
      const p = parsed(pullRequestPayload);
      const pr = p.pull_request;
      return {
        kind: 'pull_request',
        name,
        action: p.action,
        pullRequest: {
          number: pr.number,
          headSha: pr.head.sha,
          baseSha: pr.base.sha,
          baseRef: pr.base.ref,
          labels: pr.labels.map((l) => l.name),
          title: nonEmpty(pr.title),
          body: nonEmpty(pr.body),
        },
        label: p.label?.name ?? null,
        sender: nonEmpty(p.sender?.login) ?? null,
      };
    }
    case 'issue_comment': {
      const p = parsed(issueCommentPayload);
      return {
        kind: 'issue_comment',
        issue: p.issue.number,
        onPullRequest: p.issue.pull_request != null,
        body: p.comment.body ?? '',
      };
    }
    case 'workflow_run': {
      const p = parsed(workflowRunPayload);
      return {
        kind: 'workflow_run',
        headSha: p.workflow_run.head_sha,
        headRepository: p.workflow_run.head_repository?.full_name ?? null,
      };
    }
    case 'merge_group': {
      const g = parsed(mergeGroupPayload).merge_group;
      return {
        kind: 'merge_group',
        headSha: g.head_sha,
        headRef: g.head_ref,
        baseSha: g.base_sha,
        baseRef: g.base_ref,
      };
    }
    case 'push': {
      const p = parsed(pushPayload);
      return {
        kind: 'push',
        before: p.before,
        after: p.after,
        ref: nonEmpty(p.ref) ?? null,
        deleted: p.deleted || /^0+$/.test(p.after),
        headMessage: p.head_commit?.message ?? null,
        sender: nonEmpty(p.sender?.login) ?? null,
      };
    }
    default:
      return { kind: 'other', name };
  }
}

/**
 * The event of this run, or null outside a workflow (no GITHUB_EVENT_PATH): the configuration
 * can still be read and checked then, and the mode says what it needed (`missingEvent`).
 */
export function readEvent(env: Env): ActionEvent | null {
  const eventPath = env['GITHUB_EVENT_PATH'];
  if (eventPath === undefined || eventPath === '' || !existsSync(eventPath)) return null;
  let payload: unknown;
  try {
    payload = JSON.parse(readFileSync(eventPath, 'utf8'));
  } catch (error) {
    throw new PerfVerdictError(
      'github',
      `the event payload at GITHUB_EVENT_PATH is not JSON: ${(error as Error).message}`,
    );
  }
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload))
    throw new PerfVerdictError('github', 'the event payload is not an object');
  return parseEvent(env['GITHUB_EVENT_NAME'] ?? '', payload);
}

export function missingEvent(env: Env): PerfVerdictError {
  const eventPath = env['GITHUB_EVENT_PATH'];
  return new PerfVerdictError(
    'github',
    `no GitHub event payload: GITHUB_EVENT_PATH is ${eventPath === undefined || eventPath === '' ? 'not set' : `'${eventPath}', which does not exist`}; run perf-verdict as a step of a workflow, or use 'perf-verdict gate' locally`,
  );
}

export type PullRequestEvent = Extract<ActionEvent, { kind: 'pull_request' }>;

/**
 * The pull_request event `full` and `measure` run on. They run the PR's code: never under
 * pull_request_target, whose token can write and whose secrets are the base repository's.
 */
export function pullRequestEventOf(event: ActionEvent, mode: 'full' | 'measure'): PullRequestEvent {
  if (event.kind === 'pull_request' && event.name === 'pull_request_target') {
    throw new PerfVerdictError(
      'github',
      `mode ${mode} runs the PR's code and must never run under pull_request_target; use mode: measure on pull_request and mode: report on workflow_run`,
    );
  }
  if (event.kind !== 'pull_request') {
    throw new PerfVerdictError(
      'github',
      `mode ${mode === 'full' ? 'full runs on pull_request and merge_group' : 'measure runs on pull_request'} events, but this is '${eventName(event)}'; for workflow_run use mode: report, for push use mode: record, locally use 'perf-verdict gate'`,
    );
  }
  return event;
}

/** A label was added or removed: the verdict is re-judged (or handed on) without measuring. */
export function isLabelChange(event: PullRequestEvent): boolean {
  return event.action === 'labeled' || event.action === 'unlabeled';
}

/** Who added the accept label, when this event is that: the override's author. */
export function labelActorOf(event: PullRequestEvent, acceptLabel: string): string | null {
  return event.action === 'labeled' && event.label === acceptLabel ? event.sender : null;
}

export function eventName(event: ActionEvent): string {
  return event.kind === 'pull_request' || event.kind === 'other' ? event.name : event.kind;
}
