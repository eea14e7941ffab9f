/**
 * Each mode's entry run in-process, as actions/cache tests `restoreImpl`: a typed event fixture
 * built from @octokit/webhooks-examples, parsed as the entry parses it, a GitHub client over the
 * local fake GitHub, and the real pipeline over a real repository where the case needs no tool
 * measured (a stubbed gate where the case is about what the mode does with a verdict). The bundle
 * runs end to end in test/e2e/action*.test.ts.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createGitHub } from '../../src/adapters/github.js';
import { parseEvent } from '../../src/action/event.js';
import { workspacePipeline } from '../../src/action/mode.js';
import type { ModeContext, Pipeline } from '../../src/action/mode.js';
import { fullMode } from '../../src/action/modes/full.js';
import { measureMode } from '../../src/action/modes/measure.js';
import { recordMode } from '../../src/action/modes/record.js';
import { reportMode } from '../../src/action/modes/report.js';
import { parseConfig } from '../../src/config/config.js';
import type { Log } from '../../src/domain/ports.js';
import type { GateReport } from '../../src/report/model.js';
import type { GateRequest } from '../../src/run.js';
import { startFakeGitHub } from '../helpers/fake-github.js';
import type { FakeGitHub } from '../helpers/fake-github.js';
import { createRepo } from '../helpers/git-repo.js';
import type { TestRepo } from '../helpers/git-repo.js';
import { HEAD, measureReportData } from '../helpers/measure-report.js';
import { webhookExample } from '../helpers/webhook-events.js';
import { report, row } from '../render/fixtures.js';

const ACCEPT_LABEL = 'perf-verdict:accept';
const BASE = 'c'.repeat(40);

let github: FakeGitHub;
let repo: TestRepo;
let base: string;
let head: string;
beforeAll(async () => {
  github = await startFakeGitHub();
  repo = createRepo();
  base = repo.commit('base', { 'README.md': 'a\n' });
  head = repo.commit('docs only', { 'README.md': 'b\n' });
});
afterAll(async () => {
  await github.close();
  repo.remove();
});
beforeEach(() => {
  github.comments.length = 0;
  github.checkRuns.length = 0;
  github.requests.length = 0;
});

const quiet: Log = { debug() {}, info() {}, warn() {}, error() {} };

/** A pipeline whose gate returns `report` and records its requests; the rest must not run. */
function stubGate(result: GateReport): Pipeline & { readonly requests: GateRequest[] } {
  const requests: GateRequest[] = [];
  const unexpected = (): never => {
    throw new Error('this pipeline must not run here');
  };
  return {
    requests,
    gate: (request) => {
      requests.push(request);
      return Promise.resolve(result);
    },
    judgeArtifact: unexpected,
    record: unexpected,
  };
}

function context(
  eventName: string,
  payload: unknown,
  more: { inputs?: Record<string, string>; pipeline?: Pipeline; cwd?: string } = {},
): ModeContext {
  const config = parseConfig({ inputs: more.inputs ?? {} });
  const cwd = more.cwd ?? repo.dir;
  return {
    config,
    event: parseEvent(eventName, payload),
    repository: 'octo/tools',
    cwd,
    runUrl: 'https://github.com/octo/tools/actions/runs/42',
    links: { serverUrl: 'https://github.com', repository: 'octo/tools', runId: '42' },
    github: () =>
      createGitHub({
        token: 'test-token',
        baseUrl: github.url,
        repository: 'octo/tools',
        spaceWrites: false,
      }),
    pipeline: more.pipeline ?? workspacePipeline(config, cwd, {}),
    log: quiet,
  };
}

/** A pull_request event for PR #7 from `base` to `sha`. */
function pullRequest(action: string, sha: string, label?: string) {
  return webhookExample('pull_request', action, (p) => {
    p.number = 7;
    p.pull_request.number = 7;
    p.pull_request.head.sha = sha;
    p.pull_request.base.sha = base;
    p.pull_request.base.ref = 'main';
    p.pull_request.title = 'speed up scale';
    if (label !== undefined && 'label' in p && p.label !== undefined) p.label.name = label;
  });
}

const rejected = (): GateReport =>
  report([row({ id: 'scale', verdict: 'REJECT', score: 20 })], { head_sha: HEAD });

