import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCENARIOS, measured } from '../../bench/judge-scenarios.js';
import { parseConfig } from '../../src/config/config.js';
import type { Log } from '../../src/domain/ports.js';
import type { JudgeInput } from '../../src/domain/types.js';
import { GENERATION, KEEP_ALIVE, createJudge } from '../../src/judge/index.js';
import { rulesJudge } from '../../src/judge/index.js';
import type { OllamaJudgeConfig } from '../../src/judge/index.js';
import { LIMITS, buildMessages } from '../../src/judge/prompt.js';
import {
  DEFAULT_DIGEST,
  DEFAULT_MODEL,
  estimateTokens,
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

function config(host: string, extra: Partial<OllamaJudgeConfig> = {}): OllamaJudgeConfig {
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
    // Once per judge: find, describe and load (warm-up: an empty chat); then the judgement.
    expect(paths).toEqual(['GET /api/tags', 'POST /api/show', 'POST /api/chat', 'POST /api/chat']);
    expect(fake.requests.every((r) => r.headers.authorization === 'Bearer t0ken')).toBe(true);
    expect(fake.requests[2]!.body).toMatchObject({
      model: DEFAULT_MODEL,
      messages: [],
      keep_alive: KEEP_ALIVE,
      options: { num_ctx: GENERATION.num_ctx },
    });
    const body = fake.requests[3]!.body;
    expect(body.model).toBe(DEFAULT_MODEL);
    expect(body.stream).toBe(false);
    expect(body.options).toEqual(GENERATION);
    expect(body.keep_alive).toBe(KEEP_ALIVE);
    expect(body.truncate).toBe(false);
    expect(body.format.properties.reasoning).toEqual({ type: 'string', maxLength: 400 });
    expect(body.format.properties.score).toEqual({ type: 'integer', minimum: 0, maximum: 100 });
    expect(body.format.required).toEqual(['score', 'reasoning', 'recommendation', 'confidence']);
    const [system, user] = body.messages;
    const delimiter = /<<(DATA-[0-9a-f]{24})>>/.exec(system.content)![1]!;
    expect(user.content.split(`<<${delimiter}>>`).length).toBe(3);
    expect(user.content).toContain('+def parse(data): validate_schema(data)');
    expect(user.content).toContain('"security_findings_old_to_new": [\n  2,\n  0\n ]');

    // A fresh delimiter per call, and no second warm-up.
    await judge.evaluate(EXAMPLE1);
    expect(fake.requests.map((r) => r.path)).toHaveLength(5);
    const second = /<<(DATA-[0-9a-f]{24})>>/.exec(fake.requests[4]!.body.messages[0].content)![1];
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
    expect(fake.requests.at(-1)!.body.stream).toBe(true);
    expect(evaluation).toMatchObject({ score: 70, recommendation: 'REVIEW', judge: 'ollama' });
  });

  it('escapes and caps the model reasoning', async () => {
    const reasoning = `<img src=x onerror=alert(1)> ::set-output name=x:: @admin ${'long '.repeat(50)}`;
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
    [string, FakeReply | null, Partial<OllamaJudgeConfig>, RegExp, Record<string, unknown>?]
  > = [
    [
      'model missing from /api/tags',
      null,
      { model: 'llama3:8b', pull: 'never' },
      /^rules \(ollama: model 'llama3:8b' is not on http:\/\/127\.0\.0\.1:\d+ \(ollama-pull: never\): run 'ollama pull llama3:8b' there, or set ollama-pull: if-missing\)$/,
    ],
    [
      'digest mismatch',
      null,
      { digest: 'ab'.repeat(32) },
      /^rules \(ollama: model 'qwen2\.5-coder:3b' digest f72c60cabf62 is not the configured abababababab\)$/,
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
      /^rules \(ollama: http:\/\/127\.0\.0\.1:\d+ did not answer within 1 s \(timeout\)\)$/,
    ],
    [
      'streamed reply slower than the timeout',
      { kind: 'content', content: verdictJson(100), delayMs: 2500 },
      { timeoutSeconds: 1 },
      /^rules \(ollama: http:\/\/127\.0\.0\.1:\d+ did not answer within 1 s \(timeout\)\)$/,
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

function recordingLog(): { log: Log; info: string[]; warn: string[] } {
  const info: string[] = [];
  const warn: string[] = [];
  return {
    info,
    warn,
    log: {
      debug() {},
      info: (m: string) => info.push(m),
      warn: (m: string) => warn.push(m),
      error() {},
    },
  };
}

describe('getting the model: pull when missing, once per gate', () => {
  it('pulls a missing model (if-missing is the default) with progress in the log, then judges with it', async () => {
    const host = await startFakeOllama({
      models: [],
      pull: { totalBytes: 50_000_000, bytesPerSecond: 500_000_000, tickMs: 10 },
    });
    try {
      const { log, info } = recordingLog();
      const judge = createJudge(config(host.url, { digest: DEFAULT_DIGEST }), { log });
      const evaluation = await judge.evaluate(EXAMPLE1);
      expect(evaluation.judge).toBe('ollama');
      const pulls = host.requests.filter((r) => r.path === '/api/pull');
      expect(pulls).toHaveLength(1);
      expect(pulls[0]!.body).toMatchObject({ name: DEFAULT_MODEL, stream: true });
      expect(host.models.map((m) => m.name)).toEqual([DEFAULT_MODEL]);
      // Progress as percent of the layers' bytes with a rate, then the closing line.
      expect(info).toContain(`ollama: pull ${DEFAULT_MODEL}: pulling manifest`);
      expect(
        info.some((l) => /^ollama: pulling qwen2\.5-coder:3b: 0 % of 0\.05 GB, /.test(l)),
      ).toBe(true);
      expect(
        info.some((l) =>
          /^ollama: pulling qwen2\.5-coder:3b: 100 % of 0\.05 GB, [\d.]+ MB\/s$/.test(l),
        ),
      ).toBe(true);
      expect(info).toContain(`ollama: pull ${DEFAULT_MODEL}: verifying sha256 digest`);
      expect(info.some((l) => /^ollama: pulled qwen2\.5-coder:3b \(0\.05 GB\) in /.test(l))).toBe(
        true,
      );
      expect(info.at(-1)).toMatch(
        /^ollama: judged in [\d.]+ s \(\d+ prompt \+ \d+ reply tokens\)$/,
      );
      const run = judge.run!();
      expect(run).toMatchObject({
        kind: 'ollama',
        model: DEFAULT_MODEL,
        digest: DEFAULT_DIGEST,
        details: '3.1B Q4_K_M',
        unavailable: null,
      });
      expect(run.pull_ms).toBeGreaterThanOrEqual(0);
      // A second tool: no second pull, no second warm-up.
      await judge.evaluate(TRIPLE);
      expect(host.requests.filter((r) => r.path === '/api/pull')).toHaveLength(1);
      expect(host.loads).toBe(1);
    } finally {
      await host.close();
    }
  });

  it('ollama-pull: never does not pull', async () => {
    const host = await startFakeOllama({ models: [] });
    try {
      const evaluation = await createJudge(config(host.url, { pull: 'never' })).evaluate(EXAMPLE1);
      expect(evaluation.judge).toBe(
        `rules (ollama: model '${DEFAULT_MODEL}' is not on ${host.url} (ollama-pull: never): run 'ollama pull ${DEFAULT_MODEL}' there, or set ollama-pull: if-missing)`,
      );
      expect(host.requests.map((r) => r.path)).toEqual(['/api/tags']);
    } finally {
      await host.close();
    }
  });

  it('a pull that stalls hits its timeout: every tool falls back with that reason, said once', async () => {
    const host = await startFakeOllama({
      models: [],
      pull: { totalBytes: 40_000_000, bytesPerSecond: 200_000_000, tickMs: 10, stallAt: 0.5 },
    });
    try {
      const { log, warn } = recordingLog();
      const judge = createJudge(config(host.url, { pullTimeoutSeconds: 1 }), { log });
      const reasons = new Set<string>();
      for (const input of [EXAMPLE1, TRIPLE, EXAMPLE1]) {
        const evaluation = await judge.evaluate(input);
        expect(evaluation).toMatchObject({ confidence: 'low', llm_model: null });
        expect(evaluation.score).toBe((await rulesJudge.evaluate(input)).score);
        reasons.add(evaluation.judge);
      }
      expect([...reasons]).toHaveLength(1);
      expect([...reasons][0]).toMatch(
        /^rules \(ollama: model 'qwen2\.5-coder:3b' is not on http:\/\/127\.0\.0\.1:\d+; its pull timed out after 1 s at \d+ % of 0\.04 GB\)$/,
      );
      expect(warn).toHaveLength(1);
      expect(warn[0]).toContain('the rules verdict stands for every tool');
      expect(host.requests.filter((r) => r.path === '/api/pull')).toHaveLength(1);
      expect(judge.run!()).toMatchObject({ pull_ms: null, load_ms: null });
      expect(judge.run!().unavailable).toContain('its pull timed out after 1 s');
    } finally {
      await host.close();
    }
  });

  it('a pull that fails (an error line in the stream) falls back with the error', async () => {
    const host = await startFakeOllama({ models: [], pullable: [] });
    try {
      const evaluation = await createJudge(config(host.url)).evaluate(EXAMPLE1);
      expect(evaluation.judge).toBe(
        `rules (ollama: model '${DEFAULT_MODEL}' is not on ${host.url}; its pull failed: pull model manifest: file does not exist)`,
      );
    } finally {
      await host.close();
    }
  });

  it('a pulled model of another digest than configured falls back', async () => {
    const host = await startFakeOllama({ models: [] });
    try {
      const evaluation = await createJudge(config(host.url, { digest: 'ab'.repeat(32) })).evaluate(
        EXAMPLE1,
      );
      expect(evaluation.judge).toBe(
        `rules (ollama: model '${DEFAULT_MODEL}' digest f72c60cabf62 is not the configured abababababab)`,
      );
    } finally {
      await host.close();
    }
  });
});

describe('warm once, judge one at a time, record latency and tokens', () => {
  it('loads the model once (timed), then records per-tool latency and token counts', async () => {
    const cpu = { loadMs: 150, promptTokensPerSecond: 20_000, evalTokensPerSecond: 1_000 };
    const host = await startFakeOllama({ cpu });
    try {
      const judge = createJudge(config(host.url));
      const evaluations = [];
      for (const input of [EXAMPLE1, TRIPLE, EXAMPLE1])
        evaluations.push(await judge.evaluate(input));
      expect(host.loads).toBe(1);
      const warmups = host.requests.filter(
        (r) => r.path === '/api/chat' && r.body.messages.length === 0,
      );
      expect(warmups).toHaveLength(1);
      const run = judge.run!();
      expect(run.load_ms).toBeGreaterThanOrEqual(cpu.loadMs - 5);
      const chats = host.requests.filter(
        (r) => r.path === '/api/chat' && r.body.messages.length > 0,
      );
      expect(chats).toHaveLength(3);
      evaluations.forEach((evaluation, i) => {
        expect(evaluation.judge).toBe('ollama');
        // The counts are Ollama's (prompt_eval_count, eval_count), as the fake estimates them.
        const prompt = chats[i]!.body.messages.reduce(
          (sum: number, m: { content: string }) => sum + estimateTokens(m.content) + 5,
          0,
        );
        expect(evaluation.prompt_tokens).toBe(prompt);
        expect(evaluation.reply_tokens).toBe(estimateTokens(verdictJson(85)));
        // At these rates the call cannot be faster than its tokens; never asserted from above.
        const floor =
          (prompt / cpu.promptTokensPerSecond +
            evaluation.reply_tokens! / cpu.evalTokensPerSecond) *
          1000;
        expect(evaluation.latency_ms).toBeGreaterThanOrEqual(Math.floor(floor) - 5);
      });
    } finally {
      await host.close();
    }
  });

  it('a timed-out judgement records its latency too', async () => {
    replyWith({ kind: 'content', content: verdictJson(100), delayMs: 2500 });
    const evaluation = await createJudge(config(fake.url, { timeoutSeconds: 1 })).evaluate(
      EXAMPLE1,
    );
    expect(evaluation.judge).toBe(
      `rules (ollama: ${fake.url} did not answer within 1 s (timeout))`,
    );
    expect(evaluation.latency_ms).toBeGreaterThanOrEqual(990);
  });

  it('the prompt of the largest input stays inside the token budget', async () => {
    const big = 'x = [' + '1, '.repeat(20_000) + ']\n';
    const huge: JudgeInput = {
      evidence: TRIPLE.evidence,
      claims: {
        previous_requirement: 'p'.repeat(5000),
        new_requirement: 'n'.repeat(5000),
        change_summary: 's'.repeat(5000),
        feature_additions: Array.from({ length: 100 }, (_, i) => `feature ${i} ${'f'.repeat(300)}`),
        feature_removals: Array.from({ length: 100 }, () => 'r'.repeat(300)),
        breaking_changes: Array.from({ length: 100 }, () => 'b'.repeat(300)),
        pr_title: 't'.repeat(500),
        pr_body: 'y'.repeat(20_000),
        commit_messages: Array.from({ length: 50 }, () => 'c'.repeat(500)),
      },
      old_code: big.repeat(3),
      new_code: big.replace('1, ', '2, ').repeat(3),
    };
    const band = (await rulesJudge.evaluate(huge)).band;
    const [system, user] = buildMessages(huge, band, 'DATA-0123456789abcdef01234567');
    expect(user!.content.length).toBeLessThanOrEqual(LIMITS.userChars + 100);
    replyWith({ kind: 'content', content: verdictJson(20, 'REJECT') });
    const evaluation = await createJudge(config(fake.url)).evaluate(huge);
    expect(evaluation.judge).toBe('ollama');
    // Prompt plus the reply budget fit the context with room.
    expect(evaluation.prompt_tokens! + GENERATION.num_predict).toBeLessThan(GENERATION.num_ctx);
    expect(system!.content.length + user!.content.length).toBeLessThan(7_500);
  });
});

describe('ollama-pull and ollama-pull-timeout-seconds', () => {
  it('default to if-missing and 600 s, read from the file or an input, and name a bad value', () => {
    expect(parseConfig({}).ollama).toMatchObject({ pull: 'if-missing', pullTimeoutSeconds: 600 });
    expect(
      parseConfig({ file: { 'ollama-pull': 'never', 'ollama-pull-timeout-seconds': 90 } }).ollama,
    ).toMatchObject({ pull: 'never', pullTimeoutSeconds: 90 });
    expect(
      parseConfig({ file: { 'ollama-pull': 'never' }, inputs: { 'ollama-pull': 'if-missing' } })
        .ollama.pull,
    ).toBe('if-missing');
    expect(() => parseConfig({ inputs: { 'ollama-pull': 'always' } })).toThrow(/ollama-pull/);
    expect(() => parseConfig({ inputs: { 'ollama-pull-timeout-seconds': '0' } })).toThrow(
      /ollama-pull-timeout-seconds/,
    );
  });
});
