"""bench/reference/plain_loop.py: the plain-loop timer for one Python tool in one fresh process
(issue 28's reference). Nothing of perf-verdict is in it: the process imports the tool, calls its
function on one input in a plain loop -- a long warm-up, then many timed calls in CPU time
(time.process_time_ns), every result kept -- and prints ns per call on stdout.

    python3 plain_loop.py TOOL.py INPUT.json [WARM_MS] [TIMED_MS] [ENTRY]

The function is ENTRY, or the last top-level `def`; an object input is passed as keywords.
"""
import ast
import importlib.util
import json
import sys
import time


def load(path, entry):
    spec = importlib.util.spec_from_file_location("tool", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    if not entry:
        with open(path, encoding="utf8") as handle:
            defs = [n.name for n in ast.parse(handle.read()).body if isinstance(n, ast.FunctionDef)]
        entry = defs[-1]
    return getattr(module, entry)


def main():
    path, input_path = sys.argv[1], sys.argv[2]
    warm_ms = float(sys.argv[3]) if len(sys.argv) > 3 else 1500
    timed_ms = float(sys.argv[4]) if len(sys.argv) > 4 else 600
    fn = load(path, sys.argv[5] if len(sys.argv) > 5 else "")
    with open(input_path, encoding="utf8") as handle:
        data = json.load(handle)
    call = (lambda: fn(**data)) if isinstance(data, dict) else (lambda: fn(data))
    sink = []
    keep = sink.append
    warm_start = time.process_time_ns()
    calls = 0
    batch = 1
    while time.process_time_ns() - warm_start < warm_ms * 1e6:
        for _ in range(batch):
            keep(call())
        sink.clear()
        calls += batch
        batch = min(batch * 2, 10000)
    per_call = (time.process_time_ns() - warm_start) / calls
    n = max(100, round(timed_ms * 1e6 / per_call))
    start = time.process_time_ns()
    for _ in range(n):
        keep(call())
    elapsed = time.process_time_ns() - start
    print(json.dumps({"ns": elapsed / n, "calls": n, "warm_calls": calls, "kept": len(sink)}))


main()
