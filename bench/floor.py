"""bench/floor.py: the measurement floor of this machine, with nothing of the engine in the way.

    python3 bench/floor.py [--lang python|js] [--variant aa|5|...] [--pairs 8] [--rounds 30]
                           [--pin none|same|split] [--aslr on|off] [--seed N]

A fresh pair of persistent processes (one per version) per pair; calibrated ~2 ms samples; 15
warm-up samples each; rounds A B B A / B A A B (coin per round); CPU time (process_time_ns /
process.cpuUsage); the pair's estimate is the median of its round log ratios. Placement:
--pin same puts both children on CPU 0 (sched_setaffinity), split one per CPU, none leaves it to
the scheduler; --aslr off starts them with personality(ADDR_NO_RANDOMIZE). Prints one JSON line:
the pairs' ratios, their sd (pair_sd), the median within-pair sd of rounds (round_sd) and of
samples (sample_sd), and the seconds spent. Work: a 100 µs integer loop (2000 iterations in
Python, 4000 in JS), the new version scaled by the variant.
"""
import argparse, ctypes, json, math, os, random, statistics, subprocess, sys, tempfile, time

ADDR_NO_RANDOMIZE = 0x0040000
PY_TOOL = "def work(scale):\n    total = 0\n    for i in range(%d * scale):\n        total += i * i\n    return total\n"
JS_TOOL = ("export default function work({ scale }) {\n  let total = 0;\n"
           "  for (let i = 0; i < %d * scale; i++) total += Math.sqrt(i + (total %% 7));\n  return total;\n}\n")
PY_CHILD = r'''
import gc, sys, time
ns = {}
exec(open(sys.argv[1]).read(), ns)
fn = ns["work"]
gc.collect(); gc.freeze()
for line in sys.stdin:
    n = int(line)
    gc.collect(0)
    c0 = time.process_time_ns(); t0 = time.perf_counter_ns()
    for _ in range(n): fn(scale=1)
    t1 = time.perf_counter_ns(); c1 = time.process_time_ns()
    sys.stdout.write("%d %d\n" % (t1 - t0, c1 - c0)); sys.stdout.flush()
'''
JS_CHILD = r'''
const fn = (await import(process.argv[1])).default;
const rl = (await import('node:readline')).createInterface({ input: process.stdin });
for await (const line of rl) {
  const n = Number(line);
  globalThis.gc?.({ type: 'minor' });
  const c0 = process.cpuUsage(); const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) fn({ scale: 1 });
  const t1 = process.hrtime.bigint(); const c = process.cpuUsage(c0);
  process.stdout.write(`${Number(t1 - t0)} ${(c.user + c.system) * 1000}\n`);
}
'''
LIBC = ctypes.CDLL(None)


def spawn(lang, path, cpu, aslr):
    def place():
        if cpu is not None:
            os.sched_setaffinity(0, {cpu})
        if aslr == "off":
            LIBC.personality(ADDR_NO_RANDOMIZE)
    if lang == "python":
        cmd = [sys.executable, "-c", PY_CHILD, path]
    else:
        cmd = ["node", "--expose-gc", "--input-type=module", "-e", JS_CHILD, path]
    return subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                            bufsize=1, preexec_fn=place)


def sample(proc, n):
    proc.stdin.write("%d\n" % n)
    proc.stdin.flush()
    wall, cpu = proc.stdout.readline().split()
    return int(cpu) / n


def pair(o, paths, rng):
    cpus = {"none": (None, None), "same": (0, 0), "split": (0, 1)}[o.pin]
    start = time.time()
    procs = [spawn(o.lang, path, cpu, o.aslr) for path, cpu in zip(paths, cpus)]
    n = 1
    while sample(procs[0], n) * n < 2e6:
        n *= 2
    for proc in procs:
        for _ in range(15):
            sample(proc, n)
    ratios, repeats = [], []
    for _ in range(o.rounds):
        order = [0, 1, 1, 0] if rng.random() < 0.5 else [1, 0, 0, 1]
        got = {0: [], 1: []}
        for which in order:
            got[which].append(sample(procs[which], n))
        ratios.append(math.log(sum(got[1]) / sum(got[0])))
        repeats += [math.log(got[0][1] / got[0][0]), math.log(got[1][1] / got[1][0])]
    for proc in procs:
        proc.stdin.close()
        proc.wait()
    sample_sd = math.sqrt(sum(x * x for x in repeats) / len(repeats) / 2)
    return statistics.median(ratios), statistics.stdev(ratios), sample_sd, time.time() - start


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--lang", default="python", choices=["python", "js"])
    ap.add_argument("--variant", default="aa")
    ap.add_argument("--pairs", type=int, default=8)
    ap.add_argument("--rounds", type=int, default=30)
    ap.add_argument("--pin", default="same", choices=["none", "same", "split"])
    ap.add_argument("--aslr", default="off", choices=["on", "off"])
    ap.add_argument("--seed", type=int, default=None)
    o = ap.parse_args()
    rng = random.Random(o.seed)
    base = 2000 if o.lang == "python" else 4000
    slow = base if o.variant == "aa" else round(base * (1 + float(o.variant) / 100))
    template, ext = (PY_TOOL, ".py") if o.lang == "python" else (JS_TOOL, ".mjs")
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for name, count in (("old", base), ("new", slow)):
            paths.append(os.path.join(tmp, name + ext))
            with open(paths[-1], "w") as handle:
                handle.write(("# " if ext == ".py" else "// ") + name + "\n" + template % count)
        results = [pair(o, paths, rng) for _ in range(o.pairs)]
    medians = [r[0] for r in results]
    print(json.dumps({
        "lang": o.lang, "variant": o.variant, "pin": o.pin, "aslr": o.aslr,
        "ratio": round(math.exp(statistics.mean(medians)), 4),
        "pairs": [round(math.exp(m), 4) for m in medians],
        "pair_sd": round(statistics.stdev(medians), 4) if len(medians) > 1 else None,
        "round_sd": round(statistics.median(r[1] for r in results), 4),
        "sample_sd": round(statistics.median(r[2] for r in results), 4),
        "seconds": round(sum(r[3] for r in results), 1),
        "load": open("/proc/loadavg").read().split()[0],
    }))


if __name__ == "__main__":
    main()