describe('several configurations in one repository (`name`)', () => {
  it('each keeps its own comment, check run and report folder', async () => {
    github.pr = { number: 7, head: HEAD, base: BASE, baseRef: 'main', labels: [] };
    const run = (name: string) =>
      fullMode(
        context('pull_request', pullRequest('opened', HEAD), {
          inputs: { name },
          pipeline: stubGate(rejected()),
        }),
      );
    const python = await run('python');
    const ts = await run('ts');
    expect(github.comments.map((c) => c.body.split('\n')[0])).toEqual([
      '<!-- perf-verdict:sticky:python -->',
      '<!-- perf-verdict:sticky:ts -->',
    ]);
    expect(github.checkRuns.map((c: { name: string }) => c.name)).toEqual([
      'perf-verdict (python)',
      'perf-verdict (ts)',
    ]);
    expect([python.report?.folder, ts.report?.folder]).toEqual([
      'perf-verdict-python',
      'perf-verdict-ts',
    ]);
    // A second run of one configuration updates its own comment, never the other's.
    const again = await run('python');
    expect(again.commentId).toBe(python.commentId);
    expect(github.comments).toHaveLength(2);
  });

  it('is checked, and sets the report job’s default artifact', () => {
    expect(parseConfig({ inputs: { name: 'python' } }).artifact).toEqual(
      parseConfig({ inputs: { artifact: 'perf-verdict-report-python/report.json' } }).artifact,
    );
    expect(() => parseConfig({ inputs: { name: 'a b' } })).toThrow(
      "'name' must be letters, digits, ., _ or - (at most 40) but got 'a b'",
    );
  });
});

describe('full mode', () => {
  it('gates the pull request, publishes and fails the step on REJECT', async () => {
    github.pr = { number: 7, head: HEAD, base: BASE, baseRef: 'main', labels: [] };
    const pipeline = stubGate(rejected());
    const outcome = await fullMode(
      context('pull_request', pullRequest('opened', HEAD), { pipeline }),
    );
    expect(pipeline.requests).toEqual([
      {
        mode: 'full',
        baseRef: base,
        headRef: HEAD,
        repository: 'octo/tools',
        pullRequest: 7,
        prTitle: 'speed up scale',
        prBody: expect.anything(),
      },
    ]);
    expect(outcome).toMatchObject({
      verdict: 'REJECT',
      score: 20,
      commentId: github.comments[0]!.id,
      checkRunId: github.checkRuns[0].id,
      registry: null,
      notice: null,
      failure: "perf-verdict: REJECT reaches fail-on 'reject' (see the table in the job summary)",
    });
    expect(outcome.report).toEqual({
      name: 'report.json',
      content: rejected(),
      folder: 'perf-verdict',
    });
    expect(github.violations()).toEqual([]);
  });

  it('on the accept label, re-judges the published report without measuring: the step passes', async () => {
    github.pr = { number: 7, head: HEAD, base: BASE, baseRef: 'main', labels: [] };
    await fullMode(
      context('pull_request', pullRequest('opened', HEAD), { pipeline: stubGate(rejected()) }),
    );
    github.pr = { ...github.pr, labels: [ACCEPT_LABEL] };
    const pipeline = stubGate(rejected());
    const payload = pullRequest('labeled', HEAD, ACCEPT_LABEL);
    github.permissions[payload.sender.login] = 'write';
    const outcome = await fullMode(context('pull_request', payload, { pipeline }));
    expect(pipeline.requests).toEqual([]);
    expect(outcome.verdict).toBe('REJECT');
    expect(outcome.failure).toBeNull();
    expect(outcome.notice).toBe(`REJECT accepted by ${payload.sender.login} (label)`);
  });

  it('publishes nothing when the pull request moved on while it ran; fail-on still applies', async () => {
    github.pr = { number: 7, head: 'd'.repeat(40), base: BASE, baseRef: 'main', labels: [] };
    const outcome = await fullMode(
      context('pull_request', pullRequest('synchronize', HEAD), { pipeline: stubGate(rejected()) }),
    );
    expect(github.comments).toEqual([]);
    expect(github.checkRuns).toEqual([]);
    expect(outcome).toMatchObject({ verdict: 'REJECT', commentId: null, checkRunId: null });
    expect(outcome.failure).toMatch(/reaches fail-on/);
    expect(outcome.summary).toContain(`moved on to ${'d'.repeat(12)}`);
  });

  it('never runs under pull_request_target, nor sharded', async () => {
    const target = context('pull_request_target', pullRequest('opened', HEAD));
    await expect(fullMode(target)).rejects.toThrow(/must never run under pull_request_target/);
    const sharded = context('pull_request', pullRequest('opened', HEAD), {
      inputs: { shard: '1/2' },
    });
    await expect(fullMode(sharded)).rejects.toThrow(/needs mode: measure/);
  });

  it('on a comment that is no command, does nothing: UNJUDGED, no API call', async () => {
    const comment = webhookExample('issue_comment', 'created', (p) => {
      p.comment.body = 'looks slow to me';
    });
    const outcome = await fullMode(context('issue_comment', comment));
    expect(outcome).toMatchObject({ verdict: 'UNJUDGED', report: null, failure: null });
    expect(github.requests).toEqual([]);
  });
});

