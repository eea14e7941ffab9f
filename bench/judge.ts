/**
 * bench/judge: the labelled scenarios through the rules judge, and through a real Ollama when
 * PERF_VERDICT_OLLAMA_HOST is set (model: PERF_VERDICT_OLLAMA_MODEL, default qwen2.5-coder:3b;
 * timeout: PERF_VERDICT_OLLAMA_TIMEOUT_SECONDS, default 60). Prints agreement with the labels
 * and the mean latency per judgement. Run: `node bench/judge-run.mjs`.
 *
 * `node bench/judge-run.mjs --fake-cpu`: instead, one 3-tool gate through the Ollama judge on a
 * fake Ollama slowed to CPU-runner speed, with per-tool prompt tokens and latency (judge-cpu.ts);
 * with PERF_VERDICT_OLLAMA_HOST set, the same gate on the real host too.
 */
import { parseConfig } from '../src/config/config.js';
import { clampToBand, recommend } from '../src/verdict/policy.js';
import type { Judge } from '../src/domain/ports.js';
import type { Evaluation } from '../src/domain/types.js';
import { assess, createJudge, rulesJudge } from '../src/judge/index.js';
import { cpuBench } from './judge-cpu.js';
import { SCENARIOS } from './judge-scenarios.js';

interface Row {
  readonly name: string;
  readonly label: string;
  readonly got: Evaluation;
  readonly ms: number;
}

async function runAll(judge: Judge, repeat: number): Promise<Row[]> {
  const rows: Row[] = [];
  for (const scenario of SCENARIOS) {
    let got: Evaluation | undefined;
    const start = performance.now();
    for (let i = 0; i < repeat; i++) got = await judge.evaluate(scenario.input);
    const ms = (performance.now() - start) / repeat;
    rows.push({ name: scenario.name, label: scenario.label, got: got!, ms });
  }
  return rows;
}

function report(title: string, rows: readonly Row[]): void {
  const agree = rows.filter((r) => r.got.recommendation === r.label).length;
  const fallbacks = rows.filter((r) => r.got.judge.startsWith('rules (ollama:'));
  const mean = rows.reduce((sum, r) => sum + r.ms, 0) / rows.length;
  console.log(`\n## ${title}`);
  console.log('| scenario | label | verdict | score | band | judge | ms |');
  console.log('|---|---|---|---|---|---|---|');
  for (const r of rows) {
    const mark = r.got.recommendation === r.label ? '' : ' ✗';
    console.log(
      `| ${r.name} | ${r.label} | ${r.got.recommendation}${mark} | ${r.got.score} | [${r.got.band.lo}, ${r.got.band.hi}] | ${r.got.judge} | ${r.ms.toFixed(r.ms < 1 ? 3 : 0)} |`,
    );
  }
  console.log(
    `\nagreement: ${agree}/${rows.length} (${((agree / rows.length) * 100).toFixed(0)} %), mean latency ${mean < 1 ? mean.toFixed(3) : mean.toFixed(0)} ms per judgement${fallbacks.length > 0 ? `, ${fallbacks.length} fell back to rules` : ''}`,
  );
}

if (process.argv.includes('--fake-cpu')) {
  await cpuBench({ fake: true });
  process.exit(0);
}

const rules = await runAll(rulesJudge, 200);
report('rules judge', rules);

/**
 * An obedient model that always proposes `score`: what the Ollama judge does with its reply is
 * clamp it to the band (src/judge/ollama.ts), so the band decides. test/judge/scenarios.test.ts
 * runs the same through the fake Ollama server.
 */
function obedient(score: number): { name: string; label: string; score: number }[] {
  return SCENARIOS.map((s) => ({
    name: s.name,
    label: s.label,
    score: clampToBand(score, assess(s.input).band),
  }));
}
const high = obedient(100);
const low = obedient(0);
const rejectLabelled = high.filter((r) => r.label === 'REJECT');
const acceptLabelled = low.filter((r) => r.label === 'ACCEPT');
const rejectAbove30 = rejectLabelled.filter((r) => r.score > 30);
const acceptBelow80 = acceptLabelled.filter((r) => r.score < 80);
const agree = (rows: readonly { label: string; score: number }[]): number =>
  rows.filter((r) => recommend(r.score) === r.label).length;
const rulesAgree = rules.filter((r) => r.got.recommendation === r.label).length;
console.log('\n## targets');
console.log('| target | figure | goal |');
console.log('|---|---|---|');
console.log(
  `| rules judge agrees with the labels | ${rulesAgree}/${rules.length} | 100 %, ≥ 40 scenarios |`,
);
console.log(
  `| always-100 model: REJECT-labelled scenarios scored above 30 | ${rejectAbove30.length}/${rejectLabelled.length} | 0 |`,
);
console.log(
  `| always-0 model: ACCEPT-labelled scenarios pulled below 80 | ${acceptBelow80.length}/${acceptLabelled.length} | (no target) |`,
);
console.log(
  `| always-100 / always-0 model: agreement with the labels | ${agree(high)}/${high.length} / ${agree(low)}/${low.length} | (no target) |`,
);
for (const r of rejectAbove30) console.log(`  REJECT-labelled above 30: ${r.name} (${r.score})`);

const host = process.env['PERF_VERDICT_OLLAMA_HOST'];
if (host !== undefined && host !== '') {
  const config = parseConfig({
    inputs: {
      'ollama-host': host,
      'ollama-model': process.env['PERF_VERDICT_OLLAMA_MODEL'],
      'ollama-timeout-seconds': process.env['PERF_VERDICT_OLLAMA_TIMEOUT_SECONDS'],
    },
  });
  const judge = createJudge(config.ollama);
  report(`ollama judge (${config.ollama.model} at ${config.ollama.host})`, await runAll(judge, 1));
  await cpuBench({ fake: false });
} else {
  console.log('\n(ollama judge skipped: set PERF_VERDICT_OLLAMA_HOST to include it)');
}
