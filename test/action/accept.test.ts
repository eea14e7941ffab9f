/**
 * applyAccept (src/action/accept.ts) in-process, over the real GitHub client and the local fake
 * GitHub: whose accept counts, and for which head and verdict. The bundle runs the same paths end
 * to end in test/e2e/action-accept.test.ts and action-fork-forged.test.ts.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createGitHub } from '../../src/adapters/github.js';
import type { GitHubPort, PullRequestInfo } from '../../src/adapters/github.js';
import { acceptanceLine, applyAccept } from '../../src/action/accept.js';
import type { Acceptance } from '../../src/action/accept.js';
import type { Log } from '../../src/domain/ports.js';
import { commentMarker } from '../../src/report/render.js';
import { githubTime, startFakeGitHub } from '../helpers/fake-github.js';
import type { FakeGitHub } from '../helpers/fake-github.js';
import { HEAD } from '../helpers/measure-report.js';
import { report, row } from '../render/fixtures.js';

const LABEL = 'perf-verdict:accept';
const REJECTED = report([row({ id: 'scale', verdict: 'REJECT', score: 20 })], { head_sha: HEAD });
const quiet: Log = { debug() {}, info() {}, warn() {}, error() {} };

let fake: FakeGitHub;
let github: GitHubPort;
beforeAll(async () => {
  fake = await startFakeGitHub();
  github = createGitHub({
    token: 'test-token',
    baseUrl: fake.url,
    repository: 'octo/tools',
    spaceWrites: false,
  });
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.comments.length = 0;
  fake.labelEvents.length = 0;
  fake.forbidden.clear();
  fake.permissions = {};
});

/** GitHub's time `seconds` ago. */
const ago = (seconds: number): string => githubTime(new Date(Date.now() - seconds * 1000));

/** Our sticky comment, published for `head`'s REJECT `seconds` ago (its acceptance line). */
function published(
  seconds: number,
  accepted: Acceptance['accepted'] = null,
  head = HEAD,
): Acceptance {
  const acceptance: Acceptance = {
    head_sha: head,
    verdict: 'REJECT',
    since: ago(seconds),
    accepted,
  };
  fake.comments.push({
    id: 1,
    body: `${commentMarker(null)}\nthe table${acceptanceLine(acceptance)}`,
    user: { login: 'github-actions[bot]', type: 'Bot' },
  });
  return acceptance;
}

function comment(id: number, login: string, permission: string, seconds: number): void {
  fake.comments.push({
    id,
    body: '/perf-verdict accept',
    user: { login, type: 'User' },
    created_at: ago(seconds),
  });
  fake.permissions[login] = permission;
}

function labelled(login: string, permission: string, seconds: number): void {
  fake.labelEvents.push({ label: LABEL, login, created_at: ago(seconds) });
  fake.permissions[login] = permission;
}

const pr = (labels: string[] = []): PullRequestInfo => ({
  number: 7,
  headSha: HEAD,
  baseSha: 'c'.repeat(40),
  baseRef: 'main',
  labels,
  headRepository: null,
});

const accept = (labels: string[] = []) =>
  applyAccept(REJECTED, {
    github,
    pr: pr(labels),
    acceptLabel: LABEL,
    labeling: null,
    name: null,
    log: quiet,
    now: new Date(),
  });

describe('applyAccept', () => {
  it('reads who added the label from the issue events and checks their permission', async () => {
    const before = published(60);
    labelled('maintainer-jane', 'write', 30);
    const { report: judged, acceptance } = await accept([LABEL]);
    expect(judged.override).toEqual({ by: 'maintainer-jane', via: 'label', detail: LABEL });
    // The same head and verdict: the moment it was first published stays.
    expect(acceptance).toMatchObject({
      since: before.since,
      accepted: { by: 'maintainer-jane', via: 'label', head_sha: HEAD, verdict: 'REJECT' },
    });
  });

  it('a label added before the verdict was published does not count, and says so', async () => {
    published(60);
    labelled('maintainer-jane', 'write', 90);
    const { report: judged } = await accept([LABEL]);
    expect(judged.override).toBeNull();
    expect(judged.accept_notes).toEqual([
      `the label ${LABEL} was added by maintainer-jane before the verdict for ${HEAD.slice(0, 7)} was published: remove it and add it again to accept this head`,
    ]);
  });

  it('a triage label is refused without hiding a writer’s comment that accepts', async () => {
    published(60);
    labelled('triage-tim', 'triage', 30);
    comment(2, 'owner-sam', 'admin', 10);
    const { report: judged } = await accept([LABEL]);
    expect(judged.override).toEqual({ by: 'owner-sam', via: 'comment', detail: 'comment 2' });
  });

  it('a permission that cannot be read refuses the accept, saying why', async () => {
    published(60);
    comment(2, 'owner-sam', 'admin', 10);
    fake.forbidden.add('GET /repos/{owner}/{repo}/collaborators/{username}/permission');
    const { report: judged } = await accept();
    expect(judged.override).toBeNull();
    expect(judged.accept_notes?.[0]).toMatch(
      /^\/perf-verdict accept by owner-sam is not honoured: the permission could not be read \(/,
    );
  });

  it('an acceptance line in a comment that is not ours is not read: nothing given before now counts', async () => {
    const forged: Acceptance = {
      head_sha: HEAD,
      verdict: 'REJECT',
      since: ago(600),
      accepted: null,
    };
    fake.comments.push({
      id: 3,
      body: `${commentMarker(null)}${acceptanceLine(forged)}`,
      user: { login: 'mallory', type: 'User' },
      created_at: ago(500),
    });
    comment(4, 'owner-sam', 'admin', 30);
    const { report: judged, acceptance } = await accept();
    expect(judged.override).toBeNull();
    expect(Date.parse(acceptance.since)).toBeGreaterThan(Date.now() - 10_000);
  });

  it('the last accept, for another head, is stale: shown, and a new one is needed', async () => {
    const old = 'b'.repeat(40);
    const last = { by: 'owner-sam', via: 'comment' as const, detail: 'comment 2' };
    published(60, { ...last, head_sha: old, verdict: 'REJECT' }, old);
    comment(2, 'owner-sam', 'admin', 50);
    const { report: judged, acceptance } = await accept();
    expect(judged.override).toBeNull();
    expect(judged.accept_notes).toEqual([
      `accepted for bbbbbbb, the head is now ${HEAD.slice(0, 7)}: a new accept is needed (the last was by owner-sam, comment)`,
    ]);
    expect(acceptance).toMatchObject({ head_sha: HEAD, accepted: { head_sha: old } });
  });
});
