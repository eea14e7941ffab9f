import { describe, expect, it } from 'vitest';
import { judgePhrase } from '../../src/report/judge-run.js';
import { renderComment } from '../../src/report/render.js';
import type { Evaluation, JudgeRun } from '../../src/domain/types.js';
import { DEFAULT_DIGEST, DEFAULT_MODEL } from '../helpers/fake-ollama.js';
import { evaluation, report, row } from '../render/fixtures.js';

const OLLAMA: JudgeRun = {
  kind: 'ollama',
  model: DEFAULT_MODEL,
  digest: DEFAULT_DIGEST,
  details: '3.1B Q4_K_M',
  pull_ms: null,
  load_ms: 4200,
  unavailable: null,
};

const byModel = (score: number, latency: number): Evaluation => ({
  ...evaluation(score, score >= 80 ? 'ACCEPT' : 'REVIEW', 'The model says so.'),
  judge: 'ollama',
  llm_model: DEFAULT_MODEL,
  latency_ms: latency,
  prompt_tokens: 812,
  reply_tokens: 64,
});
const fellBack = (reason: string, latency?: number): Evaluation => ({
  ...evaluation(60, 'REVIEW', 'Rules: fixture.'),
  judge: `rules (ollama: ${reason})`,
  confidence: 'low',
  ...(latency === undefined ? {} : { latency_ms: latency }),
});

describe('judgePhrase: which judge decided, said once', () => {
  it('names the rules judge, or the model with its digest', () => {
    expect(
      judgePhrase({ ...OLLAMA, kind: 'rules', model: null, digest: null }, [
        evaluation(90, 'ACCEPT', 'x'),
      ]),
    ).toBe('rules');
    expect(judgePhrase(OLLAMA, [byModel(90, 1000), byModel(85, 900)])).toBe(
      'ollama qwen2.5-coder:3b@f72c60cabf62',
    );
    expect(judgePhrase(OLLAMA, [])).toBeNull();
  });

  it('says why once when the model was unavailable for the gate', () => {
    const reason =
      "model 'qwen2.5-coder:3b' is not on the Ollama host; its pull timed out after 600 s at 40 % of 1.93 GB";
    expect(
      judgePhrase({ ...OLLAMA, digest: null, load_ms: null, unavailable: reason }, [
        fellBack(reason),
        fellBack(reason),
      ]),
    ).toBe(`rules (ollama qwen2.5-coder:3b unavailable: ${reason})`);
  });

  it('counts the tools a failing call left to the rules', () => {
    expect(judgePhrase(OLLAMA, [byModel(90, 1000), fellBack('timeout after 60 s', 60_000)])).toBe(
      'ollama qwen2.5-coder:3b@f72c60cabf62, rules for 1 of 2 tools (timeout after 60 s)',
    );
    expect(
      judgePhrase(OLLAMA, [
        fellBack('timeout after 60 s', 60_000),
        fellBack('reply is not JSON', 9000),
      ]),
    ).toBe(
      'rules (ollama qwen2.5-coder:3b@f72c60cabf62 fell back on every tool: timeout after 60 s; 1 other reason in the details)',
    );
  });
});

describe('the comment: the judge in the headline, latency in the details', () => {
  it('names model and digest in the headline and shows each call’s latency and tokens', () => {
    const body = renderComment(
      report(
        [
          row({ id: 'a', evaluation: byModel(90, 23_456) }),
          row({ id: 'b', evaluation: byModel(85, 9_100) }),
        ],
        {
          judge: judgePhrase(OLLAMA, [byModel(90, 1), byModel(85, 1)]),
          judge_run: OLLAMA,
        },
      ),
      {},
      'd',
    );
    const headline = body.split('\n').find((l) => l.startsWith('## '));
    // `@` is escaped as &#64; (no mention); GitHub renders it as `@`.
    expect(headline).toMatch(/ · judge: ollama qwen2\.5-coder:3b&#64;f72c60cabf62$/);
    expect(body).toContain(
      '(judge ollama in 23.5\u00a0s (812 prompt + 64 reply tokens), confidence',
    );
    expect(body).toContain(
      '(judge ollama in 9.1\u00a0s (812 prompt + 64 reply tokens), confidence',
    );
  });

  it('states a gate-wide fallback reason once, not per row', () => {
    const reason = 'cannot reach http://localhost:11434 (ECONNREFUSED)';
    const rows = ['a', 'b', 'c'].map((id) => row({ id, evaluation: fellBack(reason) }));
    const run = { ...OLLAMA, digest: null, load_ms: null, unavailable: reason };
    const body = renderComment(
      report(rows, {
        judge: judgePhrase(
          run,
          rows.map((r) => r.evaluation!),
        ),
        judge_run: run,
      }),
      {},
      'd',
    );
    expect(body.split(reason)).toHaveLength(2);
    expect(body.split('\n').find((l) => l.startsWith('## '))).toContain(
      `· judge: rules (ollama qwen2.5-coder:3b unavailable: ${reason})`,
    );
    expect(body.split('rules (model unavailable: see above)')).toHaveLength(4);
  });
});
