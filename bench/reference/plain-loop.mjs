// bench/reference/plain-loop.mjs: the plain-loop timer for one JS/TS tool in one fresh process
// (issue 28's reference). Nothing of perf-verdict is in it: the process imports the tool, calls
// it on one input in a plain loop — a long warm-up, then many timed calls in CPU time, every
// result consumed — and prints ns per call (CPU time of the process) on stdout.
//
//   node [--no-maglev] plain-loop.mjs TOOL.mjs|TOOL.ts INPUT.json [WARM_MS] [TIMED_MS]
//
// Calls are counted by time, not by a fixed number, so that a 1 µs and a 100 µs tool both get a
// warm-up of WARM_MS (default 1500 ms, and at least 50,000 calls when that fits in 4× WARM_MS)
// and a timed loop of TIMED_MS (default 600 ms) of CPU time. A TypeScript tool is loaded by
// Node's own type stripping (Node ≥ 22.18 / 23.6), not by perf-verdict's transpiler.
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const [toolPath, inputPath, warmArg, timedArg] = process.argv.slice(2);
const warmMs = Number(warmArg ?? 1500);
const timedMs = Number(timedArg ?? 600);
const mod = await import(pathToFileURL(toolPath).href);
const fn =
  typeof mod.default === 'function'
    ? mod.default
    : Object.values(mod).find((v) => typeof v === 'function');
const input = JSON.parse(readFileSync(inputPath, 'utf8'));

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
  const first = fn(input);
  return first !== null && typeof first === 'object' && typeof first.then === 'function';
})();

async function loop(n) {
  if (isAsync) for (let i = 0; i < n; i++) consume(await fn(input));
  else for (let i = 0; i < n; i++) consume(fn(input));
}

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
const start = cpuNs();
await loop(n);
const elapsed = cpuNs() - start;
process.stdout.write(`${JSON.stringify({ ns: elapsed / n, calls: n, warm_calls: calls, sink })}\n`);
