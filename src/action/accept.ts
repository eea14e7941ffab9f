/**
 * Accepting is a decision about one head. A writer's accept — the accept label, or a
 * `/perf-verdict accept` comment — counts for the head and verdict that were published when it
 * was given: given at or after the moment this head's verdict was first published, and only until
 * the head or the verdict changes. The sticky comment keeps that moment and the last accept that
 * applied (the acceptance); after a new push, or when the same head is judged differently, the
 * last accept is shown as stale and a new one is needed. A label left on the pull request is then
 * ignored, not removed: remove it and add it again to accept the new head.
 *
 * Who added the label is checked for write access as a comment's author is: the `labeled`
 * event's sender when this run is that event, else the newest `labeled` event GitHub lists for
 * the pull request (the issue events API). Times are GitHub's for labels and comments, and the
 * publishing job's clock, to the second, for the moment a verdict was first published.
 */
import { z } from 'zod';
import type { GitHubPort, PullRequestInfo } from '../adapters/github.js';
import { errorMessage } from '../domain/errors.js';
import type { Log } from '../domain/ports.js';
import { VERDICTS } from '../domain/types.js';
import { commentMarker } from '../report/render.js';
import type { GateReport, Override } from '../report/model.js';
import { awaitsAccept } from '../report/model.js';

// Within one line ([ \t], not \s): `^\s*` under /m rescans every following blank line.
export const ACCEPT_COMMAND = /^[ \t]*\/perf-verdict[ \t]+accept\b/m;
const WRITERS = new Set(['admin', 'maintain', 'write']);

/** The accept label added by this run's own event: who added it, and when this run began. */
export interface Labeling {
  readonly actor: string;
  readonly at: Date;
}

const sha = z.string().regex(/^[0-9a-f]{40}(?:[0-9a-f]{24})?$/);
const verdict = z.enum([...VERDICTS, 'NONE']).nullable();
const acceptanceSchema = z.object({
  head_sha: sha,
  verdict,
  since: z.iso.datetime(),
  accepted: z
    .object({
      by: z.string().max(100),
      via: z.enum(['label', 'comment']),
      detail: z.string().max(300),
      head_sha: sha,
      verdict,
    })
    .nullable(),
});

/**
 * What the sticky comment keeps about accepting: the head and verdict it shows, since when (an
 * accept given before is about something else), and the last accept that applied, with the head
 * and verdict it was given for.
 */
export type Acceptance = z.infer<typeof acceptanceSchema>;

const ACCEPTANCE = /<!-- perf-verdict:acceptance=([A-Za-z0-9_-]+) -->/;

/** The hidden line that carries the acceptance in the sticky comment (base64url JSON: inert). */
export function acceptanceLine(acceptance: Acceptance): string {
  return `\n<!-- perf-verdict:acceptance=${Buffer.from(JSON.stringify(acceptance)).toString('base64url')} -->`;
}

