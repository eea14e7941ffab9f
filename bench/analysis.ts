/**
 * Speed of the static analyser, in lines per second for both languages. Wall time and CPU time
 * are both printed, with the load average: on a shared runner wall time includes waiting.
 *
 * - Python: one ~1,000-line standard-library module (smtplib.py, 1,141 lines in 3.11) analysed
 *   alone, python3 start included (target < 300 ms), and the stdlib corpus in one batch.
 * - TS: 100 TypeScript files of zod's sources (heavy type-level code, ~29k lines) in one
 *   process: first cold (one `analyzeMany`, libs parsed once), then warm, one `analyze` call each
 *   (target < 5 s for 100 files). JS: picomatch + yaml sources (syntax-only correctness).
 *
 * Usage: node bench/analysis-run.mjs
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { assetPath } from '../src/adapters/assets.js';
import { minimalEnv, runProcess } from '../src/adapters/exec.js';
import { createAnalyzer } from '../src/analyze/index.js';
import type { AnalysisInput } from '../src/analyze/index.js';
import { sourcesIn, stdlibFiles } from '../test/analyze/oracle-helpers.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const lines = (code: string): number => code.split('\n').length;
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const perSecond = (n: number, ms: number): string => `${Math.round(n / (ms / 1000))} lines/s`;

async function timed<T>(
  run: () => Promise<T>,
): Promise<{ value: T; wallMs: number; cpuMs: number }> {
  const cpu = process.cpuUsage();
  const start = performance.now();
  const value = await run();
  const used = process.cpuUsage(cpu);
  return { value, wallMs: performance.now() - start, cpuMs: (used.user + used.system) / 1000 };
}

function tsFiles(dir: string, limit: number): string[] {
  const found: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) {
        if (name !== 'tests') walk(path);
      } else if (name.endsWith('.ts') && !name.endsWith('.d.ts') && !name.includes('.test.'))
        found.push(path);
    }
  };
  walk(dir);
  return found.slice(0, limit);
}

/** One run of the Python helper as the analyser runs it; returns wall ms and the child's own CPU ms. */
async function pythonRun(codes: string[]): Promise<{ wallMs: number; cpuMs: number }> {
  const result = await runProcess({
    command: 'python3',
    args: ['-I', '-S', assetPath('analyze/python/analyzer.py')],
    env: minimalEnv(),
    input: JSON.stringify({ files: codes }),
    timeoutMs: 600_000,
    maxOutputBytes: 256 * 1024 * 1024,
  });
  const parsed = JSON.parse(result.stdout) as { cpu_ms: number };
  return { wallMs: result.durationMs, cpuMs: parsed.cpu_ms };
}

console.log(
  `load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')} on ${process.arch}, node ${process.version}`,
);

// ---- Python: one file, python3 start included
const stdlib = execFileSync(
  'python3',
  ['-c', "import sysconfig; print(sysconfig.get_paths()['stdlib'])"],
  {
    encoding: 'utf8',
  },
).trim();
const single = readFileSync(join(stdlib, 'smtplib.py'), 'utf8');
const runs: { wallMs: number; cpuMs: number }[] = [];
for (let i = 0; i < 9; i++) runs.push(await pythonRun([single]));
const wall = median(runs.map((r) => r.wallMs));
const cpu = median(runs.map((r) => r.cpuMs));
console.log(
  `python one file  : smtplib.py ${lines(single)} lines, python3 start included: wall ${wall.toFixed(0)} ms (median of 9, min ${Math.min(...runs.map((r) => r.wallMs)).toFixed(0)}), CPU ${cpu.toFixed(0)} ms = ${perSecond(lines(single), wall)} wall, ${perSecond(lines(single), cpu)} CPU  [target < 300 ms]`,
);

// ---- Python: batch over the stdlib corpus
const corpus = stdlibFiles().map((f) => readFileSync(f, 'utf8'));
const corpusLines = corpus.reduce((s, c) => s + lines(c), 0);
const batch = await pythonRun(corpus);
console.log(
  `python batch     : ${corpus.length} stdlib modules, ${corpusLines} lines in one python3: wall ${batch.wallMs.toFixed(0)} ms, CPU ${batch.cpuMs.toFixed(0)} ms = ${perSecond(corpusLines, batch.wallMs)} wall, ${perSecond(corpusLines, batch.cpuMs)} CPU`,
);

// ---- TS: 100 files in one process
const files = tsFiles(join(root, 'node_modules/zod/src/v4'), 100);
const inputs: AnalysisInput[] = files.map((f) => ({
  code: readFileSync(f, 'utf8'),
  language: 'typescript',
}));
const tsLines = inputs.reduce((s, i) => s + lines(i.code), 0);
const analyzer = createAnalyzer();
const cold = await timed(() => analyzer.analyzeMany(inputs));
const stopped = cold.value.filter((a) =>
  a.correctness.diagnostics.some((d) => d.line === 0),
).length;
console.log(
  `ts batch (cold)  : ${inputs.length} files, ${tsLines} lines, analyzeMany, libs parsed once: wall ${cold.wallMs.toFixed(0)} ms, CPU ${cold.cpuMs.toFixed(0)} ms = ${perSecond(tsLines, cold.wallMs)} wall  [target < 5 s]; type check hit the per-file budget in ${stopped} files`,
);
const oneByOne = await timed(async () => {
  for (const input of inputs) await analyzer.analyze(input.code, input.language);
});
console.log(
  `ts warm, one-by-one: ${inputs.length} files, one analyze() call each, same Project: wall ${oneByOne.wallMs.toFixed(0)} ms, CPU ${oneByOne.cpuMs.toFixed(0)} ms = ${perSecond(tsLines, oneByOne.wallMs)} wall`,
);

// ---- TS: tool-sized files (the planted and clean fixtures, 50 times each), warm
const toolSized: AnalysisInput[] = [];
for (let i = 0; i < 50; i++)
  for (const name of ['planted.ts', 'clean.ts'])
    toolSized.push({
      code: readFileSync(join(root, 'test/fixtures/analyze/ts', name), 'utf8'),
      language: 'typescript',
    });
const toolLines = toolSized.reduce((s, i) => s + lines(i.code), 0);
const tools = await timed(async () => {
  for (const input of toolSized) await analyzer.analyze(input.code, input.language);
});
console.log(
  `ts tool-sized    : ${toolSized.length} files (${toolLines} lines), one analyze() call each, warm: wall ${tools.wallMs.toFixed(0)} ms, CPU ${tools.cpuMs.toFixed(0)} ms = ${(tools.wallMs / toolSized.length).toFixed(1)} ms per file`,
);

// ---- JS: syntax-only correctness
const js: AnalysisInput[] = [
  ...sourcesIn('node_modules/picomatch/lib', '.js'),
  ...sourcesIn('node_modules/yaml/dist/compose', '.js'),
  ...sourcesIn('node_modules/yaml/dist/parse', '.js'),
  ...sourcesIn('node_modules/yaml/dist/stringify', '.js'),
].map((f) => ({ code: readFileSync(f, 'utf8'), language: 'javascript' }));
const jsLines = js.reduce((s, i) => s + lines(i.code), 0);
const jsRun = await timed(() => createAnalyzer().analyzeMany(js));
console.log(
  `js batch (cold)  : ${js.length} files, ${jsLines} lines: wall ${jsRun.wallMs.toFixed(0)} ms, CPU ${jsRun.cpuMs.toFixed(0)} ms = ${perSecond(jsLines, jsRun.wallMs)} wall`,
);
