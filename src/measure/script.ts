/**
 * The guide's `generate`: a standalone script that benchmarks one tool with plain `python3` or
 * `node` and prints the guide's metrics as JSON. The tool id, code and input are embedded as
 * JSON string literals (data), never pasted into the script's own code.
 */
import { readFileSync } from 'node:fs';
import { assetPath } from '../adapters/assets.js';
import type { ToolVersion } from '../domain/types.js';
import { runnableOf } from './launch.js';

/** A JSON string literal: valid in Python and JavaScript alike. */
const literal = (value: unknown): string => JSON.stringify(JSON.stringify(value));

const PYTHON = `#!/usr/bin/env python3
# Standalone perf-verdict benchmark (generated). Run: python3 this_file.py
import ast, asyncio, inspect, json, time, tracemalloc
from datetime import datetime, timezone

TOOL_ID = json.loads(@TOOL_ID@)
TOOL_CODE = json.loads(@TOOL_CODE@)
TEST_INPUT = json.loads(@TEST_INPUT@)
ENTRY = json.loads(@ENTRY@)


def call_tool(tool_name, prompt="", *args, **kwargs):
    return "mock response"


def load():
    tree = ast.parse(TOOL_CODE, "<tool>")
    entry = ENTRY or [n.name for n in tree.body
                      if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))][-1]
    namespace = {"__name__": "tool", "call_tool": call_tool, "execute_tool": call_tool,
                 "run_tool": call_tool}
    exec(compile(tree, "<tool>", "exec"), namespace)
    return make_call(namespace[entry], TEST_INPUT)


@MAKE_CALL@


def batch(call, n):
    start = time.perf_counter_ns()
    for _ in range(n):
        call()
    return (time.perf_counter_ns() - start) / n


def main():
    call = load()
    n = 1
    while batch(call, n) * n < 1e6 and n < 1e8:
        n *= 2
    runs = []
    for run in range(1, 4):
        for _ in range(5):
            batch(call, n)
        times = sorted(batch(call, n) for _ in range(7))
        tracemalloc.start()
        call()
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        runs.append({"execution_time_ms": times[3] / 1e6, "memory_usage_kb": round(peak / 1024, 2),
                     "test_run_number": run,
                     "timestamp": datetime.now(timezone.utc).isoformat()})
    best = min(runs, key=lambda r: r["execution_time_ms"])
    print(json.dumps({"success": True, "tool_id": TOOL_ID, "best_run": best, "all_runs": runs,
                      "calls_per_sample": n}, indent=2))


main()
`;

const NODE = `// Standalone perf-verdict benchmark (generated). Run: node this_file.mjs
const TOOL_ID = JSON.parse(@TOOL_ID@);
const TOOL_CODE = JSON.parse(@TOOL_CODE@);
const TEST_INPUT = JSON.parse(@TEST_INPUT@);
const ENTRY = JSON.parse(@ENTRY@);

for (const name of ['call_tool', 'callTool', 'execute_tool', 'run_tool'])
  globalThis[name] = async () => 'mock response';

(async () => {
  const mod = await import('data:text/javascript;base64,' + Buffer.from(TOOL_CODE).toString('base64'));
  const fn = ENTRY ? mod[ENTRY] : typeof mod.default === 'function' ? mod.default
    : Object.values(mod).find((v) => typeof v === 'function');
  const first = fn(TEST_INPUT);
  const isAsync = first && typeof first.then === 'function';
  if (isAsync) await first;
  const batch = async (n) => {
    const start = process.hrtime.bigint();
    if (isAsync) for (let i = 0; i < n; i++) await fn(TEST_INPUT);
    else for (let i = 0; i < n; i++) fn(TEST_INPUT);
    return Number(process.hrtime.bigint() - start) / n;
  };
  let n = 1;
  while ((await batch(n)) * n < 1e6 && n < 1e8) n *= 2;
  const runs = [];
  for (let run = 1; run <= 3; run++) {
    for (let i = 0; i < 5; i++) await batch(n);
    const times = [];
    for (let i = 0; i < 7; i++) times.push(await batch(n));
    times.sort((a, b) => a - b);
    const before = process.memoryUsage().heapUsed;
    const result = fn(TEST_INPUT);
    const grown = Math.max(0, process.memoryUsage().heapUsed - before);
    if (isAsync) await result;
    runs.push({ execution_time_ms: times[3] / 1e6, memory_usage_kb: Math.round(grown / 10.24) / 100,
      test_run_number: run, timestamp: new Date().toISOString() });
  }
  const best = runs.reduce((a, b) => (b.execution_time_ms < a.execution_time_ms ? b : a));
  console.log(JSON.stringify({ success: true, tool_id: TOOL_ID, best_run: best, all_runs: runs,
    calls_per_sample: n }, null, 2));
})();
`;

/**
 * The harness's `make_call` (how an input becomes the call's arguments), copied into the script
 * so that the script calls a tool exactly as the measurement does.
 */
function harnessMakeCall(): string {
  const harness = readFileSync(assetPath('measure/harness/python.py'), 'utf8');
  const start = harness.indexOf('\ndef make_call(');
  const end = harness.indexOf('\n\n\n', start);
  if (start < 0 || end < 0) throw new Error('measure/harness/python.py has no make_call');
  return harness.slice(start + 1, end);
}

/** A standalone benchmark script for one version (Python for python tools, else Node). */
export async function generateScript(version: ToolVersion, toolId: string): Promise<string> {
  const python = version.language === 'python';
  const code = (await runnableOf(version))?.code ?? version.code;
  const values: Record<string, string> = {
    '@TOOL_ID@': literal(toolId),
    '@TOOL_CODE@': literal(code),
    '@TEST_INPUT@': literal(version.testInput),
    '@ENTRY@': literal(version.entry ?? null),
    '@MAKE_CALL@': python ? harnessMakeCall() : '',
  };
  return (python ? PYTHON : NODE).replace(
    /@(TOOL_ID|TOOL_CODE|TEST_INPUT|ENTRY|MAKE_CALL)@/g,
    (m) => values[m]!,
  );
}
