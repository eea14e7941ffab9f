/**
 * bench/observe-cost (issue 23): what the gate's own figures of its children (src/measure/
 * observe.ts) cost per pair, counted and timed in the gate itself, so that the figure does not
 * hang on the machine's load the way a `compare`'s wall time does.
 *
 * Per fresh process pair the gate does, with `observe` on and nothing else differently (no extra
 * request, sample or process: the `run`, `check`, `mem` and `events` requests are the same with
 * it off):
 * - at each child's greeting (`HarnessChild.observe`): the walk from the started process to the
 *   harness (`/proc/<pid>/task/<pid>/children` per link) and the harness's `/proc/<pid>/status`;
 * - before and after the pair's rounds (`readings`): each harness's `/proc/<pid>/stat`, its
 *   `task/` directory and every thread's `schedstat`, and the gate's own `/proc/self/schedstat`;
 * - in the first pair only, after the memory pass: each harness's `/proc/<pid>/status`.
 *
 * Here: one real harness child per language (the sandbox and placement `compare` uses), idle as
 * it is between requests, and each step repeated `--iterations` times: the /proc reads it makes
 * (fs calls counted), the gate's CPU time (user + system, process.cpuUsage: what preemption does
 * not stretch) and its wall time per pair. `readings` is timed both as it is now (one pass per
 * harness, the gate's schedstat once per moment) and as it was before (each harness's main
 * thread and the gate's schedstat read again per harness).
 *
 * Beside them, for scale, the round trip of one `check` request in the warm child: the second call
 * of each fresh process (state carried across calls), a gate-side check the knob does not turn off.
 *
 * Run: `node bench/observe-cost.mjs [--iterations 500] [--languages python,javascript]`. Prints
 * the 1-minute load average beside the figures.
 */
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { loadavg } from 'node:os';
import type { Language, ToolVersion } from '../src/domain/types.js';
import { cleanup } from '../src/measure/launch.js';
import { processCpuNs, readings, residentKb, scheduled } from '../src/measure/observe.js';
import { placementHere, placementPrefix } from '../src/measure/placement.js';
import { boot, checkCall, Deadline, newSides } from '../src/measure/protocol.js';
import { DEFAULT_TUNING } from '../src/measure/tuning.js';

const args = process.argv.slice(2);
const option = (name: string, fallback: string): string => {
  const at = args.indexOf(`--${name}`);
  return at === -1 ? fallback : args[at + 1]!;
};
const ITERATIONS = Number(option('iterations', '500'));
const LANGUAGES = option('languages', 'python,javascript').split(',') as Language[];
const load = (): string => loadavg()[0]!.toFixed(2);

/** bench/precision's loop100us tools. */
const CODE: Record<string, string> = {
  python:
    'def work(scale):\n    total = 0\n    for i in range(2000 * scale):\n        total += i * i\n    return total\n',
  javascript:
    'export default function work({ scale }) {\n  let total = 0;\n  for (let i = 0; i < 4000 * scale; i++) total += i * i;\n  return total;\n}\n',
};

// Count the /proc reads observe.ts makes: its fs calls, through the builtin's ESM exports.
const counted = { files: 0, dirs: 0 };
const { readFileSync, readdirSync } = fs;
(fs as { readFileSync: unknown }).readFileSync = (...a: Parameters<typeof readFileSync>) => {
  counted.files++;
  return readFileSync(...a);
};
(fs as { readdirSync: unknown }).readdirSync = (...a: Parameters<typeof readdirSync>) => {
  counted.dirs++;
  return readdirSync(...a);
};
syncBuiltinESMExports();

interface Cost {
  readonly reads: number;
  readonly cpuUs: number;
  readonly wallUs: number;
}

