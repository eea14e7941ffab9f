// bench/reference/plain-loop.mjs: the plain-loop timer for one JS/TS tool in one fresh process
// (issue 28's reference). Nothing of perf-verdict is in it: the process imports the tool, calls
// it on one input in a plain loop — a long warm-up, then many timed calls in CPU time, every
// result consumed — and prints ns per call (CPU time of the process) on stdout.
//
//   node [--no-maglev] plain-loop.mjs TOOL.mjs|TOOL.ts INPUT.json [WARM_MS] [TIMED_MS] [runtime|constant] [barrier]
//
// Calls are counted by time, not by a fixed number, so that a 1 µs and a 100 µs tool both get a
// warm-up of WARM_MS (default 1500 ms, and at least 50,000 calls when that fits in 4× WARM_MS)
// and a timed loop of TIMED_MS (default 600 ms) of CPU time. A TypeScript tool is loaded by
// Node's own type stripping (Node ≥ 22.18 / 23.6), not by perf-verdict's transpiler.
//
// `barrier`: after its warm-up the process prints `ready` and waits for a line on stdin before
// its timed loop, so that the two processes of a pair (bench/reference/reference.ts) start their
// timed loops together and, time-sliced on one CPU, meet the same moments of the machine.
import { readFileSync, readSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const [toolPath, inputPath, warmArg, timedArg, inputMode = 'runtime', start] =
  process.argv.slice(2);
const warmMs = Number(warmArg ?? 1500);
const timedMs = Number(timedArg ?? 600);
const mod = await import(pathToFileURL(toolPath).href);
const fn =
  typeof mod.default === 'function'
    ? mod.default
    : Object.values(mod).find((v) => typeof v === 'function');
// The input reaches the tool as a value the optimising compiler cannot know (`passed`, a binding
// assigned twice). A module binding that is never reassigned (`parsed`) is folded into optimised
// code as a constant, and a tool inlined into the loop is then compiled for that one input (its
// `text.length` a literal): code that no caller passing inputs at run time gets, and whose speed
// depended on the tool's loop count — issue 28's cause, a +5 % checksum at 100 µs read
// 1.027–1.033 (docs/measurement.md). `constant` keeps that reference, for the probe that shows it.
const parsed = JSON.parse(readFileSync(inputPath, 'utf8'));
let passed = parsed;
passed = JSON.parse(JSON.stringify(parsed));
if (inputMode !== 'runtime' && inputMode !== 'constant')
  throw new Error(`input mode: runtime or constant, not ${inputMode}`);

const cpuNs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) * 1000;
};

// Every result goes into `sink`, which is printed at the end: no call is dead code.
let sink = 0;
const consume = (result) => {
  sink = (sink + (typeof result === 'number' ? result : String(result).length)) % 1e9;
};
const isAsync = (() => {
  const first = fn(passed);
  return first !== null && typeof first === 'object' && typeof first.then === 'function';
})();

// The same loop twice, but for the binding it passes.
async function loopRuntime(n) {
  if (isAsync) for (let i = 0; i < n; i++) consume(await fn(passed));
  else for (let i = 0; i < n; i++) consume(fn(passed));
}
async function loopConstant(n) {
  if (isAsync) for (let i = 0; i < n; i++) consume(await fn(parsed));
  else for (let i = 0; i < n; i++) consume(fn(parsed));
}
const loop = inputMode === 'constant' ? loopConstant : loopRuntime;

// Warm-up, growing batches until WARM_MS of CPU has passed; the batch sizes also estimate the
// cost per call for the timed loop.
const warmStart = cpuNs();
let calls = 0;
let batch = 1;
while (
  cpuNs() - warmStart < warmMs * 1e6 ||
  (calls < 50_000 && cpuNs() - warmStart < 4 * warmMs * 1e6)
) {
  await loop(batch);
  calls += batch;
  batch = Math.min(batch * 2, 10_000);
}
const perCall = (cpuNs() - warmStart) / calls;
const n = Math.max(100, Math.round((timedMs * 1e6) / perCall));
if (start === 'barrier') {
  process.stdout.write('ready\n');
  readSync(0, Buffer.alloc(1)); // blocks until the reference says go (or closes stdin)
}
const timedStart = cpuNs();
await loop(n);
const elapsed = cpuNs() - timedStart;
process.stdout.write(`${JSON.stringify({ ns: elapsed / n, calls: n, warm_calls: calls, sink })}\n`);
