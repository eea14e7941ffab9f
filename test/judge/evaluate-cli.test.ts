// The `evaluate` command as a user runs it: the CLI router in-process (the answers), and once
// through the bundled CLI (dist/cli/index.js) as a smoke test of the bundle.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBuiltCli } from '../helpers/cli.js';
import type { CliRun } from '../helpers/cli.js';
import { runCliInProcess } from '../helpers/cli-in-process.js';
import { refusedUrl, startFakeOllama, verdictJson } from '../helpers/fake-ollama.js';
import type { FakeOllama, FakeReply } from '../helpers/fake-ollama.js';

/** In-process and async, so the fake Ollama in this process keeps answering while it runs. */
function evaluate(args: string[], input: unknown, env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  return runCliInProcess(
    ['evaluate', ...args],
    typeof input === 'string' ? input : JSON.stringify(input),
    { env: { PATH: process.env['PATH'], HOME: process.env['HOME'], ...env } },
  );
}

const GUIDE_EVALUATE = {
  command: 'evaluate',
  old_metrics: {
    execution_time_ms: 5.0,
    memory_usage_kb: 1024,
    timestamp: '2025-11-17T10:00:00',
    version: '1.0.0',
    security_issues: 2,
  },
  new_metrics: {
    execution_time_ms: 7.5,
    memory_usage_kb: 1280,
    timestamp: '2025-11-17T12:00:00',
    version: '1.1.0',
    security_issues: 0,
  },
  requirement_change: {
    previous_requirement: 'Parse JSON',
    new_requirement: 'Parse JSON with validation',
    change_summary: 'Added schema validation and security checks',
    feature_additions: ['Schema validation', 'Security scanning'],
    feature_removals: [],
    breaking_changes: [],
  },
  old_code: 'def parse(data): return json.loads(data)',
  new_code: 'def parse(data): validate(data); return json.loads(data)',
};

const EXAMPLES: Array<[string, unknown, string, number]> = [
  ['the evaluate example (5 → 7.5 ms, issues 2 → 0)', GUIDE_EVALUATE, 'ACCEPT', 0],
  [
    'Example 1 (security fix, 50 % slower)',
    {
      old_metrics: { execution_time_ms: 10, security_issues: 2 },
      new_metrics: { execution_time_ms: 15, security_issues: 0 },
      old_code: 'def parse(data): return json.loads(data)',
      new_code: 'def parse(data): validate_schema(data); return json.loads(sanitize(data))',
    },
    'ACCEPT',
    0,
  ],
  [
    'Example 2 (filtering + logging, 25 % slower)',
    {
      old_metrics: { execution_time_ms: 4 },
      new_metrics: { execution_time_ms: 5 },
      requirement_change: { feature_additions: ['Filtering', 'Logging'] },
      old_code: 'def process(items): return [x*2 for x in items]',
      new_code:
        'def process(items): filtered = [x for x in items if x > 0]; log(filtered); return [x*2 for x in filtered]',
    },
    'REVIEW',
    2,
  ],
  [
    'Example 3 (bubble sort, 200 % slower)',
    {
      old_metrics: { execution_time_ms: 2 },
      new_metrics: { execution_time_ms: 6 },
      requirement_change: { feature_additions: [] },
      old_code: 'def sort_data(data): return sorted(data)',
      new_code: 'def sort_data(data): return bubble_sort(data)',
    },
    'REJECT',
    1,
  ],
];

describe('evaluate with the rules judge (no Ollama)', () => {
  it('through the bundled CLI: the guide example is ACCEPT, exit 0', () => {
    const run = runBuiltCli(['evaluate'], JSON.stringify(GUIDE_EVALUATE), {
      env: { PATH: process.env['PATH'], HOME: process.env['HOME'] },
    });
    expect(run.code, run.stderr).toBe(0);
    expect(run.json.evaluation).toMatchObject({ recommendation: 'ACCEPT', judge: 'rules' });
  });

  it.each(EXAMPLES)('%s', async (_name, input, verdict, code) => {
    const run = await evaluate([], input);
    expect(run.code).toBe(code);
    expect(run.json.success).toBe(true);
    expect(run.json.evaluation).toMatchObject({
      recommendation: verdict,
      judge: 'rules',
      llm_model: null,
      confidence: 'medium',
    });
    expect(Object.keys(run.json.evaluation)).toEqual(
      expect.arrayContaining([
        'score',
        'reasoning',
        'recommendation',
        'confidence',
        'llm_model',
        'judge',
        'band',
        'timestamp',
      ]),
    );
    if (verdict === 'REJECT') expect(run.json.evaluation.score).toBeLessThanOrEqual(15);
  });

  it.each([
    ['python', 'def f(x):\n    return x\n', 'def f(x)\n    return x\n'],
    ['javascript', 'export default (x) => x;\n', 'export default (x) => { return x;\n'],
  ])(
    'REJECTs a new %s version that does not parse, even when faster',
    async (_lang, oldCode, newCode) => {
      const run = await evaluate([], {
        old_metrics: { execution_time_ms: 2 },
        new_metrics: { execution_time_ms: 1 },
        requirement_change: { feature_additions: ['Speed'] },
        old_code: oldCode,
        new_code: newCode,
      });
      expect(run.code).toBe(1);
      expect(run.json.evaluation.recommendation).toBe('REJECT');
      expect(run.json.evaluation.band.reasons).toContain('the new version does not parse');
    },
  );

  it('reports the performance delta of the guide example', async () => {
    const run = await evaluate([], GUIDE_EVALUATE);
    expect(run.json.performance_delta).toEqual({ execution_time_pct: 50, memory_pct: 25 });
  });

  it.each([
    [
      { old_metrics: { execution_time_ms: 0 }, new_metrics: { execution_time_ms: 3 } },
      'old_metrics.execution_time_ms',
    ],
    [{ old_metrics: {}, new_metrics: { execution_time_ms: 3 } }, 'old_metrics.execution_time_ms'],
    [{ old_metrics: { execution_time_ms: 3 }, new_metrics: {} }, 'new_metrics.execution_time_ms'],
    [
      { old_metrics: { execution_time_ms: -1 }, new_metrics: { execution_time_ms: 3 } },
      'old_metrics.execution_time_ms',
    ],
  ])('names the field of a bad time: %j', async (input, field) => {
    const run = await evaluate([], input);
    expect(run.code).toBe(1);
    expect(run.json.success).toBe(false);
    expect(run.json.error.kind).toBe('invalid_input');
    expect(run.json.error.message).toContain(field);
  });

  it('rejects a malformed Ollama host as a config error', async () => {
    const run = await evaluate(['--ollama-host', 'not a url'], GUIDE_EVALUATE);
    expect(run.code).toBe(1);
    expect(run.json.error).toMatchObject({ kind: 'config', field: 'ollama-host' });
  });
});

