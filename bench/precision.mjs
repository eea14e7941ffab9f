#!/usr/bin/env node
// bench/precision: how often each method calls a regression, on A/A pairs and planted slowdowns,
// how long it takes, and where the engine's variance comes from.
//
//   node scripts/build.mjs /tmp/pv-dist              # a bundle outside dist/
//   node bench/precision.mjs --cli /tmp/pv-dist/cli/index.js [--trials 20] [--budget 20000]
//        [--languages python,javascript] [--workloads loop1us,loop100us,loop10ms,str,json,regex,dict,async,exec]
//        [--variants aa,3,5,10,100] [--methods ours,ours-off,guide,pyperf] [--pyperf-variants aa,5]
//        [--noisy N] [--sandbox auto|off] [--pyperf-python PATH] [--out results.json]
//        [--until HH:MM]
//
// Methods: ours = `perf-verdict compare` (the built CLI); ours-off = the same with the gate's own
// observation of its children off (PERF_VERDICT_OBSERVE=off: what observe.ts costs, its A/A interval
// beside ours'); guide = the guide's benchmark (one
// process per version, tracemalloc on for Python, best of 3 single calls, ratio > 1.2 =
// regression); pyperf = `python3 -m pyperf timeit --fast` for both versions and
// `pyperf compare_to` (regression = "slower" and significant). --noisy N runs N busy-loop
// processes for the whole run. Within a cell the methods' trials alternate (trial 1 of each
// method, then trial 2 …): methods compared share the window's load. Prints one row per cell, then the engine's variance budget per
// cell. --out is rewritten after every trial (a run stopped early keeps its rows, the open cell
// with the trials it has); --until HH:MM (local time) starts no trial after that time and prints
// the tables with what it has. Not a test: figures depend on the machine and its load (state both when quoting them).
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((acc, arg, i, all) => {
    if (arg.startsWith('--')) acc.push([arg.slice(2), all[i + 1]]);
    return acc;
  }, []),
);
const CLI = args.cli ?? new URL('../dist/cli/index.js', import.meta.url).pathname;
const TRIALS = Number(args.trials ?? 20);
const BUDGET = Number(args.budget ?? 20000);
const LANGUAGES = (args.languages ?? 'python,javascript').split(',');
const WORKLOADS = (
  args.workloads ??
  args.sizes ??
  'loop1us,loop100us,loop10ms,str,json,regex,dict,async,exec'
)
  .split(',')
  .map((w) => (/^\d/.test(w) ? `loop${w}` : w));
const VARIANTS = (args.variants ?? 'aa,3,5,10,100').split(',');
const METHODS = (args.methods ?? 'ours,guide,pyperf').split(',');
const NOISY = Number(args.noisy ?? 0);
// --sandbox auto|required|off: passed to `compare` (builds from issue 10 on).
const SANDBOX = args.sandbox === undefined ? [] : ['--sandbox', args.sandbox];
// pyperf is slow (tens of seconds per trial on a busy machine): optionally on fewer variants.
const PYPERF_VARIANTS = args['pyperf-variants']?.split(',') ?? null;
// --until HH:MM: no trial starts after that (local) time.
const UNTIL = (() => {
  if (args.until === undefined) return Infinity;
  const [h, m] = args.until.split(':').map(Number);
  const at = new Date();
  at.setHours(h, m, 0, 0);
  return at.getTime();
})();
const PYTHON = execFileSync('python3', ['-c', 'import sys; print(sys.executable)'], {
  encoding: 'utf8',
}).trim();
// pyperf comes from requirements-dev.txt: the project venv's python when there is one.
const venvPython = new URL('../.venv/bin/python', import.meta.url).pathname;
const PYPERF_PYTHON = args['pyperf-python'] ?? (existsSync(venvPython) ? venvPython : PYTHON);

