import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCENARIOS, measured } from '../../bench/judge-scenarios.js';
import type { OllamaConfig } from '../../src/core/config.js';
import type { JudgeInput } from '../../src/core/types.js';
import { GENERATION, createJudge } from '../../src/judge/index.js';
import { rulesJudge } from '../../src/judge/index.js';
import {
  DEFAULT_DIGEST,
  DEFAULT_MODEL,
  refusedUrl,
  startFakeOllama,
  verdictJson,
} from '../helpers/fake-ollama.js';
import type { FakeOllama, FakeReply } from '../helpers/fake-ollama.js';

const EXAMPLE1 = SCENARIOS.find((s) => s.guide === 'Example 1')!.input;
const TRIPLE: JudgeInput = {
  evidence: measured(3, 2.9, 3.1, 'regression'),
  claims: {},
  old_code: 'def sort_data(data): return sorted(data)',
  new_code: 'def sort_data(data): return bubble_sort(data)',
};

function config(host: string, extra: Partial<OllamaConfig> = {}): OllamaConfig {
  return {
    host,
    model: DEFAULT_MODEL,
    digest: null,
    headers: {},
    timeoutSeconds: 5,
    ...extra,
  };
}

let fake: FakeOllama;
beforeAll(async () => {
  fake = await startFakeOllama();
});
afterAll(async () => {
  await fake.close();
});

function replyWith(reply: FakeReply): void {
  fake.reply(() => reply);
}

describe('Ollama judge against a fake Ollama on 127.0.0.1', () => {
  it('asks with the schema, deterministic options and delimited data, and keeps a score inside the band', async () => {
    replyWith({
      kind: 'content',
      content: verdictJson(88, 'ACCEPT', 'Security fix justifies it.'),
    });
    fake.requests.length = 0;
    const judge = createJudge(config(fake.url, { headers: { Authorization: 'Bearer t0ken' } }));
    const evaluation = await judge.evaluate(EXAMPLE1);
    expect(evaluation).toMatchObject({
      score: 88,
      recommendation: 'ACCEPT',
      confidence: 'medium', // a point measurement: the rules' medium bounds the model's high
      llm_model: DEFAULT_MODEL,
      judge: 'ollama',
    });
    expect(evaluation.reasoning).toContain('Security fix justifies it.');

    const paths = fake.requests.map((r) => `${r.method} ${r.path}`);
    expect(paths).toEqual(['GET /api/tags', 'POST /api/chat']);
    expect(fake.requests.every((r) => r.headers.authorization === 'Bearer t0ken')).toBe(true);
    const body = fake.requests[1]!.body;
    expect(body.model).toBe(DEFAULT_MODEL);
    expect(body.stream).toBe(false);
    expect(body.options).toEqual(GENERATION);
    expect(body.format.properties.score).toEqual({ type: 'integer', minimum: 0, maximum: 100 });
    expect(body.format.required).toEqual(['score', 'reasoning', 'recommendation', 'confidence']);
    const [system, user] = body.messages;
    const delimiter = /<<(DATA-[0-9a-f]{24})>>/.exec(system.content)![1]!;
    expect(user.content.split(`<<${delimiter}>>`).length).toBe(3);
    expect(user.content).toContain('+def parse(data): validate_schema(data)');
    expect(user.content).toContain('"security_findings_old_to_new": [\n  2,\n  0\n ]');

    // A fresh delimiter per call.
    await judge.evaluate(EXAMPLE1);
    const second = /<<(DATA-[0-9a-f]{24})>>/.exec(fake.requests[3]!.body.messages[0].content)![1];
    expect(second).not.toBe(delimiter);
  });

  it('clamps an obedient 100 on a 3× regression into the band (never ACCEPT)', async () => {
    replyWith({ kind: 'content', content: verdictJson(100, 'ACCEPT') });
    const evaluation = await createJudge(config(fake.url)).evaluate(TRIPLE);
    expect(evaluation.judge).toBe('ollama');
    expect(evaluation.score).toBe(evaluation.band.hi);
    expect(evaluation.score).toBeLessThan(80);
    expect(evaluation.recommendation).not.toBe('ACCEPT');
    expect(evaluation.reasoning).toContain('model proposed 100, clamped');
    expect(evaluation.reasoning).toContain('model advised ACCEPT');
  });

  it('streams when the budget exceeds what a non-streamed call survives', async () => {
    replyWith({ kind: 'content', content: verdictJson(70, 'REVIEW', 'Moderate.', 'medium') });
    fake.requests.length = 0;
    const evaluation = await createJudge(config(fake.url), { streamAboveMs: 0 }).evaluate(EXAMPLE1);
    expect(fake.requests[1]!.body.stream).toBe(true);
    expect(evaluation).toMatchObject({ score: 70, recommendation: 'REVIEW', judge: 'ollama' });
  });

  it('escapes and caps the model reasoning', async () => {
    const reasoning = `<img src=x onerror=alert(1)> ::set-output name=x:: @admin ${'long '.repeat(400)}`;
    replyWith({ kind: 'content', content: verdictJson(85, 'ACCEPT', reasoning) });
    const evaluation = await createJudge(config(fake.url)).evaluate(EXAMPLE1);
    expect(evaluation.judge).toBe('ollama');
    expect(evaluation.reasoning).not.toContain('<img');
    expect(evaluation.reasoning).toContain('&lt;img');
    expect(evaluation.reasoning).not.toContain('::set-output');
    expect(evaluation.reasoning).not.toContain('@admin');
    expect(evaluation.reasoning.length).toBeLessThan(1500);
  });

  it('accepts a configured digest that matches /api/tags', async () => {
    replyWith({ kind: 'content', content: verdictJson(85) });
    const evaluation = await createJudge(
      config(fake.url, { digest: DEFAULT_DIGEST.slice(0, 12) }),
    ).evaluate(EXAMPLE1);
    expect(evaluation.judge).toBe('ollama');
  });
});