describe('evaluate with a fake Ollama', () => {
  let fake: FakeOllama;
  beforeAll(async () => {
    fake = await startFakeOllama();
  });
  afterAll(async () => {
    await fake.close();
  });

  it('uses the model from --ollama-host, clamped to the band', async () => {
    fake.reply(() => ({
      kind: 'content',
      content: verdictJson(91, 'ACCEPT', 'Validation is worth it.'),
    }));
    const run = await evaluate(['--ollama-host', fake.url], GUIDE_EVALUATE);
    expect(run.code).toBe(0);
    expect(run.json.evaluation).toMatchObject({
      score: 91,
      judge: 'ollama',
      llm_model: 'qwen2.5-coder:3b',
      recommendation: 'ACCEPT',
    });
  });

  it('reads PERF_VERDICT_OLLAMA_HOST and PERF_VERDICT_OLLAMA_MODEL', async () => {
    const run = await evaluate([], GUIDE_EVALUATE, {
      PERF_VERDICT_OLLAMA_HOST: fake.url,
      PERF_VERDICT_OLLAMA_MODEL: 'missing:1b',
    });
    // ollama-pull defaults to if-missing: the fake's registry has no such model either.
    expect(run.json.evaluation.judge).toBe(
      `rules (ollama: model 'missing:1b' is not on ${fake.url}; its pull failed: pull model manifest: file does not exist)`,
    );
    expect(run.code).toBe(0);
  });

  const failures: Array<[string, FakeReply, RegExp]> = [
    [
      '404',
      { kind: 'status', status: 404, body: '{"error":"model \'qwen2.5-coder:3b\' not found"}' },
      /HTTP 404: model 'qwen2.5-coder:3b' not found/,
    ],
    [
      '500',
      { kind: 'status', status: 500, body: '{"error":"out of memory"}' },
      /HTTP 500: out of memory/,
    ],
    [
      '500 text',
      { kind: 'status', status: 500, body: 'Internal Server Error', contentType: 'text/plain' },
      /HTTP 500: Internal Server Error/,
    ],
    [
      'slower than the timeout',
      { kind: 'content', content: verdictJson(100), delayMs: 3000 },
      /http:\/\/127\.0\.0\.1:\d+ did not answer within 1 s \(timeout\)/,
    ],
    ['invalid JSON', { kind: 'content', content: 'I think 100.' }, /reply is not JSON/],
    [
      'schema-invalid JSON',
      { kind: 'content', content: '{"score":"high","reasoning":1}' },
      /reply does not match the schema/,
    ],
    [
      'done_reason length',
      { kind: 'content', content: '{"score": 4', doneReason: 'length' },
      /done_reason: length/,
    ],
  ];

  it.each(failures)(
    '%s → rules verdict, confidence low, exit code of the rules verdict',
    async (_n, reply, reason) => {
      fake.reply(() => reply);
      // An ACCEPT stays exit 0 (the failure alone never fails the run); a REJECT stays exit 1.
      for (const [, input, verdict, code] of [EXAMPLES[0]!, EXAMPLES[3]!]) {
        const run = await evaluate(
          ['--ollama-host', fake.url, '--ollama-timeout-seconds', '1'],
          input,
        );
        expect(run.json.evaluation.judge).toMatch(/^rules \(ollama: .+\)$/);
        expect(run.json.evaluation.judge).toMatch(reason);
        expect(run.json.evaluation.confidence).toBe('low');
        expect(run.json.evaluation.recommendation).toBe(verdict);
        expect(run.code).toBe(code);
        expect(run.stderr).toContain('the rules verdict stands');
      }
    },
  );

  it('connection refused → rules verdict, confidence low, exit 0 for an ACCEPT', async () => {
    const url = await refusedUrl();
    const run = await evaluate(['--ollama-host', url], GUIDE_EVALUATE);
    expect(run.code).toBe(0);
    expect(run.json.evaluation).toMatchObject({
      judge: `rules (ollama: cannot reach ${url} (ECONNREFUSED))`,
      confidence: 'low',
      recommendation: 'ACCEPT',
    });
  });
});
