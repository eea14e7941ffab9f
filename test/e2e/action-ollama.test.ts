/**
 * The Action end to end with an Ollama beside it, as workflow (a) runs it: dist/index.js under
 * Node 24, a fake GitHub, and the fake Ollama standing in for the `ollama/ollama` service — empty,
 * as a service container starts without the cache, so the Action pulls the model first. One
 * comment, whose headline names the model and its digest; the report records digest, pull, load
 * and per-tool latency; the model is loaded once for the two tools. The fork path: `measure`
 * never asks the model, `report` does. Then an unreachable service: the headline says why, once.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_DIGEST,
  DEFAULT_MODEL,
  refusedUrl,
  startFakeOllama,
  verdictJson,
} from '../helpers/fake-ollama.js';
import type { FakeOllama } from '../helpers/fake-ollama.js';
import { startPullRequest } from './action-helpers.js';
import type { PullRequestFixture } from './action-helpers.js';

const SIDE =
  '{"requirement": "Double every value", "test_input": {"values": [1, 2, 3, 4, 5, 6, 7, 8]}}';
const SCALE = 'def scale(values):\n    return [v * 2 for v in values]\n';
const SCALE_NEW = 'def scale(values):\n    return [v + v for v in values]\n';
const TOTAL = 'def total(values):\n    return sum(values)\n';
const TOTAL_NEW =
  'def total(values):\n    acc = 0\n    for v in values:\n        acc += v\n    return acc\n';

describe('the Action with an Ollama service', () => {
  let pr: PullRequestFixture;
  let ollama: FakeOllama;
  beforeAll(async () => {
    ollama = await startFakeOllama({
      models: [],
      pull: { totalBytes: 30_000_000, bytesPerSecond: 300_000_000, tickMs: 10 },
      cpu: { loadMs: 300, promptTokensPerSecond: 50_000, evalTokensPerSecond: 5_000 },
      reply: () => ({
        kind: 'content',
        content: verdictJson(72, 'REVIEW', 'Judged by the model.'),
      }),
    });
    pr = await startPullRequest({
      base: {
        'tools/math/scale.py': SCALE,
        'tools/math/scale.perf.json': SIDE,
        'tools/math/total.py': TOTAL,
        'tools/math/total.perf.json': SIDE,
      },
      message: 'rewrite',
      head: { 'tools/math/scale.py': SCALE_NEW, 'tools/math/total.py': TOTAL_NEW },
    });
  }, 180_000);
  afterAll(async () => {
    await pr.close();
    await ollama.close();
  });

  it('pulls the model, warms it once, and the one comment names model and digest', async () => {
    const run = await pr.run({
      'ollama-host': ollama.url,
      'ollama-digest': DEFAULT_DIGEST,
      'time-budget-seconds': '3',
      'fail-on': 'never',
      comment: 'always',
    });
    expect(run.code, run.stderr).toBe(0);
    // The pull, with its progress, then the warm-up, in the Action's log.
    expect(run.stdout).toContain(`ollama: '${DEFAULT_MODEL}' is not on ${ollama.url}: pulling it`);
    expect(run.stdout).toMatch(
      /ollama: pulling qwen2\.5-coder:3b: 100 % of 0\.03 GB, [\d.]+ MB\/s/,
    );
    expect(run.stdout).toMatch(
      /ollama: qwen2\.5-coder:3b@f72c60cabf62 \(3\.1B Q4_K_M\) loaded in [\d.]+ s \(warm-up/,
    );
    expect(ollama.requests.filter((r) => r.path === '/api/pull')).toHaveLength(1);
    expect(ollama.loads).toBe(1);
    expect(
      run.stdout.match(/ollama: judged in [\d.]+ s \(\d+ prompt \+ \d+ reply tokens\)/g),
    ).toHaveLength(2);

    expect(pr.github.comments).toHaveLength(1);
    const headline = pr.github.comments[0]!.body.split('\n').find((l) => l.startsWith('## '))!;
    // `@` reaches GitHub as &#64; (no mention) and renders as `@`.
    expect(headline).toMatch(/ · judge: ollama qwen2\.5-coder:3b&#64;f72c60cabf62$/);
    expect(pr.github.comments[0]!.body).toMatch(
      /\*\*Why\*\* \(judge ollama in [\d.]+\ss \(\d+ prompt \+ \d+ reply tokens\)/,
    );

    const report = JSON.parse(readFileSync(run.outputs['report']!, 'utf8'));
    expect(report.judge).toBe('ollama qwen2.5-coder:3b@f72c60cabf62');
    expect(report.judge_run).toMatchObject({
      kind: 'ollama',
      model: DEFAULT_MODEL,
      digest: DEFAULT_DIGEST,
      details: '3.1B Q4_K_M',
      unavailable: null,
    });
    expect(report.judge_run.pull_ms).toBeGreaterThanOrEqual(0);
    expect(report.judge_run.load_ms).toBeGreaterThanOrEqual(290);
    expect(report.tools).toHaveLength(2);
    for (const tool of report.tools) {
      expect(tool.evaluation.judge).toBe('ollama');
      expect(tool.evaluation.latency_ms).toBeGreaterThan(0);
      expect(tool.evaluation.prompt_tokens).toBeGreaterThan(0);
      expect(tool.evaluation.reply_tokens).toBeGreaterThan(0);
    }
    expect(pr.github.violations()).toEqual([]);
  }, 240_000);

  it('fork PRs: measure never asks the model; the report job judges with it', async () => {
    const before = ollama.requests.length;
    const measure = await pr.run({ mode: 'measure', 'time-budget-seconds': '3' });
    expect(measure.code, measure.stderr).toBe(0);
    expect(ollama.requests.length).toBe(before);
    const report = await pr.run(
      {
        mode: 'report',
        artifact: measure.outputs['report']!,
        'ollama-host': ollama.url,
        'ollama-digest': DEFAULT_DIGEST,
        'fail-on': 'never',
        comment: 'always',
      },
      { event: 'workflow_run', payload: pr.workflowRun() },
    );
    expect(report.code, report.stderr).toBe(0);
    expect(ollama.requests.length).toBeGreaterThan(before);
    // No second pull: the model is on the host since the first test.
    expect(ollama.requests.filter((r) => r.path === '/api/pull')).toHaveLength(1);
    const body = pr.github.comments.at(-1)!.body;
    expect(body.split('\n').find((l) => l.startsWith('## '))).toMatch(
      / · judge: ollama qwen2\.5-coder:3b&#64;f72c60cabf62$/,
    );
    const judged = JSON.parse(readFileSync(report.outputs['report']!, 'utf8'));
    expect(judged.judge_run).toMatchObject({ digest: DEFAULT_DIGEST, pull_ms: null });
    expect(pr.github.violations()).toEqual([]);
  }, 240_000);

  it('an unreachable service: the rules decide and the headline says why, once', async () => {
    const url = await refusedUrl();
    const run = await pr.run({
      'ollama-host': url,
      'time-budget-seconds': '3',
      'fail-on': 'never',
      comment: 'always',
    });
    expect(run.code, run.stderr).toBe(0);
    const reason = `cannot reach ${url} (ECONNREFUSED)`;
    const body = pr.github.comments.at(-1)!.body;
    const headline = body.split('\n').find((l) => l.startsWith('## '))!;
    expect(headline).toContain(`· judge: rules (ollama qwen2.5-coder:3b unavailable: ${reason})`);
    expect(body.split(reason)).toHaveLength(2);
    expect(run.stdout.split('the rules verdict stands for every tool')).toHaveLength(2);
    expect(pr.github.violations()).toEqual([]);
  }, 240_000);
});