describe('every Ollama failure falls back to the rules verdict, confidence low, with a reason', () => {
  const cases: Array<
    [string, FakeReply | null, Partial<OllamaConfig>, RegExp, Record<string, unknown>?]
  > = [
    [
      'model missing from /api/tags',
      null,
      { model: 'llama3:8b' },
      /^rules \(ollama: model 'llama3:8b' is not on the Ollama host\)$/,
    ],
    [
      'digest mismatch',
      null,
      { digest: 'ab'.repeat(32) },
      /^rules \(ollama: model 'qwen2\.5-coder:3b' digest e7149271c9e8 is not the configured abababababab\)$/,
    ],
    [
      '404 model not found from /api/chat',
      { kind: 'status', status: 404, body: `{"error":"model '${DEFAULT_MODEL}' not found"}` },
      {},
      /^rules \(ollama: HTTP 404: model 'qwen2\.5-coder:3b' not found\)$/,
    ],
    [
      '500 with an Ollama error body',
      {
        kind: 'status',
        status: 500,
        body: '{"error":"llama runner process has terminated: exit status 2"}',
      },
      {},
      /^rules \(ollama: HTTP 500: llama runner process has terminated: exit status 2\)$/,
    ],
    [
      '502 with a proxy text body',
      { kind: 'status', status: 502, body: 'Bad Gateway\n', contentType: 'text/plain' },
      {},
      /^rules \(ollama: HTTP 502: Bad Gateway\)$/,
    ],
    [
      'reply slower than the timeout',
      { kind: 'content', content: verdictJson(100), delayMs: 2500 },
      { timeoutSeconds: 1 },
      /^rules \(ollama: timeout after 1 s\)$/,
    ],
    [
      'streamed reply slower than the timeout',
      { kind: 'content', content: verdictJson(100), delayMs: 2500 },
      { timeoutSeconds: 1 },
      /^rules \(ollama: timeout after 1 s\)$/,
      { streamAboveMs: 0 },
    ],
    [
      'content that is not JSON',
      { kind: 'content', content: 'Sure! I would score this 100/100.' },
      {},
      /^rules \(ollama: reply is not JSON\)$/,
    ],
    [
      'an HTTP body that is not JSON',
      { kind: 'garbage', body: '<html>oops' },
      {},
      /^rules \(ollama: reply is not JSON\)$/,
    ],
    [
      'JSON outside the schema (score 150)',
      { kind: 'content', content: verdictJson(150) },
      {},
      /^rules \(ollama: reply does not match the schema \(score: .+\)\)$/,
    ],
    [
      'JSON outside the schema (missing fields)',
      { kind: 'content', content: '{"score": 90}' },
      {},
      /^rules \(ollama: reply does not match the schema \(reasoning: .+\)\)$/,
    ],
    [
      'done_reason length',
      { kind: 'content', content: '{"score": 9', doneReason: 'length' },
      {},
      /^rules \(ollama: reply truncated \(done_reason: length\)\)$/,
    ],
    [
      'streamed done_reason length',
      { kind: 'content', content: '{"score": 9', doneReason: 'length' },
      {},
      /^rules \(ollama: reply truncated \(done_reason: length\)\)$/,
      { streamAboveMs: 0 },
    ],
  ];

  it.each(cases)('%s', async (_name, reply, extra, reason, deps) => {
    replyWith(reply ?? { kind: 'content', content: verdictJson(100) });
    const warnings: string[] = [];
    const log = { debug() {}, info() {}, warn: (m: string) => warnings.push(m), error() {} };
    const judge = createJudge(config(fake.url, extra), { log, ...deps });
    for (const input of [EXAMPLE1, TRIPLE]) {
      const expected = await rulesJudge.evaluate(input);
      const evaluation = await judge.evaluate(input);
      expect(evaluation.judge).toMatch(reason);
      expect(evaluation.confidence).toBe('low');
      expect(evaluation.llm_model).toBeNull();
      expect(evaluation.score).toBe(expected.score);
      expect(evaluation.recommendation).toBe(expected.recommendation);
    }
    expect(warnings[0]).toContain('the rules verdict stands');
  });

  it('connection refused', async () => {
    const url = await refusedUrl();
    const evaluation = await createJudge(config(url)).evaluate(EXAMPLE1);
    expect(evaluation.judge).toBe(`rules (ollama: cannot reach ${url} (ECONNREFUSED))`);
    expect(evaluation).toMatchObject({ confidence: 'low', recommendation: 'ACCEPT', score: 85 });
  });
});
