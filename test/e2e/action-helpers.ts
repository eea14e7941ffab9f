import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { basicCredential, persistCredentials } from '../helpers/checkout-credentials.js';
import { ROOT } from '../helpers/cli.js';
import { githubTime, startFakeGitHub } from '../helpers/fake-github.js';
import type { FakeGitHub } from '../helpers/fake-github.js';
import { createRepo } from '../helpers/git-repo.js';
import type { TestRepo } from '../helpers/git-repo.js';
import { node24 } from '../helpers/node24.js';
import { runToEnd } from '../helpers/run-to-end.js';
import { webhookExample } from '../helpers/webhook-events.js';

/** The bundle under test: the committed dist/, or PERF_VERDICT_DIST for a local build. */
export const DIST = process.env['PERF_VERDICT_DIST'] ?? join(ROOT, 'dist');

/** A real webhook payload from @octokit/webhooks-examples, pointed at the test repository's commits. */
export function payload(event: string, action: string, patch: (p: any) => void): any {
  return webhookExample(event as 'pull_request', action, patch);
}

export interface ActionRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly outputs: Record<string, string>;
  readonly summary: string;
}

/** Parse the GITHUB_OUTPUT file format `name<<DELIM\nvalue\nDELIM`. */
function parseOutputs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^([^<=]+)<<(.+)$/.exec(lines[i]!);
    if (m === null) continue;
    const value: string[] = [];
    for (i++; i < lines.length && lines[i] !== m[2]; i++) value.push(lines[i]!);
    out[m[1]!] = value.join('\n');
  }
  return out;
}

const GIT_ENV = {
  GIT_AUTHOR_NAME: 'GitHub',
  GIT_AUTHOR_EMAIL: 'noreply@github.com',
  GIT_COMMITTER_NAME: 'GitHub',
  GIT_COMMITTER_EMAIL: 'noreply@github.com',
  GIT_CONFIG_NOSYSTEM: '1',
};

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, ...GIT_ENV },
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim();
}

/**
 * The inputs the runner sets for a step with no `with:`: every input of action.yml that has a
 * `default:`, as `INPUT_<NAME>` (upper-cased, hyphens kept), expressions evaluated.
 */