/** One step repeated: reads, gate CPU µs and wall µs per repetition. */
function cost(step: () => unknown): Cost {
  step(); // first call: the JIT, not the reads
  const [files, dirs] = [counted.files, counted.dirs];
  const cpu = process.cpuUsage();
  const start = performance.now();
  for (let i = 0; i < ITERATIONS; i++) step();
  const wallUs = ((performance.now() - start) * 1000) / ITERATIONS;
  const used = process.cpuUsage(cpu);
  return {
    reads: (counted.files - files + counted.dirs - dirs) / ITERATIONS,
    cpuUs: (used.user + used.system) / ITERATIONS,
    wallUs,
  };
}

/** Before this change: each harness's main thread and the gate's schedstat read per harness. */
function readingsBefore(pid: number | null): unknown {
  return { cpu: processCpuNs(pid), harness: scheduled(pid), gate: scheduled('self') };
}

const sum = (...cs: readonly Cost[]): Cost => ({
  reads: cs.reduce((t, c) => t + c.reads, 0),
  cpuUs: cs.reduce((t, c) => t + c.cpuUs, 0),
  wallUs: cs.reduce((t, c) => t + c.wallUs, 0),
});
const times = (c: Cost, k: number): Cost => ({
  reads: c.reads * k,
  cpuUs: c.cpuUs * k,
  wallUs: c.wallUs * k,
});
const row = (what: string, c: Cost): string =>
  `| ${what} | ${c.reads.toFixed(1)} | ${c.cpuUs.toFixed(0)} | ${c.wallUs.toFixed(0)} |`;

async function main(): Promise<void> {
  console.log(`# bench/observe-cost  iterations=${ITERATIONS}  load at start ${load()}`);
  const prefix = placementPrefix(placementHere(DEFAULT_TUNING), 0);
  for (const language of LANGUAGES) {
    const version: ToolVersion = {
      code: CODE[language]!,
      language,
      mode: 'function',
      testInput: { scale: 1 },
    };
    const tuning = { ...DEFAULT_TUNING, observe: false };
    const [side] = await newSides([['old', version]], { tuning });
    const deadline = new Deadline(Date.now() + 60_000);
    const child = await boot(side!, deadline, prefix);
    if (child === undefined) throw new Error(`${language}: the harness did not start`);
    try {
      child.observe();
      const pid = child.harnessPid;
      const threads = pid === null ? 0 : readdirSync(`/proc/${pid}/task`).length;
      const greeting = cost(() => child.observe());
      const now = cost(() => readings([pid, pid]));
      const before = cost(() => [readingsBefore(pid), readingsBefore(pid)]);
      const memory = cost(() => residentKb(pid));
      // Per pair: two greetings, two moments of two harnesses; the memory reads in one pair only.
      const pairNow = sum(times(greeting, 2), times(now, 2));
      const pairBefore = sum(times(greeting, 2), times(before, 2));
      console.log(
        `\n## ${language} (${side!.runtime ?? '?'}; sandbox ${child.sandbox.kind}; harness pid ${String(pid)}, ${threads} threads; load ${load()})`,
      );
      console.log('| step | /proc reads | gate CPU µs | gate wall µs |\n|---|---|---|---|');
      console.log(row('one child greeting (find the harness, its resident set)', greeting));
      console.log(row('both harnesses at one moment (readings), now', now));
      console.log(row('both harnesses at one moment, before', before));
      console.log(row("one harness's resident set after the memory pass", memory));
      console.log(row('**per pair, now**', pairNow));
      console.log(row('per pair, before', pairBefore));
      // Not behind the knob: the second call in each fresh process (state across calls), one
      // `check` request per child per pair, as its round trip in this warm child.
      const checks: number[] = [];
      for (let i = 0; i < Math.min(ITERATIONS, 100); i++) {
        const start = performance.now();
        await checkCall(side!, child, deadline);
        checks.push((performance.now() - start) * 1000);
      }
      checks.sort((a, b) => a - b);
      console.log(
        `\nthe second call of a fresh process (a \`check\` request), round trip: median ${checks[checks.length >> 1]!.toFixed(0)} µs over ${checks.length}; two per pair`,
      );
    } finally {
      child.close();
      cleanup(side!.prepared);
    }
  }
  console.log(`\n# load at end ${load()}`);
}

export { main };