describe('measure mode', () => {
  it('measures with the real pipeline and judges nothing: UNJUDGED, the report is the artifact', async () => {
    const outcome = await measureMode(context('pull_request', pullRequest('opened', head)));
    expect(outcome).toMatchObject({ verdict: 'UNJUDGED', score: null, failure: null });
    expect(outcome.report?.content).toMatchObject({
      mode: 'measure',
      head_sha: head,
      pull_request: 7,
      verdict: null,
      tools: [],
    });
    expect(outcome.summary).toContain('read-only token');
    expect(github.requests).toEqual([]);
  });

  it('on a label change, hands on the published report without measuring', async () => {
    github.pr = { number: 7, head: HEAD, base: BASE, baseRef: 'main', labels: [] };
    await fullMode(
      context('pull_request', pullRequest('opened', HEAD), { pipeline: stubGate(rejected()) }),
    );
    const pipeline = stubGate(rejected());
    const outcome = await measureMode(
      context('pull_request', pullRequest('unlabeled', HEAD), { pipeline }),
    );
    expect(pipeline.requests).toEqual([]);
    expect(outcome.verdict).toBe('UNJUDGED');
    expect(outcome.report?.content).toMatchObject({
      mode: 'measure',
      verdict: null,
      head_sha: HEAD,
    });
  });
});

describe('report mode', () => {
  function artifactDir(data: Record<string, unknown>): string {
    const dir = mkdtempSync(join(tmpdir(), 'pv-artifact-'));
    writeFileSync(join(dir, 'report.json'), JSON.stringify(data));
    return dir;
  }
  const workflowRun = (sha: string) =>
    webhookExample('workflow_run', 'completed', (p) => {
      p.workflow_run.head_sha = sha;
    });

  it('judges the measure artifact with the real pipeline and publishes it', async () => {
    github.pr = { number: 7, head: HEAD, base: BASE, baseRef: 'main', labels: [] };
    const cwd = artifactDir(measureReportData(null, ['scale']));
    const outcome = await reportMode(
      context('workflow_run', workflowRun(HEAD), {
        cwd,
        inputs: { artifact: 'report.json' },
      }),
    );
    expect(['ACCEPT', 'REVIEW', 'REJECT']).toContain(outcome.verdict);
    expect(outcome.commentId).toBe(github.comments[0]!.id);
    expect(outcome.report?.content).toMatchObject({
      head_sha: HEAD,
      pull_request: 7,
      repository: 'octo/tools',
      verdict: outcome.verdict,
    });
  });

  it('refuses an artifact for another head, and any event but workflow_run', async () => {
    const cwd = artifactDir(measureReportData(null, ['scale']));
    const other = context('workflow_run', workflowRun('e'.repeat(40)), {
      cwd,
      inputs: { artifact: 'report.json' },
    });
    await expect(reportMode(other)).rejects.toThrow(/refusing to publish it/);
    const push = webhookExample('push', null, (p) => {
      p.before = base;
      p.after = head;
    });
    await expect(reportMode(context('push', push, { cwd }))).rejects.toThrow(
      "mode report runs on workflow_run events, but this is 'push'",
    );
    expect(github.comments).toEqual([]);
  });
});

describe('record mode', () => {
  const push = (after: string) =>
    webhookExample('push', null, (p) => {
      p.before = base;
      p.after = after;
      p.ref = 'refs/heads/main';
    });

  it('records the push with the real pipeline: NONE when no tool changed, the registry named', async () => {
    const outcome = await recordMode(context('push', push(head)));
    expect(outcome).toMatchObject({
      verdict: 'NONE',
      registry: join(repo.dir, 'tools/index.json'),
      commentId: null,
      failure: null,
    });
    expect(outcome.report?.name).toBe('record.json');
    expect(outcome.report?.content).toMatchObject({
      schema: 'perf-verdict/record',
      head_sha: head,
      verdict: 'NONE',
      tools: [],
    });
  });

  it('a deleted branch records nothing; a pull_request event is refused', async () => {
    const deleted = await recordMode(context('push', push('0'.repeat(40))));
    expect(deleted).toMatchObject({ verdict: 'NONE', report: null });
    await expect(recordMode(context('pull_request', pullRequest('opened', head)))).rejects.toThrow(
      /mode record runs on push events/,
    );
  });
});
