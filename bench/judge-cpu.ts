/**
 * bench/judge --fake-cpu: the example repository's three changed tools judged one at a time by
 * the Ollama judge, as one gate does it (one judge, one warm-up, then each tool), against the
 * fake Ollama slowed to a CPU runner's speed: 100 tokens/s prompt evaluation, 10 tokens/s
 * generation, a 5 s model load (assumed). Then the largest prompt the judge can send (every cap
 * reached). Prints per-tool prompt and reply tokens and latency, and whether each tool stayed
 * inside the default `ollama-timeout-seconds`. With PERF_VERDICT_OLLAMA_HOST the same gate runs
 * against that real host instead of (or beside) the fake.
 *
 * The fake's token counts are estimates (3 characters a token, see test/helpers/fake-ollama.ts);
 * a real host reports its tokenizer's counts.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseConfig } from '../src/config/config.js';
import { judgePhrase } from '../src/report/judge-run.js';
import type { Evaluation, JudgeInput } from '../src/domain/types.js';
import { createJudge, GENERATION } from '../src/judge/index.js';
import { LIMITS } from '../src/judge/prompt.js';
import { startFakeOllama } from '../test/helpers/fake-ollama.js';
import { measured, point } from './judge-scenarios.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const read = (path: string): string => readFileSync(`${ROOT}examples/${path}`, 'utf8');

/** The example repository's PR: three tools, the evidence a gate would measure for them. */
function exampleTools(): Array<{ name: string; input: JudgeInput }> {
  return [
    {
      name: 'text/dedupe_words (quadratic rewrite)',
      input: {
        evidence: measured(3.4, 3.1, 3.7, 'regression', { complexity_old: 3, complexity_new: 4 }),
        claims: {
          previous_requirement: 'Remove repeated words from a list, keeping the first occurrence.',
          new_requirement:
            'Remove repeated words from a list, keeping the first occurrence of each, case-insensitively.',
        },
        old_code: read('tools/text/dedupe_words.py'),
        new_code: read('head/tools/text/dedupe_words.py'),
      },
    },
    {
      name: 'math/checksum (faster)',
      input: {
        evidence: measured(0.62, 0.58, 0.66, 'improvement'),
        claims: {},
        old_code: read('tools/math/checksum.ts'),
        new_code: read('head/tools/math/checksum.ts'),
      },
    },
    {
      name: 'data/parse_settings (eval → literal_eval)',
      input: {
        evidence: point(1.08, { security_old: 1, security_new: 0 }),
        claims: { change_summary: 'Replace eval with ast.literal_eval.' },
        old_code: read('tools/data/parse_settings.py'),
        new_code: read('head/tools/data/parse_settings.py'),
      },
    },
  ];
}

/** Every cap reached: the largest prompt the judge sends. */
function largestInput(): JudgeInput {
  const line = (i: number): string =>
    `    total = total + values[${i}] * weights[${i}]  # step ${i}\n`;
  const body = Array.from({ length: 2000 }, (_, i) => line(i)).join('');
  return {
    evidence: measured(1.35, 1.28, 1.42, 'regression'),
    claims: {
      previous_requirement: 'p'.repeat(2000),
      new_requirement: 'n'.repeat(2000),
      change_summary: 's'.repeat(2000),
      feature_additions: Array.from({ length: 50 }, (_, i) => `feature ${i} ${'f'.repeat(300)}`),
    },
    old_code: `def score(values, weights):\n    total = 0\n${body}    return total\n`,
    new_code: `def score(values, weights):\n    total = 0.0\n${body.replace(/\* weights/g, '* float(weights')}    return total\n`,
  };
}

/** A verdict as a 3B model writes it: one or two sentences of reasoning. */
const REPLY = JSON.stringify({
  score: 35,
  reasoning:
    'The rewrite is 3.4 times slower with no feature or security gain to justify it; the measured interval rules out noise.',
  recommendation: 'REJECT',
  confidence: 'high',
});

/** The longest reply the schema allows: a reasoning of LIMITS.reasoningChars (the grammar's maxLength). */
const LONGEST_REPLY = JSON.stringify({
  score: 35,
  reasoning: `${'The change is slower and nothing trusted justifies it. '.repeat(8)}`.slice(
    0,
    LIMITS.reasoningChars,
  ),
  recommendation: 'REVIEW',
  confidence: 'medium',
});