function runnerDefaults(token: string): Record<string, string> {
  const action = parseYaml(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as {
    inputs: Record<string, { default?: string }>;
  };
  const out: Record<string, string> = {};
  for (const [name, input] of Object.entries(action.inputs)) {
    if (input.default === undefined) continue;
    const value = input.default.replace(/\$\{\{\s*github\.token\s*\}\}/g, token);
    if (/\$\{\{/.test(value)) throw new Error(`runnerDefaults: cannot evaluate ${input.default}`);
    out[name] = value;
  }
  return out;
}

interface Workspace {
  /** GITHUB_WORKSPACE: the clone the step runs in. */
  readonly dir: string;
  readonly sha: string;
  readonly ref: string;
}

/**
 * The remote the runner's checkout fetches from: a bare `origin` holding the source repository's
 * branches, and for a pull request `refs/pull/N/head` and a real merge commit at
 * `refs/pull/N/merge` (as GitHub computes it: base branch tip merged with the head).
 */
function makeOrigin(source: string, root: string): string {
  const origin = join(root, 'origin.git');
  git(root, 'init', '-q', '--bare', origin);
  git(source, 'push', '-q', '--force', origin, '+refs/heads/*:refs/heads/*');
  return origin;
}

/** The credentials actions/checkout persists (base64 of `x-access-token:<token>`), per layout. */
export interface CheckoutCredentials {
  /** v4's: an extraheader in the workspace's .git/config. */
  readonly v4: string;
  /** v6's: in `$RUNNER_TEMP/git-credentials-<uuid>.config`, which .git/config includes. */
  readonly v6: string;
}

/** The runner's token, as both layouts keep it unless a test plants its own. */
const RUNNER_CREDENTIALS: CheckoutCredentials = {
  v4: basicCredential('test-token'),
  v6: basicCredential('test-token'),
};

/** How the workflow's actions/checkout step runs. */
interface CheckoutSettings {
  /** Its fetch-depth (1: its default). */
  readonly fetchDepth: number;
  /** The runner's temp directory (RUNNER_TEMP): v6 keeps its credentials file there. */
  readonly runnerTemp: string;
  readonly credentials: CheckoutCredentials;
}

/**
 * What actions/checkout leaves, with its defaults (fetch-depth 1, persist-credentials): `git
 * init`, `origin` added, the token persisted both ways (v4's extraheader in .git/config and
 * v6's credentials file in RUNNER_TEMP that .git/config includes: test/helpers/
 * checkout-credentials.ts), a depth-limited fetch of the one commit, a checkout of it.
 */
function checkout(
  origin: string,
  root: string,
  sha: string,
  into: string,
  settings: CheckoutSettings,
): string {
  const depth = settings.fetchDepth;
  const dir = join(root, 'workspace');
  mkdirSync(dir);
  git(dir, 'init', '-q');
  git(dir, 'remote', 'add', 'origin', `file://${origin}`);
  persistCredentials(dir, { ...settings.credentials, runnerTemp: settings.runnerTemp });
  git(
    dir,
    '-c',
    'protocol.version=2',
    'fetch',
    '--no-tags',
    '--prune',
    '--no-recurse-submodules',
    ...(depth > 0 ? [`--depth=${depth}`] : []),
    'origin',
    `+${sha}:${into}`,
  );
  if (into.startsWith('refs/remotes/origin/')) {
    const branch = into.slice('refs/remotes/origin/'.length);
    git(dir, 'checkout', '-q', '--force', '-B', branch, into);
  } else git(dir, 'checkout', '-q', '--force', into);
  return dir;
}

/**
 * Build GITHUB_WORKSPACE from `source` the way a runner does for `event`. pull_request: the
 * merge commit of head into the base branch (`GITHUB_REF=refs/pull/N/merge`); push: `after` on
 * its branch; merge_group: the group's head on its queue branch; workflow_run / issue_comment:
 * the default branch (main).
 */
function runnerWorkspace(
  source: string,
  event: string,
  payload: any,
  root: string,
  settings: CheckoutSettings,
): Workspace {
  git(source, 'config', 'uploadpack.allowAnySHA1InWant', 'true');
  const origin = makeOrigin(source, root);
  git(origin, 'config', 'uploadpack.allowAnySHA1InWant', 'true');
  if (event === 'pull_request' || event === 'pull_request_target') {
    const n = Number(payload.pull_request.number);
    const head = String(payload.pull_request.head.sha);
    const baseRef = String(payload.pull_request.base.ref);
    const base = String(payload.pull_request.base.sha);
    git(origin, 'update-ref', `refs/heads/${baseRef}`, base);
    git(origin, 'update-ref', `refs/pull/${n}/head`, head);
    const tree = git(origin, 'merge-tree', '--write-tree', base, head).split('\n')[0]!;
    const merge = git(
      origin,
      'commit-tree',
      tree,
      '-p',
      base,
      '-p',
      head,
      '-m',
      `Merge ${head} into ${base}`,
    );
    git(origin, 'update-ref', `refs/pull/${n}/merge`, merge);
    if (event === 'pull_request_target') {
      const dir = checkout(origin, root, base, `refs/remotes/origin/${baseRef}`, settings);
      return { dir, sha: base, ref: `refs/heads/${baseRef}` };
    }
    const dir = checkout(origin, root, merge, `refs/remotes/pull/${n}/merge`, settings);
    return { dir, sha: merge, ref: `refs/pull/${n}/merge` };
  }
  if (event === 'merge_group') {
    // The queue's branch (gh-readonly-queue/<base>/pr-N-<sha>) at the group's head commit.
    const ref = String(payload.merge_group.head_ref);
    const head = String(payload.merge_group.head_sha);
    git(origin, 'update-ref', ref, head);
    const branch = ref.replace(/^refs\/heads\//, '');
    const dir = checkout(origin, root, head, `refs/remotes/origin/${branch}`, settings);
    return { dir, sha: head, ref };
  }
  if (event === 'push') {
    const ref = typeof payload.ref === 'string' ? payload.ref : 'refs/heads/main';
    const branch = ref.replace(/^refs\/heads\//, '');
    const after = String(payload.after);
    git(origin, 'update-ref', ref, after);
    const dir = checkout(origin, root, after, `refs/remotes/origin/${branch}`, settings);
    return { dir, sha: after, ref };
  }
  const main = git(origin, 'rev-parse', 'refs/heads/main');
  const dir = checkout(origin, root, main, 'refs/remotes/origin/main', settings);
  return { dir, sha: main, ref: 'refs/heads/main' };
}

export interface RunnerRun extends ActionRun {
  /** GITHUB_WORKSPACE of the run. */
  readonly workspace: string;
}

/**
 * Run dist/index.js under Node 24 the way the runner does: a fresh workspace checked out as
 * actions/checkout does (see runnerWorkspace), `INPUT_*` for every action.yml default and then
 * the step's `with:` inputs, the GITHUB_* context. Node is started directly: `npx` and `sh -c`
 * drop environment names with hyphens (INPUT_GITHUB-TOKEN).
 */
export async function runAction(options: {
  /** The repository the workflow runs for (its branches become `origin`). */
  repo: string;
  event: string;
  payload: unknown;
  inputs: Record<string, string>;
  apiUrl: string;
  repository?: string;
  /** actions/checkout's fetch-depth; 1 (its default) unless a test says otherwise. */
  fetchDepth?: number;
  /** The credentials actions/checkout persists; the runner's token (`test-token`) by default. */
  checkoutCredentials?: CheckoutCredentials;
  /** A step between the checkout and the Action (e.g. break the remote), with RUNNER_TEMP. */
  afterCheckout?: (workspace: string, runnerTemp: string) => void;
  /** More environment, e.g. the runner's tokens (GITHUB_TOKEN, ACTIONS_RUNTIME_TOKEN). */
  env?: Record<string, string>;
  /** The bundle to run (default DIST), e.g. a copy that hostile tool code may try to change. */
  dist?: string;
}): Promise<RunnerRun> {
  const temp = mkdtempSync(join(tmpdir(), 'pv-runner-'));
  const runnerTemp = join(temp, 'runner-temp');
  mkdirSync(runnerTemp);
  const workspace = runnerWorkspace(options.repo, options.event, options.payload, temp, {
    fetchDepth: options.fetchDepth ?? 1,
    runnerTemp,
    credentials: options.checkoutCredentials ?? RUNNER_CREDENTIALS,
  });
  options.afterCheckout?.(workspace.dir, runnerTemp);
  const eventPath = join(runnerTemp, 'event.json');
  writeFileSync(eventPath, JSON.stringify(options.payload));
  const outputPath = join(runnerTemp, 'output');
  const summaryPath = join(runnerTemp, 'summary.md');
  writeFileSync(outputPath, '');
  writeFileSync(summaryPath, '');
  const env: Record<string, string> = {
    PATH: process.env['PATH'] ?? '',
    HOME: process.env['HOME'] ?? '/tmp',
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_EVENT_NAME: options.event,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_OUTPUT: outputPath,
    GITHUB_STEP_SUMMARY: summaryPath,
    GITHUB_API_URL: options.apiUrl,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_REPOSITORY: options.repository ?? 'Codertocat/Hello-World',
    GITHUB_RUN_ID: '42',
    // As the runner sets them for `uses: perf-verdict/perf-verdict@v1`.
    GITHUB_ACTION_REPOSITORY: 'perf-verdict/perf-verdict',
    GITHUB_ACTION_REF: 'v1',
    GITHUB_SHA: workspace.sha,
    GITHUB_REF: workspace.ref,
    GITHUB_WORKSPACE: workspace.dir,
    RUNNER_TEMP: runnerTemp,
  };
  for (const [name, value] of Object.entries({
    ...runnerDefaults('test-token'),
    ...options.inputs,
  }))
    env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;
  Object.assign(env, options.env ?? {});
  const finished = await runToEnd(node24(), [join(options.dist ?? DIST, 'index.js')], {
    cwd: workspace.dir,
    env,
  });
  return {
    ...finished,
    outputs: parseOutputs(readFileSync(outputPath, 'utf8')),
    summary: readFileSync(summaryPath, 'utf8'),
    workspace: workspace.dir,
  };
}

/** Files to write (null deletes), path → text. */
export type Files = Readonly<Record<string, string | null>>;

/** A real `pull_request` webhook payload for PR `number` from `base` (on main) to `head`, no labels. */
export function pullRequestPayload(
  number: number,
  head: string,
  base: string,
  action = 'opened',
  patch: (p: any) => void = () => {},
): unknown {
  return payload('pull_request', action, (p) => {
    p.number = number;
    p.pull_request.number = number;
    p.pull_request.head.sha = head;
    p.pull_request.base.sha = base;
    p.pull_request.base.ref = 'main';
    p.pull_request.labels = [];
    patch(p);
  });
}

/** A repository and a fake GitHub for a describe block of Action runs. */
export interface RepoAndGitHub {
  readonly repo: TestRepo;
  readonly github: FakeGitHub;
}

/** A fresh repository and fake GitHub, with the Node 24 binary found first (for a beforeAll). */
export async function startRepoAndGitHub(): Promise<RepoAndGitHub> {
  node24();
  const github = await startFakeGitHub();
  return { repo: createRepo(), github };
}

/** Close the fake GitHub and remove the repository (for an afterAll). */
export async function stopRepoAndGitHub({ repo, github }: RepoAndGitHub): Promise<void> {
  await github.close();
  repo.remove();
}

/** The fake GitHub's view of PR `number` from `base` (on main) to `head`, with `labels`. */
export function pullRequestState(
  number: number,
  head: string,
  base: string,
  labels: string[] = [],
): FakeGitHub['pr'] {
  return { number, head, base, baseRef: 'main', labels };
}

/**
 * The Action on a `pull_request` event (`action`, default opened, with `patch` applied to the
 * payload) for PR `number` of `repo` from `base` to `head`, against `github`.
 */
export function runOnPullRequest(options: {
  readonly repo: TestRepo;
  readonly github: FakeGitHub;
  readonly number: number;
  readonly head: string;
  readonly base: string;
  readonly action?: string | undefined;
  readonly patch?: ((p: any) => void) | undefined;
  readonly inputs: Record<string, string>;
}): Promise<RunnerRun> {
  return runAction({
    repo: options.repo.dir,
    event: 'pull_request',
    payload: pullRequestPayload(
      options.number,
      options.head,
      options.base,
      options.action,
      options.patch,
    ),
    inputs: options.inputs,
    apiUrl: options.github.url,
  });
}

/**
 * A real `merge_group` (checks_requested) payload: the queue's merge of PR `number` at `head`
 * onto `base` on main, as GitHub names its branch.
 */
export function mergeGroupPayload(number: number, head: string, base: string): unknown {
  return webhookExample('merge_group', 'checks_requested', (p) => {
    p.merge_group.head_sha = head;
    p.merge_group.head_ref = `refs/heads/gh-readonly-queue/main/pr-${number}-${base}`;
    p.merge_group.base_sha = base;
    p.merge_group.base_ref = 'refs/heads/main';
  });
}

/** A comment on the PR by `login` (who has `permission` on the repository), default an accept. */
export function commentAs(
  github: FakeGitHub,
  comment: { id: number; login: string; permission: string; body?: string },
): void {
  github.comments.push({
    id: comment.id,
    body: comment.body ?? '/perf-verdict accept',
    user: { login: comment.login, type: 'User' },
    created_at: githubTime(),
  });
  github.permissions[comment.login] = comment.permission;
}

/**
 * The accept label added to the PR now by `login` (who has `permission`): on the PR, and in the
 * issue events the API lists.
 */
export function labelAs(
  github: FakeGitHub,
  label: { login: string; permission: string; name?: string },
): void {
  const name = label.name ?? 'perf-verdict:accept';
  github.pr = { ...github.pr, labels: [...github.pr.labels.filter((l) => l !== name), name] };
  github.labelEvents.push({ label: name, login: label.login, created_at: githubTime() });
  github.permissions[label.login] = label.permission;
}

/**
 * One pull request, set up the way every Action e2e file needs it: a real repository whose
 * `main` holds `base` and whose branch `pr` adds `head` on top, a fake GitHub whose PR #number
 * points at the two, real webhook payloads for it, and the Action run against it.
 */
export interface PullRequestFixture {
  readonly repo: TestRepo;
  readonly github: FakeGitHub;
  readonly number: number;
  /** The commit on `main` the PR is based on. */
  readonly base: string;
  /** The PR's head commit now (push() moves it). */
  readonly head: string;
  /** Commit more on the PR's branch; the fake GitHub's PR follows. Returns the new head. */
  push(message: string, files: Files): string;
  /** A real `pull_request` payload for the PR as it is now (number, head, base, no labels). */
  payload(action?: string, patch?: (p: any) => void): unknown;
  /** A real `workflow_run` payload (as for a fork: no pull_requests) for `sha` (default: head). */
  workflowRun(sha?: string): unknown;
  /** The Action on `event` (default pull_request, with payload()) against this PR. */
  run(
    inputs: Record<string, string>,
    options?: Partial<Omit<Parameters<typeof runAction>[0], 'repo' | 'apiUrl' | 'inputs'>>,
  ): Promise<RunnerRun>;
  close(): Promise<void>;
}

export async function startPullRequest(options: {
  readonly base: Files;
  readonly head: Files;
  /** The head commit's message (default 'change'). */
  readonly message?: string;
  readonly number?: number;
}): Promise<PullRequestFixture> {
  const number = options.number ?? 1;
  const { repo, github } = await startRepoAndGitHub();
  const base = repo.commit('base', options.base);
  repo.git('checkout', '-q', '-b', 'pr');
  let head = repo.commit(options.message ?? 'change', options.head);
  github.pr = pullRequestState(number, head, base);
  const fixture: PullRequestFixture = {
    repo,
    github,
    number,
    base,
    get head() {
      return head;
    },
    push(message, files) {
      head = repo.commit(message, files);
      github.pr = { ...github.pr, head };
      return head;
    },
    payload: (action = 'opened', patch = () => {}): unknown =>
      pullRequestPayload(number, head, base, action, patch),
    workflowRun: (sha = head): unknown =>
      payload('workflow_run', 'completed', (p) => {
        p.workflow_run.head_sha = sha;
        p.workflow_run.pull_requests = [];
      }),
    run: (inputs, more = {}) =>
      runAction({
        event: 'pull_request',
        payload: fixture.payload(),
        ...more,
        repo: repo.dir,
        inputs,
        apiUrl: github.url,
      }),
    close: () => stopRepoAndGitHub({ repo, github }),
  };
  return fixture;
}

/**
 * Everything a run published, as text: the GitHub request bodies, the job summary, the report
 * file, the log (without `::add-mask::` lines: core.setSecret talking to the runner, which never
 * shows them) and the outputs. Hostile tests search it for planted secrets.
 */
export function publishedTexts(run: ActionRun, bodies: readonly unknown[]): string[] {
  const log = (text: string): string =>
    text
      .split('\n')
      .filter((line) => !line.startsWith('::add-mask::'))
      .join('\n');
  const report = run.outputs['report'];
  return [
    JSON.stringify(bodies),
    run.summary,
    report === undefined || report === '' ? '' : readFileSync(report, 'utf8'),
    log(run.stdout),
    log(run.stderr),
    JSON.stringify(run.outputs),
  ];
}