// Workloads: each is a tool whose work scales with a count `n`; a planted +x % scales n. The
// counts give ≈ the named size per call on this machine (loops) or ≈ 50–200 µs (the others).
// Every function takes { scale } and returns JSON. The work's data is built at import time.
const WORK = {
  python: {
    loop1us: {
      n: 20,
      code: (n) =>
        `def work(scale):\n    total = 0\n    for i in range(${n} * scale):\n        total += i * i\n    return total\n`,
    },
    loop100us: { n: 2000, code: (n) => WORK.python.loop1us.code(n) },
    loop10ms: { n: 200000, code: (n) => WORK.python.loop1us.code(n) },
    // Tokenise and count: string slicing, lowercasing, a dict of counts (allocates per call).
    str: {
      n: 1000,
      code: (n) =>
        `WORDS = ["Alpha", "beta,", "Gamma.", "delta;", "EPSILON", "zeta!"]\nTEXT = " ".join(WORDS[i % 6] + str(i % 13) for i in range(${n}))\n\ndef work(scale):\n    counts = {}\n    for token in TEXT.split():\n        word = token.strip(".,;!").lower()\n        counts[word] = counts.get(word, 0) + 1\n    return len(counts)\n`,
    },
    json: {
      n: 60,
      code: (n) =>
        `import json\nDOC = json.dumps([{"id": i, "name": "item%d" % i, "tags": ["a", "b", str(i)], "price": i * 1.5} for i in range(${n})])\n\ndef work(scale):\n    data = json.loads(DOC)\n    return len(json.dumps(data, sort_keys=True))\n`,
    },
    regex: {
      n: 120,
      code: (n) =>
        `import re\nPATTERN = re.compile(r"(\\w+)@(\\w+)\\.com|id=(\\d+)")\nTEXT = "\\n".join("user%d@host%d.com sent id=%d ok" % (i, i % 7, i * 31) for i in range(${n}))\n\ndef work(scale):\n    return len(PATTERN.findall(TEXT))\n`,
    },
    dict: {
      n: 1500,
      code: (n) =>
        `KEYS = ["k%d" % (i * 7919 % 1000) for i in range(${n})]\n\ndef work(scale):\n    seen = set()\n    index = {}\n    for i, key in enumerate(KEYS):\n        if key not in seen:\n            seen.add(key)\n            index[key] = i\n        else:\n            index[key] += 1\n    return len(index) + len(seen & {"k1", "k7", "k900"})\n`,
    },
    // Executable mode: a whole python3 process per call (JSON on stdin, JSON on stdout).
    exec: {
      n: 150000,
      mode: 'executable',
      code: (n) =>
        `import json, sys\ndata = json.load(sys.stdin)\ntotal = 0\nfor i in range(${n} * data["scale"]):\n    total += i * i\nprint(json.dumps({"total": total}))\n`,
    },
  },
  javascript: {
    loop1us: {
      n: 40,
      code: (n) =>
        `export default function work({ scale }) {\n  let total = 0;\n  for (let i = 0; i < ${n} * scale; i++) total += Math.sqrt(i + (total % 7));\n  return total;\n}\n`,
    },
    loop100us: { n: 4000, code: (n) => WORK.javascript.loop1us.code(n) },
    loop10ms: { n: 400000, code: (n) => WORK.javascript.loop1us.code(n) },
    str: {
      n: 750,
      code: (n) =>
        `const WORDS = ['Alpha', 'beta,', 'Gamma.', 'delta;', 'EPSILON', 'zeta!'];\nconst TEXT = Array.from({ length: ${n} }, (_, i) => WORDS[i % 6] + (i % 13)).join(' ');\nexport default function work() {\n  const counts = new Map();\n  for (const token of TEXT.split(' ')) {\n    const word = token.replace(/[.,;!]/g, '').toLowerCase();\n    counts.set(word, (counts.get(word) ?? 0) + 1);\n  }\n  return counts.size;\n}\n`,
    },
    json: {
      n: 150,
      code: (n) =>
        `const DOC = JSON.stringify(Array.from({ length: ${n} }, (_, i) => ({ id: i, name: 'item' + i, tags: ['a', 'b', String(i)], price: i * 1.5 })));\nexport default function work() {\n  return JSON.stringify(JSON.parse(DOC)).length;\n}\n`,
    },
    regex: {
      n: 400,
      code: (n) =>
        `const TEXT = Array.from({ length: ${n} }, (_, i) => 'user' + i + '@host' + (i % 7) + '.com sent id=' + i * 31 + ' ok').join('\\n');\nexport default function work() {\n  return [...TEXT.matchAll(/(\\w+)@(\\w+)\\.com|id=(\\d+)/g)].length;\n}\n`,
    },
    // Async: a chain of awaited steps, each doing a little work.
    async: {
      n: 1500,
      code: (n) =>
        `async function step(i) {\n  let x = 0;\n  for (let j = 0; j < 20; j++) x += (i * j) % 7;\n  return x;\n}\nexport default async function work() {\n  let total = 0;\n  for (let i = 0; i < ${n}; i++) total += await step(i);\n  return total;\n}\n`,
    },
  },
};
const PLANTED_LABEL = (variant) => (variant === 'aa' ? 'A/A' : `+${variant}%`);