interface Row {
  readonly name: string;
  readonly evaluation: Evaluation;
  readonly ms: number;
}

async function gate(host: string, model: string | undefined, title: string): Promise<void> {
  const config = parseConfig({
    inputs: {
      'ollama-host': host,
      'ollama-model': model,
      'ollama-timeout-seconds': process.env['PERF_VERDICT_OLLAMA_TIMEOUT_SECONDS'],
    },
  });
  const timeoutS = config.ollama.timeoutSeconds;
  const judge = createJudge(config.ollama, {
    log: {
      debug() {},
      info: (m) => console.log(`  log: ${m}`),
      warn: (m) => console.log(`  warn: ${m}`),
      error() {},
    },
  });
  const tools = [
    ...exampleTools(),
    { name: 'largest prompt (every cap) + longest reply', input: largestInput() },
  ];
  const rows: Row[] = [];
  const started = performance.now();
  console.log(`\n## ${title}`);
  for (const tool of tools) {
    const t0 = performance.now();
    const evaluation = await judge.evaluate(tool.input);
    rows.push({ name: tool.name, evaluation, ms: performance.now() - t0 });
  }
  const wall = performance.now() - started;
  const run = judge.run?.() ?? null;
  console.log(
    `\nmodel ${run?.model ?? '?'}@${run?.digest?.slice(0, 12) ?? '?'} (${run?.details ?? '?'}), warm-up (load) ${run?.load_ms === null || run === null ? '–' : `${(run.load_ms / 1000).toFixed(1)} s`}, num_ctx ${GENERATION.num_ctx}, num_predict ${GENERATION.num_predict}, ollama-timeout-seconds ${timeoutS}`,
  );
  console.log(
    '| tool | prompt tokens | reply tokens | judge call | inside timeout | verdict | judge |',
  );
  console.log('|---|---|---|---|---|---|---|');
  for (const r of rows) {
    const e = r.evaluation;
    const call = e.latency_ms ?? r.ms;
    console.log(
      `| ${r.name} | ${e.prompt_tokens ?? '–'} | ${e.reply_tokens ?? '–'} | ${(call / 1000).toFixed(1)} s | ${call < timeoutS * 1000 && e.judge === 'ollama' ? 'yes' : 'NO'} | ${e.recommendation} ${e.score} | ${e.judge} |`,
    );
  }
  const three = rows.slice(0, 3);
  console.log(
    `\n3-tool gate: judging took ${(three.reduce((s, r) => s + r.ms, 0) / 1000).toFixed(1)} s including the warm-up; every tool inside ${timeoutS} s: ${three.every((r) => r.evaluation.judge === 'ollama' && (r.evaluation.latency_ms ?? Infinity) < timeoutS * 1000) ? 'yes' : 'NO'}; all four calls ${(wall / 1000).toFixed(1)} s`,
  );
  console.log(
    `headline judge: ${judgePhrase(
      run,
      rows.map((r) => r.evaluation),
    )}`,
  );
}

/** Run the CPU-runner gate on the fake and, when PERF_VERDICT_OLLAMA_HOST is set, on that host. */
export async function cpuBench(options: { fake: boolean }): Promise<void> {
  if (options.fake) {
    const cpu = { promptTokensPerSecond: 100, evalTokensPerSecond: 10, loadMs: 5000 };
    // The largest prompt gets the longest reply: the worst case of both.
    const fake = await startFakeOllama({
      cpu,
      reply: (body) => ({
        kind: 'content',
        content: (body.messages[1]?.content.length ?? 0) > 5000 ? LONGEST_REPLY : REPLY,
      }),
    });
    try {
      await gate(
        fake.url,
        undefined,
        `fake CPU runner (fake Ollama: ${cpu.promptTokensPerSecond} tokens/s prompt, ${cpu.evalTokensPerSecond} tokens/s generation, ${cpu.loadMs / 1000} s load; tokens estimated at 3 chars/token)`,
      );
    } finally {
      await fake.close();
    }
  }
  const host = process.env['PERF_VERDICT_OLLAMA_HOST'];
  if (host !== undefined && host !== '') {
    await gate(host, process.env['PERF_VERDICT_OLLAMA_MODEL'], `real Ollama at ${host}`);
  }
}
