#!/usr/bin/env node
// bench/precision: how often each method calls a regression, on A/A pairs and planted slowdowns.
//
//   node scripts/build.mjs /tmp/pv-dist              # a bundle outside dist/
//   node bench/precision.mjs --cli /tmp/pv-dist/cli/index.js [--trials 20] [--budget 20000]
//        [--languages python,javascript] [--sizes 1us,100us,10ms] [--variants aa,3,5,10,100]
//        [--methods ours,guide,pyperf] [--out results.json]
//
// Methods: ours = `perf-verdict compare` (the built CLI); guide = the guide's benchmark (one
// process per version, tracemalloc on for Python, best of 3 single calls, ratio > 1.2 =
// regression); pyperf = `python3 -m pyperf timeit --fast` for both versions and
// `pyperf compare_to` (regression = "slower" and significant). Prints one row per cell.
// Not a test: figures depend on the machine and its load (state both when quoting them).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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
const SIZES = (args.sizes ?? '1us,100us,10ms').split(',');
const VARIANTS = (args.variants ?? 'aa,3,5,10,100').split(',');
const METHODS = (args.methods ?? 'ours,guide,pyperf').split(',');
const PYTHON = execFileSync('python3', ['-c', 'import sys; print(sys.executable)'], {
  encoding: 'utf8',
}).trim();
// pyperf comes from requirements-dev.txt: the project venv's python when there is one.
const venvPython = new URL('../.venv/bin/python', import.meta.url).pathname;
const PYPERF_PYTHON = args['pyperf-python'] ?? (existsSync(venvPython) ? venvPython : PYTHON);

// Loop counts per language and size (≈ 1 µs, 100 µs, 10 ms per call on this machine).
const LOOPS = {
  python: { '1us': 20, '100us': 2000, '10ms': 200000 },
  javascript: { '1us': 40, '100us': 4000, '10ms': 400000 },
};
const code = {
  python: (n, tag) =>
    `# ${tag}\ndef work(scale):\n    total = 0\n    for i in range(${n} * scale):\n        total += i * i\n    return total\n`,
  javascript: (n, tag) =>
    `// ${tag}\nexport default function work({ scale }) {\n  let total = 0;\n  for (let i = 0; i < ${n} * scale; i++) total += Math.sqrt(i + (total % 7));\n  return total;\n}\n`,
};

const work = mkdtempSync(join(tmpdir(), 'pv-precision-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));

function ours(language, oldCode, newCode) {
  const started = Date.now();
  const run = spawnSync(process.execPath, [CLI, 'compare'], {
    input: JSON.stringify({
      old_code: oldCode,
      new_code: newCode,
      test_input: { scale: 1 },
      language,
      budget_ms: BUDGET,
    }),
    encoding: 'utf8',
    timeout: BUDGET + 60_000,
  });
  const json = JSON.parse(run.stdout);
  return {
    regression: json.time.change === 'regression',
    width: json.time.ci_high - json.time.ci_low,
    ratio: json.time.ratio,
    wall: Date.now() - started,
    nsPerCall: json.old.ns_per_call,
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
  mod.default({ scale: 1 });
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

function guide(language, oldCode, newCode) {
  const started = Date.now();
  const time = (text) => {
    const file = toolFile(language, text);
    const out =
      language === 'python'
        ? execFileSync(PYTHON, [join(work, 'guide.py'), file], { encoding: 'utf8' })
        : execFileSync(process.execPath, [join(work, 'guide.mjs'), file], { encoding: 'utf8' });
    return Number(out.trim());
  };
  const ratio = time(newCode) / time(oldCode);
  return { regression: ratio > 1.2, width: NaN, ratio, wall: Date.now() - started };
}

function pyperf(language, oldCode, newCode) {
  if (language !== 'python') return undefined;
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
const fmt = (x, digits = 3) => (Number.isFinite(x) ? x.toFixed(digits) : '-');

const rows = [];
const header = `${'method'.padEnd(7)} ${'lang'.padEnd(10)} ${'size'.padEnd(6)} ${'planted'.padEnd(8)} ${'trials'.padStart(6)} ${'regress'.padStart(7)} ${'med ratio'.padStart(9)} ${'med CI width'.padStart(12)} ${'med wall s'.padStart(10)} ${'ns/call'.padStart(10)}`;
console.log(
  `# perf-verdict bench/precision  trials=${TRIALS} budget=${BUDGET}ms  ${new Date().toISOString()}`,
);
console.log(
  `# machine: ${process.arch}, load average at start: ${(await import('node:os'))
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
console.log(header);
for (const language of LANGUAGES)
  for (const size of SIZES)
    for (const variant of VARIANTS) {
      const n = LOOPS[language][size];
      const planted = variant === 'aa' ? 0 : Number(variant) / 100;
      const slowN = variant === 'aa' ? n : Math.round(n * (1 + planted));
      for (const method of METHODS) {
        const fn = { ours, guide, pyperf }[method];
        const results = [];
        for (let t = 0; t < TRIALS; t++) {
          const oldCode = code[language](n, `old ${t}`);
          const newCode = code[language](
            slowN,
            `new ${t}: ${variant === 'aa' ? 'same work, different text' : `+${variant}%`}`,
          );
          const r = fn(language, oldCode, newCode);
          if (r === undefined) break;
          results.push(r);
        }
        if (results.length === 0) continue;
        const row = {
          method,
          language,
          size,
          variant: variant === 'aa' ? 'A/A' : `+${variant}%`,
          loop_ratio: slowN / n,
          trials: results.length,
          regression_rate: results.filter((r) => r.regression).length / results.length,
          median_ratio: median(results.map((r) => r.ratio)),
          median_ci_width: median(results.map((r) => r.width)),
          median_wall_s: median(results.map((r) => r.wall)) / 1000,
          ns_per_call: median(results.map((r) => r.nsPerCall ?? NaN)),
        };
        rows.push(row);
        console.log(
          `${method.padEnd(7)} ${language.padEnd(10)} ${size.padEnd(6)} ${row.variant.padEnd(8)} ${String(row.trials).padStart(6)} ${pct(row.regression_rate).padStart(7)} ${fmt(row.median_ratio).padStart(9)} ${fmt(row.median_ci_width).padStart(12)} ${fmt(row.median_wall_s, 1).padStart(10)} ${fmt(row.ns_per_call, 0).padStart(10)}`,
        );
      }
    }
console.log(
  '# regress = share of trials called a regression: a false alarm on A/A rows, the detection rate on +x% rows.',
);
if (args.out) writeFileSync(args.out, JSON.stringify(rows, null, 2));