const work = mkdtempSync(join(tmpdir(), 'pv-precision-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));

function ours(language, oldCode, newCode, mode, env = {}) {
  const started = Date.now();
  const run = spawnSync(process.execPath, [CLI, 'compare', ...SANDBOX], {
    env: { ...process.env, ...env },
    input: JSON.stringify({
      old_code: oldCode,
      new_code: newCode,
      test_input: { scale: 1 },
      language,
      mode,
      budget_ms: BUDGET,
    }),
    encoding: 'utf8',
    timeout: BUDGET + 60_000,
  });
  let json;
  try {
    json = JSON.parse(run.stdout);
  } catch {
    json = undefined;
  }
  const error = json === undefined ? { kind: 'no output' } : (json.old?.error ?? json.new?.error);
  // A failed comparison is a row of its own (counted in the table), not the end of the run.
  if (error !== undefined) {
    console.error(`# ${language} compare failed: ${JSON.stringify(error).slice(0, 300)}`);
    return { regression: false, failed: true, wall: Date.now() - started, ratio: NaN, width: NaN };
  }
  const t = json.time;
  return {
    regression: t.change === 'regression',
    // "no slowdown worth reviewing": the interval's top at most the negligible-slowdown edge.
    noSlowdown: t.ci_high <= 1.05,
    width: t.ci_high - t.ci_low,
    halfWidth: t.ci_high < 1e300 ? (t.ci_high - t.ci_low) / 2 / t.ratio : NaN,
    change: t.change,
    ci: [t.ci_low, t.ci_high],
    pairRatios: t.pair_ratios ?? [],
    ratio: t.ratio,
    pairs: t.pairs,
    wall: Date.now() - started,
    nsPerCall: json.old.ns_per_call,
    cold: json.cold?.ratio ?? NaN,
    d: json.diagnostics,
  };
}

const GUIDE_PY = `import json, sys, time, tracemalloc
code = open(sys.argv[1]).read()
ns = {}
exec(code, ns)
fn = ns["work"]
best = None
for _ in range(3):
    tracemalloc.start()
    start = time.perf_counter()
    fn(scale=1)
    elapsed = (time.perf_counter() - start) * 1000
    tracemalloc.stop()
    best = elapsed if best is None else min(best, elapsed)
print(best)
`;
const GUIDE_JS = `const mod = await import(process.argv[2]);
let best = Infinity;
for (let i = 0; i < 3; i++) {
  const start = performance.now();
  await mod.default({ scale: 1 });
  best = Math.min(best, performance.now() - start);
}
console.log(best);
`;
writeFileSync(join(work, 'guide.py'), GUIDE_PY);
writeFileSync(join(work, 'guide.mjs'), GUIDE_JS);

let fileCount = 0;
function toolFile(language, text) {
  const file = join(work, `tool${fileCount++}.${language === 'python' ? 'py' : 'mjs'}`);
  writeFileSync(file, text);
  return file;
}

/** ours with the gate's own observation of its children off (PERF_VERDICT_OBSERVE=off): its cost. */
function oursOff(language, oldCode, newCode, mode) {
  return ours(language, oldCode, newCode, mode, { PERF_VERDICT_OBSERVE: 'off' });
}

function guide(language, oldCode, newCode, mode) {
  const started = Date.now();
  const time = (text) => {
    const file = toolFile(language, text);
    if (mode === 'executable') {
      // The guide on a script tool: best of 3 whole runs.
      let best = Infinity;
      for (let i = 0; i < 3; i++) {
        const t0 = performance.now();
        execFileSync(PYTHON, [file], {
          input: '{"scale": 1}',
          stdio: ['pipe', 'ignore', 'ignore'],
        });
        best = Math.min(best, performance.now() - t0);
      }
      return best;
    }
    const out =
      language === 'python'
        ? execFileSync(PYTHON, [join(work, 'guide.py'), file], { encoding: 'utf8' })
        : execFileSync(process.execPath, [join(work, 'guide.mjs'), file], { encoding: 'utf8' });
    return Number(out.trim());
  };
  const ratio = time(newCode) / time(oldCode);
  return { regression: ratio > 1.2, width: NaN, ratio, wall: Date.now() - started };
}

function pyperf(language, oldCode, newCode, mode) {
  if (language !== 'python' || mode === 'executable') return undefined;
  const started = Date.now();
  const result = (text, name) => {
    const file = toolFile(language, text);
    const out = join(work, `${name}-${fileCount}.json`);
    execFileSync(
      PYPERF_PYTHON,
      [
        '-m',
        'pyperf',
        'timeit',
        '--fast',
        '-q',
        '-o',
        out,
        '-s',
        `exec(open(${JSON.stringify(file)}).read(), globals())`,
        'work(scale=1)',
      ],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
    );
    return out;
  };
  const a = result(oldCode, 'old');
  const b = result(newCode, 'new');
  const text = execFileSync(PYPERF_PYTHON, ['-m', 'pyperf', 'compare_to', a, b], {
    encoding: 'utf8',
  });
  const significant = !/Not significant/i.test(text);
  const ratioMatch = /([\d.]+)x (slower|faster)/.exec(text);
  const ratio = ratioMatch
    ? ratioMatch[2] === 'slower'
      ? Number(ratioMatch[1])
      : 1 / Number(ratioMatch[1])
    : 1;
  return {
    regression: significant && /slower/.test(text),
    width: NaN,
    ratio,
    wall: Date.now() - started,
  };
}

const median = (xs) => {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const pct = (x) => `${(100 * x).toFixed(0)}%`.padStart(5);
/**
 * Ours with the gate's observation on over off, trial by trial (the two ran back to back in each
 * trial, under one load): the median of the per-trial ratios of `key` and its 95 % bootstrap
 * interval (2,000 resamples of the trials, a fixed seed).
 */
function pairedRatio(on, off, key) {
  const ratios = [];
  for (let t = 0; t < Math.min(on.length, off.length); t++) {
    const r = key(on[t]) / key(off[t]);
    if (Number.isFinite(r) && r > 0) ratios.push(r);
  }
  if (ratios.length === 0) return { median: NaN, low: NaN, high: NaN, n: 0 };
  let seed = 12345;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const medians = [];
  for (let b = 0; b < 2000; b++)
    medians.push(median(ratios.map(() => ratios[Math.floor(next() * ratios.length)])));
  medians.sort((a, b) => a - b);
  return { median: median(ratios), low: medians[49], high: medians[1949], n: ratios.length };
}
const fmt = (x, digits = 3) => (Number.isFinite(x) ? x.toFixed(digits) : '-');

// Busy neighbours for the whole run: N processes spinning on a CPU.
const neighbours = [];
for (let i = 0; i < NOISY; i++)
  neighbours.push(spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }));
process.on('exit', () => {
  for (const child of neighbours) child.kill('SIGKILL');
});
for (const signal of ['SIGINT', 'SIGTERM'])
  process.on(signal, () => {
    process.exit(130);
  });

const rows = [];
console.log(
  `# perf-verdict bench/precision  trials=${TRIALS} budget=${BUDGET}ms noisy=${NOISY}  ${new Date().toISOString()}`,
);
console.log(
  `# machine: ${process.arch}, /proc/loadavg at start: ${readFileSync('/proc/loadavg', 'utf8').trim()}`,
);
console.log(
  `${'method'.padEnd(8)} ${'lang'.padEnd(6)} ${'workload'.padEnd(9)} ${'planted'.padEnd(7)} ${'n'.padStart(3)} ${'regress'.padStart(7)} ${'no-slow'.padStart(7)} ${'med ratio'.padStart(9)} ${'med hw%'.padStart(7)} ${'med wall'.padStart(8)} ${'pairs'.padStart(5)} ${'wall/pr'.padStart(7)} ${'pair ms'.padStart(7)} ${'ns/call'.padStart(9)} ${'cold r'.padStart(6)} ${'load'.padStart(5)} ${'trial load'.padStart(9)}`,
);
for (const language of LANGUAGES)
  for (const workload of WORKLOADS) {
    const spec = WORK[language]?.[workload];
    if (spec === undefined) continue;
    const mode = spec.mode ?? 'function';
    for (const variant of VARIANTS) {
      const n = spec.n;
      const planted = variant === 'aa' ? 0 : Number(variant) / 100;
      const slowN = variant === 'aa' ? n : Math.round(n * (1 + planted));
      const comment = language === 'python' ? '#' : '//';
      // The methods' trials alternate (trial t of every method, then t + 1): methods compared in
      // the same window see the same load, not one method's early quiet and another's late rush.
      const methods = METHODS.filter(
        (method) =>
          !(method === 'pyperf' && PYPERF_VARIANTS !== null && !PYPERF_VARIANTS.includes(variant)),
      );
      const results = new Map(methods.map((method) => [method, []]));
      const cellRow = (method) => {
        const rs = results.get(method);
        return {
          method,
          language,
          workload,
          variant: PLANTED_LABEL(variant),
          work_ratio: slowN / n,
          trials: rs.length,
          regression_rate: rs.filter((r) => r.regression).length / rs.length,
          failed: rs.filter((r) => r.failed).length,
          no_slowdown_rate: method.startsWith('ours')
            ? rs.filter((r) => r.noSlowdown).length / rs.length
            : NaN,
          median_ratio: median(rs.map((r) => r.ratio)),
          median_ci_width: median(rs.map((r) => r.width)),
          median_half_width_pct: 100 * median(rs.map((r) => r.halfWidth ?? NaN)),
          median_wall_s: median(rs.map((r) => r.wall)) / 1000,
          median_pairs: median(rs.map((r) => r.pairs ?? NaN)),
          // A compare's wall time over its pairs, and the engine's own median pair (boot, warm-up
          // and rounds: diagnostics.pair_ms), ms.
          median_wall_per_pair_ms: median(rs.map((r) => r.wall / (r.pairs ?? NaN))),
          median_pair_ms: median(rs.map((r) => r.d?.pair_ms ?? NaN)),
          ns_per_call: median(rs.map((r) => r.nsPerCall ?? NaN)),
          median_cold_ratio: median(rs.map((r) => r.cold ?? NaN)),
          load1: loadavg()[0],
          // The 1-minute load when each trial ended, min/median/max.
          trial_load1: [
            Math.min(...rs.map((r) => r.load1)),
            median(rs.map((r) => r.load1)),
            Math.max(...rs.map((r) => r.load1)),
          ],
          diagnostics: rs.map((r) => r.d).filter((d) => d !== undefined),
          trial_results: rs.map(({ d: _d, ...rest }) => rest),
        };
      };
      const open = new Set(methods);
      for (let t = 0; t < TRIALS && Date.now() < UNTIL && open.size > 0; t++) {
        const oldCode = `${comment} old ${t}\n${spec.code(n)}`;
        const newCode = `${comment} new ${t}: ${variant === 'aa' ? 'same work, different text' : `+${variant}%`}\n${spec.code(slowN)}`;
        for (const method of methods) {
          if (!open.has(method)) continue;
          const fn = { ours, 'ours-off': oursOff, guide, pyperf }[method];
          const r = fn(language, oldCode, newCode, mode);
          if (r === undefined) {
            open.delete(method);
            continue;
          }
          results.get(method).push({ ...r, load1: loadavg()[0] });
          if (args.out)
            writeFileSync(
              args.out,
              JSON.stringify(
                [...rows, ...methods.map(cellRow).filter((c) => c.trials > 0)],
                null,
                2,
              ),
            );
        }
      }
      for (const method of methods) {
        if (results.get(method).length === 0) continue;
        const loadNow = loadavg()[0];
        const row = cellRow(method);
        rows.push(row);
        const [lmin, , lmax] = row.trial_load1;
        console.log(
          `${method.padEnd(8)} ${language.slice(0, 6).padEnd(6)} ${workload.padEnd(9)} ${row.variant.padEnd(7)} ${String(row.trials).padStart(3)} ${pct(row.regression_rate).padStart(7)} ${(Number.isFinite(row.no_slowdown_rate) ? pct(row.no_slowdown_rate) : '-').padStart(7)} ${fmt(row.median_ratio).padStart(9)} ${fmt(row.median_half_width_pct, 2).padStart(7)} ${fmt(row.median_wall_s, 1).padStart(8)} ${fmt(row.median_pairs, 0).padStart(5)} ${fmt(row.median_wall_per_pair_ms, 0).padStart(7)} ${fmt(row.median_pair_ms, 0).padStart(7)} ${fmt(row.ns_per_call, 0).padStart(9)} ${fmt(row.median_cold_ratio, 2).padStart(6)} ${loadNow.toFixed(1).padStart(5)} ${`${lmin.toFixed(1)}-${lmax.toFixed(1)}`.padStart(9)}${row.failed > 0 ? ` failed=${row.failed}` : ''}`,
        );
      }
      const [on, off] = ['ours', 'ours-off'].map((m) => results.get(m) ?? []);
      if (on.length > 0 && off.length > 0) {
        const show = (what, key) => {
          const r = pairedRatio(on, off, key);
          return `${what} ×${fmt(r.median)} [${fmt(r.low)}, ${fmt(r.high)}]`;
        };
        console.log(
          `#   ours / ours-off, trial by trial (${Math.min(on.length, off.length)} trials, median [95 % bootstrap]): ${show('wall', (r) => r.wall)}, ${show('wall per pair', (r) => r.wall / r.pairs)}, ${show('pair ms', (r) => r.d?.pair_ms)}, ${show('half-width', (r) => r.halfWidth)}`,
        );
      }
    }
  }
console.log(
  '# regress = share of trials called a regression (false alarm on A/A, detection on +x%); no-slow = interval top <= 1.05 ("no slowdown worth reviewing"); hw% = half-width / ratio; wall/pr = median wall per compare over its pairs, ms; pair ms = median of the engine\'s pair cost (boot + warm-up + rounds, diagnostics.pair_ms); cold r = median first-call ratio new/old; load = 1-minute load at the cell\'s end, trial load = its range over the trials.',
);
console.log(`# /proc/loadavg at end: ${readFileSync('/proc/loadavg', 'utf8').trim()}`);

// The variance budget per cell (ours): medians over trials.
const budgetRows = rows.filter((r) => r.method === 'ours' && r.diagnostics.length > 0);
if (budgetRows.length > 0) {
  console.log('\n# variance budget (ours; medians over trials; sd of log ratios, costs in ms)');
  console.log(
    `${'lang'.padEnd(6)} ${'workload'.padEnd(9)} ${'planted'.padEnd(7)} ${'timer'.padEnd(13)} ${'sample'.padStart(7)} ${'round'.padStart(7)} ${'pair'.padStart(7)} ${'person.'.padStart(7)} ${'rounds'.padStart(6)} ${'smpl ms'.padStart(7)} ${'boot'.padStart(6)} ${'warm'.padStart(6)} ${'pair ms'.padStart(7)} ${'stopped'.padEnd(20)} busy`,
  );
  for (const r of budgetRows) {
    const m = (key) => median(r.diagnostics.map((d) => d[key]));
    const count = (key) => {
      const c = {};
      for (const d of r.diagnostics) c[d[key]] = (c[d[key]] ?? 0) + 1;
      return Object.entries(c)
        .map(([k, v]) => `${k}:${v}`)
        .join(',');
    };
    console.log(
      `${r.language.slice(0, 6).padEnd(6)} ${r.workload.padEnd(9)} ${r.variant.padEnd(7)} ${count('timer').padEnd(13)} ${fmt(m('sample_sd'), 4).padStart(7)} ${fmt(m('round_sd'), 4).padStart(7)} ${fmt(m('pair_sd'), 4).padStart(7)} ${fmt(m('personality_sd'), 4).padStart(7)} ${fmt(m('rounds_per_pair'), 0).padStart(6)} ${fmt(m('sample_ms'), 1).padStart(7)} ${fmt(m('boot_ms'), 0).padStart(6)} ${fmt(m('warmup_ms'), 0).padStart(6)} ${fmt(m('pair_ms'), 0).padStart(7)} ${count('stopped').padEnd(20)} ${r.diagnostics.filter((d) => d.busy).length}/${r.diagnostics.length}`,
    );
  }
}
if (args.out) writeFileSync(args.out, JSON.stringify(rows, null, 2));
// The busy neighbours would keep this process (and the machine) busy forever.
for (const child of neighbours) child.kill('SIGKILL');