/** The acceptance in our comment's body; null when there is none or it is not one. */
function readAcceptance(body: string): Acceptance | null {
  const match = ACCEPTANCE.exec(body);
  if (match === null) return null;
  try {
    const parsed = acceptanceSchema.safeParse(
      JSON.parse(Buffer.from(match[1] ?? '', 'base64url').toString('utf8')),
    );
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** To the second, as GitHub gives the times of labels and comments. */
function toSecond(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The acceptance for this report: `since` is kept while the head and the verdict stay the same. */
function acceptanceFor(report: GateReport, previous: Acceptance | null, now: Date): Acceptance {
  const same =
    previous !== null &&
    previous.head_sha === report.head_sha &&
    previous.verdict === report.verdict;
  return {
    head_sha: report.head_sha,
    verdict: report.verdict,
    since: same ? previous.since : toSecond(now),
    accepted: previous?.accepted ?? null,
  };
}

interface AcceptContext {
  readonly github: GitHubPort;
  /** The pull request as it is now (its labels). */
  readonly pr: PullRequestInfo;
  readonly acceptLabel: string;
  /** This run's own event when it added the accept label; null otherwise. */
  readonly labeling: Labeling | null;
  /** The configuration's name: which sticky comment is ours. */
  readonly name: string | null;
  readonly log: Log;
  readonly now: Date;
}

/**
 * The report with the accept that applies to it — or, when none does, the reasons the accepts
 * given do not (`accept_notes`) — and the acceptance the sticky comment keeps. Throws only when the
 * comments cannot be read.
 */
export async function applyAccept(
  report: GateReport,
  context: AcceptContext,
): Promise<{ readonly report: GateReport; readonly acceptance: Acceptance }> {
  const comments = await context.github.listComments(context.pr.number);
  const marker = commentMarker(context.name);
  const ours = comments.find((c) => c.userType === 'Bot' && c.body.includes(marker));
  const acceptance = acceptanceFor(
    report,
    ours === undefined ? null : readAcceptance(ours.body),
    context.now,
  );
  if (!awaitsAccept(report)) return { report, acceptance };
  const since = Date.parse(acceptance.since);
  const byLabel = await labelAccept(report, since, context);
  const found =
    byLabel !== null && 'override' in byLabel
      ? byLabel
      : await commentAccept(comments, since, context);
  if ('override' in found) {
    const { override } = found;
    return {
      report: { ...report, override },
      acceptance: {
        ...acceptance,
        accepted: { ...override, head_sha: report.head_sha, verdict: report.verdict },
      },
    };
  }
  const stale = staleNote(acceptance, report, context.pr.labels.includes(context.acceptLabel));
  const byLabelNotes = byLabel !== null && 'notes' in byLabel ? byLabel.notes : [];
  const notes = [...(stale === null ? [] : [stale]), ...byLabelNotes, ...found.notes];
  for (const note of notes) context.log.info(`no accept applies: ${note}`);
  return { report: notes.length === 0 ? report : { ...report, accept_notes: notes }, acceptance };
}

type Found = { readonly override: Override } | { readonly notes: readonly string[] };

/** Why `login` may not accept (its permission, or why it could not be read); null: a writer. */
async function refusal(context: AcceptContext, login: string): Promise<string | null> {
  try {
    const permission = await context.github.permissionOf(login);
    return WRITERS.has(permission) ? null : `permission '${permission}', write access is needed`;
  } catch (error) {
    return `the permission could not be read (${errorMessage(error)})`;
  }
}

/** Who added the accept label last, and when: this run's event, else GitHub's issue events. */
async function whoAddedLabel(context: AcceptContext): Promise<Labeling | string> {
  if (context.labeling !== null) return context.labeling;
  try {
    const events = await context.github.labelEvents(context.pr.number);
    const last = events.filter((e) => e.label === context.acceptLabel).at(-1);
    if (last === undefined || last.actor === null) return 'GitHub names no one who added it';
    return { actor: last.actor, at: new Date(last.createdAt) };
  } catch (error) {
    return `who added it could not be read (${errorMessage(error)})`;
  }
}

/** The accept label, when a writer added it after this verdict was published; null: no label. */
async function labelAccept(
  report: GateReport,
  since: number,
  context: AcceptContext,
): Promise<Found | null> {
  const label = context.acceptLabel;
  if (!context.pr.labels.includes(label)) return null;
  const added = await whoAddedLabel(context);
  const the = `the label ${label}`;
  if (typeof added === 'string') return { notes: [`${the} is not honoured: ${added}`] };
  // A time that cannot be read counts as before: nothing unproven is honoured.
  if (!(added.at.getTime() >= since))
    return {
      notes: [
        `${the} was added by ${added.actor} before the verdict for ${report.head_sha.slice(0, 7)} was published: remove it and add it again to accept this head`,
      ],
    };
  const refused = await refusal(context, added.actor);
  if (refused === null) return { override: { by: added.actor, via: 'label', detail: label } };
  return { notes: [`${the} was added by ${added.actor}, not honoured: ${refused}`] };
}

/** The newest `/perf-verdict accept` by a writer given since this verdict was published. */
async function commentAccept(
  comments: Awaited<ReturnType<GitHubPort['listComments']>>,
  since: number,
  context: AcceptContext,
): Promise<Found> {
  const notes: string[] = [];
  const refused = new Set<string>();
  for (const comment of [...comments].reverse()) {
    if (comment.userType === 'Bot' || !ACCEPT_COMMAND.test(comment.body)) continue;
    if (!(Date.parse(comment.createdAt) >= since) || refused.has(comment.login)) continue;
    const why = await refusal(context, comment.login);
    if (why === null)
      return { override: { by: comment.login, via: 'comment', detail: `comment ${comment.id}` } };
    refused.add(comment.login);
    notes.push(`/perf-verdict accept by ${comment.login} is not honoured: ${why}`);
  }
  return { notes };
}

/**
 * The last accept, when it was for another head or verdict: a new one is needed. Nothing when it
 * was for this very head and verdict (a label since removed, a comment since deleted).
 */
function staleNote(acceptance: Acceptance, report: GateReport, labelOn: boolean): string | null {
  const last = acceptance.accepted;
  if (last === null) return null;
  const was = `(the last was by ${last.by}, ${last.via}${last.via === 'label' && labelOn ? ': remove the label and add it again' : ''})`;
  if (last.head_sha !== report.head_sha)
    return `accepted for ${last.head_sha.slice(0, 7)}, the head is now ${report.head_sha.slice(0, 7)}: a new accept is needed ${was}`;
  if (last.verdict !== report.verdict)
    return `accepted for ${last.head_sha.slice(0, 7)} at ${last.verdict ?? 'no verdict'}, the verdict is now ${report.verdict ?? 'none'}: a new accept is needed ${was}`;
  return null;
}
